#!/usr/bin/env bash
# A paper-scale study (2,046 items x 5 models x 3 runs, 4 raters) on a throwaway local
# PostgreSQL 15 cluster (tests/pg/pgcluster.sh, loopback/socket only):
#   publish STUDY URI            vs  psql \copy of the same rows into the same schema
#   snapshot URI OUT.crisis
#   stats --json on the server   vs  on its snapshot (and their outputs compared)
# Usage: bench/server_bench.sh      (RUNS=5 by default; reports medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
work="$(mktemp -d)"
cluster="$work/pg"
chmod 755 "$work"
trap '"$here/tests/pg/pgcluster.sh" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$here/tests/pg/pgcluster.sh" start "$cluster" 2>/dev/null
# shellcheck disable=SC1091
. "$cluster/env"
export PGPASSFILE="$CR_PG_PASSFILE"
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin "$@"; }
uri() { echo "host=$CR_PG_HOST port=$CR_PG_PORT user=cr_admin dbname=$1"; }

"$gen" --out "$work/data" --items 2046 --models 5 --runs 3 --raters 4 --seed 1 2>/dev/null
"$app" init "$work/s.crisis" >/dev/null
"$app" import "$work/s.crisis" "$work/data/items.jsonl" "$work/data/ratings.jsonl" >/dev/null 2>&1
"$app" info "$work/s.crisis" | sed -n '/^Items/p;/^Responses/p;/^Ratings/p;/^Labels/p'
tables="meta protocol dataset item model response rater assignment category_label response_rating
adjudication event presentation import_run import_issue rating_session package package_key jury
jury_member empty_label"

publish=(); copy=(); snap=(); sserver=(); ssnap=()
for ((i = 0; i < runs; i++)); do
    pg -d postgres -c "CREATE DATABASE pub$i" -c "CREATE DATABASE cp$i"
    time_cmd s k -- "$app" publish "$work/s.crisis" "$(uri "pub$i")"; publish+=("$s")
    # The same rows with psql \copy into the same (empty) schema: CSV files from sqlite3.
    pg_dump -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin --schema-only "pub$i" | pg -d "cp$i" >/dev/null
    script="$work/copy$i.sql"; : >"$script"
    for t in $tables; do
        cols=$(pg -d "pub$i" -At -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$t'")
        sqlite3 -csv "$work/s.crisis" "SELECT $cols FROM $t" >"$work/$t.csv"
        echo "\\copy $t($cols) FROM '$work/$t.csv' CSV" >>"$script"
    done
    time_cmd s k -- psql -X -q -v ON_ERROR_STOP=1 -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin \
        -d "cp$i" -1 -f "$script"; copy+=("$s")
    rm -f "$work/snap$i.crisis"
    time_cmd s k -- "$app" snapshot "$(uri "pub$i")" "$work/snap$i.crisis"; snap+=("$s")
    time_cmd s k -- "$app" stats "$(uri "pub$i")" --json; sserver+=("$s")
    time_cmd s k -- "$app" stats "$work/snap$i.crisis" --json; ssnap+=("$s")
done
# The outputs without their "study" member (the URI or file name given).
"$app" stats "$(uri pub0)" --json | grep -v '^    "study": ' >"$work/server.json"
"$app" stats "$work/snap0.crisis" --json | grep -v '^    "study": ' >"$work/snapshot.json"
"$app" stats "$work/s.crisis" --json | grep -v '^    "study": ' >"$work/local.json"
cmp -s "$work/server.json" "$work/snapshot.json" && cmp -s "$work/server.json" "$work/local.json" \
    && echo "stats --json: file, server and snapshot identical (but for \"study\")" \
    || echo "stats --json: file, server and snapshot DIFFER"
echo "publish:            median $(median "${publish[@]}") s  (${publish[*]})"
echo "psql \\copy (same):  median $(median "${copy[@]}") s  (${copy[*]})"
echo "snapshot:           median $(median "${snap[@]}") s  (${snap[*]})"
echo "stats on server:    median $(median "${sserver[@]}") s  (${sserver[*]})"
echo "stats on snapshot:  median $(median "${ssnap[@]}") s  (${ssnap[*]})"
