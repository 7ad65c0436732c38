#include "storage/demo.h"
#include "storage/studyinfo.h"
#include "teststudy.h"
#include "ui/modelstablemodel.h"
#include "ui/raterstablemodel.h"
#include "ui/researchpanels.h"
#include "ui/studypage.h"
#include "widgets/stattile.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using cr::ui::StudyPage;

namespace {

QString tileValue(const StudyPage &page, const QString &caption)
{
    for (const auto *tile : page.findChildren<cr::widgets::StatTile *>())
        if (tile->caption() == caption)
            return tile->value();
    return QStringLiteral("(no tile)");
}

QPushButton *button(const StudyPage &page, const QString &accessibleName)
{
    for (QPushButton *b : page.findChildren<QPushButton *>())
        if (b->accessibleName() == accessibleName)
            return b;
    return nullptr;
}

} // namespace

class TestStudyPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void summarizesTheStudy()
    {
        QTemporaryDir dir;
        QString path;
        auto study = crtest::createStudy(dir.path(), 4, &path);
        QVERIFY(study);
        StudyPage page;
        QAbstractItemModelTester modelsTester(
            page.modelsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester ratersTester(
            page.ratersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.setStudy(study.get());
        QVERIFY(QTest::qWaitFor([&] { return !page.isSummarizing(); })); // on a worker

        const cr::storage::StudyInfo info = cr::storage::summarize(*study);
        QCOMPARE(tileValue(page, QStringLiteral("Items")), QStringLiteral("4"));
        QCOMPARE(tileValue(page, QStringLiteral("Responses")), QStringLiteral("12"));
        QCOMPARE(tileValue(page, QStringLiteral("Models")), QStringLiteral("3"));
        QCOMPARE(tileValue(page, QStringLiteral("Raters")), QStringLiteral("3"));
        QCOMPARE(tileValue(page, QStringLiteral("Assignments")), QStringLiteral("4"));

        bool titleShown = false, protocolShown = false;
        for (const QLabel *label : page.findChildren<QLabel *>()) {
            titleShown = titleShown || label->text() == QStringLiteral("Unit study");
            protocolShown = protocolShown
                || (label->text().contains(info.protocolName)
                    && label->text().contains(info.protocolHash.left(12)));
        }
        QVERIFY(titleShown);
        QVERIFY(protocolShown);

        QCOMPARE(page.modelsModel()->rowCount(), int(info.modelRows.size()));
        for (int r = 0; r < page.modelsModel()->rowCount(); ++r) {
            const QModelIndex index =
                page.modelsModel()->index(r, cr::ui::ModelsTableModel::NameColumn);
            QCOMPARE(index.data().toString(), info.modelRows.at(r).name);
            QCOMPARE(index.data(cr::ui::ModelsTableModel::ResponsesRole).toLongLong(), 4);
        }
        QCOMPARE(page.ratersModel()->rowCount(), 3);
        for (int r = 0; r < 3; ++r) {
            const QModelIndex index = page.ratersModel()->index(r, 0);
            QCOMPARE(index.data().toString(), info.raterRows.at(r).name);
            QCOMPARE(index.data(cr::ui::RatersTableModel::AssignedRole).toLongLong(),
                info.raterRows.at(r).assigned);
        }

        // The picker lists the people only, with their workload.
        QComboBox *picker = page.raterPicker();
        QCOMPARE(picker->count(), 2);
        QCOMPARE(picker->itemText(0), QStringLiteral("ana — 4 items"));
        QCOMPARE(picker->itemText(1), QStringLiteral("ben — 0 items"));
        page.setPreferredRater(QStringLiteral("ben"));
        QCOMPARE(page.selectedRaterName(), QStringLiteral("ben"));
        page.refresh(); // keeps the choice
        QCOMPARE(page.selectedRaterName(), QStringLiteral("ben"));
        QVERIFY(QTest::qWaitFor([&] { return !page.isSummarizing(); }));
        QCOMPARE(page.selectedRaterName(), QStringLiteral("ben"));

        QSignalSpy requested(&page, &StudyPage::ratingRequested);
        QPushButton *start = button(page, QStringLiteral("Start rating"));
        QVERIFY(start && start->isEnabled());
        start->click();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toLongLong(),
            cr::storage::RaterRepository(*study).byName(QStringLiteral("ben"))->id);
        QVERIFY(!button(page, QStringLiteral("Import items and responses"))->isVisibleTo(&page));
        page.setStudy(nullptr);
    }

    void anEmptyStudySaysWhatToDo()
    {
        QTemporaryDir dir;
        cr::storage::Error error;
        auto study = cr::storage::Study::create(dir.filePath(QStringLiteral("empty.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("Nothing yet"), &error);
        QVERIFY(study);
        StudyPage page;
        page.setStudy(study.get());
        QVERIFY(QTest::qWaitFor([&] { return !page.isSummarizing(); }));
        QCOMPARE(tileValue(page, QStringLiteral("Items")), QStringLiteral("0"));
        QCOMPARE(page.modelsModel()->rowCount(), 0);
        QCOMPARE(page.ratersModel()->rowCount(), 0);
        QCOMPARE(page.raterPicker()->count(), 0);
        QVERIFY(!button(page, QStringLiteral("Start rating"))->isEnabled());
        QPushButton *import = button(page, QStringLiteral("Import items and responses"));
        QVERIFY(import && import->isVisibleTo(&page));
        QSignalSpy importRequested(&page, &StudyPage::importRequested);
        import->click();
        QCOMPARE(importRequested.count(), 1);
        page.setStudy(nullptr);
    }
    void theSummaryArrivesFromAWorker()
    {
        // Opening the overview never waits for the counts: setStudy() returns with the
        // people listed (by name) and the summary still to come; it lands once, on the page.
        QTemporaryDir dir;
        QString path;
        auto study = crtest::createStudy(dir.path(), 4, &path);
        QVERIFY(study);
        StudyPage page;
        QSignalSpy shown(&page, &StudyPage::summaryShown);
        page.setStudy(study.get());
        QVERIFY(page.isSummarizing());
        QCOMPARE(tileValue(page, QStringLiteral("Items")), QStringLiteral("0"));
        QCOMPARE(page.ratersModel()->rowCount(), 0);
        QCOMPARE(page.raterPicker()->count(), 2);
        QCOMPARE(page.raterPicker()->itemText(0), QStringLiteral("ana"));
        QVERIFY(shown.wait(10000));
        QCOMPARE(shown.count(), 1);
        QVERIFY(!page.isSummarizing());
        QCOMPARE(tileValue(page, QStringLiteral("Items")), QStringLiteral("4"));
        QCOMPARE(page.raterPicker()->itemText(0), QStringLiteral("ana — 4 items"));
        // A refresh superseded by another delivers the newest only.
        page.refresh();
        page.refresh();
        QVERIFY(shown.wait(10000));
        QTest::qWait(50);
        QCOMPARE(shown.count(), 2);
        page.setStudy(nullptr);
    }

    void planningTabShowsItemsNeededForTheStudy()
    {
        // Issue 21: planning on the study overview for researchers, computed (as a job)
        // when its tab is shown, with the protocol's category names; gone for a rater.
        QTemporaryDir dir;
        cr::storage::Error error;
        auto study =
            cr::storage::createDemoStudy(dir.filePath(QStringLiteral("demo.crisis")), &error);
        QVERIFY2(study, qPrintable(error.message));
        StudyPage page;
        page.setStudy(study.get());
        QCOMPARE(page.tabs()->count(), 2);
        QVERIFY(page.tabs()->isTabVisible(1));
        QVERIFY(!page.isPlanningComputing()); // nothing computed before the tab is shown
        QCOMPARE(page.planningPanel()->model()->rowCount(), 0);
        QSignalSpy finished(&page, &StudyPage::planningFinished);
        page.tabs()->setCurrentIndex(1);
        QVERIFY(finished.wait(60000));
        const QStandardItemModel *harm = page.planningPanel()->model();
        QCOMPARE(harm->rowCount(), 7); // the demo's seven crisis categories
        QStringList names;
        for (const auto &c : study->currentProtocol().categories)
            names.append(c.name);
        for (int r = 0; r < harm->rowCount(); ++r) {
            QVERIFY2(
                names.contains(harm->item(r, 0)->text()), qPrintable(harm->item(r, 0)->text()));
            QVERIFY(harm->item(r, 3)->text().toInt() > 0);
        }
        // A narrower target needs more items.
        const QString needed = harm->item(0, 4)->text();
        page.planningPanel()->widthSpin()->setValue(0.05);
        QVERIFY(QLocale().toInt(harm->item(0, 4)->text()) > QLocale().toInt(needed));
        QCOMPARE(page.planningPanel()->agreementModel()->rowCount(), 4);
        // A rater signed in on this window sees no planning.
        page.setCareVisible(false);
        QVERIFY(!page.tabs()->isTabVisible(1));
        QCOMPARE(page.tabs()->currentIndex(), 0);
        page.setStudy(nullptr);
    }
};

QTEST_MAIN(TestStudyPage)
#include "tst_studypage.moc"
