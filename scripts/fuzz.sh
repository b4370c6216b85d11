#!/usr/bin/env bash
# Fuzzes one target with libFuzzer (clang 14, AddressSanitizer and UBSan) for SECONDS seconds,
# starting from its seed corpus in tests/fuzz/corpus/TARGET. New inputs collect in
# build-fuzz/corpus/TARGET; a crash is written to build-fuzz/crashes/TARGET/ and stops the run.
#
#   scripts/fuzz.sh TARGET SECONDS      e.g. scripts/fuzz.sh order_body 60
#   scripts/fuzz.sh --list
#
# After fixing what a crash showed, keep the input: copy it to tests/fuzz/corpus/TARGET/ (the
# test fuzz.TARGETReplays replays every corpus file in the normal build).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly TARGETS=(customer_body order_body rest_query request_target host_config workflow_messages)
readonly BUILD_DIR=build-fuzz
readonly CLANG=clang-14 CLANGXX=clang++-14

fail() {
    printf 'fuzz: %s\n' "$*" >&2
    exit 1
}
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }

if [[ ${1:-} == --list ]]; then
    printf '%s\n' "${TARGETS[@]}"
    exit 0
fi
[[ $# -eq 2 ]] || { usage >&2; exit 2; }
target=$1 seconds=$2
[[ " ${TARGETS[*]} " == *" $target "* ]] || fail "unknown target '$target'; targets: ${TARGETS[*]}"
[[ $seconds =~ ^[1-9][0-9]*$ ]] || fail "SECONDS must be a positive number, got '$seconds'"

if ! command -v "$CLANGXX" >/dev/null; then
    [[ $EUID -eq 0 ]] || fail "$CLANGXX is missing; as root: apt-get install --no-install-recommends clang-14"
    echo "installing clang-14 (libFuzzer) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang-14 >/dev/null </dev/null \
        || fail "apt-get install clang-14 failed"
fi

mkdir -p "$BUILD_DIR"
if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # Sanitizers on everything the target links; the hardening flags stay off (ASan guards more).
    CC=$CLANG CXX=$CLANGXX cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
        -DMICRO_ORDER_FUZZ=ON -DMICRO_ORDER_HARDENING=OFF -DMICRO_ORDER_DPKG_BUILDFLAGS=OFF \
        -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link" \
        -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >"$BUILD_DIR/configure.log" 2>&1 \
        || { tail -n 30 "$BUILD_DIR/configure.log" >&2; fail "configuring $BUILD_DIR failed (log: $BUILD_DIR/configure.log)"; }
fi
nice cmake --build "$BUILD_DIR" --target "fuzz_$target" -j2 >"$BUILD_DIR/build.log" 2>&1 \
    || { tail -n 30 "$BUILD_DIR/build.log" >&2; fail "building fuzz_$target failed (log: $BUILD_DIR/build.log)"; }

corpus=$BUILD_DIR/corpus/$target crashes=$BUILD_DIR/crashes/$target
mkdir -p "$corpus" "$crashes"
# Leaks are not checked: Poco and yaml-cpp keep caches for the life of the process.
status=0
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
    "$BUILD_DIR/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "tests/fuzz/corpus/$target" || status=$?
if [[ $status -ne 0 ]]; then
    echo "fuzz: fuzz_$target found a problem; the input is in $crashes/ (fix it, then copy it to tests/fuzz/corpus/$target/)" >&2
fi
exit $status
