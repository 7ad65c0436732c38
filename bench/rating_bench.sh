#!/usr/bin/env bash
# Rating page on a generated study: SCALE x paper scale (2,046 items x 5 models x 3 runs,
# 4 raters with all their ratings, plus `bench-clinician` assigned every item), from the
# cached fixture (bench/fixture.sh): open → first item shown, next item shown (median/p95),
# peak RSS. RUNS=5 whole runs, each on a fresh copy of the fixture.
# Usage: SCALE=100 RUNS=1 bench/rating_bench.sh
#        STUDY=COPY RUNS=3 bench/rating_bench.sh   (every run on COPY itself, a private copy
#        you made of a fixture: no 6.9 GB copy per run at 100x; each run adds a session)
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
need_build
bench="$build/bench/ui/bench_rating"
if [ -n "${STUDY:-}" ]; then
    echo "$STUDY, load $(cut -d' ' -f1-3 /proc/loadavg)"
    for ((i = 0; i < runs; i++)); do
        QT_QPA_PLATFORM=offscreen "$bench" "$STUDY" bench-clinician 300 2>/dev/null
    done
    exit 0
fi
study="$(fixture_study "${SCALE:-1}")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bench_copy "$study" "$work/master.crisis"
"$app" info "$work/master.crisis" >/dev/null 2>&1 # opens (and migrates) the copy once
echo "scale ${SCALE:-1}x, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < runs; i++)); do
    bench_copy "$work/master.crisis" "$work/s.crisis"
    QT_QPA_PLATFORM=offscreen "$bench" "$work/s.crisis" bench-clinician 300 2>/dev/null
done
