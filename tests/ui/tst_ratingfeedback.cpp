// What the rating page says back (issue 21): the "not rated yet" warning follows what is
// missing, plurals are spelt right, undo names the response and returns to it, and the
// checklist starts closed on every item unless pinned open (remembered).

#include "teststudy.h"
#include "ui/mainwindow.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/settings.h"
#include "widgets/responsecard.h"
#include "widgets/responsenotes.h"

#include <QAction>
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using cr::ui::MainWindow;
using cr::ui::RatingPage;

class TestRatingFeedback : public QObject {
    Q_OBJECT
    /// Opens the study in `window` signed in as ana (all items assigned), shown.
    bool rateAsAna(MainWindow &window)
    {
        if (!window.openStudy(m_path) || !window.signIn(QStringLiteral("ana")))
            return false;
        window.show();
        return QTest::qWaitForWindowActive(&window);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY(crtest::createStudy(m_dir.path(), 6, &m_path));
    }
    void cleanupTestCase() { QSettings().clear(); }

    void warningFollowsWhatIsMissing()
    {
        MainWindow window;
        QVERIFY(rateAsAna(window));
        RatingPage *page = window.ratingPage();
        QTest::keyClick(&window, Qt::Key_Return);
        QVERIFY2(
            page->statusMessage().contains(u"Not rated yet"), qPrintable(page->statusMessage()));
        QVERIFY(page->statusMessage().contains(u"Response B"));
        QTest::keyClick(&window, Qt::Key_S); // the category
        QTest::keyClick(&window, Qt::Key_3);
        QVERIFY(!page->statusMessage().contains(u"Response A"));
        QVERIFY(page->statusMessage().contains(u"Response B"));
        QTest::keyClick(&window, Qt::Key_4);
        QTest::keyClick(&window, Qt::Key_5);
        // All scored: the warning is gone, not left saying "Press Enter again".
        QVERIFY2(
            !page->statusMessage().contains(u"Not rated yet"), qPrintable(page->statusMessage()));
        QVERIFY(!page->statusMessage().contains(u"Press Enter again"));
        QTest::keyClick(&window, Qt::Key_Return);
        QCOMPARE(page->currentIndex(), 1);
    }

    void undoNamesTheResponseAndReturnsToIt()
    {
        MainWindow window;
        window.resize(1366, 768);
        QVERIFY(rateAsAna(window));
        RatingPage *page = window.ratingPage();
        QUndoStack *stack = page->session()->undoStack();
        QCOMPARE(page->currentResponse(), 0);
        QTest::keyClick(&window, Qt::Key_J);
        QCOMPARE(page->currentResponse(), 1);
        QTest::keyClick(&window, Qt::Key_1); // Response B scored 1, on to C
        QCOMPARE(page->currentResponse(), 2);
        QCOMPARE(stack->undoText(), QStringLiteral("score 1 for Response B"));
        QAction *undo = nullptr;
        for (QAction *a : window.findChildren<QAction *>())
            if (a->text().startsWith(u"&Undo") || a->text().startsWith(u"Undo"))
                undo = a;
        QVERIFY(undo);
        QVERIFY2(undo->text().contains(u"score 1 for Response B"), qPrintable(undo->text()));
        undo->trigger();
        QCOMPARE(page->currentResponse(), 1); // back on Response B
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused);
        bool onB = false;
        for (QWidget *w = focused; w; w = w->parentWidget())
            if (auto *c = qobject_cast<cr::widgets::ResponseCard *>(w))
                onB = c->title() == u"Response B";
        QVERIFY2(onB, qPrintable(focused->objectName() + focused->accessibleName()));
    }

    void pluralsAreSpeltOut()
    {
        cr::ui::Settings().breakAfterItems = 1;
        MainWindow window;
        QVERIFY(rateAsAna(window));
        RatingPage *page = window.ratingPage();
        const int at = page->currentIndex();
        QTest::keyClick(&window, Qt::Key_Return);
        QTest::keyClick(&window, Qt::Key_Return);
        QCOMPARE(page->currentIndex(), at + 1);
        QVERIFY(page->isOnBreak());
        QCOMPARE(
            page->breakMessage(), QStringLiteral("You have rated 1 item. Time for a short break."));
        cr::ui::Settings().breakAfterItems.reset();
    }

    void checklistClosedOnEachItemUnlessPinned()
    {
        cr::ui::Settings().checklistPinned.reset();
        MainWindow window;
        QVERIFY(rateAsAna(window));
        RatingPage *page = window.ratingPage();
        cr::widgets::ResponseNotes *notes = page->notes(0);
        QVERIFY(notes);
        notes->setChecklistExpanded(true);
        QVERIFY(notes->pinButton()->isVisibleTo(&window));
        page->showNextItem();
        QVERIFY(!page->notes(0)->isChecklistExpanded()); // closed again on the next item
        // Pinned open: stays open from item to item, and is remembered.
        page->notes(0)->setChecklistExpanded(true);
        page->notes(0)->pinButton()->click();
        QVERIFY(cr::ui::Settings().checklistPinned);
        page->showNextItem();
        QVERIFY(page->notes(0)->isChecklistExpanded());
        QVERIFY(page->notes(1)->isChecklistExpanded());
        page->notes(0)->pinButton()->click(); // unpinned
        QVERIFY(!cr::ui::Settings().checklistPinned);
        page->showNextItem();
        QVERIFY(!page->notes(0)->isChecklistExpanded());
        cr::ui::Settings().checklistPinned.reset();
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_MAIN(TestRatingFeedback)
#include "tst_ratingfeedback.moc"
