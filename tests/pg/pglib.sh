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
