#include "storage/exposure.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "tests/storage/reviewfixture.h"
#include "ui/adjudicationsession.h"
#include "ui/reviewdetailpane.h"
#include "widgets/responsecard.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace cr::storage;
using cr::ui::AdjudicationSession;
using cr::ui::ReviewDetailPane;
using namespace Qt::StringLiterals;

class TestReviewDetailPane final : public QObject {
    Q_OBJECT
private:
    cr::test::ReviewStudy m_fixture;
    Study *m_study = nullptr;

    Disagreement row(int i) { return m_fixture.disagreements().at(i); }
    void setProtocol(ReviewDetailPane &pane)
    {
        const cr::protocol::Protocol p = m_study->currentProtocol();
        QStringList ids, names, levels;
        for (const auto &c : p.categories) {
            ids << c.id;
            names << c.name;
        }
        for (const auto &l : p.levels)
            levels << l.name;
        pane.setProtocol(ids, names, levels, {});
    }

private slots:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        Error e;
        QVERIFY2(m_fixture.reset(&e), qPrintable(e.message));
        m_study = &m_fixture.study();
    }
    void cleanup() { m_fixture.close(); }

    void nothingSelected()
    {
        ReviewDetailPane pane;
        pane.show();
        pane.showDisagreement(m_study, std::nullopt, {}, true);
        QVERIFY(pane.shownRaterLabels().isEmpty());
        QVERIFY(pane.consensusText().isEmpty());
        QVERIFY(!pane.valuesTable()->isVisible());
        bool said = false;
        for (const QLabel *l : pane.findChildren<QLabel *>())
            said |= l->isVisible() && l->text() == u"No disagreement selected."_s;
        QVERIFY(said);
    }

    void scoreRowShowsRatersBlindAndAdopts()
    {
        ReviewDetailPane pane;
        setProtocol(pane);
        pane.show();
        const Disagreement d = row(3); // i1/m: 1 4 4
        const QList<RaterValue> shown = AdjudicationSession::shownValues(d);
        pane.showDisagreement(m_study, d, shown, true);
        QCOMPARE(
            pane.shownRaterLabels(), (QStringList { u"Rater 1"_s, u"Rater 2"_s, u"Rater 3"_s }));
        for (int c = 0; c < shown.size(); ++c)
            QCOMPARE(pane.valuesTable()->item(0, c)->text(), QString::number(*shown[c].score));
        QVERIFY2(pane.consensusText().contains(u"mean"_s), qPrintable(pane.consensusText()));
        // The disputed response only, named by model and run.
        const auto cards = pane.findChildren<cr::widgets::ResponseCard *>();
        QCOMPARE(cards.size(), 1);
        QCOMPARE(cards.first()->title(), u"Response (m, run 1)"_s);
        QSignalSpy adopt(&pane, &ReviewDetailPane::adoptRequested);
        for (QPushButton *b : pane.findChildren<QPushButton *>())
            if (b->text() == u"Adopt Rater 2"_s)
                QTest::mouseClick(b, Qt::LeftButton);
        QCOMPARE(adopt.count(), 1);
        QCOMPARE(adopt.first().first().toInt(), 1);
        // Not blind: names with pseudonyms.
        pane.showDisagreement(m_study, d, shown, false);
        QCOMPARE(pane.shownRaterLabels().first(),
            u"%1 (%2)"_s.arg(shown.first().rater.name, shown.first().rater.pseudonym));
    }

    void longRationaleIsShownWhole()
    {
        // An LLM judge's rationale runs over several lines ("… Score: 2"): its cell grows
        // with it at the pane's width and again when the pane narrows (issue 21).
        ReviewDetailPane pane;
        setProtocol(pane);
        pane.resize(900, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        const Disagreement d = row(3);
        QList<RaterValue> shown = AdjudicationSession::shownValues(d);
        QString rationale;
        for (int i = 0; i < 12; ++i)
            rationale += u"The reply names the feeling but offers no safety step. "_s;
        rationale += u"\nScore: 2"_s;
        shown[0].rationale = rationale;
        pane.showDisagreement(m_study, d, shown, true);
        QTableWidget *table = pane.valuesTable();
        const int rationaleRow = 2;
        QCOMPARE(table->item(rationaleRow, 0)->text(), rationale);
        for (const int width : { 900, 520 }) {
            pane.resize(width, 700);
            QCoreApplication::processEvents();
            const int column = table->columnWidth(0);
            // At least as tall as the text wrapped at the whole column's width.
            const QRect needed = table->fontMetrics().boundingRect(
                QRect(0, 0, column, 100000), Qt::TextWordWrap, rationale);
            QVERIFY2(table->rowHeight(rationaleRow) >= needed.height(),
                qPrintable(u"%1 < %2 at %3"_s.arg(table->rowHeight(rationaleRow))
                               .arg(needed.height())
                               .arg(width)));
            int rows = 0;
            for (int r = 0; r < table->rowCount(); ++r)
                rows += table->rowHeight(r);
            QVERIFY(table->height() >= rows); // no scrolling inside the table
        }
    }

    void categoryRowShowsTheItemsResponsesBlinded()
    {
        ReviewDetailPane pane;
        setProtocol(pane);
        pane.show();
        const Disagreement d = row(1); // i1: two responses (m, n)
        QCOMPARE(d.kind, DisagreementKind::Category);
        pane.showDisagreement(m_study, d, AdjudicationSession::shownValues(d), true);
        QVERIFY2(pane.consensusText().contains(u"Anxiety"_s), qPrintable(pane.consensusText()));
        const QList<Response> responses = ItemRepository(*m_study).responses(d.itemId);
        const QList<int> order =
            presentationOrder(int(responses.size()), AdjudicationSession::blindingSeed(d));
        QStringList expected, shown;
        for (int position = 0; position < order.size(); ++position)
            expected << u"Response %1: %2"_s.arg(
                presentationLabel(position), responses.at(order.at(position)).text);
        for (const auto *card : pane.findChildren<cr::widgets::ResponseCard *>())
            shown << u"%1: %2"_s.arg(card->title(), card->text());
        QCOMPARE(shown, expected);
        // No model names on a category row.
        for (const auto *card : pane.findChildren<cr::widgets::ResponseCard *>())
            QVERIFY(!card->title().contains(u"run"_s));
    }
};

QTEST_MAIN(TestReviewDetailPane)
#include "tst_reviewdetailpane.moc"
