#!/usr/bin/env bash
# Runs every micro-order service and worker in one host process, in the foreground (Ctrl-C stops
# it). Installs what is missing, builds the host and the plugins (not the tests: scripts/test.sh
# builds those) and starts RabbitMQ first when needed (scripts/setup.sh --runtime).
#
#   scripts/run.sh [micro-order-host options]     e.g. scripts/run.sh --check-config
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --runtime
# The YAML's relative paths are relative to the file: databases in var/, plugins from build/plugins.
exec build/host/micro-order-host --config etc/micro-order.yaml "$@"
