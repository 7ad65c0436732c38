#!/usr/bin/env bash
# The test cluster answers the superuser with its password and refuses a wrong one.
set -euo pipefail
. "$1/env"
v="$(PGPASSFILE="$CR_PG_PASSFILE" psql -X -At -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U "$CR_PG_USER" -d postgres \
    -c 'show server_version_num')"
[ "${v:0:2}" = 15 ] || { echo "expected PostgreSQL 15, got $v" >&2; exit 1; }
if PGPASSWORD=wrong PGPASSFILE=/dev/null psql -X -At -h 127.0.0.1 -p "$CR_PG_PORT" -U "$CR_PG_USER" \
    -d postgres -c 'select 1' >/dev/null 2>&1; then
    echo "a wrong password was accepted" >&2
    exit 1
fi
echo "ok: PostgreSQL $v, SCRAM enforced"
