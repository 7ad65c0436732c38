#include "storage/consensus.h"
#include "storage/demo.h"
#include "storage/review.h"
#include "storage/studyinfo.h"
#include "tests/storage/reviewfixture.h"
#include "teststudy.h"
#include "ui/disagreementmodel.h"
#include "ui/importerrorsdialog.h"
#include "ui/importsummarydialog.h"
#include "ui/mainwindow.h"
#include "ui/modelstablemodel.h"
#include "ui/preferencesdialog.h"
#include "ui/raterexposuremodel.h"
#include "ui/raterstablemodel.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/reviewpage.h"
#include "ui/settings.h"
#include "ui/studypage.h"
#include "ui/studysetupdialog.h"
#include "ui/welcomepage.h"
#include "widgets/likertselector.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QTreeWidget>

using cr::ui::MainWindow;

namespace {

QAction *menuAction(const MainWindow &window, const QString &menu, const QString &text)
{
    for (QAction *top : window.menuBar()->actions())
        if (top->text() == menu && top->menu())
            for (QAction *a : top->menu()->actions())
                if (a->text() == text)
                    return a;
    return nullptr;
}

/// Waits for the overview's counts (StudyPage summarizes on a worker).
bool summarized(const MainWindow &window)
{
    return QTest::qWaitFor(
        [&window] { return window.studyPage() && !window.studyPage()->isSummarizing(); });
}

bool partOfComboOrSpinBox(const QWidget *w)
{
    for (const QWidget *p = w->parentWidget(); p; p = p->parentWidget())
        if (qobject_cast<const QComboBox *>(p) || qobject_cast<const QAbstractSpinBox *>(p))
            return true;
    return false;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { QSettings().clear(); }

    void startsOnTheWelcomePage()
    {
        MainWindow window;
        QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
        QCOMPARE(window.study(), nullptr);
        QVERIFY(window.welcomePage()->errorText().isEmpty());
        QVERIFY(
            !menuAction(window, QStringLiteral("&File"), QStringLiteral("&Import…"))->isEnabled());
        QVERIFY(!menuAction(window, QStringLiteral("&File"), QStringLiteral("&Close Study"))
                     ->isEnabled());
        QCOMPARE(
            menuAction(window, QStringLiteral("&File"), QStringLiteral("&New Study…"))->shortcut(),
            QKeySequence(QKeySequence::New));
        QCOMPARE(
            menuAction(window, QStringLiteral("&File"), QStringLiteral("&Import…"))->shortcut(),
            QKeySequence(Qt::CTRL | Qt::Key_I));
        QCOMPARE(window.windowTitle(), QStringLiteral("Crisis Review"));
        QStringList buttons;
        for (const QPushButton *b : window.welcomePage()->findChildren<QPushButton *>())
            buttons.append(b->accessibleName());
        QVERIFY(buttons.contains(QStringLiteral("New study")));
        QVERIFY(buttons.contains(QStringLiteral("Open study")));
        QVERIFY(buttons.contains(QStringLiteral("Open demo study")));
    }

    void opensAStudyAndShowsItsOverview()
    {
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 5, &path));
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::studyOpened);
        QVERIFY(window.openStudy(path));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(window.currentPage(), MainWindow::Page::Study);
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("Unit study")));
        QVERIFY(
            menuAction(window, QStringLiteral("&File"), QStringLiteral("&Import…"))->isEnabled());

        cr::ui::StudyPage *page = window.studyPage();
        QVERIFY(summarized(window)); // the counts come from a worker
        QCOMPARE(page->modelsModel()->rowCount(), 3);
        QStringList models;
        for (const auto &row : page->modelsModel()->rows())
            models.append(row.name);
        QStringList expected = crtest::modelNames();
        expected.sort();
        models.sort();
        QCOMPARE(models, expected);
        QCOMPARE(page->modelsModel()->rows().at(0).responses, 5);
        QCOMPARE(page->ratersModel()->rowCount(), 3);
        // Only people can sign in: ana and ben, not the LLM judge.
        QCOMPARE(page->raterPicker()->count(), 2);
        QCOMPARE(page->selectedRaterName(), QStringLiteral("ana"));
        QVERIFY(page->raterPicker()->itemText(0).contains(QStringLiteral("5 items")));

        // Remembered for next time.
        const cr::ui::Settings settings;
        QCOMPARE(settings.lastStudy.value(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(settings.recentStudies(), QStringList { QFileInfo(path).absoluteFilePath() });
        QCOMPARE(window.welcomePage()->recentStudies(),
            QStringList { QFileInfo(path).absoluteFilePath() });
        QAction *recent =
            menuAction(window, QStringLiteral("&File"), QStringLiteral("Open &Recent"));
        QVERIFY(recent && recent->menu());
        emit recent->menu()->aboutToShow();
        QCOMPARE(recent->menu()->actions().first()->text(), QStringLiteral("&1 test.crisis"));

        QSignalSpy closed(&window, &MainWindow::studyClosed);
        window.closeStudy();
        QCOMPARE(closed.count(), 1);
        QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
        QCOMPARE(window.study(), nullptr);
        QCOMPARE(window.windowTitle(), QStringLiteral("Crisis Review"));
        QCOMPARE(window.welcomePage()->recentList()->topLevelItemCount(), 1);
    }

    void aRecentStudyOpensWithEnter()
    {
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 2, &path));
        cr::ui::Settings().addRecentStudy(path);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTreeWidget *list = window.welcomePage()->recentList();
        QCOMPARE(list->topLevelItemCount(), 1);
        list->setFocus();
        list->setCurrentItem(list->topLevelItem(0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(window.currentPage(), MainWindow::Page::Study);
        QCOMPARE(window.study()->path(), QFileInfo(path).absoluteFilePath());
    }

    void aMissingOrInvalidStudyIsExplainedOnTheWelcomePage()
    {
        MainWindow window;
        cr::storage::Error error;
        const QString missing = m_dir.filePath(QStringLiteral("nowhere.crisis"));
        QVERIFY(!window.openStudy(missing, &error));
        QVERIFY(error.isError());
        QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
        QVERIFY(window.welcomePage()->errorText().contains(QStringLiteral("nowhere.crisis")));

        const QString notAStudy =
            crtest::writeItemsJsonl(m_dir.path(), 1, QStringLiteral("plain.jsonl"));
        QVERIFY(!window.openStudy(notAStudy, &error));
        QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
        QVERIFY(
            window.welcomePage()->errorText().contains(QStringLiteral("Could not open the study")));
        QVERIFY(cr::ui::Settings().recentStudies().isEmpty());
    }

    void signingInShowsTheRatingPage()
    {
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 3, &path));
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openStudy(path));

        cr::storage::Error error;
        QVERIFY(!window.signIn(QStringLiteral("judge"), &error)); // an LLM rater
        QCOMPARE(error.kind, cr::storage::ErrorKind::InvalidInput);
        QVERIFY(!window.signIn(QStringLiteral("nobody"), &error));
        QCOMPARE(window.currentPage(), MainWindow::Page::Study);

        // Through the page's own controls: picker + Start Rating.
        QPushButton *start = nullptr;
        for (QPushButton *b : window.studyPage()->findChildren<QPushButton *>())
            if (b->accessibleName() == QStringLiteral("Start rating"))
                start = b;
        QVERIFY(start && start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QCOMPARE(window.ratingPage()->raterName(), QStringLiteral("ana"));
        QCOMPARE(window.ratingPage()->itemCount(), 3);
        QCOMPARE(cr::ui::Settings().lastRater.value(), QStringLiteral("ana"));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("ana · ")));

        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(window.ratingPage()->currentIndex(), 1);
        QCOMPARE(window.ratingPage()->findChild<QLabel *>(QStringLiteral("itemPosition"))->text(),
            QStringLiteral("Item 2 of 3"));

        // A rater has no overview (RolePolicy): Ctrl+1 does nothing, the keys still rate.
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QVERIFY(!window.studyPage());
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(window.ratingPage()->currentIndex(), 2);
    }

    void openingAsARaterDoesNotSummarizeTheStudy()
    {
        // `crisis-review STUDY --rater NAME`: straight to the rating page; the overview's
        // summary (storage::summarize) is never computed for a rater.
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 3, &path));
        MainWindow window;
        window.resize(1366, 768);
        const qint64 before = cr::storage::summarizeCount();
        cr::storage::Error error;
        QVERIFY2(
            window.openStudyAs(path, QStringLiteral("ana"), &error), qPrintable(error.message));
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QCOMPARE(window.ratingPage()->raterName(), QStringLiteral("ana"));
        QCOMPARE(window.ratingPage()->itemCount(), 3);
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("ana · ")));
        QVERIFY(!window.studyPage());
        QCOMPARE(cr::storage::summarizeCount(), before);

        // A refused name lands on the overview with the reason (which then is summarized).
        MainWindow other;
        QVERIFY(!other.openStudyAs(path, QStringLiteral("nobody"), &error));
        QCOMPARE(error.kind, cr::storage::ErrorKind::InvalidInput);
        QCOMPARE(other.currentPage(), MainWindow::Page::Study);
        QVERIFY(other.studyPage());
        QVERIFY(summarized(other));
        QCOMPARE(cr::storage::summarizeCount(), before + 1);
        bool shown = false;
        for (const QLabel *label : other.studyPage()->findChildren<QLabel *>())
            shown = shown || label->text().contains(QStringLiteral("nobody"));
        QVERIFY(shown);
    }

    void preferencesAndStudySetupAreReachable()
    {
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 3, &path));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(!window.setupAction()->isEnabled()); // no study yet
        QCOMPARE(window.preferencesAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        QVERIFY(window.openStudy(path));
        QVERIFY(window.setupAction()->isEnabled());

        // Preferences: accepted values are stored, blur applies to the rating page at once.
        QVERIFY(window.signIn(QStringLiteral("ana")));
        QVERIFY(!window.ratingPage()->isTextBlurred());
        cr::ui::PreferencesDialog *prefs = window.showPreferences();
        QVERIFY(prefs && prefs->isVisible());
        prefs->blurBox()->setChecked(true);
        prefs->breakItemsBox()->setValue(12);
        prefs->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(cr::ui::Settings().breakAfterItems.value(), 12);
        QVERIFY(window.ratingPage()->isTextBlurred());
        window.showPreferences()
            ->findChild<QDialogButtonBox *>()
            ->button(QDialogButtonBox::Cancel)
            ->click();
        // A rater has no overview and no setup: the researcher opens the study again.
        QVERIFY(!window.setupAction());
        QVERIFY(window.openStudy(path));
        QCOMPARE(window.currentPage(), MainWindow::Page::Study);

        // Study setup from the menu: adding a rater refreshes the overview.
        window.setupAction()->trigger();
        auto *setup = window.findChild<cr::ui::StudySetupDialog *>();
        QVERIFY(setup && setup->isVisible());
        QVERIFY(summarized(window));
        const int before = window.studyPage()->ratersModel()->rowCount();
        setup->nameEdit()->setText(QStringLiteral("carla"));
        QVERIFY(setup->addRater());
        QVERIFY(summarized(window));
        QCOMPARE(window.studyPage()->ratersModel()->rowCount(), before + 1);
        setup->close();
        cr::ui::Settings().blurText = false;
    }

    void exposureIsShownOnTheOverviewOnly()
    {
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 3, &path));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("ana")));
        QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier); // pause — distressing
        QVERIFY(window.ratingPage()->isOnBreak());
        // The rater's page shows no counts of skips or pauses (nor anyone else's).
        for (QLabel *label : window.ratingPage()->findChildren<QLabel *>())
            QVERIFY2(!label->text().contains(QLatin1String("distressing"), Qt::CaseInsensitive),
                qPrintable(label->text()));
        // A rater has no way to the overview at all (RolePolicy), so no one's care counts,
        // nor how many labels and scores anyone has given.
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QVERIFY(!window.studyPage());
        // The researcher, opening the study, sees them.
        QVERIFY(window.openStudy(path));
        QVERIFY(summarized(window));
        const cr::ui::RaterExposureModel *exposure = window.studyPage()->exposureModel();
        QVERIFY(window.studyPage()->isCareVisible());
        QCOMPARE(exposure->rowCount(), 2); // ana, ben (the LLM judge is not listed)
        QCOMPARE(exposure->index(0, cr::ui::RaterExposureModel::NameColumn).data().toString(),
            QStringLiteral("ana"));
        QCOMPARE(exposure->index(0, cr::ui::RaterExposureModel::DistressingColumn)
                     .data(cr::ui::RaterExposureModel::ValueRole)
                     .toLongLong(),
            1);
        QCOMPARE(exposure->index(0, cr::ui::RaterExposureModel::SessionsColumn)
                     .data(cr::ui::RaterExposureModel::ValueRole)
                     .toLongLong(),
            1);
        QCOMPARE(exposure->index(0, cr::ui::RaterExposureModel::ShownTodayColumn)
                     .data(cr::ui::RaterExposureModel::ValueRole)
                     .toLongLong(),
            2); // the skipped item and the next one
        QCOMPARE(exposure->index(1, cr::ui::RaterExposureModel::SessionsColumn)
                     .data(cr::ui::RaterExposureModel::ValueRole)
                     .toLongLong(),
            0);
        // A rater with nothing assigned sees no items (and starts no session).
        QVERIFY(window.signIn(QStringLiteral("ben")));
        QCOMPARE(window.ratingPage()->itemCount(), 0);
        QCOMPARE(window.ratingPage()->session()->sessionId(), 0);
    }

    void importRunsInTheBackgroundAndRefreshes()
    {
        const QString path = m_dir.filePath(QStringLiteral("import.crisis"));
        cr::storage::Error error;
        QVERIFY(cr::storage::Study::create(
            path, cr::protocol::defaultProtocol(), QStringLiteral("Empty"), &error));
        MainWindow window;
        QVERIFY(window.openStudy(path));
        QVERIFY(summarized(window));
        QCOMPARE(window.studyPage()->modelsModel()->rowCount(), 0);

        QTemporaryDir files;
        const QString jsonl = crtest::writeItemsJsonl(files.path(), 7);
        QSignalSpy finished(&window, &MainWindow::importFinished);
        QVERIFY(window.importFiles({ jsonl }));
        QVERIFY(window.isImporting());
        auto *progress = window.statusBar()->findChild<QProgressBar *>();
        QVERIFY(progress && progress->isVisibleTo(&window));
        QVERIFY(
            !menuAction(window, QStringLiteral("&File"), QStringLiteral("&Import…"))->isEnabled());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!window.isImporting());
        QVERIFY(!progress->isVisibleTo(&window));
        QVERIFY(summarized(window));
        QCOMPARE(window.studyPage()->modelsModel()->rowCount(), 3);
        QCOMPARE(cr::storage::summarize(*window.study()).items, 7);
        QVERIFY(
            menuAction(window, QStringLiteral("&File"), QStringLiteral("&Import…"))->isEnabled());
    }

    void importsABenchmarkFolderInTheBackground()
    {
        const QString path = m_dir.filePath(QStringLiteral("benchmark.crisis"));
        cr::storage::Error error;
        QVERIFY(cr::storage::Study::create(
            path, cr::protocol::defaultProtocol(), QStringLiteral("Empty"), &error));
        MainWindow window;
        QVERIFY(window.openStudy(path));
        QAction *action = menuAction(
            window, QStringLiteral("&File"), QStringLiteral("Import &Benchmark Folder…"));
        QVERIFY(action && action->isEnabled());
        QSignalSpy finished(&window, &MainWindow::importFinished);
        QVERIFY(window.importFiles({ qEnvironmentVariable("CR_SOURCE_DIR")
            + QStringLiteral("/tests/data/benchmark/good") }));
        QVERIFY(!action->isEnabled());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(cr::storage::summarize(*window.study()).items, 6);
        QVERIFY(summarized(window));
        QCOMPARE(window.studyPage()->modelsModel()->rowCount(), 3);
        QVERIFY(action->isEnabled());
        // What the command line prints beside the counts: models × runs, missing scores, notices.
        auto *summary = window.findChild<cr::ui::ImportSummaryDialog *>();
        QVERIFY(summary && summary->isVisible());
        QVERIFY2(summary->detailsText().contains(
                     QStringLiteral("model gpt-5-nano: 3 run(s) (sampled_dataset_n_6_test)"))
                && summary->detailsText().contains(
                    QStringLiteral("3 score(s) given as NaN or empty"))
                && summary->detailsText().contains(QStringLiteral("Skipped files:")),
            qPrintable(summary->detailsText()));
        summary->close();
    }

    void aFailedBenchmarkImportCanKeepTheValidRows()
    {
        const QString path = m_dir.filePath(QStringLiteral("damaged.crisis"));
        cr::storage::Error error;
        QVERIFY(cr::storage::Study::create(
            path, cr::protocol::defaultProtocol(), QStringLiteral("Empty"), &error));
        MainWindow window;
        QVERIFY(window.openStudy(path));
        const QString data =
            qEnvironmentVariable("CR_SOURCE_DIR") + QStringLiteral("/tests/data/benchmark/");
        QSignalSpy finished(&window, &MainWindow::importFinished);
        QVERIFY(window.importFiles(
            { data + QStringLiteral("good"), data + QStringLiteral("damaged") }));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().first().toBool(), false);
        auto *errors = window.findChild<cr::ui::ImportErrorsDialog *>();
        QVERIFY(errors && errors->isVisible());
        QCOMPARE(cr::storage::summarize(*window.study()).items, 0);
        QPushButton *valid = nullptr;
        for (QPushButton *b : errors->findChildren<QPushButton *>())
            if (b->accessibleName() == QStringLiteral("Import valid rows only"))
                valid = b;
        QVERIFY(valid);
        QTest::mouseClick(valid, Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.takeFirst().first().toBool(), true);
        QCOMPARE(cr::storage::summarize(*window.study()).items, 6);
        const auto info = cr::storage::summarize(*window.study());
        QCOMPARE(info.imports.size(), 1);
        QCOMPARE(info.imports.first().skippedRows, 4);
        auto *summary = window.findChild<cr::ui::ImportSummaryDialog *>();
        QVERIFY(summary && summary->isVisible());
        QVERIFY2(summary->detailsText().contains(QStringLiteral("Skipped rows:"))
                && summary->detailsText().contains(
                    QStringLiteral("H3_scores_n6_s42.json:20:[3].answer: matches no response")),
            qPrintable(summary->detailsText()));
        summary->close();
    }

    void aFailedImportListsProblemsAndChangesNothing()
    {
        const QString path = m_dir.filePath(QStringLiteral("badimport.crisis"));
        cr::storage::Error error;
        QVERIFY(cr::storage::Study::create(
            path, cr::protocol::defaultProtocol(), QStringLiteral("Empty"), &error));
        MainWindow window;
        QVERIFY(window.openStudy(path));

        QTemporaryDir files;
        const QString bad = crtest::writeItemsJsonl(files.path(), 3, QStringLiteral("bad.jsonl"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::Append));
        file.write("{\"item_id\": \"t-9\", \"turns\": 5}\n");
        file.close();

        QSignalSpy finished(&window, &MainWindow::importFinished);
        QVERIFY(window.importFiles({ bad }));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), false);
        auto *dialog = window.findChild<cr::ui::ImportErrorsDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY2(dialog->problemsText().contains(QStringLiteral("bad.jsonl:4")),
            qPrintable(dialog->problemsText()));
        bool saysUnchanged = false;
        for (const QLabel *label : dialog->findChildren<QLabel *>())
            saysUnchanged = saysUnchanged || label->text().contains(QStringLiteral("unchanged"));
        QVERIFY(saysUnchanged);
        QCOMPARE(cr::storage::summarize(*window.study()).items, 0);
        QVERIFY(summarized(window));
        QCOMPARE(window.studyPage()->modelsModel()->rowCount(), 0);
        dialog->close();
    }

    void demoStudyOpensOrExplainsWhy()
    {
        MainWindow window;
        cr::storage::Error error;
        if (window.openDemoStudy(&error)) {
            const QString demoPath = window.study()->path();
            QVERIFY(window.isDemoStudy());
            QCOMPARE(window.currentPage(), MainWindow::Page::Study);
            QVERIFY(cr::ui::Settings().recentStudies().isEmpty()); // temp copies are not remembered
            QVERIFY(window.signIn(cr::storage::demoRaterName(), &error));
            QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
            QCOMPARE(window.ratingPage()->raterName(), cr::storage::demoRaterName());
            window.closeStudy();
            for (const char *suffix : { "", "-wal", "-shm" })
                QFile::remove(demoPath + QLatin1String(suffix));
        } else {
            // The demo data may be missing in a development checkout: say so, stay usable.
            QVERIFY(error.isError());
            QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
            QVERIFY(window.welcomePage()->errorText().contains(QStringLiteral("demo study")));
        }
    }

    void reviewIsReachableInTheDemo()
    {
        MainWindow window;
        cr::storage::Error error;
        if (!window.openDemoStudy(&error))
            QSKIP("no demo data in this checkout");
        const QString demoPath = window.study()->path();
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        // The demo has one adjudicator (lead-researcher): Ctrl+D opens the review as them.
        QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);
        QCOMPARE(window.reviewPage()->adjudicatorName(), QStringLiteral("lead-researcher"));
        QTRY_VERIFY(!window.reviewPage()->isLoading());
        QVERIFY(window.reviewPage()->model()->rowCount() > 0);
        QVERIFY(window.reviewPage()->currentDisagreement().has_value());
        // The demo's clinicians saw every item in their seeded order: the position-bias
        // check has all three of them, each with scores under every label A-E.
        const auto bias = cr::storage::loadPositionBias(*window.study(), &error);
        QVERIFY2(bias.has_value(), qPrintable(error.message));
        QCOMPARE(bias->size(), 3);
        for (const cr::storage::RaterPositionBias &b : *bias) {
            QCOMPARE(b.labels.join(QLatin1Char(',')), QStringLiteral("A,B,C,D,E"));
            int n = 0;
            for (int count : b.bias.nByPosition)
                n += count;
            QVERIFY(n > 140); // 150 responses, a few refused or not assessable
        }
        // Signing in as an adjudicator lands on the review too; a rater still rates.
        // Switching roles needs the study opened again.
        QVERIFY(!window.signIn(cr::storage::demoRaterName(), &error));
        QVERIFY(window.openStudy(demoPath));
        QVERIFY(window.signIn(cr::storage::demoRaterName(), &error));
        QCOMPARE(window.currentPage(), MainWindow::Page::Rating);
        QVERIFY(window.openStudy(demoPath));
        QVERIFY(window.signIn(QStringLiteral("lead-researcher"), &error));
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);
        QTRY_VERIFY(!window.reviewPage()->isLoading());
        // The rating page's keys are off while the review is shown: 4 sets the decision here.
        // (Blind: score rows carry a response letter, no model.)
        int scoreRow = -1;
        const QAbstractItemModel *queue = window.reviewPage()->filterModel();
        for (int row = 0; row < queue->rowCount() && scoreRow < 0; ++row)
            if (queue->index(row, 0).data(cr::ui::DisagreementModel::KindRole).toString()
                == QLatin1String("score"))
                scoreRow = row;
        QVERIFY(scoreRow >= 0);
        window.reviewPage()->selectRow(scoreRow);
        QTest::keyClick(&window, Qt::Key_4);
        QCOMPARE(window.reviewPage()->scoreSelector()->value(), 4);
        window.closeStudy();
        for (const char *suffix : { "", "-wal", "-shm" })
            QFile::remove(demoPath + QLatin1String(suffix));
    }

    void editUndoRedoReachesAdjudications()
    {
        using namespace cr::storage;
        const QString dir = freshDir();
        Error error;
        QString path;
        {
            auto study = cr::test::createReviewStudy(dir, &error);
            QVERIFY2(study, qPrintable(error.message));
            path = study->path();
        }
        const auto count = [](Study &study, const QString &sql) {
            QSqlQuery q(study.database());
            return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
        };
        const QString ratingsSql =
            QStringLiteral("SELECT count(*) || ':' || total(score) FROM response_rating");
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openStudy(path));
        QVERIFY(window.signIn(QStringLiteral("lead"), &error));
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);
        cr::ui::ReviewPage *page = window.reviewPage();
        QTRY_VERIFY(!page->isLoading());
        QVERIFY(!window.undoAction()->isEnabled());
        Study &study = *window.study();
        QSqlQuery raw(study.database());
        QVERIFY(raw.exec(ratingsSql) && raw.next());
        const QString ratingsBefore = raw.value(0).toString();
        ItemRepository items(study);
        qint64 response = 0;
        for (const Response &r : items.responses(items.byExternalId(QStringLiteral("i1"))->id))
            if (r.modelName == QStringLiteral("m"))
                response = r.id;
        const int row =
            page->model()->rowOf(items.byExternalId(QStringLiteral("i1"))->id, response);
        page->selectRow(page->filterModel()->mapFromSource(page->model()->index(row, 0)).row());
        QCOMPARE(page->currentDisagreement()->responseId, response);

        // Adjudicate with the keyboard: 2, a reason, Ctrl+Enter.
        QSignalSpy loaded(page, &cr::ui::ReviewPage::queueLoaded);
        QTest::keyClick(&window, Qt::Key_2);
        page->setReasonChecked(QStringLiteral("dismissive"), true);
        QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(count(study, QStringLiteral("SELECT count(*) FROM adjudication")), 1);
        QVERIFY(loaded.wait(10000));
        QVERIFY(page->consensusText().contains(QStringLiteral("adjudicated")));
        QVERIFY(window.undoAction()->isEnabled());
        // Blind (issue 16): the item's number and the response's letter, not its model.
        const QString subject = window.undoAction()->text().mid(QStringLiteral("&Undo ").size());
        QVERIFY2(
            QRegularExpression(QStringLiteral("^Adjudication of item #\\d+ \\(Response [A-Z]\\)$"))
                .match(subject)
                .hasMatch(),
            qPrintable(subject));
        QVERIFY(menuAction(window, QStringLiteral("&Edit"), window.undoAction()->text()));

        // Only the shown page's history: not on another page (an adjudicator has no
        // overview: the welcome page), again on the review.
        window.showPage(MainWindow::Page::Study);
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);
        window.showPage(MainWindow::Page::Welcome);
        QVERIFY(!window.undoAction()->isEnabled());
        window.showPage(MainWindow::Page::Review);
        QVERIFY(window.undoAction()->isEnabled());

        // Ctrl+Z through the window: reverted and logged, the clinicians' mean is the
        // consensus again, the row is shown with it. Raw ratings are untouched.
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(count(study, QStringLiteral("SELECT count(*) FROM adjudication")), 0);
        QCOMPARE(EventLog(study).recent(1).at(0).action, QStringLiteral("adjudication.revert"));
        QCOMPARE(consensusScores(study, &error)->value(response).how, QStringLiteral("mean"));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page->currentDisagreement()->responseId, response);
        QVERIFY2(page->consensusText().contains(QStringLiteral("mean")),
            qPrintable(page->consensusText()));
        QVERIFY(!window.undoAction()->isEnabled());
        QCOMPARE(window.redoAction()->text(), QStringLiteral("&Redo ") + subject);
        QVERIFY(raw.exec(ratingsSql) && raw.next());
        QCOMPARE(raw.value(0).toString(), ratingsBefore);

        // Ctrl+Shift+Z: recorded again, logged again.
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(count(study, QStringLiteral("SELECT count(*) FROM adjudication")), 1);
        QCOMPARE(EventLog(study).recent(1).at(0).action, QStringLiteral("adjudication.add"));
        QCOMPARE(consensusScores(study, &error)->value(response).score, 2.0);
        QVERIFY(loaded.wait(10000));
        QVERIFY(page->consensusText().contains(QStringLiteral("adjudicated")));
        QVERIFY(window.undoAction()->isEnabled());
        QVERIFY(!window.redoAction()->isEnabled());
        window.closeStudy();
    }

    void everyControlHasAnAccessibleName()
    {
        QString path;
        QVERIFY(crtest::createStudy(freshDir(), 2, &path));
        cr::ui::Settings().addRecentStudy(path);
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        const auto check = [](QWidget *page) {
            for (QWidget *w : page->findChildren<QWidget *>()) {
                const bool control = qobject_cast<QAbstractButton *>(w)
                    || qobject_cast<QComboBox *>(w) || qobject_cast<QLineEdit *>(w)
                    || qobject_cast<QTextEdit *>(w) || qobject_cast<QProgressBar *>(w)
                    || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QAbstractSpinBox *>(w)
                    || (qobject_cast<QAbstractItemView *>(w) && !qobject_cast<QHeaderView *>(w));
                // Parts of a composite control (a table's corner button, a combo box's popup,
                // a spin box's line edit)
                // are named through the control.
                if (!control || qobject_cast<QAbstractItemView *>(w->parentWidget())
                    || partOfComboOrSpinBox(w))
                    continue;
                QVERIFY2(!w->accessibleName().isEmpty(),
                    qPrintable(QStringLiteral("%1 without an accessible name on %2")
                                   .arg(QString::fromLatin1(w->metaObject()->className()),
                                       page->accessibleName())));
            }
        };
        check(window.welcomePage());
        QVERIFY(window.openStudy(path));
        check(window.studyPage());
        QVERIFY(window.signIn(QStringLiteral("ana")));
        check(window.ratingPage());
        check(window.statusBar());
        cr::storage::Error error;
        QVERIFY(cr::storage::RaterRepository(*window.study())
                    .add(QStringLiteral("lead"), cr::storage::RaterKind::Human,
                        cr::storage::RaterRole::Adjudicator, &error));
        QVERIFY(window.openStudy(path)); // another role: open the study again
        window.reviewAction()->trigger();
        QCOMPARE(window.currentPage(), MainWindow::Page::Review);
        QTRY_VERIFY(!window.reviewPage()->isLoading());
        check(window.reviewPage());
    }

    void windowGeometryIsRemembered()
    {
        {
            MainWindow window;
            window.resize(900, 650);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close();
        }
        QVERIFY(!cr::ui::Settings().mainWindowGeometry.value().isEmpty());
        MainWindow again;
        QCOMPARE(again.size(), QSize(900, 650));
    }

private:
    /// A new empty folder per study, inside the test's temporary folder.
    QString freshDir()
    {
        const QString path = m_dir.filePath(QStringLiteral("case-%1").arg(++m_cases));
        QDir().mkpath(path);
        return path;
    }

    QTemporaryDir m_dir;
    int m_cases = 0;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
