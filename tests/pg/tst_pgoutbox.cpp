// The rating page against a real server whose process is killed mid-session (issue 17
// items 4 and 5): a study on a cluster of this test's own (tests/pg/pgcluster.sh; the
// shared cluster is never stopped), a rater signed in through their own login. While
// the server is down the page keeps rating ("Offline — N ratings waiting"), the values
// wait in the outbox; when it is back they are sent once, in order, nothing
// acknowledged is lost, and the researcher's window is told of the new ratings
// (LISTEN/NOTIFY). The rater's login reads no model, dataset or other rater.

#include "pgtesthelpers.h"
#include "storage/auditlog.h"
#include "storage/ratingoutbox.h"
#include "storage/repositories.h"
#include "storage/server.h"
#include "storage/study.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/studywatcher.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

using pgtest::env;

class TestPgOutbox final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_cluster; // this test's own cluster
    QString m_port;
    QString m_passfile;
    QString m_db = QStringLiteral("outbox");

    bool cluster(const QString &command)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(qEnvironmentVariable("CR_SOURCE_DIR") + QStringLiteral("/tests/pg/pgcluster.sh"),
            { command, m_cluster });
        return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit
            && p.exitCode() == 0;
    }

    int app(const QStringList &args, QByteArray *out = nullptr)
    {
        return pgtest::runApp(args, out);
    }

    QString uri(const QString &user) const
    {
        return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user, m_port, m_db);
    }

    qint64 ownerCount(const QString &sql)
    {
        storage::Error e;
        const auto owner = storage::Study::open(uri(QStringLiteral("cr_admin")), &e);
        if (!owner) {
            qWarning("%s", qPrintable(e.message));
            return -1;
        }
        QSqlQuery q(owner->database());
        if (!q.exec(sql) || !q.next()) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            return -1;
        }
        return q.value(0).toLongLong();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_work.isValid());
        m_cluster = QStringLiteral("/tmp/cr-pg-outbox-%1").arg(QCoreApplication::applicationPid());
        QVERIFY(cluster(QStringLiteral("start")));
        m_port = env(m_cluster, QStringLiteral("CR_PG_PORT"));
        // The owner's and the rater's passwords, as ~/.pgpass would hold them.
        m_passfile = m_work.filePath(QStringLiteral("pgpass"));
        QVERIFY(QFile::copy(env(m_cluster, QStringLiteral("CR_PG_PASSFILE")), m_passfile));
        QFile::setPermissions(m_passfile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        qputenv("PGPASSFILE", m_passfile.toLocal8Bit());
        QProcess psql;
        psql.start(QStringLiteral("psql"),
            { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-h"),
                QStringLiteral("127.0.0.1"), QStringLiteral("-p"), m_port, QStringLiteral("-U"),
                QStringLiteral("cr_admin"), QStringLiteral("-d"), QStringLiteral("postgres"),
                QStringLiteral("-c"), QStringLiteral("create database ") + m_db });
        QVERIFY(psql.waitForFinished(60000) && psql.exitCode() == 0);

        // A local study (4 items x 2 models, rater "ana" assigned all), published.
        const QString items = m_work.filePath(QStringLiteral("items.jsonl"));
        QVERIFY(pgtest::writeItems(items, QStringLiteral("o"), 4));
        const QString local = m_work.filePath(QStringLiteral("local.crisis"));
        QCOMPARE(app({ QStringLiteral("init"), local }), 0);
        QCOMPARE(app({ QStringLiteral("import"), local, items }), 0);
        QCOMPARE(
            app({ QStringLiteral("rater"), QStringLiteral("add"), local, QStringLiteral("ana") }),
            0);
        QCOMPARE(app({ QStringLiteral("assign"), local, QStringLiteral("--raters"),
                     QStringLiteral("ana"), QStringLiteral("--per-item"), QStringLiteral("1") }),
            0);
        storage::Error e;
        QVERIFY2(storage::server::init(uri(QStringLiteral("cr_admin")), QStringLiteral("Outbox"),
                     protocol::defaultProtocol(), &e),
            qPrintable(e.message));
        QVERIFY2(storage::server::publish(local, uri(QStringLiteral("cr_admin")), {}, &e),
            qPrintable(e.message));
        const QString passwordFile = m_work.filePath(QStringLiteral("ana.pass"));
        QFile pass(passwordFile);
        QVERIFY(pass.open(QIODevice::WriteOnly));
        pass.write("ana-password-for-tests\n");
        pass.close();
        QCOMPARE(
            app({ QStringLiteral("server"), QStringLiteral("add-person"),
                uri(QStringLiteral("cr_admin")), QStringLiteral("ana"), QStringLiteral("--role"),
                QStringLiteral("rater"), QStringLiteral("--password-file"), passwordFile }),
            0);
        QFile passfile(m_passfile);
        QVERIFY(passfile.open(QIODevice::Append));
        passfile.write(QStringLiteral("127.0.0.1:%1:%2:ana:ana-password-for-tests\n")
                           .arg(m_port, m_db)
                           .toUtf8());
    }

    void cleanupTestCase() { cluster(QStringLiteral("stop")); }

    void theRaterLoginSeesOnlyTheirItemsWithoutModels()
    {
        storage::Error e;
        const auto study = storage::Study::open(uri(QStringLiteral("ana")), &e);
        QVERIFY2(study, qPrintable(e.message));
        QSqlQuery q(study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM my_response")) && q.next());
        QCOMPARE(q.value(0).toInt(), 8);
        QVERIFY(!q.exec(QStringLiteral("SELECT name FROM model")));
        QVERIFY2(q.lastError().text().contains(QLatin1String("permission denied")),
            qPrintable(q.lastError().text()));
        QVERIFY(!q.exec(QStringLiteral("SELECT model_id FROM response")));
        QVERIFY(!q.exec(QStringLiteral("SELECT * FROM event")));
    }

    void aKilledServerMidSessionLosesNothingAndTheOutboxDrainsOnce()
    {
        storage::Error e;
        auto study = storage::Study::open(uri(QStringLiteral("ana")), &e);
        QVERIFY2(study, qPrintable(e.message));
        const auto ana = storage::RaterRepository(*study).byName(QStringLiteral("ana"));
        QVERIFY(ana);
        study->setActor(ana->name);
        // The researcher's window, listening for others' writes.
        auto researcher = storage::Study::open(uri(QStringLiteral("cr_admin")), &e);
        QVERIFY2(researcher, qPrintable(e.message));
        ui::StudyWatcher watcher(researcher.get());
        QVERIFY(watcher.isListening());
        watcher.setDebounce(100);
        QSignalSpy changed(&watcher, &ui::StudyWatcher::changed);

        ui::RatingPage page;
        page.session()->setOutboxPath(m_work.filePath(QStringLiteral("outbox.sqlite")));
        page.resize(1200, 800);
        page.show();
        page.start(study.get(), *ana);
        ui::RatingSession *session = page.session();
        QVERIFY(session->currentAssignment());
        const QList<qint64> responses = session->responseIds();
        QCOMPARE(responses.size(), 2);
        QVERIFY2(session->setScore(responses.at(0), 4), qPrintable(session->errorString()));
        QCOMPARE(session->pendingWrites(), 0); // acknowledged by the server
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 5000); // the researcher was told

        QVERIFY(cluster(QStringLiteral("pause"))); // the server dies (immediate stop)
        QVERIFY(session->setScore(responses.at(1), 2)); // kept, not refused
        QVERIFY(session->setCategory(QStringLiteral("self-harm")));
        QVERIFY(session->setScore(responses.at(0), 5));
        QVERIFY(session->isOffline());
        QCOMPARE(session->pendingRatingWrites(), 3);
        QVERIFY2(page.pendingText().startsWith(QStringLiteral("Offline — 3 ratings waiting")),
            qPrintable(page.pendingText()));
        QTest::qWait(1500); // the writer keeps trying meanwhile
        QCOMPARE(session->pendingRatingWrites(), 3);

        QVERIFY(cluster(QStringLiteral("resume")));
        QTRY_COMPARE_WITH_TIMEOUT(session->pendingWrites(), 0, 30000);
        QVERIFY(!session->isOffline());
        QVERIFY(page.pendingText().isEmpty());
        {
            storage::Error oe;
            auto outbox = storage::RatingOutbox::open(session->outboxPath(), &oe);
            QVERIFY(outbox);
            QCOMPARE(outbox->count(study->path()), 0);
        }
        QCOMPARE(ownerCount(QStringLiteral("SELECT count(*) FROM response_rating")), 2);
        QCOMPARE(
            ownerCount(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(0))),
            5);
        QCOMPARE(
            ownerCount(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(1))),
            2);
        QCOMPARE(ownerCount(QStringLiteral("SELECT count(*) FROM category_label")), 1);
        // Each change exactly once in the audit log, attributed to ana by the server.
        QCOMPARE(ownerCount(QStringLiteral(
                     "SELECT count(*) FROM event WHERE action = 'rating.set' AND actor = 'ana'")),
            3);
        QCOMPARE(
            ownerCount(QStringLiteral("SELECT count(*) FROM event WHERE action = 'label.set'")), 1);
        // The chain the server's trigger wrote for ana checks out like a file's.
        {
            storage::Error ve;
            auto owner = storage::Study::open(uri(QStringLiteral("cr_admin")), &ve);
            QVERIFY2(owner, qPrintable(ve.message));
            storage::VerifyResult result;
            QVERIFY2(storage::verifyAuditLog(*owner, storage::VerifyScope::Full, &result, &ve),
                qPrintable(ve.message));
            QVERIFY2(result.ok, qPrintable(result.problem));
        }
        // The GUI thread's own connection is back too: the next write goes straight in.
        QVERIFY(session->setScore(responses.at(1), 3));
        QCOMPARE(session->pendingWrites(), 0);
    }

    void twoInstancesOfOneRaterShareTheOutboxThroughAServerRestart()
    {
        // Two app instances of ana on one machine (each its own connection), one outbox
        // file. The server dies while both rate; one instance quits meanwhile and a new
        // one starts. When the server is back every change is in it exactly once.
        const QString outbox = m_work.filePath(QStringLiteral("shared-outbox.sqlite"));
        storage::Error e;
        auto first = storage::Study::open(uri(QStringLiteral("ana")), &e);
        QVERIFY2(first, qPrintable(e.message));
        auto second = storage::Study::open(uri(QStringLiteral("ana")), &e);
        QVERIFY2(second, qPrintable(e.message));
        const auto ana = storage::RaterRepository(*first).byName(QStringLiteral("ana"));
        QVERIFY(ana);
        first->setActor(ana->name);
        second->setActor(ana->name);
        const qint64 eventsBefore = ownerCount(QStringLiteral(
            "SELECT count(*) FROM event WHERE action IN ('rating.set', 'label.set')"));
        auto pageA = std::make_unique<ui::RatingPage>();
        pageA->session()->setOutboxPath(outbox);
        pageA->start(first.get(), *ana);
        auto pageB = std::make_unique<ui::RatingPage>();
        pageB->session()->setOutboxPath(outbox);
        pageB->start(second.get(), *ana);
        QVERIFY(pageA->session()->currentAssignment());
        const QList<qint64> responses = pageA->session()->responseIds();
        QCOMPARE(responses.size(), 2);

        QVERIFY(cluster(QStringLiteral("pause")));
        QVERIFY(pageA->session()->setScore(responses.at(0), 1));
        QVERIFY(pageB->session()->setScore(responses.at(1), 5));
        QVERIFY(pageA->session()->setCategory(QStringLiteral("self-harm")));
        QVERIFY(pageA->session()->isOffline());
        QVERIFY(pageB->session()->isOffline());
        QCOMPARE(pageA->session()->pendingWrites(), 2);
        QCOMPARE(pageB->session()->pendingWrites(), 1);
        // B quits while the server is down and comes back: its own entry only.
        pageB.reset();
        second.reset();

        QVERIFY(cluster(QStringLiteral("resume")));
        second = storage::Study::open(uri(QStringLiteral("ana")), &e);
        QVERIFY2(second, qPrintable(e.message));
        second->setActor(ana->name);
        pageB = std::make_unique<ui::RatingPage>();
        pageB->session()->setOutboxPath(outbox);
        pageB->start(second.get(), *ana);
        QTRY_COMPARE_WITH_TIMEOUT(pageA->session()->pendingWrites(), 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(pageB->session()->pendingWrites(), 0, 30000);
        {
            storage::Error oe;
            auto box = storage::RatingOutbox::open(outbox, &oe);
            QVERIFY(box);
            QCOMPARE(box->count(first->path()), 0);
        }
        QCOMPARE(ownerCount(QStringLiteral(
                     "SELECT count(*) FROM event WHERE action IN ('rating.set', 'label.set')")),
            eventsBefore + 3);
        QCOMPARE(
            ownerCount(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(0))),
            1);
        QCOMPARE(
            ownerCount(QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1")
                           .arg(responses.at(1))),
            5);
        pageA.reset();
        pageB.reset();
    }
};

QTEST_MAIN(TestPgOutbox)
#include "tst_pgoutbox.moc"
