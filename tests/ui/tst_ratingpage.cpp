#include "storage/exposure.h"
#include "storage/repositories.h"
#include "teststudy.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/settings.h"
#include "widgets/categorypicker.h"
#include "widgets/likertselector.h"
#include "widgets/messageview.h"
#include "widgets/protocolpanel.h"
#include "widgets/responsecard.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <cstdlib>

using cr::ui::RatingPage;
using cr::widgets::ResponseCard;

namespace {

QList<ResponseCard *> visibleCards(const RatingPage &page)
{
    QList<ResponseCard *> cards;
    for (ResponseCard *card : page.findChildren<ResponseCard *>())
        if (card->isVisibleTo(const_cast<RatingPage *>(&page)))
            cards.append(card);
    std::sort(cards.begin(), cards.end(),
        [](ResponseCard *a, ResponseCard *b) { return a->y() < b->y(); });
    return cards;
}

/// Every string a person (or a screen reader) could get from the page's widgets.
QStringList visibleStrings(const QWidget &page)
{
    QStringList out { page.accessibleName(), page.toolTip(), page.windowTitle() };
    for (const QWidget *w : page.findChildren<QWidget *>()) {
        out << w->accessibleName() << w->accessibleDescription() << w->toolTip() << w->statusTip()
            << w->whatsThis();
        if (const auto *label = qobject_cast<const QLabel *>(w))
            out << label->text();
        if (const auto *edit = qobject_cast<const QTextEdit *>(w))
            out << edit->toPlainText() << edit->toHtml() << edit->placeholderText();
        if (const auto *button = qobject_cast<const QAbstractButton *>(w))
            out << button->text();
    }
    for (const QAction *a : page.findChildren<QAction *>())
        out << a->text() << a->toolTip() << a->statusTip();
    return out;
}

} // namespace

class TestRatingPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QSettings().clear();
        m_study = crtest::createStudy(m_dir.path(), 4, &m_path);
        QVERIFY(m_study);
    }
    void cleanupTestCase() { QSettings().clear(); }

    void showsFirstAssignedItemWithLabelledResponses()
    {
        RatingPage page;
        QSignalSpy changed(&page, &RatingPage::currentItemChanged);
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        QVERIFY(ana);
        page.start(m_study.get(), *ana);
        QCOMPARE(page.itemCount(), 4);
        QCOMPARE(page.currentIndex(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toInt(), 0);
        QCOMPARE(changed.first().at(1).toInt(), 4);
        QCOMPARE(page.findChild<QLabel *>(QStringLiteral("itemPosition"))->text(),
            QStringLiteral("Item 1 of 4"));

        const auto assignments = cr::storage::AssignmentRepository(*m_study).forRater(ana->id);
        const auto item = cr::storage::ItemRepository(*m_study).item(assignments.first().itemId);
        QVERIFY(item);
        const auto *message = page.findChild<cr::widgets::MessageView *>();
        QVERIFY(message);
        QCOMPARE(message->turns(), item->turns);
        QVERIFY(message->toPlainText().contains(item->turns.last()));

        const QList<ResponseCard *> cards = visibleCards(page);
        QCOMPARE(cards.size(), 3);
        QCOMPARE(cards.at(0)->title(), QStringLiteral("Response A"));
        QCOMPARE(cards.at(1)->title(), QStringLiteral("Response B"));
        QCOMPARE(cards.at(2)->title(), QStringLiteral("Response C"));

        // The order on screen is the seeded shuffle of the stored order.
        const auto responses = cr::storage::ItemRepository(*m_study).responses(item->id);
        const QList<int> order =
            cr::storage::presentationOrder(int(responses.size()), assignments.first().seed);
        QList<qint64> expectedIds;
        for (int position = 0; position < order.size(); ++position) {
            QCOMPARE(cards.at(position)->text(), responses.at(order.at(position)).text);
            expectedIds.append(responses.at(order.at(position)).id);
        }
        QCOMPARE(page.shownResponseIds(), expectedIds);
    }

    void neverShowsAModelNameOrTheItemsSource()
    {
        RatingPage page;
        page.resize(1366, 700);
        page.show();
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        page.start(m_study.get(), *ana);
        for (int i = 0; i < page.itemCount(); ++i) {
            page.showItem(i);
            QCOMPARE(page.currentIndex(), i);
            // With a label and a score the rating widgets show text too (anchors, levels):
            // the check covers them. One score only, so no item becomes finished.
            QVERIFY(page.session()->setCategory(QStringLiteral("self-harm")));
            QVERIFY(page.session()->setScore(page.shownResponseIds().first(), 2));
            QCOMPARE(page.findChildren<cr::widgets::LikertSelector *>().size(), 3);
            QVERIFY(page.findChild<cr::widgets::CategoryPicker *>()->isVisibleTo(&page));
            QCOMPARE(page.findChild<cr::widgets::ProtocolPanel *>()->categoryName(),
                QStringLiteral("Self-harm"));
            const QStringList strings = visibleStrings(page);
            QVERIFY(strings.join(QLatin1Char('\n')).contains(QStringLiteral("Response C")));
            QVERIFY(strings.join(QLatin1Char('\n')).contains(QStringLiteral("Cannot assess")));
            for (const QString &model : crtest::modelNames())
                for (const QString &s : strings)
                    QVERIFY2(!s.contains(model, Qt::CaseInsensitive),
                        qPrintable(QStringLiteral("model name '%1' shown in: %2").arg(model, s)));
            // Nor the item's external id or dataset, which can name its source.
            const auto item =
                cr::storage::ItemRepository(*m_study).item(page.session()->currentItemId());
            QVERIFY(item);
            for (const QString &s : strings)
                QVERIFY2(!s.contains(item->externalId) && !s.contains(QLatin1String("unit")),
                    qPrintable(QStringLiteral("item source shown in: %1").arg(s)));
            QVERIFY(strings.contains(QStringLiteral("#%1").arg(item->id)));
        }
    }

    void pageDownAndPageUpMoveBetweenItems()
    {
        RatingPage page;
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        page.start(m_study.get(), *ana);
        auto *position = page.findChild<QLabel *>(QStringLiteral("itemPosition"));
        QVERIFY(!page.previousItemAction()->isEnabled());
        QVERIFY(page.nextItemAction()->isEnabled());

        QTest::keyClick(&page, Qt::Key_PageDown);
        QCOMPARE(page.currentIndex(), 1);
        QCOMPARE(position->text(), QStringLiteral("Item 2 of 4"));
        QVERIFY(page.previousItemAction()->isEnabled());

        // Also while reading a response (focus inside a card's text).
        visibleCards(page).first()->textView()->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);
        QCOMPARE(position->text(), QStringLiteral("Item 3 of 4"));
        QTest::keyClick(&page, Qt::Key_PageUp);
        QCOMPARE(position->text(), QStringLiteral("Item 2 of 4"));

        page.showItem(3);
        QVERIFY(!page.nextItemAction()->isEnabled());
        QTest::keyClick(&page, Qt::Key_PageDown); // stays on the last item
        QCOMPARE(page.currentIndex(), 3);
        QCOMPARE(position->text(), QStringLiteral("Item 4 of 4"));
    }

    void raterWithoutAssignmentsSeesWhy()
    {
        RatingPage page;
        page.show();
        const auto ben = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ben"));
        page.start(m_study.get(), *ben);
        QCOMPARE(page.itemCount(), 0);
        QCOMPARE(page.currentIndex(), -1);
        QVERIFY(!page.nextItemAction()->isEnabled());
        QVERIFY(visibleCards(page).isEmpty());
        bool explained = false;
        for (const QLabel *label : page.findChildren<QLabel *>())
            explained = explained
                || (label->isVisibleTo(&page)
                    && label->text().contains(QStringLiteral("No items are assigned to ben")));
        QVERIFY(explained);
    }

    void contentNoteShowsUntilAcknowledged()
    {
        QSettings().clear();
        cr::ui::Settings().contentNoteEachSession = false;
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        {
            RatingPage page;
            page.show();
            page.start(m_study.get(), *ana);
            QPushButton *understood = nullptr;
            for (QPushButton *b : page.findChildren<QPushButton *>())
                if (b->text() == QStringLiteral("I &Understand"))
                    understood = b;
            QVERIFY(understood);
            QVERIFY(understood->isVisible());
            QTest::mouseClick(understood, Qt::LeftButton);
            QVERIFY(!understood->isVisible());
        }
        QCOMPARE(cr::ui::Settings().contentNoteAcknowledged.value(), true);
        RatingPage again;
        again.show();
        again.start(m_study.get(), *ana);
        for (QPushButton *b : again.findChildren<QPushButton *>())
            QVERIFY(b->text() != QStringLiteral("I &Understand") || !b->isVisible());
    }

    void contentNoteOpensEverySessionByDefault()
    {
        QSettings().clear();
        cr::ui::Settings().contentNoteAcknowledged = true; // acknowledged in an earlier session
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        RatingPage page;
        page.show();
        page.start(m_study.get(), *ana);
        int shown = 0;
        for (QPushButton *b : page.findChildren<QPushButton *>())
            shown += b->text() == QStringLiteral("I &Understand") && b->isVisible() ? 1 : 0;
        QCOMPARE(shown, 1);
    }

    void blurredTextCanBeRevealed()
    {
        RatingPage page;
        page.show();
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        page.start(m_study.get(), *ana);
        page.setTextBlurred(true);
        QVERIFY(page.isTextBlurred());
        const QList<ResponseCard *> cards = visibleCards(page);
        QVERIFY(cards.first()->isTextBlurred());
        QVERIFY(page.findChild<cr::widgets::MessageView *>()->isTextBlurred());
        QAction *reveal = nullptr;
        for (QAction *a : page.actions())
            if (a->isCheckable())
                reveal = a;
        QVERIFY(reveal && reveal->isEnabled());
        reveal->trigger();
        QVERIFY(!cards.first()->isTextBlurred());
        page.showNextItem(); // blurred again on the next item
        QVERIFY(cards.first()->isTextBlurred());
        page.setTextBlurred(false);
        QVERIFY(!cards.first()->isTextBlurred());
    }

    void blurHidesMessageAndResponsesAndFollowsTheItem()
    {
        // Sharpness: the sum of horizontal pixel differences; legible text has a lot.
        const auto sharpness = [](const QImage &image) {
            const QImage g = image.convertToFormat(QImage::Format_Grayscale8);
            qint64 sum = 0;
            for (int y = 0; y < g.height(); ++y) {
                const uchar *line = g.constScanLine(y);
                for (int x = 1; x < g.width(); ++x)
                    sum += std::abs(int(line[x]) - int(line[x - 1]));
            }
            return sum;
        };
        RatingPage page;
        page.resize(1366, 768);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const auto ana = cr::storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
        page.start(m_study.get(), *ana);
        page.setTextBlurred(true);
        auto *message = page.findChild<cr::widgets::MessageView *>();
        const QList<ResponseCard *> cards = visibleCards(page);
        QVERIFY(message && !cards.isEmpty());
        const auto grabAll = [&] {
            QList<QImage> out { message->viewport()->grab().toImage() };
            for (ResponseCard *c : cards)
                out << c->textView()->viewport()->grab().toImage();
            return out;
        };
        const QList<QImage> blurred = grabAll();
        QAction *reveal = nullptr;
        for (QAction *a : page.actions())
            if (a->isCheckable())
                reveal = a;
        reveal->trigger();
        const QList<QImage> revealed = grabAll();
        // The message and every response: blurred until revealed, far from legible.
        for (int i = 0; i < blurred.size(); ++i) {
            QVERIFY2(blurred[i] != revealed[i], qPrintable(QString::number(i)));
            QVERIFY2(sharpness(blurred[i]) * 4 < sharpness(revealed[i]),
                qPrintable(QStringLiteral("%1: %2 vs %3")
                               .arg(i)
                               .arg(sharpness(blurred[i]))
                               .arg(sharpness(revealed[i]))));
        }
        // The next item is blurred again, from its own text: the picture is new, and the
        // same as one made afresh (no leftover of the previous item or other widgets).
        page.showNextItem();
        const QList<QImage> next = grabAll();
        QVERIFY(next.first() != blurred.first());
        page.setTextBlurred(false);
        page.setTextBlurred(true);
        QCOMPARE(grabAll(), next);
        page.setTextBlurred(false);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<cr::storage::Study> m_study;
};

QTEST_MAIN(TestRatingPage)
#include "tst_ratingpage.moc"
