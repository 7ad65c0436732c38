#!/usr/bin/env bash
# The streamed review queue (issue 22): `disagreements --json` and the text table on the
# cached 10x / 100x fixture, read in place (the command only reads: no copy of the 6.9 GB
# fixture is made). Peak RSS is the target (100x: < 200 MiB); CPU time beside wall time.
# Usage: [SCALE=100] [RUNS=3] bench/queue_bench.sh   (reports medians)
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"
need_build
study="$(fixture_study "${SCALE:-100}")"
runs="${RUNS:-3}"
# cpu_cmd OUT -- command...: "wall cpu rss_kib" of one run, output discarded (bytes counted).
cpu_cmd() {
    local __out=$1; shift 2
    local t; t=$(mktemp)
    /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" | wc -c >"$t.bytes"
    read -r w u s k <"$t"
    printf -v "$__out" '%s %s %s %s' "$w" "$(echo "$u + $s" | bc)" "$k" "$(cat "$t.bytes")"
    rm -f "$t" "$t.bytes"
}
for mode in json text; do
    wall=(); cpu=(); rss=(); bytes=0
    for ((i = 0; i < runs; i++)); do
        if [ "$mode" = json ]; then cpu_cmd r -- "$app" disagreements "$study" --json
        else cpu_cmd r -- "$app" disagreements "$study"; fi
        read -r w c k bytes <<<"$r"
        wall+=("$w"); cpu+=("$c"); rss+=("$k")
    done
    echo "disagreements ($mode), SCALE=${SCALE:-100}: wall median $(median "${wall[@]}") s" \
        "(${wall[*]}), CPU median $(median "${cpu[@]}") s," \
        "peak RSS median $(( $(median "${rss[@]}" | cut -d. -f1) / 1024 )) MiB (${rss[*]} KiB)," \
        "$bytes bytes out"
done
