#!/usr/bin/env bash
# The container test (issue 16), as root on a Debian 12 CI machine:
#
#   1. the images: scripts/container-images.sh (base image only when missing, then the .deb and
#      both images), and what the micro-order image promises: non-root, the volume, the
#      HEALTHCHECK, SIGTERM, a config per service, exit 78 for a wrong choice
#   2. compose (packaging/container/compose.yaml under podman-compose): every service ready, the
#      health checks, the docs page reading the services by name, the README's curl workflow up
#      to SHIPPED; SIGTERM drains each host (exit 0, "stopped" logged) within podman's 10 s; the
#      data outlives the container
#   3. the image's default (all services in one host) with the broker URL in a mounted file
#   4. packaging/kubernetes under `podman kube play` (tests/container/kube_for_podman.py says what
#      it changes for podman 4.3): the ConfigMap is the image's config, limits, non-root, read-only
#      root; ready, workflow, docs; SIGTERM drain; `podman kube down`
#
#   scripts/container-test.sh
#
# The steps are in tests/container/. Only loopback ports (free ones, chosen at start) are published; the containers talk over podman
# networks of their own, so the RabbitMQ on 127.0.0.1:5672 is never touched. Every wait is
# bounded. Whatever it made it removes on exit, failed or not; the images stay (they are the
# cache of the next run). Ends with "container-test: N passed, N failed".
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
# shellcheck source=scripts/container-common.sh
source scripts/container-common.sh

readonly IMAGE=localhost/micro-order:latest
readonly COMPOSE_FILE=packaging/container/compose.yaml
readonly KUBE_MANIFESTS=(config secret rabbitmq customers orders shippings docs)
readonly SERVICES=(orders shippings customers docs)
declare -A CONTAINER_PORT=([orders]=8000 [shippings]=8001 [customers]=8002 [docs]=9000)
readonly READY_TIMEOUT_S=120 SHIPPED_TIMEOUT_S=30
readonly ENGINE_STOP_TIMEOUT_S=10 # podman's default between SIGTERM and SIGKILL
readonly PROJECT=mo-test-$$       # compose project: containers, volumes and network carry it
readonly KUBE_NETWORK=mo-test-kube-$$
readonly ALL_IN_ONE=mo-test-all-$$
readonly ONE_SERVICE=mo-test-one-$$

passed=0 failures=()
ok() {
    passed=$((passed + 1))
    echo "ok: $*"
}
fail() {
    echo "FAIL: $*" >&2
    failures+=("$*")
}
fatal() {
    fail "$*"
    exit 1
}
step() { printf '\n== %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

work='' compose_up=false kube_played=false secrets=() volumes=()

cleanup() {
    local status=$?
    trap - EXIT
    if [[ -n ${CONTAINERS_CONF:-} ]]; then
        podman rm -f -v -t 0 "$ALL_IN_ONE" >/dev/null 2>&1
        podman rm -f -v -t 0 "$ONE_SERVICE" >/dev/null 2>&1
        if $compose_up; then
            podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" down -v -t 0 >/dev/null 2>&1
            podman network rm -f "${PROJECT}_default" >/dev/null 2>&1
        fi
        if $kube_played; then
            podman kube down "$work/kube/play.yaml" >/dev/null 2>&1
        fi
        [[ ${#secrets[@]} -gt 0 ]] && podman secret rm "${secrets[@]}" >/dev/null 2>&1
        # Named volumes of compose and kube play, and the anonymous ones of the containers.
        mapfile -t leftover < <(podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null)
        for volume in "${volumes[@]}" "${leftover[@]}"; do
            podman volume rm -f "$volume" >/dev/null 2>&1
        done
        podman network rm -f "$KUBE_NETWORK" >/dev/null 2>&1
    fi
    [[ -n $work ]] && rm -rf "$work"
    printf '\ncontainer-test: %d passed, %d failed\n' "$passed" "${#failures[@]}"
    if [[ ${#failures[@]} -gt 0 ]]; then
        printf '  - %s\n' "${failures[@]}" >&2
        exit 1
    fi
    exit "$status"
}
trap cleanup EXIT

# --- helpers -----------------------------------------------------------------------------------
free_ports() { # free_ports N: N loopback ports nothing listens on now
    python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])' "$1"
}
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1$2"; }
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
elapsed_since() { python3 -c 'import sys, time; print(f"{time.monotonic() - float(sys.argv[1]):.1f}")' "$1"; }
now() { python3 -c 'import time; print(time.monotonic())'; }

# is_ready PORT: /readyz answers 200 {"status":"ready"}: not "degraded", which a host without its
# broker answers (it still takes requests; README "What /readyz says").
is_ready() { [[ $(curl -s --max-time 2 "http://127.0.0.1:$1/readyz") == *'"status":"ready"'* ]]; }

# wait_ready WHAT PORT...: every port's /readyz answers ready within READY_TIMEOUT_S.
wait_ready() {
    local what=$1 began deadline port pending
    shift
    began=$(now) deadline=$((SECONDS + READY_TIMEOUT_S))
    while ((SECONDS < deadline)); do
        pending=()
        for port in "$@"; do
            is_ready "$port" || pending+=("$port")
        done
        if [[ ${#pending[@]} -eq 0 ]]; then
            ok "$what: /readyz ready on every port, $(elapsed_since "$began") s after start"
            return 0
        fi
        sleep 0.5
    done
    fail "$what: /readyz not ready on ${pending[*]} within ${READY_TIMEOUT_S}s"
    return 1
}

# workflow WHAT CUSTOMERS_PORT ORDERS_PORT SHIPPINGS_PORT: the README's curl session, to SHIPPED.
workflow() {
    local what=$1 customers=$2 orders=$3 shippings=$4 customer order id status='' deadline
    customer=$(curl -sf --max-time 5 -X POST "http://127.0.0.1:$customers/customers/" -H 'Content-Type: application/json' \
        -d '{"email": "user@email.com", "address": "Moutain View, 33"}') || {
        fail "$what: POST /customers/ failed"
        return 1
    }
    order=$(curl -sf --max-time 5 -X POST "http://127.0.0.1:$orders/orders/" -H 'Content-Type: application/json' \
        -d "{\"customer\": $(json_field id <<<"$customer")}") || {
        fail "$what: POST /orders/ failed"
        return 1
    }
    id=$(json_field id <<<"$order")
    deadline=$((SECONDS + SHIPPED_TIMEOUT_S))
    while ((SECONDS < deadline)); do
        status=$(curl -sf --max-time 2 "http://127.0.0.1:$orders/orders/$id/" | json_field status 2>/dev/null)
        [[ $status == SHIPPED ]] && break
        sleep 0.2
    done
    if [[ $status != SHIPPED ]]; then
        fail "$what: order $id is '$status', not SHIPPED, after ${SHIPPED_TIMEOUT_S}s"
        return 1
    fi
    if curl -sf --max-time 2 "http://127.0.0.1:$shippings/shippings/?order=$id" | grep -q '"status":"SUCCESS"'; then
        ok "$what: order $id SHIPPED, its shipping SUCCESS"
    else
        fail "$what: order $id SHIPPED but GET /shippings/?order=$id lists no SUCCESS"
    fi
}

# docs_reads_services WHAT PORT: the docs page fetches the three services' documents by name.
docs_reads_services() {
    local what=$1 port=$2 name document
    for name in customers orders shippings; do
        document=$(curl -sf --max-time 5 "http://127.0.0.1:$port/openapi/$name.json")
        if [[ $document == *'"openapi":"3.'* && $document == *"micro-order $name"* ]]; then
            ok "$what: docs serves $name's OpenAPI document, fetched from the $name service"
        else
            fail "$what: docs /openapi/$name.json is not $name's document: ${document:0:160}"
        fi
    done
}

# stopped_cleanly WHAT CONTAINER SECONDS: exit 0 after SIGTERM, the drain logged, within the timeout.
stopped_cleanly() {
    local what=$1 container=$2 took=$3 code logs
    code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
    logs=$(podman logs "$container" 2>&1)
    if [[ $code == 0 && $logs == *'received Terminated'* && $logs == *'stopping: draining'* && $logs == *'[host] stopped'* ]] \
        && awk -v t="$took" -v max="$ENGINE_STOP_TIMEOUT_S" 'BEGIN { exit !(t < max) }'; then
        ok "$what: SIGTERM → drained, exit 0 in ${took} s (< ${ENGINE_STOP_TIMEOUT_S} s)"
    else
        fail "$what: after SIGTERM exit code $code in ${took} s; last log lines: $(tail -n 3 <<<"$logs" | tr '\n' '|')"
    fi
}

# stop_all WHAT NAME... : SIGTERM to each at the same time (podman stop), each timed, then
# stopped_cleanly for each.
stop_all() {
    local what=$1 name state
    shift
    for name in "$@"; do
        state=$(podman inspect --format '{{.State.Status}} {{.State.ExitCode}} {{.State.FinishedAt}}' "$name" 2>&1)
        [[ $state == running* ]] || fail "$what $name: not running before SIGTERM ($state)"
    done
    for name in "$@"; do
        (
            began=$(now)
            podman stop -t "$ENGINE_STOP_TIMEOUT_S" "$name" >/dev/null 2>&1
            elapsed_since "$began" >"$work/stop-$name"
        ) &
    done
    wait
    for name in "$@"; do
        stopped_cleanly "$what $name" "$name" "$(cat "$work/stop-$name")"
    done
}

rss_of() { podman exec "$1" sh -c 'sed -n "s/^VmRSS:[[:space:]]*//p" /proc/1/status' 2>/dev/null; }

# --- 0. Preconditions ---------------------------------------------------------------------------
[[ $EUID -eq 0 ]] || fatal "run as root: it installs packages and runs podman as root"
work=$(mktemp -d /tmp/micro-order-container-test.XXXXXX)
test_began=$SECONDS

# --- 1. Images ------------------------------------------------------------------------------------
step "images (scripts/container-images.sh)"
began=$SECONDS
scripts/container-images.sh || fatal "scripts/container-images.sh failed"
ok "images built in $((SECONDS - began)) s"
container_use_engine_config
# shellcheck source=tests/container/image.sh
source tests/container/image.sh
test_image

# --- 2. Compose -----------------------------------------------------------------------------------
# shellcheck source=tests/container/compose.sh
source tests/container/compose.sh
test_compose
test_one_service
test_all_in_one
compose_down

# --- 3. Kubernetes manifests under podman kube play ----------------------------------------------
# shellcheck source=tests/container/kube.sh
source tests/container/kube.sh
test_kube

echo
echo "container test took $((SECONDS - test_began)) s"
