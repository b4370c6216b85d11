#!/usr/bin/env bash
# Runs `systemd-analyze verify` on the package's units, micro-order.service and an instance of
# micro-order@.service. verify checks that ExecStart's program exists, so it runs on copies
# whose ExecStart names HOST_BINARY (the build's micro-order-host) instead of /usr/bin's.
# Any output (verify only warns about unknown keys or bad values) fails the test.
#
#   verify_units.sh UNIT_DIR HOST_BINARY
set -euo pipefail

unit_dir=$1 host_binary=$2
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze not found (Debian package systemd)" >&2; exit 1; }
[[ -x $host_binary ]] || { echo "FAIL: $host_binary is not built" >&2; exit 1; }

work=$(mktemp -d /tmp/micro-order-units.XXXXXX)
trap 'rm -rf "$work"' EXIT
for unit in micro-order.service micro-order@.service; do
    sed "s|/usr/bin/micro-order-host|$host_binary|" "$unit_dir/$unit" >"$work/$unit"
    grep -q "^ExecStart=$host_binary " "$work/$unit" || { echo "FAIL: $unit: no ExecStart=/usr/bin/micro-order-host" >&2; exit 1; }
done
cp "$work/micro-order@.service" "$work/micro-order@orders.service"

status=0
for unit in micro-order.service micro-order@orders.service; do
    if output=$(cd "$work" && systemd-analyze verify --man=no "./$unit" 2>&1) && [[ -z $output ]]; then
        echo "ok: $unit"
    else
        printf 'FAIL: systemd-analyze verify %s:\n%s\n' "$unit" "$output" >&2
        status=1
    fi
done
exit $status
