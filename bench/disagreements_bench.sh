#!/usr/bin/env bash
# `disagreements` (the review queue) and the long CSV export with consensus columns on a
# paper-scale generated study (2,046 items x 5 models x 3 runs, 4 raters); `info` in the
# same loop is the baseline (opening the study and a few whole-table counts).
# Usage: bench/disagreements_bench.sh      (RUNS=5 by default; reports medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --items 2046 --models 5 --runs 3 --raters 4 --seed 1 2>/dev/null
"$app" init "$work/s.crisis" >/dev/null
"$app" import "$work/s.crisis" "$work/data/items.jsonl" "$work/data/ratings.jsonl" >/dev/null 2>&1
echo "queue rows: $("$app" disagreements "$work/s.crisis" | tail -1)"
info=(); plain=(); json=(); csv=(); rss=0
for ((i = 0; i < runs; i++)); do
    time_cmd s k -- "$app" info "$work/s.crisis"; info+=("$s")
    time_cmd s k -- "$app" disagreements "$work/s.crisis"; plain+=("$s")
    time_cmd s k -- "$app" disagreements "$work/s.crisis" --json; json+=("$s"); rss=$k
    time_cmd s k -- "$app" export "$work/s.crisis" --format long-csv; csv+=("$s")
done
echo "info (baseline):       median $(median "${info[@]}") s  (${info[*]})"
echo "disagreements:         median $(median "${plain[@]}") s  (${plain[*]})"
echo "disagreements --json:  median $(median "${json[@]}") s  (${json[*]}), peak RSS $((rss / 1024)) MB"
echo "export --format long-csv: median $(median "${csv[@]}") s  (${csv[*]})"
