#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite (issue 17).
#   tests/pg/pgcluster.sh start DIR    initdb into DIR/data, start it, write DIR/env
#   tests/pg/pgcluster.sh stop DIR     stop it (fast, then immediate) and remove DIR
#   tests/pg/pgcluster.sh status DIR   exit 0 when it answers
#   tests/pg/pgcluster.sh reload DIR   re-read DIR/data/postgresql.conf and pg_hba.conf
#                                      (e.g. after a test switched TLS on in its own cluster)
#   tests/pg/pgcluster.sh pause DIR    kill the server now (immediate stop: no clean
#                                      shutdown, like a crash); DIR stays
#   tests/pg/pgcluster.sh resume DIR   start it again on the same port (crash recovery)
# (pause/resume are for fault tests on a cluster of their own, never the shared one.)
# The server listens on a Unix socket in DIR/sock and on 127.0.0.1:PORT (a free port
# chosen here), loopback only. Every connection needs a SCRAM password (pg_hba), the
# superuser's included: cr_admin, password in DIR/admin.pass, and DIR/pgpass is a
# ~/.pgpass-style file for it. DIR/env is a shell fragment for tests:
#   CR_PG_HOST (socket dir), CR_PG_PORT, CR_PG_USER, CR_PG_PASSFILE, CR_PG_BIN, CR_PG_URI
# initdb refuses to run as root; as root the cluster runs as user nobody (setpriv).
set -euo pipefail
cmd="${1:?usage: pgcluster.sh start|stop|status|reload|pause|resume DIR}"
dir="${2:?usage: pgcluster.sh start|stop|status|reload|pause|resume DIR}"

bin=""
for v in 15 16 17; do
    [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { bin="/usr/lib/postgresql/$v/bin"; break; }
done
[ -n "$bin" ] || { echo "pgcluster: PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 1; }

. "$(dirname "${BASH_SOURCE[0]}")/pglib.sh" # as_owner, free_port

case "$cmd" in
start)
    if [ -f "$dir/env" ] && "$0" status "$dir" 2>/dev/null; then
        exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir/sock"
    port="$(free_port)"
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/admin.pass"
    [ "$(id -u)" -eq 0 ] && chown -R nobody:nogroup "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U cr_admin --pwfile="$dir/admin.pass" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
password_encryption = 'scram-sha-256'
synchronous_commit = on
fsync = off
full_page_writes = off
max_connections = 200
shared_buffers = 64MB
log_min_messages = warning
CONF
    cat >"$dir/data/pg_hba.conf" <<HBA
# TYPE  DATABASE USER ADDRESS      METHOD
local   all      all               scram-sha-256
host    all      all  127.0.0.1/32 scram-sha-256
HBA
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    printf '%s:%s:*:cr_admin:%s\n127.0.0.1:%s:*:cr_admin:%s\n' "$dir/sock" "$port" "$(cat "$dir/admin.pass")" \
        "$port" "$(cat "$dir/admin.pass")" >"$dir/pgpass"
    chmod 600 "$dir/pgpass" "$dir/admin.pass"
    [ "$(id -u)" -eq 0 ] && chmod 711 "$dir" && chown root:root "$dir/pgpass"
    cat >"$dir/env" <<ENV
CR_PG_HOST=$dir/sock
CR_PG_PORT=$port
CR_PG_USER=cr_admin
CR_PG_PASSFILE=$dir/pgpass
CR_PG_BIN=$bin
CR_PG_URI=postgresql://cr_admin@127.0.0.1:$port/postgres
ENV
    PGPASSFILE="$dir/pgpass" psql -X -q -h "$dir/sock" -p "$port" -U cr_admin -d postgres -c 'select 1' >/dev/null
    echo "pgcluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $dir/sock and 127.0.0.1:$port" >&2
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 ||
            as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
reload)
    as_owner "$bin/pg_ctl" -D "$dir/data" reload >/dev/null
    ;;
pause)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null
    ;;
resume)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
        { tail -20 "$dir/server.log" >&2; exit 1; }
    ;;
status)
    [ -f "$dir/env" ] || exit 1
    # shellcheck disable=SC1091
    . "$dir/env"
    PGPASSFILE="$CR_PG_PASSFILE" psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres \
        -c 'select 1' >/dev/null 2>&1
    ;;
*)
    echo "pgcluster: unknown command $cmd" >&2
    exit 2
    ;;
esac
