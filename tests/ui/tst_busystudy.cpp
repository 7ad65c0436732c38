// A rating write while another program holds the study's write lock (issue 20,
// item 4): the GUI thread keeps running, the value is shown as pending and kept,
// and it lands in the file exactly once, in order, when the lock is released.

#include "storage/auditlog.h"
#include "tests/storage/testutil.h"
#include "teststudy.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/ratingwriter.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace cr;

namespace {

/// Counts a timer's ticks and the longest gap between them (a frozen loop shows as a gap).
class Heartbeat final : public QObject {
public:
    explicit Heartbeat(int interval)
    {
        m_timer.setInterval(interval);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            ++ticks;
            maxGap = std::max(maxGap, m_since.restart());
        });
        m_since.start();
        m_timer.start();
    }
    int ticks = 0;
    qint64 maxGap = 0;

private:
    QTimer m_timer;
    QElapsedTimer m_since;
};

} // namespace

class TestBusyStudy final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::Study> m_study;
    std::unique_ptr<ui::RatingPage> m_page;
    std::unique_ptr<test::RawDb> m_holder;
    QString m_path;

    ui::RatingSession *session() const { return m_page->session(); }

    void hold()
    {
        m_holder = std::make_unique<test::RawDb>(m_path);
        QVERIFY(m_holder->isOpen());
        QSqlQuery q(m_holder->db());
        QVERIFY2(q.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(q.lastError().text()));
    }

    void release()
    {
        QSqlQuery q(m_holder->db());
        QVERIFY(q.exec(QStringLiteral("COMMIT")));
        m_holder.reset();
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_study->database());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_study = crtest::createStudy(m_dir->path(), 3, &m_path);
        QVERIFY(m_study);
        const auto ana = storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        QVERIFY(ana);
        m_study->setActor(ana->name);
        m_page = std::make_unique<ui::RatingPage>();
        m_page->resize(1200, 800);
        m_page->show();
        m_page->start(m_study.get(), *ana);
        QVERIFY(session()->currentAssignment());
        QCOMPARE(session()->pendingWrites(), 0);
    }

    void cleanup()
    {
        m_holder.reset();
        m_page.reset();
        m_study.reset();
        m_dir.reset();
    }

    void heldLockDoesNotFreezeAndTheRatingLandsOnce()
    {
        const qint64 response = session()->responseIds().first();
        hold();
        Heartbeat beat(50);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(session()->setScore(response, 4)); // accepted and kept, not refused
        QVERIFY2(clock.elapsed() < 1000, "setScore waited for the lock");
        QCOMPARE(session()->pendingWrites(), 1);
        QVERIFY(session()->isRatingPending(response));
        QCOMPARE(session()->rating(response)->score, std::optional<int>(4));
        QVERIFY2(m_page->pendingText().contains(QLatin1String("Waiting for the study file")),
            qPrintable(m_page->pendingText()));

        QTest::qWait(1500); // the holder keeps the lock meanwhile
        QVERIFY2(beat.ticks >= 10, qPrintable(QString::number(beat.ticks)));
        QVERIFY2(beat.maxGap < 800, qPrintable(QString::number(beat.maxGap)));
        QCOMPARE(session()->pendingWrites(), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 0);

        release();
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 10000);
        QVERIFY(!session()->isRatingPending(response));
        QVERIFY(m_page->pendingText().isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 1);
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(response)),
            4);
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.set'")), 1);
        storage::VerifyResult r;
        storage::Error e;
        QVERIFY(storage::verifyAuditLog(*m_study, storage::VerifyScope::Full, &r, &e));
        QVERIFY2(r.ok, qPrintable(r.problem));
        // The next write goes straight to the file again.
        QVERIFY(session()->setScore(session()->responseIds().at(1), 2));
        QCOMPARE(session()->pendingWrites(), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 2);
    }

    void writesKeepTheirOrder()
    {
        const qint64 response = session()->responseIds().first();
        hold();
        QVERIFY(session()->setScore(response, 4));
        QVERIFY(session()->setCategory(QStringLiteral("self-harm")));
        QVERIFY(session()->setScore(response, 2));
        QVERIFY(session()->clearRating(response));
        QVERIFY(session()->setScore(response, 5));
        session()->undoStack()->undo(); // back to cleared
        session()->undoStack()->redo(); // 5 again
        QCOMPARE(session()->pendingWrites(), 7);
        QCOMPARE(session()->rating(response)->score, std::optional<int>(5));
        release();
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 10000);
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT action, after FROM event WHERE action LIKE 'rating.%' ORDER BY id")));
        QStringList seen;
        while (q.next())
            seen.append(q.value(0).toString() + QLatin1Char(' ')
                + QString::number(QJsonDocument::fromJson(q.value(1).toByteArray())
                                      .object()
                                      .value(QStringLiteral("score"))
                                      .toInt()));
        QCOMPARE(seen,
            (QStringList { QStringLiteral("rating.set 4"), QStringLiteral("rating.set 2"),
                QStringLiteral("rating.clear 0"), QStringLiteral("rating.set 5"),
                QStringLiteral("rating.clear 0"), QStringLiteral("rating.set 5") }));
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(response)),
            5);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM category_label")), 1);
    }

    void aWriteThatGivesUpKeepsTheValueAndCanBeRetried()
    {
        const qint64 response = session()->responseIds().first();
        session()->writer()->setGiveUpAfter(300);
        QSignalSpy failed(session(), &ui::RatingSession::pendingWriteFailed);
        hold();
        QVERIFY(session()->setScore(response, 3));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        QVERIFY(session()->hasFailedWrites());
        QCOMPARE(session()->pendingWrites(), 1); // not lost
        QCOMPARE(session()->rating(response)->score, std::optional<int>(3));
        QVERIFY2(m_page->pendingText().contains(QLatin1String("could not be saved")),
            qPrintable(m_page->pendingText()));
        release();
        session()->retryPendingWrites();
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 10000);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating WHERE score = 3")), 1);
        QVERIFY(m_page->pendingText().isEmpty());
    }
};

QTEST_MAIN(TestBusyStudy)
#include "tst_busystudy.moc"
