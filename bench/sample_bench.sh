#!/usr/bin/env bash
# `sample` of N items (per dataset, seeded) from a POOL-item pool study.
# Usage: bench/sample_bench.sh [POOL=239000] [N=2046]     (RUNS=5 by default; medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
pool="${1:-239000}"
n="${2:-2046}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$gen" --out "$work/data" --items "$pool" --no-responses --no-ratings --seed 1 2>/dev/null
"$app" init "$work/pool.crisis" >/dev/null
"$app" import "$work/pool.crisis" "$work/data/items.jsonl" >/dev/null
datasets=$(sqlite3 "$work/pool.crisis" "SELECT count(*) FROM dataset")
per=$(( (n + datasets - 1) / datasets ))
walls=(); kbs=()
for ((i = 0; i < runs; i++)); do
    rm -f "$work"/s.crisis*
    "$app" init "$work/s.crisis" >/dev/null
    time_cmd s k -- "$app" sample "$work/s.crisis" --from "$work/pool.crisis" --per dataset --n "$per" --seed 7
    walls+=("$s"); kbs+=("$k")
done
got=$(sqlite3 "$work/s.crisis" "SELECT count(*) FROM item")
awk -v p="$pool" -v d="$datasets" -v per="$per" -v got="$got" -v mw="$(median "${walls[@]}")" \
    -v mk="$(median "${kbs[@]}")" -v all="${walls[*]}" 'BEGIN {
    printf "pool %d items in %d datasets, %d per dataset: drew %d\n", p, d, per, got
    printf "sample: median %.2f s  (%s)  peak RSS %.0f MB\n", mw, all, mk / 1024 }'
