#include "storage/pgsecurity.h"

#include "storage/backend.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage::pgsecurity {

namespace {

constexpr RaterRole rater = RaterRole::Rater;
constexpr RaterRole adjudicator = RaterRole::Adjudicator;
constexpr RaterRole researcher = RaterRole::Researcher;

/// One row-level policy: `name` on `table` for `command` to `role`.
struct Policy {
    const char *table;
    const char *name;
    const char *command; // SELECT, INSERT, UPDATE, DELETE or ALL
    RaterRole role;
    const char *usingExpr; // nullptr for INSERT
    const char *checkExpr; // nullptr for SELECT / DELETE
};

// Row filters. A rater's rows are their own (cr_my_rater(): the rater linked to the
// session's login) on the items assigned to them: an assignment of theirs for the row's
// item (MINE(table.item column)). Written as EXISTS over assignment, which the rater reads
// through its own policy (own rows), rather than `IN (SELECT cr_my_items())`: the planner
// cannot look into that SECURITY DEFINER function, so every query, even one item by id,
// first read all of the rater's assignments (~60-90 ms per query at 10x under load, the
// rating page's next item; docs/PERFORMANCE.md, issue 22 on PostgreSQL); the EXISTS is
// an index probe per row (UNIQUE(rater_id, item_id)) or one semi-join for many.
#define MINE(item)                                                                                 \
    "EXISTS (SELECT 1 FROM assignment mine WHERE mine.rater_id = cr_my_rater()"                    \
    " AND mine.item_id = " item ")"
#define OWN "rater_id = cr_my_rater()"
#define OWN_ITEM "rater_id = cr_my_rater() AND " MINE("category_label.item_id")
#define OWN_RESPONSE "rater_id = cr_my_rater() AND cr_may_see_response(response_id)"

const Policy policies[] = {
    { "item", "item_rater", "SELECT", rater, MINE("item.id"), nullptr },
    { "item", "item_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "response", "response_rater", "SELECT", rater, MINE("response.item_id"), nullptr },
    { "response", "response_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "rater", "rater_self", "SELECT", rater, "id = cr_my_rater()", nullptr },
    { "rater", "rater_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "assignment", "assignment_rater", "SELECT", rater, OWN, nullptr },
    { "assignment", "assignment_rater_update", "UPDATE", rater, OWN, OWN },
    { "assignment", "assignment_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "category_label", "label_rater", "ALL", rater, OWN, OWN_ITEM },
    { "category_label", "label_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "response_rating", "rating_rater", "ALL", rater, OWN, OWN_RESPONSE },
    { "response_rating", "rating_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "presentation", "presentation_rater", "ALL", rater, OWN, OWN_RESPONSE },
    { "rating_session", "session_rater", "ALL", rater, OWN, OWN },
    { "adjudication", "adjudication_adjudicator", "SELECT", adjudicator, "true", nullptr },
    { "adjudication", "adjudication_adjudicator_write", "INSERT", adjudicator, nullptr,
        "adjudicator_id = cr_my_rater()" },
    { "adjudication", "adjudication_adjudicator_update", "UPDATE", adjudicator,
        "adjudicator_id = cr_my_rater()", "adjudicator_id = cr_my_rater()" },
};

#undef OWN
#undef OWN_ITEM
#undef OWN_RESPONSE

/// Tables with row-level security: every table a rater or adjudicator reads rows of.
const char *const rlsTables[] = { "item", "response", "rater", "assignment", "category_label",
    "response_rating", "presentation", "rating_session", "adjudication" };

/// Column privileges of raters and adjudicators (everything else: none). A rater never
/// gets a model, dataset, source, external id, other raters or the event log; an
/// adjudicator gets ratings under pseudonyms and no model identity.
struct Grant {
    RaterRole role;
    const char *privileges; // with columns, e.g. "SELECT (id, turns)"
    const char *table;
};

const Grant grants[] = {
    { rater, "SELECT", "meta" },
    { rater, "SELECT", "protocol" },
    { rater, "SELECT (id, turns)", "item" },
    { rater, "SELECT (id, item_id, text)", "response" },
    { rater, "SELECT (id, name, kind, role, pseudonym)", "rater" },
    { rater, "SELECT (id, rater_id, item_id, seed, status, created_at, flagged, skip_reason)",
        "assignment" },
    { rater, "UPDATE (status, flagged, skip_reason)", "assignment" },
    { rater, "SELECT, INSERT, UPDATE, DELETE", "category_label" },
    { rater, "SELECT, INSERT, UPDATE, DELETE", "response_rating" },
    { rater, "SELECT, INSERT, UPDATE", "presentation" },
    { rater, "SELECT, INSERT, UPDATE", "rating_session" },
    { rater, "INSERT (at, actor, action, entity, entity_id, before, after)", "event" },
    { rater, "SELECT", "my_item" },
    { rater, "SELECT", "my_response" },
    { adjudicator, "SELECT", "meta" },
    { adjudicator, "SELECT", "protocol" },
    { adjudicator, "SELECT (id, turns)", "item" },
    { adjudicator, "SELECT (id, item_id, text)", "response" },
    { adjudicator, "SELECT (id, kind, role, pseudonym)", "rater" },
    { adjudicator, "SELECT (id, rater_id, item_id, status, flagged)", "assignment" },
    { adjudicator, "SELECT", "category_label" },
    { adjudicator, "SELECT", "response_rating" },
    { adjudicator, "SELECT, INSERT, UPDATE", "adjudication" },
    { adjudicator, "INSERT (at, actor, action, entity, entity_id, before, after)", "event" },
    { adjudicator, "SELECT", "blind_rating" },
    { researcher, "SELECT", "blind_rating" },
    { researcher, "SELECT", "my_item" },
    { researcher, "SELECT", "my_response" },
};

const char *const setup[] = {
    // Only logins granted CONNECT by add-person reach this database at all.
    "DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());"
    " END $$",
    "REVOKE ALL ON SCHEMA public FROM PUBLIC",
    // Servers set up by earlier versions of `server init` also made cluster-wide groups
    // cr_rater, cr_adjudicator and cr_researcher and let them connect; they would reach
    // every study on the cluster. `server init` makes none now, but the security step
    // (run again by every add-person) still takes their access to this database away, so
    // on such a server too this study's access goes through its own groups only.
    "DO $$ DECLARE r text; BEGIN"
    " FOREACH r IN ARRAY ARRAY['cr_rater', 'cr_adjudicator', 'cr_researcher'] LOOP"
    "  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN"
    "   EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), r);"
    "   EXECUTE format('REVOKE ALL ON SCHEMA public FROM %I', r);"
    "  END IF;"
    " END LOOP; END $$",
    "GRANT USAGE ON SCHEMA public TO @rater, @adjudicator, @researcher",
    // Which rater a login is (add-person fills it).
    "CREATE TABLE IF NOT EXISTS login_rater(login TEXT PRIMARY KEY,"
    " rater_id BIGINT NOT NULL UNIQUE REFERENCES rater(id))",
    "CREATE OR REPLACE FUNCTION cr_my_rater() RETURNS bigint LANGUAGE sql STABLE"
    " SECURITY DEFINER SET search_path = public, pg_temp AS"
    " $$ SELECT rater_id FROM login_rater WHERE login = session_user $$",
    "CREATE OR REPLACE FUNCTION cr_my_items() RETURNS SETOF bigint LANGUAGE sql STABLE"
    " SECURITY DEFINER SET search_path = public, pg_temp AS"
    " $$ SELECT item_id FROM assignment WHERE rater_id = cr_my_rater() $$",
    "CREATE OR REPLACE FUNCTION cr_may_see_response(response bigint) RETURNS boolean"
    " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS"
    " $$ SELECT EXISTS (SELECT 1 FROM response r JOIN assignment a ON a.item_id = r.item_id"
    " WHERE r.id = response AND a.rater_id = cr_my_rater()) $$",
    // The chain encoding of storage/auditlog.h (audit::eventHash): per field '~' for
    // NULL, else its byte length, ':' and its UTF-8 bytes.
    "CREATE OR REPLACE FUNCTION cr_chain_field(v text) RETURNS bytea LANGUAGE sql IMMUTABLE"
    " AS $$ SELECT CASE WHEN v IS NULL THEN '\\x7e'::bytea"
    " ELSE convert_to(octet_length(convert_to(v, 'UTF8'))::text || ':', 'UTF8')"
    " || convert_to(v, 'UTF8') END $$",
    // The audit log is written by this trigger for everyone but the schema owner (the
    // only role that may write ids and hashes: its client chains its own events, and
    // publish copies a chain as it is) and for every event sent without a hash (the
    // one-statement rating write below, whoever sends it). As the owner (SECURITY
    // DEFINER) it takes the study's write lock (storage/backend.h) and the log's, reads the
    // chain head (which no rater or adjudicator can read), numbers the event (the last id
    // ever used + 1, event_sequence), computes its hash with the encoding of
    // audit::eventHash and, for anyone who may not write hashes, sets the actor to the
    // rater linked to the login (else the login), whatever was sent. The actor is looked
    // up before the lock: under it, only the chain's own work (the lock is held to COMMIT).
    "CREATE OR REPLACE FUNCTION cr_event_append() RETURNS trigger LANGUAGE plpgsql"
    " SECURITY DEFINER SET search_path = public, pg_temp AS $$"
    " DECLARE head_id bigint; head_hash text; next_id bigint; BEGIN"
    "  IF NEW.hash IS NOT NULL THEN RETURN NEW; END IF;"
    "  IF NOT has_column_privilege(session_user, 'event', 'hash', 'INSERT') THEN"
    "   NEW.actor := coalesce((SELECT name FROM rater WHERE id = cr_my_rater()),"
    "    session_user::text);"
    "  END IF;"
    "  PERFORM pg_advisory_xact_lock(@lock);"
    "  LOCK TABLE event IN SHARE ROW EXCLUSIVE MODE;"
    "  SELECT id, hash INTO head_id, head_hash FROM event ORDER BY id DESC LIMIT 1;"
    "  IF NOT FOUND THEN head_id := 0; head_hash := repeat('0', 64); END IF;"
    "  SELECT greatest(head_id, coalesce(max(last_id), 0)) INTO next_id FROM event_sequence;"
    "  NEW.id := next_id + 1;"
    "  NEW.hash := encode(sha256(convert_to(head_hash, 'UTF8') || @chain), 'hex');"
    "  RETURN NEW;"
    " END $$",
    // (@chain is cr_chain_field of each field, written out in one expression: the SQL
    // function is not inlined, and eight calls of it under the lock cost more than the rest
    // of the append; chainFieldsSql() below.)
    // A rating write in one statement and one round trip (RatingRepository::
    // setResponseRating; docs/PERFORMANCE.md "Rating write latency on a study server"),
    // sent outside a transaction block, so the server commits it before it answers. It
    // runs as the caller (SECURITY INVOKER: row-level security and the column privileges
    // apply to every statement in it exactly as to the same statements sent one by one).
    // The previous value is read with the row locked (the event's `before`, in the
    // client's JSON, audit::ratingPayload's key order), the row is updated or inserted, and
    // only then is the study's write lock taken (or tried, p_wait false: 55P03 when busy)
    // and the event appended through the trigger above (a new rating's row takes it a
    // statement earlier: the tally trigger of schema step 12, schemapg.cpp, takes it
    // before it counts the rating; then the hold returned below starts later than the
    // lock). The lock is taken before the
    // INSERT so that no writer holds the event table while it waits for the lock. The
    // lock is held from there to the commit, with no round trip to the client in between;
    // the function returns the microseconds it held it before the commit.
    "CREATE OR REPLACE FUNCTION cr_set_rating(p_response bigint, p_rater bigint,"
    " p_score integer, p_cannot_assess integer, p_checklist text, p_rationale text,"
    " p_seconds double precision, p_at text, p_actor text, p_after text, p_wait boolean)"
    " RETURNS double precision LANGUAGE plpgsql SET search_path = public, pg_temp AS $$"
    " DECLARE old record; had boolean := false; done boolean := false; before_json text;"
    "  locked_at timestamptz; BEGIN"
    // (A new rating's tally trigger, schema step 12, takes the lock at the INSERT: it
    // only tries when this write must not wait.)
    "  PERFORM set_config('cr.lock_nowait', CASE WHEN p_wait THEN 'off' ELSE 'on' END, true);"
    "  FOR attempt IN 1..3 LOOP"
    "   SELECT score, cannot_assess, checklist, rationale, seconds_spent INTO old"
    "    FROM response_rating WHERE response_id = p_response AND rater_id = p_rater FOR UPDATE;"
    "   IF FOUND THEN"
    "    had := true;"
    "    UPDATE response_rating SET score = p_score, cannot_assess = p_cannot_assess,"
    "     checklist = p_checklist, rationale = p_rationale,"
    "     protocol_id = (SELECT max(id) FROM protocol), seconds_spent = p_seconds,"
    "     updated_at = p_at WHERE response_id = p_response AND rater_id = p_rater;"
    "    done := true;"
    "    EXIT;"
    "   END IF;"
    "   INSERT INTO response_rating(response_id, rater_id, score, cannot_assess, checklist,"
    "    rationale, protocol_id, seconds_spent, created_at, updated_at)"
    "    VALUES (p_response, p_rater, p_score, p_cannot_assess, p_checklist, p_rationale,"
    "    (SELECT max(id) FROM protocol), p_seconds, p_at, p_at)"
    "    ON CONFLICT (response_id, rater_id) DO NOTHING;"
    "   IF FOUND THEN done := true; EXIT; END IF;"
    "  END LOOP;"
    "  IF NOT done THEN"
    "   RAISE EXCEPTION 'the rating changed while it was written' USING ERRCODE = '40001';"
    "  END IF;"
    "  IF had THEN"
    "   before_json := '{'"
    "    || CASE WHEN old.cannot_assess <> 0 THEN '\"cannot_assess\":true,' ELSE '' END"
    "    || CASE WHEN coalesce(old.checklist, '') NOT IN ('', '[]')"
    "     THEN '\"checklist\":' || old.checklist || ',' ELSE '' END"
    "    || '\"rater\":' || p_rater"
    "    || CASE WHEN coalesce(old.rationale, '') <> ''"
    "     THEN ',\"rationale\":' || to_json(old.rationale)::text ELSE '' END"
    "    || ',\"response\":' || p_response || ',\"score\":' || coalesce(old.score::text, 'null')"
    "    || CASE WHEN old.seconds_spent IS NOT NULL"
    "     THEN ',\"seconds_spent\":' || old.seconds_spent::text ELSE '' END || '}';"
    "  END IF;"
    "  IF p_wait THEN PERFORM pg_advisory_xact_lock(@lock);"
    "  ELSIF NOT pg_try_advisory_xact_lock(@lock) THEN"
    "   RAISE EXCEPTION 'another connection holds the study''s write lock'"
    "    USING ERRCODE = '55P03';"
    "  END IF;"
    "  locked_at := clock_timestamp();"
    "  INSERT INTO event(at, actor, action, entity, entity_id, before, after)"
    "   VALUES (p_at, p_actor, 'rating.set', 'response_rating', p_response, before_json,"
    "   p_after);"
    "  RETURN extract(epoch FROM clock_timestamp() - locked_at) * 1000000;"
    " END $$",
    // The id high-water mark (schemapg step 8) is advanced by a trigger of the inserting
    // role: as the owner, so nobody needs write access to event_sequence.
    "ALTER FUNCTION event_sequence_advance() SECURITY DEFINER",
    "ALTER FUNCTION event_sequence_advance() SET search_path = public, pg_temp",
    "DROP TRIGGER IF EXISTS event_append ON event",
    "CREATE TRIGGER event_append BEFORE INSERT ON event FOR EACH ROW"
    " EXECUTE FUNCTION cr_event_append()",
    // Live refresh: every committed statement that changes ratings, labels,
    // adjudications or assignments tells the listening windows (storage/changes.h).
    "CREATE OR REPLACE FUNCTION cr_notify_change() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN PERFORM pg_notify('cr_change', TG_TABLE_NAME); RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS notify_change ON response_rating",
    "CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON response_rating"
    " FOR EACH STATEMENT EXECUTE FUNCTION cr_notify_change()",
    "DROP TRIGGER IF EXISTS notify_change ON category_label",
    "CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON category_label"
    " FOR EACH STATEMENT EXECUTE FUNCTION cr_notify_change()",
    "DROP TRIGGER IF EXISTS notify_change ON adjudication",
    "CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON adjudication"
    " FOR EACH STATEMENT EXECUTE FUNCTION cr_notify_change()",
    "DROP TRIGGER IF EXISTS notify_change ON assignment",
    "CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON assignment"
    " FOR EACH STATEMENT EXECUTE FUNCTION cr_notify_change()",
    // Views: what a rater may see of their items (no model, dataset or external id),
    // and the ratings as an adjudicator sees them (pseudonyms, no names, no models).
    "CREATE OR REPLACE VIEW my_item WITH (security_barrier) AS"
    " SELECT id, turns FROM item WHERE " MINE("item.id"),
    // base_order: the responses' order before the rater's shuffle (by model name and
    // run, as storage::loadRaterItem orders them), without saying which model.
    "DROP VIEW IF EXISTS my_response",
    "CREATE VIEW my_response WITH (security_barrier) AS"
    " SELECT r.id, r.item_id, r.text, row_number() OVER (PARTITION BY r.item_id"
    " ORDER BY m.name, r.run) AS base_order FROM response r JOIN model m ON m.id = r.model_id"
    " WHERE " MINE("r.item_id"),
    "CREATE OR REPLACE VIEW blind_rating WITH (security_barrier) AS"
    " SELECT s.response_id, r.item_id, p.pseudonym AS rater, s.score, s.cannot_assess,"
    " s.checklist, s.rationale FROM response_rating s JOIN response r ON r.id = s.response_id"
    " JOIN rater p ON p.id = s.rater_id",
    // Start from nothing, then grant.
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, @rater, @adjudicator, @researcher",
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, @rater, @adjudicator,"
    " @researcher",
    "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION cr_my_rater(), cr_my_items(), cr_may_see_response(bigint),"
    " cr_chain_field(text), cr_notify_change() TO @rater, @adjudicator, @researcher",
    "GRANT EXECUTE ON FUNCTION cr_set_rating(bigint, bigint, integer, integer, text, text,"
    " double precision, text, text, text, boolean) TO @rater, @researcher",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO @rater, @adjudicator, @researcher",
    // A researcher reads and writes everything, but the audit log only grows.
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO @researcher",
    "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON event FROM @researcher",
    "GRANT INSERT (at, actor, action, entity, entity_id, before, after) ON event TO @researcher",
    "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON event_sequence FROM @researcher",
    "REVOKE INSERT, UPDATE, DELETE ON login_rater FROM @researcher",
    // The counts `info` reads (schema step 12) are kept by their triggers only.
    "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON tally_item, tally_response, tally_rater,"
    " tally_study FROM @researcher",
};

#undef MINE

/// The chain encoding of the fields of NEW (cr_chain_field's body for each, in the order of
/// audit::eventHash), as one PL/pgSQL expression.
QString chainFieldsSql()
{
    QStringList parts;
    for (const char *field :
        { "id", "at", "actor", "action", "entity", "entity_id", "before", "after" }) {
        const QString v = QStringLiteral("NEW.%1::text").arg(QLatin1String(field));
        parts.append(QStringLiteral("CASE WHEN %1 IS NULL THEN '\\x7e'::bytea ELSE"
                                    " convert_to(octet_length(convert_to(%1, 'UTF8'))::text || ':',"
                                    " 'UTF8') || convert_to(%1, 'UTF8') END")
                         .arg(v));
    }
    return parts.join(QStringLiteral(" || "));
}

QString policySql(const Policy &p, const QString &database)
{
    QString sql = QStringLiteral("CREATE POLICY %1 ON %2 FOR %3 TO %4")
                      .arg(QLatin1String(p.name), QLatin1String(p.table), QLatin1String(p.command),
                          groupRole(p.role, database));
    if (p.usingExpr)
        sql += QStringLiteral(" USING (%1)").arg(QLatin1String(p.usingExpr));
    if (p.checkExpr)
        sql += QStringLiteral(" WITH CHECK (%1)").arg(QLatin1String(p.checkExpr));
    return sql;
}

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

/// PBKDF2-HMAC-SHA-256, one block (32 bytes: SCRAM's SaltedPassword).
QByteArray pbkdf2(const QByteArray &password, const QByteArray &salt, int iterations)
{
    QByteArray u = hmac(password, salt + QByteArray("\x00\x00\x00\x01", 4));
    QByteArray result = u;
    for (int i = 1; i < iterations; ++i) {
        u = hmac(password, u);
        for (int j = 0; j < result.size(); ++j)
            result[j] = char(result.at(j) ^ u.at(j));
    }
    return result;
}

QString quoteIdent(const QString &name)
{
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\""))
        + QLatin1Char('"');
}

bool exec(QSqlQuery &q, const QString &sql, Error *error)
{
    if (q.exec(sql))
        return true;
    *error = Error::storage(
        q.lastError().text() + QStringLiteral(" (in: ") + sql.left(120) + QStringLiteral(")"));
    return false;
}

QString groupRoleName(RaterRole role, const QString &database)
{
    const char *suffix = role == RaterRole::Adjudicator ? "adjudicator"
        : role == RaterRole::Researcher                 ? "researcher"
                                                        : "rater";
    return database + QLatin1Char(':') + QLatin1String(suffix);
}

QString currentDatabase(QSqlDatabase &db, Error *error)
{
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT current_database()")) && q.next())
        return q.value(0).toString();
    *error = Error::storage(q.lastError().text());
    return {};
}

} // namespace

QString groupRole(RaterRole role, const QString &database)
{
    return quoteIdent(groupRoleName(role, database));
}

QStringList securityStatements(const QString &database)
{
    const auto roles = [&](QString sql) {
        return sql.replace(QLatin1String("@rater"), groupRole(rater, database))
            .replace(QLatin1String("@adjudicator"), groupRole(adjudicator, database))
            .replace(QLatin1String("@researcher"), groupRole(researcher, database))
            .replace(QLatin1String("@lock"), QLatin1String(dialect::writeLockKey()))
            .replace(QLatin1String("@chain"), chainFieldsSql());
    };
    QStringList out;
    for (const char *s : setup)
        out.append(roles(QString::fromUtf8(s)));
    for (const char *table : rlsTables)
        out.append(
            QStringLiteral("ALTER TABLE %1 ENABLE ROW LEVEL SECURITY").arg(QLatin1String(table)));
    for (const Policy &p : policies) {
        out.append(QStringLiteral("DROP POLICY IF EXISTS %1 ON %2")
                       .arg(QLatin1String(p.name), QLatin1String(p.table)));
        out.append(policySql(p, database));
    }
    for (const char *table : rlsTables) {
        const QString name = QStringLiteral("%1_researcher").arg(QLatin1String(table));
        out.append(
            QStringLiteral("DROP POLICY IF EXISTS %1 ON %2").arg(name, QLatin1String(table)));
        out.append(QStringLiteral("CREATE POLICY %1 ON %2 FOR ALL TO %3 USING (true)"
                                  " WITH CHECK (true)")
                       .arg(name, QLatin1String(table), groupRole(researcher, database)));
    }
    for (const Grant &g : grants)
        out.append(QStringLiteral("GRANT %1 ON %2 TO %3")
                       .arg(QLatin1String(g.privileges), QLatin1String(g.table),
                           groupRole(g.role, database)));
    return out;
}

bool applyInTransaction(QSqlDatabase &db, Error *error)
{
    const QString database = currentDatabase(db, error);
    if (database.isEmpty())
        return false;
    QSqlQuery q(db);
    // The group roles of this study: roles are cluster-wide, so each study database has
    // its own three (a person who rates in one study and leads another is in two groups).
    for (RaterRole role : { rater, adjudicator, researcher }) {
        q.prepare(QStringLiteral("SELECT 1 FROM pg_roles WHERE rolname = ?"));
        q.addBindValue(groupRoleName(role, database));
        if (!q.exec()) {
            *error = Error::storage(q.lastError().text());
            return false;
        }
        if (!q.next()
            && !exec(
                q, QStringLiteral("CREATE ROLE %1 NOLOGIN").arg(groupRole(role, database)), error))
            return false;
    }
    for (const QString &sql : securityStatements(database))
        if (!exec(q, sql, error))
            return false;
    return true;
}

bool apply(QSqlDatabase &db, Error *error)
{
    if (!db.transaction()) {
        *error = Error::storage(db.lastError().text());
        return false;
    }
    if (!applyInTransaction(db, error)) {
        db.rollback();
        return false;
    }
    if (!db.commit()) {
        *error = Error::storage(db.lastError().text());
        return false;
    }
    return true;
}

QString scramVerifier(const QString &password, const QByteArray &saltIn)
{
    QByteArray salt = saltIn;
    if (salt.isEmpty()) {
        salt.resize(16);
        for (char &c : salt)
            c = char(QRandomGenerator::system()->bounded(256));
    }
    const int iterations = 4096;
    const QByteArray salted = pbkdf2(password.toUtf8(), salt, iterations);
    const QByteArray clientKey = hmac(salted, "Client Key");
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, QCryptographicHash::Sha256);
    const QByteArray serverKey = hmac(salted, "Server Key");
    return QStringLiteral("SCRAM-SHA-256$%1:%2$%3:%4")
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(storedKey.toBase64()),
            QString::fromLatin1(serverKey.toBase64()));
}

QString generatePassword()
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    QString out;
    for (int i = 0; i < 24; ++i)
        out.append(
            QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))]));
    return out;
}

QString validateLogin(const QString &login)
{
    static const QRegularExpression ok(QStringLiteral("^[A-Za-z][A-Za-z0-9._-]{0,62}$"));
    if (!ok.match(login).hasMatch())
        return QStringLiteral("a login name is 1-63 letters, digits, '.', '_' or '-', starting "
                              "with a letter");
    if (login.startsWith(QLatin1String("cr_")) || login.startsWith(QLatin1String("pg_")))
        return QStringLiteral("a login name may not start with cr_ or pg_");
    return {};
}

bool addLogin(QSqlDatabase &db, const QString &login, RaterRole role, qint64 raterId,
    const QString &password, bool setPassword, bool *created, Error *error)
{
    if (const QString problem = validateLogin(login); !problem.isEmpty()) {
        *error = Error::invalid(login + QStringLiteral(": ") + problem);
        return false;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT 1 FROM pg_roles WHERE rolname = ?"));
    q.addBindValue(login);
    if (!q.exec()) {
        *error = Error::storage(q.lastError().text());
        return false;
    }
    const bool exists = q.next();
    *created = !exists;
    // The verifier is computed here: the password itself is never sent to the server.
    const QString verifier = scramVerifier(password);
    if (!exists) {
        if (!exec(q,
                QStringLiteral("CREATE ROLE %1 LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                               "PASSWORD '%2'")
                    .arg(quoteIdent(login), verifier),
                error))
            return false;
    } else if (setPassword
        && !exec(q, QStringLiteral("ALTER ROLE %1 PASSWORD '%2'").arg(quoteIdent(login), verifier),
            error)) {
        return false;
    }
    const QString database = currentDatabase(db, error);
    if (database.isEmpty()
        || !exec(q,
            QStringLiteral("GRANT %1 TO %2").arg(groupRole(role, database), quoteIdent(login)),
            error)
        || !exec(q,
            QStringLiteral("GRANT CONNECT ON DATABASE %1 TO %2")
                .arg(quoteIdent(database), quoteIdent(login)),
            error))
        return false;
    q.prepare(QStringLiteral("INSERT INTO login_rater(login, rater_id) VALUES (?, ?)"
                             " ON CONFLICT(login) DO UPDATE SET rater_id = excluded.rater_id"));
    q.addBindValue(login);
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = Error::storage(q.lastError().text());
        return false;
    }
    return true;
}

} // namespace cr::storage::pgsecurity
