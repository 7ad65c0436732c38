#!/usr/bin/env bash
# `disagreements` (the review queue) and the long CSV export with consensus columns on a
# paper-scale generated study (2,046 items x 5 models x 3 runs, 4 raters); `info` in the
# same loop is the baseline (opening the study and a few whole-table counts).
# Usage: [SCALE=10] bench/disagreements_bench.sh   (RUNS=5 by default; reports medians)
# The study comes from the cached fixture (bench/fixture.sh).
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
need_build
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bench_copy "$(fixture_study "${SCALE:-1}")" "$work/s.crisis"   # SCALE=10: 10x paper scale
"$app" info "$work/s.crisis" >/dev/null 2>&1 # opens (and migrates) the copy once
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
