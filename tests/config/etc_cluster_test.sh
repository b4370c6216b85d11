#!/usr/bin/env bash
# etc/cluster/ (the several-machines example) must stay a deployable example: every host YAML
# passes the real host's --check-config (plugins loaded and version-checked, every key and the
# credentials files read), and nginx accepts the nginx files (`nginx -t`).
#
#   tests/config/etc_cluster_test.sh HOST_BINARY PLUGIN_DIR
#
# The copies change one line, plugin_path (the package's folder, not installed here), and put the
# credentials beside them as a run by hand reads them; nginx's include of the proxy settings
# points at the copy.
set -euo pipefail
host=${1:?host binary} plugins=${2:?plugin folder}
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
example=$source_dir/etc/cluster
work=$(mktemp -d /tmp/micro-order-etc-cluster.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { printf 'etc_cluster_test: %s\n' "$*" >&2; exit 1; }

mkdir "$work/credentials"
# What the deployment's credentials files hold (etc/cluster/README.md): every broker node on one
# line, and one database's URL; --check-config reads and validates both, connects to neither.
echo 'amqp://app:secret@10.0.3.1:5672/micro-order,amqp://app:secret@10.0.3.2:5672/micro-order,amqp://app:secret@10.0.3.3:5672/micro-order' \
    >"$work/credentials/amqp-url"
echo 'postgresql://app:secret@10.0.2.1:5432/micro_order' >"$work/credentials/database-url"
chmod 0600 "$work/credentials/amqp-url" "$work/credentials/database-url" # the host refuses secrets others read

checked=0
for yaml in "$example"/*.yaml; do
    name=$(basename "$yaml" .yaml)
    grep -q '^plugin_path: /usr/lib/micro-order/plugins$' "$yaml" || fail "$name.yaml: plugin_path is not the package's folder"
    sed "s#^plugin_path: .*#plugin_path: $plugins#" "$yaml" >"$work/$name.yaml"
    out=$(env -u CREDENTIALS_DIRECTORY -u MICRO_ORDER_AMQP_URL "$host" --check-config --config "$work/$name.yaml" 2>&1) ||
        fail "$name.yaml does not pass --check-config: $out"
    # What the example is about: a shared PostgreSQL database, the broker's nodes, quorum queues.
    grep -q "^database $name: postgresql " <<<"$out" || fail "$name.yaml: no PostgreSQL database '$name': $out"
    grep -q "^broker .*10.0.3.1.*10.0.3.3" <<<"$out" || fail "$name.yaml: the broker's nodes are not all named: $out"
    grep -q "^plugin $name: .*listen 0.0.0.0:" <<<"$out" || fail "$name.yaml: the service does not listen for nginx: $out"
    grep -q "^  queue_type: quorum" "$yaml" || fail "$name.yaml: not quorum queues"
    ! grep -q 'secret' <<<"$out" || fail "$name.yaml: --check-config printed a password: $out"
    checked=$((checked + 1))
done
[[ $checked -eq 3 ]] || fail "expected the three services' YAMLs in etc/cluster, found $checked"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup.sh installs nginx-light)"
mkdir "$work/nginx"
sed "s#include /etc/nginx/micro-order-proxy.conf;#include $example/micro-order-proxy.conf;#" \
    "$example/nginx.conf" >"$work/nginx/micro-order.conf"
cat >"$work/nginx/nginx.conf" <<CONF
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
    include $work/nginx/micro-order.conf;
}
CONF
out=$(nginx -t -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>&1) || fail "nginx -t refuses etc/cluster/nginx.conf: $out"
grep -c 'proxy_pass http://micro_order_' "$example/nginx.conf" | grep -qx 3 || fail "nginx.conf: not one proxy per service"
echo "etc/cluster: $checked host configs pass --check-config; nginx -t accepts nginx.conf"
