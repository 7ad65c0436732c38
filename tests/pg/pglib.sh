# Shell helpers shared by the PostgreSQL test scripts (sourced, not run).

# Runs "$@" as the unprivileged user the servers run as: initdb and postgres refuse
# root, so as root that is user nobody (setpriv); otherwise the caller.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

# A port nothing listens on, from a range the kernel does not hand out for outgoing
# connections.
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 10000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# A fresh database for one test script on the shared cluster (its env file already
# sourced), and WORK made anew: sets PGPASSFILE (a copy in WORK), db (PREFIX_pid_random), uri (the owner's
# URI) and admin (psql as the superuser, ON_ERROR_STOP). drop_test_database drops the
# database and the group roles a study on it made ("$db:rater", …).
test_database() {
    local work=$1 prefix=$2
    rm -rf "$work"
    mkdir -p "$work"
    export PGPASSFILE="$work/pgpass"
    cp "$CR_PG_PASSFILE" "$PGPASSFILE"
    chmod 600 "$PGPASSFILE"
    db="${prefix}_$$_$RANDOM"
    admin -d postgres -c "create database $db"
    uri="postgresql://cr_admin@127.0.0.1:$CR_PG_PORT/$db"
}
admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$CR_PG_HOST" -p "$CR_PG_PORT" -U cr_admin "$@"; }
drop_test_database() {
    admin -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
    for g in rater adjudicator researcher; do
        admin -d postgres -c "drop role if exists \"$db:$g\"" >/dev/null 2>&1 || true
    done
}
