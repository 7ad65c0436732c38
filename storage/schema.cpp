#include "storage/schema.h"

#include "storage/auditlog.h"
#include "storage/backend.h"
#include "storage/schemapg.h"
#include "storage/schemasteps.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace cr::storage::schema {

namespace {

// Version 1: the core data model of DESIGN.md.
const char *const step1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE protocol(id INTEGER PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL,"
    " hash TEXT NOT NULL UNIQUE, json TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE dataset(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE item(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
    " dataset_id INTEGER REFERENCES dataset(id), split TEXT, turns TEXT NOT NULL,"
    " reference_label TEXT, metadata TEXT)",
    "CREATE TABLE model(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, provider TEXT,"
    " version TEXT)",
    "CREATE TABLE response(id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " model_id INTEGER NOT NULL REFERENCES model(id), run INTEGER NOT NULL DEFAULT 1,"
    " text TEXT NOT NULL, refusal INTEGER NOT NULL DEFAULT 0, tokens INTEGER, metadata TEXT,"
    " UNIQUE(item_id, model_id, run))",
    "CREATE TABLE rater(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL CHECK(kind IN ('human','llm')),"
    " role TEXT NOT NULL CHECK(role IN ('rater','adjudicator','researcher')),"
    " pseudonym TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)",
    "CREATE TABLE assignment(id INTEGER PRIMARY KEY,"
    " rater_id INTEGER NOT NULL REFERENCES rater(id),"
    " item_id INTEGER NOT NULL REFERENCES item(id), seed INTEGER NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK(status IN ('pending','in_progress','done','skipped')),"
    " created_at TEXT NOT NULL, UNIQUE(rater_id, item_id))",
    "CREATE TABLE category_label(id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " rater_id INTEGER NOT NULL REFERENCES rater(id), category TEXT NOT NULL, note TEXT,"
    " protocol_id INTEGER REFERENCES protocol(id), created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, UNIQUE(item_id, rater_id))",
    "CREATE TABLE response_rating(id INTEGER PRIMARY KEY,"
    " response_id INTEGER NOT NULL REFERENCES response(id),"
    " rater_id INTEGER NOT NULL REFERENCES rater(id),"
    " score INTEGER CHECK(score BETWEEN 1 AND 5),"
    " cannot_assess INTEGER NOT NULL DEFAULT 0 CHECK(cannot_assess IN (0,1)),"
    " checklist TEXT, rationale TEXT, protocol_id INTEGER REFERENCES protocol(id),"
    " seconds_spent REAL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " CHECK((score IS NULL) = (cannot_assess = 1)), UNIQUE(response_id, rater_id))",
    "CREATE TABLE adjudication(id INTEGER PRIMARY KEY,"
    " item_id INTEGER REFERENCES item(id), response_id INTEGER REFERENCES response(id),"
    " category TEXT, score INTEGER CHECK(score BETWEEN 1 AND 5),"
    " adjudicator_id INTEGER NOT NULL REFERENCES rater(id), reason_tags TEXT, note TEXT,"
    " created_at TEXT NOT NULL,"
    " CHECK((item_id IS NULL) <> (response_id IS NULL)))",
    "CREATE TABLE event(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT,"
    " action TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER, before TEXT, after TEXT)",
    "CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event"
    " BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
    "CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event"
    " BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
};

// Version 2: what the rater was shown (position-bias analysis) and rater exposure.
const char *const step2[] = {
    "CREATE TABLE presentation(rater_id INTEGER NOT NULL REFERENCES rater(id),"
    " response_id INTEGER NOT NULL REFERENCES response(id), position INTEGER NOT NULL,"
    " label TEXT NOT NULL, shown_at TEXT NOT NULL, PRIMARY KEY(rater_id, response_id))",
    "ALTER TABLE assignment ADD COLUMN calibration INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE assignment ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0",
};

// Version 3: import provenance (skipped-row reports) and indexes for study-wide queries.
const char *const step3[] = {
    "CREATE TABLE import_run(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT,"
    " format TEXT NOT NULL, files TEXT NOT NULL, summary TEXT NOT NULL)",
    "CREATE TABLE import_issue(id INTEGER PRIMARY KEY,"
    " import_run_id INTEGER NOT NULL REFERENCES import_run(id), file TEXT NOT NULL,"
    " line INTEGER, field TEXT, reason TEXT NOT NULL)",
    "CREATE INDEX response_model ON response(model_id)",
    "CREATE INDEX response_rating_rater ON response_rating(rater_id)",
    "CREATE INDEX category_label_rater ON category_label(rater_id)",
    "CREATE INDEX assignment_item ON assignment(item_id)",
    "CREATE INDEX adjudication_item ON adjudication(item_id)",
    "CREATE INDEX adjudication_response ON adjudication(response_id)",
};

// Version 4: INSERT OR REPLACE must not be able to rewrite an audit event either
// (REPLACE's implicit delete does not fire DELETE triggers).
const char *const step4[] = {
    "CREATE TRIGGER event_append_only_replace BEFORE INSERT ON event"
    " WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM event WHERE id = NEW.id)"
    " BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
};

// Version 5: care for raters. Why an item was skipped ('distressing' = the rater's
// "pause — this was distressing", counted for the supervising researcher only) and
// each sign-in's exposure (items shown / rated per session and per day). Version 4
// recorded a distressing skip as status 'skipped' plus the flag; those become
// 'distressing', other skips 'skipped'.
const char *const step5[] = {
    "ALTER TABLE assignment ADD COLUMN skip_reason TEXT"
    " CHECK(skip_reason IN ('skipped','distressing'))",
    "UPDATE assignment SET skip_reason = CASE WHEN flagged = 1 THEN 'distressing'"
    " ELSE 'skipped' END WHERE status = 'skipped'",
    "CREATE TABLE rating_session(id INTEGER PRIMARY KEY,"
    " rater_id INTEGER NOT NULL REFERENCES rater(id), started_at TEXT NOT NULL,"
    " ended_at TEXT NOT NULL, items_shown INTEGER NOT NULL DEFAULT 0,"
    " items_rated INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX rating_session_rater ON rating_session(rater_id)",
};

// Version 6: rater packages. A package (a study file for one rater, holding only
// what that rater may see under opaque ids) is merged back through its key, which
// only the master keeps: which master item / response / assignment each opaque id
// stands for and the value it had when packaged or last merged (the merge's base).
// `seal` is a digest of the package's items and responses as written.
const char *const step6[] = {
    "CREATE TABLE package(id TEXT PRIMARY KEY, rater_id INTEGER NOT NULL REFERENCES rater(id),"
    " created_at TEXT NOT NULL, file TEXT NOT NULL, seal TEXT NOT NULL)",
    "CREATE TABLE package_key(package_id TEXT NOT NULL REFERENCES package(id),"
    " rater_id INTEGER NOT NULL REFERENCES rater(id),"
    " entity TEXT NOT NULL CHECK(entity IN ('item','response','assignment','session')),"
    " opaque_id TEXT NOT NULL, master_id INTEGER NOT NULL, base TEXT,"
    " PRIMARY KEY(package_id, entity, opaque_id))",
};

// Version 7: LLM raters of benchmark imports are named per task (FORMATS.md §2):
// classifier runs `MODEL:classify#N`, judge runs `MODEL:judge#N`. Earlier imports named
// both `MODEL#N`; in a study with a benchmark import, an LLM rater `NAME#N` (no ':') is
// renamed by what it rated: labels only → classify, scores only → judge; a rater with
// both is split, its scores moving to a new judge rater (next free pseudonym R###).
const char *const step7[] = {
    "CREATE TEMP TABLE rater_task AS SELECT r.id AS id,"
    " substr(rtrim(r.name, '0123456789'), 1, length(rtrim(r.name, '0123456789')) - 1) AS base,"
    " substr(r.name, length(rtrim(r.name, '0123456789')) + 1) AS run,"
    " EXISTS (SELECT 1 FROM category_label c WHERE c.rater_id = r.id) AS labels,"
    " EXISTS (SELECT 1 FROM response_rating s WHERE s.rater_id = r.id) AS scores"
    " FROM rater r WHERE r.kind = 'llm' AND instr(r.name, ':') = 0"
    " AND EXISTS (SELECT 1 FROM import_run WHERE format = 'benchmark')"
    " AND length(rtrim(r.name, '0123456789')) < length(r.name)"
    " AND length(rtrim(r.name, '0123456789')) > 1 AND rtrim(r.name, '0123456789') LIKE '%#'",
    "INSERT INTO rater(name, kind, role, pseudonym, created_at)"
    " SELECT t.base || ':judge#' || t.run, r.kind, r.role,"
    "  printf('R%03d', (SELECT coalesce(max(CAST(substr(pseudonym, 2) AS INTEGER)), 0)"
    "   FROM rater WHERE pseudonym GLOB 'R[0-9]*')"
    "   + (SELECT count(*) FROM rater_task u WHERE u.labels AND u.scores AND u.id <= t.id)),"
    "  r.created_at FROM rater_task t JOIN rater r ON r.id = t.id"
    " WHERE t.labels AND t.scores ORDER BY t.id",
    "UPDATE response_rating SET rater_id = (SELECT n.id FROM rater_task t"
    "  JOIN rater n ON n.name = t.base || ':judge#' || t.run WHERE t.id = response_rating.rater_id)"
    " WHERE rater_id IN (SELECT id FROM rater_task WHERE labels AND scores)",
    "UPDATE rater SET name = (SELECT t.base || CASE WHEN t.labels THEN ':classify#'"
    "  ELSE ':judge#' END || t.run FROM rater_task t WHERE t.id = rater.id)"
    " WHERE id IN (SELECT id FROM rater_task WHERE labels OR scores)",
    "DROP TABLE rater_task",
};

// The append-only triggers of the event table, as stored in sqlite_master since
// version 8 (verify compares them with these texts).
const char *const eventTriggers[] = {
    "CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event"
    " BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
    "CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event"
    " BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
    "CREATE TRIGGER event_append_only_replace BEFORE INSERT ON event"
    " WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM event WHERE id = NEW.id)"
    " BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END",
};

// Version 8: a hash-chained audit log (README "Audit trail"). Event ids never repeat
// (AUTOINCREMENT) and each event carries the SHA-256 chain hash. The table is rebuilt:
// existing events keep their ids and get their chain computed in id order; a study
// that had events also gets an audit.baseline event plus one .baseline event per
// stored label, rating and adjudication, so the log replays to the current values.
bool step8(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    const auto run = [&](const QString &sql) {
        if (q.exec(sql))
            return true;
        *error = q.lastError().text();
        return false;
    };
    if (!run(QStringLiteral(
            "CREATE TABLE event_chained(id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
            " actor TEXT, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER,"
            " before TEXT, after TEXT, hash TEXT NOT NULL CHECK(length(hash) = 64))")))
        return false;
    const qint64 copied = audit::copyEventsWithHashes(db, error);
    if (copied < 0 || !run(QStringLiteral("DROP TABLE event"))
        || !run(QStringLiteral("ALTER TABLE event_chained RENAME TO event")))
        return false;
    for (const char *trigger : eventTriggers)
        if (!run(QString::fromUtf8(trigger)))
            return false;
    return copied == 0 || audit::appendBaseline(db, error);
}

// Version 9: juries (a named group of LLM raters whose mean score per response acts as one
// rater, `crisis-review jury`) and empty LLM labels (a label file's "" kept as such, read by
// `stats --empty-label-as-category`; missing everywhere else).
const char *const step9[] = {
    "CREATE TABLE jury(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE jury_member(jury_id INTEGER NOT NULL REFERENCES jury(id) ON DELETE CASCADE,"
    " rater_id INTEGER NOT NULL REFERENCES rater(id), position INTEGER NOT NULL,"
    " PRIMARY KEY(jury_id, rater_id))",
    "CREATE TABLE empty_label(id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " rater_id INTEGER NOT NULL REFERENCES rater(id), created_at TEXT NOT NULL,"
    " UNIQUE(item_id, rater_id))",
};

// Version 10: LLM runs from the app (`crisis-review llm`, llm/): each run's recipe (task,
// endpoint profile name and model, parameters, prompt template hash, protocol; no URL or
// key), each rendered prompt once, every request with its raw reply and outcome, and the
// recipes of `sample` draws.
const char *const step10[] = {
    "CREATE TABLE llm_run(id INTEGER PRIMARY KEY,"
    " task TEXT NOT NULL CHECK(task IN ('respond','classify','judge')),"
    " endpoint TEXT NOT NULL, model TEXT NOT NULL, runs INTEGER NOT NULL,"
    " models TEXT, params TEXT NOT NULL, template_hash TEXT NOT NULL,"
    " protocol_id INTEGER REFERENCES protocol(id), actor TEXT, created_at TEXT NOT NULL,"
    " summary TEXT)",
    "CREATE TABLE llm_prompt(id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
    " text TEXT NOT NULL)",
    "CREATE TABLE llm_request(id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES llm_run(id),"
    " item_id INTEGER NOT NULL REFERENCES item(id), response_id INTEGER REFERENCES response(id),"
    " run INTEGER NOT NULL, target TEXT NOT NULL, attempt INTEGER NOT NULL,"
    " prompt_id INTEGER NOT NULL REFERENCES llm_prompt(id), http_status INTEGER,"
    " raw_reply TEXT, server_model TEXT, finish_reason TEXT, prompt_tokens INTEGER,"
    " completion_tokens INTEGER, latency_ms REAL, error TEXT, result TEXT, at TEXT NOT NULL)",
    "CREATE INDEX llm_request_unit ON llm_request(item_id, target, run)",
    "CREATE TABLE sample_recipe(id INTEGER PRIMARY KEY, pool TEXT NOT NULL,"
    " pool_hash TEXT NOT NULL, per TEXT NOT NULL, sizes TEXT NOT NULL, seed INTEGER NOT NULL,"
    " excluded TEXT, split TEXT, category_source TEXT, counts TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
};

// Version 11: maintained counts, so `info` and the study overview are O(models + raters)
// rather than O(responses). Kept by triggers on every write (imports, the workspace,
// packages, deletions, even `sqlite3` by hand). The one exception: the JSONL/CSV importer's
// transaction drops tally_item_insert and tally_response_insert, counts what it adds and
// writes those counts, then re-creates the triggers before it commits (RecordWriter::
// beginBulkLoad; other connections cannot write meanwhile, a rollback restores them).
// tally_item: items per (dataset, split, reference label), NULL kept as 0 / '' (the way
// `info` groups them); tally_response: responses and refusals per (model, run);
// tally_rater: assignments (all, done, skipped, skipped as distressing), labels and scores
// per rater; tally_study: events and
// adjudications. A group whose count drops to 0 is deleted, so the tables only depend
// on the rows, not on their history.
const char *const step11[] = {
    "CREATE TABLE tally_item(dataset_id INTEGER NOT NULL, split TEXT NOT NULL,"
    " reference_label TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(dataset_id, split, reference_label)) WITHOUT ROWID",
    "CREATE TABLE tally_response(model_id INTEGER NOT NULL, run INTEGER NOT NULL,"
    " n INTEGER NOT NULL, refusals INTEGER NOT NULL, PRIMARY KEY(model_id, run)) WITHOUT ROWID",
    "CREATE TABLE tally_rater(rater_id INTEGER PRIMARY KEY,"
    " assigned INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,"
    " skipped INTEGER NOT NULL DEFAULT 0, distressing INTEGER NOT NULL DEFAULT 0,"
    " labels INTEGER NOT NULL DEFAULT 0, ratings INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE tally_study(id INTEGER PRIMARY KEY CHECK(id = 1), events INTEGER NOT NULL,"
    " adjudications INTEGER NOT NULL)",
    "INSERT INTO tally_item SELECT coalesce(dataset_id, 0), coalesce(split, ''),"
    " coalesce(reference_label, ''), count(*) FROM item GROUP BY 1, 2, 3",
    "INSERT INTO tally_response SELECT model_id, run, count(*), sum(refusal <> 0)"
    " FROM response GROUP BY 1, 2",
    "INSERT INTO tally_rater SELECT id,"
    " (SELECT count(*) FROM assignment a WHERE a.rater_id = rater.id),"
    " (SELECT count(*) FROM assignment a WHERE a.rater_id = rater.id AND a.status = 'done'),"
    " (SELECT count(*) FROM assignment a WHERE a.rater_id = rater.id"
    "  AND a.status = 'skipped'),"
    " (SELECT count(*) FROM assignment a WHERE a.rater_id = rater.id"
    "  AND a.skip_reason = 'distressing'),"
    " (SELECT count(*) FROM category_label l WHERE l.rater_id = rater.id),"
    " (SELECT count(*) FROM response_rating r WHERE r.rater_id = rater.id) FROM rater",
    "INSERT INTO tally_study VALUES (1, (SELECT count(*) FROM event),"
    " (SELECT count(*) FROM adjudication))",
    // Items.
    "CREATE TRIGGER tally_item_insert AFTER INSERT ON item BEGIN"
    " INSERT INTO tally_item VALUES (coalesce(NEW.dataset_id, 0), coalesce(NEW.split, ''),"
    "  coalesce(NEW.reference_label, ''), 1)"
    "  ON CONFLICT(dataset_id, split, reference_label) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER tally_item_delete AFTER DELETE ON item BEGIN"
    " UPDATE tally_item SET n = n - 1 WHERE dataset_id = coalesce(OLD.dataset_id, 0)"
    "  AND split = coalesce(OLD.split, '') AND reference_label = coalesce(OLD.reference_label, '');"
    " DELETE FROM tally_item WHERE n <= 0 AND dataset_id = coalesce(OLD.dataset_id, 0)"
    "  AND split = coalesce(OLD.split, '') AND reference_label = coalesce(OLD.reference_label, '');"
    " END",
    "CREATE TRIGGER tally_item_update AFTER UPDATE OF dataset_id, split, reference_label ON item"
    " BEGIN"
    " UPDATE tally_item SET n = n - 1 WHERE dataset_id = coalesce(OLD.dataset_id, 0)"
    "  AND split = coalesce(OLD.split, '') AND reference_label = coalesce(OLD.reference_label, '');"
    " DELETE FROM tally_item WHERE n <= 0 AND dataset_id = coalesce(OLD.dataset_id, 0)"
    "  AND split = coalesce(OLD.split, '') AND reference_label = coalesce(OLD.reference_label, '');"
    " INSERT INTO tally_item VALUES (coalesce(NEW.dataset_id, 0), coalesce(NEW.split, ''),"
    "  coalesce(NEW.reference_label, ''), 1)"
    "  ON CONFLICT(dataset_id, split, reference_label) DO UPDATE SET n = n + 1; END",
    // Responses.
    "CREATE TRIGGER tally_response_insert AFTER INSERT ON response BEGIN"
    " INSERT INTO tally_response VALUES (NEW.model_id, NEW.run, 1, NEW.refusal <> 0)"
    "  ON CONFLICT(model_id, run) DO UPDATE SET n = n + 1,"
    "  refusals = refusals + (NEW.refusal <> 0); END",
    "CREATE TRIGGER tally_response_delete AFTER DELETE ON response BEGIN"
    " UPDATE tally_response SET n = n - 1, refusals = refusals - (OLD.refusal <> 0)"
    "  WHERE model_id = OLD.model_id AND run = OLD.run;"
    " DELETE FROM tally_response WHERE n <= 0 AND model_id = OLD.model_id AND run = OLD.run;"
    " END",
    "CREATE TRIGGER tally_response_update AFTER UPDATE OF model_id, run, refusal ON response"
    " BEGIN"
    " UPDATE tally_response SET n = n - 1, refusals = refusals - (OLD.refusal <> 0)"
    "  WHERE model_id = OLD.model_id AND run = OLD.run;"
    " DELETE FROM tally_response WHERE n <= 0 AND model_id = OLD.model_id AND run = OLD.run;"
    " INSERT INTO tally_response VALUES (NEW.model_id, NEW.run, 1, NEW.refusal <> 0)"
    "  ON CONFLICT(model_id, run) DO UPDATE SET n = n + 1,"
    "  refusals = refusals + (NEW.refusal <> 0); END",
    // Raters and their assignments, labels and scores (a deleted rater keeps its row, so
    // rows left pointing at it are still counted in the totals).
    "CREATE TRIGGER tally_rater_insert AFTER INSERT ON rater BEGIN"
    " INSERT OR IGNORE INTO tally_rater(rater_id) VALUES (NEW.id); END",
    "CREATE TRIGGER tally_assignment_insert AFTER INSERT ON assignment BEGIN"
    " UPDATE tally_rater SET assigned = assigned + 1, done = done + (NEW.status = 'done'),"
    "  skipped = skipped + (NEW.status = 'skipped'),"
    "  distressing = distressing + (NEW.skip_reason IS 'distressing')"
    "  WHERE rater_id = NEW.rater_id; END",
    "CREATE TRIGGER tally_assignment_delete AFTER DELETE ON assignment BEGIN"
    " UPDATE tally_rater SET assigned = assigned - 1, done = done - (OLD.status = 'done'),"
    "  skipped = skipped - (OLD.status = 'skipped'),"
    "  distressing = distressing - (OLD.skip_reason IS 'distressing')"
    "  WHERE rater_id = OLD.rater_id; END",
    "CREATE TRIGGER tally_assignment_update"
    " AFTER UPDATE OF rater_id, status, skip_reason ON assignment BEGIN"
    " UPDATE tally_rater SET assigned = assigned - 1, done = done - (OLD.status = 'done'),"
    "  skipped = skipped - (OLD.status = 'skipped'),"
    "  distressing = distressing - (OLD.skip_reason IS 'distressing')"
    "  WHERE rater_id = OLD.rater_id;"
    " UPDATE tally_rater SET assigned = assigned + 1, done = done + (NEW.status = 'done'),"
    "  skipped = skipped + (NEW.status = 'skipped'),"
    "  distressing = distressing + (NEW.skip_reason IS 'distressing')"
    "  WHERE rater_id = NEW.rater_id; END",
    "CREATE TRIGGER tally_label_insert AFTER INSERT ON category_label BEGIN"
    " UPDATE tally_rater SET labels = labels + 1 WHERE rater_id = NEW.rater_id; END",
    "CREATE TRIGGER tally_label_delete AFTER DELETE ON category_label BEGIN"
    " UPDATE tally_rater SET labels = labels - 1 WHERE rater_id = OLD.rater_id; END",
    "CREATE TRIGGER tally_label_update AFTER UPDATE OF rater_id ON category_label BEGIN"
    " UPDATE tally_rater SET labels = labels - 1 WHERE rater_id = OLD.rater_id;"
    " UPDATE tally_rater SET labels = labels + 1 WHERE rater_id = NEW.rater_id; END",
    "CREATE TRIGGER tally_rating_insert AFTER INSERT ON response_rating BEGIN"
    " UPDATE tally_rater SET ratings = ratings + 1 WHERE rater_id = NEW.rater_id; END",
    "CREATE TRIGGER tally_rating_delete AFTER DELETE ON response_rating BEGIN"
    " UPDATE tally_rater SET ratings = ratings - 1 WHERE rater_id = OLD.rater_id; END",
    "CREATE TRIGGER tally_rating_update AFTER UPDATE OF rater_id ON response_rating BEGIN"
    " UPDATE tally_rater SET ratings = ratings - 1 WHERE rater_id = OLD.rater_id;"
    " UPDATE tally_rater SET ratings = ratings + 1 WHERE rater_id = NEW.rater_id; END",
    // Events (append-only) and adjudications.
    "CREATE TRIGGER tally_event_insert AFTER INSERT ON event BEGIN"
    " UPDATE tally_study SET events = events + 1; END",
    "CREATE TRIGGER tally_adjudication_insert AFTER INSERT ON adjudication BEGIN"
    " UPDATE tally_study SET adjudications = adjudications + 1; END",
    "CREATE TRIGGER tally_adjudication_delete AFTER DELETE ON adjudication BEGIN"
    " UPDATE tally_study SET adjudications = adjudications - 1; END",
};

// Version 12 made the PostgreSQL tallies tables kept by triggers (schemapg.cpp; they were
// views over the rows there); on SQLite they already are, so the step only moves the
// version.

using detail::makeStep;
using detail::Step;

const Step steps[] = { makeStep(step1), makeStep(step2), makeStep(step3), makeStep(step4),
    makeStep(step5), makeStep(step6), makeStep(step7), Step { nullptr, 0, step8 }, makeStep(step9),
    makeStep(step10), makeStep(step11), Step { nullptr, 0 } };
static_assert(std::size(steps) == currentVersion, "one migration step per schema version");

} // namespace

bool migrate(QSqlDatabase &db, int fromVersion, int toVersion, QString *error)
{
    QSqlQuery q(db);
    const bool onServer = engineOf(db) == Engine::Postgres;
    if (onServer && !postgres::migrate(db, fromVersion, toVersion, error))
        return false;
    if (!onServer && !detail::runSteps(db, steps, fromVersion, toVersion, error))
        return false;
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES ('schema_version', ?)"
                             " ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(QString::number(toVersion));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

QStringList eventTriggerSql()
{
    QStringList out;
    for (const char *trigger : eventTriggers)
        out.append(QString::fromUtf8(trigger));
    return out;
}

int readVersion(const QSqlDatabase &db)
{
    if (!db.tables().contains(QStringLiteral("meta")))
        return 0;
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")) && q.next())
        return q.value(0).toInt();
    return 0;
}

} // namespace cr::storage::schema
