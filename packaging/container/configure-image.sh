#!/bin/sh
# Run once while the image is built, after the package is installed: turns the package's configs
# into the image's and checks them.
#
# - Listeners bind 0.0.0.0 instead of 127.0.0.1. In a container, 127.0.0.1 is the container's own
#   loopback: neither a published port (podman/docker forward to the container's address) nor a
#   Kubernetes Service nor another container could reach it. The container's network namespace
#   is the boundary instead: only what `ports:` (compose) or a Service publishes is reachable.
#   With --network host there is no such boundary: mount configs of your own there.
# - shutdown_grace_ms 8000 instead of 10000: the host's whole stop (the drain, then handing the
#   last outbox rows to the broker) then fits in the 10 s that podman and docker wait between
#   SIGTERM and SIGKILL by default (Kubernetes waits 30 s).
# - docs.yaml: the documentation page alone, reading the services by their compose/Kubernetes
#   names (customers, orders, shippings) instead of 127.0.0.1.
#
#   configure-image.sh                     in the image: /etc/micro-order, then --check-config each
#   configure-image.sh --no-check DIR      the same edits on the package's configs in DIR (a build's
#                                          packaging/etc): scripts/kube-config-map.sh makes the
#                                          Kubernetes ConfigMap from them, so it is the image's
set -eu

check=true
if [ "${1:-}" = --no-check ]; then
    check=false
    shift
fi
readonly CONFIG_DIR="${1:-/etc/micro-order}"
readonly CONFIGS="micro-order orders shippings customers"
readonly GRACE_MS=8000

fail() {
    echo "configure-image: $*" >&2
    exit 1
}

for name in $CONFIGS; do
    file=$CONFIG_DIR/$name.yaml
    [ -f "$file" ] || fail "the package installed no $file"
    grep -q '^[[:space:]-]*listen: 127\.0\.0\.1:' "$file" || fail "$file has no 'listen: 127.0.0.1:PORT' line to rewrite"
    grep -q '^shutdown_grace_ms: ' "$file" || fail "$file has no shutdown_grace_ms line to rewrite"
    {
        printf '%s\n' \
            "# Container image (packaging/container/configure-image.sh): listeners on 0.0.0.0, inside the" \
            "# container's network namespace (published by compose's ports: or a Kubernetes Service)," \
            "# and a stop that fits in the engine's 10 s between SIGTERM and SIGKILL." \
            "#"
        sed -e 's/^\([[:space:]-]*listen:\) 127\.0\.0\.1:/\1 0.0.0.0:/' \
            -e "s/^shutdown_grace_ms: .*/shutdown_grace_ms: $GRACE_MS/" "$file"
    } >"$file.new"
    # Over the file rather than in its place: it keeps the package's owner and mode (root:micro-order 0640).
    cat "$file.new" >"$file"
    rm "$file.new"
    if grep -n 'listen: 127\.' "$file"; then
        fail "$file still listens on loopback"
    fi
done

plugin_path=$(sed -n 's/^plugin_path: //p' "$CONFIG_DIR/micro-order.yaml")
[ -n "$plugin_path" ] || fail "$CONFIG_DIR/micro-order.yaml has no plugin_path line"
user=$(sed -n 's/^user: //p' "$CONFIG_DIR/micro-order.yaml")
[ -n "$user" ] || fail "$CONFIG_DIR/micro-order.yaml has no user line"
cat >"$CONFIG_DIR/docs.yaml" <<YAML
# micro-order in a container: the API documentation page alone (compose's and Kubernetes' docs
# service), rendering the OpenAPI documents it fetches from the three services by their names.
# Written by packaging/container/configure-image.sh when the image is built.
user: $user
plugin_path: $plugin_path
log_level: information
shutdown_grace_ms: $GRACE_MS

plugins:
  - name: docs
    library: docs
    listen: 0.0.0.0:9000
    config:
      sources:
        - {name: customers, url: http://customers:8002/openapi.json}
        - {name: orders, url: http://orders:8000/openapi.json}
        - {name: shippings, url: http://shippings:8001/openapi.json}
YAML
chmod 0644 "$CONFIG_DIR/docs.yaml"

if ! $check; then
    echo "configure-image: $CONFIGS docs in $CONFIG_DIR: listeners on 0.0.0.0, shutdown_grace_ms $GRACE_MS"
    exit 0
fi
for name in $CONFIGS docs; do
    /usr/bin/micro-order-host --check-config --config "$CONFIG_DIR/$name.yaml" >/dev/null \
        || fail "micro-order-host --check-config --config $CONFIG_DIR/$name.yaml failed"
done
echo "configure-image: $CONFIGS docs: listeners on 0.0.0.0, shutdown_grace_ms $GRACE_MS, checked"
