#!/usr/bin/env bash
# Runs `systemd-analyze verify` on the package's units: micro-order.service, micro-order.socket
# and, for every shipped per-service config (CONFIG_DIR/NAME.yaml but micro-order.yaml), the
# instances micro-order@NAME.service and micro-order@NAME.socket with its shipped drop-in.
# verify checks that ExecStart's program exists, so it runs on copies whose ExecStart names
# HOST_BINARY (the build's micro-order-host) instead of /usr/bin's. Any output (verify only warns
# about unknown keys or bad values) fails the test.
# It also checks that each socket unit listens on exactly the `listen:` addresses of its YAML (the
# host would refuse to start otherwise).
#
#   verify_units.sh UNIT_DIR HOST_BINARY CONFIG_DIR
set -euo pipefail

unit_dir=$1 host_binary=$2 config_dir=$3
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze not found (Debian package systemd)" >&2; exit 1; }
[[ -x $host_binary ]] || { echo "FAIL: $host_binary is not built" >&2; exit 1; }

work=$(mktemp -d /tmp/micro-order-units.XXXXXX)
trap 'rm -rf "$work"' EXIT
for unit in micro-order.service micro-order@.service micro-order.socket micro-order@.socket; do
    sed "s|/usr/bin/micro-order-host|$host_binary|" "$unit_dir/$unit" >"$work/$unit"
done
for unit in micro-order.service micro-order@.service; do
    grep -q "^ExecStart=$host_binary " "$work/$unit" || { echo "FAIL: $unit: no ExecStart=/usr/bin/micro-order-host" >&2; exit 1; }
done

status=0
# A unit's ListenStream= addresses against a YAML's listen: addresses, both sorted.
same_addresses() { # UNIT_TEXT_FILES... -- YAML
    local yaml=${*: -1} files=("${@:1:$#-2}")
    local wanted have
    wanted=$(grep -oE '^[[:space:]]*listen:[[:space:]]*[^[:space:]#]+' "$yaml" | sed -E 's/.*listen:[[:space:]]*//' | sort)
    have=$(cat "${files[@]}" | sed -n 's/^ListenStream=//p' | sort)
    if [[ $wanted != "$have" ]]; then
        printf 'FAIL: %s listen on\n%s\nbut %s has listen:\n%s\n' "${files[*]##*/}" "$have" "$yaml" "$wanted" >&2
        return 1
    fi
}

units=(micro-order.service micro-order.socket)
same_addresses "$work/micro-order.socket" -- "$config_dir/micro-order.yaml" || status=1
for yaml in "$config_dir"/*.yaml; do
    name=$(basename "$yaml" .yaml)
    [[ $name == micro-order ]] && continue
    dropin=$unit_dir/micro-order@$name.socket.d
    if [[ ! -f $dropin/listen.conf ]]; then
        echo "FAIL: $yaml is shipped but $dropin/listen.conf is not" >&2
        status=1
        continue
    fi
    cp "$work/micro-order@.service" "$work/micro-order@$name.service"
    cp "$work/micro-order@.socket" "$work/micro-order@$name.socket"
    cp -r "$dropin" "$work/"
    same_addresses "$dropin/listen.conf" -- "$yaml" || status=1
    units+=("micro-order@$name.service" "micro-order@$name.socket")
done

for unit in "${units[@]}"; do
    if output=$(cd "$work" && systemd-analyze verify --man=no "./$unit" 2>&1) && [[ -z $output ]]; then
        echo "ok: $unit"
    else
        printf 'FAIL: systemd-analyze verify %s:\n%s\n' "$unit" "$output" >&2
        status=1
    fi
done
exit $status
