#!/usr/bin/env bash
# Builds and runs every test. Installs what is missing and starts RabbitMQ first when needed
# (scripts/setup.sh); each run gets its own RabbitMQ vhost (the `broker` test fixture).
#
#   scripts/test.sh [ctest options]     e.g. scripts/test.sh -R ConfigLoader
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
exec ctest --test-dir build --output-on-failure -j2 --timeout 300 "$@"
