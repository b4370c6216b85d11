# shellcheck shell=bash disable=SC2034,SC2153 # run.sh's variables (HOST_BIN, ORDERS, HOST_PID...)
# bench/run.sh --only postgresql (issue 13), sourced by run.sh: end to end on PostgreSQL next to
# SQLite and next to pgbench's simple-update rate, one host against two, in the same run.
#
# The database is a private cluster of this run (initdb/pg_ctl from PG_BIN in the run's folder,
# loopback only, stopped at the end): DURABLE, unlike the tests' throwaway cluster. fsync,
# synchronous_commit and full_page_writes are on (PostgreSQL's defaults, checked and reported),
# so a commit costs a WAL flush as SQLite's synchronous FULL costs an fdatasync.
#
# Each round, in this order (alternating the end-to-end runs' order between rounds cancels a
# machine that speeds up or slows down):
#   1. pgbench -N (simple-update: per transaction one UPDATE, one SELECT, one INSERT, one commit)
#      for --pg-seconds at 16 clients on its own database: the server's ceiling of durable commits
#      on this machine with this configuration;
#   2. end to end on SQLite (the shipped all-in-one config, one host);
#   3. end to end on PostgreSQL, one all-in-one host (every service's database on the server);
#   4. the same with two all-in-one hosts side by side (each serving every service, ports +10):
#      the POSTs spread over both (connection k to host k mod 2), both consume every queue
#      (competing consumers), one relays each outbox (the relay lease).
# Per-order time to final state there is the hosts' own histogram
# (micro_order_workflow_age_seconds{queue="shippings.update"}, summed over the hosts): the SQLite
# timeline's FIFO pairing of orders with inbox rows does not hold with competing consumers.
# Then once each, paced at half the median rate of PostgreSQL with one host (--paced-seconds,
# --paced-rate), for a time to final state below capacity.
# After each PostgreSQL run the server is asked what the driver cannot see: every order final,
# CANCELLED = orders for unknown customers, every outbox empty, and its commits per order
# (pg_stat_database.xact_commit over the three databases).

readonly PG_BIN=${MICRO_ORDER_PG_BIN:-/usr/lib/postgresql/15/bin}
readonly PG_PORT=$((PORT_BASE + 90))
PG_DIR='' PG_PID='' PG_OWNER='' HOST_PIDS=()

pg_as_owner() { # initdb refuses root: as root, the cluster belongs to `postgres` (or nobody)
    if [[ -n $PG_OWNER ]]; then runuser -u "$PG_OWNER" -- "$@"; else "$@"; fi
}
pg_sql() { # pg_sql DATABASE SQL: one value per line, unaligned
    "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -c "$2"
}

pg_start() {
    [[ -x $PG_BIN/initdb && -x $PG_BIN/pgbench ]] || fail "$PG_BIN/initdb or pgbench is missing (postgresql-15; scripts/setup.sh)"
    if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PG_PORT" 2>/dev/null; then
        fail "127.0.0.1:$PG_PORT is taken (BENCH_PORT_BASE + 90)"
    fi
    PG_DIR=$WORK/postgresql
    mkdir -p "$PG_DIR"
    if [[ $EUID -eq 0 ]]; then
        PG_OWNER=postgres
        getent passwd postgres >/dev/null || PG_OWNER=nobody
        chown "$PG_OWNER" "$PG_DIR"
    fi
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$PG_DIR/initdb.log" 2>&1 || { tail -20 "$PG_DIR/initdb.log"; fail "initdb failed"; }
    # Durable (the defaults, stated): nothing of the tests' fsync=off. Room for two hosts' pools
    # (3 databases × pool_size 8 × 2, plus relay leases) and pgbench's clients.
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start -o \
        "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=on -c synchronous_commit=on -c full_page_writes=on \
-c max_connections=200 -c shared_buffers=256MB -c max_wal_size=4GB${PG_STATEMENTS:+ -c shared_preload_libraries=pg_stat_statements \
-c pg_stat_statements.track=all}" >/dev/null ||
        { tail -20 "$PG_DIR/server.log"; fail "PostgreSQL did not start"; }
    PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
    local settings
    settings=$(pg_sql postgres "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
        WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers')")
    say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (pid $PG_PID): $settings"
    [[ $settings == *fsync=on*full_page_writes=on*synchronous_commit=on* ]] || fail "the bench's cluster is not durable: $settings"
    printf 'RESULT round=0 mode=pg_settings ok=1 %s\n' "$settings" >>"$RESULTS"
    [[ -z $PG_STATEMENTS ]] || pg_sql postgres "CREATE EXTENSION pg_stat_statements" >/dev/null
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pgbench
    "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -q -s 10 pgbench >"$PG_DIR/pgbench-init.log" 2>&1 ||
        { tail -5 "$PG_DIR/pgbench-init.log"; fail "pgbench -i failed"; }
}

pg_stop() {
    [[ -n $PG_DIR && -f $PG_DIR/data/postmaster.pid ]] || return 0
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    PG_PID=''
}

# pgbench's simple-update rate: the ceiling of durable, one-row-update transactions here.
pg_ceiling() { # pg_ceiling ROUND
    local out tps
    out=$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -N -c 16 -j 2 -T "$PG_SECONDS" pgbench 2>&1) ||
        { say "    pgbench failed: $(tail -3 <<<"$out")"; return 0; }
    tps=$(grep -o 'tps = [0-9.]*' <<<"$out" | head -1 | cut -d' ' -f3)
    local latency
    latency=$(grep -o 'latency average = [0-9.]*' <<<"$out" | cut -d' ' -f4)
    say "    pgbench -N, 16 clients, ${PG_SECONDS} s: $tps transactions/s, latency average $latency ms"
    printf 'RESULT round=%s mode=pgbench name=simple_update ok=1 clients=16 tps=%s latency_ms=%s\n' "$1" "$tps" "$latency" >>"$RESULTS"
}

# The all-in-one config on PostgreSQL: every database a fresh database on the bench's server;
# host INDEX (0, 1) listens on the bench's ports + 10 × INDEX.
pg_write_config() { # pg_write_config DIR ROUND INDEX
    local dir=$1 round=$2 index=$3 offset=$((10 * $3))
    write_config "$dir"
    local name
    for name in customers orders shippings; do
        grep -q "^    path: $dir/var/$name.sqlite3\$" "$dir/micro-order.yaml" ||
            fail "etc/micro-order.yaml changed shape: no database $name to move to PostgreSQL"
    done
    # The databases' lines (connector, path, SQLite's own keys) become the server's.
    sed -i -e "s#^    connector: sqlite\$#    connector: postgresql#" \
        -e "s#^    path: $dir/var/\([a-z]*\)\.sqlite3\$#    url: postgresql://postgres@127.0.0.1:$PG_PORT/r${round}_\1#" \
        -e '/^    busy_timeout_ms: /d' -e '/^    synchronous: /d' \
        -e "s#listen: 127.0.0.1:$ORDERS_PORT\$#listen: 127.0.0.1:$((ORDERS_PORT + offset))#" \
        -e "s#listen: 127.0.0.1:$SHIPPINGS_PORT\$#listen: 127.0.0.1:$((SHIPPINGS_PORT + offset))#" \
        -e "s#listen: 127.0.0.1:$CUSTOMERS_PORT\$#listen: 127.0.0.1:$((CUSTOMERS_PORT + offset))#" \
        -e "s#listen: 127.0.0.1:9000\$#listen: 127.0.0.1:$((PORT_BASE + 20 + offset))#" "$dir/micro-order.yaml"
    [[ $(grep -c "^    connector: postgresql\$" "$dir/micro-order.yaml") -eq 3 ]] ||
        fail "etc/micro-order.yaml changed shape: could not set connector: postgresql on its three databases"
}

pg_fresh_databases() { # pg_fresh_databases ROUND
    local name
    for name in customers orders shippings; do
        "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres --if-exists "r$1_$name" 2>/dev/null
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "r$1_$name"
    done
}

pg_commits() { # pg_commits ROUND: committed transactions of the round's three databases so far
    pg_sql postgres "SELECT COALESCE(sum(xact_commit), 0) FROM pg_stat_database WHERE datname LIKE 'r$1\\_%'"
}

# Starts COUNT all-in-one hosts on the round's databases and one fresh vhost; sets
# HOST_PIDS (and HOST_PID, the first, which run.sh's clean-up also knows).
pg_start_hosts() { # pg_start_hosts ROUND DIR COUNT
    local round=$1 dir=$2 count=$3 index since
    VHOST=micro-order-bench-$$-$round
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "$VHOST" >/dev/null
    rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
    HOST_PIDS=()
    for ((index = 0; index < count; index++)); do
        mkdir -p "$dir/host$index/var"
        pg_write_config "$dir/host$index" "$round" "$index"
        since=$(date +%s%N)
        MICRO_ORDER_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/$VHOST \
            "$HOST_BIN" --config "$dir/host$index/micro-order.yaml" 2>"$dir/host$index/host.log" &
        HOST_PIDS+=($!)
        HOST_PID=${HOST_PIDS[0]}
        local offset=$((10 * index))
        drive "$round" 120 wait-ready --name "postgresql_host$index" --since-ns "$since" --log "$dir/host$index/host.log" \
            --host-pid "$!" --ports "$((ORDERS_PORT + offset)),$((SHIPPINGS_PORT + offset)),$((CUSTOMERS_PORT + offset))" \
            --timeout-s 110
        kill -0 "$!" 2>/dev/null || { tail -20 "$dir/host$index/host.log"; fail "host $index did not start"; }
    done
}

pg_stop_hosts() { # pg_stop_hosts ROUND
    local pid status
    for pid in "${HOST_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${HOST_PIDS[@]}"; do
        status=0
        wait "$pid" || status=$?
        [[ $status -eq 0 ]] || say "    host $pid exited with status $status"
    done
    HOST_PIDS=() HOST_PID=''
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    VHOST=''
}

# One end-to-end run on PostgreSQL with COUNT hosts, then the server's own account of it.
pg_e2e() { # pg_e2e ROUND DIR NAME COUNT [driver options]
    local round=$1 dir=$2 name=$3 count=$4 urls='' pids index commits0 commits1
    shift 4
    pg_fresh_databases "$round"
    commits0=$(pg_commits "$round")
    pg_start_hosts "$round" "$dir" "$count"
    [[ -z $PG_STATEMENTS ]] || pg_sql postgres "SELECT pg_stat_statements_reset()" >/dev/null
    for ((index = 0; index < count; index++)); do
        urls+=${urls:+,}http://127.0.0.1:$((ORDERS_PORT + 10 * index))
    done
    pids=$(IFS=,; echo "${HOST_PIDS[*]}")
    drive "$round" 300 e2e --name "$name" --orders-url "$urls" --customers-url "http://127.0.0.1:$CUSTOMERS_PORT" \
        --customers "$CUSTOMERS" --connections "$CONNECTIONS" --unknown-fraction "$UNKNOWN_FRACTION" --timeout-s 240 \
        --host-pid "$pids" --broker-pid "${BROKER_PID:-0}" --database-pid "$PG_PID" "$@"
    # What only the server knows: counts, empty outboxes, commits per order.
    local line orders unknown processing shipped cancelled outbox ok=1
    line=$(grep "^RESULT round=$round mode=e2e name=$name " "$RESULTS" | tail -1)
    orders=$(grep -o ' orders=[0-9]*' <<<"$line" | cut -d= -f2)
    unknown=$(grep -o ' unknown=[0-9]*' <<<"$line" | cut -d= -f2)
    processing=$(pg_sql "r${round}_orders" "SELECT count(*) FROM orders_order WHERE status = 0")
    shipped=$(pg_sql "r${round}_orders" "SELECT count(*) FROM orders_order WHERE status = 1")
    cancelled=$(pg_sql "r${round}_orders" "SELECT count(*) FROM orders_order WHERE status = 2")
    outbox=0
    for index in customers orders shippings; do
        outbox=$((outbox + $(pg_sql "r${round}_$index" "SELECT count(*) FROM micro_order_outbox")))
    done
    [[ $processing -eq 0 && $((shipped + cancelled)) -eq ${orders:-0} && $cancelled -eq ${unknown:-0} && $outbox -eq 0 ]] || ok=0
    # A backend reports its commits to pg_stat_database when idle, at most once a second (up to
    # 10 s late under load), and always as it exits: counted once the hosts have stopped. Less
    # the customers' POSTs (one commit each) and the hosts' start-up (migrations, a few dozen).
    pg_stop_hosts "$round"
    commits1=$(($(pg_commits "$round") - CUSTOMERS))
    [[ -z $PG_STATEMENTS ]] || pg_statements "${orders:-0}"
    say "    server: shipped $shipped, cancelled $cancelled (expected ${unknown:-?}), processing $processing, outbox rows left $outbox;" \
        "$((commits1 - commits0)) commits = $(awk -v c=$((commits1 - commits0)) -v o="${orders:-0}" 'BEGIN {printf "%.2f", o ? c / o : 0}') per order"
    printf 'RESULT round=%s mode=pg_check name=%s ok=%s shipped=%s cancelled=%s processing=%s outbox_left=%s commits_per_order=%s\n' \
        "$round" "$name" "$ok" "$shipped" "$cancelled" "$processing" "$outbox" \
        "$(awk -v c=$((commits1 - commits0)) -v o="${orders:-0}" 'BEGIN {printf "%.3f", o ? c / o : 0}')" >>"$RESULTS"
}

# --pg-statements: where the server's time went, by statement (pg_stat_statements, since the
# hosts started: the customers' POSTs and start-up included).
pg_statements() { # pg_statements ORDERS
    say "    statements by total time (calls per order, mean µs, share of the server's statement time):"
    pg_sql postgres "SELECT to_char(calls::float8 / $1, '990.99') || ' ' || to_char(mean_exec_time * 1000, '999990') || ' µs '
        || to_char(100 * total_exec_time / sum(total_exec_time) OVER (), '990') || '%  ' || left(regexp_replace(query, '\s+', ' ', 'g'), 110)
        FROM pg_stat_statements WHERE calls > $1 / 100 ORDER BY total_exec_time DESC LIMIT 15" | sed 's/^/      /'
    say "    statements per order: $(pg_sql postgres "SELECT to_char(sum(calls)::float8 / $1, '990.9') FROM pg_stat_statements")"
}

pg_table() {
    local sqlite pg1 pg2 tps
    sqlite=$(median_of e2e sqlite orders_per_s)
    pg1=$(median_of e2e pg_1host orders_per_s)
    pg2=$(median_of e2e pg_2hosts orders_per_s)
    tps=$(median_of pgbench simple_update tps)
    say ""
    say "Median [min–max] of $ROUNDS rounds (raw: $RESULTS):"
    say ""
    say "| Measure | SQLite, 1 host | PostgreSQL, 1 host | PostgreSQL, 2 hosts |"
    say "|---------|----------------|--------------------|---------------------|"
    say "| End to end, orders/s | $(range_of e2e sqlite orders_per_s) | $(range_of e2e pg_1host orders_per_s) | $(range_of e2e pg_2hosts orders_per_s) |"
    say "| POST /orders/ during it, /s | $(range_of e2e sqlite post_rps) | $(range_of e2e pg_1host post_rps) | $(range_of e2e pg_2hosts post_rps) |"
    say "| Host CPU s per 1,000 orders (all hosts) | $(range_of e2e sqlite host_cpu_s_per_1000 2) | $(range_of e2e pg_1host host_cpu_s_per_1000 2) | $(range_of e2e pg_2hosts host_cpu_s_per_1000 2) |"
    say "| Broker CPU s per 1,000 orders | $(range_of e2e sqlite broker_cpu_s_per_1000 2) | $(range_of e2e pg_1host broker_cpu_s_per_1000 2) | $(range_of e2e pg_2hosts broker_cpu_s_per_1000 2) |"
    say "| PostgreSQL CPU s per 1,000 orders | – | $(range_of e2e pg_1host database_cpu_s_per_1000 2) | $(range_of e2e pg_2hosts database_cpu_s_per_1000 2) |"
    say "| PostgreSQL commits per order | – | $(range_of pg_check pg_1host commits_per_order 2) | $(range_of pg_check pg_2hosts commits_per_order 2) |"
    if grep -q "mode=e2e name=paced_pg_1host " "$RESULTS"; then
        local paced
        paced=$(median_of e2e paced_pg_1host rate | awk '{printf "%.0f", $1}')
        say "| Time to final state at $paced orders/s (hosts' histogram), p50 / p99 ms ≤ | $(range_of e2e paced_sqlite hist_p50_ms 1) / $(range_of e2e paced_sqlite hist_p99_ms 1) | $(range_of e2e paced_pg_1host hist_p50_ms 1) / $(range_of e2e paced_pg_1host hist_p99_ms 1) | $(range_of e2e paced_pg_2hosts hist_p50_ms 1) / $(range_of e2e paced_pg_2hosts hist_p99_ms 1) |"
        say "| Host + broker + PostgreSQL CPU ms per order at that rate | $(range_of e2e paced_sqlite host_cpu_s_per_1000 2) + $(range_of e2e paced_sqlite broker_cpu_s_per_1000 2) | $(range_of e2e paced_pg_1host host_cpu_s_per_1000 2) + $(range_of e2e paced_pg_1host broker_cpu_s_per_1000 2) + $(range_of e2e paced_pg_1host database_cpu_s_per_1000 2) | $(range_of e2e paced_pg_2hosts host_cpu_s_per_1000 2) + $(range_of e2e paced_pg_2hosts broker_cpu_s_per_1000 2) + $(range_of e2e paced_pg_2hosts database_cpu_s_per_1000 2) |"
    fi
    say "| Other processes' load, cores | $(range_of e2e sqlite other_cores 2) | $(range_of e2e pg_1host other_cores 2) | $(range_of e2e pg_2hosts other_cores 2) |"
    say ""
    say "Ceiling, same run: pgbench -N (simple-update, 16 clients): $(range_of pgbench simple_update tps) transactions/s."
    if [[ -n $tps && -n $pg1 && -n $pg2 && -n $sqlite ]]; then
        say "PostgreSQL ÷ SQLite: 1 host $(awk -v a="$pg1" -v b="$sqlite" 'BEGIN {printf "%.2f", a / b}'), 2 hosts $(awk -v a="$pg2" -v b="$sqlite" 'BEGIN {printf "%.2f", a / b}');" \
            "orders/s ÷ pgbench tps: 1 host $(awk -v a="$pg1" -v b="$tps" 'BEGIN {printf "%.2f", a / b}'), 2 hosts $(awk -v a="$pg2" -v b="$tps" 'BEGIN {printf "%.2f", a / b}')."
    fi
    say "Checks failed (RESULT lines with ok=0): $(grep -c ' ok=0' "$RESULTS" || true)"
}

pg_rounds() {
    pg_start
    local round kinds kind
    for round in $(seq "$ROUNDS"); do
        say "round $round: pgbench's ceiling"
        pg_ceiling "$round"
        kinds=(sqlite pg_1host pg_2hosts)
        ((round % 2)) || kinds=(pg_2hosts pg_1host sqlite)
        for kind in "${kinds[@]}"; do
            say "round $round, $kind: $ORDERS orders from $CONNECTIONS connections"
            case $kind in
                sqlite)
                    start_host "$round" "$WORK/sqlite$round"
                    e2e "$round" "$WORK/sqlite$round" sqlite --orders "$ORDERS"
                    stop_host "$round"
                    ;;
                pg_1host) pg_e2e "$round" "$WORK/pg1-$round" pg_1host 1 --orders "$ORDERS" ;;
                pg_2hosts) pg_e2e "$round" "$WORK/pg2-$round" pg_2hosts 2 --orders "$ORDERS" ;;
            esac
        done
    done
    # Time to final state means something below capacity only (at full rate it is the queues'
    # backlog): once more each, paced at half PostgreSQL's median rate with one host.
    local rate
    rate=$(median_of e2e pg_1host orders_per_s | awk -v fixed="$PACED_RATE" '{printf "%d", (fixed > 0 ? fixed : $1 / 2)}')
    if [[ $PACED_SECONDS -gt 0 && ${rate:-0} -gt 0 ]]; then
        for kind in sqlite pg_1host pg_2hosts; do
            say "paced, $kind: $((rate * PACED_SECONDS)) orders at $rate/s"
            case $kind in
                sqlite)
                    start_host p "$WORK/paced-sqlite"
                    e2e p "$WORK/paced-sqlite" paced_sqlite --orders $((rate * PACED_SECONDS)) --rate "$rate"
                    stop_host p
                    ;;
                pg_1host) pg_e2e p "$WORK/paced-pg1" paced_pg_1host 1 --orders $((rate * PACED_SECONDS)) --rate "$rate" ;;
                pg_2hosts) pg_e2e p "$WORK/paced-pg2" paced_pg_2hosts 2 --orders $((rate * PACED_SECONDS)) --rate "$rate" ;;
            esac
        done
    fi
    say ""
    say "Summary: load average now $(cut -d' ' -f1-3 /proc/loadavg)"
    bench/summarize.sh "$RESULTS"
    pg_table
    pg_stop
}
