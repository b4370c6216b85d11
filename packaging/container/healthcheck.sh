#!/bin/bash
# The image's HEALTHCHECK: GET /healthz on every listener of the config micro-order-host runs,
# over bash's /dev/tcp (the image needs no HTTP client). Exits 0 when each answers 200.
# The engine bounds the whole check (HEALTHCHECK --timeout); reads here give up after 3 s.
set -uo pipefail

# The host is PID 1 when the entry point exec'd it; under an init (--init) it is a child.
config=''
for cmdline in /proc/1/cmdline /proc/[0-9]*/cmdline; do
    mapfile -d '' -t argv <"$cmdline" 2>/dev/null || continue
    [[ ${argv[0]:-} == */micro-order-host ]] || continue
    for ((i = 1; i < ${#argv[@]}; i++)); do
        case ${argv[i]} in
            --config=*) config=${argv[i]#--config=} ;;
            --config | -c) config=${argv[i + 1]:-} ;;
        esac
    done
    config=${config:-/etc/micro-order/micro-order.yaml}
    break
done
if [[ -z $config ]]; then
    echo "unhealthy: no micro-order-host process" >&2
    exit 1
fi

# `listen: HOST:PORT` lines, the form the shipped configs use.
mapfile -t listeners < <(sed -n 's/^[[:space:]-]*listen:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$config")
if [[ ${#listeners[@]} -eq 0 ]]; then
    echo "unhealthy: $config has no listen: line to check" >&2
    exit 1
fi

for listener in "${listeners[@]}"; do
    host=${listener%:*} port=${listener##*:}
    host=${host#[} host=${host%]}
    case $host in
        0.0.0.0 | '') host=127.0.0.1 ;;
        :: | '*') host=::1 ;;
    esac
    status=''
    if exec 3<>"/dev/tcp/$host/$port"; then
        printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
        IFS=$' \r' read -r -t 3 _ status _ <&3
        exec 3<&-
    fi
    if [[ $status != 200 ]]; then
        echo "unhealthy: GET /healthz on $listener answered '${status:-nothing}'" >&2
        exit 1
    fi
done
echo "healthy: ${listeners[*]}"
