#!/usr/bin/env bash
# A private RabbitMQ node with only a TLS listener, for the broker TLS tests (ctest fixture
# `tls_broker`). It never touches the machine's shared broker: its own node name, config, data,
# logs, Erlang cookie (HOME) and ports, all in DIR; no plain AMQP listener.
#
#   tls_broker.sh start DIR    certificates (a throwaway CA, a server certificate for localhost,
#                              a client certificate, a second CA that signed nothing the broker
#                              uses), the node, then waits for its TLS port; writes DIR/port
#   tls_broker.sh stop DIR     stops the node and deletes DIR
#
# The node requires a client certificate signed by the CA (fail_if_no_peer_cert), so the tests
# see the host present one. Needs root (or the rabbitmq-server files readable), openssl, python3.
set -euo pipefail

readonly START_TIMEOUT_S=60
action=${1:-} dir=${2:-}
[[ ($action == start || $action == stop) && -n $dir ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
dir=$(realpath -m "$dir")
node="mo-tls-$(printf '%s' "$dir" | md5sum | cut -c1-8)@localhost"

rabbit_env() {
    env HOME="$dir" RABBITMQ_NODENAME="$node" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand" \
        RABBITMQ_PID_FILE="$dir/pid" RABBITMQ_DIST_PORT="${dist_port:-0}" RABBITMQ_NODE_PORT="${tls_port:-0}" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' "$@"
}

stop_node() {
    [[ -d $dir ]] || return 0
    if [[ -f $dir/rabbitmq-env.conf ]]; then
        rabbit_env /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$node" stop >/dev/null 2>&1 || true
    fi
    # A node that did not answer (half started, cookie gone) goes by its pid.
    if [[ -s $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        kill "$(cat "$dir/pid")" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$(cat "$dir/pid")" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$(cat "$dir/pid")" 2>/dev/null || true
    fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

certificate() { # NAME SUBJECT SIGNER EXTENSIONS: NAME.key and NAME.pem, signed by SIGNER.{key,pem}
    openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
    printf '%s\n' "$4" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -out "$1.pem" -days 2 \
        -extfile "$1.ext" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

if [[ $action == stop ]]; then
    stop_node
    rm -rf "$dir"
    exit 0
fi

command -v openssl >/dev/null || { echo "FAIL: openssl is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || { echo "FAIL: rabbitmq-server is not installed" >&2; exit 1; }
stop_node
rm -rf "$dir"
mkdir -p "$dir"
chmod 0700 "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=micro-order test CA" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout wrong-ca.key -out wrong-ca.pem -days 2 \
    -subj "/CN=micro-order test CA" 2>/dev/null  # same name, other key: only the signature tells
certificate server "/CN=localhost" ca $'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth'
certificate client "/CN=micro-order test client" ca 'extendedKeyUsage=clientAuth'
certificate stranger "/CN=micro-order stranger" wrong-ca 'extendedKeyUsage=clientAuth'

tls_port=$(free_port) dist_port=$(free_port)
cat >rabbitmq.conf <<CONF
listeners.tcp = none
listeners.ssl.1 = 127.0.0.1:$tls_port
ssl_options.cacertfile = $dir/ca.pem
ssl_options.certfile = $dir/server.pem
ssl_options.keyfile = $dir/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = true
CONF
echo '[].' >enabled_plugins
: >rabbitmq-env.conf

if ! rabbit_env /usr/lib/rabbitmq/bin/rabbitmq-server -detached >start.log 2>&1 </dev/null; then
    cat start.log >&2
    echo "FAIL: rabbitmq-server -detached failed" >&2
    exit 1
fi
deadline=$((SECONDS + START_TIMEOUT_S))
until timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$tls_port" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
        echo "FAIL: the TLS broker did not listen on 127.0.0.1:$tls_port within ${START_TIMEOUT_S}s" >&2
        tail -n 30 start.log log/*.log >&2 2>/dev/null || true
        stop_node
        exit 1
    fi
    sleep 0.3
done
rabbit_env /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$node" await_startup --timeout 30 >/dev/null
echo "$tls_port" >port
echo "TLS broker $node on 127.0.0.1:$tls_port (files in $dir)"
