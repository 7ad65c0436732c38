#!/usr/bin/env bash
# Fault tests on a real server (issue 17 item 5), loopback only, every loop bounded:
#   concurrent  R simulated raters (bench/server/ratingload, one connection and one
#               transaction per rating) for S seconds on the shared test cluster: no
#               acknowledged rating lost, none duplicated, every write in the audit log once;
#   server-kill the server of a cluster of its own is killed (immediate stop, like a crash)
#               mid-session and started again: writers reconnect, no acknowledged rating lost;
#   client-kill the writer is SIGKILLed mid-write: nothing acknowledged lost, no half
#               transaction, the audit chain still verifies.
# Usage: faults.sh CR_PG_DIR CRISIS_REVIEW RATINGLOAD WORKDIR CASE [RATERS SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pgdir="${1:?usage: faults.sh CR_PG_DIR CRISIS_REVIEW RATINGLOAD WORKDIR CASE [RATERS SECONDS]}"
app="${2:?}"
load="${3:?}"
work="${4:?}"
case_="${5:?}"
raters="${6:-20}"
seconds="${7:-60}"
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

own=""
if [ "$case_" = server-kill ]; then
    own="$work/cluster" # never kill the shared cluster
    "$here/pgcluster.sh" start "$own" 2>/dev/null
    pgdir="$own"
fi
. "$pgdir/env"
export PGPASSFILE="$work/pgpass"
cp "$CR_PG_PASSFILE" "$PGPASSFILE"
chmod 600 "$PGPASSFILE"
db="fault_${case_//-/_}_$$"
admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin "$@"; }
cleanup() {
    [ -n "${writer:-}" ] && kill -9 "$writer" 2>/dev/null || true
    if [ -n "$own" ]; then
        "$here/pgcluster.sh" stop "$own" >/dev/null 2>&1 || true
    else
        admin -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
admin -d postgres -c "create database $db"
uri="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/$db"

# A study with RATERS raters load-1 … load-N, each assigned every item (12 items x 2 models).
local="$work/local.crisis"
for i in $(seq 1 12); do
    printf '{"item_id":"f-%d","text":"message %d","responses":[{"model":"m1","text":"one %d"},{"model":"m2","text":"two %d"}]}\n' \
        "$i" "$i" "$i" "$i"
done >"$work/items.jsonl"
"$app" init "$local" >/dev/null
"$app" import "$local" "$work/items.jsonl" >/dev/null 2>&1
names=""
for i in $(seq 1 "$raters"); do
    "$app" rater add "$local" "load-$i" >/dev/null
    names="$names${names:+,}load-$i"
done
"$app" assign "$local" --raters "$names" --per-item "$raters" --seed 1 >/dev/null
"$load" publish "$local" "$uri" # server init + publish (storage::server)

log="$work/writes.log"
case "$case_" in
concurrent)
    out="$("$load" run "$uri" --raters "$raters" --seconds "$seconds" --log "$log")" ||
        fail "writers reported errors: $out"
    echo "run: $out"
    ;;
server-kill)
    "$load" run "$uri" --raters "$raters" --seconds "$seconds" --log "$log" >"$work/run.json" &
    writer=$!
    sleep 3
    before="$(grep -c '^A' "$log" || true)"
    "$here/pgcluster.sh" pause "$own"
    sleep 2
    "$here/pgcluster.sh" resume "$own"
    wait "$writer" || fail "writers reported errors: $(cat "$work/run.json")"
    writer=""
    out="$(cat "$work/run.json")"
    echo "run: $out (acknowledged before the kill: $before)"
    retries="$(echo "$out" | sed -n 's/.*"retries":\([0-9]*\).*/\1/p')"
    [ "${retries:-0}" -gt 0 ] || fail "no write met the stopped server (retries 0)"
    ;;
client-kill)
    "$load" run "$uri" --raters "$raters" --seconds 120 --log "$log" >/dev/null &
    writer=$!
    sleep 4
    kill -9 "$writer"
    wait "$writer" 2>/dev/null || true
    writer=""
    echo "writer killed after $(grep -c '^A' "$log" || true) acknowledged writes"
    ;;
*) fail "unknown case $case_" ;;
esac

out="$("$load" check "$uri" --raters "$raters" --log "$log")" || fail "check: $out"
echo "check: $out"
for key in lost duplicated unknown; do
    echo "$out" | grep -q "\"$key\":0[,}]" || fail "$key: $out"
done
if [ "$case_" = concurrent ]; then
    echo "$out" | grep -q '"in_flight":0[,}]' || fail "writes left in flight: $out"
fi
"$app" verify "$uri" >/dev/null || fail "the audit chain does not verify after $case_"
echo "ok: $case_ (${raters} raters): nothing acknowledged lost, nothing duplicated, chain verifies"
