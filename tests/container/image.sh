# The container test's first step (sourced by scripts/container-test.sh): what the micro-order
# image promises, read from the image and from short runs of it.
# shellcheck shell=bash disable=SC2034,SC2153,SC2154  # globals shared with scripts/container-test.sh

test_image() {
    step "the micro-order image"
    local size user volumes stop_signal healthcheck out code
    size=$(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f", $1 / 1e6 }')
    ok "$IMAGE: $size MB ($(podman image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$IMAGE"))"

    user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
    out=$(podman run --rm --entrypoint sh "$IMAGE" -c 'id -un; stat -c "%U %a" /var/lib/micro-order' 2>/dev/null)
    if [[ $user == 10001:10001 && $out == $'micro-order\nmicro-order 750' ]]; then
        ok "runs as the package's micro-order user (10001), which owns /var/lib/micro-order"
    else
        fail "image user is '$user'; in it: $(tr '\n' ' ' <<<"$out") (want micro-order, owning /var/lib/micro-order 750)"
    fi
    volumes=$(podman image inspect --format '{{range $path, $_ := .Config.Volumes}}{{$path}} {{end}}' "$IMAGE")
    check "/var/lib/micro-order is a volume ($volumes)" [ "$volumes" = "/var/lib/micro-order " ]
    stop_signal=$(podman image inspect --format '{{.Config.StopSignal}}' "$IMAGE")
    check "stop signal SIGTERM ($stop_signal)" [ "$stop_signal" = SIGTERM ]
    healthcheck=$(podman image inspect --format '{{.Config.Healthcheck.Test}}' "$IMAGE" 2>/dev/null)
    check "HEALTHCHECK kept in the image ($healthcheck)" grep -q micro-order-healthcheck <<<"$healthcheck"

    # Each choice maps to its config, which --check-config validates (plugins loaded), listening
    # on 0.0.0.0. One container: each entry point runs in a subshell, which it replaces.
    out=$(podman run --rm --entrypoint sh "$IMAGE" -c '
        for service in all orders shippings customers docs; do
            echo "== $service"
            (micro-order-entrypoint "$service" --check-config) || echo "exit $?"
        done' 2>&1)
    local service config listen section
    for service in all orders shippings customers docs; do
        if [[ $service == all ]]; then
            config=micro-order.yaml listen=0.0.0.0:9000
        else
            config=$service.yaml listen=0.0.0.0:${CONTAINER_PORT[$service]}
        fi
        section=$(sed -n "/^== $service\$/,/^== /p" <<<"$out")
        if [[ $section == *"/etc/micro-order/$config: OK"* && $section == *"listen $listen"* && $section != *'exit '* ]]; then
            ok "service '$service': /etc/micro-order/$config passes --check-config, listens on $listen"
        else
            fail "service '$service' --check-config: $(tr '\n' '|' <<<"$section")"
        fi
    done
    if ! grep -q 'listen 127\.' <<<"$out"; then
        ok "no listener of the image's configs binds 127.0.0.1"
    else
        fail "a listener of the image's configs binds loopback: $(grep 'listen 127\.' <<<"$out" | head -n 1)"
    fi

    test_image_trust
    test_image_user

    out=$(podman run --rm -e MICRO_ORDER_SERVICE=billing "$IMAGE" 2>&1)
    code=$?
    check "MICRO_ORDER_SERVICE=billing: exit 78 (exit $code)" [ "$code" = 78 ]
    out=$(podman run --rm -e MICRO_ORDER_AMQP_URL_FILE=/nonexistent "$IMAGE" orders 2>&1)
    code=$?
    check "an unreadable MICRO_ORDER_AMQP_URL_FILE: exit 78 (exit $code)" [ "$code" = 78 ]
    out=$(podman run --rm "$IMAGE" sh -c 'echo passed through' 2>/dev/null)
    check "another command runs as it is (IMAGE sh -c ...)" [ "$out" = "passed through" ]
}

# The host's trust checks (configs, secrets and plugins only root or the service user may change)
# hold in the image, and the host applies them there: a mounted config its group may write, or a
# broker URL file others may read, is refused.
test_image_trust() {
    local out code
    out=$(podman run --rm --entrypoint sh "$IMAGE" -c '
        find /etc/micro-order /usr/lib/micro-order /usr/bin/micro-order-host \( \! -user root -o -perm /022 -o -type l \) -print' 2>/dev/null)
    check "configs and plugins: owned by root, writable by no group or other, no symbolic link${out:+: $out}" [ -z "$out" ]

    podman run --rm --entrypoint cat "$IMAGE" /etc/micro-order/orders.yaml >"$work/orders-0664.yaml" 2>/dev/null
    chmod 0664 "$work/orders-0664.yaml"
    out=$(podman run --rm -v "$work/orders-0664.yaml:/etc/micro-order/orders.yaml:ro" "$IMAGE" orders --check-config 2>&1)
    code=$?
    if [[ $code != 0 && $out == *"untrusted file /etc/micro-order/orders.yaml: it is writable by its group"* ]]; then
        ok "a mounted config its group may write is refused (exit $code)"
    else
        fail "a mounted config of mode 0664: exit $code, $(grep -v '^time=' <<<"$out" | tail -n 2 | tr '\n' '|')"
    fi
    printf 'amqp://micro-order:secret@rabbitmq:5672/\n' >"$work/amqp-url-0644"
    chmod 0644 "$work/amqp-url-0644"
    out=$(podman run --rm -v "$work/amqp-url-0644:/etc/micro-order/credentials/amqp-url:ro" "$IMAGE" orders --check-config 2>&1)
    code=$?
    if [[ $code != 0 && $out == *"holds a secret and is readable by others"* && $out != *secret@* ]]; then
        ok "a mounted broker URL file others may read is refused, the password not shown (exit $code)"
    else
        fail "a mounted amqp-url of mode 0644: exit $code, $(grep -v '^time=' <<<"$out" | tail -n 2 | tr '\n' '|')"
    fi
}

# `user: micro-order` in the image's configs: started as that user (the image's default) nothing
# changes; started as root, the host takes that user itself.
test_image_user() {
    local out
    out=$(podman run --rm "$IMAGE" orders --check-config 2>&1)
    if [[ $out == *"as micro-order (uid 10001)"* ]]; then
        ok "as the image's user, user: micro-order loads the plugins as micro-order (uid 10001)"
    else
        fail "--check-config as the image's user: $(grep -v '^time=' <<<"$out" | tail -n 3 | tr '\n' '|')"
    fi
    out=$(podman run --rm --user 0 "$IMAGE" orders --check-config 2>&1)
    if [[ $out == *"as micro-order (uid 10001)"* && $out != *"as root"* ]]; then
        ok "started as root (--user 0), the host loads the plugins as micro-order (uid 10001)"
    else
        fail "--check-config started as root: $(grep -v '^time=' <<<"$out" | tail -n 3 | tr '\n' '|')"
    fi
}
