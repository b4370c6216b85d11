# The container test's Kubernetes step (sourced by scripts/container-test.sh): the manifests of
# packaging/kubernetes under `podman kube play`, with the changes podman 4.3 needs
# (tests/container/kube_for_podman.py says which and why).
# shellcheck shell=bash disable=SC2034,SC2153,SC2154  # globals shared with scripts/container-test.sh

declare -A KUBE_PORT=()

test_kube() {
    step "Kubernetes: packaging/kubernetes under podman kube play"
    local dir=$work/kube manifests=() name ports service
    mkdir -p "$dir"
    for name in "${KUBE_MANIFESTS[@]}"; do
        manifests+=("packaging/kubernetes/$name.yaml")
    done
    read -r -a ports < <(free_ports 4)
    for service in "${SERVICES[@]}"; do
        KUBE_PORT[$service]=${ports[0]}
        ports=("${ports[@]:1}")
    done

    check_config_map_is_the_images "${manifests[0]}"

    local services
    services=$(python3 tests/container/kube_for_podman.py "$dir" "${manifests[@]}" \
        --port "orders=${KUBE_PORT[orders]}" --port "shippings=${KUBE_PORT[shippings]}" \
        --port "customers=${KUBE_PORT[customers]}" --port "docs=${KUBE_PORT[docs]}") \
        || fatal "tests/container/kube_for_podman.py failed"

    # What kube play will make, by name: refuse to touch any of it that exists already.
    local made deployment
    mapfile -t made < <(python3 -c '
import sys, yaml
for path in sys.argv[1:]:
    for d in yaml.safe_load_all(open(path)):
        if d and d["kind"] in ("PersistentVolumeClaim", "ConfigMap", "Secret"):
            print(d["metadata"]["name"])' "${manifests[@]}")
    for name in "${made[@]}"; do
        ! podman volume exists "$name" || fatal "a podman volume $name exists already; remove it (podman volume rm $name) to run this test"
    done
    while read -r service deployment; do
        ! podman pod exists "$deployment-pod-0" || fatal "a pod $deployment-pod-0 exists already; remove it to run this test"
    done <<<"$services"

    podman network create "$KUBE_NETWORK" >/dev/null || fatal "podman network create $KUBE_NETWORK failed"
    local file
    for file in "$dir"/secret-*.yaml; do
        name=${file##*/secret-} name=${name%.yaml}
        podman secret create "$name" "$file" >/dev/null || fatal "podman secret create $name failed"
        secrets+=("$name")
    done

    # Created, named, then started: kube play makes no Services, so each pod answers to its
    # Service's name on the network instead (a network alias), given before any host connects.
    kube_played=true
    volumes+=("${made[@]}")
    if ! podman kube play --start=false --network "$KUBE_NETWORK" "$dir/play.yaml" >"$dir/play.log" 2>&1; then
        grep -v '^time=' "$dir/play.log" | tail -n 10 >&2
        fatal "podman kube play failed"
    fi
    local infra pods=()
    while read -r service deployment; do
        pods+=("$deployment-pod-0")
        if ! infra=$(podman pod inspect --format '{{.InfraContainerID}}' "$deployment-pod-0") \
            || ! podman network disconnect "$KUBE_NETWORK" "$infra" >/dev/null \
            || ! podman network connect --alias "$service" "$KUBE_NETWORK" "$infra" >/dev/null; then
            fail "could not give pod $deployment-pod-0 the name $service"
        fi
    done <<<"$services"
    podman pod start "${pods[@]}" >"$dir/start.log" 2>&1 || fatal "podman pod start: $(grep -v '^time=' "$dir/start.log" | tail -n 3)"
    ok "podman kube play: ${pods[*]} started"

    wait_ready "kube" "${KUBE_PORT[@]}" || show_kube_logs
    docs_reads_services kube "${KUBE_PORT[docs]}"
    workflow kube "${KUBE_PORT[customers]}" "${KUBE_PORT[orders]}" "${KUBE_PORT[shippings]}" || show_kube_logs

    local pod=orders-pod-0-orders memory read_only uid
    memory=$(podman inspect --format '{{.HostConfig.Memory}}' "$pod")
    check "the orders pod's memory limit is the manifest's 256Mi ($memory bytes)" [ "$memory" = 268435456 ]
    read_only=$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$pod")
    check "its root file system is read-only ($read_only)" [ "$read_only" = true ]
    uid=$(podman exec "$pod" id -u 2>/dev/null)
    check "it runs as uid 10001 ($uid)" [ "$uid" = 10001 ]
    # The broker URL came from the Secret's file, which the host itself read (url_file): the
    # image's own file names 127.0.0.1, where no broker is, and no variable overrides it.
    local secret environment
    secret=$(podman exec "$pod" stat -c '%U:%G %a' /etc/micro-order/credentials/amqp-url 2>/dev/null)
    environment=$(podman exec "$pod" sh -c 'tr "\0" "\n" </proc/1/environ' 2>/dev/null)
    if [[ $secret == 'root:micro-order 440' && $environment != *MICRO_ORDER_AMQP_URL* ]]; then
        ok "the broker URL is the Secret's file (root:micro-order 0440), read by the host, no variable"
    else
        fail "the broker URL file is '$secret'; the host's environment: $(grep AMQP <<<"$environment")"
    fi
    for service in "${SERVICES[@]}"; do
        printf 'note: %s pod resident %s\n' "$service" "$(rss_of "$service-pod-0-$service")"
    done

    step "Kubernetes: SIGTERM, then podman kube down"
    local hosts=()
    for service in "${SERVICES[@]}"; do
        hosts+=("$service-pod-0-$service")
    done
    stop_all kube "${hosts[@]}"
    if podman kube down "$dir/play.yaml" >"$dir/down.log" 2>&1; then
        ok "podman kube down"
    else
        fail "podman kube down: $(grep -v '^time=' "$dir/down.log" | tail -n 3)"
    fi
    kube_played=false
    local left=''
    while read -r service deployment; do
        podman pod exists "$deployment-pod-0" && left+=" $deployment-pod-0"
    done <<<"$services"
    check "no pod left after kube down${left:+:$left}" [ -z "$left" ]
}

# The ConfigMap's configs are the image's, comments and blank lines aside: edit one, edit both
# (packaging/container/configure-image.sh makes the image's).
check_config_map_is_the_images() {
    local manifest=$1 etc=$work/image-etc
    mkdir -p "$etc"
    podman run --rm --entrypoint tar "$IMAGE" -C /etc/micro-order -c . 2>/dev/null | tar -x -C "$etc" \
        || fail "could not copy /etc/micro-order out of $IMAGE"
    local out
    if out=$(python3 - "$manifest" "$etc" <<'EOF'
import pathlib, re, sys, yaml

def significant(text):
    lines = (re.sub(r"(^|\s+)#.*$", "", line).rstrip() for line in text.splitlines())
    return [line for line in lines if line]

config_map = next(d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "ConfigMap")
etc = pathlib.Path(sys.argv[2])
problems = []
for name, text in config_map["data"].items():
    image = etc / name
    if not image.exists():
        problems.append(f"{name}: not in the image's /etc/micro-order")
    elif significant(text) != significant(image.read_text()):
        ours, theirs = significant(text), significant(image.read_text())
        first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        problems.append(f"{name}: line {first + 1} differs: ConfigMap {ours[first:first + 1]} image {theirs[first:first + 1]}")
print("; ".join(problems) or ", ".join(config_map["data"]))
sys.exit(1 if problems else 0)
EOF
    ); then
        ok "the ConfigMap's configs are the image's ($out)"
    else
        fail "the ConfigMap's configs differ from the image's: $out"
    fi
}

show_kube_logs() {
    local service
    for service in rabbitmq "${SERVICES[@]}"; do
        printf -- '--- %s ---\n' "$service" >&2
        podman logs --tail 15 "$service-pod-0-$service" 2>&1 | grep -v '^time=' >&2
    done
}
