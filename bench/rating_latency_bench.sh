#!/usr/bin/env bash
# Rating write latency on a study server (issue 17 benchmark): p50/p95 of one rating write
# (its own transaction, synchronous_commit on; RatingRepository::setResponseRating, the
# rating page's path) with 1, 10 and 50 concurrent simulated raters on loopback, each on
# their own connection and login (row-level security applies). SECONDS per level (10).
# A throwaway cluster of its own (tests/pg/pgcluster.sh; fsync is off there, as in the
# tests: the figures are the server's work, not the disk's).
#
# Two write paths, each RUNS times (3) per level, the median of the runs' p50/p95 printed:
#   one-statement  the app's path: SELECT cr_set_rating(…), one round trip, the study's
#                  write lock taken on the server for the event append only;
#   classic        the same study with cr_set_rating dropped (a server set up by an
#                  earlier version): BEGIN, the lock, the statements one by one, COMMIT.
#   no-tally       one-statement with the tally triggers of schema step 12 dropped (the write
#                  path of schema 11, whose `info` counts were views over the rows): what
#                  keeping the counts costs a write. It drops them for the paths after it too.
# hold_us is how long one write held the study's write lock (Study::lastWriteLockMicros:
# server-measured lock → end of statement for one-statement, the commit follows; client-
# measured BEGIN's lock → end of COMMIT for classic). PATHS="one-statement" runs one.
# PAUSE_MS=P: each simulated rater waits P ms after each acknowledged write (a rater's pace;
# default 0, a closed loop in which every rater writes again at once: a saturation test).
# The load average is printed with the figures: on a shared machine they mean little.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs="${RUNS:-3}"
paths="${PATHS:-one-statement classic}"
seconds="${SECONDS_PER_LEVEL:-10}"
pg_bench_cluster bench bench
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
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $runs runs x ${seconds} s per level; pause after each write ${PAUSE_MS:-0} ms"
printf '%-14s %-7s %8s %8s %8s %8s %9s %9s\n' path raters writes p50_ms p95_ms max_ms hold50_us hold95_us
for path in $paths; do
    if [ "$path" = no-tally ]; then
        psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d bench -c "DO \$\$ DECLARE t record; BEGIN
            FOR t IN SELECT tgname, tgrelid::regclass AS rel FROM pg_trigger WHERE tgname LIKE 'tally\\_%' LOOP
            EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.rel); END LOOP; END \$\$" >/dev/null
    fi
    if [ "$path" = classic ]; then
        psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d bench \
            -c 'drop function if exists cr_set_rating' >/dev/null
    fi
    for n in 1 10 50; do
        writes=() p50=() p95=() max=() h50=() h95=()
        for _ in $(seq 1 "$runs"); do
            out="$("$load" run "postgresql://{rater}@127.0.0.1:$CR_PG_PORT/bench" --raters "$n" --seconds "$seconds" --pause-ms "${PAUSE_MS:-0}")"
            field() { echo "$out" | sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p"; }
            writes+=("$(field writes)") p50+=("$(field p50_ms)") p95+=("$(field p95_ms)")
            max+=("$(field max_ms)") h50+=("$(field hold_p50_us)") h95+=("$(field hold_p95_us)")
        done
        printf '%-14s %-7s %8s %8.2f %8.2f %8.2f %9.1f %9.1f\n' "$path" "$n" "$(median "${writes[@]}")" \
            "$(median "${p50[@]}")" "$(median "${p95[@]}")" "$(median "${max[@]}")" \
            "$(median "${h50[@]}")" "$(median "${h95[@]}")"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
