#!/usr/bin/env bash
# The review queue on a server (issue 22): `disagreements --json` and the text table of a
# generated study (gen-study, 2,046 items: 30,690 responses, 130,944 rating lines) give
# the same bytes from the study file and from its copy published to the test cluster, and
# the server run's peak RSS stays near the file run's: the queue streams there too (the
# key pass in libpq single-row mode, pages of 256 rows), where holding the whole queue or
# a whole result of scores would take hundreds of MiB more.
# Usage: queue.sh CR_PG_DIR CRISIS_REVIEW GEN_STUDY WORKDIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/pglib.sh" # test_database, admin
. "${1:?usage: queue.sh CR_PG_DIR CRISIS_REVIEW GEN_STUDY WORKDIR}/env"
app="${2:?}" gen="${3:?}" work="${4:?}"
test_database "$work" queue
trap drop_test_database EXIT

local="$work/study.crisis"
"$gen" --out "$work/data" --items 2046 --models 5 --runs 3 --raters 4 --seed 1 >/dev/null 2>&1
"$app" init "$local" --title "Queue" >/dev/null
"$app" import "$local" "$work/data/items.jsonl" "$work/data/ratings.jsonl" >/dev/null 2>&1
"$app" publish "$local" "$uri" >/dev/null 2>"$work/publish.log" || { cat "$work/publish.log" >&2; exit 1; }

fail=0
# run NAME STUDY ARGS...: output to $work/NAME.out, peak RSS (KiB) to $work/NAME.rss
run() {
    local name=$1
    shift
    /usr/bin/time -f %M -o "$work/$name.rss" "$app" disagreements "$@" >"$work/$name.out" \
        2>"$work/$name.err" || { echo "FAIL: disagreements $* exited non-zero" >&2; cat "$work/$name.err" >&2; exit 1; }
}
run file-json "$local" --json
run server-json "$uri" --json
run file-text "$local"
run server-text "$uri"
rows=$(tail -1 "$work/file-text.out")
[ "$(wc -c <"$work/file-json.out")" -gt 1000000 ] || { echo "FAIL: a queue this size writes over 1 MB of JSON" >&2; fail=1; }
for mode in json text; do
    if ! cmp -s "$work/file-$mode.out" "$work/server-$mode.out"; then
        echo "FAIL: disagreements ($mode) differs between the file and the server" >&2
        diff "$work/file-$mode.out" "$work/server-$mode.out" | head -20 >&2 || true
        fail=1
    fi
    f=$(cat "$work/file-$mode.rss")
    s=$(cat "$work/server-$mode.rss")
    echo "disagreements ($mode): $(wc -c <"$work/file-$mode.out") bytes, peak RSS file $((f / 1024)) MiB, server $((s / 1024)) MiB"
    # The whole queue of this study (the old whole-queue path) took ~200 MiB more.
    if [ "$s" -gt $((f + 48 * 1024)) ]; then
        echo "FAIL: the server run's peak RSS ($s KiB) is far above the file's ($f KiB)" >&2
        fail=1
    fi
done
[ "$fail" -eq 0 ] || exit 1
echo "ok: $rows, the same bytes from the file and the server"
