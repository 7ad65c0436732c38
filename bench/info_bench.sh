#!/usr/bin/env bash
# `info` on a generated study: SCALE x paper scale (2,046 items x 5 models x 3 runs, 4 raters),
# from the cached fixture (bench/fixture.sh).
# Usage: SCALE=10 bench/info_bench.sh      (SCALE=1, RUNS=5 by default; reports the median)
#        STUDY=COPY bench/info_bench.sh      (on a private copy you made, e.g. of the 100x
#                                             fixture, instead of copying it again)
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
need_build
[ -n "${STUDY:-}" ] || study="$(fixture_study "${SCALE:-1}")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
copy="$work/s.crisis"
if [ -n "${STUDY:-}" ]; then copy="$STUDY"; else bench_copy "$study" "$copy"; fi
"$app" info "$copy" >/dev/null 2>&1 # opens (and migrates) the copy once
"$app" info "$copy" | sed -n '/^Items/p;/^Responses/p;/^Ratings/p;/^Labels/p'
plain=(); json=()
for ((i = 0; i < runs; i++)); do
    time_cmd s k -- "$app" info "$copy"; plain+=("$s")
    time_cmd s k -- "$app" info "$copy" --json; json+=("$s")
done
echo "${STUDY:-scale ${SCALE:-1}x}, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "info:        median $(median "${plain[@]}") s  (${plain[*]})"
echo "info --json: median $(median "${json[@]}") s  (${json[*]})"
