#!/usr/bin/env bash
# Import N generated inputs (JSONL) into a new study, against SQLite's own bulk
# path (`sqlite3 .import` of the equivalent CSV into an equivalent table).
# Usage: bench/import_bench.sh [ITEMS=239000]      (RUNS=5 by default; reports medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
items="${1:-239000}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --items "$items" --no-responses --no-ratings --csv --seed 1 2>/dev/null
jsonl_mb=$(du -m "$work/data/items.jsonl" | cut -f1)
csv_mb=$(du -m "$work/data/items.csv" | cut -f1)

ours=(); ours_kb=(); base=(); base_kb=()
for ((i = 0; i < runs; i++)); do
    rm -f "$work"/s.crisis*
    "$app" init "$work/s.crisis" >/dev/null
    cat "$work/data/items.jsonl" "$work/data/items.csv" >/dev/null; sync
    time_cmd s k -- "$app" import "$work/s.crisis" "$work/data/items.jsonl"
    ours+=("$s"); ours_kb+=("$k")
    [ "$("$app" info "$work/s.crisis" --json | grep -o '"items": [0-9]*' | grep -o '[0-9]*')" = "$items" ] \
        || { echo "import did not store $items items" >&2; exit 1; }

    rm -f "$work"/b.db*
    # Equivalent table: same columns, rowid key, UNIQUE external id; SQLite's defaults.
    sqlite3 "$work/b.db" "CREATE TABLE item(external_id TEXT NOT NULL UNIQUE, dataset TEXT,
        split TEXT, turns TEXT NOT NULL, reference_label TEXT);" >/dev/null
    sync
    time_cmd s k -- sqlite3 "$work/b.db" ".mode csv" ".import --skip 1 $work/data/items.csv item"
    base+=("$s"); base_kb+=("$k")
done
mo=$(median "${ours[@]}"); mb=$(median "${base[@]}")
mk=$(median "${ours_kb[@]}"); bk=$(median "${base_kb[@]}")
awk -v n="$items" -v j="$jsonl_mb" -v c="$csv_mb" -v r="$runs" -v mo="$mo" -v mb="$mb" -v mk="$mk" -v bk="$bk" \
    -v all_o="${ours[*]}" -v all_b="${base[*]}" 'BEGIN {
    printf "items %d  jsonl %d MB  csv %d MB  runs %d\n", n, j, c, r
    printf "crisis-review import: median %.2f s  (%s)  %.0f rows/s  peak RSS %.0f MB\n", mo, all_o, n / mo, mk / 1024
    printf "sqlite3 .import:      median %.2f s  (%s)  peak RSS %.0f MB\n", mb, all_b, bk / 1024
    printf "ratio: %.2fx\n", mo / mb }'
