#include "ui/mainwindow.h"

#include "protocol/protocol.h"
#include "storage/demo.h"
#include "storage/package.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/dashboardpage.h"
#include "ui/exportdialog.h"
#include "ui/importerrorsdialog.h"
#include "ui/importjob.h"
#include "ui/importprogress.h"
#include "ui/importsummarydialog.h"
#include "ui/newstudydialog.h"
#include "ui/packagedialog.h"
#include "ui/preferencesdialog.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/recentstudiesmenu.h"
#include "ui/reviewpage.h"
#include "ui/settings.h"
#include "ui/studyfiles.h"
#include "ui/studypage.h"
#include "ui/studysetupdialog.h"
#include "ui/welcomepage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoGroup>
#include <QUndoStack>

namespace cr::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_import(new JobRunner<ImportResult>(this))
    , m_pages(new QStackedWidget(this))
    , m_welcome(new WelcomePage(m_pages))
    , m_studyPage(new StudyPage(m_pages))
    , m_ratingPage(new RatingPage(m_pages))
    , m_reviewPage(new ReviewPage(m_pages))
    , m_dashboard(new DashboardPage(m_pages))
    , m_progress(new ImportProgress(this))
    , m_undoGroup(new QUndoGroup(this))
{
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(m_studyPage);
    m_pages->addWidget(m_ratingPage);
    m_pages->addWidget(m_reviewPage);
    m_pages->addWidget(m_dashboard);
    setCentralWidget(m_pages);

    statusBar()->addPermanentWidget(m_progress);
    m_progress->track(m_import);
    connect(m_import, &JobRunnerBase::succeeded, this, [this] { finishImport({}); });
    connect(m_import, &JobRunnerBase::failed, this, &MainWindow::finishImport);

    createActions();
    createMenus();

    connect(m_welcome, &WelcomePage::newStudyRequested, this, &MainWindow::newStudy);
    connect(m_welcome, &WelcomePage::openStudyRequested, this, &MainWindow::openStudyDialog);
    connect(m_welcome, &WelcomePage::demoStudyRequested, this, [this] { openDemoStudy(); });
    connect(m_welcome, &WelcomePage::recentStudyActivated, this,
        [this](const QString &path) { openStudy(path); });
    connect(m_welcome, &WelcomePage::recentStudyRemoved, this,
        [](const QString &path) { Settings().removeRecentStudy(path); });
    connect(m_studyPage, &StudyPage::ratingRequested, this, [this](qint64 raterId) {
        storage::Error error;
        if (!signIn(raterId, &error))
            m_studyPage->showError(error.message);
    });
    connect(m_studyPage, &StudyPage::importRequested, this, &MainWindow::importDialog);
    connect(m_studyPage, &StudyPage::setupRequested, this, &MainWindow::showStudySetup);
    connect(m_ratingPage, &RatingPage::overviewRequested, this, [this] {
        m_studyPage->refresh(); // the rater's work may have changed the counts
        showPage(Page::Study);
    });
    connect(m_reviewPage, &ReviewPage::overviewRequested, this, [this] {
        m_studyPage->refresh();
        showPage(Page::Study);
    });

    const Settings settings;
    m_welcome->setRecentStudies(settings.recentStudies());
    resize(1280, 800);
    restoreGeometry(settings.mainWindowGeometry);
    restoreState(settings.mainWindowState);
    showPage(Page::Welcome);
    updateTitle();
}

MainWindow::~MainWindow()
{
    delete m_import; // waits for a running import before the study goes away
    m_import = nullptr;
    m_ratingPage->clear();
    m_reviewPage->clear();
    m_studyPage->setStudy(nullptr);
}

void MainWindow::createActions()
{
    m_newAction = new QAction(tr("&New Study…"), this);
    m_newAction->setShortcut(QKeySequence::New);
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newStudy);

    m_openAction = new QAction(tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openStudyDialog);

    m_importAction = new QAction(tr("&Import…"), this);
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importDialog);

    m_importFolderAction = new QAction(tr("Import &Benchmark Folder…"), this);
    m_importFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(m_importFolderAction, &QAction::triggered, this, &MainWindow::importFolderDialog);
    m_exportAction = new QAction(tr("&Data…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    connect(m_exportAction, &QAction::triggered, this, [this] {
        if (!m_study)
            return;
        ExportDialog dialog(*m_study, this);
        dialog.exec();
    });

    m_packageAction = new QAction(tr("Rater &Package…"), this);
    m_packageAction->setObjectName(QStringLiteral("packageAction"));
    m_packageAction->setStatusTip(
        tr("A study file for one rater to rate offline, holding only what they may see"));
    connect(m_packageAction, &QAction::triggered, this, &MainWindow::showPackageDialog);

    m_demoAction = new QAction(tr("Open &Demo Study"), this);
    connect(m_demoAction, &QAction::triggered, this, [this] { openDemoStudy(); });

    m_closeAction = new QAction(tr("&Close Study"), this);
    m_closeAction->setShortcut(QKeySequence::Close);
    connect(m_closeAction, &QAction::triggered, this, &MainWindow::closeStudy);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_dashboardAction = new QAction(tr("&Dashboard"), this);
    m_dashboardAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_dashboardAction->setStatusTip(tr("Charts of agreement, harm rates and category confusion"));
    connect(m_dashboardAction, &QAction::triggered, this, [this] { showPage(Page::Dashboard); });
    m_reportAction = new QAction(tr("&Report…"), this);
    m_reportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_reportAction->setStatusTip(tr("Export the dashboard as a PDF report"));
    connect(m_reportAction, &QAction::triggered, this, [this] {
        showPage(Page::Dashboard);
        m_dashboard->exportReportDialog();
    });

    m_blurAction = new QAction(tr("&Blur Message Text"), this);
    m_blurAction->setCheckable(true);
    m_blurAction->setChecked(Settings().blurText);
    m_blurAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_blurAction->setStatusTip(tr("Keep messages and responses blurred until you reveal them"));
    connect(m_blurAction, &QAction::toggled, this, [this](bool on) {
        Settings().blurText = on;
        m_ratingPage->setTextBlurred(on);
    });

    m_fullScreenAction = new QAction(tr("&Full Screen"), this);
    m_fullScreenAction->setCheckable(true);
    m_fullScreenAction->setShortcut(QKeySequence::FullScreen);
    connect(m_fullScreenAction, &QAction::toggled, this, [this](bool on) {
        setWindowState(
            on ? windowState() | Qt::WindowFullScreen : windowState() & ~Qt::WindowFullScreen);
    });

    m_preferencesAction = new QAction(tr("&Preferences…"), this);
    m_preferencesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);
    m_setupAction = new QAction(tr("Set &Up Raters and Assignments…"), this);
    connect(m_setupAction, &QAction::triggered, this, &MainWindow::showStudySetup);
    m_reviewAction = new QAction(tr("Review &Disagreements"), this);
    m_reviewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_reviewAction->setToolTip(
        tr("Review and adjudicate disagreements (adjudicators and researchers)"));
    connect(m_reviewAction, &QAction::triggered, this, &MainWindow::reviewDisagreements);

    m_aboutAction = new QAction(tr("&About Crisis Review"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = new RecentStudiesMenu(this);
    connect(m_recentMenu, &RecentStudiesMenu::studyActivated, this,
        [this](const QString &path) { openStudy(path); });
    connect(m_recentMenu, &RecentStudiesMenu::listCleared, this,
        [this] { m_welcome->setRecentStudies({}); });
    file->addMenu(m_recentMenu);
    file->addAction(m_demoAction);
    file->addSeparator();
    file->addAction(m_importAction);
    file->addAction(m_importFolderAction);
    QMenu *exportMenu = file->addMenu(tr("&Export"));
    exportMenu->addAction(m_exportAction);
    exportMenu->addAction(m_packageAction);
    file->addAction(m_reportAction);
    file->addSeparator();
    file->addAction(m_closeAction);
    file->addAction(m_quitAction);

    // Undo/redo belong to the rating session and the review page; the window only
    // shows the shown page's history (showPage() picks the group's active stack).
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_undoGroup->addStack(m_ratingPage->session()->undoStack());
    m_undoGroup->addStack(m_reviewPage->undoStack());
    m_undoAction = m_undoGroup->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Z) });
    m_redoAction = m_undoGroup->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y) });
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(m_ratingPage->finishItemAction());
    edit->addAction(m_ratingPage->flagAction());
    edit->addAction(m_ratingPage->skipAction());
    edit->addAction(m_ratingPage->distressingAction());
    edit->addSeparator();
    edit->addAction(m_preferencesAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_ratingPage->overviewAction());
    view->addAction(m_dashboardAction);
    view->addAction(m_ratingPage->previousItemAction());
    view->addAction(m_ratingPage->nextItemAction());
    view->addAction(m_reviewAction);
    view->addSeparator();
    view->addAction(m_blurAction);
    view->addAction(m_fullScreenAction);

    QMenu *studyMenu = menuBar()->addMenu(tr("&Study"));
    studyMenu->addAction(m_setupAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

bool MainWindow::openStudy(const QString &path, storage::Error *error)
{
    storage::Error e;
    std::unique_ptr<storage::Study> study =
        storage::Study::open(QFileInfo(path).absoluteFilePath(), &e);
    if (!study) {
        m_welcome->showError(
            tr("Could not open the study. %1")
                .arg(e.message.isEmpty() ? QDir::toNativeSeparators(path) : e.message));
        if (!m_study)
            showPage(Page::Welcome);
        if (error)
            *error = e;
        return false;
    }
    adoptStudy(std::move(study), false);
    return true;
}

bool MainWindow::openDemoStudy(storage::Error *error)
{
    const QString path = freshDemoStudyPath();
    storage::Error e;
    std::unique_ptr<storage::Study> study = storage::createDemoStudy(path, &e);
    if (!study) {
        m_welcome->showError(tr("Could not create the demo study. %1").arg(e.message));
        if (error)
            *error = e;
        return false;
    }
    adoptStudy(std::move(study), true);
    return true;
}

void MainWindow::adoptStudy(std::unique_ptr<storage::Study> study, bool demo)
{
    closeStudy();
    m_study = std::move(study);
    m_demo = demo;
    m_welcome->clearError();
    Settings settings;
    if (!demo) {
        settings.lastStudy = m_study->path();
        settings.addRecentStudy(m_study->path());
        m_welcome->setRecentStudies(settings.recentStudies());
    }
    m_studyPage->setPreferredRater(demo ? storage::demoRaterName() : QString(settings.lastRater));
    m_studyPage->setCareVisible(true);
    m_studyPage->setStudy(m_study.get());
    showPage(Page::Study);
    updateTitle();
    emit studyOpened(m_study->path());
    // A rater package is for its rater alone: signed in at once, no one else can be.
    if (const auto package = storage::packageInfo(*m_study)) {
        storage::Error error;
        if (!signIn(package->rater, &error))
            m_studyPage->showError(error.message);
    }
}

bool MainWindow::isRaterPackage() const
{
    return m_study && storage::packageInfo(*m_study).has_value();
}

PackageDialog *MainWindow::showPackageDialog()
{
    if (!m_study || isRaterPackage())
        return nullptr;
    auto *dialog = new PackageDialog(*m_study, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

bool MainWindow::signIn(const QString &raterName, storage::Error *error)
{
    const std::optional<storage::Rater> rater =
        m_study ? storage::RaterRepository(*m_study).byName(raterName) : std::nullopt;
    if (!rater && error)
        *error = storage::Error::invalid(
            tr("There is no rater called “%1” in this study.").arg(raterName));
    return rater && signIn(rater->id, error);
}

bool MainWindow::signIn(qint64 raterId, storage::Error *error)
{
    const std::optional<storage::Rater> rater =
        m_study ? storage::RaterRepository(*m_study).byId(raterId) : std::nullopt;
    if (const auto package = m_study ? storage::packageInfo(*m_study) : std::nullopt;
        package && (!rater || rater->name != package->rater)) {
        if (error)
            *error = storage::Error::invalid(
                tr("This is a rater package for %1; only they sign in.").arg(package->rater));
        return false;
    }
    if (rater && rater->kind == storage::RaterKind::Human
        && rater->role != storage::RaterRole::Rater)
        return openReview(raterId, error);
    if (!rater || rater->kind != storage::RaterKind::Human) {
        if (error)
            *error = storage::Error::invalid(rater
                    ? tr("%1 is an LLM rater; only people sign in to rate.").arg(rater->name)
                    : tr("That rater is not in this study."));
        return false;
    }
    m_study->setActor(rater->name);
    if (!m_demo)
        Settings().lastRater = rater->name;
    m_studyPage->setPreferredRater(rater->name);
    if (rater->role == storage::RaterRole::Rater)
        m_studyPage->setCareVisible(false); // until the study is opened again
    m_ratingPage->setTextBlurred(m_blurAction->isChecked());
    m_ratingPage->start(m_study.get(), *rater);
    showPage(Page::Rating);
    updateTitle();
    return true;
}

void MainWindow::closeStudy()
{
    if (!m_study)
        return;
    const bool explicitClose = sender() == m_closeAction;
    m_ratingPage->clear();
    m_reviewPage->clear();
    m_studyPage->setStudy(nullptr);
    m_dashboard->setStudy(nullptr);
    m_study.reset();
    m_demo = false;
    if (explicitClose)
        Settings().lastStudy.reset();
    showPage(Page::Welcome);
    updateTitle();
    emit studyClosed();
}

MainWindow::Page MainWindow::currentPage() const
{
    if (m_pages->currentWidget() == m_ratingPage)
        return Page::Rating;
    if (m_pages->currentWidget() == m_reviewPage)
        return Page::Review;
    if (m_pages->currentWidget() == m_studyPage)
        return Page::Study;
    if (m_pages->currentWidget() == m_dashboard)
        return Page::Dashboard;
    return Page::Welcome;
}

void MainWindow::showPage(Page page)
{
    if (!m_study)
        page = Page::Welcome;
    if (page == Page::Rating && m_ratingPage->raterName().isEmpty())
        page = Page::Study;
    if (page == Page::Review && m_reviewPage->adjudicatorName().isEmpty())
        page = Page::Study;
    if (page == Page::Dashboard && currentPage() != Page::Dashboard && m_study) {
        if (m_dashboard->study() != m_study.get())
            m_dashboard->setStudy(m_study.get()); // computed on first show, not on open
        else
            m_dashboard->recompute(); // ratings, raters or items may have changed since
    }
    QWidget *widget = page == Page::Dashboard ? static_cast<QWidget *>(m_dashboard)
        : page == Page::Review                ? static_cast<QWidget *>(m_reviewPage)
        : page == Page::Rating                ? static_cast<QWidget *>(m_ratingPage)
        : page == Page::Study                 ? static_cast<QWidget *>(m_studyPage)
                                              : static_cast<QWidget *>(m_welcome);
    m_pages->setCurrentWidget(widget);
    widget->setFocus();
    m_undoGroup->setActiveStack(page == Page::Rating ? m_ratingPage->session()->undoStack()
            : page == Page::Review                   ? m_reviewPage->undoStack()
                                                     : nullptr);
    updateActions();
    updateTitle();
}

void MainWindow::updateActions()
{
    const bool busy = isImporting();
    m_newAction->setEnabled(!busy);
    m_openAction->setEnabled(!busy);
    m_demoAction->setEnabled(!busy);
    m_recentMenu->setEnabled(!busy);
    m_importAction->setEnabled(m_study && !busy);
    m_importFolderAction->setEnabled(m_study && !busy);
    m_exportAction->setEnabled(m_study && !busy);
    m_packageAction->setEnabled(m_study && !busy && !isRaterPackage());
    m_closeAction->setEnabled(m_study && !busy);
    m_setupAction->setEnabled(m_study && !busy);
    m_reviewAction->setEnabled(m_study && !busy);
    m_dashboardAction->setEnabled(m_study != nullptr);
    m_reportAction->setEnabled(m_study != nullptr);
}

void MainWindow::updateTitle()
{
    QString title = QStringLiteral("Crisis Review");
    if (m_study) {
        const QString studyTitle = m_study->title().isEmpty()
            ? QFileInfo(m_study->path()).completeBaseName()
            : m_study->title();
        title = studyTitle + QStringLiteral(" — ") + title;
        if (currentPage() == Page::Rating)
            title = m_ratingPage->raterName() + QStringLiteral(" · ") + title;
        if (currentPage() == Page::Review)
            title = m_reviewPage->adjudicatorName() + QStringLiteral(" · ") + title;
    }
    setWindowTitle(title);
}

bool MainWindow::openReview(qint64 adjudicatorId, storage::Error *error)
{
    const std::optional<storage::Rater> rater =
        m_study ? storage::RaterRepository(*m_study).byId(adjudicatorId) : std::nullopt;
    storage::Error e = storage::Error::invalid(tr("That rater is not in this study."));
    if (!rater || !m_reviewPage->start(m_study.get(), *rater, &e)) {
        if (error)
            *error = e;
        return false;
    }
    m_study->setActor(rater->name);
    showPage(Page::Review);
    return true;
}

void MainWindow::reviewDisagreements()
{
    if (!m_study)
        return;
    if (currentPage() == Page::Review)
        return;
    QList<storage::Rater> reviewers;
    for (const storage::Rater &r : storage::RaterRepository(*m_study).all())
        if (r.kind == storage::RaterKind::Human && r.role != storage::RaterRole::Rater)
            reviewers.append(r);
    // Signed in as an adjudicator or researcher already: no question.
    for (const storage::Rater &r : std::as_const(reviewers))
        if (r.name == m_study->actor()) {
            openReview(r.id);
            return;
        }
    if (reviewers.isEmpty()) {
        m_studyPage->showError(
            tr("Only adjudicators and researchers review disagreements. Add one with "
               "“crisis-review rater add STUDY NAME --role adjudicator”."));
        showPage(Page::Study);
        return;
    }
    qint64 id = reviewers.first().id;
    if (reviewers.size() > 1) {
        QStringList names;
        for (const storage::Rater &r : std::as_const(reviewers))
            names.append(r.name);
        bool ok = false;
        const QString name = QInputDialog::getItem(
            this, tr("Review Disagreements"), tr("Sign in as:"), names, 0, false, &ok);
        if (!ok)
            return;
        id = reviewers.at(names.indexOf(name)).id;
    }
    openReview(id);
}

void MainWindow::newStudy()
{
    NewStudyDialog dialog(studyDialogDirectory(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    storage::Error error;
    std::unique_ptr<storage::Study> study =
        storage::Study::create(dialog.path(), protocol::defaultProtocol(), dialog.title(), &error);
    if (!study) {
        QMessageBox::warning(this, tr("New Study"),
            tr("Could not create %1.\n\n%2")
                .arg(QDir::toNativeSeparators(dialog.path()), error.message));
        return;
    }
    adoptStudy(std::move(study), false);
}

void MainWindow::openStudyDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Study"), studyDialogDirectory(), studyFileFilter());
    if (!path.isEmpty())
        openStudy(path);
}

void MainWindow::importDialog()
{
    if (!m_study || isImporting())
        return;
    const QStringList files = QFileDialog::getOpenFileNames(this,
        tr("Import Items, Responses or Ratings"), studyDialogDirectory(),
        tr("Items, responses, ratings and rater packages (*.jsonl *.csv *.crisis);;Benchmark "
           "files (*.json);;All files (*)"));
    if (!files.isEmpty())
        importFiles(files);
}

void MainWindow::importFolderDialog()
{
    if (!m_study || isImporting())
        return;
    // A folder is imported as the published benchmark's layout (FORMATS.md §2).
    const QString folder = QFileDialog::getExistingDirectory(this,
        tr("Import a Benchmark Folder (dataset, answers, labels, judge files)"),
        studyDialogDirectory());
    if (!folder.isEmpty())
        importFiles({ folder });
}

bool MainWindow::isImporting() const
{
    return m_import && m_import->isRunning();
}

bool MainWindow::importFiles(const QStringList &files, bool skipInvalid)
{
    if (!m_study || isImporting() || files.isEmpty())
        return false;
    m_import->start(m_study->path(), importJob(files, skipInvalid));
    m_progress->start(files);
    updateActions();
    return true;
}

void MainWindow::finishImport(const storage::Error &error)
{
    const ImportResult &job = m_import->result();
    const bool ok = !error.isError();
    updateActions();
    if (ok) {
        const storage::ImportCounts &c = job.report.counts;
        const QLocale locale;
        statusBar()->showMessage(
            tr("Imported %1 items, %2 responses and %3 ratings (%4 rows).")
                .arg(locale.toString(c.itemsAdded), locale.toString(c.responsesAdded),
                    locale.toString(c.labelsAdded + c.ratingsAdded), locale.toString(c.rows)),
            8000);
        if (m_study && m_study->path() == job.studyPath) {
            m_studyPage->refresh();
            if (m_dashboard->study() == m_study.get())
                m_dashboard->recompute(); // new models, splits or raters for the filter lists
        }
        if (ImportSummaryDialog::hasDetails(job.report)) {
            auto *dialog = new ImportSummaryDialog(job.files, job.report, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        }
    } else {
        statusBar()->showMessage(tr("Import failed; nothing changed."), 8000);
        // Window-modal without a nested event loop.
        auto *dialog = new ImportErrorsDialog(job.files, job.report, error, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        const QStringList files = job.files;
        const QString studyPath = job.studyPath;
        connect(
            dialog, &ImportErrorsDialog::importValidRowsRequested, this, [this, files, studyPath] {
                if (m_study && m_study->path() == studyPath)
                    importFiles(files, true);
            });
        dialog->open();
    }
    emit importFinished(ok);
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Crisis Review"),
        tr("<h3>Crisis Review %1</h3>"
           "<p>Clinicians rate how LLM chatbots respond to people in mental-health crisis; "
           "researchers measure agreement and harm, review disagreements and export labelled "
           "sets.</p>"
           "<p>If you are in crisis yourself, please contact a local crisis line or emergency "
           "services.</p>")
            .arg(QStringLiteral(CR_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    Settings settings;
    settings.mainWindowGeometry = saveGeometry();
    settings.mainWindowState = saveState();
    QMainWindow::closeEvent(event);
}

PreferencesDialog *MainWindow::showPreferences()
{
    auto *dialog = new PreferencesDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Blur applies at once (through the View menu's action, which shows the setting);
    // break and content-note settings are read when they apply.
    connect(dialog, &QDialog::accepted, this,
        [this] { m_blurAction->setChecked(Settings().blurText); });
    dialog->open();
    return dialog;
}

StudySetupDialog *MainWindow::showStudySetup()
{
    if (!m_study)
        return nullptr;
    auto *dialog = new StudySetupDialog(m_study.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &StudySetupDialog::studyChanged, m_studyPage, &StudyPage::refresh);
    dialog->open();
    return dialog;
}

} // namespace cr::ui
