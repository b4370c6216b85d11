#!/bin/sh
# The RabbitMQ image's entry point: the default user from the environment, then the broker in the
# foreground with its logs on stdout. rabbitmq-server (a shell script) stays PID 1 and stops the
# broker cleanly on SIGTERM.
#
# RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS (or RABBITMQ_DEFAULT_PASS_FILE, a mounted secret):
#   the user the broker creates on its first start (an empty /var/lib/rabbitmq) instead of guest.
#   Letters, digits and . _ ~ - only, so that the password goes into an amqp:// URL as it is.
set -eu

fail() {
    echo "rabbitmq-entrypoint: $*" >&2
    exit 78
}

if [ -n "${RABBITMQ_DEFAULT_PASS_FILE:-}" ]; then
    [ -z "${RABBITMQ_DEFAULT_PASS:-}" ] || fail "both RABBITMQ_DEFAULT_PASS and RABBITMQ_DEFAULT_PASS_FILE are set; set one"
    [ -r "$RABBITMQ_DEFAULT_PASS_FILE" ] || fail "cannot read RABBITMQ_DEFAULT_PASS_FILE $RABBITMQ_DEFAULT_PASS_FILE"
    RABBITMQ_DEFAULT_PASS=$(head -n 1 "$RABBITMQ_DEFAULT_PASS_FILE" | tr -d '\r\n')
fi
if [ -n "${RABBITMQ_DEFAULT_USER:-}" ]; then
    for value in "$RABBITMQ_DEFAULT_USER" "${RABBITMQ_DEFAULT_PASS:-}"; do
        case $value in
            '' | *[!A-Za-z0-9._~-]*) fail "RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS must be non-empty, of letters, digits and . _ ~ - only" ;;
        esac
    done
    # Beside /etc/rabbitmq/rabbitmq.conf, in a folder only this user reads (the image's /etc is read-only to it).
    config_dir=$(mktemp -d /tmp/rabbitmq-conf.XXXXXX)
    (umask 077 && printf 'default_user = %s\ndefault_pass = %s\n' "$RABBITMQ_DEFAULT_USER" "$RABBITMQ_DEFAULT_PASS" \
        >"$config_dir/50-default-user.conf")
    export RABBITMQ_CONFIG_FILES="$config_dir"
fi
unset RABBITMQ_DEFAULT_PASS RABBITMQ_DEFAULT_PASS_FILE

# Not /usr/sbin/rabbitmq-server: Debian's wrapper sends the output to /var/log/rabbitmq/startup_log.
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
