#!/usr/bin/env bash
# TLS for a study server (issue 17 item 3, README "Multi-site study on a server"): a
# throwaway CA and server certificate made here with openssl, a cluster of its own with
# ssl on and TCP allowed only over TLS (hostssl), then:
#   sslmode=verify-full with the right CA and host name connects, over TLS;
#   the same against another CA fails (certificate verify failed);
#   the right CA but another host name (127.0.0.1; the certificate names localhost) fails;
#   a connection without TLS (sslmode=disable) is refused by pg_hba;
#   the app (crisis-review, QPSQL) connects with the same URI parameters and refuses a
#   wrong CA, if given as $2 (with bench/server/ratingload as $3 to set the study up).
# Usage: tls.sh WORKDIR [CRISIS_REVIEW RATINGLOAD]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:?usage: tls.sh WORKDIR [CRISIS_REVIEW]}"
app="${2:-}"
load="${3:-}"
dir="$work/cluster"
certs="$work/certs"
rm -rf "$work"
mkdir -p "$certs"
cleanup() { "$here/pgcluster.sh" stop "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# --- a CA, a server certificate for "localhost" signed by it, and an unrelated CA.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Crisis Review test CA" \
    -keyout "$certs/ca.key" -out "$certs/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$certs/server.key" -out "$certs/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$certs/ext.cnf"
openssl x509 -req -in "$certs/server.csr" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" \
    -CAcreateserial -days 2 -extfile "$certs/ext.cnf" -out "$certs/server.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Some other CA" \
    -keyout "$certs/other.key" -out "$certs/other.crt" 2>/dev/null

# --- a cluster of its own (the shared one keeps running untouched), TLS switched on.
"$here/pgcluster.sh" start "$dir" 2>/dev/null
. "$dir/env"
cp "$certs/server.crt" "$certs/server.key" "$dir/data/"
chmod 600 "$dir/data/server.key"
[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir/data/server.crt" "$dir/data/server.key"
cat >>"$dir/data/postgresql.conf" <<CONF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
CONF
cat >"$dir/data/pg_hba.conf" <<HBA
local   all all               scram-sha-256
hostssl all all 127.0.0.1/32  scram-sha-256
HBA
"$here/pgcluster.sh" reload "$dir"
sleep 1

export PGPASSFILE="$dir/pgpass"
pass="$(cat "$dir/admin.pass")"
# libpq matches a ~/.pgpass host by name: give the name used here too.
printf 'localhost:%s:*:cr_admin:%s\n' "$CR_PG_PORT" "$pass" >>"$PGPASSFILE"
conn() { psql -X -At -d "$1" -c "$2" 2>&1; }
base="port=$CR_PG_PORT dbname=postgres user=cr_admin"

out="$(conn "host=localhost $base sslmode=verify-full sslrootcert=$certs/ca.crt" \
    'select ssl, version from pg_stat_ssl where pid = pg_backend_pid()')" ||
    fail "verify-full with the right CA did not connect: $out"
case "$out" in t\|TLSv1.[23]) ;; *) fail "not a TLS connection: $out" ;; esac
echo "ok: sslmode=verify-full connects over TLS ($out)"

if out="$(conn "host=localhost $base sslmode=verify-full sslrootcert=$certs/other.crt" 'select 1')"; then
    fail "verify-full accepted a server certificate from another CA"
fi
echo "$out" | grep -q "certificate verify failed" || fail "unexpected error for a wrong CA: $out"
echo "ok: another CA is refused (certificate verify failed)"

if out="$(conn "host=127.0.0.1 $base sslmode=verify-full sslrootcert=$certs/ca.crt" 'select 1')"; then
    fail "verify-full accepted a certificate for another host name"
fi
echo "$out" | grep -q 'does not match host name' || fail "unexpected error for a wrong host name: $out"
echo "ok: another host name is refused ($(echo "$out" | grep -o 'server certificate.*' | head -1))"

if out="$(conn "host=localhost $base sslmode=disable" 'select 1')"; then
    fail "a connection without TLS was accepted"
fi
echo "$out" | grep -q 'no encryption' || fail "unexpected error without TLS: $out"
echo "ok: without TLS the server refuses (pg_hba hostssl)"

if [ -n "$app" ]; then
    psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres -c 'create database tlsstudy'
    "$app" init "$work/local.crisis" --title "TLS study" >/dev/null
    uri="postgresql://cr_admin@localhost:$CR_PG_PORT/tlsstudy?sslmode=verify-full&sslrootcert=$certs/ca.crt"
    "$load" publish "$work/local.crisis" "$uri" || fail "app: server init over TLS"
    out="$("$app" info "$uri" 2>&1)" || fail "app: info over TLS: $out"
    echo "$out" | grep -q "TLS study" || fail "app: info over TLS: $out"
    bad="postgresql://cr_admin@localhost:$CR_PG_PORT/tlsstudy?sslmode=verify-full&sslrootcert=$certs/other.crt"
    if out="$("$app" info "$bad" 2>&1)"; then fail "app: connected with a wrong CA"; fi
    echo "$out" | grep -q "certificate verify failed" || fail "app: unexpected error for a wrong CA: $out"
    echo "ok: the app connects with sslmode=verify-full and refuses another CA"
fi
