# The container test's compose steps (sourced by scripts/container-test.sh): the compose file as
# shipped, on free loopback ports, and the image's default (every service in one host).
# shellcheck shell=bash disable=SC2034,SC2153,SC2154  # globals shared with scripts/container-test.sh

declare -A COMPOSE_PORT=()

compose() { podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@"; }

test_compose() {
    step "compose: packaging/container/compose.yaml (project $PROJECT)"
    local ports service
    read -r -a ports < <(free_ports 4)
    for service in "${SERVICES[@]}"; do
        COMPOSE_PORT[$service]=${ports[0]}
        ports=("${ports[@]:1}")
    done
    export MICRO_ORDER_ORDERS_PORT=${COMPOSE_PORT[orders]} MICRO_ORDER_SHIPPINGS_PORT=${COMPOSE_PORT[shippings]}
    export MICRO_ORDER_CUSTOMERS_PORT=${COMPOSE_PORT[customers]} MICRO_ORDER_DOCS_PORT=${COMPOSE_PORT[docs]}
    export MICRO_ORDER_PUBLISH_ADDRESS=127.0.0.1

    local began
    began=$(now)
    compose_up=true
    if ! compose up -d >"$work/compose-up.log" 2>&1; then
        tail -n 20 "$work/compose-up.log" >&2
        fatal "podman-compose up failed (project $PROJECT)"
    fi
    ok "podman-compose up -d returned after $(elapsed_since "$began") s"
    if wait_ready "compose" "${COMPOSE_PORT[@]}"; then
        printf 'note: compose stack, podman-compose up to every /readyz ready: %s s\n' "$(elapsed_since "$began")"
    else
        show_compose_logs
    fi

    # Every published port on loopback only.
    local published
    published=$(podman ps --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Ports}}' | tr ',' '\n' | grep -o '[0-9.]*:[0-9]*->' | sort -u)
    if [[ -n $published ]] && ! grep -qv '^127\.0\.0\.1:' <<<"$published"; then
        ok "published on 127.0.0.1 only: $(tr '\n' ' ' <<<"$published")"
    else
        fail "published ports: $(tr '\n' ' ' <<<"$published")"
    fi

    local name
    for service in rabbitmq "${SERVICES[@]}"; do
        name=${PROJECT}_${service}_1
        if podman healthcheck run "$name" >/dev/null 2>&1; then
            ok "HEALTHCHECK of $service: healthy"
        else
            fail "HEALTHCHECK of $service: $(podman healthcheck run "$name" 2>&1 | tail -n 1)"
        fi
    done
    docs_reads_services compose "${COMPOSE_PORT[docs]}"
    workflow compose "${COMPOSE_PORT[customers]}" "${COMPOSE_PORT[orders]}" "${COMPOSE_PORT[shippings]}" || show_compose_logs
    for service in "${SERVICES[@]}"; do
        printf 'note: %s host resident %s\n' "$service" "$(rss_of "${PROJECT}_${service}_1")"
    done

    step "compose: SIGTERM"
    local hosts=()
    for service in "${SERVICES[@]}"; do
        hosts+=("${PROJECT}_${service}_1")
    done
    stop_all compose "${hosts[@]}"

    # The orders database is on its volume: a new start still has the order.
    podman start "${PROJECT}_orders_1" >/dev/null 2>&1
    local deadline=$((SECONDS + 30)) status=''
    while ((SECONDS < deadline)); do
        status=$(curl -sf --max-time 2 "http://127.0.0.1:${COMPOSE_PORT[orders]}/orders/1/" | json_field status 2>/dev/null)
        [[ -n $status ]] && break
        sleep 0.2
    done
    check "the orders container, started again, still has order 1 SHIPPED (its volume): '$status'" [ "$status" = SHIPPED ]
    podman stop -t "$ENGINE_STOP_TIMEOUT_S" "${PROJECT}_orders_1" >/dev/null 2>&1
}

show_compose_logs() {
    local service
    for service in rabbitmq "${SERVICES[@]}"; do
        printf -- '--- %s ---\n' "$service" >&2
        podman logs --tail 15 "${PROJECT}_${service}_1" 2>&1 | grep -v '^time=' >&2
    done
}

# add_vhost NAME: a vhost of its own on compose's RabbitMQ, for the micro-order user.
add_vhost() {
    local vhost=$1 rabbitmq=${PROJECT}_rabbitmq_1
    if ! podman exec "$rabbitmq" rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1 \
        || ! podman exec "$rabbitmq" rabbitmqctl -q set_permissions -p "$vhost" micro-order '.*' '.*' '.*' >/dev/null 2>&1; then
        fail "rabbitmqctl add_vhost $vhost in $rabbitmq failed"
    fi
}

# One service in one container, the broker already up: the time from `podman run` to /readyz 200,
# then its drain on SIGTERM.
test_one_service() {
    step "one service container: podman run to ready, SIGTERM"
    local port vhost=one-service began
    read -r port < <(free_ports 1)
    add_vhost "$vhost"
    volumes+=("$ONE_SERVICE-data")
    began=$(now)
    if ! podman run -d --name "$ONE_SERVICE" --network "${PROJECT}_default" \
        -e MICRO_ORDER_AMQP_URL="amqp://micro-order:micro-order@rabbitmq:5672/$vhost" \
        -v "$ONE_SERVICE-data:/var/lib/micro-order" -p "127.0.0.1:$port:8000" \
        "$IMAGE" orders >"$work/one-service.log" 2>&1; then
        fail "podman run $IMAGE orders: $(grep -v '^time=' "$work/one-service.log" | tail -n 3)"
        return
    fi
    if wait_ready "one service (orders)" "$port"; then
        printf 'note: one service container (orders), podman run to /readyz ready: %s s; the host'"'"'s own count: %s\n' \
            "$(elapsed_since "$began")" "$(podman logs "$ONE_SERVICE" 2>&1 | grep -o 'consumers in [0-9]* ms' | tail -n 1)"
    fi
    stop_all "one service" "$ONE_SERVICE"
    podman rm -f -v "$ONE_SERVICE" >/dev/null 2>&1
}

# The image's default, everything in one host, on compose's network with a vhost of its own on
# compose's RabbitMQ, the broker URL in a mounted file.
test_all_in_one() {
    step "the image's default: all services in one host, MICRO_ORDER_AMQP_URL_FILE"
    local ports vhost=all-in-one
    read -r -a ports < <(free_ports 4)
    add_vhost "$vhost"
    printf 'amqp://micro-order:micro-order@rabbitmq:5672/%s\n' "$vhost" >"$work/amqp-url"
    chmod 0644 "$work/amqp-url"

    local began
    began=$(now)
    volumes+=("$ALL_IN_ONE-data")
    if ! podman run -d --name "$ALL_IN_ONE" --network "${PROJECT}_default" \
        -v "$work/amqp-url:/run/secrets/amqp-url:ro" -e MICRO_ORDER_AMQP_URL_FILE=/run/secrets/amqp-url \
        -v "$ALL_IN_ONE-data:/var/lib/micro-order" \
        -p "127.0.0.1:${ports[0]}:8000" -p "127.0.0.1:${ports[1]}:8001" \
        -p "127.0.0.1:${ports[2]}:8002" -p "127.0.0.1:${ports[3]}:9000" \
        "$IMAGE" >"$work/all-in-one.log" 2>&1; then
        fail "podman run $IMAGE (all in one): $(grep -v '^time=' "$work/all-in-one.log" | tail -n 3)"
        return
    fi
    if wait_ready "all in one" "${ports[@]}"; then
        ok "start to ready, one container with the broker up: $(elapsed_since "$began") s; the host's own count: $(podman logs "$ALL_IN_ONE" 2>&1 | grep -o 'consumers in [0-9]* ms' | tail -n 1)"
    fi
    workflow "all in one" "${ports[2]}" "${ports[0]}" "${ports[1]}"
    printf 'note: all-in-one host resident %s\n' "$(rss_of "$ALL_IN_ONE")"
    stop_all "all in one" "$ALL_IN_ONE"
    podman rm -f -v "$ALL_IN_ONE" >/dev/null 2>&1
}

compose_down() {
    step "compose: down"
    # podman-compose 1.0.3 removes the named volumes; anonymous ones (none expected) go in cleanup.
    local container
    for container in $(podman ps -a -q --filter "label=io.podman.compose.project=$PROJECT"); do
        read -r -a anonymous < <(podman inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' "$container")
        volumes+=("${anonymous[@]}")
    done
    if compose down -v -t 15 >"$work/compose-down.log" 2>&1; then
        ok "podman-compose down -v"
    else
        fail "podman-compose down -v: $(tail -n 3 "$work/compose-down.log")"
    fi
    local left
    left=$(podman ps -a -q --filter "label=io.podman.compose.project=$PROJECT")
    check "no container of $PROJECT left" [ -z "$left" ]
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1
    compose_up=false
}
