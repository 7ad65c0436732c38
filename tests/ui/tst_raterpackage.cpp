// Rater packages (storage/package.h): what the package holds and does not, the round
// trip package → rate (through RatingSession, as the GUI does) → merge, the refused
// merges (row for row unchanged) and the idempotent re-merge.
#include "../storage/testutil.h"
#include "protocol/protocol.h"
#include "storage/exporter.h"
#include "storage/exposure.h"
#include "storage/importer.h"
#include "storage/package.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/mainwindow.h"
#include "ui/packagedialog.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace cr::storage;
using cr::test::RawDb;
using cr::ui::MainWindow;
using cr::ui::PackageDialog;
using cr::ui::RatingSession;

namespace {

const QString packagedRater = QStringLiteral("dr-lee");
const QString otherRater = QStringLiteral("sentinel-rater-okafor");
const QString llmRater = QStringLiteral("sentinel-judge-llm");

/// Everything of the fixture study a package of dr-lee must not contain.
QStringList forbiddenStrings()
{
    return { QStringLiteral("sentinel-model-alpha"), QStringLiteral("sentinel-model-beta"),
        QStringLiteral("sentinel-model-gamma"), QStringLiteral("sentinel-dataset"),
        QStringLiteral("sentinel-split"), QStringLiteral("sentinel-ext-"),
        QStringLiteral("sentinel-source-note"), QStringLiteral("sentinel-response-meta"),
        QStringLiteral("sentinel-title"), otherRater, llmRater,
        QStringLiteral("sentinel-okafor-note"), QStringLiteral("sentinel-okafor-rationale"),
        QStringLiteral("sentinel-llm-note"), QStringLiteral("sentinel-adjudication-note"),
        QStringLiteral("sentinel-import-file") };
}

QString category(int i)
{
    return cr::protocol::defaultProtocol().categories.at(i).id;
}

QString checklistTick(int i)
{
    return cr::protocol::defaultProtocol().checklist.at(i).id;
}

/// Every row of every table (and the schema), one line per row, in a stable order.
QStringList dumpRows(const QString &path)
{
    RawDb raw(path);
    QStringList out;
    QStringList tables;
    QSqlQuery q(raw.db());
    q.exec(QStringLiteral("SELECT name, sql FROM sqlite_master ORDER BY name"));
    while (q.next()) {
        out.append(
            QStringLiteral("schema|%1|%2").arg(q.value(0).toString(), q.value(1).toString()));
        tables.append(q.value(0).toString());
    }
    q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    tables.clear();
    while (q.next())
        tables.append(q.value(0).toString());
    for (const QString &t : std::as_const(tables)) {
        QSqlQuery rows(raw.db());
        rows.exec(QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid").arg(t));
        while (rows.next()) {
            QStringList values;
            for (int c = 0; c < rows.record().count(); ++c)
                values.append(
                    rows.value(c).isNull() ? QStringLiteral("NULL") : rows.value(c).toString());
            out.append(t + QLatin1Char('|') + values.join(QLatin1Char('|')));
        }
    }
    return out;
}

qint64 count(const QString &path, const QString &sql)
{
    RawDb raw(path);
    return raw.scalar(sql).toLongLong();
}

/// The rater's stored values, by master ids (what "the same stored ratings" compares).
QStringList raterValues(const QString &path, const QString &rater)
{
    RawDb raw(path);
    QStringList out;
    const auto add = [&](const QString &prefix, const QString &sql) {
        QSqlQuery q(raw.db());
        q.prepare(sql);
        q.addBindValue(rater);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        while (q.next()) {
            QStringList values;
            for (int c = 0; c < q.record().count(); ++c)
                values.append(q.value(c).isNull() ? QStringLiteral("NULL") : q.value(c).toString());
            out.append(prefix + values.join(QLatin1Char('|')));
        }
    };
    add(QStringLiteral("label|"),
        QStringLiteral("SELECT l.item_id, l.category, l.note, l.protocol_id FROM category_label l"
                       " JOIN rater ON rater.id = l.rater_id WHERE rater.name = ?"
                       " ORDER BY l.item_id"));
    add(QStringLiteral("rating|"),
        QStringLiteral("SELECT rr.response_id, rr.score, rr.cannot_assess, rr.checklist,"
                       " rr.rationale, rr.protocol_id FROM response_rating rr"
                       " JOIN rater ON rater.id = rr.rater_id WHERE rater.name = ?"
                       " ORDER BY rr.response_id"));
    add(QStringLiteral("assignment|"),
        QStringLiteral("SELECT a.item_id, a.status, a.skip_reason, a.flagged FROM assignment a"
                       " JOIN rater ON rater.id = a.rater_id WHERE rater.name = ?"
                       " ORDER BY a.item_id"));
    add(QStringLiteral("shown|"),
        QStringLiteral("SELECT p.response_id, p.position, p.label FROM presentation p"
                       " JOIN rater ON rater.id = p.rater_id WHERE rater.name = ?"
                       " ORDER BY p.response_id"));
    add(QStringLiteral("session|"),
        QStringLiteral("SELECT s.items_shown, s.items_rated FROM rating_session s"
                       " JOIN rater ON rater.id = s.rater_id WHERE rater.name = ? ORDER BY s.id"));
    return out;
}

} // namespace

class TestRaterPackage : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_master;

    QString path(const QString &name) const { return m_dir->filePath(name); }

    /// The fixture: 4 items × 3 models, dr-lee and another clinician on every item
    /// (item 1 a calibration item), an LLM rater, the other raters' values, an
    /// adjudication, and dr-lee's own earlier label, rating and flag on item 4.
    bool buildMaster(const QString &file, const QString &title)
    {
        Error e;
        auto study = Study::create(file, cr::protocol::defaultProtocol(), title, &e);
        if (!study)
            return false;
        const QString items = path(QStringLiteral("sentinel-import-file.jsonl"));
        QFile f(items);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        const QStringList models { QStringLiteral("sentinel-model-alpha"),
            QStringLiteral("sentinel-model-beta"), QStringLiteral("sentinel-model-gamma") };
        for (int i = 1; i <= 4; ++i) {
            QJsonArray responses;
            for (int m = 0; m < models.size(); ++m)
                responses.append(QJsonObject { { QStringLiteral("model"), models.at(m) },
                    { QStringLiteral("run"), 1 + (m == 2 ? 1 : 0) },
                    { QStringLiteral("text"),
                        QStringLiteral("Answer %1 to message %2: you are not alone.")
                            .arg(m + 1)
                            .arg(i) },
                    { QStringLiteral("refusal"), m == 1 }, { QStringLiteral("tokens"), 300 + m },
                    { QStringLiteral("sentinel-response-meta"), 1 } });
            const QJsonObject row { { QStringLiteral("item_id"),
                                        QStringLiteral("sentinel-ext-%1").arg(i) },
                { QStringLiteral("dataset"), QStringLiteral("sentinel-dataset") },
                { QStringLiteral("split"), QStringLiteral("sentinel-split") },
                { QStringLiteral("turns"),
                    QJsonArray { QStringLiteral("I cannot sleep, message %1.").arg(i) } },
                { QStringLiteral("label"), category(1) },
                { QStringLiteral("source"), QStringLiteral("sentinel-source-note") },
                { QStringLiteral("responses"), responses } };
            f.write(QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n');
        }
        f.close();
        ImportReport report;
        if (!Importer(*study).run({ items }, {}, &report, &e)) {
            qWarning("import: %s", qPrintable(e.message));
            return false;
        }
        RaterRepository raters(*study);
        const auto lee = raters.add(packagedRater, RaterKind::Human, RaterRole::Rater, &e);
        const auto okafor = raters.add(otherRater, RaterKind::Human, RaterRole::Rater, &e);
        const auto judge = raters.add(llmRater, RaterKind::Llm, RaterRole::Rater, &e);
        const auto adjudicator = raters.add(
            QStringLiteral("sentinel-adjudicator"), RaterKind::Human, RaterRole::Adjudicator, &e);
        if (!lee || !okafor || !judge || !adjudicator)
            return false;
        if (AssignmentRepository(*study).assign({ lee->id, okafor->id }, 2, 7, { 1 }, &e) < 0)
            return false;
        RatingRepository ratings(*study);
        const ItemRepository itemRepo(*study);
        for (qint64 itemId : itemRepo.ids()) {
            if (!ratings.setCategoryLabel(
                    { itemId, okafor->id, category(2), QStringLiteral("sentinel-okafor-note") }, &e)
                || !ratings.setCategoryLabel(
                    { itemId, judge->id, category(3), QStringLiteral("sentinel-llm-note") }, &e))
                return false;
            for (const Response &r : itemRepo.responses(itemId)) {
                ResponseRating rating;
                rating.responseId = r.id;
                rating.raterId = okafor->id;
                rating.score = 2;
                rating.rationale = QStringLiteral("sentinel-okafor-rationale");
                if (!ratings.setResponseRating(rating, &e))
                    return false;
            }
        }
        // dr-lee's own earlier values on the fourth item of their queue (each rater has an
        // order of their own): they go into the package.
        const qint64 item4 = AssignmentRepository(*study).forRater(lee->id).at(3).itemId;
        if (!ratings.setCategoryLabel(
                { item4, lee->id, category(0), QStringLiteral("lee's own note") }, &e))
            return false;
        ResponseRating own;
        own.responseId = itemRepo.responses(item4).at(0).id;
        own.raterId = lee->id;
        own.score = 3;
        own.rationale = QStringLiteral("lee's own rationale");
        if (!ratings.setResponseRating(own, &e))
            return false;
        Adjudication a;
        a.itemId = itemRepo.ids().at(0);
        a.category = category(2);
        a.adjudicatorId = adjudicator->id;
        a.note = QStringLiteral("sentinel-adjudication-note");
        return AdjudicationRepository(*study).add(a, &e) > 0;
    }

    /// Writes a package of dr-lee from `master` to `out`.
    static std::optional<PackageSummary> package(const QString &master, const QString &out)
    {
        Error e;
        auto study = Study::open(master, &e);
        if (!study)
            return std::nullopt;
        auto summary = writeRaterPackage(*study, packagedRater, out, {}, &e);
        if (!summary)
            qWarning("package: %s", qPrintable(e.message));
        return summary;
    }

    /// Merges `files` into `master`; the report's errors on failure.
    static bool merge(
        const QString &master, const QStringList &files, QStringList *errors = nullptr)
    {
        Error e;
        auto study = Study::open(master, &e);
        if (!study)
            return false;
        ImportReport report;
        const bool ok = Importer(*study).run(files, {}, &report, &e);
        if (errors) {
            errors->clear();
            for (const ImportIssue &i : std::as_const(report.errors))
                errors->append(i.toString());
            if (report.errors.isEmpty() && e.isError())
                errors->append(e.message);
        }
        return ok;
    }

    /// The master's item ids in dr-lee's queue order (item N is 'sentinel-ext-N').
    static QList<qint64> leeQueue(const QString &file)
    {
        Error e;
        auto study = Study::open(file, &e);
        const auto lee = RaterRepository(*study).byName(packagedRater);
        QList<qint64> ids;
        for (const Assignment &a : AssignmentRepository(*study).forRater(lee->id))
            ids.append(a.itemId);
        return ids;
    }

    /// The same rating work, as the GUI does it, on whichever study `session` rates:
    /// a label and scores with an undo and a redone value, checklist and rationale, a
    /// skip, a distressing pause after partial work, a flag, and a cleared earlier rating.
    static void rate(RatingSession &session)
    {
        QCOMPARE(session.itemCount(), 4);
        session.setCurrentIndex(0);
        QList<qint64> ids = session.responseIds();
        QVERIFY(session.setCategory(category(4)));
        QVERIFY(session.setScore(ids.at(0), 4));
        QVERIFY(session.setScore(ids.at(1), 2));
        session.undoStack()->undo(); // the 2 on B is taken back
        QVERIFY(!session.rating(ids.at(1)));
        QVERIFY(session.setCannotAssess(ids.at(1)));
        QVERIFY(session.setScore(ids.at(2), 5));
        QVERIFY(session.setChecklist(ids.at(0), { checklistTick(0) }));
        QVERIFY(session.setRationale(ids.at(2), QStringLiteral("warm and gives a number")));
        QVERIFY(session.isCurrentItemComplete());

        session.setCurrentIndex(1);
        QVERIFY(session.skipCurrent(false));

        session.setCurrentIndex(2);
        ids = session.responseIds();
        QVERIFY(session.setCategory(category(1)));
        QVERIFY(session.setScore(ids.at(2), 1));
        QVERIFY(session.skipCurrent(true));

        session.setCurrentIndex(3); // the item with dr-lee's earlier label and rating
        ids = session.responseIds();
        QVERIFY(session.label());
        QCOMPARE(session.label()->note, QStringLiteral("lee's own note"));
        QVERIFY(session.setFlagged(true));
        QVERIFY(session.setCategory(category(5)));
        QList<qint64> unrated;
        for (qint64 id : ids) {
            if (session.rating(id))
                QVERIFY(session.clearRating(id));
            else
                unrated.append(id);
        }
        QCOMPARE(unrated.size(), 2);
        QVERIFY(session.setScore(unrated.at(1), 3));
    }

    /// Opens `file`, signs `rater` in as the GUI does, shows every item once (what is
    /// shown, in order, is returned) and does rate()'s work.
    static QStringList rateIn(const QString &file, const QString &raterName)
    {
        Error e;
        auto study = Study::open(file, &e);
        if (!study)
            return {};
        const auto rater = RaterRepository(*study).byName(raterName);
        if (!rater)
            return {};
        study->setActor(rater->name);
        RatingSession session;
        session.start(study.get(), *rater);
        QStringList shown;
        for (int i = 0; i < session.itemCount(); ++i) {
            session.setCurrentIndex(i);
            shown.append(session.responseTexts().join(QLatin1Char('|')));
        }
        rate(session);
        return shown;
    }

    /// Rates the package file as its rater (signed in as the package says).
    static QStringList ratePackage(const QString &file)
    {
        Error e;
        QString rater;
        if (auto study = Study::open(file, &e))
            if (const auto info = packageInfo(*study))
                rater = info->rater;
        return rater.isEmpty() ? QStringList() : rateIn(file, rater);
    }

    static QStringList rateMaster(const QString &file) { return rateIn(file, packagedRater); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_master = path(QStringLiteral("master.crisis"));
        QVERIFY(buildMaster(m_master, QStringLiteral("sentinel-title study")));
    }
    void cleanup() { m_dir.reset(); }

    void packageHoldsOnlyWhatTheRaterMaySee()
    {
        const QString pkg = path(QStringLiteral("lee.crisis"));
        const auto summary = package(m_master, pkg);
        QVERIFY(summary);
        QCOMPARE(summary->items, 4);
        QCOMPARE(summary->responses, 12);
        QCOMPARE(summary->labels, 1);
        QCOMPARE(summary->ratings, 1);
        {
            // The rating page's queue (item ids only, from the index) in the package is
            // the package's order, which is the master's for the rater.
            Error e;
            auto master = Study::open(m_master, &e);
            auto opened = Study::open(pkg, &e);
            QVERIFY2(master && opened, qPrintable(e.message));
            const auto lee = RaterRepository(*opened).byName(packagedRater);
            QList<qint64> ids;
            for (const Assignment &a : AssignmentRepository(*opened).forRater(lee->id))
                ids.append(a.itemId);
            QCOMPARE(ids.size(), 4);
            QCOMPARE(AssignmentRepository(*opened).queueForRater(lee->id), ids);
            const auto masterLee = RaterRepository(*master).byName(packagedRater);
            QCOMPARE(
                AssignmentRepository(*master).queueForRater(masterLee->id), leeQueue(m_master));
            const auto counts = AssignmentRepository(*opened).progress(lee->id);
            QVERIFY(counts);
            QCOMPARE(counts->assigned, 4);
        }
        QVERIFY(!QFileInfo::exists(pkg + QStringLiteral("-wal"))
            || QFileInfo(pkg + QStringLiteral("-wal")).size() == 0);
        const QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner
            | QFileDevice::ReadUser | QFileDevice::WriteUser;
        QCOMPARE(int(QFile(pkg).permissions() & ~ownerOnly), 0);

        // The raw bytes, every row through QSqlDatabase, and `sqlite3 .dump`.
        const QByteArray bytes = cr::test::readAll(pkg);
        QVERIFY(!bytes.isEmpty());
        const QString rows = dumpRows(pkg).join(QLatin1Char('\n'));
        const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
        QVERIFY2(!sqlite3.isEmpty(), "sqlite3 (scripts/setup.sh installs it) is needed");
        QProcess dump;
        dump.start(sqlite3, { pkg, QStringLiteral(".dump") });
        QVERIFY(dump.waitForFinished(30000));
        QCOMPARE(dump.exitCode(), 0);
        const QString dumped = QString::fromUtf8(dump.readAllStandardOutput());
        QVERIFY(dumped.contains(QStringLiteral("I cannot sleep, message 1.")));
        QVERIFY(dumped.contains(QStringLiteral("own rationale"))); // dr-lee's own, kept
        for (const QString &s : forbiddenStrings()) {
            QVERIFY2(!bytes.contains(s.toUtf8()), qPrintable(QStringLiteral("bytes: ") + s));
            QVERIFY2(!rows.contains(s), qPrintable(QStringLiteral("rows: ") + s));
            QVERIFY2(!dumped.contains(s), qPrintable(QStringLiteral(".dump: ") + s));
        }

        // Nothing of anyone else, no source fields, one blinded model.
        QCOMPARE(count(pkg, QStringLiteral("SELECT count(*) FROM rater")), 1);
        QCOMPARE(count(pkg,
                     QStringLiteral("SELECT count(*) FROM rater WHERE name = 'dr-lee'"
                                    " AND role = 'rater' AND kind = 'human'")),
            1);
        QCOMPARE(count(pkg, QStringLiteral("SELECT count(*) FROM model")), 1);
        QCOMPARE(count(pkg, QStringLiteral("SELECT count(*) FROM dataset")), 0);
        QCOMPARE(count(pkg,
                     QStringLiteral("SELECT count(*) FROM item WHERE dataset_id IS NOT NULL"
                                    " OR split IS NOT NULL OR reference_label IS NOT NULL"
                                    " OR metadata IS NOT NULL")),
            0);
        QCOMPARE(count(pkg,
                     QStringLiteral("SELECT count(*) FROM response WHERE refusal <> 0"
                                    " OR tokens IS NOT NULL OR metadata IS NOT NULL")),
            0);
        QCOMPARE(
            count(pkg, QStringLiteral("SELECT count(*) FROM assignment WHERE calibration")), 0);
        for (const char *table : { "adjudication", "import_run", "import_issue", "package",
                 "package_key", "rating_session" })
            QCOMPARE(
                count(pkg, QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))), 0);
        QCOMPARE(count(pkg,
                     QStringLiteral("SELECT count(*) FROM event WHERE action NOT IN"
                                    " ('study.create', 'protocol.add')")),
            0);
        // Opaque ids: 128-bit tokens, unrelated to the master's and new for each package.
        RawDb raw(pkg);
        QSqlQuery q(raw.db());
        QVERIFY(q.exec(QStringLiteral("SELECT external_id FROM item")));
        QStringList tokens;
        while (q.next())
            tokens.append(q.value(0).toString());
        QCOMPARE(tokens.size(), 4);
        for (const QString &t : std::as_const(tokens))
            QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(t).hasMatch());
        const QString second = path(QStringLiteral("lee2.crisis"));
        QVERIFY(package(m_master, second));
        RawDb raw2(second);
        QSqlQuery q2(raw2.db());
        QVERIFY(q2.exec(QStringLiteral("SELECT external_id FROM item")));
        while (q2.next())
            QVERIFY(!tokens.contains(q2.value(0).toString()));
        QVERIFY(raw.scalar(QStringLiteral("SELECT group_concat(id) FROM response"))
            != raw2.scalar(QStringLiteral("SELECT group_concat(id) FROM response")));

        // The package marks itself; the master keeps the key and logged the package.
        Error e;
        auto study = Study::open(pkg, &e);
        QVERIFY2(study, qPrintable(e.message));
        const auto info = packageInfo(*study);
        QVERIFY(info);
        QCOMPARE(info->rater, packagedRater);
        QCOMPARE(info->packageId, summary->packageId);
        auto master = Study::open(m_master, &e);
        QVERIFY(master);
        QVERIFY(!packageInfo(*master));
        QCOMPARE(info->masterStudyId, master->metaValue(QStringLiteral("study_id")));
        QCOMPARE(count(m_master,
                     QStringLiteral("SELECT count(*) FROM package_key WHERE"
                                    " entity = 'response' AND package_id = '%1'")
                         .arg(summary->packageId)),
            12);
        QCOMPARE(count(m_master,
                     QStringLiteral("SELECT count(*) FROM event WHERE action = 'package.create'")),
            2);
    }

    void roundTripGivesTheSameStoredValuesAsRatingInTheMaster()
    {
        const QString direct = path(QStringLiteral("direct.crisis"));
        Error e;
        QVERIFY(Study::copyFile(m_master, direct, &e));
        const QString pkg = path(QStringLiteral("lee.crisis"));
        QVERIFY(package(m_master, pkg));
        const QStringList before = raterValues(m_master, otherRater);

        const QStringList shownInPackage = ratePackage(pkg);
        const QStringList shownInMaster = rateMaster(direct);
        QCOMPARE(shownInPackage.size(), 4);
        QCOMPARE(shownInPackage, shownInMaster); // the same responses in the same order

        QStringList errors;
        QVERIFY2(merge(m_master, { pkg }, &errors), qPrintable(errors.join(QLatin1Char('\n'))));
        const QStringList merged = raterValues(m_master, packagedRater);
        QCOMPARE(merged, raterValues(direct, packagedRater));
        QVERIFY(merged.contains(
            QStringLiteral("assignment|%1|skipped|skipped|0").arg(leeQueue(m_master).at(1))));
        QCOMPARE(raterValues(m_master, otherRater), before);
        QVERIFY(count(m_master,
                    QStringLiteral("SELECT count(*) FROM event WHERE action = 'package.merge'"))
            == 1);
        QVERIFY(count(m_master,
                    QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.merge'"))
            > 0);

        // Re-merging changes nothing, row for row.
        const QStringList snapshot = dumpRows(m_master);
        QVERIFY2(merge(m_master, { pkg }, &errors), qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(dumpRows(m_master), snapshot);
    }

    void bundleOfAPackageMergesThroughTheKey()
    {
        const QString direct = path(QStringLiteral("direct.crisis"));
        Error e;
        QVERIFY(Study::copyFile(m_master, direct, &e));
        const QString pkg = path(QStringLiteral("lee.crisis"));
        QVERIFY(package(m_master, pkg));
        ratePackage(pkg);
        rateMaster(direct);
        const QString bundle = path(QStringLiteral("lee.jsonl"));
        {
            auto study = Study::open(pkg, &e);
            QVERIFY(study);
            ExportOptions options;
            options.format = ExportFormat::Bundle;
            options.bundleRater = packagedRater;
            QVERIFY2(Exporter(*study).writeFile(bundle, options, &e) > 0, qPrintable(e.message));
        }
        for (const QString &s : forbiddenStrings())
            QVERIFY(!cr::test::readAll(bundle).contains(s.toUtf8()));
        QStringList errors;
        QVERIFY2(merge(m_master, { bundle }, &errors), qPrintable(errors.join(QLatin1Char('\n'))));
        // A bundle carries labels and ratings (not skips, flags or what was shown).
        const auto valuesOnly = [](QStringList values) {
            values.removeIf([](const QString &v) {
                return !v.startsWith(QLatin1String("label|"))
                    && !v.startsWith(QLatin1String("rating|"));
            });
            return values;
        };
        const QStringList merged = valuesOnly(raterValues(m_master, packagedRater));
        const QStringList expected = valuesOnly(raterValues(direct, packagedRater));
        // The cleared earlier rating stays: a bundle lists what is there, not what went.
        QCOMPARE(merged.size(), expected.size() + 1);
        for (const QString &v : expected)
            QVERIFY2(merged.contains(v), qPrintable(v));
        const QStringList snapshot = dumpRows(m_master);
        QVERIFY(merge(m_master, { bundle }, &errors));
        QCOMPARE(dumpRows(m_master), snapshot);
    }

    void foreignUnknownTamperedAndConflictingPackagesChangeNothing()
    {
        const QString pkg = path(QStringLiteral("lee.crisis"));
        QVERIFY(package(m_master, pkg));
        ratePackage(pkg);

        const auto refused = [&](const QString &master, const QString &file, const QString &why) {
            const QStringList before = dumpRows(master);
            QStringList errors;
            QVERIFY(!merge(master, { file }, &errors));
            QVERIFY2(errors.join(QLatin1Char('\n')).contains(why),
                qPrintable(errors.join(QLatin1Char('\n'))));
            QCOMPARE(dumpRows(master), before);
        };

        // Another master (built the same way: same names, another study).
        const QString other = path(QStringLiteral("other.crisis"));
        QVERIFY(buildMaster(other, QStringLiteral("other")));
        QVERIFY(package(other, path(QStringLiteral("unused.crisis")))); // it has a study id
        refused(other, pkg, QStringLiteral("made from another study"));

        // The same master's copy, which does not know a package made after the copy.
        const QString copy = path(QStringLiteral("copy.crisis"));
        Error e;
        QVERIFY(Study::copyFile(m_master, copy, &e));
        const QString later = path(QStringLiteral("later.crisis"));
        QVERIFY(package(m_master, later));
        refused(copy, later, QStringLiteral("unknown rater package"));

        // Tampered: two items' opaque ids swapped, or a response moved.
        const QString swapped = path(QStringLiteral("swapped.crisis"));
        QVERIFY(QFile::copy(pkg, swapped));
        {
            RawDb raw(swapped);
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QStringLiteral("SELECT id, external_id FROM item ORDER BY id LIMIT 2")));
            QList<std::pair<qint64, QString>> rows;
            while (q.next())
                rows.append({ q.value(0).toLongLong(), q.value(1).toString() });
            QVERIFY(q.exec(QStringLiteral("UPDATE item SET external_id = 'x' WHERE id = %1")
                               .arg(rows[0].first)));
            QVERIFY(q.exec(QStringLiteral("UPDATE item SET external_id = '%1' WHERE id = %2")
                               .arg(rows[0].second)
                               .arg(rows[1].first)));
            QVERIFY(q.exec(QStringLiteral("UPDATE item SET external_id = '%1' WHERE id = %2")
                               .arg(rows[1].second)
                               .arg(rows[0].first)));
        }
        refused(m_master, swapped, QStringLiteral("not what was packaged"));
        const QString moved = path(QStringLiteral("moved.crisis"));
        QVERIFY(QFile::copy(pkg, moved));
        {
            RawDb raw(moved);
            QSqlQuery q(raw.db());
            // Responses 1 and 2 of the first item trade places (a run is unique per item).
            const QString first = QStringLiteral(" AND item_id = (SELECT min(id) FROM item)");
            for (const char *step : { "UPDATE response SET run = 99 WHERE run = 1",
                     "UPDATE response SET run = 1 WHERE run = 2",
                     "UPDATE response SET run = 2 WHERE run = 99" })
                QVERIFY2(q.exec(QLatin1String(step) + first), qPrintable(q.lastError().text()));
        }
        refused(m_master, moved, QStringLiteral("not what was packaged"));
        // Another rater's values slipped into the package.
        const QString foreignRater = path(QStringLiteral("foreign-rater.crisis"));
        QVERIFY(QFile::copy(pkg, foreignRater));
        {
            RawDb raw(foreignRater);
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO rater(name, kind, role, pseudonym,"
                                          " created_at) VALUES ('intruder', 'human', 'rater',"
                                          " 'R009', 'now')")));
        }
        refused(m_master, foreignRater, QStringLiteral("holds values of 'intruder'"));
        // A bundle line naming an item the key does not have.
        const QString bundle = path(QStringLiteral("tampered.jsonl"));
        {
            auto study = Study::open(pkg, &e);
            QVERIFY(study);
            ExportOptions options;
            options.format = ExportFormat::Bundle;
            QVERIFY(Exporter(*study).writeFile(bundle, options, &e) > 0);
        }
        QByteArray lines = cr::test::readAll(bundle);
        lines.replace(QRegularExpression(QStringLiteral("\"item_id\":\"[0-9a-f]{32}\""))
                          .match(QString::fromUtf8(lines))
                          .captured(0)
                          .toUtf8(),
            "\"item_id\":\"00000000000000000000000000000000\"");
        QVERIFY(cr::test::writeFile(bundle, lines));
        refused(m_master, bundle, QStringLiteral("unknown item"));

        // A conflicting value: the master's label of the first item changed meanwhile.
        {
            auto study = Study::open(m_master, &e);
            QVERIFY(study);
            const auto lee = RaterRepository(*study).byName(packagedRater);
            const qint64 first = AssignmentRepository(*study).forRater(lee->id).at(0).itemId;
            QVERIFY(
                RatingRepository(*study).setCategoryLabel({ first, lee->id, category(6), {} }, &e));
        }
        refused(m_master, pkg,
            QStringLiteral("conflict on item 'sentinel-ext-%1'").arg(leeQueue(m_master).at(0)));

        // Package and other files together are refused before anything is read.
        refused(m_master, pkg, QStringLiteral("conflict"));
        const QStringList before = dumpRows(m_master);
        QStringList errors;
        QVERIFY(
            !merge(m_master, { pkg, path(QStringLiteral("sentinel-import-file.jsonl")) }, &errors));
        QVERIFY(errors.join(QLatin1Char(' ')).contains(QStringLiteral("on their own")));
        QCOMPARE(dumpRows(m_master), before);
    }

    void skipsChangedOnBothSidesConflict()
    {
        const QString pkg = path(QStringLiteral("lee.crisis"));
        QVERIFY(package(m_master, pkg));
        ratePackage(pkg); // skips the second item ('skipped'), pauses on the third
        Error e;
        {
            auto study = Study::open(m_master, &e);
            const auto lee = RaterRepository(*study).byName(packagedRater);
            const QList<Assignment> assignments = AssignmentRepository(*study).forRater(lee->id);
            QVERIFY(
                ExposureRepository(*study).skip(assignments.at(1).id, SkipReason::Distressing, &e));
        }
        const QStringList before = dumpRows(m_master);
        QStringList errors;
        QVERIFY(!merge(m_master, { pkg }, &errors));
        QVERIFY2(errors.join(QLatin1Char(' '))
                     .contains(QStringLiteral(
                         "assignment.skip_reason: conflict on item 'sentinel-ext-%1'")
                                   .arg(leeQueue(m_master).at(1))),
            qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(dumpRows(m_master), before);
    }

    void changedOnlyInTheMasterIsKeptAndMergesAgainAfterMoreWork()
    {
        const QString pkg = path(QStringLiteral("lee.crisis"));
        QVERIFY(package(m_master, pkg));
        ratePackage(pkg);
        Error e;
        qint64 item4 = 0;
        {
            // The researcher changes another of dr-lee's values in the master meanwhile
            // (item 2, untouched in the package but for a skip): it is kept.
            auto study = Study::open(m_master, &e);
            const auto lee = RaterRepository(*study).byName(packagedRater);
            const QList<Assignment> assignments = AssignmentRepository(*study).forRater(lee->id);
            QVERIFY(RatingRepository(*study).setCategoryLabel(
                { assignments.at(1).itemId, lee->id, category(3), {} }, &e));
            item4 = assignments.at(3).itemId;
        }
        QStringList errors;
        QVERIFY2(merge(m_master, { pkg }, &errors), qPrintable(errors.join(QLatin1Char('\n'))));
        // More work in the same package after the merge: only the new change merges.
        {
            auto study = Study::open(pkg, &e);
            const auto rater = RaterRepository(*study).byName(packagedRater);
            RatingSession session;
            session.start(study.get(), *rater);
            session.setCurrentIndex(3);
            QVERIFY(session.setCategory(category(2)));
        }
        QVERIFY2(merge(m_master, { pkg }, &errors), qPrintable(errors.join(QLatin1Char('\n'))));
        auto study = Study::open(m_master, &e);
        const auto lee = RaterRepository(*study).byName(packagedRater);
        QCOMPARE(RatingRepository(*study).categoryLabel(item4, lee->id)->category, category(2));
        const QList<Assignment> assignments = AssignmentRepository(*study).forRater(lee->id);
        QCOMPARE(
            RatingRepository(*study).categoryLabel(assignments.at(1).itemId, lee->id)->category,
            category(3));
    }

    void guiWritesAPackageAndOpensItSignedIn()
    {
        const QString pkg = path(QStringLiteral("from-gui.crisis"));
        {
            MainWindow window;
            QVERIFY(window.openStudy(m_master));
            QVERIFY(!window.isRaterPackage());
            QVERIFY(window.packageAction()->isEnabled());
            PackageDialog *dialog = window.showPackageDialog();
            QVERIFY(dialog);
            dialog->setRater(packagedRater);
            QCOMPARE(dialog->rater(), packagedRater);
            dialog->setOutputPath(pkg);
            QSignalSpy done(dialog, &PackageDialog::packageFinished);
            QVERIFY(dialog->startPackage());
            QVERIFY(done.wait(30000));
            QCOMPARE(done.first().first().toBool(), true);
            QVERIFY2(dialog->statusText().contains(QStringLiteral("4 item(s)")),
                qPrintable(dialog->statusText()));
            // The dialog offers people with assignments only.
            dialog->setRater(llmRater);
            QCOMPARE(dialog->rater(), packagedRater);
        }
        QVERIFY(QFileInfo::exists(pkg));
        ratePackage(pkg);
        {
            // File ▸ Import… takes the package back through the key.
            MainWindow window;
            QVERIFY(window.openStudy(m_master));
            QSignalSpy imported(&window, &MainWindow::importFinished);
            QVERIFY(window.importFiles({ pkg }));
            QVERIFY(imported.wait(30000));
            QCOMPARE(imported.first().first().toBool(), true);
        }
        QCOMPARE(count(m_master,
                     QStringLiteral("SELECT count(*) FROM category_label l JOIN rater"
                                    " ON rater.id = l.rater_id WHERE rater.name = 'dr-lee'")),
            3);
        QCOMPARE(count(m_master,
                     QStringLiteral("SELECT count(*) FROM event WHERE action = 'package.create'"
                                    " AND actor = 'cli'")),
            1);

        MainWindow window;
        QVERIFY(window.openStudy(pkg));
        QVERIFY(window.isRaterPackage());
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QCOMPARE(window.ratingPage()->raterName(), packagedRater);
        QVERIFY(!window.packageAction()); // a rater's window has none (RolePolicy)
        Error e;
        QVERIFY(!window.signIn(QStringLiteral("someone-else"), &e));
        QVERIFY(window.signIn(packagedRater, &e));
    }
};

QTEST_MAIN(TestRaterPackage)
#include "tst_raterpackage.moc"
