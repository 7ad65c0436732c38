#include "protocol/protocol.h"
#include "storage/auditlog.h"
#include "storage/importer.h"
#include "storage/jury.h"
#include "storage/llmruns.h"
#include "storage/package.h"
#include "storage/repositories.h"
#include "storage/schema.h"
#include "storage/study.h"
#include "storage/studyinfo.h"
#include "tests/storage/backendfixture.h"
#include "tests/storage/testutil.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

bool exec(const QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db);
    if (values.isEmpty()) { // unprepared: PostgreSQL cannot PREPARE DDL
        if (q.exec(sql))
            return true;
        qWarning("exec failed: %s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    if (!q.prepare(sql)) {
        qWarning("prepare failed: %s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        qWarning("exec failed: %s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

/// The chain hash of the study.create event buildOldStudy writes (schema 8 and later).
QByteArray createEventHash(const QString &at)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    return audit::eventHash(sha, audit::genesisHash(),
        { 1, at.toUtf8(), "cli", "study.create", "study", std::nullopt, QByteArray(),
            "Old study" });
}

const QString oldTurns = QStringLiteral("[\"Je n’ai pas dormi 🙂\",\"line\\nbreak\"]");

/// PostgreSQL: moves every identity past the ids rows were inserted with (SQLite's rowids
/// need nothing of the kind), so later inserts without an id do not collide.
bool moveIdentities(const QSqlDatabase &db)
{
    return exec(db,
        QStringLiteral(
            "DO $$ DECLARE r record; BEGIN FOR r IN SELECT table_name FROM"
            " information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'"
            " AND is_identity = 'YES' LOOP EXECUTE format('SELECT setval(pg_get_serial_"
            "sequence(%L, ''id''), coalesce((SELECT max(id) FROM %I), 0) + 1, false)',"
            " r.table_name, r.table_name); END LOOP; END $$"));
}

/// Builds a study file at schema `version` the way that version of the app did:
/// raw migrations up to `version`, the meta rows, a protocol and some data that
/// is valid at that version. Returns false on any failure.
bool buildOldStudy(
    const QString &path, int version, bool withData = true, const QString &extraSql = {})
{
    test::RawDb raw(path);
    if (!raw.isOpen())
        return false;
    QSqlDatabase db = raw.db();
    if ((!test::onServer() && !exec(db, QStringLiteral("PRAGMA journal_mode = WAL")))
        || !db.transaction())
        return false;
    QString error;
    if (!schema::migrate(db, 0, version, &error)) {
        qWarning("migrate(0, %d): %s", version, qPrintable(error));
        return false;
    }
    const cr::protocol::Protocol &p = cr::protocol::defaultProtocol();
    const QString at = QStringLiteral("2024-01-02T03:04:05.678Z");
    bool ok =
        exec(db,
            QStringLiteral("INSERT INTO meta(key, value) VALUES ('application', 'crisis-review'),"
                           " ('title', 'Old study'), ('created_at', ?), ('app_version', '0.0.1')"),
            { at })
        && exec(db,
            QStringLiteral("INSERT INTO protocol(id, name, version, hash, json, created_at)"
                           " VALUES (1, ?, ?, ?, ?, ?)"),
            { p.name, p.version, p.contentHash(), QString::fromUtf8(p.toJson()), at })
        && (version < 8
                ? exec(db,
                    QStringLiteral(
                        "INSERT INTO event(at, actor, action, entity, entity_id, before, after)"
                        " VALUES (?, 'cli', 'study.create', 'study', NULL, NULL, 'Old study')"),
                    { at })
                : exec(db,
                    QStringLiteral("INSERT INTO event(id, at, actor, action, entity, entity_id,"
                                   " before, after, hash) VALUES (1, ?, 'cli', 'study.create',"
                                   " 'study', NULL, NULL, 'Old study', ?)"),
                    { at, QString::fromLatin1(createEventHash(at)) }));
    if (ok && withData) {
        ok = exec(db, QStringLiteral("INSERT INTO dataset(id, name) VALUES (1, 'legacy')"))
            && exec(db,
                QStringLiteral("INSERT INTO item(id, external_id, dataset_id, split, turns,"
                               " reference_label, metadata) VALUES (1, 'old-1', 1, 'test', ?,"
                               " 'self-harm', '{\"k\":\"v\"}')"),
                { oldTurns })
            && exec(db,
                QStringLiteral(
                    "INSERT INTO item(id, external_id, turns) VALUES (2, 'old-2', '[\"x\"]')"))
            && exec(db, QStringLiteral("INSERT INTO model(id, name) VALUES (1, 'model-a')"))
            && exec(db,
                QStringLiteral(
                    "INSERT INTO response(id, item_id, model_id, run, text, refusal, tokens)"
                    " VALUES (1, 1, 1, 2, 'Old answer “quoted”', 1, 77)"))
            && exec(db,
                QStringLiteral("INSERT INTO rater(id, name, kind, role, pseudonym, created_at)"
                               " VALUES (1, 'clin-old', 'human', 'rater', 'R001', ?),"
                               " (2, 'judge-old', 'llm', 'rater', 'R002', ?)"),
                { at, at })
            && exec(db,
                QStringLiteral("INSERT INTO assignment(rater_id, item_id, seed, status, created_at)"
                               " VALUES (1, 1, 12345, 'done', ?)"),
                { at })
            && exec(db,
                QStringLiteral("INSERT INTO category_label(item_id, rater_id, category, note,"
                               " protocol_id, created_at, updated_at)"
                               " VALUES (1, 1, 'self-harm', 'old note', 1, ?, ?)"),
                { at, at })
            && exec(db,
                QStringLiteral("INSERT INTO response_rating(response_id, rater_id, score,"
                               " cannot_assess, checklist, rationale, protocol_id, seconds_spent,"
                               " created_at, updated_at) VALUES (1, 1, 3, 0, '[\"empathy\"]',"
                               " 'old rationale', 1, 12.5, ?, ?),"
                               " (1, 2, NULL, 1, NULL, NULL, 1, NULL, ?, ?)"),
                { at, at, at, at })
            && exec(db,
                QStringLiteral("INSERT INTO adjudication(item_id, category, adjudicator_id,"
                               " note, created_at) VALUES (1, 'self-harm', 1, 'agreed', ?)"),
                { at });
    }
    if (ok && !extraSql.isEmpty())
        ok = exec(db, extraSql);
    if (ok && test::onServer()) // the rows above have explicit ids: move the identities on
        ok = moveIdentities(db);
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit();
}

QStringList tables(const QSqlDatabase &db)
{
    QStringList out;
    QSqlQuery q(db);
    q.exec(test::onServer()
            ? QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema"
                             " = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
            : QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

QStringList indexes(const QSqlDatabase &db)
{
    QStringList out;
    QSqlQuery q(db);
    // The indexes a migration creates (not those of keys and UNIQUE constraints).
    q.exec(test::onServer()
            ? QStringLiteral("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND"
                             " indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'"
                             " ORDER BY indexname")
            : QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT"
                             " NULL ORDER BY name"));
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

/// A table's column names, via PRAGMA table_info (information_schema on PostgreSQL).
QStringList columns(const QSqlDatabase &db, const QString &table)
{
    QStringList out;
    QSqlQuery q(db);
    if (test::onServer()) {
        q.exec(QStringLiteral("SELECT column_name FROM information_schema.columns WHERE"
                              " table_schema = 'public' AND table_name = '%1'"
                              " ORDER BY ordinal_position")
                   .arg(table));
        while (q.next())
            out.append(q.value(0).toString());
        return out;
    }
    q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table));
    while (q.next())
        out.append(q.value(1).toString());
    return out;
}

QList<Event> eventsWithAction(Study &study, const QString &action)
{
    QList<Event> out;
    const QList<Event> all = EventLog(study).recent(1000);
    for (const Event &e : all)
        if (e.action == action)
            out.append(e);
    return out;
}

} // namespace

class TestMigrations final : public QObject {
    Q_OBJECT

private:
    /// Where the study `name` lives (tests/storage/backendfixture.h).
    QString path(const QString &name) { return m_locations.at(*m_dir, name); }
    test::StudyLocations m_locations;
    QString dataFile(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_locations.clear();
    }

    void cleanup() { m_dir.reset(); }

    void freshStudyHasTheSchemaOfAFullMigration()
    {
        // create() and migrate(0, current) must agree, or migrated files differ from new ones.
        Error e;
        auto study = Study::create(path(QStringLiteral("new.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("t"), &e);
        QVERIFY2(study, qPrintable(e.message));
        QVERIFY(buildOldStudy(path(QStringLiteral("old.crs")), schema::currentVersion, false));
        test::RawDb old(path(QStringLiteral("old.crs")));
        QCOMPARE(tables(old.db()), tables(study->database()));
        QCOMPARE(indexes(old.db()), indexes(study->database()));
        for (const QString &t : tables(study->database()))
            QCOMPARE(columns(old.db(), t), columns(study->database(), t));
    }

    void migratesEarlierVersion_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v < schema::currentVersion; ++v)
            QTest::addRow("v%d", v) << v;
    }

    void migratesEarlierVersion()
    {
        QFETCH(int, version);
        const QString file = path(QStringLiteral("old.crs"));
        QVERIFY(buildOldStudy(file, version));
        {
            test::RawDb raw(file);
            QCOMPARE(schema::readVersion(raw.db()), version);
        }

        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        QCOMPARE(study->schemaVersion(), schema::currentVersion);
        QCOMPARE(study->metaValue(QStringLiteral("schema_version")),
            QString::number(schema::currentVersion));
        QCOMPARE(study->title(), QStringLiteral("Old study"));
        QCOMPARE(study->metaValue(QStringLiteral("created_at")),
            QStringLiteral("2024-01-02T03:04:05.678Z"));

        // The rows are preserved...
        const auto item = ItemRepository(*study).byExternalId(QStringLiteral("old-1"));
        QVERIFY(item);
        QCOMPARE(item->id, 1);
        QCOMPARE(item->dataset, QStringLiteral("legacy"));
        QCOMPARE(item->split, QStringLiteral("test"));
        QCOMPARE(item->turns,
            (QStringList {
                QStringLiteral("Je n’ai pas dormi 🙂"), QStringLiteral("line\nbreak") }));
        QCOMPARE(item->referenceLabel, QStringLiteral("self-harm"));
        QCOMPARE(item->metadataJson, QStringLiteral("{\"k\":\"v\"}"));
        QCOMPARE(ItemRepository(*study).count(), 2);
        const QList<Response> responses = ItemRepository(*study).responses(1);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].modelName, QStringLiteral("model-a"));
        QCOMPARE(responses[0].run, 2);
        QCOMPARE(responses[0].text, QStringLiteral("Old answer “quoted”"));
        QCOMPARE(responses[0].refusal, true);
        QCOMPARE(responses[0].tokens, std::optional<int>(77));
        const auto rater = RaterRepository(*study).byName(QStringLiteral("clin-old"));
        QVERIFY(rater);
        QCOMPARE(rater->pseudonym, QStringLiteral("R001"));
        QCOMPARE(toString(RaterRepository(*study).byName(QStringLiteral("judge-old"))->kind),
            QStringLiteral("llm"));
        const auto label = RatingRepository(*study).categoryLabel(1, 1);
        QVERIFY(label);
        QCOMPARE(label->category, QStringLiteral("self-harm"));
        QCOMPARE(label->note, QStringLiteral("old note"));
        const auto rating = RatingRepository(*study).responseRating(1, 1);
        QVERIFY(rating);
        QCOMPARE(rating->score, std::optional<int>(3));
        QCOMPARE(rating->checklist, QStringList { QStringLiteral("empathy") });
        QCOMPARE(rating->rationale, QStringLiteral("old rationale"));
        QCOMPARE(rating->secondsSpent, std::optional<double>(12.5));
        const auto cannot = RatingRepository(*study).responseRating(1, 2);
        QVERIFY(cannot);
        QVERIFY(cannot->cannotAssess);
        QVERIFY(!cannot->score);
        {
            // Raw SQL here: AdjudicationRepository::forItem is checked in tst_eventlog.
            QSqlQuery q(study->database());
            QVERIFY(q.exec(QStringLiteral(
                "SELECT item_id, category, adjudicator_id, note FROM adjudication")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), 1);
            QCOMPARE(q.value(1).toString(), QStringLiteral("self-harm"));
            QCOMPARE(q.value(2).toLongLong(), 1);
            QCOMPARE(q.value(3).toString(), QStringLiteral("agreed"));
            QVERIFY(!q.next());
        }

        // ...old assignments get the new columns' defaults...
        const QList<Assignment> assignments = AssignmentRepository(*study).forRater(1);
        QCOMPARE(assignments.size(), 1);
        QCOMPARE(assignments[0].status, QStringLiteral("done"));
        QCOMPARE(assignments[0].seed, quint64(12345));
        QCOMPARE(assignments[0].calibration, false);
        QCOMPARE(assignments[0].flagged, false);
        QCOMPARE(assignments[0].skipReason, QString()); // 'done' was never skipped

        // ...the new tables, columns and indexes exist...
        const QSqlDatabase db = study->database();
        const QStringList t = tables(db);
        QVERIFY(t.contains(QStringLiteral("presentation")));
        QVERIFY(t.contains(QStringLiteral("import_run")));
        QVERIFY(t.contains(QStringLiteral("import_issue")));
        QVERIFY(t.contains(QStringLiteral("rating_session")));
        QVERIFY(t.contains(QStringLiteral("package")));
        QVERIFY(columns(db, QStringLiteral("package_key"))
                    .contains(QStringLiteral("base"))); // step 6: the keys of rater packages
        QVERIFY(columns(db, QStringLiteral("assignment")).contains(QStringLiteral("skip_reason")));
        QVERIFY(columns(db, QStringLiteral("assignment")).contains(QStringLiteral("calibration")));
        QVERIFY(columns(db, QStringLiteral("assignment")).contains(QStringLiteral("flagged")));
        QVERIFY(indexes(db).contains(QStringLiteral("response_model")));
        QVERIFY(indexes(db).contains(QStringLiteral("assignment_item")));

        // ...the migration is logged once, with from/to versions...
        const QList<Event> migrations = eventsWithAction(*study, QStringLiteral("study.migrate"));
        QCOMPARE(migrations.size(), 1);
        QCOMPARE(migrations[0].before, QString::number(version));
        QCOMPARE(migrations[0].after, QString::number(schema::currentVersion));
        QCOMPARE(eventsWithAction(*study, QStringLiteral("study.create")).size(), 1);

        // ...and the migrated study is fully usable.
        QVERIFY(AssignmentRepository(*study).setFlagged(assignments[0].id, true, &e));
        QVERIFY(AssignmentRepository(*study).forRater(1)[0].flagged);
        QVERIFY2(
            RatingRepository(*study).setCategoryLabel({ 2, 2, QStringLiteral("panic"), {} }, &e),
            qPrintable(e.message));
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO presentation(rater_id, response_id, position, label,"
                           " shown_at) VALUES (1, 1, 0, 'A', 'now')")));
        const QString jsonl = dataFile(QStringLiteral("more.jsonl"));
        QVERIFY(
            test::writeFile(jsonl, "{\"item_id\": \"new-1\", \"text\": \"after migration\"}\n"));
        ImportReport report;
        QVERIFY2(Importer(*study).run({ jsonl }, {}, &report, &e), qPrintable(e.message));
        QCOMPARE(report.counts.itemsAdded, 1);
        QCOMPARE(test::tableCounts(db).value(QStringLiteral("import_run")), 1);
        const auto package = writeRaterPackage(*study, QStringLiteral("clin-old"),
            dataFile(QStringLiteral("clin-old.crisis")), {}, &e);
        QVERIFY2(package, qPrintable(e.message));
        QCOMPARE(package->items, 1);
        QCOMPARE(test::tableCounts(db).value(QStringLiteral("package_key")), 3);

        // Reopening does not migrate (or log) again.
        study.reset();
        study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        QCOMPARE(eventsWithAction(*study, QStringLiteral("study.migrate")).size(), 1);
    }

    void version4SkipsGetTheirReason()
    {
        // v4 stored "pause — this was distressing" as status 'skipped' plus the flag.
        const QString file = path(QStringLiteral("v4.crs"));
        QVERIFY(buildOldStudy(file, 4, true,
            QStringLiteral("INSERT INTO assignment(rater_id, item_id, seed, status, flagged,"
                           " created_at) VALUES (1, 2, 7, 'skipped', 1, 'x'),"
                           " (2, 1, 8, 'skipped', 0, 'x'), (2, 2, 9, 'pending', 1, 'x')")));
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        const QList<Assignment> clin = AssignmentRepository(*study).forRater(1);
        QCOMPARE(clin.size(), 2);
        QCOMPARE(clin[1].itemId, 2);
        QCOMPARE(clin[1].skipReason, QStringLiteral("distressing"));
        const QList<Assignment> judge = AssignmentRepository(*study).forRater(2);
        QCOMPARE(judge.size(), 2);
        QCOMPARE(judge[0].skipReason, QStringLiteral("skipped"));
        QCOMPARE(judge[1].skipReason, QString()); // flagged but not skipped
        // The new column refuses other reasons.
        QSqlQuery q(study->database());
        QVERIFY(!q.exec(QStringLiteral("UPDATE assignment SET skip_reason = 'bored'")));
    }

    void version8GetsJuriesAndEmptyLabels()
    {
        // Step 9: the jury tables and empty_label; a jury of the v8 study's LLM rater and a
        // new one works after the migration, and removing it keeps the raters.
        const QString file = path(QStringLiteral("v8.crs"));
        QVERIFY(buildOldStudy(file, 8, true,
            QStringLiteral("INSERT INTO rater(id, name, kind, role, pseudonym, created_at)"
                           " VALUES (3, 'judge-two', 'llm', 'rater', 'R003', 'x')")));
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        const QStringList t = tables(study->database());
        QVERIFY(t.contains(QStringLiteral("jury")));
        QVERIFY(t.contains(QStringLiteral("jury_member")));
        QVERIFY(t.contains(QStringLiteral("empty_label")));
        QCOMPARE(columns(study->database(), QStringLiteral("empty_label")),
            (QStringList { QStringLiteral("id"), QStringLiteral("item_id"),
                QStringLiteral("rater_id"), QStringLiteral("created_at") }));
        JuryRepository juries(*study);
        const auto jury = juries.add(QStringLiteral("panel"),
            { QStringLiteral("judge-old"), QStringLiteral("judge-two") }, &e);
        QVERIFY2(jury, qPrintable(e.message));
        QCOMPARE(juries.byName(QStringLiteral("panel"))->members.size(), 2);
        QCOMPARE(eventsWithAction(*study, QStringLiteral("jury.add")).size(), 1);
        QVERIFY(juries.remove(QStringLiteral("panel"), &e));
        QCOMPARE(test::tableCounts(study->database()).value(QStringLiteral("jury_member")), 0);
        QVERIFY(RaterRepository(*study).byName(QStringLiteral("judge-two")));
    }

    void version9GetsLlmRunTables()
    {
        // Step 10: llm_run, llm_prompt, llm_request, sample_recipe. A v9 study's items are
        // LLM work after the migration; a classify result goes through the audit-logged writer
        // (verify stays ok) and counts as done for the next plan.
        const QString file = path(QStringLiteral("v9.crs"));
        QVERIFY(buildOldStudy(file, 9, false));
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        // Items and a response (not audited), as a v9 import left them.
        QSqlQuery sql(study->database());
        for (const char *statement :
            { "INSERT INTO item(id, external_id, turns, reference_label) VALUES"
              " (1, 'old-1', '[\"a\"]', 'self-harm'), (2, 'old-2', '[\"x\"]', NULL)",
                "INSERT INTO model(id, name) VALUES (1, 'model-a')",
                "INSERT INTO response(id, item_id, model_id, run, text) VALUES"
                " (1, 1, 1, 2, 'Old answer')" })
            QVERIFY2(sql.exec(QString::fromUtf8(statement)), qPrintable(sql.lastError().text()));
        const QStringList t = tables(study->database());
        for (const char *table : { "llm_run", "llm_prompt", "llm_request", "sample_recipe" })
            QVERIFY2(t.contains(QLatin1String(table)), table);
        LlmRunStore store(*study);
        LlmRunRecipe recipe;
        recipe.task = QStringLiteral("judge");
        recipe.endpoint = QStringLiteral("local");
        recipe.model = QStringLiteral("jm");
        recipe.paramsJson = "{}";
        recipe.templateHash = QStringLiteral("h");
        auto plan = store.plan(recipe, &e);
        QVERIFY2(plan, qPrintable(e.message));
        QCOMPARE(plan->pending.size(), 1); // the one response, of item old-1 (self-harm)
        QCOMPARE(plan->pending[0].category, QStringLiteral("self-harm"));
        QCOMPARE(plan->pending[0].target, QStringLiteral("jm:judge#1"));
        recipe.task = QStringLiteral("classify");
        plan = store.plan(recipe, &e);
        QVERIFY(plan);
        QCOMPARE(plan->pending.size(), 2);
        const qint64 run = store.startRun(recipe, &e);
        QVERIFY2(run > 0, qPrintable(e.message));
        LlmAttempt attempt;
        attempt.itemId = plan->pending[1].itemId;
        attempt.target = plan->pending[1].target;
        attempt.promptHash = QStringLiteral("p");
        attempt.promptJson = "{\"messages\": []}";
        attempt.result = QStringLiteral("self-harm");
        LlmResult result;
        result.unit = plan->pending[1];
        result.category = QStringLiteral("self-harm");
        QVERIFY2(store.write(run, { attempt }, { result }, &e), qPrintable(e.message));
        plan = store.plan(recipe, &e);
        QCOMPARE(plan->done, 1);
        QCOMPARE(plan->pending.size(), 1);
        QCOMPARE(eventsWithAction(*study, QStringLiteral("llm.run")).size(), 1);
        VerifyResult verified;
        QVERIFY(verifyAuditLog(*study, VerifyScope::Full, &verified, &e));
        QVERIFY2(verified.ok, qPrintable(verified.problem));
    }

    void oldVersionsGetTallies_data()
    {
        QTest::addColumn<int>("version");
        QTest::addRow("v9") << 9;
        QTest::addRow("v11") << 11;
    }

    void oldVersionsGetTallies()
    {
        // Step 11: the tally tables are filled from the stored rows and kept by triggers
        // from then on. Step 12: on PostgreSQL the tallies of step 11 were views over the
        // rows (O(rows) at every `info`); they become tables, filled and kept the same way
        // (on SQLite the step only moves the version). (The audit chain on the new schema:
        // tst_auditlog.)
        QFETCH(int, version);
        const QString file = path(QStringLiteral("old.crs"));
        QVERIFY(buildOldStudy(file, version, true));
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        const QStringList t = tables(study->database());
        for (const char *name : { "tally_item", "tally_response", "tally_rater", "tally_study" })
            QVERIFY2(t.contains(QLatin1String(name)), name);
        StudyInfo info = summarize(*study);
        QCOMPARE(info.items, 2);
        QCOMPARE(info.responses, 1);
        QCOMPARE(info.refusals, 1);
        QCOMPARE(info.assignments, 1);
        QCOMPARE(info.labels, 1);
        QCOMPARE(info.ratings, 2);
        QCOMPARE(info.adjudications, 1);
        QCOMPARE(info.events, test::tableCounts(study->database()).value(QStringLiteral("event")));
        QCOMPARE(info.splits.size(), 2);
        QCOMPARE(info.splits.at(0).name, QString());
        QCOMPARE(info.splits.at(1).name, QStringLiteral("test"));
        QCOMPARE(info.datasets.at(1).name, QStringLiteral("legacy"));
        QCOMPARE(info.modelRows.size(), 1);
        QCOMPARE(info.modelRows.at(0).responses, 1);
        QCOMPARE(info.modelRows.at(0).runs, 1);
        QCOMPARE(info.raterRows.at(0).ratings, 1);
        QCOMPARE(info.raterRows.at(1).ratings, 1);
        QVERIFY(RatingRepository(*study).setResponseRating({ 1, 1, 5, false, {}, {}, {} }, &e));
        QVERIFY2(
            RatingRepository(*study).setCategoryLabel({ 2, 2, QStringLiteral("panic"), {} }, &e),
            qPrintable(e.message));
        info = summarize(*study);
        QCOMPARE(info.ratings, 2); // an update of clin-old's score, not a new one
        QCOMPARE(info.labels, 2);
        QCOMPARE(info.raterRows.at(1).labels, 1);
        QCOMPARE(info.events, test::tableCounts(study->database()).value(QStringLiteral("event")));
    }

    void version5LlmRatersAreNamedPerTask()
    {
        // v5 benchmark imports named classifier and judge runs alike: MODEL#N.
        const QString file = path(QStringLiteral("v5.crs"));
        QVERIFY(buildOldStudy(file, 5));
        {
            test::RawDb raw(file);
            const QSqlDatabase db = raw.db();
            const QString at = QStringLiteral("2024-01-02T03:04:05.678Z");
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO import_run(at, format, files, summary)"
                               " VALUES (?, 'benchmark', '[]', '{}')"),
                { at }));
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO response(id, item_id, model_id, run, text)"
                               " VALUES (2, 2, 1, 1, 'Second answer')")));
            // 3: labels and scores (split), 4: labels only, 5: scores only, 6: a human with
            // a run-like name and 7: an LLM without a run number (both kept as they are).
            QVERIFY(exec(db,
                QStringLiteral(
                    "INSERT INTO rater(id, name, kind, role, pseudonym, created_at) VALUES"
                    " (3, 'gpt-4o-mini#1', 'llm', 'rater', 'R003', ?),"
                    " (4, 'gpt-5-nano#12', 'llm', 'rater', 'R004', ?),"
                    " (5, 'judge-x#2', 'llm', 'rater', 'R005', ?),"
                    " (6, 'H#1', 'human', 'rater', 'R006', ?),"
                    " (7, 'gpt-4o-mini', 'llm', 'rater', 'R007', ?)"),
                { at, at, at, at, at }));
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO category_label(item_id, rater_id, category,"
                               " created_at, updated_at) VALUES (1, 3, 'self-harm', ?, ?),"
                               " (2, 3, 'no_crisis', ?, ?), (1, 4, 'self-harm', ?, ?),"
                               " (1, 6, 'self-harm', ?, ?)"),
                { at, at, at, at, at, at, at, at }));
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO response_rating(response_id, rater_id, score,"
                               " created_at, updated_at) VALUES (1, 3, 4, ?, ?), (2, 3, 2, ?, ?),"
                               " (2, 5, 5, ?, ?), (1, 6, 3, ?, ?), (1, 7, 1, ?, ?)"),
                { at, at, at, at, at, at, at, at, at, at }));
            QVERIFY(!test::onServer() || moveIdentities(db));
        }
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        auto names = [&](const QString &sql) {
            QStringList out;
            QSqlQuery q(study->database());
            if (!q.exec(sql))
                return QStringList { q.lastError().text() };
            while (q.next())
                out.append(q.value(0).toString());
            return out;
        };
        QCOMPARE(names(QStringLiteral("SELECT id || ' ' || name || ' ' || pseudonym FROM rater"
                                      " ORDER BY id")),
            QStringList({ QStringLiteral("1 clin-old R001"), QStringLiteral("2 judge-old R002"),
                QStringLiteral("3 gpt-4o-mini:classify#1 R003"),
                QStringLiteral("4 gpt-5-nano:classify#12 R004"),
                QStringLiteral("5 judge-x:judge#2 R005"), QStringLiteral("6 H#1 R006"),
                QStringLiteral("7 gpt-4o-mini R007"),
                QStringLiteral("8 gpt-4o-mini:judge#1 R008") }));
        // The split rater's scores moved to its judge rater, its labels stayed.
        QCOMPARE(names(QStringLiteral("SELECT rater.name || ' ' || response_id || ' ' || score"
                                      " FROM response_rating JOIN rater ON rater.id = rater_id"
                                      " WHERE score IS NOT NULL ORDER BY rater.id, response_id")),
            QStringList({ QStringLiteral("clin-old 1 3"), QStringLiteral("judge-x:judge#2 2 5"),
                QStringLiteral("H#1 1 3"), QStringLiteral("gpt-4o-mini 1 1"),
                QStringLiteral("gpt-4o-mini:judge#1 1 4"),
                QStringLiteral("gpt-4o-mini:judge#1 2 2") }));
        QCOMPARE(names(QStringLiteral("SELECT rater.name || ' ' || item_id FROM category_label"
                                      " JOIN rater ON rater.id = rater_id"
                                      " ORDER BY rater.id, item_id")),
            QStringList({ QStringLiteral("clin-old 1"), QStringLiteral("gpt-4o-mini:classify#1 1"),
                QStringLiteral("gpt-4o-mini:classify#1 2"),
                QStringLiteral("gpt-5-nano:classify#12 1"), QStringLiteral("H#1 1") }));
    }

    void version5WithoutBenchmarkImportKeepsRaterNames()
    {
        // `judge#1` from a ratings JSONL is the user's own name: not renamed.
        const QString file = path(QStringLiteral("v5-plain.crs"));
        QVERIFY(buildOldStudy(file, 5, true,
            QStringLiteral("INSERT INTO rater(id, name, kind, role, pseudonym, created_at)"
                           " VALUES (3, 'judge#1', 'llm', 'rater', 'R003', 'x')")));
        {
            test::RawDb raw(file);
            QVERIFY(exec(raw.db(),
                QStringLiteral("INSERT INTO response_rating(response_id, rater_id, score,"
                               " created_at, updated_at) VALUES (1, 3, 4, 'x', 'x')")));
        }
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        QVERIFY(RaterRepository(*study).byName(QStringLiteral("judge#1")));
    }

    void version7EventsAreChainedAndReplay()
    {
        // Schema 8 rebuilds the event table: the old events keep their ids and text and
        // get their hashes; a baseline records the stored values so the log replays.
        const QString file = path(QStringLiteral("v7.crs"));
        QVERIFY(buildOldStudy(file, 7, true,
            QStringLiteral("INSERT INTO event(id, at, actor, action, entity, entity_id, before,"
                           " after) VALUES (9, 'then', NULL, 'rater.add', 'rater', 1, '', NULL)")));
        Error e;
        auto study = Study::open(file, &e);
        QVERIFY2(study, qPrintable(e.message));
        QSqlQuery q(study->database());
        if (test::onServer()) { // ids are never reused: the high-water mark of the log
            QVERIFY(q.exec(QStringLiteral("SELECT last_id FROM event_sequence")));
            QVERIFY(q.next());
            QVERIFY(q.value(0).toLongLong() >= 9);
        } else {
            QVERIFY(q.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'event'")));
            QVERIFY(q.next());
            QVERIFY2(q.value(0).toString().contains(QLatin1String("AUTOINCREMENT")),
                qPrintable(q.value(0).toString()));
        }
        QVERIFY(q.exec(QStringLiteral("SELECT id, action, actor IS NULL, before, after IS NULL, "
                                      "hash FROM event ORDER BY id")));
        QStringList actions;
        QList<qint64> ids;
        while (q.next()) {
            ids.append(q.value(0).toLongLong());
            actions.append(q.value(1).toString());
            QCOMPARE(q.value(5).toString().size(), 64);
            if (q.value(0).toLongLong() == 9) {
                QVERIFY(q.value(2).toBool()); // NULL stays NULL, '' stays ''
                QCOMPARE(q.value(3).toString(), QString());
                QVERIFY(!q.value(3).isNull());
                QVERIFY(q.value(4).toBool());
            }
        }
        q.finish();
        QCOMPARE(ids.mid(0, 3), (QList<qint64> { 1, 9, 10 }));
        QCOMPARE(actions,
            (QStringList { QStringLiteral("study.create"), QStringLiteral("rater.add"),
                QStringLiteral("audit.baseline"), QStringLiteral("label.baseline"),
                QStringLiteral("rating.baseline"), QStringLiteral("rating.baseline"),
                QStringLiteral("adjudication.baseline"), QStringLiteral("study.migrate") }));
        // The first event's hash is the documented encoding over the genesis hash.
        QVERIFY(q.exec(QStringLiteral("SELECT hash FROM event WHERE id = 1")));
        QVERIFY(q.next());
        QCOMPARE(
            q.value(0).toByteArray(), createEventHash(QStringLiteral("2024-01-02T03:04:05.678Z")));
        q.finish();

        VerifyResult r;
        QVERIFY(verifyAuditLog(*study, VerifyScope::Full, &r, &e));
        QVERIFY2(r.ok, qPrintable(r.problem));
        QCOMPARE(r.events, 8);
        // New writes chain on, and the replay follows them.
        QVERIFY(RatingRepository(*study).setResponseRating({ 1, 1, 5, false, {}, {}, {} }, &e));
        QVERIFY(verifyAuditLog(*study, VerifyScope::Full, &r, &e));
        QVERIFY2(r.ok, qPrintable(r.problem));
        QCOMPARE(r.headId, 16);
        // Editing a pre-chain event is caught too.
        study.reset();
        {
            test::RawDb raw(file);
            QVERIFY(exec(raw.db(),
                test::onServer()
                    ? QStringLiteral("ALTER TABLE event DISABLE TRIGGER event_append_only_update")
                    : QStringLiteral("DROP TRIGGER event_append_only_update")));
            QVERIFY(exec(raw.db(), QStringLiteral("UPDATE event SET after = 'x' WHERE id = 1")));
        }
        study = Study::open(file, &e);
        QVERIFY(study);
        QVERIFY(verifyAuditLog(*study, VerifyScope::Full, &r, &e));
        QVERIFY(!r.ok);
    }

    void failedMigrationRollsBack()
    {
        if (schema::currentVersion < 3)
            QSKIP("needs a migration step that creates import_issue");
        // A v1 file that (wrongly) has a table the step to v3 creates: the migration
        // fails part-way and must leave the file exactly at v1.
        const QString file = path(QStringLiteral("old.crs"));
        QVERIFY(
            buildOldStudy(file, 1, true, QStringLiteral("CREATE TABLE import_issue(x INTEGER)")));
        Error e;
        QVERIFY(!Study::open(file, &e));
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        QVERIFY2(e.message.contains(QLatin1String("migration")), qPrintable(e.message));

        test::RawDb raw(file);
        QCOMPARE(schema::readVersion(raw.db()), 1);
        const QStringList t = tables(raw.db());
        QVERIFY(!t.contains(QStringLiteral("presentation"))); // step 2 was undone too
        QVERIFY(!t.contains(QStringLiteral("import_run")));
        QVERIFY(!columns(raw.db(), QStringLiteral("assignment"))
                     .contains(QStringLiteral("calibration")));
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT count(*) FROM event WHERE action = 'study.migrate'"))
                .toInt(),
            0);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT count(*) FROM item")).toInt(), 2);
    }

    void newerVersionIsRefused()
    {
        const QString file = path(QStringLiteral("future.crs"));
        {
            Error e;
            auto study =
                Study::create(file, cr::protocol::defaultProtocol(), QStringLiteral("t"), &e);
            QVERIFY2(study, qPrintable(e.message));
        }
        const int future = schema::currentVersion + 1;
        {
            test::RawDb raw(file);
            QVERIFY(exec(raw.db(),
                QStringLiteral("UPDATE meta SET value = ? WHERE key = 'schema_version'"),
                { QString::number(future) }));
        }
        const QByteArray before = test::onServer() ? QByteArray() : test::sha256(file);
        Error e;
        QVERIFY(!Study::open(file, &e));
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(QString::number(future)), qPrintable(e.message));
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        if (!test::onServer())
            QCOMPARE(test::sha256(file), before);
        test::RawDb raw(file);
        QCOMPARE(schema::readVersion(raw.db()), future);
    }

    void studyWithoutApplicationMarkerIsRefused()
    {
        const QString file = path(QStringLiteral("anon.crs"));
        QVERIFY(buildOldStudy(file, 1, false));
        {
            test::RawDb raw(file);
            QVERIFY(exec(raw.db(), QStringLiteral("DELETE FROM meta WHERE key = 'application'")));
        }
        Error e;
        QVERIFY(!Study::open(file, &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        test::RawDb raw(file);
        QCOMPARE(schema::readVersion(raw.db()), 1); // not migrated
    }

    void readVersion()
    {
        test::RawDb raw(path(QStringLiteral("empty.db")));
        QVERIFY(raw.isOpen());
        QCOMPARE(schema::readVersion(raw.db()), 0);
        QSqlDatabase db = raw.db();
        QString error;
        QVERIFY(db.transaction());
        QVERIFY2(schema::migrate(db, 0, schema::currentVersion, &error), qPrintable(error));
        QVERIFY(db.commit());
        QCOMPARE(schema::readVersion(raw.db()), schema::currentVersion);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
