// storage::summarize reads the tally tables (schema step 11; on PostgreSQL tables since
// step 12); these tests check that the tallies equal the aggregate queries over the rows
// themselves after imports, the workspace's writes, deletions, updates and direct SQL, on
// both engines (tst_studyinfo_pg: the same cases on the test cluster).
#include "protocol/protocol.h"
#include "storage/exposure.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "storage/studyinfo.h"
#include "tests/storage/backendfixture.h"
#include "tests/storage/testutil.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next()) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return -1;
    }
    return q.value(0).toLongLong();
}

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return false;
}

QString counts(const QList<StudyInfo::Count> &list)
{
    QStringList out;
    for (const auto &c : list)
        out.append(c.name + QLatin1Char('=') + QString::number(c.count));
    return out.join(QLatin1Char(' '));
}

QString groups(const QSqlDatabase &db, const QString &sql)
{
    QStringList out;
    QSqlQuery q(db);
    if (!q.exec(sql))
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    while (q.next())
        out.append(q.value(0).toString() + QLatin1Char('=') + q.value(1).toString());
    return out.join(QLatin1Char(' '));
}

/// Compares every count of summarize() with the same count over the rows (the queries
/// summarize ran before the tally tables).
void compareWithRows(Study &study)
{
    const QSqlDatabase db = study.database();
    const StudyInfo info = summarize(study);
    QCOMPARE(info.items, scalar(db, QStringLiteral("SELECT count(*) FROM item")));
    QCOMPARE(info.responses, scalar(db, QStringLiteral("SELECT count(*) FROM response")));
    QCOMPARE(info.refusals,
        scalar(db, QStringLiteral("SELECT count(*) FROM response WHERE refusal <> 0")));
    QCOMPARE(info.assignments, scalar(db, QStringLiteral("SELECT count(*) FROM assignment")));
    QCOMPARE(info.labels, scalar(db, QStringLiteral("SELECT count(*) FROM category_label")));
    QCOMPARE(info.ratings, scalar(db, QStringLiteral("SELECT count(*) FROM response_rating")));
    QCOMPARE(info.adjudications, scalar(db, QStringLiteral("SELECT count(*) FROM adjudication")));
    QCOMPARE(info.events, scalar(db, QStringLiteral("SELECT count(*) FROM event")));
    QCOMPARE(counts(info.datasets),
        groups(db,
            QStringLiteral("SELECT coalesce(dataset.name, ''), count(*) FROM item"
                           " LEFT JOIN dataset ON dataset.id = item.dataset_id"
                           " GROUP BY 1 ORDER BY 1")));
    QCOMPARE(counts(info.splits),
        groups(db,
            QStringLiteral(
                "SELECT coalesce(split, ''), count(*) FROM item GROUP BY 1 ORDER BY 1")));
    QCOMPARE(counts(info.referenceLabels),
        groups(db,
            QStringLiteral("SELECT coalesce(reference_label, ''), count(*) FROM item"
                           " GROUP BY 1 ORDER BY 1")));
    QStringList models;
    for (const auto &m : info.modelRows)
        models.append(QStringLiteral("%1:%2:%3").arg(m.name).arg(m.responses).arg(m.runs));
    QStringList expectedModels;
    {
        QSqlQuery q(db);
        QVERIFY(
            q.exec(QStringLiteral("SELECT model.name, count(response.id), count(DISTINCT run)"
                                  " FROM model LEFT JOIN response ON response.model_id = model.id"
                                  " GROUP BY model.id ORDER BY model.name")));
        while (q.next())
            expectedModels.append(QStringLiteral("%1:%2:%3")
                                      .arg(q.value(0).toString())
                                      .arg(q.value(1).toLongLong())
                                      .arg(q.value(2).toInt()));
    }
    QCOMPARE(models, expectedModels);
    QStringList raters;
    for (const auto &r : info.raterRows)
        raters.append(
            QStringLiteral("%1:%2:%3:%4").arg(r.name).arg(r.assigned).arg(r.labels).arg(r.ratings));
    QStringList expectedRaters;
    {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "SELECT name, (SELECT count(*) FROM assignment a WHERE a.rater_id = rater.id),"
            " (SELECT count(*) FROM category_label l WHERE l.rater_id = rater.id),"
            " (SELECT count(*) FROM response_rating r WHERE r.rater_id = rater.id)"
            " FROM rater ORDER BY id")));
        while (q.next())
            expectedRaters.append(QStringLiteral("%1:%2:%3:%4")
                                      .arg(q.value(0).toString())
                                      .arg(q.value(1).toLongLong())
                                      .arg(q.value(2).toLongLong())
                                      .arg(q.value(3).toLongLong()));
    }
    QCOMPARE(raters, expectedRaters);

    // Rater care: the counts ExposureRepository::summary computed from the assignments.
    QStringList exposure;
    for (const RaterExposure &x : info.exposure)
        exposure.append(QStringLiteral("%1:%2:%3:%4:%5")
                            .arg(x.name)
                            .arg(x.assigned)
                            .arg(x.done)
                            .arg(x.skipped)
                            .arg(x.distressing));
    QStringList expectedExposure;
    {
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "SELECT r.name, (SELECT count(*) FROM assignment a WHERE a.rater_id = r.id),"
            " (SELECT count(*) FROM assignment a WHERE a.rater_id = r.id AND (a.status = 'done'"
            "  OR (a.status <> 'skipped' AND EXISTS (SELECT 1 FROM category_label l"
            "   WHERE l.item_id = a.item_id AND l.rater_id = r.id)"
            "  AND NOT EXISTS (SELECT 1 FROM response p WHERE p.item_id = a.item_id"
            "   AND NOT EXISTS (SELECT 1 FROM response_rating rr WHERE rr.response_id = p.id"
            "    AND rr.rater_id = r.id))))),"
            " (SELECT count(*) FROM assignment a WHERE a.rater_id = r.id"
            "  AND a.status = 'skipped'),"
            " (SELECT count(*) FROM assignment a WHERE a.rater_id = r.id"
            "  AND a.skip_reason = 'distressing')"
            " FROM rater r ORDER BY r.id")));
        while (q.next())
            expectedExposure.append(QStringLiteral("%1:%2:%3:%4:%5")
                                        .arg(q.value(0).toString())
                                        .arg(q.value(1).toLongLong())
                                        .arg(q.value(2).toLongLong())
                                        .arg(q.value(3).toLongLong())
                                        .arg(q.value(4).toLongLong()));
    }
    QCOMPARE(exposure, expectedExposure);
}

/// Every row of tally_item and tally_response against the same groups counted over the
/// rows (finer than summarize's per-dimension sums).
void compareTallyTables(const QSqlDatabase &db)
{
    QCOMPARE(groups(db,
                 QStringLiteral("SELECT dataset_id || '|' || split || '|' || reference_label, n"
                                " FROM tally_item ORDER BY 1")),
        groups(db,
            QStringLiteral("SELECT coalesce(dataset_id, 0) || '|' || coalesce(split, '') || '|'"
                           " || coalesce(reference_label, ''), count(*) FROM item"
                           " GROUP BY 1 ORDER BY 1")));
    QCOMPARE(groups(db,
                 QStringLiteral("SELECT model_id || '|' || run, n || '/' || refusals"
                                " FROM tally_response ORDER BY 1")),
        groups(db,
            QStringLiteral("SELECT model_id || '|' || run, count(*) || '/'"
                           " || sum(CASE WHEN refusal <> 0 THEN 1 ELSE 0 END)"
                           " FROM response GROUP BY 1 ORDER BY 1")));
}

/// The study's triggers (name = definition), on either engine.
QString triggerList(const QSqlDatabase &db)
{
    return groups(db,
        test::onServer()
            ? QStringLiteral("SELECT tgname, pg_get_triggerdef(oid) || ' ' || tgenabled::text"
                             " FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")
            : QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                             " ORDER BY name"));
}

/// What the tallies and their triggers hold, to show that something changed nothing.
QString tallyState(const QSqlDatabase &db)
{
    return groups(db,
               QStringLiteral("SELECT 'item ' || dataset_id || '|' || split || '|' ||"
                              " reference_label, n FROM tally_item UNION ALL"
                              " SELECT 'response ' || model_id || '|' || run, n || '/' ||"
                              " refusals FROM tally_response ORDER BY 1"))
        + QLatin1Char('\n') + triggerList(db);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestStudyInfo final : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<Study> importedStudy()
    {
        Error e;
        auto study = Study::create(test::studyLocation(*m_dir, QStringLiteral("s.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("Tallies"), &e);
        if (!study)
            return nullptr;
        ImportReport report;
        if (!Importer(*study).run({ test::importData(QStringLiteral("items_turns.jsonl")),
                                      test::importData(QStringLiteral("ratings.jsonl")) },
                {}, &report, &e)) {
            qWarning("import failed: %s (%lld input errors)", qPrintable(e.message),
                qlonglong(report.errors.size()));
            return nullptr;
        }
        return study;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void cleanup() { m_dir.reset(); }

    void emptyStudyCountsNothing()
    {
        Error e;
        auto study = Study::create(test::studyLocation(*m_dir, QStringLiteral("e.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("Empty"), &e);
        QVERIFY2(study, qPrintable(e.message));
        const StudyInfo info = summarize(*study);
        QCOMPARE(info.items, 0);
        QVERIFY(info.splits.isEmpty());
        QVERIFY(info.datasets.isEmpty());
        compareWithRows(*study);
    }

    void talliesFollowImports()
    {
        auto study = importedStudy();
        QVERIFY(study);
        QVERIFY(summarize(*study).ratings > 0);
        compareWithRows(*study);
    }

    void talliesFollowUpdatesAndDeletes()
    {
        auto study = importedStudy();
        QVERIFY(study);
        const QSqlDatabase db = study->database();
        // Moves between groups, NULLs, refusals, runs, raters; deletions down to nothing.
        QVERIFY(exec(db, QStringLiteral("UPDATE item SET split = NULL WHERE id = 1")));
        QVERIFY(exec(db,
            QStringLiteral("UPDATE item SET reference_label = 'other', dataset_id = NULL"
                           " WHERE id = 2")));
        QVERIFY(exec(db, QStringLiteral("UPDATE response SET refusal = 1 - refusal")));
        QVERIFY(exec(db, QStringLiteral("UPDATE response SET run = run + 7 WHERE id % 2 = 0")));
        compareWithRows(*study);
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO rater(name, kind, role, pseudonym, created_at)"
                           " VALUES ('new-one', 'human', 'rater', 'RZZZ', 'x')")));
        QVERIFY(exec(db,
            QStringLiteral(
                "UPDATE response_rating SET rater_id = (SELECT id FROM rater WHERE name = "
                "'new-one') WHERE id = (SELECT min(id) FROM response_rating)")));
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO assignment(rater_id, item_id, seed, created_at)"
                           " SELECT (SELECT id FROM rater WHERE name = 'new-one'), id, 1, 'x'"
                           " FROM item")));
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO adjudication(item_id, category, adjudicator_id,"
                           " created_at) VALUES (1, 'no_crisis', 1, 'x')")));
        compareWithRows(*study);
        // Assignments of a rater with labels: open, done, skipped, distressing, moved.
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO assignment(rater_id, item_id, seed, created_at)"
                           " SELECT l.rater_id, l.item_id, 2, 'x' FROM category_label l"
                           " WHERE NOT EXISTS (SELECT 1 FROM assignment a"
                           "  WHERE a.rater_id = l.rater_id AND a.item_id = l.item_id)")));
        compareWithRows(*study);
        QVERIFY(exec(db,
            QStringLiteral("UPDATE assignment SET status = 'skipped', skip_reason = 'distressing'"
                           " WHERE id = (SELECT min(id) FROM assignment)")));
        QVERIFY(exec(db,
            QStringLiteral("UPDATE assignment SET status = 'done'"
                           " WHERE id = (SELECT max(id) FROM assignment)")));
        QVERIFY(exec(db,
            QStringLiteral("UPDATE assignment SET status = 'in_progress', skip_reason = 'skipped'"
                           " WHERE id = (SELECT min(id) + 1 FROM assignment)")));
        compareWithRows(*study);
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO rater(name, kind, role, pseudonym, created_at)"
                           " VALUES ('third', 'human', 'rater', 'RZZY', 'x')")));
        QVERIFY(exec(db,
            QStringLiteral("UPDATE assignment SET rater_id = (SELECT id FROM rater"
                           " WHERE name = 'third') WHERE id = (SELECT min(id) FROM assignment)")));
        compareWithRows(*study);
        QVERIFY(exec(db, QStringLiteral("DELETE FROM adjudication")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM assignment WHERE item_id = 1")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM response_rating WHERE id % 3 = 0")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM category_label WHERE id % 2 = 0")));
        compareWithRows(*study);
        QVERIFY(exec(db, QStringLiteral("DELETE FROM response_rating")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM category_label")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM empty_label")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM assignment")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM presentation")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM response")));
        QVERIFY(exec(db, QStringLiteral("DELETE FROM item")));
        compareWithRows(*study);
        // Groups that dropped to zero are gone, not left behind as zeros.
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM tally_item")), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM tally_response")), 0);
        QVERIFY(summarize(*study).splits.isEmpty());
    }

    // Imports keep the item and response tallies themselves (the insert triggers are off
    // inside the import's transaction only): a first import into an empty study, imports
    // into a study with rows (new and repeated items, new responses to stored items, CSV
    // with one row per response, skipped rows), a refused import and a dry run.
    void talliesFollowBulkImports()
    {
        Error e;
        auto study = Study::create(test::studyLocation(*m_dir, QStringLiteral("b.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("Bulk"), &e);
        QVERIFY2(study, qPrintable(e.message));
        const QSqlDatabase db = study->database();
        const QString triggers = triggerList(db);
        QVERIFY(triggers.contains(QLatin1String("tally_item_insert")));
        QVERIFY(triggers.contains(QLatin1String("tally_response_insert")));
        const auto import = [&](const QString &name, const QByteArray &data,
                                const ImportOptions &options = {}) {
            const QString path = m_dir->filePath(name);
            if (!writeFile(path, data))
                return false;
            ImportReport report;
            Error error;
            return Importer(*study).run({ path }, options, &report, &error);
        };
        const QByteArray first =
            "{\"item_id\":\"a1\",\"dataset\":\"d1\",\"split\":\"test\",\"turns\":[\"x\"],"
            "\"label\":\"no_crisis\",\"responses\":[{\"model\":\"m1\",\"text\":\"r\"},"
            "{\"model\":\"m1\",\"run\":2,\"text\":\"r\",\"refusal\":true}]}\n"
            "{\"item_id\":\"a2\",\"dataset\":\"d1\",\"split\":\"test\",\"turns\":[\"y\"],"
            "\"label\":\"no_crisis\"}\n"
            "{\"item_id\":\"a3\",\"text\":\"no dataset, split or label\","
            "\"responses\":[{\"model\":\"m2\",\"text\":\"r\",\"refusal\":true}]}\n"
            "{\"item_id\":\"a4\",\"dataset\":\"d2\",\"split\":\"\",\"turns\":[\"z\"],"
            "\"label\":\"suicidal_ideation\"}\n";
        QVERIFY(import(QStringLiteral("first.jsonl"), first));
        compareWithRows(*study);
        compareTallyTables(db);
        QCOMPARE(summarize(*study).items, 4);
        QCOMPARE(summarize(*study).refusals, 2);

        // Into a study with rows: a stored item again (unchanged) with a new response, new
        // items in an old and in a new group.
        const QByteArray second =
            "{\"item_id\":\"a1\",\"dataset\":\"d1\",\"split\":\"test\",\"turns\":[\"x\"],"
            "\"label\":\"no_crisis\",\"responses\":[{\"model\":\"m1\",\"text\":\"r\"},"
            "{\"model\":\"m3\",\"text\":\"new\",\"refusal\":true}]}\n"
            "{\"item_id\":\"b1\",\"dataset\":\"d1\",\"split\":\"test\",\"turns\":[\"q\"],"
            "\"label\":\"no_crisis\"}\n"
            "{\"item_id\":\"b2\",\"dataset\":\"d3\",\"split\":\"train\",\"turns\":[\"w\"]}\n";
        QVERIFY(import(QStringLiteral("second.jsonl"), second));
        compareWithRows(*study);
        compareTallyTables(db);
        QCOMPARE(summarize(*study).items, 6);

        // CSV repeats an item once per response row.
        const QByteArray csv = "item_id,dataset,split,text,label,model,run,response_text,refusal\n"
                               "c1,d1,test,hello,no_crisis,m1,1,one,false\n"
                               "c1,d1,test,hello,no_crisis,m1,2,two,true\n"
                               "a2,d1,test,y,no_crisis,m2,1,three,false\n";
        QVERIFY(import(QStringLiteral("third.csv"), csv));
        compareWithRows(*study);
        compareTallyTables(db);

        // Skipped rows (--skip-invalid: each row in a savepoint) add nothing.
        ImportOptions skip;
        skip.skipInvalid = true;
        const QByteArray skipped =
            "{\"item_id\":\"s1\",\"dataset\":\"d1\",\"split\":\"test\",\"turns\":[\"s\"],"
            "\"label\":\"no_crisis\",\"responses\":[{\"model\":\"m1\",\"text\":\"r\"}]}\n"
            "{\"item_id\":\"s2\",\"turns\":[\"s\"],\"label\":\"not_a_category\"}\n"
            "{\"item_id\":\"a1\",\"dataset\":\"d1\",\"split\":\"test\",\"turns\":[\"x\"],"
            "\"label\":\"no_crisis\",\"responses\":[{\"model\":\"m1\",\"text\":\"other\"}]}\n"
            "{\"item_id\":\"s3\",\"split\":\"val\",\"turns\":[\"t\"],"
            "\"responses\":[{\"model\":\"m4\",\"run\":3,\"text\":\"r\",\"refusal\":true}]}\n";
        QVERIFY(import(QStringLiteral("skip.jsonl"), skipped, skip));
        compareWithRows(*study);
        compareTallyTables(db);
        QCOMPARE(summarize(*study).items, 9);

        // A refused import (its last row is bad) and a dry run change no tally and leave
        // every trigger as it was.
        const QString before = tallyState(db);
        QVERIFY(before.contains(QLatin1String("tally_item_insert")));
        const QByteArray refused =
            "{\"item_id\":\"r1\",\"dataset\":\"d9\",\"turns\":[\"r\"],"
            "\"responses\":[{\"model\":\"m1\",\"text\":\"r\"}]}\n"
            "{\"item_id\":\"r2\",\"turns\":[\"r\"],\"label\":\"not_a_category\"}\n";
        QVERIFY(!import(QStringLiteral("refused.jsonl"), refused));
        QCOMPARE(tallyState(db), before);
        ImportOptions dry;
        dry.dryRun = true;
        QVERIFY(import(QStringLiteral("dry.jsonl"), refused.first(refused.indexOf('\n') + 1), dry));
        QCOMPARE(tallyState(db), before);
        compareWithRows(*study);
        compareTallyTables(db);

        // After the imports the triggers are back: hand-made SQL is counted again.
        QCOMPARE(triggerList(db), triggers);
        QVERIFY(exec(db,
            QStringLiteral("INSERT INTO item(external_id, split, turns) VALUES"
                           " ('by-hand', 'test', '[\"h\"]')")));
        QVERIFY(exec(db,
            QStringLiteral(
                "INSERT INTO response(item_id, model_id, run, text, refusal)"
                " VALUES ((SELECT id FROM item WHERE external_id = 'by-hand'), 1, 9, 'h', 1)")));
        compareWithRows(*study);
        compareTallyTables(db);
    }

    void summarizeIsCounted()
    {
        auto study = importedStudy();
        QVERIFY(study);
        const qint64 before = summarizeCount();
        summarize(*study);
        QCOMPARE(summarizeCount(), before + 1);
    }
};

QTEST_GUILESS_MAIN(TestStudyInfo)
#include "tst_studyinfo.moc"
