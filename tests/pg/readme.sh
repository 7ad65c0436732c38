#!/usr/bin/env bash
# The README's "Multi-site study on a server" walk, run as it stands (issue 17 "Done
# when"): the first ```sh block of that section is cut out of README.md and run with
# bash -e in a fresh HOME, from initdb/createdb to dr-lee's first rating and the
# snapshot, so the README cannot drift from what works. Only what a person does by hand
# is supplied: the admin password typed at initdb's prompt ("ADMIN-PASSWORD", the
# README's placeholder), a free port in PGPORT (the block's default is for a person),
# items.jsonl, and the GUI step (`crisis-review URI --rater dr-lee`) scripted offscreen
# by readmerater, which types the one-time password add-person printed into the app's
# password dialog. Then: the rating is on the server, `stats --json` of the server and of
# the snapshot are the same; then dr-lee and dr-kim rate from two app instances at once,
# and with psql each login reads no model name and no rating but their own.
# Usage: readme.sh README.md CRISIS_REVIEW READMERATER WORKDIR
set -euo pipefail
readme="${1:?usage: readme.sh README.md CRISIS_REVIEW READMERATER WORKDIR}"
app="${2:?}"
rater="${3:?}"
work="${4:?}"

block="$(awk '/^## Multi-site study on a server/ { s = 1 } s && /^```sh$/ { b = 1; next }
              b && /^```$/ { exit } b' "$readme")"
[ -n "$block" ] || { echo "readme.sh: no sh block in the section" >&2; exit 1; }

. "$(dirname "${BASH_SOURCE[0]}")/pglib.sh" # as_owner, free_port

rm -rf "$work"
mkdir -p "$work/home/run" "$work/bin" "$work/site"
chmod 700 "$work/home/run"
port="$(free_port)"
cleanup() {
    as_owner env HOME="$work/home" /usr/lib/postgresql/15/bin/pg_ctl -D "$work/home/crdb" \
        -m immediate -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# crisis-review is the built binary; add-person's one-time password (stdout) is also
# noted for the scripted GUI step, which stands in for the person at the window.
cat >"$work/bin/crisis-review" <<EOF
#!/usr/bin/env bash
if [ "\${1:-}" = server ] && [ "\${2:-}" = add-person ]; then
    "$app" "\$@" | tee "$work/site/password-\$4"
    exit "\${PIPESTATUS[0]}"
fi
if [[ "\${1:-}" == postgresql://* ]] && [ "\${2:-}" = --rater ]; then
    CR_README_PASSWORD="\$(tail -n 1 "$work/site/password-\$3")" exec "$rater" "\$@"
fi
exec "$app" "\$@"
EOF
chmod 755 "$work/bin/crisis-review"
for i in 1 2 3; do
    printf '{"item_id":"ms-%d","text":"message %d","dataset":"sites","responses":[{"model":"model-a","text":"a %d"},{"model":"model-b","text":"b %d"}]}\n' \
        "$i" "$i" "$i" "$i"
done >"$work/site/items.jsonl"
[ "$(id -u)" -eq 0 ] && chown -R nobody:nogroup "$work"

run() {
    as_owner env -i PATH="$work/bin:/usr/bin:/bin" HOME="$work/home" PGPORT="$port" \
        LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$work/home/run" \
        XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
        bash -c "cd '$work/site' && $1"
}

echo "readme.sh: running the README block (PGPORT=$port)" >&2
printf 'ADMIN-PASSWORD\nADMIN-PASSWORD\n' >"$work/site/typed"
[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$work/site/typed"
printf '%s\n' "$block" >"$work/site/readme-block.sh"
run "setsid --wait bash -euo pipefail readme-block.sh <typed" >"$work/site/block.out"
grep -q '^rated response' "$work/site/block.out" ||
    { echo "readme.sh: the GUI step did not rate" >&2; exit 1; }

uri="postgresql://cr_admin@localhost:$port/multisite"
n="$(run "psql -X -At -h localhost -U cr_admin -d multisite -c \"select count(*) from response_rating r join rater p on p.id = r.rater_id where p.name = 'dr-lee' and r.score = 4\"")"
[ "$n" = 1 ] || { echo "readme.sh: dr-lee's rating is not on the server ($n)" >&2; exit 1; }
# The same document but for its "study" member (the name given on the command line);
# the app writes members in a fixed order, one a line (no jq on a fresh set-up).
run "crisis-review stats '$uri' --json" | grep -v '^    "study": ' >"$work/site/server.json"
run "crisis-review stats analysis.crisis --json" | grep -v '^    "study": ' >"$work/site/snapshot.json"
diff "$work/site/server.json" "$work/site/snapshot.json" ||
    { echo "readme.sh: stats --json differ between the server and its snapshot" >&2; exit 1; }
[ -s "$work/site/server.json" ]
# Beyond the block: both raters at once, from two app instances (scripted GUI).
run "crisis-review 'postgresql://dr-kim@localhost:$port/multisite' --rater dr-kim" >"$work/site/kim.out" &
kim=$!
run "crisis-review 'postgresql://dr-lee@localhost:$port/multisite' --rater dr-lee" >"$work/site/lee.out"
wait "$kim"
grep -q '^rated response' "$work/site/kim.out"

# dr-lee's own login, with psql: no model names.
lee="$(tail -n 1 "$work/site/password-dr-lee")"
if run "PGPASSWORD='$lee' psql -X -At -h localhost -U dr-lee -d multisite -c 'select name from model'" \
    >/dev/null 2>"$work/site/lee.err"; then
    echo "readme.sh: dr-lee read model names" >&2
    exit 1
fi
grep -q 'permission denied' "$work/site/lee.err"
# … and only their own rating of the two (row-level security), dr-kim likewise.
for who in dr-lee dr-kim; do
    pw="$(tail -n 1 "$work/site/password-$who")"
    mine="$(run "PGPASSWORD='$pw' psql -X -At -h localhost -U $who -d multisite -c 'select count(*) from response_rating'")"
    [ "$mine" = 1 ] || { echo "readme.sh: $who sees $mine ratings, not their own 1" >&2; exit 1; }
done
all="$(run "psql -X -At -h localhost -U cr_admin -d multisite -c 'select count(*) from response_rating'")"
[ "$all" = 2 ] || { echo "readme.sh: $all ratings on the server, not 2" >&2; exit 1; }
echo "readme.sh: the README walk works: dr-lee rated on the server; server and snapshot stats agree" >&2
