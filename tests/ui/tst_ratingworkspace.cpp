// Keyboard-only rating through the main window: label, score, undo/redo, navigate, resume.

#include "storage/repositories.h"
#include "teststudy.h"
#include "ui/mainwindow.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/settings.h"
#include "widgets/categorypicker.h"
#include "widgets/likertselector.h"
#include "widgets/protocolpanel.h"
#include "widgets/responsecard.h"
#include "widgets/responsenotes.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using cr::ui::MainWindow;
using cr::ui::RatingPage;
namespace storage = cr::storage;

namespace {

/// The score selectors of the visible cards, in display order.
QList<cr::widgets::LikertSelector *> selectors(const RatingPage &page)
{
    QList<cr::widgets::ResponseCard *> cards;
    for (auto *card : page.findChildren<cr::widgets::ResponseCard *>())
        if (card->isVisibleTo(const_cast<RatingPage *>(&page)))
            cards.append(card);
    std::sort(cards.begin(), cards.end(), [](auto *a, auto *b) { return a->y() < b->y(); });
    QList<cr::widgets::LikertSelector *> out;
    for (auto *card : cards)
        out.append(qobject_cast<cr::widgets::LikertSelector *>(card->footer()));
    return out;
}

} // namespace

class TestRatingWorkspace : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY(crtest::createStudy(m_dir.path(), 6, &m_path));
    }
    void cleanupTestCase() { QSettings().clear(); }

    void keyboardOnlyRatingUndoNavigateAndResume()
    {
        qint64 anaId = 0;
        {
            MainWindow window;
            window.resize(1366, 768);
            QVERIFY(window.openStudy(m_path));
            QVERIFY(window.signIn(QStringLiteral("ana")));
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            RatingPage *page = window.ratingPage();
            storage::Study &study = *window.study();
            anaId = page->raterId();
            const storage::RatingRepository ratings(study);
            QCOMPARE(page->currentIndex(), 0);

            const auto score = [&](qint64 response) {
                const auto r = ratings.responseRating(response, anaId);
                return r ? (r->cannotAssess ? 0 : r->score.value_or(-2)) : -1;
            };

            // Item 1: category S, then 3, 4 and numpad 5 along the responses.
            const QList<qint64> first = page->shownResponseIds();
            QCOMPARE(first.size(), 3);
            QCOMPARE(page->currentResponse(), 0);
            QTest::keyClick(&window, Qt::Key_S);
            QTest::keyClick(&window, Qt::Key_3);
            QCOMPARE(page->currentResponse(), 1);
            QTest::keyClick(&window, Qt::Key_4);
            QTest::keyClick(&window, Qt::Key_5, Qt::KeypadModifier);
            const qint64 item1 = page->session()->currentItemId();
            QCOMPARE(
                ratings.categoryLabel(item1, anaId)->category, QStringLiteral("suicidal_ideation"));
            QCOMPARE(score(first.at(0)), 3);
            QCOMPARE(score(first.at(1)), 4);
            QCOMPARE(score(first.at(2)), 5);
            QVERIFY(ratings.responseRating(first.at(0), anaId)->secondsSpent.has_value());
            auto *panel = page->findChild<cr::widgets::ProtocolPanel *>();
            QCOMPARE(panel->categoryName(), QStringLiteral("Suicidal ideation"));
            QTest::keyClick(&window, Qt::Key_Return);
            QCOMPARE(page->currentIndex(), 1);
            QCOMPARE(storage::AssignmentRepository(study).forRater(anaId).at(0).status,
                QStringLiteral("done"));

            // Item 2: H, then J/K move between responses, 0 = cannot assess.
            const QList<qint64> second = page->shownResponseIds();
            QTest::keyClick(&window, Qt::Key_H);
            QTest::keyClick(&window, Qt::Key_J);
            QCOMPARE(page->currentResponse(), 1);
            QTest::keyClick(&window, Qt::Key_K);
            QCOMPARE(page->currentResponse(), 0);
            QTest::keyClick(&window, Qt::Key_Tab);
            QCOMPARE(page->currentResponse(), 1);
            QTest::keyClick(&window, Qt::Key_Tab, Qt::ShiftModifier);
            QCOMPARE(page->currentResponse(), 0);
            QTest::keyClick(&window, Qt::Key_1);
            QTest::keyClick(&window, Qt::Key_0, Qt::KeypadModifier);
            QTest::keyClick(&window, Qt::Key_2);
            QCOMPARE(score(second.at(0)), 1);
            QCOMPARE(score(second.at(1)), 0);
            QCOMPARE(score(second.at(2)), 2);
            QTest::keyClick(&window, Qt::Key_Enter, Qt::KeypadModifier);
            QCOMPARE(page->currentIndex(), 2);

            // Item 3: N, 5 5 5.
            const QList<qint64> third = page->shownResponseIds();
            const qint64 item3 = page->session()->currentItemId();
            QTest::keyClick(&window, Qt::Key_N);
            for (int i = 0; i < 3; ++i)
                QTest::keyClick(&window, Qt::Key_5);
            QCOMPARE(score(third.at(0)), 5);
            QCOMPARE(score(third.at(2)), 5);
            QCOMPARE(ratings.categoryLabel(item3, anaId)->category, QStringLiteral("no_crisis"));
            QTest::keyClick(&window, Qt::Key_Return);
            QCOMPARE(page->currentIndex(), 3);

            // Undo (Ctrl+Z) reverts the stored value and shows the item it changed.
            const qint64 events = storage::EventLog(study).count();
            QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
            QCOMPARE(page->currentIndex(), 2);
            QCOMPARE(score(third.at(2)), -1);
            QVERIFY(storage::EventLog(study).count() > events);
            QCOMPARE(selectors(*page).at(2)->value(), cr::widgets::LikertSelector::NoValue);
            QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
            QCOMPARE(score(third.at(2)), 5);
            QCOMPARE(selectors(*page).at(2)->value(), 5);

            // Changing a value, then undo: the previous stored value comes back.
            page->setCurrentResponse(0);
            QTest::keyClick(&window, Qt::Key_2);
            QCOMPARE(score(third.at(0)), 2);
            QCOMPARE(panel->highlightedLevel(), 2);
            QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
            QCOMPARE(score(third.at(0)), 5);
            QCOMPARE(selectors(*page).at(0)->value(), 5);
            QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
            QCOMPARE(score(third.at(0)), 2);

            // Back (Backspace, PgUp): stored values are shown.
            QTest::keyClick(&window, Qt::Key_Backspace);
            QCOMPARE(page->currentIndex(), 1);
            auto *picker = page->findChild<cr::widgets::CategoryPicker *>();
            QCOMPARE(picker->category(), QStringLiteral("self-harm"));
            QList<cr::widgets::LikertSelector *> shown = selectors(*page);
            QCOMPARE(shown.at(0)->value(), 1);
            QCOMPARE(shown.at(1)->value(), cr::widgets::LikertSelector::CannotAssess);
            QCOMPARE(shown.at(2)->value(), 2);
            QVERIFY(shown.at(0)->button(1)->isChecked());
            QTest::keyClick(&window, Qt::Key_PageUp);
            QCOMPARE(page->currentIndex(), 0);
            QCOMPARE(picker->category(), QStringLiteral("suicidal_ideation"));
            shown = selectors(*page);
            QCOMPARE(shown.at(0)->value(), 3);
            QCOMPARE(shown.at(2)->value(), 5);

            // Item 4: label only, flag it; Enter warns once before moving on.
            page->showItem(3);
            QTest::keyClick(&window, Qt::Key_V);
            QTest::keyClick(&window, Qt::Key_F);
            QVERIFY(storage::AssignmentRepository(study).forRater(anaId).at(3).flagged);
            QTest::keyClick(&window, Qt::Key_Return);
            QCOMPARE(page->currentIndex(), 3);
            QVERIFY(page->statusMessage().contains(QStringLiteral("Response A")));
            QTest::keyClick(&window, Qt::Key_Return);
            QCOMPARE(page->currentIndex(), 4);
            QCOMPARE(storage::AssignmentRepository(study).forRater(anaId).at(3).status,
                QStringLiteral("in_progress"));
        }

        // Reopen the study file: ana resumes at the first unfinished item (item 4).
        MainWindow again;
        QVERIFY(again.openStudy(m_path));
        QVERIFY(again.signIn(QStringLiteral("ana")));
        QCOMPARE(again.ratingPage()->currentIndex(), 3);
        const QList<cr::widgets::LikertSelector *> shown = selectors(*again.ratingPage());
        QCOMPARE(shown.size(), 3);
        QCOMPARE(shown.at(0)->value(), cr::widgets::LikertSelector::NoValue);
        QCOMPARE(again.ratingPage()->findChild<cr::widgets::CategoryPicker *>()->category(),
            QStringLiteral("violent_thoughts"));
        QVERIFY(again.ratingPage()->flagAction()->isChecked());
    }

    void clickOnlyAcknowledgesStoredValues()
    {
        MainWindow window;
        QVERIFY(window.openStudy(m_path));
        QVERIFY(window.signIn(QStringLiteral("ana")));
        window.show();
        RatingPage *page = window.ratingPage();
        page->showItem(5);
        auto *selector = selectors(*page).at(1);
        QTest::mouseClick(selector->button(4), Qt::LeftButton);
        const qint64 response = page->shownResponseIds().at(1);
        QCOMPARE(storage::RatingRepository(*window.study())
                     .responseRating(response, page->raterId())
                     ->score,
            std::optional<int>(4));
        QCOMPARE(selector->value(), 4);
        QCOMPARE(page->currentResponse(), 2);

        // Undo only reaches ratings on the rating page (a rater has no overview: the
        // welcome page stands in for "another page").
        QVERIFY(window.undoAction()->isEnabled());
        window.showPage(MainWindow::Page::Study);
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        window.showPage(MainWindow::Page::Welcome);
        QVERIFY(!window.undoAction()->isEnabled());
        window.showPage(MainWindow::Page::Rating);
        QVERIFY(window.undoAction()->isEnabled());
    }

    void checklistAndRationaleAreStoredAndUndone()
    {
        QTemporaryDir dir;
        QString path;
        QVERIFY(crtest::createStudy(dir.path(), 3, &path));
        MainWindow window;
        window.resize(1366, 768);
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("ana")));
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        RatingPage *page = window.ratingPage();
        const storage::RatingRepository ratings(*window.study());
        const qint64 anaId = page->raterId();
        const qint64 response = page->shownResponseIds().at(0);
        cr::widgets::ResponseNotes *notes = page->notes(0);
        QVERIFY(notes);

        // Stored with the score: disabled until there is one.
        QVERIFY(!notes->isEditable());
        QVERIFY(!notes->rationaleEdit()->isEnabled());
        QTest::keyClick(&window, Qt::Key_S);
        QTest::keyClick(&window, Qt::Key_3);
        QVERIFY(notes->isEditable());
        // no_overreaction is for no crisis only.
        const auto ids = [&] {
            QStringList out;
            for (const auto &e : notes->entries())
                out << e.id;
            return out;
        };
        QVERIFY(ids().contains(QStringLiteral("empathy")));
        QVERIFY(!ids().contains(QStringLiteral("no_overreaction")));

        QTest::mouseClick(notes->checklistButton(), Qt::LeftButton);
        QVERIFY(notes->isChecklistExpanded());
        QCheckBox *empathy = nullptr;
        for (QCheckBox *box : notes->checkBoxes())
            if (box->property("checklistId").toString() == QLatin1String("empathy"))
                empathy = box;
        QVERIFY(empathy && empathy->isVisible());
        QTRY_VERIFY(empathy->height() >= empathy->sizeHint().height()); // laid out
        empathy->click(); // may be scrolled out of the responses column's view
        QCOMPARE(ratings.responseRating(response, anaId)->checklist,
            QStringList { QStringLiteral("empathy") });
        QVERIFY(empathy->isChecked());
        QCOMPARE(ratings.responseRating(response, anaId)->score, std::optional<int>(3));

        // Typing in the rationale never triggers the single-key shortcuts.
        QPlainTextEdit *edit = notes->rationaleEdit();
        edit->setFocus();
        QTRY_VERIFY(edit->hasFocus());
        QCOMPARE(page->currentResponse(), 0); // the card being annotated
        const int current = page->currentResponse();
        QTest::keyClicks(edit, QStringLiteral("Safe, kind. No 5 stars"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, QStringLiteral("SHADNFJK 0"));
        QCOMPARE(ratings.categoryLabel(page->session()->currentItemId(), anaId)->category,
            QStringLiteral("suicidal_ideation"));
        QCOMPARE(ratings.responseRating(response, anaId)->score, std::optional<int>(3));
        QCOMPARE(page->currentIndex(), 0);
        QCOMPARE(page->currentResponse(), current);
        const QString typed = QStringLiteral("Safe, kind. No 5 stars\nSHADNFJK 0");
        QCOMPARE(edit->toPlainText(), typed);
        // Escape saves it and returns to the card, where keys act again.
        QTest::keyClick(edit, Qt::Key_Escape);
        QVERIFY(!edit->hasFocus());
        QCOMPARE(ratings.responseRating(response, anaId)->rationale, typed);
        QCOMPARE(ratings.responseRating(response, anaId)->checklist,
            QStringList { QStringLiteral("empathy") });
        QTest::keyClick(&window, Qt::Key_H);
        QCOMPARE(ratings.categoryLabel(page->session()->currentItemId(), anaId)->category,
            QStringLiteral("self-harm"));

        // Undo: category, rationale, then the tick; each its own command.
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(ratings.responseRating(response, anaId)->rationale, QString());
        QCOMPARE(edit->toPlainText(), QString());
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(ratings.responseRating(response, anaId)->checklist, QStringList());
        QVERIFY(!empathy->isChecked());
        QCOMPARE(ratings.responseRating(response, anaId)->score, std::optional<int>(3));

        // The rationale is also saved after a short idle, without leaving the field.
        notes->setIdleMilliseconds(50);
        edit->setFocus();
        QTRY_VERIFY(edit->hasFocus());
        QTest::keyClicks(edit, QStringLiteral("later"));
        QTRY_COMPARE(ratings.responseRating(response, anaId)->rationale, QStringLiteral("later"));
        QVERIFY(edit->hasFocus());
    }

    void skipAndDistressingPauseAreStored()
    {
        QTemporaryDir dir;
        QString path;
        QVERIFY(crtest::createStudy(dir.path(), 4, &path));
        MainWindow window;
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("ana")));
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        RatingPage *page = window.ratingPage();
        storage::AssignmentRepository assignments(*window.study());
        const qint64 anaId = page->raterId();

        QCOMPARE(page->currentIndex(), 0);
        QTest::keyClick(&window, Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(page->currentIndex(), 1);
        QCOMPARE(assignments.forRater(anaId).at(0).status, QStringLiteral("skipped"));
        QVERIFY(!page->isOnBreak());

        // Distressing: skipped without penalty, counted, and a pause screen.
        QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier);
        QCOMPARE(page->currentIndex(), 2);
        QCOMPARE(assignments.forRater(anaId).at(1).status, QStringLiteral("skipped"));
        QCOMPARE(assignments.forRater(anaId).at(1).skipReason, QStringLiteral("distressing"));
        QCOMPARE(page->session()->distressingCount(), 1);
        QCOMPARE(page->session()->skippedCount(), 2);
        QVERIFY(page->isOnBreak());
        QTest::keyClick(&window, Qt::Key_3); // rating keys rest during the pause
        QVERIFY(!page->session()->rating(page->shownResponseIds().at(0)));
        auto *resume = page->findChild<QPushButton *>();
        for (QPushButton *b : page->findChildren<QPushButton *>())
            if (b->accessibleName() == QLatin1String("Resume rating"))
                resume = b;
        QVERIFY(resume && resume->isVisible());
        QTest::mouseClick(resume, Qt::LeftButton);
        QVERIFY(!page->isOnBreak());
        QTest::keyClick(&window, Qt::Key_3);
        QVERIFY(page->session()->rating(page->shownResponseIds().at(0)));
    }

    void breakReminderAfterNItems()
    {
        cr::ui::Settings().breakAfterItems = 2;
        QTemporaryDir dir;
        QString path;
        QVERIFY(crtest::createStudy(dir.path(), 5, &path));
        MainWindow window;
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("ana")));
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        RatingPage *page = window.ratingPage();
        // Enter twice moves on past an unrated item (one warning).
        QTest::keyClick(&window, Qt::Key_Return);
        QTest::keyClick(&window, Qt::Key_Return);
        QCOMPARE(page->currentIndex(), 1);
        QVERIFY(!page->isOnBreak());
        QTest::keyClick(&window, Qt::Key_Return);
        QTest::keyClick(&window, Qt::Key_Return);
        QCOMPARE(page->currentIndex(), 2);
        QVERIFY(page->isOnBreak());
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused && focused->accessibleName() == QLatin1String("Resume rating"));
        QTest::keyClick(focused, Qt::Key_Return);
        QVERIFY(!page->isOnBreak());
        QCOMPARE(page->currentIndex(), 2);
        QTest::keyClick(&window, Qt::Key_Return);
        QTest::keyClick(&window, Qt::Key_Return);
        QCOMPARE(page->currentIndex(), 3);
        QVERIFY(!page->isOnBreak()); // counted afresh after the break
        cr::ui::Settings().breakAfterItems.reset();
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_MAIN(TestRatingWorkspace)
#include "tst_ratingworkspace.moc"
