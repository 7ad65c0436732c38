#!/usr/bin/env bash
# `info` on a paper-scale generated study (2,046 items x 5 models x 3 runs, 4 raters).
# Usage: bench/info_bench.sh      (RUNS=5 by default; reports the median)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --items 2046 --models 5 --runs 3 --raters 4 --seed 1 2>/dev/null
"$app" init "$work/s.crisis" >/dev/null
time_cmd s k -- "$app" import "$work/s.crisis" "$work/data/items.jsonl" "$work/data/ratings.jsonl"
echo "paper-scale import (items+responses+ratings): ${s} s, peak RSS $((k / 1024)) MB"
"$app" info "$work/s.crisis" | sed -n '/^Items/p;/^Responses/p;/^Ratings/p;/^Labels/p'
plain=(); json=()
for ((i = 0; i < runs; i++)); do
    time_cmd s k -- "$app" info "$work/s.crisis"; plain+=("$s")
    time_cmd s k -- "$app" info "$work/s.crisis" --json; json+=("$s")
done
echo "info:        median $(median "${plain[@]}") s  (${plain[*]})"
echo "info --json: median $(median "${json[@]}") s  (${json[*]})"
