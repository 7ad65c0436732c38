#!/usr/bin/env bash
# `stats --json --bootstrap 1000` and `report` (PDF) timed end to end (issues 21 and 22).
#   SCALE=1  (default): the paper-scale study of issue 21 WITH 2 LLM raters, built here:
#            gen-study --out D --llm-raters 2; init; import D/items.jsonl D/ratings.jsonl
#            (2,046 items x 5 models x 3 runs, 4 clinicians + 2 LLM judges). Target: report < 3 s.
#   SCALE=10: a private copy of the cached 10x fixture (bench/fixture.sh 10; 20,460 items,
#            306,900 responses, 4 raters). Targets: stats < 1 s, report < 3 s.
# RUNS=3 runs each (default); prints the median wall time, the median CPU time (user + sys,
# both cores counted) and the peak RSS. Run on a quiet machine: wall times mean little under load.
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
need_build
runs="${RUNS:-3}"
scale="${SCALE:-1}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
if [ "$scale" = 1 ]; then
    "$gen" --out "$work/data" --llm-raters 2 >/dev/null 2>&1
    "$app" init "$work/s.crisis" --title P >/dev/null
    "$app" import "$work/s.crisis" "$work/data/items.jsonl" "$work/data/ratings.jsonl" >/dev/null 2>&1
else
    bench_copy "$(fixture_study "$scale")" "$work/s.crisis"
fi
"$app" info "$work/s.crisis" >/dev/null 2>&1 # opens (and migrates) the copy once

measure() { # measure LABEL command...: RUNS runs, medians of wall and user+sys, max RSS
    local label=$1; shift
    local walls=() cpus=() rss=0 t
    t=$(mktemp)
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >/dev/null 2>&1
        read -r w u s k < "$t"
        walls+=("$w")
        cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')")
        ((k > rss)) && rss=$k
    done
    rm -f "$t"
    echo "$label (SCALE=$scale): wall median $(median "${walls[@]}") s [${walls[*]}]," \
        "CPU median $(median "${cpus[@]}") s [${cpus[*]}], peak RSS $((rss / 1024)) MB"
}
measure "stats --json --bootstrap 1000" "$app" stats "$work/s.crisis" --json --bootstrap 1000
measure "stats --json --bootstrap 0" "$app" stats "$work/s.crisis" --json --bootstrap 0
measure "report --out r.pdf" "$app" report "$work/s.crisis" --out "$work/r.pdf"
