# Shared helpers for the benchmark scripts (sourced).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CR_BUILD_DIR:-$here/build}"
app="$build/app/crisis-review"
gen="$build/bench/generator/gen-study"
runs="${RUNS:-5}"

need_build() {
    [ -x "$app" ] && [ -x "$gen" ] || { echo "build first: scripts/setup.sh" >&2; exit 1; }
}

# time_cmd OUTVAR_SECONDS OUTVAR_KB -- command...   (wall seconds, peak RSS KiB)
time_cmd() {
    local __s=$1 __k=$2; shift 3
    local t; t=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>&1
    read -r "$__s" "$__k" < "$t"
    rm -f "$t"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# pg_bench_cluster NAME DATABASE: for the server benches (issue 17): ratingload built, a
# throwaway PostgreSQL cluster of the bench's own (tests/pg/pgcluster.sh: loopback,
# fsync off) in /tmp, stopped on exit with the work folder; sets load, work, cluster,
# PGPASSFILE, CR_PG_* and uri (the owner's URI of the new database DATABASE).
pg_bench_cluster() {
    load="$build/tests/pg/ratingload"
    [ -x "$app" ] && [ -x "$load" ] || { echo "build first: scripts/setup.sh" >&2; exit 1; }
    work="$(mktemp -d)"
    cluster="/tmp/cr-$1-pg-$$"
    trap '"$here/tests/pg/pgcluster.sh" stop "$cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT
    "$here/tests/pg/pgcluster.sh" start "$cluster" 2>/dev/null
    . "$cluster/env"
    export PGPASSFILE="$work/pgpass"
    cp "$CR_PG_PASSFILE" "$PGPASSFILE"
    psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres -c "create database $2"
    uri="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/$2"
}
