#!/usr/bin/env bash
# The generated study of bench/fixture.sh published into a PostgreSQL 15 cluster of its own
# (issue 22: the same targets on the server backend), built once and cached: the cluster's
# folder (tests/pg/pgcluster.sh: loopback, fsync off) with the study in database `bench`,
# owned by cr_admin, and a rater login `bench-clinician` (assigned every item) whose
# password is in the folder's pgpass. Prints the folder on stdout (progress on stderr).
#
# Usage: bench/pg_fixture.sh [SCALE=10]
#        Cache: $CR_BENCH_CACHE/pg-scale-N (default bench/.cache); `done` marks a complete
#        build (the publish time is in it). Delete the folder to rebuild.
#
# Sourced by the PostgreSQL benches: pg_fixture_start SCALE starts the cached cluster (a
# stopped one is started again on its port) and sets pgdir, uri (the owner's URI of
# `bench`), rater_uri (bench-clinician's), PGPASSFILE and CR_PG_*; pg_fixture_stop stops it
# (the folder stays). pg_fixture_copy NAME makes database NAME from `bench` (CREATE
# DATABASE … TEMPLATE) for a bench that writes, and sets uri/rater_uri to it.
source "$(dirname "${BASH_SOURCE[0]}")/fixture.sh"

pg_fixture_dir() { echo "${CR_BENCH_CACHE:-$here/bench/.cache}/pg-scale-${1:-10}"; }

pg_fixture_start() {
    pgdir="$(pg_fixture_dir "${1:-10}")"
    [ -f "$pgdir/done" ] || pg_fixture_build "${1:-10}" >/dev/null
    "$here/tests/pg/pgcluster.sh" status "$pgdir" 2>/dev/null ||
        "$here/tests/pg/pgcluster.sh" resume "$pgdir"
    # shellcheck disable=SC1091
    . "$pgdir/env"
    export PGPASSFILE="$CR_PG_PASSFILE"
    uri="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/bench"
    rater_uri="postgresql://bench-clinician@127.0.0.1:$CR_PG_PORT/bench"
}

pg_fixture_stop() {
    [ -n "${pgdir:-}" ] && [ -d "$pgdir/data" ] || return 0
    # shellcheck disable=SC1091
    . "$here/tests/pg/pglib.sh"
    as_owner "$CR_PG_BIN/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

pg_fixture_copy() {
    psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres \
        -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 TEMPLATE bench"
    uri="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/$1"
    rater_uri="postgresql://bench-clinician@127.0.0.1:$CR_PG_PORT/$1"
}

pg_fixture_build() {
    local scale="${1:-10}"
    local dir; dir="$(pg_fixture_dir "$scale")"
    need_build
    local cache="${CR_BENCH_CACHE:-$here/bench/.cache}"
    # The SQLite fixture first (bench/fixture.sh SCALE builds it); not built from here, so
    # that two builds never race for the shared cache.
    [ -f "$cache/scale-$scale/done" ] ||
        { echo "pg fixture: no $cache/scale-$scale/done: run bench/fixture.sh $scale first" >&2; exit 1; }
    local study="$cache/scale-$scale/study.crisis"
    # The shared fixture is never opened by this build (opening migrates and records the
    # verified head): a private copy is published.
    local tmp; tmp="$(mktemp -d "${CR_BENCH_OUT:-/tmp}/pgfixture.XXXXXX")"
    cp --reflink=auto "$study" "$tmp/study.crisis"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    "$here/tests/pg/pgcluster.sh" start "$dir" >&2
    # shellcheck disable=SC1091
    . "$dir/env"
    export PGPASSFILE="$CR_PG_PASSFILE"
    psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d postgres -c "create database bench"
    local owner="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/bench"
    echo "pg fixture: publishing $study (${scale}x) into $dir" >&2
    /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB peak RSS" -o "$tmp/publish.time" \
        "$app" publish "$tmp/study.crisis" "$owner" >&2
    echo "pg fixture: publish: $(cat "$tmp/publish.time")" >&2
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$tmp/p"
    "$app" server add-person "$owner" bench-clinician --role rater --password-file "$tmp/p" >&2
    printf '127.0.0.1:%s:*:bench-clinician:%s\n' "$CR_PG_PORT" "$(cat "$tmp/p")" >>"$CR_PG_PASSFILE"
    psql -X -q -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin -d bench -c "VACUUM ANALYZE"
    { date -u +%FT%TZ; echo "publish: $(cat "$tmp/publish.time")"; } >"$dir/done"
    rm -rf "$tmp"
    pgdir="$dir"
    pg_fixture_stop
    echo "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    if [ -f "$(pg_fixture_dir "${1:-10}")/done" ]; then pg_fixture_dir "${1:-10}"; else pg_fixture_build "${1:-10}"; fi
fi
