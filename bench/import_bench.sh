#!/usr/bin/env bash
# Items-only import of generated inputs (JSONL) into a new study, against SQLite's own
# bulk path (`sqlite3 .import` of the equivalent CSV into an equivalent table), the two
# interleaved in one loop on the same files (runs alternate: ours, baseline, ours, ...).
#
# Usage: bench/import_bench.sh [ITEMS]
#   SCALE=10        239,000 × SCALE items (default 1; ITEMS, when given, wins)
#   SCALE="1 10"    each scale in turn, then the growth of the last over the first
#   RUNS=3          runs per scale and side; medians are reported (default 3)
#   BENCH_OUT=DIR   where the generated files and studies go (default: a new folder in
#                   $TMPDIR; removed at the end either way). 2.39 M items need ~6 GB.
# Prints, per scale: wall, CPU (user + sys) and peak RSS medians of both sides, with the
# individual runs, and the ratios ours / `sqlite3 .import` (CPU is the figure to read on a
# loaded machine; wall on a quiet one).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 command-line shell" >&2; exit 1; }
runs="${RUNS:-3}"
scales="${SCALE:-1}"
[ $# -gt 0 ] && scales="items:$1"
mkdir -p "${BENCH_OUT:-${TMPDIR:-/tmp}}"
work="$(mktemp -d "${BENCH_OUT:-${TMPDIR:-/tmp}}/import-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# run_timed WALL CPU KB -- command...   (seconds, user + sys seconds, peak RSS KiB)
run_timed() {
    local __w=$1 __c=$2 __k=$3; shift 4
    local t; t=$(mktemp)
    /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >/dev/null 2>&1
    local wall user sys kb
    read -r wall user sys kb < "$t"
    rm -f "$t"
    printf -v "$__w" '%s' "$wall"
    printf -v "$__c" '%s' "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    printf -v "$__k" '%s' "$kb"
}

first_cpu=""; first_items=""; last_cpu=""; last_items=""; first_wall=""; last_wall=""
for scale in $scales; do
    if [[ "$scale" == items:* ]]; then items="${scale#items:}"; else items=$((239000 * scale)); fi
    rm -rf "$work/data"
    "$gen" --out "$work/data" --items "$items" --no-responses --no-ratings --csv --seed 1 2>/dev/null
    jsonl_mb=$(du -m "$work/data/items.jsonl" | cut -f1)
    csv_mb=$(du -m "$work/data/items.csv" | cut -f1)

    ow=(); oc=(); ok=(); bw=(); bc=(); bk=()
    for ((i = 0; i < runs; i++)); do
        rm -f "$work"/s.crisis* "$work"/b.db*
        "$app" init "$work/s.crisis" >/dev/null
        cat "$work/data/items.jsonl" "$work/data/items.csv" >/dev/null; sync
        run_timed w c k -- "$app" import "$work/s.crisis" "$work/data/items.jsonl"
        ow+=("$w"); oc+=("$c"); ok+=("$k")
        [ "$("$app" info "$work/s.crisis" --json | grep -o '"items": [0-9]*' | grep -o '[0-9]*')" = "$items" ] \
            || { echo "import did not store $items items" >&2; exit 1; }
        rm -f "$work"/s.crisis*

        # Equivalent table: same columns, rowid key, UNIQUE external id; SQLite's defaults.
        sqlite3 "$work/b.db" "CREATE TABLE item(external_id TEXT NOT NULL UNIQUE, dataset TEXT,
            split TEXT, turns TEXT NOT NULL, reference_label TEXT);" >/dev/null
        sync
        run_timed w c k -- sqlite3 "$work/b.db" ".mode csv" ".import --skip 1 $work/data/items.csv item"
        bw+=("$w"); bc+=("$c"); bk+=("$k")
        [ "$(sqlite3 "$work/b.db" "SELECT count(*) FROM item")" = "$items" ] \
            || { echo "sqlite3 .import did not store $items rows" >&2; exit 1; }
        rm -f "$work"/b.db*
    done
    mow=$(median "${ow[@]}"); moc=$(median "${oc[@]}"); mok=$(median "${ok[@]}")
    mbw=$(median "${bw[@]}"); mbc=$(median "${bc[@]}"); mbk=$(median "${bk[@]}")
    awk -v n="$items" -v j="$jsonl_mb" -v c="$csv_mb" -v r="$runs" \
        -v ow="$mow" -v oc="$moc" -v ok="$mok" -v bw="$mbw" -v bc="$mbc" -v bk="$mbk" \
        -v all_ow="${ow[*]}" -v all_oc="${oc[*]}" -v all_bw="${bw[*]}" -v all_bc="${bc[*]}" 'BEGIN {
        printf "items %d  jsonl %d MB  csv %d MB  runs %d (medians; individual runs in brackets)\n", n, j, c, r
        printf "crisis-review import: wall %.2f s [%s]  cpu %.2f s [%s]  peak RSS %.0f MiB\n", ow, all_ow, oc, all_oc, ok / 1024
        printf "sqlite3 .import:      wall %.2f s [%s]  cpu %.2f s [%s]  peak RSS %.0f MiB\n", bw, all_bw, bc, all_bc, bk / 1024
        printf "ratio: cpu %.2fx  wall %.2fx  (target <= 1.2x; peak RSS target < 150 MiB)\n", oc / bc, ow / bw }'
    [ -z "$first_cpu" ] && { first_cpu="$moc"; first_wall="$mow"; first_items="$items"; }
    last_cpu="$moc"; last_wall="$mow"; last_items="$items"
done
rm -rf "$work/data"
if [ "$first_items" != "$last_items" ]; then
    awk -v a="$first_items" -v b="$last_items" -v ca="$first_cpu" -v cb="$last_cpu" \
        -v wa="$first_wall" -v wb="$last_wall" 'BEGIN {
        printf "growth %d -> %d items (x%.1f): cpu x%.2f  wall x%.2f  (target <= x11 for x10)\n", a, b, b / a, cb / ca, wb / wa }'
fi
