#!/usr/bin/env bash
# micro-order benchmarks (issue 6), on demand: builds, starts micro-order-host with the all-in-one
# config on fresh databases and a fresh RabbitMQ vhost, runs every scenario ROUNDS times, and
# prints medians with min–max. Bounded: about 5 minutes with the defaults; stops by itself.
#
#   bench/run.sh                      # scripts/setup.sh (install, build, broker), bench build, 3 rounds
#   bench/run.sh --no-setup --host-build DIR   # use an existing build of the project in DIR
#   bench/run.sh --profile perf       # profile the host through one end-to-end run, a GET and a POST run
#   bench/run.sh --only http          # the HTTP rows alone (no end to end, broker or paced runs)
#   bench/run.sh --only durability    # synchronous FULL against NORMAL end to end, with the disk's fsync rate
#   bench/run.sh --only postgresql    # end to end on PostgreSQL (1 and 2 hosts) next to SQLite and pgbench
#
# Options (all optional):
#   --rounds N         rounds, each on a fresh host, databases and vhost (default 3)
#   --orders N         orders per end-to-end round (default 16000)
#   --customers N      customers created first (default 1000)
#   --connections K    connections posting orders in the end-to-end rounds (default 32)
#   --http-seconds S   length of each HTTP measurement (default 4)
#   --paced-seconds S  length of the end-to-end runs paced at half the measured rate (default 8)
#   --paced-rate R     pace those runs at R orders/s instead (to compare builds or settings)
#   --scenarios LIST   what runs besides the end-to-end rounds: a subset of http,broker,paced
#                      (default http,broker,paced; "none" for end to end only)
#   --only http        the HTTP rows only: each round seeds --customers and --orders through the
#                      API (and waits for the workflow to settle) instead of the end-to-end run
#   --idle-connections N   idle keep-alive connections held during the "GET with idle
#                      connections" row (default 10000; 0 skips the row)
#   --profile TOOL     instead of the benchmark: one host, profiled with TOOL through an end-to-end
#                      run (--orders, default 6000), then 4 s each of GET /orders/{id}/ and POST
#                      /orders/ at 32 connections, and of POST on the orders service alone.
#                      TOOL: perf (cpu-clock sampling, which works without hardware counters, plus
#                      clock_nanosleep call sites) or callgrind (instructions; the end-to-end run
#                      only; use a few hundred orders)
#   --pool-size N      override every database's pool_size (default: etc/micro-order.yaml's), to
#                      measure the effect of the SQLite session pool
#   --synchronous MODE override every database's synchronous (FULL, NORMAL or OFF; default: the
#                      shipped configs', FULL)
#   --prefetch N       override every consumer's prefetch (default: etc/micro-order.yaml's)
#   --only durability  instead of the benchmark: ROUNDS rounds, each measuring the disk's fsync rate
#                      in the databases' folder (the ceiling of durable commits), then end to end
#                      (--orders) on a fresh host with every database FULL and on another with
#                      NORMAL, in alternating order; then both paced at half FULL's median rate
#                      (--paced-seconds, 0 for none); prints them side by side (issue 12)
#   --only postgresql  instead of the benchmark: ROUNDS rounds, each measuring pgbench -N on a private,
#                      durable PostgreSQL cluster of the run (fsync and synchronous_commit on), then
#                      end to end (--orders) on SQLite, on PostgreSQL with one all-in-one host and
#                      with two side by side (bench/postgresql.sh says how; issue 13)
#   --pg-seconds S     length of each pgbench run (default 8)
#   --pg-statements    with --only postgresql: the server's statements by time after each run
#   --no-setup         do not run scripts/setup.sh (the broker must already answer)
#   --host-build DIR   project build folder holding host/micro-order-host and plugins/ (default build)
#   --bench-build DIR  where the load driver is built, results and logs kept (default build/bench)
# Environment: BENCH_PORT_BASE (default 18000): orders, shippings, customers and nginx listen on
# BASE, BASE+1, BASE+2 and BASE+80 on 127.0.0.1, away from scripts/run.sh's 8000–8002 (with
# --only postgresql also a second host on BASE+10–12, docs on BASE+20 and +30, PostgreSQL on BASE+90).
#
# Output: a report on stdout; the raw `RESULT` lines go to <bench build>/results-<date>.txt and
# the last run's configs, logs, databases and profiles to <bench build>/last-run/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=3
ORDERS=16000
ORDERS_GIVEN=false
CUSTOMERS=1000
CONNECTIONS=32
HTTP_SECONDS=4
PACED_SECONDS=8
PACED_RATE=0
SCENARIOS=http,broker,paced
ONLY=''
IDLE_CONNECTIONS=10000
PROFILE=''
POOL_SIZE=''
SYNCHRONOUS=''
PREFETCH=''
PG_SECONDS=8
PG_STATEMENTS=''
DO_SETUP=true
HOST_BUILD=build
BENCH_BUILD=build/bench
readonly UNKNOWN_FRACTION=0.1
readonly PORT_BASE=${BENCH_PORT_BASE:-18000}
readonly ORDERS_PORT=$PORT_BASE SHIPPINGS_PORT=$((PORT_BASE + 1)) CUSTOMERS_PORT=$((PORT_BASE + 2))
readonly NGINX_PORT=$((PORT_BASE + 80))
# The Poco listener (before issue 11) needs one thread per connection: at least the 256
# connections of the largest HTTP scenario plus the bench's own pollers (its default is 16).
readonly MAX_THREADS=288 MAX_QUEUED=512
readonly BODY_BYTES=48 # about the average workflow message body (27–80 bytes, four kinds)

while [[ $# -gt 0 ]]; do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --orders) ORDERS=$2; ORDERS_GIVEN=true; shift 2 ;;
        --customers) CUSTOMERS=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --http-seconds) HTTP_SECONDS=$2; shift 2 ;;
        --paced-seconds) PACED_SECONDS=$2; shift 2 ;;
        --paced-rate) PACED_RATE=$2; shift 2 ;;
        --scenarios) SCENARIOS=$2; shift 2 ;;
        --profile) PROFILE=$2; shift 2 ;;
        --pool-size) POOL_SIZE=$2; shift 2 ;;
        --synchronous) SYNCHRONOUS=$2; shift 2 ;;
        --prefetch) PREFETCH=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --no-setup) DO_SETUP=false; shift ;;
        --host-build) HOST_BUILD=$2; shift 2 ;;
        --bench-build) BENCH_BUILD=$2; shift 2 ;;
        --idle-connections) IDLE_CONNECTIONS=$2; shift 2 ;;
        --pg-seconds) PG_SECONDS=$2; shift 2 ;;
        --pg-statements) PG_STATEMENTS=1; shift ;;
        -h | --help) sed -n '2,54s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $PROFILE in
    '') ;;
    perf | callgrind) ROUNDS=1; $ORDERS_GIVEN || ORDERS=6000 ;;
    *) echo "bench/run.sh: --profile takes perf or callgrind" >&2; exit 2 ;;
esac
case $SYNCHRONOUS in
    '' | FULL | NORMAL | OFF) ;;
    *) echo "bench/run.sh: --synchronous takes FULL, NORMAL or OFF" >&2; exit 2 ;;
esac
case $ONLY in
    '') ;;
    http) SCENARIOS=http ;;
    durability) [[ -z $SYNCHRONOUS ]] || { echo "bench/run.sh: --only durability sets synchronous itself" >&2; exit 2; } ;;
    postgresql) SCENARIOS=none ;;
    *) echo "bench/run.sh: --only takes http, durability or postgresql" >&2; exit 2 ;;
esac

say() { printf '%s\n' "$*"; }
fail() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }
wants() { [[ ,$SCENARIOS, == *,$1,* ]]; }
# shellcheck source=bench/postgresql.sh
source bench/postgresql.sh

# ---- build ------------------------------------------------------------------------------------
if $DO_SETUP; then
    scripts/setup.sh
fi
HOST_BUILD=$(cd "$HOST_BUILD" && pwd)
readonly HOST_BIN=$HOST_BUILD/host/micro-order-host PLUGINS=$HOST_BUILD/plugins
[[ -x $HOST_BIN ]] || fail "no host binary at $HOST_BIN (build the project first, or pass --host-build)"
mkdir -p "$BENCH_BUILD"
BENCH_BUILD=$(cd "$BENCH_BUILD" && pwd)
if [[ ! -f $BENCH_BUILD/CMakeCache.txt ]]; then
    cmake -S bench -B "$BENCH_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BENCH_BUILD/configure.log" 2>&1 ||
        { tail -20 "$BENCH_BUILD/configure.log"; fail "configuring the bench failed"; }
fi
cmake --build "$BENCH_BUILD" -j"$(nproc)" >"$BENCH_BUILD/build.log" 2>&1 ||
    { tail -30 "$BENCH_BUILD/build.log"; fail "building the bench failed"; }
readonly DRIVER=$BENCH_BUILD/load_driver
# The broker ceiling consumes at the consumers' prefetch, as the host does.
readonly CONSUMER_PREFETCH=${PREFETCH:-$(awk '/^      prefetch:/ {print $2; exit}' etc/micro-order.yaml)}

timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672' 2>/dev/null ||
    fail "nothing answers on 127.0.0.1:5672: run scripts/setup.sh (or drop --no-setup)"
BROKER_PID=$(pgrep -o beam.smp || true)

# ---- nginx-light: the static-file ceiling of the HTTP rows --------------------------------------
if wants http && ! command -v nginx >/dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        printf 'installing nginx-light (the static-file ceiling)\n'
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light; } \
            >"$BENCH_BUILD/nginx-install.log" 2>&1 || { tail -5 "$BENCH_BUILD/nginx-install.log"; fail "could not install nginx-light"; }
        # The package starts its own server on :80 where it can; the bench runs one of its own.
        if [[ -x /etc/init.d/nginx ]]; then /etc/init.d/nginx stop >/dev/null 2>&1 || true; fi
    else
        printf 'nginx is not installed and this is not root: no static ceiling\n'
    fi
fi

# ---- run folder and clean-up ------------------------------------------------------------------
WORK=$(mktemp -d /tmp/micro-order-bench.XXXXXX)
chmod 755 "$WORK" # nginx workers read the static file from here
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
readonly STAMP
readonly RESULTS=$BENCH_BUILD/results-$STAMP.txt
HOST_PID='' NGINX_PID='' PERF_PID='' VHOST=''

cleanup() {
    [[ -n $PERF_PID ]] && kill -INT "$PERF_PID" 2>/dev/null && wait "$PERF_PID" 2>/dev/null
    [[ -n $HOST_PID ]] && kill -TERM "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null
    local pid
    for pid in "${HOST_PIDS[@]}"; do # --only postgresql's hosts
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    pg_stop
    [[ -n $NGINX_PID ]] && kill -TERM "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    # This run's vhosts (micro-order-bench-<this pid>-*), including any a failed delete left behind.
    local vhost
    for vhost in $(rabbitmqctl -q list_vhosts 2>/dev/null | grep "^micro-order-bench-$$-" || true); do
        rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    done
    rm -rf "$BENCH_BUILD/last-run"
    mv "$WORK" "$BENCH_BUILD/last-run" 2>/dev/null || rm -rf "$WORK"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs the driver bounded in time, shows its report indented, keeps its RESULT lines tagged.
drive() {
    local round=$1 limit=$2
    shift 2
    local out status=0
    out=$(timeout "$limit" "$DRIVER" "$@") || status=$?
    printf '%s\n' "$out" | grep -v '^RESULT' | sed 's/^/    /'
    [[ $status -eq 0 ]] || say "    (driver exited with $status: load_driver $*)"
    printf '%s\n' "$out" | grep '^RESULT' | sed "s/^RESULT /RESULT round=$round /" >>"$RESULTS" || true
}

# The `http:` section of the bench's configs. The event-driven listener (issue 11) keeps its
# defaults but for two keys: idle keep-alive connections must outlive a whole round
# (keep_alive_timeout_s) and the idle-connections row holds more than the default
# max_connections (10,000). The Poco listener gets one thread per connection instead.
http_section() {
    if [[ $LISTENER == event ]]; then
        printf 'http:\n  keep_alive_timeout_s: 300\n  max_connections: %s\n' $((IDLE_CONNECTIONS + 1024 > 10000 ? IDLE_CONNECTIONS + 1024 : 10000))
    else
        printf 'http:\n  max_threads: %s\n  max_queued: %s\n' "$MAX_THREADS" "$MAX_QUEUED"
    fi
}

# The all-in-one config, etc/micro-order.yaml, with the bench's paths, ports and `http:` section;
# with `orders-only`, etc/orders.yaml cut down to the orders service alone (no consumer): POST
# /orders/ and its outbox relay without the workflow's consumers sharing the CPU.
write_config() {
    local dir=$1 source=etc/micro-order.yaml cut=cat
    if [[ ${2:-} == orders-only ]]; then
        source=etc/orders.yaml
        cut="awk '/^  - name: / && seen++ {exit} {print}'"
    fi
    # The file's own `http:` block (the key line and its indented lines) gives way to the bench's.
    eval "$cut" <"$source" | awk '/^http:/ {skip = 1; next} skip && /^[ \t]/ {next} {skip = 0; print}' |
        sed -e "s#^plugin_path: .*#plugin_path: $PLUGINS#" \
        -e "s#^shutdown_grace_ms: .*#shutdown_grace_ms: 3000#" \
        -e "s#path: \.\./var/#path: $dir/var/#" \
        -e "s#listen: 127.0.0.1:8000#listen: 127.0.0.1:$ORDERS_PORT#" \
        -e "s#listen: 127.0.0.1:8001#listen: 127.0.0.1:$SHIPPINGS_PORT#" \
        -e "s#listen: 127.0.0.1:8002#listen: 127.0.0.1:$CUSTOMERS_PORT#" \
        -e "${POOL_SIZE:+s#^\(    pool_size:\) [0-9]*#\1 $POOL_SIZE#}" \
        -e "${PREFETCH:+s#^\(      prefetch:\) [0-9]*#\1 $PREFETCH#}" >"$dir/micro-order.yaml"
    if [[ -n $SYNCHRONOUS ]]; then # every database, whether its file states the key or not
        if grep -q '^    synchronous:' "$dir/micro-order.yaml"; then
            sed -i "s#^\(    synchronous:\) .*#\1 $SYNCHRONOUS#" "$dir/micro-order.yaml"
        else
            sed -i "s#^\(    path: .*\)#\1\n    synchronous: $SYNCHRONOUS#" "$dir/micro-order.yaml"
        fi
        [[ $(grep -c "^    synchronous: $SYNCHRONOUS\$" "$dir/micro-order.yaml") -eq \
            $(grep -c '^    path: ' "$dir/micro-order.yaml") ]] ||
            fail "$source changed shape: could not set synchronous: $SYNCHRONOUS on every database"
    fi
    if [[ -n $PREFETCH ]] && grep '^      prefetch:' "$dir/micro-order.yaml" | grep -qv " $PREFETCH\$"; then
        fail "$source changed shape: could not set prefetch: $PREFETCH on every consumer"
    fi
    http_section >>"$dir/micro-order.yaml"
    local expected=("plugin_path: $PLUGINS" "127.0.0.1:$ORDERS_PORT" "$dir/var/orders.sqlite3")
    if [[ ${2:-} == orders-only ]]; then
        expected+=("name: orders")
        ! grep -q "handler:" "$dir/micro-order.yaml" || fail "$source changed shape: could not cut it to the orders service"
    else
        expected+=("127.0.0.1:$SHIPPINGS_PORT" "127.0.0.1:$CUSTOMERS_PORT")
    fi
    local line
    for line in "${expected[@]}"; do
        grep -qF "$line" "$dir/micro-order.yaml" || fail "$source changed shape: could not set '$line' in the bench config"
    done
    [[ $(grep -c '^http:' "$dir/micro-order.yaml") -eq 1 ]] || fail "$source changed shape: more than one http: section"
}

# Which listener the host has: the event-driven one accepts issue 11's keys (max_connections),
# the Poco one refuses them as unknown. Sets LISTENER to event or threads.
detect_listener() {
    local dir=$WORK/detect
    mkdir -p "$dir/var"
    LISTENER=event
    write_config "$dir"
    if "$HOST_BIN" --check-config --config "$dir/micro-order.yaml" >"$dir/check.log" 2>&1; then
        say "listener: event-driven (issue 11 settings accepted)"
        return 0
    fi
    grep -q max_connections "$dir/check.log" || { cat "$dir/check.log"; fail "the bench config does not check"; }
    LISTENER=threads
    say "listener: Poco, one thread per connection (max_connections refused): the idle-connections row is skipped"
}

# Starts a fresh host (new databases, new vhost) and measures its start-up; sets HOST_PID.
start_host() { # start_host ROUND DIR [orders-only]
    local round=$1 dir=$2 kind=${3:-all_in_one}
    mkdir -p "$dir/var"
    write_config "$dir" "$kind"
    VHOST=micro-order-bench-$$-$round
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "$VHOST" >/dev/null
    rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
    local since wrapper=()
    if [[ $PROFILE == callgrind ]]; then
        # Instrumentation is switched on for the end-to-end run only (callgrind_control -i on).
        wrapper=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$dir/callgrind.out"
            --log-file="$dir/valgrind.log")
    fi
    since=$(date +%s%N)
    MICRO_ORDER_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/$VHOST \
        "${wrapper[@]}" "$HOST_BIN" --config "$dir/micro-order.yaml" 2>"$dir/host.log" &
    HOST_PID=$!
    local ports=$ORDERS_PORT,$SHIPPINGS_PORT,$CUSTOMERS_PORT
    [[ $kind == orders-only ]] && ports=$ORDERS_PORT
    drive "$round" 120 wait-ready --name "${kind//-/_}" --since-ns "$since" --log "$dir/host.log" --host-pid "$HOST_PID" \
        --ports "$ports" --timeout-s 110
    kill -0 "$HOST_PID" 2>/dev/null || { tail -20 "$dir/host.log"; fail "the host did not start"; }
}

stop_host() { # stop_host ROUND [keep-vhost]
    local round=$1 began status=0
    began=$(date +%s%N)
    kill -TERM "$HOST_PID"
    wait "$HOST_PID" || status=$?
    [[ $status -eq 0 ]] || say "    host exited with status $status"
    printf 'RESULT round=%s mode=stop ok=%s stop_ms=%s\n' "$round" $((status == 0)) \
        $((($(date +%s%N) - began) / 1000000)) >>"$RESULTS"
    HOST_PID=''
    if [[ ${2:-} != keep-vhost ]]; then
        rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
        VHOST=''
    fi
}

# Counts the host's fdatasync and fsync calls (perf stat on two tracepoints) while a scenario
# runs: with synchronous FULL that is one per commit, plus a few per WAL checkpoint. Skipped
# without perf, and while --profile samples the host.
count_syncs_start() { # count_syncs_start DIR
    SYNCS_FILE=$1/syncs.csv
    [[ -z $PROFILE ]] && command -v perf >/dev/null || return 0
    perf stat -x, -o "$SYNCS_FILE" -e syscalls:sys_enter_fdatasync -e syscalls:sys_enter_fsync \
        -p "$HOST_PID" 2>"$1/perf-stat.log" &
    PERF_PID=$!
    sleep 0.3 # attached before the first request
}
count_syncs_stop() { # count_syncs_stop ROUND NAME: a `RESULT mode=syncs` line, per order of that e2e run
    [[ -z $PROFILE && -n $PERF_PID ]] || return 0
    kill -INT "$PERF_PID"
    wait "$PERF_PID" || true
    PERF_PID=''
    local syncs orders
    syncs=$(awk -F, '/sys_enter_(fdatasync|fsync)/ {n += $1} END {print n + 0}' "$SYNCS_FILE" 2>/dev/null || echo 0)
    orders=$(grep "^RESULT round=$1 mode=e2e name=$2 " "$RESULTS" | grep -o ' orders=[0-9]*' | head -1 | cut -d= -f2 || true)
    printf 'RESULT round=%s mode=syncs name=%s ok=%s syncs=%s syncs_per_order=%s\n' "$1" "$2" \
        $((${orders:-0} > 0)) "$syncs" "$(awk -v s="$syncs" -v o="${orders:-0}" 'BEGIN {printf "%.3f", o ? s / o : 0}')" \
        >>"$RESULTS"
}

e2e() { # e2e ROUND DIR NAME [driver options]
    local round=$1 dir=$2 name=$3
    shift 3
    count_syncs_start "$dir"
    drive "$round" 300 e2e --name "$name" --orders-url "http://127.0.0.1:$ORDERS_PORT" \
        --customers-url "http://127.0.0.1:$CUSTOMERS_PORT" --customers "$CUSTOMERS" --connections "$CONNECTIONS" \
        --unknown-fraction "$UNKNOWN_FRACTION" --timeout-s 240 --orders-db "$dir/var/orders.sqlite3" \
        --shippings-db "$dir/var/shippings.sqlite3" --customers-db "$dir/var/customers.sqlite3" \
        --host-pid "$HOST_PID" --broker-pid "${BROKER_PID:-0}" "$@"
    count_syncs_stop "$round" "$name"
}

http_scenario() { # http_scenario ROUND NAME PORT CONNECTIONS... -- [driver options]
    local round=$1 name=$2 port=$3 connections=()
    shift 3
    while [[ $1 != -- ]]; do connections+=("$1"); shift; done
    shift
    local n
    for n in "${connections[@]}"; do
        drive "$round" $((HTTP_SECONDS + 30)) http --name "$name" --url "http://127.0.0.1:$port" \
            --connections "$n" --duration-s "$HTTP_SECONDS" "$@"
    done
}

get_order() { http_scenario "$1" get_order "$ORDERS_PORT" "${@:2}" -- --path '/orders/{id}/' --id-max "$ORDERS" --host-pid "$HOST_PID"; }
# The same GETs while IDLE_CONNECTIONS more keep-alive connections (one request each) sit idle.
get_order_idle() {
    http_scenario "$1" get_order_idle "$ORDERS_PORT" "${@:2}" -- --path '/orders/{id}/' --id-max "$ORDERS" \
        --host-pid "$HOST_PID" --idle-connections "$IDLE_CONNECTIONS"
}
post_order() {
    http_scenario "$1" post_order "$ORDERS_PORT" "${@:2}" -- --method POST --path '/orders/' \
        --body '{"customer": {customer}}' --customer-max "$CUSTOMERS" --host-pid "$HOST_PID"
}

# --only http: what the end-to-end run leaves behind, made through the API instead (customers,
# then orders, 10% of them for customers that do not exist), then a wait for the workflow to
# settle so that it does not run behind the measurements.
seed() { # seed ROUND
    timeout 200 "$DRIVER" http --name seed_customers --url "http://127.0.0.1:$CUSTOMERS_PORT" --method POST \
        --path /customers/ --body '{"email": "bench{index}@example.com", "address": "Street {index}"}' \
        --connections "$CONNECTIONS" --max-requests "$CUSTOMERS" --duration-s 150 | grep -v '^RESULT' | sed 's/^/    /'
    timeout 200 "$DRIVER" http --name seed_orders --url "http://127.0.0.1:$ORDERS_PORT" --method POST --path /orders/ \
        --body '{"customer": {customer}}' --customer-max "$(awk -v c="$CUSTOMERS" -v f="$UNKNOWN_FRACTION" 'BEGIN {printf "%d", c / (1 - f)}')" \
        --connections "$CONNECTIONS" --max-requests "$ORDERS" --duration-s 150 | grep -v '^RESULT' | sed 's/^/    /'
    for _ in $(seq 600); do
        [[ $(curl -s "http://127.0.0.1:$ORDERS_PORT/orders/?status=PROCESSING&limit=1") == '[]' ]] && return 0
        sleep 0.2
    done
    say "    the workflow did not settle within 120 s: the HTTP rows run with it behind"
}

# ---- static-file ceiling: nginx on loopback, when installed -----------------------------------
start_nginx() {
    local size=$1 dir=$WORK/nginx
    command -v nginx >/dev/null || { say "nginx is not installed (apt-get install nginx-light): no static ceiling"; return 0; }
    mkdir -p "$dir/root" "$dir/tmp"
    chmod 755 "$dir" "$dir/root"
    # The same number of bytes as a GET /orders/{id}/ body.
    head -c "$size" /dev/zero | tr '\0' 'x' >"$dir/root/order.json"
    chmod 644 "$dir/root/order.json"
    cat >"$dir/nginx.conf" <<EOF
worker_processes $(nproc);
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 2048; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 100000000;
    keepalive_timeout 30s;
    client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
    types { application/json json; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $dir/root;
    }
}
EOF
    nginx -c "$dir/nginx.conf" -p "$dir" 2>"$dir/stderr.log" &
    NGINX_PID=$!
    local attempt
    for ((attempt = 0; attempt < 100; attempt++)); do
        curl -sf "http://127.0.0.1:$NGINX_PORT/order.json" -o /dev/null && return 0
        sleep 0.05
    done
    cat "$dir/stderr.log" "$dir/error.log" 2>/dev/null | tail -5
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=''
    say "nginx did not start: no static ceiling"
}

say "micro-order bench, $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "host: $HOST_BIN; broker pid ${BROKER_PID:-unknown}; raw results: $RESULTS"
detect_listener
: >"$RESULTS"

# ---- profile ----------------------------------------------------------------------------------
perf_phase() { # perf_phase NAME COMMAND...: samples the running host while COMMAND runs
    local name=$1
    shift
    # cpu-clock: where CPU time goes (no hardware counters needed); clock_nanosleep: who sleeps
    # instead of working (SQLite's busy handler, the session pool's 1 ms polling).
    perf record -q -e cpu-clock -F 299 -e syscalls:sys_enter_clock_nanosleep --call-graph dwarf,16384 \
        -p "$HOST_PID" -o "$WORK/perf-$name.data" 2>"$WORK/perf-$name.log" &
    PERF_PID=$!
    sleep 0.5
    "$@"
    kill -INT "$PERF_PID"
    wait "$PERF_PID" || true
    PERF_PID=''
}

# report EVENT OPTIONS...: one event's section of `perf report --stdio`, without noise lines.
perf_section() {
    local data=$1 event=$2 lines=$3
    shift 3
    perf report -i "$data" --stdio -g none "$@" 2>/dev/null |
        awk -v ev="'$event'" '/^# Samples: / {on = index($0, ev) > 0; if (on) print; next} on && /%/' |
        grep -v -e 'inlined)' -e '\] 0x0000' -e 'std::_Function' -e '_M_invoke' -e '_M_run' | cut -c1-160 |
        head -"$lines" || true # head closes the pipe early
}

perf_summary() {
    local data=$WORK/perf-$1.data
    say ""
    say "== perf, $1: cpu-clock samples by library (self) =="
    perf_section "$data" cpu-clock 12 --no-children --sort dso
    say "== perf, $1: by function, self =="
    perf_section "$data" cpu-clock 25 --no-children --sort symbol
    say "== perf, $1: by function, with callees =="
    perf_section "$data" cpu-clock 50 --children --sort symbol
    say "== perf, $1: clock_nanosleep calls, by caller =="
    perf_section "$data" syscalls:sys_enter_clock_nanosleep 14 --children --sort symbol
}

if [[ -n $PROFILE ]]; then
    dir=$WORK/round1
    start_host 1 "$dir"
    if [[ $PROFILE == perf ]]; then
        perf_phase e2e e2e 1 "$dir" full --orders "$ORDERS"
        perf_phase get get_order 1 32
        perf_phase post post_order 1 32
        stop_host 1
        start_host 1 "$WORK/alone1" orders-only
        perf_phase post_alone http_scenario 1 post_order_alone "$ORDERS_PORT" 32 -- --method POST --path '/orders/' \
            --body '{"customer": {customer}}' --customer-max "$CUSTOMERS" --host-pid "$HOST_PID"
        stop_host 1
        perf_summary e2e
        perf_summary get
        perf_summary post
        perf_summary post_alone
        say ""
        say "(perf data kept in $BENCH_BUILD/last-run/perf-*.data)"
    else
        callgrind_control -i on "$HOST_PID" >/dev/null
        e2e 1 "$dir" full --orders "$ORDERS"
        callgrind_control -i off "$HOST_PID" >/dev/null
        stop_host 1
        say ""
        say "== callgrind, end to end: instructions by function, self =="
        callgrind_annotate "$dir/callgrind.out" 2>/dev/null | sed -n '/^Ir/,$p' | cut -c1-200 | head -35 || true
        say "== callgrind, end to end: with callees =="
        callgrind_annotate --inclusive=yes "$dir/callgrind.out" 2>/dev/null | sed -n '/^Ir/,$p' | cut -c1-200 |
            head -60 || true # head closes the pipe early
        say "(kept in $BENCH_BUILD/last-run/round1/callgrind.out; callgrind_annotate or kcachegrind)"
    fi
    exit 0
fi

# ---- durability: synchronous FULL against NORMAL, and the disk's fsync ceiling (issue 12) ------
median_of() { # median_of MODE NAME KEY: median of KEY over the RESULT lines of MODE and NAME
    grep "^RESULT .* mode=$1 name=$2 " "$RESULTS" | grep -o " $3=[0-9.e+-]*" | cut -d= -f2 | sort -g |
        awk '{v[NR] = $1} END {if (NR) print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
range_of() { # range_of MODE NAME KEY [DIGITS]: "median [min–max]" of KEY, or "–"
    grep "^RESULT .* mode=$1 name=$2 " "$RESULTS" | grep -o " $3=[0-9.e+-]*" | cut -d= -f2 | sort -g |
        awk -v digits="${4:-0}" '{v[NR] = $1} END {
            if (!NR) { print "–"; exit }
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            f = "%." digits "f"; printf(f " [" f "–" f "]\n", m, v[1], v[NR]) }'
}
value_of() { # value_of ROUND MODE NAME KEY: KEY of that round's line (empty when it has none)
    grep "^RESULT round=$1 mode=$2 name=$3 " "$RESULTS" | grep -o " $4=[0-9.e+-]*" | head -1 | cut -d= -f2 || true
}

durability_table() {
    local syncs_full p50
    say ""
    say "FULL against NORMAL, median [min–max] of $ROUNDS rounds (raw: $RESULTS):"
    say ""
    say "| Measure | synchronous: FULL | synchronous: NORMAL | FULL ÷ NORMAL (paired by round) |"
    say "|---------|-------------------|---------------------|---------------------------------|"
    say "| End to end, orders/s | $(range_of e2e sync_FULL orders_per_s) | $(range_of e2e sync_NORMAL orders_per_s) | $(range_of durability pair full_over_normal 2) |"
    say "| POST /orders/ during it, /s | $(range_of e2e sync_FULL post_rps) | $(range_of e2e sync_NORMAL post_rps) | $(range_of durability pair post_full_over_normal 2) |"
    say "| Host CPU s per 1,000 orders | $(range_of e2e sync_FULL host_cpu_s_per_1000 2) | $(range_of e2e sync_NORMAL host_cpu_s_per_1000 2) | |"
    say "| fsync + fdatasync calls per order (host) | $(range_of syncs sync_FULL syncs_per_order 2) | $(range_of syncs sync_NORMAL syncs_per_order 2) | |"
    say "| Other processes' load, cores | $(range_of e2e sync_FULL other_cores 2) | $(range_of e2e sync_NORMAL other_cores 2) | |"
    if grep -q "mode=e2e name=paced_FULL " "$RESULTS"; then
        local rate
        rate=$(median_of e2e paced_FULL rate | awk '{printf "%.0f", $1}')
        say "| Time to final state at $rate orders/s, p50 ms | $(range_of e2e paced_FULL ttf_p50_ms 1) | $(range_of e2e paced_NORMAL ttf_p50_ms 1) | |"
        say "| Time to final state at $rate orders/s, p99 ms | $(range_of e2e paced_FULL ttf_p99_ms 1) | $(range_of e2e paced_NORMAL ttf_p99_ms 1) | |"
        say "| fsync + fdatasync calls per order at that rate | $(range_of syncs paced_FULL syncs_per_order 2) | $(range_of syncs paced_NORMAL syncs_per_order 2) | |"
    fi
    say ""
    say "Ceiling, same run: one file rewritten in place (as a WAL after a checkpoint), 4 KiB write + fdatasync:"
    say "$(range_of fsync x1 syncs_per_s) syncs/s, p50 $(range_of fsync x1 sync_p50_ms 2) ms, p99 $(range_of fsync x1 sync_p99_ms 2) ms;"
    say "three files at once (three databases): $(range_of fsync x3 syncs_per_s) syncs/s in all; a growing file: $(range_of fsync x1 grow_syncs_per_s) syncs/s."
    syncs_full=$(median_of syncs sync_FULL syncs_per_order)
    p50=$(median_of fsync x1 sync_p50_ms)
    if [[ -n $syncs_full && -n $p50 ]]; then
        say "Disk time per order with FULL: $syncs_full syncs × $p50 ms = $(awk -v n="$syncs_full" -v t="$p50" 'BEGIN {printf "%.2f", n * t}') ms of fdatasync per order, spread over three databases syncing in parallel."
    fi
}

if [[ $ONLY == durability ]]; then
    for round in $(seq "$ROUNDS"); do
        say "round $round: the disk's fsync rate in $WORK"
        drive "$round" 60 fsync --folder "$WORK" --duration-s 2
        drive "$round" 60 fsync --folder "$WORK" --duration-s 2 --threads 3
        # Alternating which setting goes first cancels a machine that speeds up or slows down.
        order=(FULL NORMAL)
        ((round % 2)) || order=(NORMAL FULL)
        for SYNCHRONOUS in "${order[@]}"; do
            dir=$WORK/$SYNCHRONOUS$round
            say "round $round, synchronous: $SYNCHRONOUS: $ORDERS orders from $CONNECTIONS connections"
            start_host "$round" "$dir"
            e2e "$round" "$dir" "sync_$SYNCHRONOUS" --orders "$ORDERS"
            stop_host "$round"
        done
        SYNCHRONOUS=''
        full=$(value_of "$round" e2e sync_FULL orders_per_s)
        normal=$(value_of "$round" e2e sync_NORMAL orders_per_s)
        post_full=$(value_of "$round" e2e sync_FULL post_rps)
        post_normal=$(value_of "$round" e2e sync_NORMAL post_rps)
        if [[ -n $full && -n $normal && -n $post_full && -n $post_normal ]]; then
            printf 'RESULT round=%s mode=durability name=pair ok=1 full_over_normal=%s post_full_over_normal=%s\n' \
                "$round" "$(awk -v a="$full" -v b="$normal" 'BEGIN {printf "%.3f", a / b}')" \
                "$(awk -v a="$post_full" -v b="$post_normal" 'BEGIN {printf "%.3f", a / b}')" >>"$RESULTS"
        fi
    done
    # Latency at the same rate for both: half the median rate FULL reached at full load.
    full_rate=$(median_of e2e sync_FULL orders_per_s)
    if [[ $PACED_SECONDS -gt 0 && -n $full_rate ]]; then
        half_rate=$(awk -v r="$full_rate" -v fixed="$PACED_RATE" 'BEGIN {printf "%d", (fixed > 0 ? fixed : r / 2)}')
        [[ ${half_rate:-0} -gt 0 ]] || fail "no rate to pace at (measured $full_rate/s, --paced-rate $PACED_RATE)"
        for round in $(seq "$ROUNDS"); do
            order=(FULL NORMAL)
            ((round % 2)) || order=(NORMAL FULL)
            for SYNCHRONOUS in "${order[@]}"; do
                dir=$WORK/paced-$SYNCHRONOUS$round
                say "paced round $round, synchronous: $SYNCHRONOUS: $((half_rate * PACED_SECONDS)) orders at $half_rate/s"
                start_host "p$round" "$dir"
                e2e "p$round" "$dir" "paced_$SYNCHRONOUS" --orders $((half_rate * PACED_SECONDS)) --rate "$half_rate"
                stop_host "p$round"
            done
            SYNCHRONOUS=''
        done
    fi
    say ""
    say "Summary: median [min–max] over the runs; load average now $(cut -d' ' -f1-3 /proc/loadavg) (raw: $RESULTS)"
    bench/summarize.sh "$RESULTS"
    durability_table
    exit 0
fi

if [[ $ONLY == postgresql ]]; then
    pg_rounds
    exit 0
fi

# ---- the rounds -------------------------------------------------------------------------------
for round in $(seq "$ROUNDS"); do
    dir=$WORK/round$round
    if [[ $ONLY == http ]]; then
        say "round $round: HTTP only, on $CUSTOMERS customers and $ORDERS orders made through the API"
        start_host "$round" "$dir"
        seed "$round"
    else
        say "round $round: $ORDERS orders from $CONNECTIONS connections"
        start_host "$round" "$dir"
        e2e "$round" "$dir" full --orders "$ORDERS"
    fi
    if wants http; then
        if [[ $round -eq 1 && -z $NGINX_PID ]]; then
            start_nginx "$(curl -s "http://127.0.0.1:$ORDERS_PORT/orders/$((ORDERS / 2))/" | wc -c)"
        fi
        get_order "$round" 32 256
        if [[ $LISTENER == event && $IDLE_CONNECTIONS -gt 0 ]]; then
            get_order_idle "$round" 32
        fi
        http_scenario "$round" list_customers "$CUSTOMERS_PORT" 32 256 -- --path '/customers/?limit=100' --host-pid "$HOST_PID"
        if [[ -n $NGINX_PID ]]; then
            http_scenario "$round" static_nginx "$NGINX_PORT" 32 256 -- --path '/order.json'
        fi
        # Last: every order posted here sets the workflow going behind it.
        post_order "$round" 32 256
    fi
    say "    peak RSS of the host over the round: $(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$HOST_PID/status")"
    printf 'RESULT round=%s mode=round ok=1 round_hwm_mb=%s\n' "$round" \
        "$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$HOST_PID/status")" >>"$RESULTS"
    stop_host "$round" keep-vhost
    # The broker alone, in the same vhost: four persistent messages per order, as the workflow.
    if wants broker; then
        drive "$round" 200 broker --url "amqp://guest:guest@127.0.0.1:5672/$VHOST" --messages $((4 * ORDERS)) \
            --size "$BODY_BYTES" --confirm-batch 256 --prefetch "$CONSUMER_PREFETCH" --broker-pid "${BROKER_PID:-0}"
    fi
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    VHOST=''
    if wants http; then
        # POST /orders/ with only the orders service running: its capacity without the workflow
        # behind it (the orders pile up in orders.create, in a vhost deleted afterwards).
        say "round $round, orders service alone:"
        start_host "$round" "$WORK/alone$round" orders-only
        http_scenario "$round" post_order_alone "$ORDERS_PORT" 32 -- --method POST --path '/orders/' \
            --body '{"customer": {customer}}' --customer-max "$CUSTOMERS" --host-pid "$HOST_PID"
        stop_host "$round"
    fi
done

# ---- time to final state at half the measured rate ---------------------------------------------
if [[ $PACED_SECONDS -gt 0 ]] && wants paced; then
    full_rate=$(median_of e2e full orders_per_s)
    if [[ -n $full_rate ]]; then
        half_rate=$(awk -v r="$full_rate" -v fixed="$PACED_RATE" 'BEGIN {printf "%d", (fixed > 0 ? fixed : r / 2)}')
        [[ ${half_rate:-0} -gt 0 ]] || fail "no rate to pace at (measured $full_rate/s, --paced-rate $PACED_RATE)"
        paced_orders=$((half_rate * PACED_SECONDS))
        for round in $(seq "$ROUNDS"); do
            dir=$WORK/paced$round
            say "paced round $round: $paced_orders orders at $half_rate/s"
            start_host "p$round" "$dir"
            e2e "p$round" "$dir" half_rate --orders "$paced_orders" --rate "$half_rate"
            stop_host "p$round"
        done
    fi
fi

# ---- summary ----------------------------------------------------------------------------------
say ""
say "Summary: median [min–max] over the runs; load average now $(cut -d' ' -f1-3 /proc/loadavg) (raw: $RESULTS)"
bench/summarize.sh "$RESULTS"
