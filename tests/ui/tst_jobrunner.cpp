#include "protocol/protocol.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/jobrunner.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>

using cr::ui::JobContext;
using cr::ui::JobRunner;
using cr::ui::JobRunnerBase;
namespace storage = cr::storage;

class TestJobRunner : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<storage::Study> m_study;

    // Lets the event loop deliver whatever is still queued to the runner.
    static void settle() { QTest::qWait(50); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_path = m_dir.filePath(QStringLiteral("jobs.crisis"));
        storage::Error error;
        m_study = storage::Study::create(
            m_path, cr::protocol::defaultProtocol(), QStringLiteral("Jobs"), &error);
        QVERIFY2(m_study, qPrintable(error.message));
        QVERIFY(storage::RaterRepository(*m_study).add(
            QStringLiteral("ana"), storage::RaterKind::Human, storage::RaterRole::Rater, &error));
    }
    void cleanupTestCase() { m_study.reset(); }

    void resultArrivesOnTheGuiThreadFromItsOwnConnection()
    {
        struct Seen {
            QThread *thread = nullptr;
            const storage::Study *study = nullptr;
            int raters = 0;
        };
        JobRunner<Seen> runner;
        QThread *deliveredOn = nullptr;
        connect(&runner, &JobRunnerBase::succeeded, this,
            [&deliveredOn] { deliveredOn = QThread::currentThread(); });
        runner.start(m_path, [](storage::Study &study, JobContext &, storage::Error *) {
            return Seen { QThread::currentThread(), &study,
                int(storage::RaterRepository(study).all().size()) };
        });
        QVERIFY(runner.isRunning());
        QTRY_VERIFY(deliveredOn != nullptr);
        QVERIFY(!runner.isRunning());
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(runner.result().thread != QThread::currentThread());
        QVERIFY(runner.result().study != m_study.get());
        QCOMPARE(runner.result().raters, 1);
    }

    void progressArrivesBeforeTheResult()
    {
        JobRunner<int> runner;
        QList<std::pair<qint64, qint64>> reports;
        int progressAtResult = -1;
        connect(&runner, &JobRunnerBase::progressed, this, [&reports](qint64 done, qint64 total) {
            reports.append({ done, total });
        });
        connect(&runner, &JobRunnerBase::succeeded, this,
            [&] { progressAtResult = int(reports.size()); });
        runner.start(m_path, [](storage::Study &, JobContext &context, storage::Error *) {
            const std::function<void(qint64, qint64)> progress = context.progressCallback();
            for (qint64 i = 1; i <= 200; ++i) {
                progress(i, 200);
                if (i % 50 == 0)
                    QThread::msleep(20); // let the GUI thread take some reports
            }
            return 7;
        });
        QTRY_VERIFY(progressAtResult >= 0);
        QVERIFY(progressAtResult >= 1);
        QCOMPARE(progressAtResult, int(reports.size()));
        QCOMPARE(reports.last(), std::make_pair(qint64(200), qint64(200)));
        for (qsizetype i = 1; i < reports.size(); ++i)
            QVERIFY(reports[i].first > reports[i - 1].first);
        QCOMPARE(runner.result(), 7);
    }

    void cancelStopsTheJobAndDropsItsResult()
    {
        JobRunner<int> runner;
        QSignalSpy succeeded(&runner, &JobRunnerBase::succeeded);
        QSignalSpy failed(&runner, &JobRunnerBase::failed);
        QSignalSpy progressed(&runner, &JobRunnerBase::progressed);
        auto started = std::make_shared<QSemaphore>();
        auto stopped = std::make_shared<std::atomic<bool>>(false);
        runner.start(
            m_path, [started, stopped](storage::Study &, JobContext &context, storage::Error *) {
                started->release();
                while (!context.isCancelled())
                    QThread::msleep(1);
                context.reportProgress(1, 1); // too late: dropped
                *stopped = true;
                return 42;
            });
        QVERIFY(started->tryAcquire(1, 10000));
        runner.cancel();
        QVERIFY(!runner.isRunning());
        QTRY_VERIFY(stopped->load());
        settle();
        QCOMPARE(succeeded.count(), 0);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(progressed.count(), 0);
        QCOMPARE(runner.result(), 0);

        // The runner takes new requests after a cancel.
        runner.start(m_path, [](storage::Study &, JobContext &, storage::Error *) { return 5; });
        QVERIFY(succeeded.wait(10000));
        QCOMPARE(runner.result(), 5);
    }

    void newerRequestsSupersedeOlderOnes()
    {
        JobRunner<int> runner;
        QList<int> delivered;
        connect(&runner, &JobRunnerBase::succeeded, this,
            [&delivered, &runner] { delivered.append(runner.result()); });
        QSignalSpy progressed(&runner, &JobRunnerBase::progressed);
        auto release = std::make_shared<QSemaphore>();
        auto ran = std::make_shared<QList<int>>();
        auto mutex = std::make_shared<QMutex>();
        const auto job = [release, ran, mutex](int value, bool block) {
            return [=](storage::Study &, JobContext &context, storage::Error *) {
                {
                    const QMutexLocker locker(mutex.get());
                    ran->append(value);
                }
                if (block)
                    release->acquire(); // ignores the cancel: the mechanism drops the result
                context.reportProgress(value, 3);
                return value;
            };
        };
        const auto runs = [ran, mutex] {
            const QMutexLocker locker(mutex.get());
            return *ran;
        };
        runner.start(m_path, job(1, true));
        QTRY_COMPARE(runs(), QList<int> { 1 });
        runner.start(m_path, job(2, false)); // superseded before it starts: never runs
        runner.start(m_path, job(3, false));
        QVERIFY(runner.isRunning());
        QTest::qWait(50);
        QCOMPARE(runs(), QList<int> { 1 }); // one request at a time
        release->release();
        QTRY_COMPARE(delivered, QList<int> { 3 });
        settle();
        QCOMPARE(delivered, QList<int> { 3 });
        QCOMPARE(runs(), (QList<int> { 1, 3 }));
        QCOMPARE(progressed.count(), 1);
        QCOMPARE(progressed.first().first().toLongLong(), 3);
        QVERIFY(!runner.isRunning());
    }

    void errorsArriveAsErrorsWithWhatTheJobReturned()
    {
        JobRunner<QString> runner;
        QSignalSpy succeeded(&runner, &JobRunnerBase::succeeded);
        std::optional<storage::Error> failure;
        connect(&runner, &JobRunnerBase::failed, this,
            [&failure](const storage::Error &e) { failure = e; });
        runner.start(m_path, [](storage::Study &, JobContext &, storage::Error *error) {
            *error = storage::Error::invalid(QStringLiteral("line 3: no id"));
            return QStringLiteral("partial report");
        });
        QTRY_VERIFY(failure.has_value());
        QCOMPARE(failure->kind, storage::ErrorKind::InvalidInput);
        QCOMPARE(failure->message, QStringLiteral("line 3: no id"));
        QCOMPARE(runner.result(), QStringLiteral("partial report"));
        QCOMPARE(succeeded.count(), 0);

        // A study that does not open fails before the job runs.
        failure.reset();
        bool ran = false;
        runner.start(m_dir.filePath(QStringLiteral("missing.crisis")),
            [&ran](storage::Study &, JobContext &, storage::Error *) {
                ran = true;
                return QStringLiteral("never");
            });
        QTRY_VERIFY(failure.has_value());
        QCOMPARE(failure->kind, storage::ErrorKind::Storage);
        QVERIFY(failure->message.contains(QStringLiteral("missing.crisis")));
        QVERIFY(!ran);
        QCOMPARE(runner.result(), QString());
        QCOMPARE(succeeded.count(), 0);
    }

    void destructorCancelsAndWaitsForTheWorker()
    {
        auto started = std::make_shared<QSemaphore>();
        auto stopped = std::make_shared<std::atomic<bool>>(false);
        {
            JobRunner<int> runner;
            runner.start(m_path,
                [started, stopped](storage::Study &, JobContext &context, storage::Error *) {
                    started->release();
                    while (!context.isCancelled())
                        QThread::msleep(1);
                    *stopped = true;
                    return 1;
                });
            QVERIFY(started->tryAcquire(1, 10000));
        }
        QVERIFY(stopped->load());
    }
};

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
