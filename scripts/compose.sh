#!/usr/bin/env bash
# micro-order with compose (packaging/container/compose.yaml), as root on Debian 12:
#
#   scripts/compose.sh up -d      # builds the images from this clone (scripts/container-images.sh), then starts
#   scripts/compose.sh ps         # any other podman-compose command, e.g. logs -f orders, stop, down
#   scripts/compose.sh down       # stops (SIGTERM, 15 s to drain), removes the containers; -v also the data
#
# It is podman-compose -p micro-order -f packaging/container/compose.yaml, with the podman settings
# this kind of machine needs (scripts/container-common.sh). `up` rebuilds the .deb and the images
# first, so they are the clone's code; building the base image takes a minute the first time.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/container-common.sh
source scripts/container-common.sh

readonly PROJECT=micro-order
readonly COMPOSE_FILE=packaging/container/compose.yaml
# Longer than the image's shutdown_grace_ms (8 s). podman-compose 1.0.3's `down` waits 1 s
# before SIGKILL unless told otherwise, which would cut every drain short.
readonly STOP_TIMEOUT_S=15

[[ $# -gt 0 ]] || set -- up -d
case $1 in
    -h | --help)
        sed -n '2,10s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    up) scripts/container-images.sh ;;
    down | stop | restart)
        [[ " $* " == *" -t "* || " $* " == *" --timeout"* ]] || set -- "$1" -t "$STOP_TIMEOUT_S" "${@:2}"
        ;;
esac
container_install_packages
container_use_engine_config
status=0
podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" "$@" || status=$?
# podman-compose 1.0.3 leaves the project's network behind.
if [[ $1 == down && $status -eq 0 ]]; then
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
fi
exit "$status"
