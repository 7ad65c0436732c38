// Live refresh (issue 17 item 4): a window's StudyWatcher says when another connection
// (another app instance) wrote to the study, once per burst, without the window waiting.
// On a file it polls; on a server it listens (tests/pg covers LISTEN/NOTIFY).

#include "storage/repositories.h"
#include "storage/study.h"
#include "teststudy.h"
#include "ui/studywatcher.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

class TestStudyWatcher final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void anotherConnectionsWriteIsSeenOncePerBurst()
    {
        QTemporaryDir dir;
        QString path;
        auto study = crtest::createStudy(dir.path(), 3, &path);
        QVERIFY(study);
        ui::StudyWatcher watcher(study.get());
        QVERIFY(!watcher.isListening()); // a file is polled
        watcher.setPollInterval(50);
        watcher.setDebounce(1500);
        QSignalSpy changed(&watcher, &ui::StudyWatcher::changed);
        QTest::qWait(300);
        QCOMPARE(changed.size(), 0); // nothing happened

        storage::Error e;
        auto other = storage::Study::open(path, &e); // another app instance
        QVERIFY2(other, qPrintable(e.message));
        const auto ana = storage::RaterRepository(*other).byName(QStringLiteral("ana"));
        QVERIFY(ana);
        const auto responses = storage::ItemRepository(*other).ids();
        QVERIFY(!responses.isEmpty());
        for (int i = 0; i < 3; ++i) {
            storage::CategoryLabel label { responses.at(i), ana->id, QStringLiteral("self-harm"),
                {} };
            QVERIFY2(storage::RatingRepository(*other).setCategoryLabel(label, &e),
                qPrintable(e.message));
        }
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
        QTest::qWait(500);
        QCOMPARE(changed.size(), 1); // one refresh for the burst
    }
};

QTEST_MAIN(TestStudyWatcher)
#include "tst_studywatcher.moc"
