#!/usr/bin/env bash
# Issue 22's targets on the PostgreSQL backend: the cached fixture of bench/pg_fixture.sh
# (SCALE x paper scale published into a cluster of its own), each command RUNS times (3),
# the median printed, with the client's wall and CPU time and peak RSS and the server's
# CPU time (the postmaster's own and its reaped children's: the backend that served the
# command; background work such as autovacuum adds to it).
#
# Usage: SCALE=10 bench/pg_scale_bench.sh            (SCALE=10 by default)
#        WHAT="info stats report queue open" ...    (the default: all of them)
#   info    `info URI` and `info URI --json` as the owner          target < 0.3 s at 100x
#   stats   `stats URI --json --bootstrap 1000`                     target < 1 s at 10x
#   report  `report URI --out FILE.pdf`                             target < 3 s at 10x
#   queue   `disagreements URI --json` (output discarded)           peak RSS < 200 MiB at 100x
#   open    the rating page as bench-clinician on their own login (bench_rating, 30 next
#           items), on a copy of the database (the page writes its session)
#                                                                   target < 300 ms at 100x
source "$(dirname "${BASH_SOURCE[0]}")/pg_fixture.sh"
need_build
scale="${SCALE:-10}"
runs="${RUNS:-3}"
what="${WHAT:-info stats report queue open}"
pg_fixture_start "$scale"
work="$(mktemp -d)"
trap 'pg_fixture_stop; rm -rf "$work"' EXIT
postmaster="$(head -1 "$pgdir/data/postmaster.pid")"
server_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat"; }
tick="$(getconf CLK_TCK)"

# measure LABEL -- command...: RUNS runs; median wall, client CPU, server CPU, peak RSS.
measure() {
    local label="$1"; shift 2
    local wall=() cpu=() srv=() rss=()
    for _ in $(seq 1 "$runs"); do
        local before; before="$(server_ticks)"
        /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
            { echo "$label: failed: $(tail -3 "$work/err")" >&2; return 1; }
        sleep 0.3 # the backend exits and is reaped
        local after; after="$(server_ticks)"
        read -r w u s m <"$work/t"
        wall+=("$w") cpu+=("$(echo "$u + $s" | bc)") rss+=("$m")
        srv+=("$(echo "scale=2; ($after - $before) / $tick" | bc)")
    done
    printf '%-28s wall %6s s  client CPU %6s s  server CPU %6s s  peak RSS %5d MiB  (wall: %s)\n' \
        "$label" "$(median "${wall[@]}")" "$(median "${cpu[@]}")" "$(median "${srv[@]}")" \
        "$(( $(median "${rss[@]}" | cut -d. -f1) / 1024 ))" "${wall[*]}"
}

echo "PostgreSQL fixture ${scale}x ($pgdir), $runs runs; load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
"$app" info "$uri" | sed -n '/^Items/p;/^Responses/p;/^Ratings/p;/^Events/p'
for w in $what; do
    case "$w" in
    info)
        measure "info" -- "$app" info "$uri"
        measure "info --json" -- "$app" info "$uri" --json
        ;;
    stats) measure "stats --json --bootstrap 1000" -- "$app" stats "$uri" --json --bootstrap 1000 ;;
    report) measure "report (PDF)" -- "$app" report "$uri" --out "$work/r.pdf" ;;
    queue) measure "disagreements --json" -- "$app" disagreements "$uri" --json ;;
    open)
        pg_fixture_copy bench_open >/dev/null
        for _ in $(seq 1 "$runs"); do
            QT_QPA_PLATFORM=offscreen "$build/bench/ui/bench_rating" "$rater_uri" bench-clinician 30 2>/dev/null |
                sed -n '1,2p'
        done
        psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres \
            -c "DROP DATABASE bench_open WITH (FORCE)"
        ;;
    esac
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
