#include "ui/settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using cr::ui::Settings;
using cr::ui::SettingValue;

class TestSettings : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CrisisReviewTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings"));
    }
    void init() { QSettings().clear(); }
    void cleanupTestCase() { QSettings().clear(); }

    void defaultsBeforeAnythingIsStored()
    {
        const Settings s;
        QCOMPARE(s.lastStudy.value(), QString());
        QCOMPARE(s.lastRater.value(), QString());
        QCOMPARE(s.contentNoteAcknowledged.value(), false);
        QCOMPARE(s.blurText.value(), false);
        QCOMPARE(s.breakAfterItems.value(), 25);
        QCOMPARE(s.breakAfterMinutes.value(), 45);
        QVERIFY(s.mainWindowGeometry.value().isEmpty());
        QVERIFY(s.recentStudies().isEmpty());
        QVERIFY(!s.lastStudy.isSet());
    }

    void valuesRoundTripThroughQSettings()
    {
        {
            Settings s;
            s.lastStudy = QStringLiteral("/data/pilot.crisis");
            s.lastRater = QStringLiteral("dr-okafor");
            s.contentNoteAcknowledged = true;
            s.blurText = true;
            s.mainWindowGeometry = QByteArray("\x01\x02geometry", 10);
            s.mainWindowState = QByteArray("state");
        }
        QSettings().sync();
        const Settings again; // a fresh facade reads what the first one wrote
        QCOMPARE(again.lastStudy.value(), QStringLiteral("/data/pilot.crisis"));
        QCOMPARE(QString(again.lastRater), QStringLiteral("dr-okafor"));
        QCOMPARE(again.contentNoteAcknowledged.value(), true);
        QCOMPARE(again.blurText.value(), true);
        QCOMPARE(again.mainWindowGeometry.value(), QByteArray("\x01\x02geometry", 10));
        QCOMPARE(again.mainWindowState.value(), QByteArray("state"));

        Settings reset;
        reset.lastStudy.reset();
        QVERIFY(!Settings().lastStudy.isSet());
        QCOMPARE(Settings().lastStudy.value(), QString());
    }

    void settingValueUsesItsDefault()
    {
        SettingValue<int> number(QStringLiteral("Test/number"), 42);
        QCOMPARE(number.value(), 42);
        number = 7;
        QCOMPARE(SettingValue<int>(QStringLiteral("Test/number"), 42).value(), 7);
        QCOMPARE(number.key(), QStringLiteral("Test/number"));
    }

    void recentStudiesAreMostRecentFirstWithoutDuplicates()
    {
        Settings s;
        s.addRecentStudy(QStringLiteral("/a/one.crisis"));
        s.addRecentStudy(QStringLiteral("/a/two.crisis"));
        s.addRecentStudy(QStringLiteral("/a/one.crisis"));
        QCOMPARE(s.recentStudies(),
            (QStringList { QStringLiteral("/a/one.crisis"), QStringLiteral("/a/two.crisis") }));
        s.addRecentStudy(QStringLiteral("/a/../a/two.crisis")); // same file, other spelling
        QCOMPARE(s.recentStudies(),
            (QStringList { QStringLiteral("/a/two.crisis"), QStringLiteral("/a/one.crisis") }));
        s.removeRecentStudy(QStringLiteral("/a/two.crisis"));
        QCOMPARE(Settings().recentStudies(), QStringList { QStringLiteral("/a/one.crisis") });
        s.clearRecentStudies();
        QVERIFY(Settings().recentStudies().isEmpty());
    }

    void recentStudiesKeepAtMostTen()
    {
        Settings s;
        for (int i = 0; i < 14; ++i)
            s.addRecentStudy(QStringLiteral("/s/%1.crisis").arg(i));
        const QStringList recent = Settings().recentStudies();
        QCOMPARE(recent.size(), Settings::maxRecentStudies);
        QCOMPARE(recent.first(), QStringLiteral("/s/13.crisis"));
        QCOMPARE(recent.last(), QStringLiteral("/s/4.crisis"));
    }

    void relativePathsAreStoredAbsolute()
    {
        Settings s;
        s.addRecentStudy(QStringLiteral("relative.crisis"));
        QCOMPARE(s.recentStudies().first(),
            QDir::current().absoluteFilePath(QStringLiteral("relative.crisis")));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
