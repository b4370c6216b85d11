#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL cluster of one test run (ctest fixture `postgresql`):
# initdb in a temporary folder, listening on 127.0.0.1:PORT and a socket in that folder, fsync off
# (a crash of the test machine may lose it: nothing in it outlives the run). Never a system service.
#
#   scripts/test-postgresql.sh start FOLDER PORT    a fresh cluster (an old one in FOLDER is removed)
#   scripts/test-postgresql.sh stop FOLDER          stops it and removes FOLDER
#
# initdb refuses to run as root (CI runs as root), so as root the cluster belongs to the
# `postgres` user that Debian's postgresql-common creates (`nobody` when it is missing): a
# dedicated system account that owns nothing else of ours. pg_virtualenv would do the same but
# allows one `15/regress` cluster per machine, and several build folders test at once here.
# Tests connect as the superuser `postgres` with trust authentication, on loopback only.
set -euo pipefail
readonly PG_BIN=${MICRO_ORDER_PG_BIN:-/usr/lib/postgresql/15/bin}
action=${1:-} folder=${2:-}
[[ -n $folder ]] || { echo "usage: $0 start FOLDER PORT | stop FOLDER" >&2; exit 2; }

owner=''
if [[ $EUID -eq 0 ]]; then
    owner=postgres
    getent passwd postgres >/dev/null || owner=nobody
fi
as_owner() {
    if [[ -n $owner ]]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

stop() {
    if [[ -f $folder/data/postmaster.pid ]]; then
        as_owner "$PG_BIN/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
}

case "$action" in
    start)
        port=${3:?port}
        [[ -x $PG_BIN/initdb ]] || { echo "$PG_BIN/initdb is missing: run scripts/setup.sh" >&2; exit 1; }
        stop
        if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
            echo "port 127.0.0.1:$port is taken: another program listens there" >&2
            exit 1
        fi
        mkdir -p "$folder"
        [[ -n $owner ]] && chown "$owner" "$folder"
        as_owner "$PG_BIN/initdb" -D "$folder/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }
        # Enough connections for every test of a -j2 run with its pools; fsync off: throwaway data.
        as_owner "$PG_BIN/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 start -o \
            "-h 127.0.0.1 -p $port -k $folder -c fsync=off -c full_page_writes=off -c synchronous_commit=off \
-c max_connections=300 -c shared_buffers=64MB" >/dev/null ||
            { tail -n 30 "$folder/server.log" >&2; exit 1; }
        ;;
    stop) stop ;;
    *) echo "usage: $0 start FOLDER PORT | stop FOLDER" >&2; exit 2 ;;
esac
