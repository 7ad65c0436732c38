#include "storage/repositories.h"
#include "tests/storage/reviewfixture.h"
#include "ui/disagreementmodel.h"
#include "ui/reviewqueuepane.h"
#include "ui/settings.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace cr::storage;
using cr::ui::DisagreementModel;
using cr::ui::ReviewQueuePane;
using namespace Qt::StringLiterals;

class TestReviewQueuePane final : public QObject {
    Q_OBJECT
private:
    cr::test::ReviewStudy m_fixture;
    Study *m_study = nullptr;

    bool start(ReviewQueuePane &pane, bool blind)
    {
        QSignalSpy loaded(&pane, &ReviewQueuePane::queueLoaded);
        pane.start(m_study, { u"anxiety_crisis"_s, u"no_crisis"_s },
            { u"Anxiety crisis"_s, u"No crisis"_s }, blind);
        return loaded.wait(10000);
    }

private slots:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        cr::ui::Settings().reviewHarmThreshold.reset();
        Error e;
        QVERIFY2(m_fixture.reset(&e), qPrintable(e.message));
        m_study = &m_fixture.study();
    }
    void cleanup()
    {
        cr::ui::Settings().reviewHarmThreshold.reset();
        m_fixture.close();
    }

    void loadsTheQueueAndSelectsTheFirstRow()
    {
        ReviewQueuePane pane;
        pane.show();
        QSignalSpy changed(&pane, &ReviewQueuePane::currentChanged);
        QVERIFY(start(pane, true));
        QVERIFY(!pane.isLoading());
        QCOMPARE(pane.model()->rowCount(), 7);
        QVERIFY(changed.count() > 0);
        // Blind rows name the item by its study number only (issue 16).
        const auto idOf = [this](const QString &external) {
            return ItemRepository(*m_study).byExternalId(external)->id;
        };
        QCOMPARE(pane.currentDisagreement()->itemId, idOf(u"i3"_s));
        QCOMPARE(pane.currentDisagreement()->itemExternalId, u"#%1"_s.arg(idOf(u"i3"_s)));
        pane.showNextDisagreement();
        QCOMPARE(pane.currentDisagreement()->itemId, idOf(u"i1"_s));
        pane.selectRow(6);
        pane.showNextDisagreement(); // wraps
        QCOMPARE(pane.view()->currentIndex().row(), 0);
        pane.selectRow(-1);
        QVERIFY(!pane.currentDisagreement());
    }

    void filtersAndBlindRaterNames()
    {
        ReviewQueuePane pane;
        pane.show();
        QVERIFY(start(pane, true));
        DisagreementFilter filter;
        filter.llmOnly = true;
        pane.setFilter(filter);
        QCOMPARE(pane.view()->model()->rowCount(), 2);
        // Blind: the rater-pair filters list pseudonyms, never names.
        const QString h1 = RaterRepository(*m_study).byName(u"h1"_s)->pseudonym;
        QStringList items;
        for (const QComboBox *box : pane.findChildren<QComboBox *>())
            for (int i = 0; i < box->count(); ++i)
                items << box->itemText(i);
        QVERIFY(items.contains(h1));
        QVERIFY(!items.join(u' ').contains(u"h1"_s));
        QSignalSpy loaded(&pane, &ReviewQueuePane::queueLoaded);
        pane.setBlind(false);
        QVERIFY(loaded.wait(10000));
        items.clear();
        for (const QComboBox *box : pane.findChildren<QComboBox *>())
            for (int i = 0; i < box->count(); ++i)
                items << box->itemText(i);
        QVERIFY(items.contains(u"h1 (%1)"_s.arg(h1)));
    }

    void keepRowSurvivesAReload()
    {
        ReviewQueuePane pane;
        pane.show();
        QVERIFY(start(pane, true));
        const Disagreement i3m = pane.model()->row(4);
        QCOMPARE(i3m.itemId, ItemRepository(*m_study).byExternalId(u"i3"_s)->id);
        pane.keepRow(i3m.itemId, i3m.responseId);
        QSignalSpy loaded(&pane, &ReviewQueuePane::queueLoaded);
        pane.reload();
        QVERIFY(pane.isLoading());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(pane.currentDisagreement()->responseId, i3m.responseId);
    }

    void thresholdIsClampedAndRemembered()
    {
        ReviewQueuePane pane;
        pane.show();
        QVERIFY(start(pane, true));
        QSignalSpy loaded(&pane, &ReviewQueuePane::queueLoaded);
        pane.setHarmThreshold(0);
        QCOMPARE(pane.harmThreshold(), 1.0);
        QCOMPARE(pane.thresholdBox()->value(), 1.0);
        QCOMPARE(double(cr::ui::Settings().reviewHarmThreshold), 1.0);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(pane.model()->harmThreshold(), 1.0);
    }

    void failedLoadIsReported()
    {
        ReviewQueuePane pane;
        QSignalSpy failed(&pane, &ReviewQueuePane::loadFailed);
        QSignalSpy loaded(&pane, &ReviewQueuePane::queueLoaded);
        // The worker opens its own connection by path: a study file moved away fails it.
        const QString path = m_study->path();
        QVERIFY(QFile::rename(path, path + u".moved"_s));
        pane.start(m_study, {}, {}, true);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(failed.first().first().toString().startsWith(u"Could not load"_s));
        QCOMPARE(loaded.count(), 0);
        QVERIFY(QFile::rename(path + u".moved"_s, path));
    }
};

QTEST_MAIN(TestReviewQueuePane)
#include "tst_reviewqueuepane.moc"
