// Alt+letter: no two menus or controls of one page share a mnemonic (issue 21: Alt+S opened
// the Study menu instead of "Start Rating", Alt+H jumped to a spin box instead of Help).

#include "storage/study.h"
#include "ui/mainwindow.h"
#include "ui/studyfiles.h"

#include <QAbstractButton>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using cr::ui::MainWindow;

namespace {

/// The mnemonic letter of a text ("&Start" → 's'; "&&" is a literal ampersand).
QChar mnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i;
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return {};
}

/// Letter → what uses it: the menu bar's menus and the shown page's buttons, labels with
/// a buddy and group boxes.
QMultiMap<QChar, QString> pageMnemonics(MainWindow &window)
{
    QMultiMap<QChar, QString> out;
    for (QAction *menu : window.menuBar()->actions())
        if (menu->isVisible() && !mnemonic(menu->text()).isNull())
            out.insert(mnemonic(menu->text()), QStringLiteral("menu ") + menu->text());
    QWidget *page = window.pageWidget(window.currentPage());
    for (QWidget *w : page->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(&window))
            continue;
        QString text;
        if (const auto *b = qobject_cast<QAbstractButton *>(w))
            text = b->text();
        else if (const auto *l = qobject_cast<QLabel *>(w); l && l->buddy())
            text = l->text();
        else if (const auto *g = qobject_cast<QGroupBox *>(w))
            text = g->title();
        if (const QChar m = mnemonic(text); !m.isNull())
            out.insert(m, text);
    }
    return out;
}

QString duplicates(const QMultiMap<QChar, QString> &used)
{
    QStringList out;
    for (const QChar key : used.uniqueKeys())
        if (used.count(key) > 1)
            out.append(
                QStringLiteral("Alt+%1: %2")
                    .arg(key.toUpper(), QStringList(used.values(key)).join(QStringLiteral(" | "))));
    return out.join(QLatin1Char('\n'));
}

/// Within one menu (and its submenus, each on its own) no letter twice.
QString menuDuplicates(const QMenu *menu)
{
    QMultiMap<QChar, QString> used;
    QStringList out;
    for (QAction *a : menu->actions()) {
        if (a->isSeparator() || !a->isVisible())
            continue;
        if (const QChar m = mnemonic(a->text()); !m.isNull())
            used.insert(m, a->text());
        if (a->menu())
            if (const QString inner = menuDuplicates(a->menu()); !inner.isEmpty())
                out.append(inner);
    }
    if (const QString here = duplicates(used); !here.isEmpty())
        out.append(menu->title() + QStringLiteral(": ") + here);
    return out.join(QLatin1Char('\n'));
}

QString allMenuDuplicates(MainWindow &window)
{
    QStringList out;
    for (QAction *a : window.menuBar()->actions())
        if (a->menu())
            if (const QString d = menuDuplicates(a->menu()); !d.isEmpty())
                out.append(d);
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestMnemonics : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void everyPageOfTheDemo_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("page");
        QTest::newRow("welcome") << QString() << int(MainWindow::Page::Welcome);
        QTest::newRow("overview") << QString() << int(MainWindow::Page::Study);
        QTest::newRow("dashboard") << QString() << int(MainWindow::Page::Dashboard);
        QTest::newRow("rating") << QStringLiteral("demo-clinician")
                                << int(MainWindow::Page::Rating);
        QTest::newRow("review") << QStringLiteral("lead-researcher")
                                << int(MainWindow::Page::Review);
    }
    void everyPageOfTheDemo()
    {
        QFETCH(QString, who);
        QFETCH(int, page);
        MainWindow window;
        window.resize(1366, 768);
        if (page != int(MainWindow::Page::Welcome)) {
            QVERIFY(window.openDemoStudy());
            if (!who.isEmpty())
                QVERIFY(window.signIn(who));
            else
                window.showPage(MainWindow::Page(page));
        }
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(int(window.currentPage()), page);
        const QMultiMap<QChar, QString> used = pageMnemonics(window);
        const QString clashes = duplicates(used);
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes));
        const QString inMenus = allMenuDuplicates(window);
        QVERIFY2(inMenus.isEmpty(), qPrintable(inMenus));
        if (page == int(MainWindow::Page::Study)) // the reported clash
            QVERIFY(used.values(QLatin1Char('s')).contains(QStringLiteral("&Start Rating")));
        QVERIFY(used.values(QLatin1Char('h')).contains(QStringLiteral("menu &Help")));
    }
};

QTEST_MAIN(TestMnemonics)
#include "tst_mnemonics.moc"
