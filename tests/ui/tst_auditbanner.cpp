// The main window's warning on a study whose audit log was changed behind the app's
// back (issue 20, item 1), offscreen.

#include "storage/demo.h"
#include "storage/schema.h"
#include "tests/storage/testutil.h"
#include "teststudy.h"
#include "ui/auditbanner.h"
#include "ui/mainwindow.h"

#include <QAbstractButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

class TestAuditBanner final : public QObject {
    Q_OBJECT

private:
    QString makeStudy(QTemporaryDir &dir)
    {
        const QString path = dir.filePath(QStringLiteral("s.crisis"));
        storage::Error e;
        auto study = storage::createDemoStudy(path, &e);
        if (!study)
            qWarning("%s", qPrintable(e.message));
        return path;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void cleanFileShowsNoBannerAndRecordsTheCheck()
    {
        QTemporaryDir dir;
        const QString path = makeStudy(dir);
        ui::MainWindow window;
        window.show();
        auto *banner = window.findChild<ui::AuditBanner *>();
        QVERIFY(banner);
        QSignalSpy checked(banner, &ui::AuditBanner::checked);
        QVERIFY(window.openStudy(path));
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, 10000);
        QCOMPARE(checked.at(0).at(0).toBool(), true);
        QVERIFY(banner->isHidden());
        test::RawDb raw(path);
        QVERIFY(raw.scalar(QStringLiteral("SELECT value FROM meta WHERE key = 'audit_verified'"))
                    .toString()
                    .startsWith(raw.scalar(QStringLiteral("SELECT max(id) FROM event")).toString()
                        + QLatin1Char(' ')));
    }

    void tamperedFileShowsAPersistentBanner()
    {
        QTemporaryDir dir;
        const QString path = makeStudy(dir);
        {
            test::RawDb raw(path);
            QSqlQuery q(raw.db());
            QString trigger;
            for (const QString &sql : storage::schema::eventTriggerSql())
                if (sql.contains(QLatin1String("event_append_only_update")))
                    trigger = sql;
            QVERIFY(q.exec(QStringLiteral("DROP TRIGGER event_append_only_update")));
            QVERIFY(q.exec(QStringLiteral("UPDATE event SET actor = 'x' WHERE id = 4")));
            QVERIFY(q.exec(trigger));
        }
        ui::MainWindow window;
        window.show();
        auto *banner = window.findChild<ui::AuditBanner *>();
        QVERIFY(banner);
        QVERIFY(window.openStudy(path));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), 10000);
        QVERIFY2(banner->text().contains(QLatin1String("broken at event #4")),
            qPrintable(banner->text()));
        QVERIFY(banner->isVisible());
        // No way to dismiss it: no visible button on it.
        for (const QAbstractButton *b : banner->findChildren<QAbstractButton *>())
            QVERIFY(b->isHidden());
        // It stays while the study is open, whatever page is shown.
        QTest::qWait(200);
        QVERIFY(banner->isVisible());
    }
};

QTEST_MAIN(TestAuditBanner)
#include "tst_auditbanner.moc"
