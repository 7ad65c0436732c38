#!/usr/bin/env bash
# Import a paper-scale folder in the published benchmark's layout (2,046 items,
# 5 models x 3 runs, merged judge files with 3 judge runs for every response, 4 human
# label files, 2 human score files, 3 classifier runs) into a new study; then import
# it again (idempotent: everything unchanged). Target: < 10 s.
# Usage: bench/benchmark_import_bench.sh [ITEMS=2046]   (RUNS=5 by default; reports medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -x "$app" ] || { echo "build first: scripts/setup.sh" >&2; exit 1; }
items="${1:-2046}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python3 "$here/bench/generator/gen_benchmark.py" --out "$work/data" --items "$items" --seed 1
mb=$(du -sm "$work/data" | cut -f1)
files=$(find "$work/data" -type f | wc -l)

fresh=(); fresh_kb=(); again=()
for ((i = 0; i < runs; i++)); do
    rm -f "$work"/s.crisis*
    "$app" init "$work/s.crisis" >/dev/null
    find "$work/data" -type f -exec cat {} + >/dev/null; sync
    time_cmd s k -- "$app" import "$work/s.crisis" "$work/data" --format benchmark
    fresh+=("$s"); fresh_kb+=("$k")
    [ "$("$app" info "$work/s.crisis" --json | grep -o '"items": [0-9]*' | grep -o '[0-9]*')" = "$items" ] \
        || { echo "import did not store $items items" >&2; exit 1; }
    time_cmd s k -- "$app" import "$work/s.crisis" "$work/data" --format benchmark
    again+=("$s")
done
"$app" import "$work/s.crisis" "$work/data" 2>/dev/null | head -1
awk -v n="$items" -v mb="$mb" -v f="$files" -v r="$runs" -v mf="$(median "${fresh[@]}")" \
    -v mk="$(median "${fresh_kb[@]}")" -v ma="$(median "${again[@]}")" \
    -v all_f="${fresh[*]}" -v all_a="${again[*]}" 'BEGIN {
    printf "items %d  files %d  %d MB  runs %d\n", n, f, mb, r
    printf "import into a new study: median %.2f s  (%s)  peak RSS %.0f MB\n", mf, all_f, mk / 1024
    printf "re-import (unchanged):   median %.2f s  (%s)\n", ma, all_a }'
