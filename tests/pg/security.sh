#!/usr/bin/env bash
# The database enforces the roles (issue 17 item 3; docs/POSTGRES-SECURITY.md). A study is
# set up on the test cluster (server init, publish of a local study with two raters, an
# adjudicator and a researcher), each person gets a login (server add-person), and then
# each logs in with psql and every forbidden read or write is tried, table by table and
# column by column: it must fail. What each role may do is tried too (it must work).
# Usage: security.sh CR_PG_DIR CRISIS_REVIEW RATINGLOAD WORKDIR
set -euo pipefail
. "${1:?usage: security.sh CR_PG_DIR CRISIS_REVIEW RATINGLOAD WORKDIR}/env"
app="${2:?}"
load="${3:?}"
work="${4:?}"
. "$(dirname "${BASH_SOURCE[0]}")/pglib.sh" # test_database, admin
test_database "$work" sec
cleanup() {
    drop_test_database
    for who in ana ben adj res; do
        admin -d postgres -c "drop role if exists \"$db-$who\"" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

# --- a local study: 6 items x 2 models; ana rates items 1-3, ben items 4-6.
local="$work/local.crisis"
for i in 1 2 3 4 5 6; do
    printf '{"item_id":"src-%d","text":"message %d","dataset":"secret-source","responses":[{"model":"model-alpha","text":"alpha %d"},{"model":"model-beta","text":"beta %d"}]}\n' \
        "$i" "$i" "$i" "$i"
done >"$work/items.jsonl"
"$app" init "$local" --title "Security" >/dev/null
"$app" import "$local" "$work/items.jsonl" >/dev/null 2>&1
"$app" rater add "$local" "$db-ana" >/dev/null
"$app" rater add "$local" "$db-ben" >/dev/null
"$app" rater add "$local" "$db-adj" --role adjudicator >/dev/null
"$app" rater add "$local" "$db-res" --role researcher >/dev/null
"$app" assign "$local" --raters "$db-ana,$db-ben" --per-item 1 --seed 3 >/dev/null
"$load" publish "$local" "$uri" # server init + publish (storage::server)

for who in ana ben adj res; do
    role=rater
    [ "$who" = adj ] && role=adjudicator
    [ "$who" = res ] && role=researcher
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/$who.pass"
    "$app" server add-person "$uri" "$db-$who" --role "$role" --password-file "$work/$who.pass" \
        >/dev/null 2>"$work/add-$who.log" || { cat "$work/add-$who.log" >&2; exit 1; }
    printf '127.0.0.1:%s:%s:%s:%s\n' "$CR_PG_PORT" "$db" "$db-$who" "$(cat "$work/$who.pass")" >>"$PGPASSFILE"
done
# A person without a password file gets a one-time password on stdout.
otp="$("$app" server add-person "$uri" "$db-res" --role researcher 2>/dev/null || true)"
[ -z "$otp" ] || { echo "FAIL: an existing login got a new password printed" >&2; exit 1; }

failures=0
as() { # as WHO SQL → output, status of psql
    local who="$1"
    shift
    psql -X -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$CR_PG_PORT" -U "$db-$who" -d "$db" -c "$1" 2>&1
}
denied() { # denied WHO SQL: must fail with a privilege or row-security error
    local out
    if out="$(as "$1" "$2")"; then
        echo "FAIL: $1 may: $2 ($out)" >&2
        failures=$((failures + 1))
    elif ! echo "$out" | grep -Eq 'permission denied|row-level security|must be owner'; then
        echo "FAIL: $1: $2: unexpected error: $out" >&2
        failures=$((failures + 1))
    fi
}
equals() { # equals WHO SQL EXPECTED
    local out
    out="$(as "$1" "$2")" || true
    if [ "$out" != "$3" ]; then
        echo "FAIL: $1: $2: expected '$3', got '$out'" >&2
        failures=$((failures + 1))
    fi
}
id_of() { admin -d "$db" -At -c "$1"; }
ana_id="$(id_of "select id from rater where name = '$db-ana'")"
ben_id="$(id_of "select id from rater where name = '$db-ben'")"
ana_resp="$(id_of "select min(r.id) from response r join assignment a on a.item_id = r.item_id where a.rater_id = $ana_id")"
ben_resp="$(id_of "select min(r.id) from response r join assignment a on a.item_id = r.item_id where a.rater_id = $ben_id")"
proto="$(id_of "select max(id) from protocol")"
now="'2026-01-01T00:00:00.000Z'"

# --- a rater: their items' text and responses only, without model identity.
equals ana "select count(*) from my_item" 3
equals ana "select count(*) from my_response" 6
equals ana "select count(*) from item" 3 # RLS: assigned items only
equals ana "select count(*) from response" 6
equals ana "select string_agg(text, ',' order by id) from my_response where text like 'beta%'" \
    "$(id_of "select string_agg(r.text, ',' order by r.id) from response r join assignment a on a.item_id = r.item_id join model m on m.id = r.model_id where a.rater_id = $ana_id and m.name = 'model-beta'")"
for col in external_id dataset_id split reference_label metadata; do
    denied ana "select $col from item"
done
denied ana "select * from item"
for col in model_id run refusal tokens metadata; do
    denied ana "select $col from response"
done
denied ana "select * from response"
for t in model dataset adjudication event import_run import_issue package package_key jury \
    jury_member empty_label login_rater blind_rating; do
    denied ana "select count(*) from $t"
done
denied ana "select created_at from rater"
# Other raters: not there.
equals ana "select count(*) from rater" 1
equals ana "select count(*) from rater where id = $ben_id" 0
equals ana "select count(*) from assignment where rater_id <> $ana_id" 0
# Own ratings: write, read, change.
as ana "insert into response_rating(response_id, rater_id, score, cannot_assess, protocol_id, created_at, updated_at) values ($ana_resp, $ana_id, 4, 0, $proto, $now, $now)" >/dev/null ||
    { echo "FAIL: ana cannot rate her own response" >&2; failures=$((failures + 1)); }
as ben "insert into response_rating(response_id, rater_id, score, cannot_assess, protocol_id, created_at, updated_at) values ($ben_resp, $ben_id, 2, 0, $proto, $now, $now)" >/dev/null ||
    { echo "FAIL: ben cannot rate his own response" >&2; failures=$((failures + 1)); }
equals ana "select score from response_rating" 4
equals ana "update response_rating set score = 5 where response_id = $ana_resp returning score" "5
UPDATE 1"
# Another rater's ratings: invisible, and cannot be written, changed or deleted.
equals ana "select count(*) from response_rating where rater_id = $ben_id" 0
equals ana "update response_rating set score = 1 where rater_id = $ben_id" "UPDATE 0"
equals ana "delete from response_rating where rater_id = $ben_id" "DELETE 0"
equals ben "select score from response_rating" 2
denied ana "insert into response_rating(response_id, rater_id, score, cannot_assess, protocol_id, created_at, updated_at) values ($ben_resp, $ben_id, 1, 0, $proto, $now, $now)"
denied ana "insert into response_rating(response_id, rater_id, score, cannot_assess, protocol_id, created_at, updated_at) values ($ben_resp, $ana_id, 1, 0, $proto, $now, $now)" # not assigned
denied ana "update response_rating set rater_id = $ben_id where rater_id = $ana_id"
denied ana "insert into category_label(item_id, rater_id, category, protocol_id, created_at, updated_at) select item_id, $ben_id, 'self-harm', $proto, $now, $now from assignment limit 1"
# The audit log: append only through the trigger; never read, changed or removed.
denied ana "select * from event"
denied ana "update event set actor = 'x'"
denied ana "delete from event"
denied ana "truncate event"
denied ana "insert into event(id, at, action, entity, hash) values (999999, $now, 'x', 'x', repeat('0', 64))"
as ana "insert into event(at, actor, action, entity) values ($now, 'forged', 'test.note', 'study')" >/dev/null ||
    { echo "FAIL: ana cannot append an event" >&2; failures=$((failures + 1)); }
[ "$(id_of "select actor from event where action = 'test.note'")" = "$db-ana" ] ||
    { echo "FAIL: the event's actor was not set by the server" >&2; failures=$((failures + 1)); }
# No schema changes, no other roles.
denied ana "create table mine(x int)"
denied ana "alter table response_rating disable row level security"
denied ana "set role \"$db:researcher\""

# --- an adjudicator: ratings blind (pseudonyms), no names, no models, no log.
equals adj "select count(*) from blind_rating" 2
equals adj "select count(*) from response_rating" 2
equals adj "select count(*) from rater" 4
denied adj "select name from rater"
denied adj "select * from rater"
denied adj "select model_id from response"
denied adj "select external_id from item"
for t in model dataset event import_run package_key login_rater rating_session presentation; do
    denied adj "select count(*) from $t"
done
denied adj "select skip_reason from assignment"
denied adj "insert into response_rating(response_id, rater_id, score, cannot_assess, protocol_id, created_at, updated_at) values ($ana_resp, $ana_id, 1, 0, $proto, $now, $now)"
denied adj "update response_rating set score = 1"
denied adj "update event set actor = 'x'"
denied adj "delete from event"

# --- a researcher: reads everything; the audit log still only grows.
equals res "select count(*) from model" 2
equals res "select count(*) from response_rating" 2
equals res "select count(*) > 0 from event" t
equals res "select count(*) from rater" 4
denied res "update event set actor = 'x'"
denied res "delete from event"
denied res "truncate event"
denied res "delete from login_rater"

# --- The app's one-statement rating write (cr_set_rating, SECURITY INVOKER): the same rules
# hold inside it. Her own rating through it works and is logged under her name; another
# rater's row, or her row on an unassigned response, is refused; an adjudicator may not
# call it at all.
ana_resp2="$(id_of "select max(r.id) from response r join assignment a on a.item_id = r.item_id where a.rater_id = $ana_id")"
set_rating() { # set_rating RESPONSE RATER → the call
    echo "select cr_set_rating($1, $2, 3, 0, null, null, null, $now, 'forged', '{\"rater\":$2,\"response\":$1,\"score\":3}', true) >= 0"
}
equals ana "$(set_rating "$ana_resp2" "$ana_id")" t
[ "$(id_of "select actor from event where action = 'rating.set' and entity_id = $ana_resp2")" = "$db-ana" ] ||
    { echo "FAIL: cr_set_rating's event is not ana's" >&2; failures=$((failures + 1)); }
denied ana "$(set_rating "$ben_resp" "$ben_id")"
denied ana "$(set_rating "$ben_resp" "$ana_id")" # not assigned
denied adj "$(set_rating "$ana_resp" "$ana_id")"
equals ben "select count(*) from response_rating" 1

# --- tamper evidence: the ratings ana and ben wrote with psql above went around the app,
# so no event describes them; `verify` (as the owner) must say so rather than pass.
if out="$("$app" verify "$uri" 2>&1)"; then
    echo "FAIL: verify accepted ratings written around the audit log" >&2
    failures=$((failures + 1))
elif ! echo "$out" | grep -q 'is in the study but not in the log'; then
    echo "FAIL: verify: unexpected: $out" >&2
    failures=$((failures + 1))
fi

# --- the app as each role (crisis-review's own storage layer on the same logins): a
# rater's login cannot run the researcher's tools (they read models and other raters).
for cmd in info stats "export --format long-csv"; do
    # shellcheck disable=SC2086
    if "$app" $cmd "postgresql://$db-ana@127.0.0.1:$CR_PG_PORT/$db" >/dev/null 2>&1; then
        echo "FAIL: the app ran '$cmd' as a rater" >&2
        failures=$((failures + 1))
    fi
done
"$app" info "postgresql://$db-res@127.0.0.1:$CR_PG_PORT/$db" >/dev/null 2>&1 ||
    { echo "FAIL: the app cannot run info as the researcher" >&2; failures=$((failures + 1)); }

if [ "$failures" -gt 0 ]; then
    echo "$failures forbidden or expected operations did not behave" >&2
    exit 1
fi
echo "ok: every forbidden read and write was refused for rater, adjudicator and researcher"
