#!/usr/bin/env bash
# Rating page on a paper-scale generated study (2,046 items x 5 models x 3 runs, 4 raters):
# open → first item shown, next item shown (median/p95), peak RSS. RUNS=5 whole runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
bench="$build/bench/ui/bench_rating"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --seed 1 2>/dev/null
"$app" init "$work/s.crisis" >/dev/null
"$app" import "$work/s.crisis" "$work/data/items.jsonl" "$work/data/ratings.jsonl" >/dev/null 2>&1
"$app" rater add "$work/s.crisis" bench-clinician >/dev/null
"$app" assign "$work/s.crisis" --raters bench-clinician --per-item 1 --seed 1 >/dev/null
for ((i = 0; i < runs; i++)); do
    QT_QPA_PLATFORM=offscreen "$bench" "$work/s.crisis" bench-clinician 300 2>/dev/null
done
