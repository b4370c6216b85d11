# Sourced by scripts/container-images.sh, compose.sh and container-test.sh: the Debian packages
# containers need here, and the podman settings this kind of machine needs, given through
# CONTAINERS_CONF so that the machine's own /etc/containers is never changed.
#
# Measured on the CI machines (PLATFORM-NOTES.md, "Containers"): crun refuses their hybrid
# cgroups; runc and crun both fail to start a container whose rlimits the engine sets ("error
# setting rlimit type 7: operation not permitted"); no systemd runs to manage cgroups. runc with
# cgroupfs and no default ulimits works. A CONTAINERS_CONF set by the caller wins.
# shellcheck shell=bash

readonly CONTAINER_PACKAGES=(
    podman runc           # runc before podman's default "crun | runc" choice: crun fails here
    catatonit             # the pause process of the pods `podman kube play` makes
    golang-github-containernetworking-plugin-dnsname # containers find each other by name
    debootstrap           # the base image
    podman-compose        # 1.0.3
    curl python3 python3-yaml # the container test's requests, JSON and manifests
)
readonly CONTAINER_WORK_DIR=build-pkg/container
# shellcheck disable=SC2034  # used by the scripts that source this file
readonly BASE_IMAGE=localhost/debian:bookworm

container_say() { printf '%s\n' "$*"; }
container_fail() {
    printf '%s: %s\n' "$(basename "$0")" "$*" >&2
    exit 1
}

# Installs the packages above that are missing (as setup.sh does: one apt-get, output in a log).
container_install_packages() {
    local missing=() package
    for package in "${CONTAINER_PACKAGES[@]}"; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null) != installed ]]; then
            missing+=("$package")
        fi
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ $EUID -eq 0 ]] || container_fail "missing packages; as root run: apt-get install --no-install-recommends ${missing[*]}"
    mkdir -p "$CONTAINER_WORK_DIR"
    local log=$CONTAINER_WORK_DIR/apt.log
    if ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update \
        && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
            --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
        tail -n 30 "$log" >&2
        container_fail "apt-get install ${missing[*]} failed (log: $log)"
    fi
    container_say "Installed ${missing[*]}"
}

# Exports CONTAINERS_CONF: the caller's, or ours in $CONTAINER_WORK_DIR.
container_use_engine_config() {
    if [[ -n ${CONTAINERS_CONF:-} ]]; then
        [[ -r $CONTAINERS_CONF ]] || container_fail "CONTAINERS_CONF names $CONTAINERS_CONF, which cannot be read"
        return 0
    fi
    mkdir -p "$CONTAINER_WORK_DIR"
    local conf=$PWD/$CONTAINER_WORK_DIR/containers.conf
    cat >"$conf.new" <<'EOF'
# Written by scripts/container-common.sh; used through CONTAINERS_CONF by the project's scripts only.
[containers]
# Setting the engine's default rlimits fails here ("error setting rlimit type 7"): set none.
default_ulimits = []

[engine]
# No systemd runs on the CI machines to manage cgroups; crun refuses their hybrid cgroups.
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
    mv "$conf.new" "$conf"
    export CONTAINERS_CONF=$conf
}
