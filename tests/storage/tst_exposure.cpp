#include "storage/exposure.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QFile>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace cr::storage;

class TestExposure final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Study> m_study;
    Rater m_ana;
    Rater m_ben;

    qint64 count(const QString &sql) const
    {
        QSqlQuery q(m_study->database());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        Error e;
        QFile::remove(m_dir.filePath(QStringLiteral("s.crisis")));
        m_study = Study::create(m_dir.filePath(QStringLiteral("s.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("t"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
        const QString items = m_dir.filePath(QStringLiteral("items.jsonl"));
        QFile f(items);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(
            R"({"item_id": "i1", "text": "a", "responses": [{"model": "m", "text": "r1"}, {"model": "n", "text": "r2"}, {"model": "o", "text": "r3"}]}
{"item_id": "i2", "text": "b", "responses": [{"model": "m", "text": "r4"}]}
)");
        f.close();
        ImportReport report;
        QVERIFY2(Importer(*m_study).run({ items }, {}, &report, &e), qPrintable(e.message));
        m_ana = *RaterRepository(*m_study).add(
            QStringLiteral("ana"), RaterKind::Human, RaterRole::Rater, &e);
        m_ben = *RaterRepository(*m_study).add(
            QStringLiteral("ben"), RaterKind::Human, RaterRole::Rater, &e);
        QCOMPARE(AssignmentRepository(*m_study).assign({ m_ana.id, m_ben.id }, 2, 1, {}, &e), 4);
    }

    void cleanup() { m_study.reset(); }

    void presentationIsRecordedOnceWithPositionAndLabel()
    {
        Error e;
        const QList<Response> responses = ItemRepository(*m_study).responses(1);
        QCOMPARE(responses.size(), 3);
        const QList<qint64> shown { responses[2].id, responses[0].id, responses[1].id };
        ExposureRepository exposure(*m_study);
        QVERIFY2(exposure.recordShown(0, m_ana.id, shown, &e), qPrintable(e.message));
        // Idempotent: showing the item again (even in another order) keeps the first record.
        QVERIFY(exposure.recordShown(
            0, m_ana.id, { responses[0].id, responses[1].id, responses[2].id }, &e));
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT response_id, position, label FROM presentation WHERE rater_id = %1"
            " ORDER BY position")
                           .arg(m_ana.id)));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), shown[i]);
            QCOMPARE(q.value(1).toInt(), i + 1);
            QCOMPARE(q.value(2).toString(), QString(QChar(u'A' + i)));
        }
        QVERIFY(!q.next());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM presentation")), 3);
        QCOMPARE(presentationLabel(26), QStringLiteral("AA"));
        // Written without waiting for the disk, then back to FULL for the ratings.
        QCOMPARE(count(QStringLiteral("PRAGMA synchronous")), 2);
    }

    void sessionsCountShownAndRated()
    {
        Error e;
        ExposureRepository exposure(*m_study);
        const qint64 first = exposure.startSession(m_ana.id, &e);
        QVERIFY2(first > 0, qPrintable(e.message));
        QVERIFY(exposure.recordShown(first, m_ana.id, { 1 }, &e));
        QVERIFY(exposure.recordShown(first, m_ana.id, { 4 }, &e));
        QVERIFY(exposure.countRated(first, &e));
        const qint64 second = exposure.startSession(m_ana.id, &e);
        QVERIFY(second > first);
        QVERIFY(exposure.recordShown(second, m_ana.id, { 1 }, &e)); // counted, presentation kept
        QCOMPARE(count(QStringLiteral("SELECT items_shown * 10 + items_rated FROM rating_session"
                                      " WHERE id = %1")
                           .arg(first)),
            21);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM presentation")), 2);

        // Unknown sessions and raters are refused and change nothing.
        QCOMPARE(exposure.startSession(999, &e), 0);
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QVERIFY(!exposure.countRated(999, &e));
        QVERIFY(e.message.contains(QLatin1String("no rating session 999")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM rating_session")), 2);

        // Sessions started before "today" do not count today.
        const QList<RaterExposure> all = exposure.summary();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].name, QStringLiteral("ana"));
        QCOMPARE(all[0].sessions, 2);
        QCOMPARE(all[0].shownToday, 3);
        QCOMPARE(all[0].shownLastSession, 1);
        QCOMPARE(all[0].maxShownInSession, 2);
        QCOMPARE(all[0].shownPerSession, 1.5);
        QCOMPARE(all[1].sessions, 0);
        QCOMPARE(all[1].shownPerSession, 0.0);
        const QList<RaterExposure> tomorrow =
            exposure.summary(QDateTime::currentDateTimeUtc().addDays(1));
        QCOMPARE(tomorrow[0].shownToday, 0);
    }

    void skipReasonsAreStoredAndCounted()
    {
        Error e;
        ExposureRepository exposure(*m_study);
        const QList<Assignment> ana = AssignmentRepository(*m_study).forRater(m_ana.id);
        QCOMPARE(ana.size(), 2);
        QVERIFY(exposure.skip(ana[0].id, SkipReason::Skipped, &e));
        QVERIFY(exposure.skip(ana[1].id, SkipReason::Distressing, &e));
        QCOMPARE(exposure.skipReason(ana[0].id), QStringLiteral("skipped"));
        QCOMPARE(exposure.skipReason(ana[1].id), QStringLiteral("distressing"));
        // Rated later: no longer skipped, still counted as a distressing pause.
        QVERIFY(AssignmentRepository(*m_study).setStatus(ana[1].id, QStringLiteral("done"), &e));
        // Ben's ratings of item 2 were imported (status still pending): labelled and
        // every response rated counts as done; item 1 with one of three rated does not.
        RatingRepository ratings(*m_study);
        QVERIFY(ratings.setCategoryLabel({ 2, m_ben.id, QStringLiteral("no_crisis"), {} }, &e));
        QVERIFY(ratings.setCategoryLabel({ 1, m_ben.id, QStringLiteral("no_crisis"), {} }, &e));
        ResponseRating r;
        r.raterId = m_ben.id;
        r.score = 3;
        r.responseId = ItemRepository(*m_study).responses(2).at(0).id;
        QVERIFY2(ratings.setResponseRating(r, &e), qPrintable(e.message));
        r.responseId = ItemRepository(*m_study).responses(1).at(0).id;
        QVERIFY(ratings.setResponseRating(r, &e));
        const QList<RaterExposure> all = exposure.summary();
        QCOMPARE(all[0].assigned, 2);
        QCOMPARE(all[0].done, 1);
        QCOMPARE(all[0].skipped, 1);
        QCOMPARE(all[0].distressing, 1);
        QCOMPARE(all[1].skipped, 0);
        QCOMPARE(all[1].done, 1);
        QCOMPARE(all[1].distressing, 0);
        QVERIFY(!exposure.skip(12345, SkipReason::Skipped, &e));
        QVERIFY(e.message.contains(QLatin1String("no assignment 12345")));
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'assignment.skip'")),
            2);
    }
};

QTEST_GUILESS_MAIN(TestExposure)
#include "tst_exposure.moc"
