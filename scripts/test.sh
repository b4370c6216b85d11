#!/usr/bin/env bash
# Builds and runs every test. Installs what is missing and starts RabbitMQ first when needed
# (scripts/setup.sh); each run gets its own RabbitMQ vhost (the `broker` test fixture).
#
#   scripts/test.sh [ctest options]                  e.g. scripts/test.sh -R ConfigLoader
#   scripts/test.sh --sanitize [ctest options]       the suite built with ASan+UBSan, in build-asan/
#   scripts/test.sh --sanitize thread [ctest options]   the database and messaging tests under TSan,
#                                                       in build-tsan/ (on demand; not in CI)
#
# Under a sanitizer, tests labelled no_sanitizer are left out (the .deb installed system-wide,
# resource and hardening measurements: they check the release build, not the code), the first
# report fails the test, and leaks are suppressed only as tests/sanitizer/lsan.supp says.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

sanitize=''
if [[ ${1:-} == --sanitize ]]; then
    sanitize=address
    shift
    if [[ ${1:-} == address || ${1:-} == thread ]]; then
        sanitize=$1
        shift
    fi
fi

if [[ -z $sanitize ]]; then
    scripts/setup.sh
    exec ctest --test-dir build --output-on-failure -j2 --timeout 300 "$@"
fi

scripts/setup.sh --sanitize "$sanitize"
case $sanitize in
    address)
        build_dir=build-asan
        selection=(-LE no_sanitizer)
        ;;
    thread)
        build_dir=build-tsan
        # The code that shares data between threads: the database layer (group commit, pools,
        # outbox relay) and the messaging (consumers, the broker connection, the workflow).
        selection=(-L 'database|messaging' -LE no_sanitizer)
        ;;
esac

# The sanitizers' settings, for ctest and every process a test starts (the host included). Each
# report goes to a file of its own in $reports (<tool>.<program>.<pid>), so a report from a host
# whose test did not look at its exit status is not lost: any report fails the run.
reports=$PWD/$build_dir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
common=halt_on_error=1:log_exe_name=1
export ASAN_OPTIONS=$common:log_path=$reports/asan:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=$common:log_path=$reports/ubsan:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0
export TSAN_OPTIONS=$common:log_path=$reports/tsan:second_deadlock_stack=1

status=0
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 600 "${selection[@]}" "$@" || status=$?
shopt -s nullglob
found=("$reports"/*)
if ((${#found[@]})); then
    for report in "${found[@]}"; do
        printf '\n=== sanitizer report %s\n' "${report#"$PWD"/}"
        cat "$report"
    done
    printf '\ntest: %d sanitizer report(s) in %s (above)\n' "${#found[@]}" "${reports#"$PWD"/}" >&2
    status=1
fi
exit "$status"
