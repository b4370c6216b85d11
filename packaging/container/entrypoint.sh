#!/bin/sh
# The image's entry point: picks the config of one service, takes the broker URL from a mounted
# file when asked, and replaces itself with micro-order-host, which becomes PID 1 and so gets the
# engine's SIGTERM itself (it drains within shutdown_grace_ms and exits 0).
#
#   IMAGE [all|orders|shippings|customers|docs] [micro-order-host options]   e.g. IMAGE orders --check-config
#   IMAGE COMMAND [ARG...]                                                    any other command, e.g. sh
#
# MICRO_ORDER_SERVICE   the service when no argument names one (default all)
#                       all → /etc/micro-order/micro-order.yaml, NAME → /etc/micro-order/NAME.yaml
# MICRO_ORDER_AMQP_URL  the broker URL, replacing the file's broker.url (read by the host itself)
# MICRO_ORDER_AMQP_URL_FILE  a file holding that URL (a mounted secret), so that the password is in
#                       neither the image nor the container's definition (`podman inspect`); the
#                       host still gets it through its environment, until the YAML can name a file
set -eu

readonly CONFIG_DIR=/etc/micro-order
readonly EX_CONFIG=78  # what micro-order-host exits with for a wrong configuration

fail() {
    echo "micro-order-entrypoint: $*" >&2
    exit "$EX_CONFIG"
}

service=${MICRO_ORDER_SERVICE:-all}
case ${1:-} in
    all | orders | shippings | customers | docs)
        service=$1
        shift
        ;;
    '' | -*) ;;
    *) exec "$@" ;;
esac

case $service in
    all) config=$CONFIG_DIR/micro-order.yaml ;;
    orders | shippings | customers | docs) config=$CONFIG_DIR/$service.yaml ;;
    *) fail "MICRO_ORDER_SERVICE is '$service'; it must be all, orders, shippings, customers or docs" ;;
esac
[ -r "$config" ] || fail "$config does not exist or cannot be read (service $service)"

if [ -n "${MICRO_ORDER_AMQP_URL_FILE:-}" ]; then
    [ -z "${MICRO_ORDER_AMQP_URL:-}" ] || fail "both MICRO_ORDER_AMQP_URL and MICRO_ORDER_AMQP_URL_FILE are set; set one"
    [ -r "$MICRO_ORDER_AMQP_URL_FILE" ] || fail "MICRO_ORDER_AMQP_URL_FILE: cannot read $MICRO_ORDER_AMQP_URL_FILE"
    # The first line, without its end of line; the host validates the URL like the file's own.
    MICRO_ORDER_AMQP_URL=$(head -n 1 "$MICRO_ORDER_AMQP_URL_FILE" | tr -d '\r\n')
    [ -n "$MICRO_ORDER_AMQP_URL" ] || fail "MICRO_ORDER_AMQP_URL_FILE: $MICRO_ORDER_AMQP_URL_FILE is empty"
    export MICRO_ORDER_AMQP_URL
    unset MICRO_ORDER_AMQP_URL_FILE
fi

exec /usr/bin/micro-order-host --config "$config" "$@"
