#!/usr/bin/env bash
# A generated study at a multiple of paper scale (2,046 items x 5 models x 3 runs, 4 human
# raters, all their labels and scores, plus a rater `bench-clinician` assigned every item),
# built once and cached. Prints the study's path on stdout (progress on stderr).
#
# Usage: bench/fixture.sh [SCALE=1]     e.g. 10 (20,460 items) or 100 (204,600 items, 3.07 M
#        responses, 12.3 M scores). Cache: $CR_BENCH_CACHE (default bench/.cache), one folder
#        per scale: scale-N/study.crisis (+ data/ with the generated JSONL). Delete the folder
#        to rebuild. The study is built in a temporary folder and moved into place when
#        complete, so an interrupted build leaves nothing half-made.
#
# Benchmarks that change the study copy it first (bench_copy below); the rest read it as is.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fixture_study() {
    local scale="${1:-1}"
    local cache="${CR_BENCH_CACHE:-$here/bench/.cache}"
    local dir="$cache/scale-$scale"
    if [ -f "$dir/study.crisis" ] && [ -f "$dir/done" ]; then
        echo "$dir/study.crisis"
        return 0
    fi
    need_build
    mkdir -p "$cache"
    local tmp; tmp="$(mktemp -d "$cache/.building-$scale.XXXXXX")"
    local items=$((2046 * scale))
    echo "fixture: generating $items items x 5 models x 3 runs, 4 raters into $dir" >&2
    "$gen" --out "$tmp/data" --items "$items" --models 5 --runs 3 --raters 4 --seed 1 >&2
    "$app" init "$tmp/study.crisis" --title "Bench ${scale}x" >/dev/null
    local t0=$SECONDS
    "$app" import "$tmp/study.crisis" "$tmp/data/items.jsonl" "$tmp/data/ratings.jsonl" >&2
    "$app" rater add "$tmp/study.crisis" bench-clinician >/dev/null
    "$app" assign "$tmp/study.crisis" --raters bench-clinician --per-item 1 --seed 1 >/dev/null
    # Records the verified head of the audit log (as opening it in the app does), so that
    # the incremental check of `info` and of opening the study starts from there.
    "$app" verify "$tmp/study.crisis" >/dev/null
    echo "fixture: built in $((SECONDS - t0)) s" >&2
    date -u +%FT%TZ > "$tmp/done"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    echo "$dir/study.crisis"
}

# bench_copy STUDY DEST: a private copy of a fixture study (for benchmarks that write).
bench_copy() {
    cp "$1" "$2"
    for ext in -wal -shm; do [ -f "$1$ext" ] && cp "$1$ext" "$2$ext"; done
    return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    fixture_study "${1:-1}"
fi
