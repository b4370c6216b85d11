#!/bin/bash
# The RabbitMQ image's HEALTHCHECK: the broker answers on its AMQP port. A client that opens with
# a header the broker does not speak gets the broker's own "AMQP" protocol header back, which
# takes no login and no Erlang VM (rabbitmq-diagnostics starts one, ~1 s of CPU, every check).
set -uo pipefail

port=${RABBITMQ_NODE_PORT:-5672}
reply=''
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    printf 'HEALTHCHECK\r\n' >&3
    read -r -t 3 -N 4 reply <&3
    exec 3<&-
fi
if [[ $reply != AMQP ]]; then
    echo "unhealthy: 127.0.0.1:$port answered '${reply}'" >&2
    exit 1
fi
echo "healthy: AMQP on 127.0.0.1:$port"
