#!/usr/bin/env bash
# The .deb install test (issue 5, "Done when"), as root on a CI machine:
#
#   1. cpack -G DEB in the build folder; the packages declare their conffiles and dependencies
#   2. dpkg -i: files in place, the micro-order user, /var/lib/micro-order, the units verify
#   3. the example plugin builds against the installed SDK (micro-order-dev)
#   4. --check-config passes on every installed config; the README's own commands for the
#      example plugin (extracted from README.md) build, install and check it as written
#   5. the installed host runs the way micro-order.service would (user micro-order, no new
#      privileges, umask 0077, NOTIFY_SOCKET and WATCHDOG_USEC set, the broker URL in
#      $CREDENTIALS_DIRECTORY/amqp-url as LoadCredential= gives it) on a copy of
#      /etc/micro-order/micro-order.yaml with free ports, plus
#      the example plugin: READY=1, the curl workflow reaches SHIPPED, /summary/ counts it,
#      /healthz, /readyz and /metrics answer, SIGHUP (ExecReload) gives RELOADING=1 and
#      READY=1, WATCHDOG=1 pings, SIGTERM gives STOPPING=1 and exit 0
#   6. dpkg -r keeps /var/lib/micro-order and the conffiles; dpkg --purge removes them
#
# It refuses (fails) to run where micro-order is already installed or has left files, so it
# never touches an installation of a developer's; whatever it installed it purges on exit.
#
#   deb_install_test.sh --build-dir DIR --package-dir DIR --plugin-dir DIR --example-dir DIR \
#                       --listener notify_listener.py
# Environment (ctest): MICRO_ORDER_TEST_AMQP_URL, MICRO_ORDER_TEST_VHOST.
set -uo pipefail

readonly HOST=/usr/bin/micro-order-host
readonly CONFIG_DIR=/etc/micro-order
readonly STATE_DIR=/var/lib/micro-order
readonly UNIT_DIR=/lib/systemd/system
readonly USER_NAME=micro-order
readonly PACKAGES=(micro-order micro-order-dev)
readonly CONFIGS=(micro-order orders shippings customers)
readonly PLUGINS=(customers orders shippings consumers docs)
readonly WORKFLOW_QUEUES=(orders.create customers.request customers.detail shippings.update)
readonly READY_TIMEOUT_S=30 SHIPPED_TIMEOUT_S=20 STOP_TIMEOUT_S=30

build_dir='' package_dir='' plugin_dir='' example_dir='' listener=''
while [[ $# -gt 0 ]]; do
    case $1 in
        --build-dir) build_dir=$2 ;;
        --package-dir) package_dir=$2 ;;
        --plugin-dir) plugin_dir=$2 ;;
        --example-dir) example_dir=$2 ;;
        --listener) listener=$2 ;;
        *) echo "usage: see the top of $0" >&2; exit 2 ;;
    esac
    shift 2
done

failures=()
fail() {
    echo "FAIL: $*" >&2
    failures+=("$*")
}
fatal() {
    fail "$*"
    exit 1
}
ok() { echo "ok: $*"; }
step() { printf '\n== %s\n' "$*"; }

installed=false host_pid='' listener_pid='' work=''

purge_workflow_queues() {
    local queue
    for queue in "${WORKFLOW_QUEUES[@]}"; do
        rabbitmqctl -q purge_queue -p "$MICRO_ORDER_TEST_VHOST" "$queue" >/dev/null 2>&1 || true
    done
}

cleanup() {
    local status=$?
    if [[ -n $host_pid ]] && kill -0 "$host_pid" 2>/dev/null; then
        kill -KILL "$host_pid" 2>/dev/null
        wait "$host_pid" 2>/dev/null
    fi
    if [[ -n $listener_pid ]]; then
        kill "$listener_pid" 2>/dev/null
        wait "$listener_pid" 2>/dev/null
    fi
    if $installed; then
        rm -f "$plugin_dir/order_summary.so" "${readme_fragment:-/nonexistent}"  # the README step's, if it failed
        dpkg --purge "${PACKAGES[@]}" >/dev/null 2>&1 || echo "cleanup: dpkg --purge ${PACKAGES[*]} failed" >&2
    fi
    [[ -n ${MICRO_ORDER_TEST_VHOST:-} ]] && purge_workflow_queues
    [[ -n $work ]] && rm -rf "$work"
    if [[ ${#failures[@]} -gt 0 ]]; then
        printf '\n%d failure(s):\n' "${#failures[@]}" >&2
        printf '  - %s\n' "${failures[@]}" >&2
        exit 1
    fi
    exit "$status"
}
trap cleanup EXIT

# --- Preconditions: fail loudly, never skip ---------------------------------------------------
for arg in build_dir package_dir plugin_dir example_dir listener; do
    [[ -n ${!arg} ]] || fatal "missing --${arg//_/-}"
done
[[ $EUID -eq 0 ]] || fatal "this test installs a .deb with dpkg and must run as root (it runs on the CI machine; as root: ctest -R DebInstalls)"
[[ -n ${MICRO_ORDER_TEST_AMQP_URL:-} && -n ${MICRO_ORDER_TEST_VHOST:-} ]] \
    || fatal "MICRO_ORDER_TEST_AMQP_URL / MICRO_ORDER_TEST_VHOST are not set: run this test through ctest"
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps python3 curl setpriv rabbitmqctl systemd-analyze cmake readelf; do
    command -v "$tool" >/dev/null || fatal "$tool is not installed"
done
for package in "${PACKAGES[@]}"; do
    state=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ -n $state && $state != *not-installed* ]]; then
        fatal "$package is already on this machine ($state); this test installs and purges it. Run it where micro-order is not installed, or remove it first: dpkg --purge ${PACKAGES[*]} (deletes $STATE_DIR)"
    fi
done
for path in "$CONFIG_DIR" "$STATE_DIR"; do
    [[ ! -e $path ]] || fatal "$path exists although micro-order is not installed; this test would purge it. Move it away first."
done

work=$(mktemp -d /tmp/micro-order-deb-test.XXXXXX)
chmod 755 "$work"  # the host, as micro-order, reads its config and plugins here

# --- 1. Build the packages ------------------------------------------------------------------
step "cpack -G DEB in $build_dir"
rm -f "$package_dir"/micro-order*.deb
if ! (cd "$build_dir" && cpack -G DEB) >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    fatal "cpack -G DEB failed"
fi
debs=("$package_dir"/micro-order_*.deb) dev_debs=("$package_dir"/micro-order-dev_*.deb)
deb=${debs[0]} dev_deb=${dev_debs[0]}
[[ ${#debs[@]} -eq 1 && ${#dev_debs[@]} -eq 1 && -f $deb && -f $dev_deb ]] || fatal "cpack made no micro-order / micro-order-dev .deb in $package_dir: $(ls "$package_dir" 2>&1)"
ok "built $(basename "$deb") and $(basename "$dev_deb")"

depends=$(dpkg-deb -f "$deb" Depends)
for library in libpocofoundation libpocodatasqlite librabbitmq libyaml-cpp libsystemd0 libstdc++6 'adduser | systemd'; do
    [[ $depends == *"$library"* ]] || fail "micro-order's Depends lack $library: $depends"
done
[[ $(dpkg-deb -f "$dev_deb" Depends) == *"micro-order (="* ]] || fail "micro-order-dev does not depend on micro-order: $(dpkg-deb -f "$dev_deb" Depends)"
conffiles=$(dpkg-deb -I "$deb" conffiles 2>/dev/null)
for name in "${CONFIGS[@]}"; do
    grep -qx "$CONFIG_DIR/$name.yaml" <<<"$conffiles" || fail "$CONFIG_DIR/$name.yaml is not a conffile (conffiles: $conffiles)"
done
grep -qx "$CONFIG_DIR/credentials/amqp-url" <<<"$conffiles" || fail "$CONFIG_DIR/credentials/amqp-url is not a conffile"
ok "Depends: $depends"

# --- 2. Install ---------------------------------------------------------------------------
step "dpkg -i"
installed=true  # from here on, cleanup purges whatever got installed
if ! dpkg -i "$deb" "$dev_deb" >"$work/dpkg-install.log" 2>&1; then
    cat "$work/dpkg-install.log" >&2
    fatal "dpkg -i failed"
fi
ok "installed"

for path in "$HOST" "$UNIT_DIR/micro-order.service" "$UNIT_DIR/micro-order@.service" \
    "$UNIT_DIR/micro-order.socket" "$UNIT_DIR/micro-order@.socket" "$UNIT_DIR/micro-order@orders.socket.d/listen.conf" \
    /usr/lib/sysusers.d/micro-order.conf /usr/include/micro_order/plugin.hpp; do
    [[ -f $path ]] || fail "$path is not installed"
done
for plugin in "${PLUGINS[@]}"; do
    [[ -f $plugin_dir/$plugin.so ]] || fail "plugin $plugin_dir/$plugin.so is not installed"
done
for name in "${CONFIGS[@]}"; do
    file=$CONFIG_DIR/$name.yaml
    [[ -f $file ]] || { fail "$file is not installed"; continue; }
    grep -qx "plugin_path: $plugin_dir" "$file" || fail "$file: plugin_path is not $plugin_dir"
    ! grep -nE '\.\./|build/' "$file" || fail "$file names a path of the source tree"
    grep -q "path: $STATE_DIR/" "$file" || fail "$file keeps no database in $STATE_DIR"
    grep -qx "user: $USER_NAME" "$file" || fail "$file names no user: $USER_NAME"
    # shellcheck disable=SC2016 # the literal ${CREDENTIALS_DIRECTORY...} the file must hold
    grep -q '^  url_file: ${CREDENTIALS_DIRECTORY:-credentials}/amqp-url$' "$file" || fail "$file does not read the broker URL from the credential"
    ! grep -q '^  url: ' "$file" || fail "$file still has the broker URL inline"
done
# Secrets: the configs and the broker URL are for root and the service's group only.
secret_paths=("$CONFIG_DIR/credentials/amqp-url")
for name in "${CONFIGS[@]}"; do secret_paths+=("$CONFIG_DIR/$name.yaml"); done
for path in "${secret_paths[@]}"; do
    mode=$(stat -c '%U:%G %a' "$path" 2>/dev/null)
    [[ $mode == "root:$USER_NAME 640" ]] || fail "$path is '$mode', not 'root:$USER_NAME 640'"
done
mode=$(stat -c '%U:%G %a' "$CONFIG_DIR/credentials" 2>/dev/null)
[[ $mode == "root:$USER_NAME 750" ]] || fail "$CONFIG_DIR/credentials is '$mode', not 'root:$USER_NAME 750'"
[[ -d $CONFIG_DIR/conf.d ]] || fail "$CONFIG_DIR/conf.d is not installed"
for binary in "$HOST" "$plugin_dir"/*.so; do
    ! readelf --sections "$binary" 2>/dev/null | grep -q '\.debug_info' || fail "$binary is not stripped"
done
ls /usr/lib/*/cmake/MicroOrder/MicroOrderConfig.cmake /usr/lib/cmake/MicroOrder/MicroOrderConfig.cmake >/dev/null 2>&1 \
    || [[ -n $(find /usr/lib -path '*/cmake/MicroOrder/MicroOrderConfig.cmake' -print -quit) ]] \
    || fail "MicroOrderConfig.cmake is not installed"
dpkg_conffiles=$(dpkg-query -W -f='${Conffiles}\n' micro-order)
for name in "${CONFIGS[@]}"; do
    grep -q " $CONFIG_DIR/$name.yaml " <<<"$dpkg_conffiles" || fail "dpkg does not track $CONFIG_DIR/$name.yaml as a conffile"
done

if passwd_line=$(getent passwd "$USER_NAME"); then
    IFS=: read -r _ _ uid _ _ home shell <<<"$passwd_line"
    ((uid < 1000)) || fail "$USER_NAME is not a system user (uid $uid)"
    [[ $home == "$STATE_DIR" ]] || fail "$USER_NAME's home is $home, not $STATE_DIR"
    [[ $shell == */nologin || $shell == /bin/false ]] || fail "$USER_NAME has a login shell: $shell"
    ok "user $USER_NAME (uid $uid)"
else
    fail "postinst created no $USER_NAME user"
fi
if [[ -d $STATE_DIR ]]; then
    owner=$(stat -c '%U:%G %a' "$STATE_DIR")
    [[ $owner == "$USER_NAME:$USER_NAME 750" ]] || fail "$STATE_DIR is $owner, not $USER_NAME:$USER_NAME 750"
else
    fail "postinst created no $STATE_DIR"
fi

# The installed units, now that /usr/bin/micro-order-host exists.
for unit in micro-order.service micro-order@orders.service micro-order.socket micro-order@orders.socket; do
    if output=$(systemd-analyze verify --man=no "$unit" 2>&1) && [[ -z $output ]]; then
        ok "systemd-analyze verify $unit"
    else
        fail "systemd-analyze verify $unit: $output"
    fi
done

# --- 3. A plugin built against the installed SDK --------------------------------------------
step "examples/order_summary against the installed micro-order-dev"
mkdir -p "$work/plugins"
if cmake -S "$example_dir" -B "$work/example" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work/example.log" 2>&1 \
    && cmake --build "$work/example" >>"$work/example.log" 2>&1; then
    sdk_dir=$(sed -n 's/^MicroOrder_DIR:PATH=//p' "$work/example/CMakeCache.txt")
    [[ $sdk_dir == /usr/lib/* ]] || fail "the example found the SDK in $sdk_dir, not in /usr/lib"
    install -m 0644 "$work/example/order_summary.so" "$work/plugins/"
    ok "order_summary.so built with MicroOrder_DIR=$sdk_dir"
else
    cat "$work/example.log" >&2
    fail "examples/order_summary does not build against the installed SDK"
fi

# --- 4. --check-config on the installed configs ----------------------------------------------
step "micro-order-host --check-config"
for name in "${CONFIGS[@]}"; do
    if out=$(setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups \
        "$HOST" --check-config --config "$CONFIG_DIR/$name.yaml" 2>&1); then
        ok "--check-config --config $CONFIG_DIR/$name.yaml"
    else
        fail "--check-config --config $CONFIG_DIR/$name.yaml: $out"
    fi
done
# As the README has it, as root: the host switches to micro-order before it loads a plugin.
if out=$("$HOST" --check-config --config "$CONFIG_DIR/micro-order.yaml" 2>&1) \
    && grep -q "(plugin orders) as $USER_NAME (uid" <<<"$out"; then
    ok "--check-config as root loads the plugins as $USER_NAME"
else
    fail "--check-config as root did not load the plugins as $USER_NAME: $out"
fi

# --- 4b. The README's own commands for the example plugin -------------------------------------
# Taken from README.md, not copied, so the README and this test cannot drift: the sh block after
# "Build it, drop the library in the plugins folder", with only what cannot run here replaced,
# each named below; every other line runs as written, as root, from the source tree.
step "README.md: Add a plugin of your own, as written"
source_dir=$(cd "$example_dir/../.." && pwd)
readme_block=$(awk '/^Build it, drop the library in the plugins folder/ {found = 1; next}
    found && /^```sh$/ {inside = 1; next}
    inside && /^```$/ {exit}
    inside {print}' "$source_dir/README.md")
[[ -n $readme_block ]] || fatal "README.md has no sh block after 'Build it, drop the library in the plugins folder'"
readme_fragment=$(sed -n 's|^cat >\(/etc/micro-order/conf\.d/[^ ]*\.yaml\) .*|\1|p' <<<"$readme_block")
[[ -n $readme_fragment ]] || fail "the README's plugin steps write no conf.d fragment"
readme_script=$work/readme-plugin.sh
{
    echo 'set -euo pipefail'
    # apt install of micro-order-dev, cmake, g++: dpkg -i above installed the first, the
    # preconditions checked the others (apt would need the network).
    # systemctl restart / curl: no systemd here; part 5 runs the host as the unit does.
    # /tmp/order_summary: this test's own folder instead.
    sed -e '/^apt install .*micro-order-dev_.*\.deb/d' \
        -e 's/ && systemctl restart micro-order$//' \
        -e '/^curl .*localhost:8003/d' \
        -e "s|/tmp/order_summary|$work/readme-example|g" <<<"$readme_block"
} >"$readme_script"
if ! grep -q '^apt install' <<<"$readme_block" || grep -q '^apt install' "$readme_script"; then
    fail "README's plugin steps: no 'apt install ...micro-order-dev_VERSION_amd64.deb' line as expected"
fi
for expected in '^cmake -S examples/order_summary ' '^install ' '^micro-order-host --check-config'; do
    grep -qE "$expected" "$readme_script" || fail "README's plugin steps have no line matching '$expected'"
done
if readme_out=$(cd "$source_dir" && bash "$readme_script" 2>&1); then
    ok "the README's plugin steps ran as written ($(grep -c . "$readme_script") lines)"
else
    printf -- '--- %s ---\n%s\n--- output ---\n%s\n' "$readme_script" "$(cat "$readme_script")" "$readme_out" >&2
    fail "the README's plugin steps fail as written"
fi
[[ -f $plugin_dir/order_summary.so ]] \
    || fail "the README installs order_summary.so elsewhere than the package's plugin folder $plugin_dir"
[[ $readme_out == *"plugin order_summary: "* ]] || fail "--check-config does not list the README's order_summary: $readme_out"
# What the README added is the operator's, which dpkg keeps: remove it so the purge below can
# be checked (a package-owned folder left non-empty would survive it).
rm -f "$plugin_dir/order_summary.so" "$readme_fragment"
rm -rf "$work/readme-example"

# --- 5. The installed host, the way micro-order.service runs it --------------------------------
step "micro-order-host as the unit runs it"
read -r customers_port orders_port shippings_port summary_port docs_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
config=$work/micro-order.yaml
sed -e "s/^plugin_path: .*/plugin_path: [$(sed 's/[\/&]/\\&/g' <<<"$plugin_dir"), $(sed 's/[\/&]/\\&/g' <<<"$work/plugins")]/" \
    -e "s/127\.0\.0\.1:8002\b/127.0.0.1:$customers_port/" \
    -e "s/127\.0\.0\.1:8000\b/127.0.0.1:$orders_port/" \
    -e "s/127\.0\.0\.1:8001\b/127.0.0.1:$shippings_port/" \
    -e "s/127\.0\.0\.1:9000\b/127.0.0.1:$docs_port/" \
    "$CONFIG_DIR/micro-order.yaml" >"$config"
cat >>"$config" <<EOF

  - name: order_summary           # added by the test: the example plugin, from $work/plugins
    library: order_summary
    listen: 127.0.0.1:$summary_port
    database: orders
EOF
chmod 644 "$config"
grep -qE '127\.0\.0\.1:(800[0-2]|9000)\b' "$config" && fatal "$config still listens on a port of 8000-8002 or 9000"
# What LoadCredential=amqp-url:… gives the unit: a private copy only the service user reads,
# here pointing at this run's vhost (so the workflow below proves the credential was used).
credentials=$work/credentials-of-the-unit
install -d -m 0500 -o "$USER_NAME" -g "$USER_NAME" "$credentials"
printf '%s\n' "$MICRO_ORDER_TEST_AMQP_URL" >"$credentials/amqp-url"
chown "$USER_NAME:$USER_NAME" "$credentials/amqp-url" && chmod 0400 "$credentials/amqp-url"
if ! out=$(CREDENTIALS_DIRECTORY=$credentials setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups \
    "$HOST" --check-config --config "$config" 2>&1); then
    fatal "the test's copy of the config is invalid: $out"
fi

notify_socket=$work/notify.sock notify_log=$work/notify.log host_log=$work/host.log
python3 "$listener" "$notify_socket" "$notify_log" &
listener_pid=$!
for _ in $(seq 50); do
    [[ -S $notify_socket ]] && break
    sleep 0.1
done
[[ -S $notify_socket ]] || fatal "the notify listener did not bind $notify_socket"

purge_workflow_queues
# env -i, setpriv and the host exec one another: $! is the host's pid.
(
    cd /
    umask 0077
    exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        NOTIFY_SOCKET="$notify_socket" WATCHDOG_USEC=2000000 \
        CREDENTIALS_DIRECTORY="$credentials" \
        setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups --no-new-privs \
        "$HOST" --config "$config"
) >"$host_log" 2>&1 &
host_pid=$!

show_host_log() { printf -- '--- host log ---\n%s\n--- notify messages ---\n%s\n---\n' "$(cat "$host_log")" "$(cat "$notify_log")" >&2; }
port_answers() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }

deadline=$((SECONDS + READY_TIMEOUT_S))
until grep -qx 'READY=1' "$notify_log"; do
    if ! kill -0 "$host_pid" 2>/dev/null; then
        show_host_log
        fatal "micro-order-host exited before READY=1"
    fi
    ((SECONDS < deadline)) || break
    sleep 0.2
done
if grep -qx 'READY=1' "$notify_log"; then
    ok "READY=1 ($(grep -m1 '^STATUS=' "$notify_log" || echo 'no STATUS='))"
else
    fail "no READY=1 on NOTIFY_SOCKET within ${READY_TIMEOUT_S}s"
    # Go on with the rest once the listeners answer, so one missing message hides nothing else.
    until port_answers "$orders_port" && port_answers "$customers_port" && port_answers "$shippings_port"; do
        ((SECONDS < deadline + 15)) || { show_host_log; fatal "the host's listeners never answered"; }
        sleep 0.2
    done
fi
for port in "$customers_port" "$orders_port" "$shippings_port" "$summary_port"; do
    port_answers "$port" || fail "nothing answers on 127.0.0.1:$port after READY=1"
done
if out=$(CREDENTIALS_DIRECTORY="$credentials" setpriv --reuid="$USER_NAME" --regid="$USER_NAME" \
    --init-groups /usr/bin/micro-order-ctl --config "$config" dead-letters list 2>&1) &&
    grep -q ' in micro-order.dead-letter$' <<<"$out"; then
    ok "micro-order-ctl dead-letters list reads the broker the config names"
else
    fail "micro-order-ctl dead-letters list: $out"
fi

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
customer=$(curl -sf -X POST "http://127.0.0.1:$customers_port/customers/" -H 'Content-Type: application/json' \
    -d '{"email": "user@email.com", "address": "Moutain View, 33"}') || { show_host_log; fatal "POST /customers/ failed"; }
customer_id=$(json_field id <<<"$customer")
order=$(curl -sf -X POST "http://127.0.0.1:$orders_port/orders/" -H 'Content-Type: application/json' \
    -d "{\"customer\": $customer_id}") || { show_host_log; fatal "POST /orders/ failed"; }
order_id=$(json_field id <<<"$order")
[[ $(json_field status <<<"$order") == PROCESSING ]] || fail "a new order is not PROCESSING: $order"
ok "customer $customer_id, order $order_id PROCESSING"

deadline=$((SECONDS + SHIPPED_TIMEOUT_S)) status=''
while ((SECONDS < deadline)); do
    status=$(curl -sf "http://127.0.0.1:$orders_port/orders/$order_id/" | json_field status 2>/dev/null)
    [[ $status == SHIPPED ]] && break
    sleep 0.2
done
if [[ $status == SHIPPED ]]; then
    ok "order $order_id SHIPPED"
else
    show_host_log
    fail "order $order_id is $status, not SHIPPED, after ${SHIPPED_TIMEOUT_S}s"
fi
shippings=$(curl -sf "http://127.0.0.1:$shippings_port/shippings/")
python3 -c '
import json, sys
data = json.loads(sys.argv[1])
items = data if isinstance(data, list) else data.get("results", [])
sys.exit(0 if any(item.get("order") == int(sys.argv[2]) for item in items) else 1)' "$shippings" "$order_id" 2>/dev/null \
    || fail "GET /shippings/ lists no shipping of order $order_id: $shippings"

summary=$(curl -sf "http://127.0.0.1:$summary_port/summary/")
[[ $summary == '{"SHIPPED": 1}' ]] || fail "GET /summary/ is $summary, not {\"SHIPPED\": 1}"
ok "GET /summary/ $summary"

# What an operator watches: every listener answers /healthz and /readyz, and /metrics.
for port in "$customers_port" "$orders_port" "$shippings_port" "$summary_port"; do
    for path in /healthz /readyz; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
        [[ $code == 200 ]] || fail "GET $path on 127.0.0.1:$port is $code, not 200"
    done
done
metrics=$(curl -sf "http://127.0.0.1:$orders_port/metrics")
[[ $metrics == *'# TYPE '* ]] || fail "GET /metrics is no Prometheus text: ${metrics:0:200}"
ok "/healthz, /readyz 200 on every listener; /metrics $(grep -c '^# TYPE ' <<<"$metrics") metric families"

# ExecReload: SIGHUP re-reads the config; the protocol is RELOADING=1, then READY=1 again.
kill -HUP "$host_pid"
deadline=$((SECONDS + 10))
until [[ $(grep -cx 'READY=1' "$notify_log") -ge 2 ]] || ((SECONDS >= deadline)); do
    sleep 0.2
done
if ! kill -0 "$host_pid" 2>/dev/null; then
    show_host_log
    fatal "micro-order-host died of SIGHUP (systemctl reload)"
elif grep -qx 'RELOADING=1' "$notify_log" && [[ $(grep -cx 'READY=1' "$notify_log") -ge 2 ]]; then
    ok "SIGHUP: RELOADING=1, then READY=1 ($(grep '^STATUS=' "$notify_log" | tail -n 1))"
else
    fail "SIGHUP gave no RELOADING=1 followed by READY=1 on NOTIFY_SOCKET"
fi

if grep -qx 'WATCHDOG=1' "$notify_log"; then
    ok "WATCHDOG=1 pings ($(grep -cx 'WATCHDOG=1' "$notify_log"))"
else
    fail "no WATCHDOG=1 on NOTIFY_SOCKET with WATCHDOG_USEC=2000000"
fi

kill -TERM "$host_pid"
deadline=$((SECONDS + STOP_TIMEOUT_S))
while kill -0 "$host_pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
done
if kill -0 "$host_pid" 2>/dev/null; then
    show_host_log
    fatal "micro-order-host did not stop within ${STOP_TIMEOUT_S}s of SIGTERM"
fi
wait "$host_pid"
exit_code=$?
host_pid=''
if [[ $exit_code -eq 0 ]]; then
    ok "exit 0 after SIGTERM"
else
    show_host_log
    fail "micro-order-host exited with $exit_code after SIGTERM"
fi
sleep 0.2  # the last datagram may still be on its way to the listener's log
if grep -qx 'STOPPING=1' "$notify_log"; then
    ok "STOPPING=1"
else
    fail "no STOPPING=1 on NOTIFY_SOCKET after SIGTERM"
fi
purge_workflow_queues

for name in orders customers shippings; do
    file=$STATE_DIR/$name.sqlite3
    [[ $(stat -c %U "$file" 2>/dev/null) == "$USER_NAME" ]] || fail "$file is missing or not owned by $USER_NAME"
done

# --- 6. Remove, then purge ----------------------------------------------------------------
step "dpkg -r"
dpkg -r "${PACKAGES[@]}" >"$work/dpkg-remove.log" 2>&1 || { cat "$work/dpkg-remove.log" >&2; fatal "dpkg -r failed"; }
[[ ! -e $HOST ]] || fail "$HOST is still there after dpkg -r"
[[ $(dpkg-query -W -f='${Status}' micro-order 2>/dev/null) == *config-files ]] \
    || fail "micro-order is not in config-files state after dpkg -r"
for name in orders customers shippings; do
    [[ -f $STATE_DIR/$name.sqlite3 ]] || fail "dpkg -r removed $STATE_DIR/$name.sqlite3"
done
[[ -f $CONFIG_DIR/micro-order.yaml ]] || fail "dpkg -r removed the conffile $CONFIG_DIR/micro-order.yaml"
ok "dpkg -r kept $STATE_DIR and $CONFIG_DIR"

step "dpkg --purge"
dpkg --purge "${PACKAGES[@]}" >"$work/dpkg-purge.log" 2>&1 || { cat "$work/dpkg-purge.log" >&2; fatal "dpkg --purge failed"; }
installed=false
[[ ! -e $STATE_DIR ]] || fail "dpkg --purge left $STATE_DIR"
[[ ! -e $CONFIG_DIR ]] || fail "dpkg --purge left $CONFIG_DIR: $(ls -A "$CONFIG_DIR")"
ok "dpkg --purge removed $STATE_DIR and $CONFIG_DIR"

[[ ${#failures[@]} -eq 0 ]] && echo "PASS"
