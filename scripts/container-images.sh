#!/usr/bin/env bash
# Builds micro-order's container images from this clone, as root on Debian 12:
#
#   1. the base image localhost/debian:bookworm, only when missing (debootstrap from this machine's
#      Debian mirror, then Debian's updates; about a minute, once per machine)
#   2. the micro-order .deb: cmake -S . -B build-pkg (Release, prefix /usr) and cpack -G DEB, as
#      the README's "Build the packages" says, building only what the package installs
#   3. localhost/micro-order:<package version> and :latest (packaging/container/Containerfile)
#      and localhost/micro-order-rabbitmq:latest (packaging/container/rabbitmq/Containerfile)
#
#   scripts/container-images.sh [--rebuild-base]
#
# Installs podman and the rest when missing (scripts/container-common.sh) and the build tools
# (scripts/setup.sh --no-build). Logs go to build-pkg/container/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/container-common.sh
source scripts/container-common.sh

readonly BUILD_DIR=build-pkg
readonly IMAGE=localhost/micro-order
readonly RABBITMQ_IMAGE=localhost/micro-order-rabbitmq
# What the micro-order package installs. Building only these (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY
# keeps cpack from building everything first) leaves out the tests: about half the build.
readonly PACKAGE_TARGETS=(micro-order-host micro-order-ctl customers_plugin orders_plugin shippings_plugin consumers_plugin docs_plugin)
readonly BASE_LOCK=/tmp/micro-order-container-base.lock
base_root=''  # the debootstrap folder while the base image is built, removed on exit

cleanup() {
    local status=$?
    [[ -n $base_root ]] && rm -rf "$base_root"
    exit "$status"
}
trap cleanup EXIT

run_logged() {
    local log=$1
    shift
    if ! "$@" >>"$log" 2>&1 </dev/null; then
        printf '%s: failed: %s\n--- last lines of %s ---\n' "$(basename "$0")" "$*" "$log" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}

# The URI of this machine's Debian mirror (deb822 sources, as Debian 12 writes them).
debian_mirror() {
    local uri
    uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n 1)
    printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# Like Debian's own bookworm-slim image: no manuals, documentation or translations in the image
# (copyright files stay), and no apt lists or downloaded packages.
slim_root() {
    local root=$1
    cat >"$root/etc/dpkg/dpkg.cfg.d/90-container-slim" <<'EOF'
# A container image: no manuals, documentation or translations (scripts/container-images.sh).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/groff/* "$root"/usr/share/lintian/*
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
}

build_base_image() {
    local log=$CONTAINER_WORK_DIR/base-image.log root mirror
    : >"$log"
    mirror=$(debian_mirror)
    base_root=$(mktemp -d /var/tmp/micro-order-base.XXXXXX)
    root=$base_root
    container_say "Building $BASE_IMAGE (debootstrap from $mirror; once per machine)"
    run_logged "$log" debootstrap --variant=minbase bookworm "$root" "$mirror"
    slim_root "$root"
    # The image's apt uses this machine's Debian sources (bookworm, -updates, -security).
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
        rm -f "$root/etc/apt/sources.list"
    fi
    # Without PATH in the image, `podman kube play` finds no sh.
    if ! tar -C "$root" -c . | podman import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' - "$BASE_IMAGE-bootstrap" >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        container_fail "podman import of $root failed (log: $log)"
    fi
    local containerfile=$CONTAINER_WORK_DIR/Containerfile.base
    cat >"$containerfile" <<EOF
FROM $BASE_IMAGE-bootstrap
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log
EOF
    run_logged "$log" podman build --network host --squash -f "$containerfile" -t "$BASE_IMAGE" "$CONTAINER_WORK_DIR"
    run_logged "$log" podman rmi "$BASE_IMAGE-bootstrap"
    rm -rf "$base_root"
    base_root=''
}

ensure_base_image() {
    local rebuild=$1
    # One builder at a time on a machine; a second waits and then finds the image.
    exec 9>"$BASE_LOCK"
    flock 9
    if $rebuild || ! podman image exists "$BASE_IMAGE"; then
        local began=$SECONDS
        build_base_image
        container_say "Built $BASE_IMAGE in $((SECONDS - began)) s"
    fi
    flock -u 9
}

# Prints the path of the one micro-order_<version>_<arch>.deb it made.
build_package() {
    local log=$CONTAINER_WORK_DIR/package.log launcher=()
    : >"$log"
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    run_logged "$log" cmake -S . -B "$BUILD_DIR" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "${launcher[@]}"
    run_logged "$log" cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${PACKAGE_TARGETS[@]}"
    rm -f "$BUILD_DIR"/packages/*.deb
    if ! (cd "$BUILD_DIR" && cpack -G DEB) >>"$log" 2>&1 </dev/null; then
        tail -n 30 "$log" >&2
        container_fail "cpack -G DEB failed (log: $log). If the package now installs a new target, add it to PACKAGE_TARGETS in $0"
    fi
    local debs=("$BUILD_DIR"/packages/micro-order_*.deb)
    [[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || container_fail "cpack made no single micro-order_*.deb in $BUILD_DIR/packages"
    printf '%s\n' "${debs[0]}"
}

build_images() {
    local deb=$1 log=$CONTAINER_WORK_DIR/images.log context=$CONTAINER_WORK_DIR/context version depends
    : >"$log"
    version=$(dpkg-deb -f "$deb" Version)
    depends=$(dpkg-deb -f "$deb" Depends)
    rm -rf "$context"
    mkdir -p "$context"
    cp packaging/container/entrypoint.sh packaging/container/healthcheck.sh \
        packaging/container/configure-image.sh "$deb" "$context/"
    # --format docker: the OCI format has no HEALTHCHECK. --network host: apt in RUN steps.
    run_logged "$log" podman build --format docker --network host \
        --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg MICRO_ORDER_VERSION="$version" \
        --build-arg MICRO_ORDER_DEPENDS="$depends" \
        -f packaging/container/Containerfile -t "$IMAGE:$version" -t "$IMAGE:latest" "$context"
    run_logged "$log" podman build --format docker --network host --build-arg BASE_IMAGE="$BASE_IMAGE" \
        -f packaging/container/rabbitmq/Containerfile -t "$RABBITMQ_IMAGE:latest" packaging/container/rabbitmq
    # The images of the previous build, which no tag names any more (only ours: by their label).
    local title
    for title in micro-order micro-order-rabbitmq; do
        podman image prune -f --filter "label=org.opencontainers.image.title=$title" >>"$log" 2>&1 || true
    done
    container_say "Built $IMAGE:$version ($(image_size "$IMAGE:$version")) and $RABBITMQ_IMAGE:latest ($(image_size "$RABBITMQ_IMAGE:latest"))"
}

image_size() { podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

main() {
    local rebuild_base=false
    for arg in "$@"; do
        case $arg in
            --rebuild-base) rebuild_base=true ;;
            -h | --help)
                sed -n '2,16s/^# \{0,1\}//p' "$0"
                exit 0
                ;;
            *) container_fail "unknown argument: $arg (usage: scripts/container-images.sh [--rebuild-base])" ;;
        esac
    done
    [[ $EUID -eq 0 ]] || container_fail "run as root: podman builds and runs these images as root here"
    scripts/setup.sh --no-build --no-broker
    container_install_packages
    container_use_engine_config
    mkdir -p "$CONTAINER_WORK_DIR"
    ensure_base_image "$rebuild_base"
    local deb
    deb=$(build_package)
    container_say "Packaged $(basename "$deb")"
    build_images "$deb"
}

main "$@"
