#!/usr/bin/env bash
# Creates or deletes the RabbitMQ vhost one test run uses, so runs never see each other's queues.
set -euo pipefail
action=$1 vhost=$2
case "$action" in
  create)
    rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "$vhost"
    rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*' ;;
  delete)
    rabbitmqctl -q delete_vhost "$vhost" ;;
  *) echo "usage: $0 create|delete VHOST" >&2; exit 2 ;;
esac
