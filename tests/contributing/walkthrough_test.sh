#!/usr/bin/env bash
# Runs the walkthrough of CONTRIBUTING.md as written: every ```sh block preceded by the line
# <!-- walkthrough -->, in order, as one bash script with -e, in a copy of the source tree whose
# build/ is configured first (as scripts/setup.sh would have done, but unoptimised, for speed).
# Also checks that the README's plugin example is the walkthrough's hello plugin, word for word,
# so the README's code is compiled and run here too.
#
#   walkthrough_test.sh --source-dir DIR --compiler CXX [--launcher ccache]
#
# Environment: MICRO_ORDER_TEST_AMQP_URL, the run's vhost (the walkthrough's host uses it).
set -euo pipefail

source_dir='' compiler='' launcher=''
while (($#)); do
    case $1 in
        --source-dir) source_dir=$2 ;;
        --compiler) compiler=$2 ;;
        --launcher) launcher=$2 ;;
        *)
            echo "usage: $0 --source-dir DIR --compiler CXX [--launcher LAUNCHER]" >&2
            exit 2
            ;;
    esac
    shift 2
done
[[ -n $source_dir && -n $compiler ]] || {
    echo "usage: $0 --source-dir DIR --compiler CXX [--launcher LAUNCHER]" >&2
    exit 2
}

fail() {
    printf 'walkthrough: %s\n' "$*" >&2
    exit 1
}

# The marked blocks of CONTRIBUTING.md, in order.
walkthrough=$(awk '
    /^<!-- walkthrough -->$/ { marked = 1; next }
    marked && /^```sh$/ { inside = 1; marked = 0; blocks++; next }
    inside && /^```$/ { inside = 0; next }
    inside { print }
    END { if (blocks < 5) exit 1 }' "$source_dir/CONTRIBUTING.md") ||
    fail "CONTRIBUTING.md has fewer walkthrough blocks than expected"

# The README's example: its ```cpp block holding `class Hello`.
readme_example=$(awk '
    /^```cpp$/ { inside = 1; block = ""; next }
    inside && /^```$/ { inside = 0; if (block ~ /class Hello/) { printf "%s", block; exit } next }
    inside { block = block $0 "\n" }' "$source_dir/README.md")
[[ -n $readme_example ]] || fail "README.md has no C++ block with class Hello"
[[ $walkthrough == *"$readme_example"* ]] ||
    fail "README.md's hello plugin differs from the one CONTRIBUTING.md's walkthrough builds"

work=$(mktemp -d /tmp/micro-order-walkthrough.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$source_dir" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./var -cf - . |
    tar -C "$work" -xf -

configure=(cmake -S "$work" -B "$work/build" -DCMAKE_CXX_COMPILER="$compiler"
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0)
if [[ -n $launcher ]]; then
    configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
    export CCACHE_BASEDIR=$work # the same relative paths in every copy: hits from an earlier run
fi
"${configure[@]}" >"$work/configure.log" 2>&1 || {
    tail -n 30 "$work/configure.log"
    fail "configuring the copy failed"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HELLO_PORT=$(free_port)
GREETINGS_PORT=$(free_port)
while [[ $GREETINGS_PORT == "$HELLO_PORT" ]]; do GREETINGS_PORT=$(free_port); done
export HELLO_PORT GREETINGS_PORT
export MICRO_ORDER_AMQP_URL=${MICRO_ORDER_TEST_AMQP_URL:?set by ctest}

# A host the walkthrough started in the background is stopped even when a step fails.
# shellcheck disable=SC2016 # expanded by the walkthrough's shell, not this one
printf 'trap %q EXIT\n%s\n' 'kill $(jobs -p) 2>/dev/null || true' "$walkthrough" >"$work/walkthrough.sh"
if ! (cd "$work" && bash -euo pipefail -x walkthrough.sh); then
    [[ -f $work/walkthrough.log ]] && { echo '--- walkthrough.log (the host)'; tail -n 40 "$work/walkthrough.log"; }
    fail "a step of CONTRIBUTING.md's walkthrough failed (above)"
fi
echo "walkthrough: every step of CONTRIBUTING.md's walkthrough ran"
