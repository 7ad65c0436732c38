// Help ▸ Keyboard Shortcuts and Help ▸ Protocol, the New Study dialog's protocol choice,
// the first window's size on small screens, and demo copies that never stay in the temp
// folder (issue 21).

#include "protocol/protocol.h"
#include "storage/study.h"
#include "ui/helpdialogs.h"
#include "ui/mainwindow.h"
#include "ui/newstudydialog.h"
#include "ui/settings.h"
#include "ui/studyfiles.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLockFile>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using cr::ui::MainWindow;

namespace {

/// The demo files in the temp folder: studies, their -wal/-shm companions and locks.
QStringList demoCopies()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
        .entryList({ QStringLiteral("crisis-review-demo-*") }, QDir::Files);
}

QMenu *helpMenu(MainWindow &window)
{
    for (QAction *a : window.menuBar()->actions())
        if (a->text() == QLatin1String("&Help"))
            return a->menu();
    return nullptr;
}

} // namespace

class TestHelpMenu : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // A temp folder of our own: other runs' demo copies are none of this test's business.
        QVERIFY(m_temp.isValid());
        qputenv("TMPDIR", QFile::encodeName(m_temp.path()));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void helpHasShortcutsAndProtocol()
    {
        MainWindow window;
        QMenu *help = helpMenu(window);
        QVERIFY(help);
        QStringList texts;
        for (QAction *a : help->actions())
            texts.append(a->text());
        QVERIFY2(
            texts.contains(QStringLiteral("&Keyboard Shortcuts")), qPrintable(texts.join(u'|')));
        QVERIFY(texts.contains(QStringLiteral("&Protocol…")));
        QVERIFY(texts.contains(QStringLiteral("&About Crisis Review")));

        cr::ui::KeyboardShortcutsDialog *keys = window.showKeyboardShortcuts();
        QVERIFY(keys);
        const QString text = keys->plainText();
        for (const char *expected : { "Ctrl+Enter", "Ctrl+P", "Cannot assess", "Next disagreement",
                 "Ctrl+O" }) // the last from the File menu's Open…
            QVERIFY2(text.contains(QLatin1String(expected)), expected);
        keys->close();
    }

    void protocolViewerShowsAndSearches()
    {
        const cr::protocol::Protocol p = cr::protocol::defaultProtocol();
        cr::ui::ProtocolViewerDialog viewer(p);
        const QString text = viewer.plainText();
        for (const cr::protocol::Category &c : p.categories) {
            QVERIFY2(text.contains(c.name), qPrintable(c.name));
            QVERIFY(text.contains(c.description.left(40)));
            for (const QString &anchor : c.anchors)
                QVERIFY(text.contains(anchor.left(40)));
        }
        for (const cr::protocol::ChecklistItem &item : p.checklist)
            QVERIFY(text.contains(item.text.left(40)));
        for (const cr::protocol::FailureMode &m : p.failureModes)
            QVERIFY(text.contains(m.name));
        // Read-only, searchable.
        const QString word = p.categories.first().name;
        QVERIFY(viewer.search(word) >= 1);
        QCOMPARE(viewer.search(QStringLiteral("zzz-not-in-any-protocol")), 0);
        viewer.searchField()->setText(word.toLower());
        QVERIFY(viewer.search(word.toLower()) >= 1); // case-insensitive
    }

    void newStudyDialogOffersAProtocolFile()
    {
        QTemporaryDir dir;
        cr::ui::NewStudyDialog dialog(dir.path());
        // No literal "&File:" anywhere: the labels carry buddies.
        for (const QLabel *l : dialog.findChildren<QLabel *>())
            if (l->text().contains(u'&'))
                QVERIFY2(l->buddy(), qPrintable(l->text()));
        QCOMPARE(dialog.protocolChoice()->count(), 2);
        QVERIFY(dialog.protocol().has_value()); // the bundled default
        QCOMPARE(*dialog.protocol(), cr::protocol::defaultProtocol());
        dialog.protocolChoice()->setCurrentIndex(1);
        QString problem;
        QVERIFY(!dialog.protocol(&problem));
        QVERIFY(!problem.isEmpty());
        cr::protocol::Protocol own = cr::protocol::defaultProtocol();
        own.name = QStringLiteral("Our lab's protocol");
        const QString file = QDir(dir.path()).filePath(QStringLiteral("ours.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(own.toJson());
        f.close();
        dialog.protocolPathEdit()->setText(file);
        const auto chosen = dialog.protocol(&problem);
        QVERIFY2(chosen, qPrintable(problem));
        QCOMPARE(chosen->name, own.name);
    }

    void firstWindowFitsSmallScreens()
    {
        for (const QSize screen : { QSize(1280, 720), QSize(1366, 768) }) {
            const QRect available(QPoint(0, 0), screen - QSize(0, 32)); // a panel
            const QRect r =
                MainWindow::clampedWindowGeometry(QRect(100, 100, 1280, 800), available);
            QVERIFY(available.contains(r));
            QVERIFY(r.top() >= available.top() + 24); // the title bar above it fits too
            QVERIFY(r.width() >= 1000);
        }
        // Already fits: left alone.
        const QRect small(50, 60, 900, 600);
        QCOMPARE(MainWindow::clampedWindowGeometry(small, QRect(0, 0, 1920, 1080)), small);
    }

    void demoCopyIsRemovedOnCloseAndStaleOnesAreCleaned()
    {
        QVERIFY(demoCopies().isEmpty());
        {
            MainWindow window;
            QVERIFY(window.openDemoStudy());
            const QString path = window.study()->path();
            QVERIFY(QFileInfo::exists(path));
            QVERIFY(QFileInfo::exists(cr::ui::demoLockPath(path)));
            window.closeStudy();
            QVERIFY(!QFileInfo::exists(path));
            QVERIFY2(demoCopies().isEmpty(), qPrintable(demoCopies().join(u' ')));
            QVERIFY(window.openDemoStudy());
            QCOMPARE(demoCopies().filter(QStringLiteral(".lock")).size(), 1); // its lock
        }
        QVERIFY2(demoCopies().isEmpty(), qPrintable(demoCopies().join(u' '))); // window gone

        // Left by a crashed run: an old unlocked copy goes; one a live app holds stays.
        const QDir temp(QStandardPaths::writableLocation(QStandardPaths::TempLocation));
        const QString old =
            temp.filePath(QStringLiteral("crisis-review-demo-20200101-000000-000.crisis"));
        const QString held =
            temp.filePath(QStringLiteral("crisis-review-demo-20200101-000000-001.crisis"));
        for (const QString &p : { old, held }) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("x");
            f.close();
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(
                QDateTime::currentDateTime().addDays(-2), QFileDevice::FileModificationTime));
            f.close();
        }
        QLockFile lock(cr::ui::demoLockPath(held));
        QVERIFY(lock.tryLock(0));
        QCOMPARE(cr::ui::removeStaleDemoStudies(), 1);
        QVERIFY(!QFileInfo::exists(old));
        QVERIFY(QFileInfo::exists(held));
        lock.unlock();
        QFile::remove(held);
    }

    void welcomeScreenUnlessReopeningIsChosen()
    {
        // README: "GUI (welcome screen without STUDY)": reopening the last study is a choice.
        QVERIFY(!cr::ui::Settings().reopenLastStudy);
        MainWindow window;
        QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
    }

private:
    QTemporaryDir m_temp;
};

QTEST_MAIN(TestHelpMenu)
#include "tst_helpmenu.moc"
