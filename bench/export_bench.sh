#!/usr/bin/env bash
# `crisis-review export --format long-csv` of >= 1,000,000 ratings (target < 3 s),
# against `sqlite3 -csv` dumping the same joined rows (the exporter's query).
# Usage: bench/export_bench.sh [ITEMS=10000]   (5 models x 2 runs x 10 raters per item
#        = 100 ratings per item; RUNS=5 by default; reports medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
items="${1:-10000}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --items "$items" --models 5 --runs 2 --raters 8 --llm-raters 2 --seed 1 2>/dev/null
"$app" init "$work/s.crisis" >/dev/null
time_cmd s k -- "$app" import "$work/s.crisis" "$work/data/items.jsonl" "$work/data/ratings.jsonl"
echo "setup import: ${s} s"
ratings=$(sqlite3 "$work/s.crisis" "SELECT count(*) FROM response_rating")
echo "ratings: $ratings"

query="SELECT item.external_id, dataset.name, item.split, item.id, model.name, response.run, response.id,
 rater.pseudonym, rater.kind, rr.score, rr.cannot_assess, l.category, rr.checklist, rr.rationale, p.position,
 protocol.version, rr.updated_at, rr.seconds_spent,
 (SELECT score FROM adjudication a WHERE a.response_id = response.id AND a.score IS NOT NULL ORDER BY a.id DESC LIMIT 1),
 (SELECT category FROM adjudication a WHERE a.item_id = item.id AND a.category IS NOT NULL ORDER BY a.id DESC LIMIT 1)
 FROM response_rating rr JOIN response ON response.id = rr.response_id JOIN item ON item.id = response.item_id
 LEFT JOIN dataset ON dataset.id = item.dataset_id JOIN model ON model.id = response.model_id
 JOIN rater ON rater.id = rr.rater_id
 LEFT JOIN category_label l ON l.item_id = item.id AND l.rater_id = rater.id
 LEFT JOIN presentation p ON p.rater_id = rater.id AND p.response_id = response.id
 LEFT JOIN protocol ON protocol.id = rr.protocol_id
 ORDER BY item.id, model.name, response.run, rater.id"

ours=(); ours_kb=(); base=(); base_kb=()
for ((i = 0; i < runs; i++)); do
    time_cmd s k -- "$app" export "$work/s.crisis" --format long-csv --out "$work/long.csv"
    ours+=("$s"); ours_kb+=("$k")
    time_cmd s k -- sh -c "sqlite3 -csv '$work/s.crisis' \"$query\" > '$work/base.csv'"
    base+=("$s"); base_kb+=("$k")
done
rows=$(($(wc -l < "$work/base.csv")))
[ "$(grep -c '' "$work/long.csv")" -ge "$ratings" ] || { echo "export wrote too few lines" >&2; exit 1; }
mb=$(du -m "$work/long.csv" | cut -f1)
awk -v n="$ratings" -v r="$runs" -v mo="$(median "${ours[@]}")" -v mb="$(median "${base[@]}")" \
    -v mk="$(median "${ours_kb[@]}")" -v bk="$(median "${base_kb[@]}")" -v size="$mb" -v lines="$rows" \
    -v all_o="${ours[*]}" -v all_b="${base[*]}" 'BEGIN {
    printf "ratings %d  long CSV %d MB  runs %d  (sqlite3 lines %d)\n", n, size, r, lines
    printf "crisis-review export --format long-csv: median %.2f s  (%s)  %.0f rows/s  peak RSS %.0f MB  target < 3 s: %s\n",
           mo, all_o, n / mo, mk / 1024, (mo < 3 ? "met" : "NOT met")
    printf "sqlite3 -csv (same joined rows):         median %.2f s  (%s)  peak RSS %.0f MB\n", mb, all_b, bk / 1024
    printf "ratio: %.2fx\n", mo / mb }'
