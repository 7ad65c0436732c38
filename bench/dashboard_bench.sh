#!/usr/bin/env bash
# Dashboard on a paper-scale generated study (2,046 items x 5 models x 3 runs, 4 raters):
# open → all six charts drawn, model filter change → redrawn, PDF report written
# (statistics with 1,000 bootstrap replicates each time). RUNS=5 whole runs.
# SCALE=10 for 10x paper scale; the study comes from the cached fixture (bench/fixture.sh).
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
need_build
bench="$build/bench/ui/bench_dashboard"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bench_copy "$(fixture_study "${SCALE:-1}")" "$work/s.crisis"   # SCALE=10: 10x paper scale
"$app" info "$work/s.crisis" >/dev/null 2>&1 # opens (and migrates) the copy once
for ((i = 0; i < runs; i++)); do
    QT_QPA_PLATFORM=offscreen "$bench" "$work/s.crisis" 2>/dev/null
done
# The report command end to end (open, statistics, charts, PDF), wall seconds.
times=()
for ((i = 0; i < runs; i++)); do
    time_cmd s kb -- "$app" report "$work/s.crisis" --out "$work/r.pdf"
    times+=("$s")
done
echo "crisis-review report (whole command): median $(median "${times[@]}") s over $runs runs; $(pdfinfo "$work/r.pdf" 2>/dev/null | grep Pages || true)"
