#!/bin/sh
# Container entrypoint: wait for the database, prepare it (web role only), then run the command.
#   APP_ROLE           web (default) migrates, sets up the schedules and publishes static files; worker does not
#   DB_WAIT_RETRIES    connection attempts before giving up (default 30)
#   DB_WAIT_INTERVAL   seconds between attempts (default 2)
#   STATIC_PUBLISH_DIR when set, the image's collected static files are copied there for nginx
set -eu

role="${APP_ROLE:-web}"
retries="${DB_WAIT_RETRIES:-30}"
interval="${DB_WAIT_INTERVAL:-2}"
# The probe's exit status when the database refused or timed out: the only failure worth waiting for.
unreachable=3

cd "$(dirname "$0")/.."

log() {
    printf 'entrypoint: %s\n' "$*" >&2
}

# `manage.py check --database default` does not open a PostgreSQL connection, so connect explicitly.
probe_database() {
    python manage.py shell --no-imports -c '
import sys
from django.db import connection
try:
    connection.ensure_connection()
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
    sys.exit(3)  # "unreachable" in the shell script
'
}

wait_for_database() {
    attempt=1
    while :; do
        status=0
        output=$(probe_database 2>&1) || status=$?
        if [ "$status" -eq 0 ]; then
            return 0
        fi
        # Anything else failed while loading the settings: waiting would not fix it.
        if [ "$status" -ne "$unreachable" ] || [ "$attempt" -ge "$retries" ]; then
            log "database not usable (attempt $attempt/$retries):"
            printf '%s\n' "$output" >&2
            return 1
        fi
        log "waiting for the database (attempt $attempt/$retries): $output"
        attempt=$((attempt + 1))
        sleep "$interval"
    done
}

prepare_database() {
    python manage.py migrate --noinput
    python manage.py setup_schedules
}

# The static volume outlives the image: refresh it from the files collected at build time.
publish_static() {
    if [ -n "${STATIC_PUBLISH_DIR:-}" ]; then
        cp -R "${STATIC_ROOT:-staticfiles}/." "$STATIC_PUBLISH_DIR/"
        log "static files published to $STATIC_PUBLISH_DIR"
    fi
}

wait_for_database
if [ "$role" = web ]; then
    prepare_database
    publish_static
fi
exec "$@"
