// The rating outbox (issue 17 item 4): a write that meets an unreachable study (a
// server that is down; here injected with Study::simulateUnreachable) is kept in a
// local durable outbox, shown as "Offline — N rating(s) waiting", sent in order
// exactly once when the study is back, and survives the app quitting meanwhile. A
// write the study refuses (not a connection problem) is not queued.

#include "storage/auditlog.h"
#include "storage/ratingoutbox.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "teststudy.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/ratingwriter.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace cr;

class TestOutbox final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::Study> m_study;
    std::unique_ptr<ui::RatingPage> m_page;
    storage::Rater m_ana;
    QString m_path;

    ui::RatingSession *session() const { return m_page->session(); }
    QString outboxPath() const { return m_dir->filePath(QStringLiteral("outbox.sqlite")); }

    void openPage()
    {
        m_page = std::make_unique<ui::RatingPage>();
        m_page->resize(1200, 800);
        m_page->show();
        session()->setOutboxPath(outboxPath());
        m_page->start(m_study.get(), m_ana);
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_study->database());
        if (!q.exec(sql) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    int outboxCount()
    {
        storage::Error e;
        const auto outbox = storage::RatingOutbox::open(outboxPath(), &e);
        return outbox ? outbox->count(m_path) : -1;
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
        m_ana = *ana;
        m_study->setActor(ana->name);
        openPage();
        QVERIFY(session()->currentAssignment());
    }

    void cleanup()
    {
        storage::Study::simulateUnreachable(false);
        m_page.reset();
        m_study.reset();
        m_dir.reset();
    }

    void offlineWritesWaitAndLandOnceInOrder()
    {
        const QList<qint64> responses = session()->responseIds();
        QSignalSpy offline(session(), &ui::RatingSession::offlineChanged);
        storage::Study::simulateUnreachable(true);
        QVERIFY(session()->setScore(responses.at(0), 4)); // accepted, not refused
        QVERIFY(session()->isOffline());
        QVERIFY(session()->setCategory(QStringLiteral("self-harm")));
        QVERIFY(session()->setScore(responses.at(0), 2));
        QVERIFY(session()->setScore(responses.at(1), 5));
        session()->undoStack()->undo(); // response 1 back to unrated
        QCOMPARE(session()->pendingWrites(), 5);
        QCOMPARE(session()->rating(responses.at(0))->score, std::optional<int>(2));
        QVERIFY(!session()->rating(responses.at(1)));
        QVERIFY2(m_page->pendingText().startsWith(QStringLiteral("Offline — 5 ratings waiting")),
            qPrintable(m_page->pendingText()));
        QCOMPARE(outboxCount(), 5); // durable before anything reached the study
        QTest::qWait(600); // the worker keeps trying meanwhile
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 0);
        QVERIFY(!offline.isEmpty());
        QCOMPARE(offline.first().first().toBool(), true);

        storage::Study::simulateUnreachable(false);
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 15000);
        QTRY_VERIFY(!session()->isOffline());
        QCOMPARE(offline.last().first().toBool(), false);
        QVERIFY(m_page->pendingText().isEmpty());
        QCOMPARE(outboxCount(), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 1);
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(0))),
            2);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM category_label")), 1);
        // Each change exactly once, in the order made: set 4, set 2, set 5, clear.
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT action || ' ' || entity_id FROM event"
                                      " WHERE action LIKE 'rating.%' ORDER BY id")));
        QStringList seen;
        while (q.next())
            seen.append(q.value(0).toString());
        const QString r0 = QString::number(responses.at(0));
        const QString r1 = QString::number(responses.at(1));
        QCOMPARE(seen,
            (QStringList { QStringLiteral("rating.set ") + r0, QStringLiteral("rating.set ") + r0,
                QStringLiteral("rating.set ") + r1, QStringLiteral("rating.clear ") + r1 }));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'label.set'")), 1);
        storage::VerifyResult r;
        storage::Error e;
        QVERIFY(storage::verifyAuditLog(*m_study, storage::VerifyScope::Full, &r, &e));
        QVERIFY2(r.ok, qPrintable(r.problem));
        // Back online: the next write goes straight to the study.
        QVERIFY(session()->setScore(responses.at(2), 3));
        QCOMPARE(session()->pendingWrites(), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 2);
    }

    void theOutboxSurvivesQuittingAndDrainsOnceAtTheNextStart()
    {
        const QList<qint64> responses = session()->responseIds();
        storage::Study::simulateUnreachable(true);
        QVERIFY(session()->setScore(responses.at(0), 1));
        QVERIFY(session()->setCategory(QStringLiteral("self-harm")));
        QCOMPARE(session()->pendingWrites(), 2);
        m_page.reset(); // the app quits while the server is down
        QCOMPARE(outboxCount(), 2);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 0);
        QVERIFY(QFileInfo(outboxPath()).permissions()
            == (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                | QFileDevice::WriteUser));

        // Next start, still offline: the values are shown as waiting, not lost.
        openPage();
        QCOMPARE(session()->pendingRatingWrites(), 2); // and what the rater was shown
        QVERIFY(session()->isRatingPending(responses.at(0)));
        QCOMPARE(session()->rating(responses.at(0))->score, std::optional<int>(1));
        QVERIFY(session()->label());
        QTRY_VERIFY_WITH_TIMEOUT(session()->isOffline(), 5000);
        QTRY_VERIFY(m_page->pendingText().startsWith(QStringLiteral("Offline")));

        storage::Study::simulateUnreachable(false);
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 15000);
        QCOMPARE(outboxCount(), 0);
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating")), 1);
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.set'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM category_label")), 1);

        // A third start has nothing to send.
        m_page.reset();
        openPage();
        QCOMPARE(session()->pendingWrites(), 0);
    }

    void anEntrySentTwiceLeavesTheSameRow()
    {
        // The app died after the study committed a write but before its outbox entry
        // was removed: the entry is sent again, an upsert of the same value.
        const qint64 response = session()->responseIds().first();
        QVERIFY(session()->setScore(response, 3));
        const auto stored = storage::RatingRepository(*m_study).responseRating(response, m_ana.id);
        QVERIFY(stored);
        m_page.reset();
        {
            storage::Error e;
            auto outbox = storage::RatingOutbox::open(outboxPath(), &e);
            QVERIFY(outbox);
            storage::OutboxEntry entry;
            entry.study = m_path;
            entry.raterId = m_ana.id;
            entry.kind = storage::OutboxEntry::Kind::Rating;
            entry.targetId = response;
            entry.rating = *stored;
            QVERIFY(outbox->append(entry, &e) > 0);
        }
        openPage();
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 15000);
        QCOMPARE(outboxCount(), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 1);
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating")), 3);
    }

    void aRefusedWriteIsNotQueued()
    {
        // Not a connection problem: the study refuses it, nothing waits, nothing is kept.
        QSignalSpy failed(session(), &ui::RatingSession::writeFailed);
        QVERIFY(!session()->setCategory(QStringLiteral("no-such-category")));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(session()->pendingWrites(), 0);
        QVERIFY(!session()->isOffline());
        QCOMPARE(outboxCount(), 0);
    }

    void anOwnerIsAliveWhileItsInstanceRuns()
    {
        storage::Error e;
        auto owner = storage::OutboxOwner::create(outboxPath(), &e);
        QVERIFY2(owner, qPrintable(e.message));
        const QString id = owner->id();
        QVERIFY(storage::OutboxOwner::isAlive(outboxPath(), id));
        QVERIFY(storage::OutboxOwner::isAlive(outboxPath(), id)); // asking keeps it alive
        owner.reset();
        QVERIFY(!storage::OutboxOwner::isAlive(outboxPath(), id));
        QVERIFY(!storage::OutboxOwner::isAlive(outboxPath(), QString()));
    }

    void twoInstancesOfOneRaterSendEachChangeOnceWhenTheStudyIsBack()
    {
        // A second app instance of ana on this machine: its own connection, the same
        // outbox file. Both rate while the study cannot be reached.
        const QList<qint64> responses = session()->responseIds();
        storage::Error e;
        auto otherStudy = storage::Study::open(m_path, &e);
        QVERIFY2(otherStudy, qPrintable(e.message));
        otherStudy->setActor(m_ana.name);
        auto other = std::make_unique<ui::RatingPage>();
        other->session()->setOutboxPath(outboxPath());
        other->start(otherStudy.get(), m_ana);
        QVERIFY(other->session()->currentAssignment());

        storage::Study::simulateUnreachable(true);
        QVERIFY(session()->setScore(responses.at(0), 4));
        QVERIFY(session()->setCategory(QStringLiteral("self-harm")));
        QVERIFY(other->session()->setScore(responses.at(1), 2));
        QCOMPARE(session()->pendingWrites(), 2);
        QCOMPARE(other->session()->pendingWrites(), 1);
        QCOMPARE(outboxCount(), 3);

        // The other instance restarts meanwhile: it takes back its own (orphaned) entry
        // and leaves the running instance's two alone.
        other.reset();
        other = std::make_unique<ui::RatingPage>();
        other->session()->setOutboxPath(outboxPath());
        other->start(otherStudy.get(), m_ana);
        QCOMPARE(other->session()->pendingRatingWrites(), 1);
        QVERIFY(other->session()->isRatingPending(responses.at(1)));
        QVERIFY(!other->session()->isRatingPending(responses.at(0)));
        QCOMPARE(session()->pendingWrites(), 2);

        storage::Study::simulateUnreachable(false);
        QTRY_COMPARE_WITH_TIMEOUT(session()->pendingWrites(), 0, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(other->session()->pendingWrites(), 0, 15000);
        QCOMPARE(outboxCount(), 0);
        // Each change once: no rating or label sent by both instances.
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.set'")), 2);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'label.set'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(0))),
            4);
        QCOMPARE(count(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(1))),
            2);
        other.reset();
    }

    void anInstanceThatQuitOfflineLeavesItsChangesToTheNextOne()
    {
        const QList<qint64> responses = session()->responseIds();
        storage::Error e;
        auto otherStudy = storage::Study::open(m_path, &e);
        QVERIFY2(otherStudy, qPrintable(e.message));
        otherStudy->setActor(m_ana.name);
        storage::Study::simulateUnreachable(true);
        QVERIFY(session()->setScore(responses.at(0), 1));
        QVERIFY(session()->setScore(responses.at(1), 3));
        m_page.reset(); // quits while the study is away: its entries are nobody's now
        QCOMPARE(outboxCount(), 2);

        // Another instance (started later) adopts them, once, and sends them in order.
        auto other = std::make_unique<ui::RatingPage>();
        other->session()->setOutboxPath(outboxPath());
        other->start(otherStudy.get(), m_ana);
        QCOMPARE(other->session()->pendingRatingWrites(), 2);
        openPage(); // and a third one started after it finds nothing to take
        QCOMPARE(session()->pendingRatingWrites(), 0);
        storage::Study::simulateUnreachable(false);
        QTRY_COMPARE_WITH_TIMEOUT(other->session()->pendingWrites(), 0, 15000);
        QCOMPARE(outboxCount(), 0);
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.set'")), 2);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM response_rating")), 2);
        other.reset();
    }
};

QTEST_MAIN(TestOutbox)
#include "tst_outbox.moc"
