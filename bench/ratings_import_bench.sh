#!/usr/bin/env bash
# Import ~1M generated ratings (JSONL) into a study that already holds their items:
# the bulk path of RecordWriter::writeRating, including its per-rating audit events.
# Usage: bench/ratings_import_bench.sh [ITEMS=16667]   (RUNS=5 by default; reports medians)
# 16,667 items × 5 models × 3 runs × 4 raters = 1,000,020 ratings (+ 66,668 labels).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
items="${1:-16667}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --items "$items" --seed 1 2>/dev/null
ratings_mb=$(du -m "$work/data/ratings.jsonl" | cut -f1)
"$app" init "$work/base.crisis" >/dev/null
"$app" import "$work/base.crisis" "$work/data/items.jsonl" >/dev/null 2>&1

ours=(); ours_kb=()
for ((i = 0; i < runs; i++)); do
    rm -f "$work"/s.crisis*
    cp "$work/base.crisis" "$work/s.crisis"
    cat "$work/data/ratings.jsonl" >/dev/null; sync
    time_cmd s k -- "$app" import "$work/s.crisis" "$work/data/ratings.jsonl"
    ours+=("$s"); ours_kb+=("$k")
done
n=$(sqlite3 "$work/s.crisis" "SELECT count(*) FROM response_rating")
mo=$(median "${ours[@]}"); mk=$(median "${ours_kb[@]}")
awk -v n="$n" -v m="$ratings_mb" -v r="$runs" -v mo="$mo" -v mk="$mk" -v all="${ours[*]}" 'BEGIN {
    printf "ratings %d  jsonl %d MB  runs %d\n", n, m, r
    printf "crisis-review import (ratings): median %.2f s  (%s)  %.0f ratings/s  peak RSS %.0f MB\n", mo, all, n / mo, mk / 1024 }'
