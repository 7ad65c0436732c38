// The researcher's window refreshes live while others write to the server study (issue
// 17 item 4), against the shared test cluster: a MainWindow (offscreen) opens the study
// as a researcher login, a rater writes ratings through a connection of their own (on
// another thread, as another app instance would), and the overview's and the
// dashboard's figures change within a bounded wait. A QTimer heartbeat on the GUI
// thread measures the longest the window went without processing events meanwhile
// (logged; asserted only against a generous bound), and the dashboard's statistics are
// computed on its job runner's worker thread, never the GUI thread.

#include "pgtesthelpers.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"
#include "ui/studypage.h"
#include "widgets/stattile.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <thread>

using namespace cr;

namespace {

/// The longest gap between two ticks of a 10 ms timer on the GUI thread.
class Heartbeat final : public QObject {
public:
    Heartbeat()
    {
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_longest = std::max(m_longest, m_clock.restart());
            ++m_ticks;
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 longest() const { return m_longest; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
    int m_ticks = 0;
};

/// `score` by `rater` of one of their assigned responses (the `index`-th), written by
/// a connection of its own on another thread; false with `why` on failure.
bool rateElsewhere(const QString &uri, const QString &rater, int index, int score, QString *why)
{
    bool ok = false;
    std::atomic<bool> done { false };
    std::thread writer([&] {
        const auto finish = qScopeGuard([&] { done = true; });
        storage::Error e;
        auto study = storage::Study::open(uri, &e);
        if (!study) {
            *why = e.message;
            return;
        }
        const auto me = storage::RaterRepository(*study).byName(rater);
        if (!me) {
            *why = QStringLiteral("no rater ") + rater;
            return;
        }
        study->setActor(me->name);
        QSqlQuery q(study->database());
        if (!q.exec(QStringLiteral("SELECT id FROM my_response ORDER BY id")) || !q.seek(index)) {
            *why = QStringLiteral("no response %1 for %2").arg(index).arg(rater);
            return;
        }
        storage::ResponseRating rating;
        rating.responseId = q.value(0).toLongLong();
        rating.raterId = me->id;
        rating.score = score;
        q.finish();
        ok = storage::RatingRepository(*study).setResponseRating(rating, &e);
        if (!ok)
            *why = e.message;
    });
    // The GUI thread keeps processing events while the other "instance" writes.
    if (!QTest::qWaitFor([&] { return done.load(); }, 60000))
        qWarning("the writer thread did not finish within 60 s");
    writer.join();
    return ok;
}

QString tileValue(QWidget *page, const QString &caption)
{
    for (widgets::StatTile *tile : page->findChildren<widgets::StatTile *>())
        if (tile->caption() == caption)
            return tile->value();
    return QStringLiteral("(no tile %1)").arg(caption);
}

int scoresOnDashboard(const ui::DashboardPage *dashboard)
{
    if (!dashboard->document())
        return -1;
    int n = 0;
    for (const stats::ScoreDistribution &d : dashboard->document()->scoreDistribution)
        for (int c : d.counts)
            n += c;
    return n;
}

} // namespace

class TestLiveWindow final : public QObject {
    Q_OBJECT

private:
    pgtest::Cluster m_pg;
    QTemporaryDir m_work;
    QString m_db;
    QString m_suffix;

    QString login(const QString &name) const { return name + m_suffix; }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_pg.isValid(), "no test cluster (CR_PG_DIR)");
        QVERIFY(m_work.isValid());
        m_suffix = QStringLiteral("-live-") + QString::number(QCoreApplication::applicationPid());
        m_db = QStringLiteral("live_") + QString::number(QCoreApplication::applicationPid());
        QVERIFY(m_pg.psql(QStringLiteral("postgres"),
            QStringLiteral("CREATE DATABASE %1 LOCALE 'C.UTF-8' TEMPLATE template0").arg(m_db)));

        // A local study (3 items x 2 models, two raters assigned every item), published.
        const QString items = m_work.filePath(QStringLiteral("items.jsonl"));
        QVERIFY(pgtest::writeItems(items, QStringLiteral("l"), 3));
        const QString local = m_work.filePath(QStringLiteral("local.crisis"));
        QCOMPARE(m_pg.app({ QStringLiteral("init"), local }), 0);
        QCOMPARE(m_pg.app({ QStringLiteral("import"), local, items }), 0);
        for (const QString &rater : { login(QStringLiteral("r1")), login(QStringLiteral("r2")) })
            QCOMPARE(m_pg.app({ QStringLiteral("rater"), QStringLiteral("add"), local, rater }), 0);
        QCOMPARE(m_pg.app({ QStringLiteral("assign"), local, QStringLiteral("--raters"),
                     login(QStringLiteral("r1")) + QLatin1Char(',') + login(QStringLiteral("r2")),
                     QStringLiteral("--per-item"), QStringLiteral("2") }),
            0);
        const QString admin = m_pg.uri(QStringLiteral("cr_admin"), m_db);
        QCOMPARE(m_pg.app({ QStringLiteral("publish"), local, admin }), 0);

        // Logins: the researcher and the two raters, their passwords in this process's
        // ~/.pgpass-style file (as each person's own machine would have it).
        const QString passfile = m_work.filePath(QStringLiteral("pgpass"));
        QFile pass(passfile);
        QVERIFY(pass.open(QIODevice::WriteOnly));
        const QList<std::pair<QString, QString>> people = {
            { QStringLiteral("lead"), QStringLiteral("researcher") },
            { QStringLiteral("r1"), QStringLiteral("rater") },
            { QStringLiteral("r2"), QStringLiteral("rater") },
        };
        for (const auto &[name, role] : people) {
            const QString password = name + QStringLiteral("-password-for-tests");
            const QString passwordFile = m_work.filePath(name + QStringLiteral(".pass"));
            QFile f(passwordFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(password.toUtf8() + '\n');
            f.close();
            QCOMPARE(m_pg.app({ QStringLiteral("server"), QStringLiteral("add-person"), admin,
                         login(name), QStringLiteral("--role"), role,
                         QStringLiteral("--password-file"), passwordFile }),
                0);
            pass.write(QStringLiteral("127.0.0.1:%1:%2:%3:%4\n")
                           .arg(m_pg.port, m_db, login(name), password)
                           .toUtf8());
        }
        pass.close();
        QFile::setPermissions(passfile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        qputenv("PGPASSFILE", passfile.toLocal8Bit());
        qunsetenv("PGPASSWORD");
    }

    void cleanupTestCase()
    {
        m_pg.psql(QStringLiteral("postgres"),
            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_db));
        m_pg.dropRoles(m_db,
            { login(QStringLiteral("lead")), login(QStringLiteral("r1")),
                login(QStringLiteral("r2")) });
    }

    void theOverviewAndTheDashboardFollowOthersWritesWithoutFreezing()
    {
        ui::MainWindow window;
        window.resize(1280, 860);
        window.show();
        storage::Error e;
        QVERIFY2(window.openStudy(m_pg.uri(login(QStringLiteral("lead")), m_db), &e),
            qPrintable(e.message));
        QCOMPARE(window.currentPage(), ui::MainWindow::Page::Study);
        QWidget *overview = window.studyPage();
        QVERIFY(overview);
        QCOMPARE(tileValue(overview, QStringLiteral("Scores")), QStringLiteral("0"));

        // Rater 1 scores a response in another "instance": the overview shows it.
        Heartbeat heartbeat;
        QElapsedTimer clock;
        clock.start();
        QString why;
        QVERIFY2(rateElsewhere(m_pg.uri(login(QStringLiteral("r1")), m_db),
                     login(QStringLiteral("r1")), 0, 4, &why),
            qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(
            tileValue(overview, QStringLiteral("Scores")), QStringLiteral("1"), 20000);
        const qint64 overviewMs = clock.elapsed();

        // The dashboard: its first computation, then rater 2's score arrives live.
        window.showPage(ui::MainWindow::Page::Dashboard);
        ui::DashboardPage *dashboard = window.dashboardPage();
        QVERIFY(dashboard);
        QTRY_VERIFY_WITH_TIMEOUT(dashboard->document() && !dashboard->isComputing(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(scoresOnDashboard(dashboard), 1, 20000);
        clock.restart();
        QVERIFY2(rateElsewhere(m_pg.uri(login(QStringLiteral("r2")), m_db),
                     login(QStringLiteral("r2")), 0, 2, &why),
            qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(scoresOnDashboard(dashboard), 2, 30000);
        const qint64 dashboardMs = clock.elapsed();
        // The statistics were computed on the job runner's worker, not the GUI thread.
        QVERIFY(dashboard->lastWorkerThread());
        QVERIFY(dashboard->lastWorkerThread() != QThread::currentThread());

        qInfo("live refresh: overview after %lld ms, dashboard after %lld ms; longest GUI "
              "thread stall %lld ms over %d heartbeats (10 ms timer)",
            overviewMs, dashboardMs, heartbeat.longest(), heartbeat.ticks());
        // Not a timing assertion (the machine may be loaded): only that the window never
        // stopped processing events for long.
        QVERIFY2(heartbeat.longest() < 3000, qPrintable(QString::number(heartbeat.longest())));
        window.close();
    }
};

QTEST_MAIN(TestLiveWindow)
#include "tst_livewindow.moc"
