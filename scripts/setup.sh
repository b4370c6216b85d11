#!/usr/bin/env bash
# Makes this clone ready: installs missing Debian packages, builds, and makes sure a RabbitMQ
# broker answers on 127.0.0.1. Safe to re-run; silent when there is nothing to do.
#
#   scripts/setup.sh                    everything, tests included, built into build/ (scripts/test.sh)
#   scripts/setup.sh --runtime          only what scripts/run.sh runs: the host and the plugins
#   scripts/setup.sh --no-build         packages and broker, no build
#   scripts/setup.sh --sanitize KIND    everything, built with a sanitizer into its own folder:
#                                       address (ASan+UBSan, build-asan/) or thread (TSan, build-tsan/)
#   scripts/setup.sh --lint-tools       only the tools scripts/lint.sh uses; no build, no broker
#   scripts/setup.sh --pre-commit       the lint tools, Debian's pre-commit, and its git hook in this clone
#   scripts/setup.sh --no-broker        (with any of the above) no broker: for the container images, which bring their own
#
# MICRO_ORDER_BROKER_PORT (default 5672): the AMQP port checked, and given to a broker it starts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# To build and run the host and its plugins.
readonly RUNTIME_PACKAGES=(
    build-essential cmake pkg-config
    libpoco-dev libboost-dev libboost-filesystem-dev librabbitmq-dev libyaml-cpp-dev
    libssl-dev openssl # the broker's TLS (amqps://); the TLS tests make throwaway certificates
    googletest libgtest-dev # googletest alone is sources; libgtest-dev has what find_package(GTest) needs
    rabbitmq-server curl
    libsystemd-dev # sd_notify; pinned below to the installed libsystemd0 so systemd is not upgraded
    libpq-dev      # the PostgreSQL connector (libpq)
)
# Only the tests need these.
readonly TEST_PACKAGES=(
    dpkg-dev python3 systemd # the package test: cpack's dpkg-shlibdeps, a notify-socket listener, systemd-analyze
    chromium                 # the docs and status page tests: headless Chromium renders them, screenshots /status
    clang-format-14          # CONTRIBUTING.md's walkthrough checks the format of the code it adds
    postgresql-15            # initdb/pg_ctl for the tests' throwaway cluster (scripts/test-postgresql.sh)
    nginx-light              # tests/cluster: an nginx upstream in front of each service's two hosts
)
# scripts/lint.sh: the pinned clang-format, shellcheck, YAML for Debian's python3.
readonly LINT_PACKAGES=(clang-format-14 shellcheck python3-yaml)
readonly BROKER_PORT=${MICRO_ORDER_BROKER_PORT:-5672}
readonly BROKER_START_TIMEOUT_S=60
BUILD_DIR=build

say() { printf '%s\n' "$*"; }
fail() {
    printf 'setup: %s\n' "$*" >&2
    exit 1
}

# Runs a command as root: directly, or through sudo when it needs no password.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

can_be_root() { [[ $EUID -eq 0 ]] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; }

# Runs "$@" with its output in a log file; on failure shows the log's tail and stops.
run_logged() {
    local log=$1
    shift
    if ! "$@" >>"$log" 2>&1; then
        printf 'setup: failed: %s\n--- last lines of %s ---\n' "$*" "$log" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}

# install_packages PACKAGE...: installs those not installed yet.
install_packages() {
    local missing=() package
    for package in "$@"; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) != installed ]]; then
            missing+=("$package")
        fi
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0

    if ! can_be_root; then
        fail "missing packages; as root run: apt-get install --no-install-recommends ${missing[*]}"
    fi
    mkdir -p "$BUILD_DIR"
    local log=$BUILD_DIR/apt.log
    : >"$log"
    run_logged "$log" as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    local pinned=() libsystemd_version
    libsystemd_version=$(dpkg-query -W -f='${Version}' libsystemd0 2>/dev/null || true)
    for package in "${missing[@]}"; do
        if [[ $package == libsystemd-dev && -n $libsystemd_version ]]; then
            pinned+=("libsystemd-dev=$libsystemd_version")
        else
            pinned+=("$package")
        fi
    done
    run_logged "$log" as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${pinned[@]}" </dev/null
    say "Installed ${missing[*]}"
}

# The PostgreSQL server package creates and starts a system cluster `main` unless told not to;
# the tests start their own throwaway cluster, so none is wanted. A drop-in file, read through the
# include_dir of postgresql-common's createcluster.conf: writing that conffile itself before the
# package is installed would stop dpkg at a conffile question.
no_main_postgresql_cluster() {
    local dropin=/etc/postgresql-common/createcluster.d/micro-order.conf
    [[ -f $dropin ]] && return 0
    can_be_root || return 0 # install_packages says what to run as root
    as_root mkdir -p "${dropin%/*}"
    printf '%s\n' '# micro-order (scripts/setup.sh): tests run their own throwaway cluster' \
        'create_main_cluster = false' | as_root tee "$dropin" >/dev/null
}

# build [CMAKE_ARGS...]: configures $BUILD_DIR once (afterwards the build itself re-runs CMake
# when a CMakeLists.txt changes), then builds $BUILD_TARGET (empty: everything).
build() {
    mkdir -p "$BUILD_DIR"
    local log=$BUILD_DIR/build.log
    : >"$log"
    if [[ ! -f $BUILD_DIR/Makefile && ! -f $BUILD_DIR/build.ninja ]]; then
        run_logged "$log" cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
        say "Configured $BUILD_DIR/"
    fi
    local target=()
    [[ -n $BUILD_TARGET ]] && target=(--target "$BUILD_TARGET")
    run_logged "$log" cmake --build "$BUILD_DIR" -j"$(nproc)" "${target[@]}"
    # Both Make and Ninja print these lines only for work actually done.
    local compiled
    compiled=$(grep -c -E 'Building CXX object|Linking CXX' "$log" || true)
    if [[ $compiled -gt 0 ]]; then
        say "Built $BUILD_DIR/ ($compiled steps, log in $BUILD_DIR/build.log)"
    fi
}

broker_answers() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$BROKER_PORT" 2>/dev/null; }

# rabbitmq-server and rabbitmqctl switch to the rabbitmq user themselves when run as root.
broker_node_up() { as_root rabbitmqctl -q ping >/dev/null 2>&1; }

ensure_broker() {
    broker_answers && return 0

    command -v rabbitmq-server >/dev/null || fail "rabbitmq-server is not installed"
    can_be_root || fail "nothing answers on 127.0.0.1:$BROKER_PORT; as root run: rabbitmq-server -detached"
    mkdir -p "$BUILD_DIR"
    local log=$BUILD_DIR/rabbitmq-start.log started=false
    : >"$log"
    # A node that is up but not listening yet is still booting: wait for it rather than start a
    # second one, which would fail with "already running" (in the background, with -detached).
    if ! broker_node_up; then
        # Output to a file: the detached broker must not keep our stdout (a CI pipe) open.
        run_logged "$log" as_root env RABBITMQ_NODE_PORT="${RABBITMQ_NODE_PORT:-$BROKER_PORT}" \
            rabbitmq-server -detached </dev/null
        started=true
    fi
    # await_startup fails at once while the new node cannot be reached yet, so retry it; the
    # port answering is what counts.
    local deadline=$((SECONDS + BROKER_START_TIMEOUT_S))
    until broker_answers; do
        if ((SECONDS >= deadline)); then
            printf 'setup: RabbitMQ did not answer on 127.0.0.1:%s within %ss; see %s and /var/log/rabbitmq/\n' \
                "$BROKER_PORT" "$BROKER_START_TIMEOUT_S" "$log" >&2
            tail -n 20 "$log" /var/log/rabbitmq/*.log >&2 2>/dev/null || true
            exit 1
        fi
        as_root timeout 30 rabbitmqctl -q await_startup --timeout 30 >>"$log" 2>&1 </dev/null || true
        broker_answers || sleep 1
    done
    if $started; then
        say "RabbitMQ started"
    else
        say "RabbitMQ finished starting"
    fi
}

# The build folder of a sanitizer (scripts/test.sh runs the tests there).
sanitizer_build_dir() {
    case $1 in
        address) echo build-asan ;;
        thread) echo build-tsan ;;
    esac
}

usage() {
    sed -n '2,14s/^# \{0,1\}//p' "$0"
}

main() {
    local do_build=true runtime_only=false sanitize='' tools='' do_broker=true
    BUILD_TARGET=''
    while (($#)); do
        case $1 in
            --no-build) do_build=false ;;
            --no-broker) do_broker=false ;;
            --runtime) runtime_only=true ;;
            --sanitize)
                [[ ${2:-} == address || ${2:-} == thread ]] || fail "--sanitize takes address or thread"
                sanitize=$2
                shift
                ;;
            --lint-tools) tools=lint ;;
            --pre-commit) tools=pre-commit ;;
            -h | --help)
                usage
                exit 0
                ;;
            *) fail "unknown argument: $1 (scripts/setup.sh --help)" ;;
        esac
        shift
    done

    if [[ $tools == lint ]]; then
        install_packages "${LINT_PACKAGES[@]}"
        return 0
    elif [[ $tools == pre-commit ]]; then
        install_packages "${LINT_PACKAGES[@]}" pre-commit
        pre-commit install
        return 0
    fi

    if $runtime_only; then
        install_packages "${RUNTIME_PACKAGES[@]}"
        BUILD_TARGET=micro-order-runtime # the host and the plugins (CMakeLists.txt)
    else
        no_main_postgresql_cluster
        install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    fi
    if $do_build; then
        if [[ -z $sanitize ]]; then
            build
        else
            BUILD_DIR=$(sanitizer_build_dir "$sanitize")
            build -DMICRO_ORDER_SANITIZE="$sanitize"
        fi
    fi
    if $do_broker; then
        ensure_broker
    fi
}

main "$@"
