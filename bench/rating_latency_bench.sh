#!/usr/bin/env bash
# Rating write latency on a study server (issue 17 benchmark): p50/p95 of one rating write
# (its own transaction, synchronous_commit on; RatingRepository::setResponseRating, the
# rating page's path) with 1, 10 and 50 concurrent simulated raters on loopback, each on
# their own connection and login (row-level security applies). SECONDS per level (10).
# A throwaway cluster of its own (tests/pg/pgcluster.sh; fsync is off there, as in the
# tests: the figures are the server's work, not the disk's).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load="$build/tests/pg/ratingload"
[ -x "$app" ] && [ -x "$load" ] || { echo "build first: scripts/setup.sh" >&2; exit 1; }
seconds="${SECONDS_PER_LEVEL:-10}"
work="$(mktemp -d)"
cluster="/tmp/cr-bench-pg-$$"
trap '"$here/tests/pg/pgcluster.sh" stop "$cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
"$here/tests/pg/pgcluster.sh" start "$cluster" 2>/dev/null
. "$cluster/env"
export PGPASSFILE="$work/pgpass"
cp "$CR_PG_PASSFILE" "$PGPASSFILE"
psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres -c 'create database bench'
uri="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/bench"
for i in $(seq 1 40); do
    printf '{"item_id":"b-%d","text":"message %d","responses":[{"model":"m1","text":"one %d"},{"model":"m2","text":"two %d"},{"model":"m3","text":"three %d"}]}\n' \
        "$i" "$i" "$i" "$i" "$i"
done >"$work/items.jsonl"
"$app" init "$work/s.crisis" >/dev/null
"$app" import "$work/s.crisis" "$work/items.jsonl" >/dev/null 2>&1
names=""
for i in $(seq 1 50); do
    "$app" rater add "$work/s.crisis" "load-$i" >/dev/null
    names="$names${names:+,}load-$i"
done
"$app" assign "$work/s.crisis" --raters "$names" --per-item 50 --seed 1 >/dev/null
"$load" publish "$work/s.crisis" "$uri" # server init + publish (storage::server)
for i in $(seq 1 50); do
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/p"
    "$app" server add-person "$uri" "load-$i" --role rater --password-file "$work/p" >/dev/null 2>&1
    printf '127.0.0.1:%s:bench:load-%d:%s\n' "$CR_PG_PORT" "$i" "$(cat "$work/p")" >>"$PGPASSFILE"
done
printf '%-8s %8s %8s %8s %8s %8s\n' raters writes p50_ms p95_ms p99_ms max_ms
for n in 1 10 50; do
    out="$("$load" run "postgresql://{rater}@127.0.0.1:$CR_PG_PORT/bench" --raters "$n" --seconds "$seconds")"
    field() { echo "$out" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
    printf '%-8s %8s %8.2f %8.2f %8.2f %8.2f\n' "$n" "$(field writes)" "$(field p50_ms)" \
        "$(field p95_ms)" "$(field p99_ms)" "$(field max_ms)"
done
