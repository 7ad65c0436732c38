#!/usr/bin/env bash
# Where the time of one rating write on a study server goes (issue 17, companion of
# rating_latency_bench.sh), without pg_stat_statements: a cluster of its own, one rater's
# login, WRITES ratings (200) one after another through the app's path
# (RatingRepository::setResponseRating), with auto_explain (log_analyze,
# log_nested_statements) and log_min_duration_statement = 0 set for that login only.
# Prints the median server time of each statement inside the write (the function's
# statements, the audit trigger's work is inside the event INSERT) and of the whole
# statement as the server saw it, plus the lock hold the app measured
# (Study::lastWriteLockMicros). One writer: no waiting for the lock is included. Set-up
# statements (seen fewer than 10 times) are left out.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
writes="${WRITES:-200}"
pg_bench_cluster profile profile
admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin "$@"; }
for i in $(seq 1 20); do
    printf '{"item_id":"p-%d","text":"message %d","responses":[{"model":"m1","text":"one %d"},{"model":"m2","text":"two %d"}]}\n' \
        "$i" "$i" "$i" "$i"
done >"$work/items.jsonl"
"$app" init "$work/s.crisis" >/dev/null
"$app" import "$work/s.crisis" "$work/items.jsonl" >/dev/null 2>&1
"$app" rater add "$work/s.crisis" load-1 >/dev/null
"$app" assign "$work/s.crisis" --raters load-1 --per-item 1 --seed 1 >/dev/null
"$load" publish "$work/s.crisis" "$uri"
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/p"
"$app" server add-person "$uri" load-1 --role rater --password-file "$work/p" >/dev/null 2>&1
printf '127.0.0.1:%s:profile:load-1:%s\n' "$CR_PG_PORT" "$(cat "$work/p")" >>"$PGPASSFILE"
admin -d profile <<'SQL'
ALTER ROLE "load-1" SET session_preload_libraries = 'auto_explain';
ALTER ROLE "load-1" SET auto_explain.log_min_duration = 0;
ALTER ROLE "load-1" SET auto_explain.log_analyze = on;
ALTER ROLE "load-1" SET auto_explain.log_timing = on;
ALTER ROLE "load-1" SET auto_explain.log_nested_statements = on;
ALTER ROLE "load-1" SET log_min_duration_statement = 0;
ALTER ROLE "load-1" SET log_min_messages = log;
SQL
log="$cluster/server.log"
mark="$(wc -l <"$log")"
out="$("$load" run "postgresql://load-1@127.0.0.1:$CR_PG_PORT/profile" --raters 1 --seconds 600 --max-writes "$writes")"
echo "ratingload: $out"
tail -n +"$((mark + 1))" "$log" | awk '
    /duration: [0-9.]+ ms  plan:/ { match($0, /duration: [0-9.]+/); d = substr($0, RSTART + 10, RLENGTH - 10); want = 1; next }
    want && /Query Text:/ { sub(/.*Query Text: */, ""); key = substr($0, 1, 60); print d "\t" key; want = 0; next }
    /duration: [0-9.]+ ms  statement:|duration: [0-9.]+ ms  execute/ {
        match($0, /duration: [0-9.]+/); d = substr($0, RSTART + 10, RLENGTH - 10)
        sub(/.*(statement|execute [^:]*): */, ""); print d "\tstatement: " substr($0, 1, 50) }
' | sort -t$'\t' -k2,2 -k1,1g | awk -F'\t' '
    { n[$2]++; v[$2, n[$2]] = $1 }
    END { printf "%-10s %6s  %s\n", "median_ms", "count", "statement (server time; nested ones are inside the write)"
          for (k in n) { m = n[k]; if (m < 10) continue; printf "%-10.3f %6d  %s\n", v[k, int((m + 1) / 2)], m, k } }' | sort -k3
