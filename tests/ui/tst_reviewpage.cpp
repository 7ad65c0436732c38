#include "storage/consensus.h"
#include "storage/exposure.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "tests/storage/reviewfixture.h"
#include "ui/adjudicationsession.h"
#include "ui/disagreementmodel.h"
#include "ui/reviewpage.h"
#include "ui/settings.h"
#include "widgets/likertselector.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <numeric>

using namespace cr::storage;
using cr::ui::DisagreementModel;
using cr::ui::ReviewPage;
using namespace Qt::StringLiterals;

namespace {

QStringList rawRows(Study &study)
{
    QStringList rows;
    QSqlQuery q(study.database());
    for (const char *sql : { "SELECT * FROM category_label ORDER BY id",
             "SELECT * FROM response_rating ORDER BY id" }) {
        q.exec(QString::fromLatin1(sql));
        while (q.next()) {
            QStringList fields;
            for (int i = 0; i < q.record().count(); ++i)
                fields.append(q.value(i).toString());
            rows.append(fields.join(QLatin1Char('|')));
        }
    }
    return rows;
}

/// Every text a person or a screen reader can get from the widget tree and its views.
QStringList visibleTexts(QWidget *root)
{
    QStringList out;
    const QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        out << w->accessibleName() << w->accessibleDescription() << w->toolTip()
            << w->windowTitle();
        if (auto *label = qobject_cast<QLabel *>(w))
            out << label->text();
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            out << button->text();
        if (auto *box = qobject_cast<QComboBox *>(w))
            for (int i = 0; i < box->count(); ++i)
                out << box->itemText(i);
        if (auto *view = qobject_cast<QAbstractItemView *>(w)) {
            QAbstractItemModel *m = view->model();
            if (!m)
                continue;
            for (int c = 0; c < m->columnCount(); ++c)
                out << m->headerData(c, Qt::Horizontal).toString();
            for (int r = 0; r < m->rowCount(); ++r) {
                out << m->headerData(r, Qt::Vertical).toString();
                for (int c = 0; c < m->columnCount(); ++c)
                    out << m->index(r, c).data().toString()
                        << m->index(r, c).data(Qt::AccessibleTextRole).toString()
                        << m->index(r, c).data(Qt::ToolTipRole).toString();
            }
        }
    }
    return out;
}

} // namespace

class TestReviewPage final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Study> m_study;

    Rater rater(const QString &name) { return *RaterRepository(*m_study).byName(name); }
    qint64 responseId(const QString &item, const QString &model)
    {
        ItemRepository items(*m_study);
        for (const Response &r : items.responses(items.byExternalId(item)->id))
            if (r.modelName == model)
                return r.id;
        return 0;
    }
    /// Starts the page for `who` and waits for the queue.
    bool start(ReviewPage &page, const QString &who)
    {
        QSignalSpy loaded(&page, &ReviewPage::queueLoaded);
        Error e;
        if (!page.start(m_study.get(), rater(who), &e))
            return false;
        return loaded.wait(10000);
    }
    int proxyRowOf(ReviewPage &page, const QString &item, qint64 response)
    {
        // Blind rows show "#<item id>", not the external id (issue 16).
        const qint64 itemId = ItemRepository(*m_study).byExternalId(item)->id;
        auto *proxy = page.queueView()->model();
        for (int r = 0; r < proxy->rowCount(); ++r)
            if (proxy->index(r, 0).data(DisagreementModel::ItemIdRole).toLongLong() == itemId
                && proxy->index(r, 0).data(DisagreementModel::ResponseIdRole).toLongLong()
                    == response)
                return r;
        return -1;
    }

private slots:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        cr::ui::Settings().reviewHarmThreshold.reset();
        QFile::remove(m_dir.filePath(u"review.crisis"_s));
        Error e;
        m_study = cr::test::createReviewStudy(m_dir.path(), &e);
        QVERIFY2(m_study, qPrintable(e.message));
    }
    void cleanup()
    {
        cr::ui::Settings().reviewHarmThreshold.reset();
        m_study.reset();
        QFile::remove(m_dir.filePath(u"review.crisis"_s));
    }

    void onlyReviewersStart()
    {
        ReviewPage page;
        Error e;
        QVERIFY(!page.start(m_study.get(), rater(u"h1"_s), &e));
        QVERIFY(e.message.contains(u"only adjudicators and researchers"_s));
    }

    void blindModeShowsNoRaterNames()
    {
        ReviewPage page;
        page.resize(1200, 800);
        page.show();
        QVERIFY(start(page, u"lead"_s));
        QCOMPARE(page.model()->rowCount(), 7);
        QVERIFY(page.isBlind());
        // An adjudicator cannot lift blinding.
        QVERIFY(!page.setBlind(false));
        QVERIFY(page.isBlind());
        for (int row = 0; row < page.queueView()->model()->rowCount(); ++row) {
            page.selectRow(row);
            QVERIFY(page.currentDisagreement().has_value());
            const QStringList labels = page.shownRaterLabels();
            QVERIFY(!labels.isEmpty());
            QCOMPARE(labels.first().left(6), u"Rater "_s);
            const QStringList texts = visibleTexts(&page);
            for (const QString &name : { u"h1"_s, u"h2"_s, u"h3"_s })
                for (const QString &t : texts)
                    QVERIFY2(!t.contains(name),
                        qPrintable(u"row %1 shows '%2' in: %3"_s.arg(row).arg(name, t)));
        }
        // The shuffled order is the same every time a row is shown.
        page.selectRow(3);
        const QStringList first = page.valuesTable()->item(0, 0)
            ? QStringList { page.valuesTable()->item(0, 0)->text(),
                  page.valuesTable()->item(0, 1)->text(), page.valuesTable()->item(0, 2)->text() }
            : QStringList();
        page.selectRow(0);
        page.selectRow(3);
        QCOMPARE(
            (QStringList { page.valuesTable()->item(0, 0)->text(),
                page.valuesTable()->item(0, 1)->text(), page.valuesTable()->item(0, 2)->text() }),
            first);
    }

    void researcherMayShowNames()
    {
        ReviewPage page;
        page.show();
        QVERIFY(start(page, u"res"_s));
        page.selectRow(3); // i1/m: h1, h2, h3
        QVERIFY(page.setBlind(false));
        QVERIFY(!page.isBlind());
        const QString labels = page.shownRaterLabels().join(u' ');
        QVERIFY2(
            labels.contains(u"h1 ("_s) && labels.contains(u"h2 ("_s) && labels.contains(u"h3 ("_s),
            qPrintable(labels));
        QVERIFY(visibleTexts(&page).join(u'\n').contains(
            u"h1"_s)); // the blind check above can see names

        QVERIFY(page.setBlind(true));
        QVERIFY(!page.shownRaterLabels().join(u' ').contains(u"h1"_s));
    }

    void shownOrderIsPresentationOrder()
    {
        // The raters of every row appear in storage::presentationOrder, as a rater's
        // responses do, seeded by the row; the same row always shows the same order.
        ReviewPage page;
        page.show();
        QVERIFY(start(page, u"res"_s));
        QVERIFY(page.setBlind(false));
        QVERIFY(!page.isLoading() || QSignalSpy(&page, &ReviewPage::queueLoaded).wait(10000));
        const int rows = page.queueView()->model()->rowCount();
        QVERIFY(rows > 0);
        int shuffled = 0; // rows whose order is not the stored one: the check can tell them apart
        for (int row = 0; row < rows; ++row) {
            page.selectRow(row);
            const Disagreement d = *page.currentDisagreement();
            const QList<int> order = presentationOrder(
                int(d.values.size()), cr::ui::AdjudicationSession::blindingSeed(d));
            QStringList expected;
            for (const int i : order) {
                const Rater &r = d.values.at(i).rater;
                expected << u"%1 (%2)"_s.arg(r.name, r.pseudonym)
                        + (r.kind == RaterKind::Llm ? u" · LLM"_s : QString());
            }
            QCOMPARE(page.shownRaterLabels(), expected);
            QList<int> stored(order.size());
            std::iota(stored.begin(), stored.end(), 0);
            shuffled += order != stored ? 1 : 0;
        }
        QVERIFY(shuffled > 0);
    }

    void keyboardAdjudicationAndUndo()
    {
        const QStringList rawBefore = rawRows(*m_study);
        ReviewPage page;
        page.resize(1200, 800);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(start(page, u"lead"_s));
        const qint64 response = responseId(u"i1"_s, u"m"_s);
        const int row = proxyRowOf(page, u"i1"_s, response);
        QCOMPARE(row, 3);
        page.selectRow(row);
        page.queueView()->setFocus();
        // Same keys as the rating page: 2 sets the score.
        QTest::keyClick(&page, Qt::Key_2);
        QCOMPARE(page.scoreSelector()->value(), 2);
        // No reason yet: refused, nothing stored.
        QTest::keyClick(&page, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY2(page.statusMessage().contains(u"at least one reason"_s),
            qPrintable(page.statusMessage()));
        Error e;
        QCOMPARE(consensusScores(*m_study, &e)->value(response).how, u"mean"_s);
        page.setReasonChecked(u"dismissive"_s, true);
        page.setNote(u"Dismisses a panic attack."_s);
        QSignalSpy loaded(&page, &ReviewPage::queueLoaded);
        QTest::keyClick(&page, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(consensusScores(*m_study, &e)->value(response).score, 2.0);
        QCOMPARE(consensusScores(*m_study, &e)->value(response).how, u"adjudicated"_s);
        const Event added = EventLog(*m_study).recent(1).at(0);
        QCOMPARE(added.action, u"adjudication.add"_s);
        QCOMPARE(added.actor, m_study->actor());
        QVERIFY(loaded.wait(10000));
        // Out of the note: Enter moves on (issue 21), and the recorded decision is shown,
        // its reasons in words (not the tag).
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(page.queueView()));
        QCOMPARE(page.scoreSelector()->value(), 2);
        QVERIFY2(page.statusMessage().contains(u"Adjudication recorded"_s),
            qPrintable(page.statusMessage()));
        const auto *history = page.findChild<QLabel *>();
        for (QLabel *l : page.findChildren<QLabel *>())
            if (l->accessibleName() == u"Adjudication history"_s)
                history = l;
        QVERIFY(history && history->text().contains(u"score 2"_s));
        QVERIFY2(!history->text().contains(u"(dismissive"_s), qPrintable(history->text()));
        bool reasonShown = false;
        for (QCheckBox *c : page.findChildren<QCheckBox *>())
            reasonShown |= c->objectName() == u"dismissive"_s && c->isChecked();
        QVERIFY(reasonShown);
        // The row is adjudicated now and moved to the end of the queue.
        const int moved = proxyRowOf(page, u"i1"_s, response);
        QCOMPARE(moved, 6);
        QCOMPARE(page.queueView()
                     ->model()
                     ->index(moved, DisagreementModel::StatusColumn)
                     .data()
                     .toString(),
            u"Adjudicated"_s);
        QCOMPARE(page.undoStack()->count(), 1);
        // Blind (issue 16): the item's number and the response's letter, not its model.
        QCOMPARE(page.undoStack()->undoText(),
            u"Adjudication of item #%1 (Response %2)"_s.arg(page.currentDisagreement()->itemId)
                .arg(page.currentDisagreement()->responseLetter));
        // The shown row stays, with its new consensus.
        QCOMPARE(page.currentDisagreement()->responseId, response);
        QVERIFY2(page.consensusText().contains(u"adjudicated"_s), qPrintable(page.consensusText()));

        // Undo (Edit ▸ Undo of the main window): a logged revert; the mean is back.
        page.selectRow(0); // elsewhere in the queue: undo shows the reverted row again
        page.undoStack()->undo();
        QCOMPARE(consensusScores(*m_study, &e)->value(response).how, u"mean"_s);
        QCOMPARE(EventLog(*m_study).recent(1).at(0).action, u"adjudication.revert"_s);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page.currentDisagreement()->responseId, response);
        QVERIFY2(page.consensusText().contains(u"3"_s) && page.consensusText().contains(u"mean"_s),
            qPrintable(page.consensusText()));
        QCOMPARE(page.queueView()->currentIndex().row(), row); // open again: back in place
        // Redo writes it again (a new adjudication row, logged again).
        page.undoStack()->redo();
        QCOMPARE(consensusScores(*m_study, &e)->value(response).score, 2.0);
        QCOMPARE(EventLog(*m_study).recent(1).at(0).action, u"adjudication.add"_s);
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.consensusText().contains(u"adjudicated"_s));
        QCOMPARE(rawRows(*m_study), rawBefore);
    }

    void consensusOfTheShownRow()
    {
        ReviewPage page;
        page.show();
        QVERIFY(start(page, u"lead"_s));
        page.selectRow(0); // i3: a three-way tie
        QVERIFY2(page.consensusText().contains(u"none"_s), qPrintable(page.consensusText()));
        page.selectRow(1); // i1: anxiety by two of three
        QVERIFY2(page.consensusText().contains(u"Anxiety"_s)
                && page.consensusText().contains(u"majority"_s),
            qPrintable(page.consensusText()));
        bool shown = false;
        for (QLabel *l : page.findChildren<QLabel *>())
            shown |= l->isVisible() && l->text() == page.consensusText();
        QVERIFY(shown);
        // A score row: i1/n is 4 4 4 among the clinicians (the LLM's 5 does not count).
        page.selectRow(proxyRowOf(page, u"i1"_s, responseId(u"i1"_s, u"n"_s)));
        QVERIFY2(
            page.consensusText().contains(u"4"_s) && page.consensusText().contains(u"unanimous"_s),
            qPrintable(page.consensusText()));
    }

    void harmThresholdResortsAndIsRemembered()
    {
        const qint64 i2m = responseId(u"i2"_s, u"m"_s);
        {
            ReviewPage page;
            page.show();
            page.activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(&page));
            QVERIFY(start(page, u"lead"_s));
            QCOMPARE(page.harmThreshold(), 2.0);
            QCOMPARE(page.thresholdBox()->value(), 2.0);
            // At 2, i2/m (3 and 5) is not harmful: after i1/m and i3/m.
            QCOMPARE(proxyRowOf(page, u"i2"_s, i2m), 5);
            // Up twice: 3, so h1's 3 makes i2/m harmful; it moves up by its range.
            QSignalSpy loaded(&page, &ReviewPage::queueLoaded);
            page.thresholdBox()->setFocus();
            QTest::keyClick(page.thresholdBox(), Qt::Key_Up);
            QTest::keyClick(page.thresholdBox(), Qt::Key_Up);
            QCOMPARE(page.harmThreshold(), 3.0);
            QTRY_COMPARE_WITH_TIMEOUT(proxyRowOf(page, u"i2"_s, i2m), 4, 10000);
            QVERIFY(!page.isLoading() || loaded.wait(10000));
            QCOMPARE(page.queueView()
                         ->model()
                         ->index(4, DisagreementModel::HarmfulColumn)
                         .data()
                         .toString(),
                u"Yes"_s);
            QCOMPARE(double(cr::ui::Settings().reviewHarmThreshold), 3.0);
            // The column says which threshold it shows.
            QCOMPARE(page.queueView()
                         ->model()
                         ->headerData(DisagreementModel::HarmfulColumn, Qt::Horizontal)
                         .toString(),
                u"Harm ≤ 3"_s);
        }
        ReviewPage again;
        again.show();
        QCOMPARE(again.thresholdBox()->value(), 3.0);
        QVERIFY(start(again, u"lead"_s));
        QCOMPARE(proxyRowOf(again, u"i2"_s, i2m), 4);
        // Out of range values are clamped.
        again.setHarmThreshold(9);
        QCOMPARE(again.harmThreshold(), 5.0);
    }

    void adoptRatersValue()
    {
        ReviewPage page;
        page.show();
        QVERIFY(start(page, u"lead"_s));
        page.selectRow(0); // i3: three different categories
        QCOMPARE(
            page.currentDisagreement()->itemId, ItemRepository(*m_study).byExternalId(u"i3"_s)->id);
        int column = -1;
        for (int c = 0; c < page.valuesTable()->columnCount(); ++c)
            if (page.valuesTable()->item(0, c)->text() == u"Suicidal ideation"_s)
                column = c;
        QVERIFY(column >= 0);
        page.adoptColumn(column);
        page.setReasonChecked(u"missed_signal"_s, true);
        QVERIFY(page.recordAdjudication());
        Error e;
        const qint64 item = ItemRepository(*m_study).byExternalId(u"i3"_s)->id;
        QCOMPARE(consensusCategories(*m_study, &e)->value(item).category, u"suicidal_ideation"_s);
        const QJsonObject after =
            QJsonDocument::fromJson(EventLog(*m_study).recent(1).at(0).after.toUtf8()).object();
        QCOMPARE(after.value(u"adopted_from"_s).toString(), rater(u"h1"_s).pseudonym);
        QCOMPARE(after.value(u"reasons"_s).toArray().at(0).toString(), u"missed_signal"_s);
    }

    void positionBiasSummary()
    {
        // h2 saw each of its five scored responses at A or B: A 4, 5 | B 4, 3, 5.
        QSqlQuery q(m_study->database());
        QVERIFY(
            q.exec(u"INSERT INTO presentation(rater_id, response_id, position, label, shown_at)"
                   " SELECT rr.rater_id, rr.response_id, rr.response_id % 2,"
                   " CASE rr.response_id % 2 WHEN 0 THEN 'A' ELSE 'B' END, '2026-01-01T00:00:00Z'"
                   " FROM response_rating rr JOIN rater ON rater.id = rr.rater_id"
                   " WHERE rater.name = 'h2'"_s));
        ReviewPage page;
        page.show();
        QVERIFY(start(page, u"lead"_s));
        const QString text = page.positionBiasText();
        QVERIFY2(text.contains(rater(u"h2"_s).pseudonym), qPrintable(text));
        QVERIFY(!text.contains(u"h2"_s));
        QVERIFY(text.contains(u"A "_s) && text.contains(u"B "_s));
        QVERIFY2(text.contains(u"too few scores per position"_s), qPrintable(text));
    }

    void enterMovesToNextAndFilters()
    {
        ReviewPage page;
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(start(page, u"lead"_s));
        page.selectRow(0);
        page.queueView()->setFocus();
        QTest::keyClick(&page, Qt::Key_Return);
        QCOMPARE(page.queueView()->currentIndex().row(), 1);
        QCOMPARE(
            page.currentDisagreement()->itemId, ItemRepository(*m_study).byExternalId(u"i1"_s)->id);
        DisagreementFilter filter;
        filter.llmOnly = true;
        page.setFilter(filter);
        QCOMPARE(page.queueView()->model()->rowCount(), 2);
        filter = {};
        filter.raterPair = { u"h1"_s, u"h2"_s };
        page.setFilter(filter);
        QCOMPARE(page.queueView()->model()->rowCount(), 4);
        // The consensus rule is on the page.
        bool ruleShown = false;
        for (QLabel *l : page.findChildren<QLabel *>())
            ruleShown |=
                l->text().contains(u"Consensus rule"_s) && l->text().contains(u"majority"_s);
        QVERIFY(ruleShown);
        QVERIFY(page.positionBiasText().contains(u"No presentation records"_s));
    }
};

QTEST_MAIN(TestReviewPage)
#include "tst_reviewpage.moc"
