#include "ui/mainwindow.h"

#include "protocol/protocol.h"
#include "storage/backend.h"
#include "storage/demo.h"
#include "storage/package.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/auditbanner.h"
#include "ui/dashboardpage.h"
#include "ui/exportdialog.h"
#include "ui/exportjob.h"
#include "ui/helpdialogs.h"
#include "ui/importerrorsdialog.h"
#include "ui/importjob.h"
#include "ui/importprogress.h"
#include "ui/importsummarydialog.h"
#include "ui/llmrundialog.h"
#include "ui/newstudydialog.h"
#include "ui/packagedialog.h"
#include "ui/passwordstore.h"
#include "ui/preferencesdialog.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/recentstudiesmenu.h"
#include "ui/reviewpage.h"
#include "ui/serverlogin.h"
#include "ui/settings.h"
#include "ui/studyfiles.h"
#include "ui/studypage.h"
#include "ui/studysetupdialog.h"
#include "ui/studywatcher.h"
#include "ui/welcomepage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLocale>
#include <QLockFile>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoGroup>
#include <QUndoStack>
#include <QVBoxLayout>

namespace cr::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_passwords(std::make_unique<KeyringPasswordStore>())
    , m_import(new JobRunner<ImportResult>(this))
    , m_bundleExport(new JobRunner<ExportResult>(this))
    , m_pages(new QStackedWidget(this))
    , m_auditBanner(new AuditBanner(this))
    , m_welcome(new WelcomePage(m_pages))
    , m_progress(new ImportProgress(this))
    , m_undoGroup(new QUndoGroup(this))
{
    m_pages->addWidget(m_welcome);
    // The audit-log warning sits above every page (AuditBanner).
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_auditBanner);
    centralLayout->addWidget(m_pages, 1);
    setCentralWidget(central);

    statusBar()->addPermanentWidget(m_progress);
    m_progress->track(m_import);
    connect(m_import, &JobRunnerBase::succeeded, this, [this] { finishImport({}); });
    connect(m_import, &JobRunnerBase::failed, this, &MainWindow::finishImport);
    connect(m_bundleExport, &JobRunnerBase::succeeded, this, [this] {
        statusBar()->showMessage(
            tr("Your ratings were written to %1.")
                .arg(QDir::toNativeSeparators(m_bundleExport->result().outPath)),
            8000);
    });
    connect(m_bundleExport, &JobRunnerBase::failed, this, [this](const storage::Error &error) {
        statusBar()->showMessage(tr("Export failed: %1").arg(error.message), 8000);
    });

    connect(m_welcome, &WelcomePage::newStudyRequested, this, &MainWindow::newStudy);
    connect(m_welcome, &WelcomePage::openStudyRequested, this, &MainWindow::openStudyDialog);
    connect(m_welcome, &WelcomePage::demoStudyRequested, this, [this] { openDemoStudy(); });
    connect(m_welcome, &WelcomePage::recentStudyActivated, this,
        [this](const QString &path) { openStudy(path); });
    connect(m_welcome, &WelcomePage::recentStudyRemoved, this,
        [](const QString &path) { Settings().removeRecentStudy(path); });

    buildSession(RolePolicy(SessionRole::Owner));

    const Settings settings;
    m_welcome->setRecentStudies(settings.recentStudies());
    // The first window is never larger than the screen it opens on (1280×720, 1366×768
    // laptops); a remembered geometry is fitted by restoreGeometry() itself.
    if (!restoreGeometry(settings.mainWindowGeometry)) {
        resize(1280, 800);
        if (const QScreen *screen = this->screen())
            setGeometry(clampedWindowGeometry(geometry(), screen->availableGeometry()));
    }
    restoreState(settings.mainWindowState);
    showPage(Page::Welcome);
    updateTitle();
}

MainWindow::~MainWindow()
{
    delete m_import; // waits for a running import before the study goes away
    m_import = nullptr;
    delete m_bundleExport;
    m_bundleExport = nullptr;
    if (m_ratingPage)
        m_ratingPage->clear();
    if (m_reviewPage)
        m_reviewPage->clear();
    if (m_studyPage)
        m_studyPage->setStudy(nullptr);
    if (m_demo && m_study) {
        const QString demo = m_study->path();
        if (m_dashboard)
            m_dashboard->setStudy(nullptr);
        m_study.reset();
        removeStudyFileSet(demo); // a demo copy never outlives its window
        m_demoLock.reset();
    }
}

QRect MainWindow::clampedWindowGeometry(const QRect &wanted, const QRect &available)
{
    if (!available.isValid())
        return wanted;
    // Room for the window frame, which geometry() does not include: a title bar above
    // (about 32 px) and borders.
    constexpr int titleBar = 32;
    const QSize frame(16, titleBar + 8);
    const QSize room = (available.size() - frame).expandedTo(QSize(640, 480));
    QRect out(wanted.topLeft(), wanted.size().boundedTo(room));
    const QRect withFrame = out.adjusted(-frame.width() / 2, -titleBar, frame.width() / 2, 8);
    if (!available.contains(withFrame))
        out.moveTopLeft(QPoint(
            available.left() + std::max(0, (available.width() - out.width()) / 2),
            available.top() + std::max(0, (available.height() - out.height() - frame.height()) / 2)
                + titleBar));
    return out;
}

void MainWindow::buildSession(const RolePolicy &policy)
{
    if (m_built && policy.role() == m_policy.role()) {
        // Same role (another study opened by its holder): the same pages and actions,
        // detached from the old study.
        detachPages();
        updateActions();
        return;
    }
    m_built = true;
    m_policy = policy;
    dropPages();
    createPages();
    // Actions and menus are made anew: what the role may not use does not exist.
    menuBar()->clear();
    qDeleteAll(m_sessionActions);
    m_sessionActions.clear();
    qDeleteAll(m_menus);
    m_menus.clear();
    createActions();
    createMenus();
    updateActions();
}

void MainWindow::detachPages()
{
    if (m_ratingPage)
        m_ratingPage->clear();
    if (m_reviewPage)
        m_reviewPage->clear();
    if (m_studyPage)
        m_studyPage->setStudy(nullptr);
    if (m_dashboard)
        m_dashboard->setStudy(nullptr);
}

void MainWindow::dropPages()
{
    for (QWidget *page :
        std::initializer_list<QWidget *> { m_studyPage, m_ratingPage, m_reviewPage, m_dashboard }) {
        if (!page)
            continue;
        // May run inside one of the page's own signals (the sign-in button): detach
        // now, delete once control is back in the event loop.
        m_pages->removeWidget(page);
        page->hide();
        page->setParent(nullptr);
        page->deleteLater();
    }
    detachPages();
    m_studyPage = nullptr;
    m_ratingPage = nullptr;
    m_reviewPage = nullptr;
    m_dashboard = nullptr;
}

void MainWindow::createPages()
{
    const bool overview = m_policy.allows(Feature::StudyOverview);
    if (overview) {
        m_studyPage = new StudyPage(m_pages, m_policy.allows(Feature::SignIn));
        m_pages->addWidget(m_studyPage);
        connect(m_studyPage, &StudyPage::ratingRequested, this, [this](qint64 raterId) {
            storage::Error error;
            if (!signIn(raterId, &error) && m_studyPage)
                m_studyPage->showError(error.message);
        });
        connect(m_studyPage, &StudyPage::importRequested, this, &MainWindow::importDialog);
        connect(m_studyPage, &StudyPage::setupRequested, this, &MainWindow::showStudySetup);
    }
    if (m_policy.allows(Feature::RatingPage)) {
        m_ratingPage = new RatingPage(m_pages, overview);
        m_pages->addWidget(m_ratingPage);
        m_undoGroup->addStack(m_ratingPage->session()->undoStack());
        connect(m_ratingPage, &RatingPage::overviewRequested, this, [this] {
            if (m_studyPage)
                m_studyPage->refresh(); // the rater's work may have changed the counts
            showPage(Page::Study);
        });
    }
    if (m_policy.allows(Feature::ReviewPage)) {
        m_reviewPage = new ReviewPage(m_pages, overview);
        m_pages->addWidget(m_reviewPage);
        m_undoGroup->addStack(m_reviewPage->undoStack());
        connect(m_reviewPage, &ReviewPage::overviewRequested, this, [this] {
            if (m_studyPage)
                m_studyPage->refresh();
            showPage(Page::Study);
        });
    }
    if (m_policy.allows(Feature::Dashboard)) {
        m_dashboard = new DashboardPage(m_pages);
        m_pages->addWidget(m_dashboard);
    }
}

void MainWindow::createActions()
{
    const auto make = [this](const QString &text) {
        auto *action = new QAction(text, this);
        m_sessionActions.append(action);
        return action;
    };
    const auto allowed = [this](Feature f) { return m_policy.allows(f); };
    m_newAction = m_demoAction = m_importAction = m_importFolderAction = m_exportAction =
        m_packageAction = m_exportOwnAction = m_dashboardAction = m_reportAction = m_setupAction =
            m_llmAction = m_reviewAction = nullptr;

    if (allowed(Feature::NewStudy)) {
        m_newAction = make(tr("&New Study…"));
        m_newAction->setShortcut(QKeySequence::New);
        connect(m_newAction, &QAction::triggered, this, &MainWindow::newStudy);
        m_demoAction = make(tr("Open &Demo Study"));
        connect(m_demoAction, &QAction::triggered, this, [this] { openDemoStudy(); });
    }

    m_openAction = make(tr("&Open…"));
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openStudyDialog);

    if (allowed(Feature::Import)) {
        m_importAction = make(tr("&Import…"));
        m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
        connect(m_importAction, &QAction::triggered, this, &MainWindow::importDialog);
        m_importFolderAction = make(tr("Import &Benchmark Folder…"));
        m_importFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
        connect(m_importFolderAction, &QAction::triggered, this, &MainWindow::importFolderDialog);
    }
    if (allowed(Feature::Export)) {
        m_exportAction = make(tr("&Data…"));
        m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
        m_exportAction->setObjectName(QStringLiteral("exportAction"));
        connect(m_exportAction, &QAction::triggered, this, [this] {
            if (!m_study)
                return;
            ExportDialog dialog(*m_study, this);
            dialog.exec();
        });
        m_packageAction = make(tr("Rater &Package…"));
        m_packageAction->setObjectName(QStringLiteral("packageAction"));
        m_packageAction->setStatusTip(
            tr("A study file for one rater to rate offline, holding only what they may see"));
        connect(m_packageAction, &QAction::triggered, this, &MainWindow::showPackageDialog);
    }
    if (allowed(Feature::ExportOwnBundle)) {
        m_exportOwnAction = make(tr("&Export My Ratings…"));
        m_exportOwnAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
        m_exportOwnAction->setObjectName(QStringLiteral("exportOwnBundleAction"));
        m_exportOwnAction->setStatusTip(
            tr("Write your own labels and ratings as a bundle for the researcher"));
        connect(m_exportOwnAction, &QAction::triggered, this, &MainWindow::exportOwnBundle);
    }

    m_closeAction = make(tr("&Close Study"));
    m_closeAction->setShortcut(QKeySequence::Close);
    connect(m_closeAction, &QAction::triggered, this, &MainWindow::closeStudy);

    m_quitAction = make(tr("&Quit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    if (allowed(Feature::Dashboard)) {
        m_dashboardAction = make(tr("&Dashboard"));
        m_dashboardAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
        m_dashboardAction->setStatusTip(
            tr("Charts of agreement, harm rates and category confusion"));
        connect(
            m_dashboardAction, &QAction::triggered, this, [this] { showPage(Page::Dashboard); });
    }
    if (allowed(Feature::Report)) {
        m_reportAction = make(tr("Re&port…"));
        m_reportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        m_reportAction->setStatusTip(tr("Export the dashboard as a PDF report"));
        connect(m_reportAction, &QAction::triggered, this, [this] {
            showPage(Page::Dashboard);
            if (m_dashboard && currentPage() == Page::Dashboard)
                m_dashboard->exportReportDialog();
        });
    }

    m_blurAction = make(tr("&Blur Message Text"));
    m_blurAction->setCheckable(true);
    m_blurAction->setChecked(Settings().blurText);
    m_blurAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_blurAction->setStatusTip(tr("Keep messages and responses blurred until you reveal them"));
    connect(m_blurAction, &QAction::toggled, this, [this](bool on) {
        Settings().blurText = on;
        if (m_ratingPage)
            m_ratingPage->setTextBlurred(on);
    });

    m_fullScreenAction = make(tr("&Full Screen"));
    m_fullScreenAction->setCheckable(true);
    m_fullScreenAction->setChecked(isFullScreen());
    m_fullScreenAction->setShortcut(QKeySequence::FullScreen);
    connect(m_fullScreenAction, &QAction::toggled, this, [this](bool on) {
        setWindowState(
            on ? windowState() | Qt::WindowFullScreen : windowState() & ~Qt::WindowFullScreen);
    });

    m_preferencesAction = make(tr("&Preferences…"));
    m_preferencesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);
    if (allowed(Feature::StudySetup)) {
        m_setupAction = make(tr("Set &Up Raters and Assignments…"));
        connect(m_setupAction, &QAction::triggered, this, &MainWindow::showStudySetup);
    }
    if (allowed(Feature::RunLlm)) {
        m_llmAction = make(tr("Run &LLM…"));
        m_llmAction->setObjectName(QStringLiteral("runLlmAction"));
        m_llmAction->setStatusTip(
            tr("Collect responses, or classify and judge with an LLM, against an endpoint"));
        connect(m_llmAction, &QAction::triggered, this, &MainWindow::showLlmRun);
    }
    // The Owner picks an adjudicator or researcher to sign in as; a signed-in reviewer
    // goes back to the queue.
    if (allowed(Feature::ReviewPage) || allowed(Feature::SignIn)) {
        m_reviewAction = make(tr("Review Di&sagreements"));
        m_reviewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
        m_reviewAction->setToolTip(
            tr("Review and adjudicate disagreements (adjudicators and researchers)"));
        connect(m_reviewAction, &QAction::triggered, this, &MainWindow::reviewDisagreements);
    }

    m_shortcutsAction = make(tr("&Keyboard Shortcuts"));
    m_shortcutsAction->setShortcut(QKeySequence(Qt::Key_F1));
    connect(m_shortcutsAction, &QAction::triggered, this, &MainWindow::showKeyboardShortcuts);
    m_protocolAction = make(tr("&Protocol…"));
    m_protocolAction->setStatusTip(
        tr("The study's protocol: categories, definitions, anchors, checklist (read-only)"));
    connect(m_protocolAction, &QAction::triggered, this, &MainWindow::showProtocol);

    m_aboutAction = make(tr("&About Crisis Review"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);

    // Undo/redo belong to the rating session and the review page; the window only
    // shows the shown page's history (showPage() picks the group's active stack).
    m_undoAction = m_undoGroup->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Z) });
    m_redoAction = m_undoGroup->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y) });
    m_sessionActions << m_undoAction << m_redoAction;
}

void MainWindow::createMenus()
{
    const auto addAll = [](QMenu *menu, std::initializer_list<QAction *> actions) {
        for (QAction *action : actions)
            if (action)
                menu->addAction(action);
    };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_menus.append(file);
    addAll(file, { m_newAction, m_openAction });
    m_recentMenu = new RecentStudiesMenu(this);
    m_menus.append(m_recentMenu);
    connect(m_recentMenu, &RecentStudiesMenu::studyActivated, this,
        [this](const QString &path) { openStudy(path); });
    connect(m_recentMenu, &RecentStudiesMenu::listCleared, this,
        [this] { m_welcome->setRecentStudies({}); });
    file->addMenu(m_recentMenu);
    addAll(file, { m_demoAction });
    file->addSeparator();
    addAll(file, { m_importAction, m_importFolderAction });
    if (m_exportAction) {
        QMenu *exportMenu = file->addMenu(tr("&Export"));
        addAll(exportMenu, { m_exportAction, m_packageAction });
    }
    addAll(file, { m_exportOwnAction, m_reportAction });
    file->addSeparator();
    addAll(file, { m_closeAction, m_quitAction });

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_menus.append(edit);
    addAll(edit, { m_undoAction, m_redoAction });
    edit->addSeparator();
    if (m_ratingPage) {
        addAll(edit,
            { m_ratingPage->finishItemAction(), m_ratingPage->flagAction(),
                m_ratingPage->skipAction(), m_ratingPage->distressingAction() });
        edit->addSeparator();
    }
    addAll(edit, { m_preferencesAction });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_menus.append(view);
    if (m_ratingPage)
        addAll(view, { m_ratingPage->overviewAction() });
    addAll(view, { m_dashboardAction });
    if (m_ratingPage)
        addAll(view, { m_ratingPage->previousItemAction(), m_ratingPage->nextItemAction() });
    addAll(view, { m_reviewAction });
    view->addSeparator();
    addAll(view, { m_blurAction, m_fullScreenAction });

    if (m_setupAction || m_llmAction) {
        // Alt+S is "Start Rating" on the overview; the menu is Alt+Y.
        QMenu *studyMenu = menuBar()->addMenu(tr("Stud&y"));
        m_menus.append(studyMenu);
        addAll(studyMenu, { m_setupAction, m_llmAction });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_menus.append(help);
    addAll(help, { m_shortcutsAction, m_protocolAction });
    help->addSeparator();
    help->addAction(m_aboutAction);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt); // owned by the menu
}

bool MainWindow::openStudy(const QString &path, storage::Error *error)
{
    return openStudyAs(path, {}, error);
}

void MainWindow::setPasswordStore(std::unique_ptr<PasswordStore> store)
{
    m_passwords = std::move(store);
}

bool MainWindow::openStudyAs(const QString &path, const QString &raterName, storage::Error *error)
{
    storage::Error e;
    // A server study asks for its password when libpq finds none that works (the
    // system keyring, then a dialog); a file opens as it is.
    std::unique_ptr<storage::Study> study = storage::isServerUri(path)
        ? openServerStudy(this, path, *m_passwords, &e)
        : storage::Study::open(QFileInfo(path).absoluteFilePath(), &e);
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
    return adoptStudy(std::move(study), false, raterName, error);
}

bool MainWindow::openDemoStudy(storage::Error *error)
{
    removeStaleDemoStudies(); // copies left by runs that crashed
    const QString path = freshDemoStudyPath();
    // The lock says "in use" to other runs' clean-up; the copy goes when the study closes.
    auto lock = std::make_unique<QLockFile>(demoLockPath(path));
    lock->setStaleLockTime(0);
    lock->tryLock(0);
    storage::Error e;
    std::unique_ptr<storage::Study> study = storage::createDemoStudy(path, &e);
    if (!study) {
        m_welcome->showError(tr("Could not create the demo study. %1").arg(e.message));
        removeStudyFileSet(path);
        if (error)
            *error = e;
        return false;
    }
    adoptStudy(std::move(study), true);
    m_demoLock = std::move(lock); // after adoptStudy, which closed (and removed) any earlier demo
    return true;
}

bool MainWindow::adoptStudy(std::unique_ptr<storage::Study> study, bool demo,
    const QString &signInAs, storage::Error *error)
{
    // The open demo copy opened again (to sign in as someone else): it stays a demo,
    // and closing the old connection must not remove its file.
    std::unique_ptr<QLockFile> keptLock;
    if (m_demo && m_study && study && m_study->path() == study->path()) {
        keptLock = std::move(m_demoLock);
        m_demo = false;
        demo = true;
    }
    closeStudy();
    if (keptLock)
        m_demoLock = std::move(keptLock);
    m_study = std::move(study);
    m_demo = demo;
    // Others' writes (other app instances, other sites) refresh the overview and the
    // dashboard while they are shown: a rater's page never reloads under them.
    m_watcher = new StudyWatcher(m_study.get(), this);
    connect(m_watcher, &StudyWatcher::changed, this, &MainWindow::refreshFromElsewhere);
    m_welcome->clearError();
    Settings settings;
    if (!demo) {
        settings.lastStudy = storage::isServerUri(m_study->path())
            ? storage::displayUri(m_study->path())
            : m_study->path();
        settings.addRecentStudy(m_study->path());
        m_welcome->setRecentStudies(settings.recentStudies());
    }
    const SessionRole role = RolePolicy::initialRole(*m_study);
    buildSession(RolePolicy(role));
    if (role == SessionRole::Rater) {
        // A rater package: its rater is signed in, nobody else can be.
        storage::Error e;
        const bool signedIn = signIn(RolePolicy::packageRater(*m_study), &e);
        if (!signedIn) {
            m_welcome->showError(e.message);
            if (error)
                *error = e;
        }
        updateTitle();
        emit studyOpened(m_study->path());
        return signedIn || signInAs.isEmpty(); // the package is open either way
    }
    storage::Error refused;
    if (!signInAs.isEmpty()) {
        // Straight to the person's page: the overview (and its summary) is not needed
        // unless the sign-in is refused.
        if (signIn(signInAs, &refused)) {
            updateTitle();
            m_auditBanner->check(m_study->path());
            emit studyOpened(m_study->path());
            return true;
        }
        if (error)
            *error = refused;
    }
    m_studyPage->setPreferredRater(demo ? storage::demoRaterName() : QString(settings.lastRater));
    m_studyPage->setCareVisible(true);
    m_studyPage->setStudy(m_study.get());
    showPage(Page::Study);
    updateTitle();
    if (!signInAs.isEmpty())
        m_studyPage->showError(refused.message);
    m_auditBanner->check(m_study->path());
    emit studyOpened(m_study->path());
    return signInAs.isEmpty();
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
    const auto refuse = [error](const QString &message) {
        if (error)
            *error = storage::Error::invalid(message);
        return false;
    };
    if (!rater)
        return refuse(tr("That rater is not in this study."));
    if (rater->kind != storage::RaterKind::Human)
        return refuse(tr("%1 is an LLM rater; only people sign in to rate.").arg(rater->name));
    if (m_signedIn != 0 && m_signedIn != raterId)
        return refuse(tr("Someone is signed in already. To sign in as someone else, open the "
                         "study again (File ▸ Open…)."));
    const QString package = RolePolicy::packageRater(*m_study);
    if (!package.isEmpty() && rater->name != package)
        return refuse(tr("This is a rater package for %1; only they sign in.").arg(package));
    if (!package.isEmpty() && rater->role != storage::RaterRole::Rater)
        return refuse(tr("A rater package signs in a rater only."));
    const bool already = m_signedIn == raterId;
    if (!already) {
        m_signedIn = raterId;
        buildSession(
            package.isEmpty() ? RolePolicy::forRater(*rater) : RolePolicy(SessionRole::Rater));
        m_study->setActor(rater->name);
        if (!m_demo && package.isEmpty())
            Settings().lastRater = rater->name;
        if (m_studyPage) {
            m_studyPage->setPreferredRater(rater->name);
            m_studyPage->setStudy(m_study.get());
        }
    }
    if (m_reviewPage) {
        storage::Error e = storage::Error::invalid(tr("That rater is not in this study."));
        if (!already && !m_reviewPage->start(m_study.get(), *rater, &e)) {
            if (error)
                *error = e;
            return false;
        }
        showPage(Page::Review);
        return true;
    }
    if (!m_ratingPage)
        return refuse(tr("%1 has no rating page.").arg(rater->name));
    if (!already) {
        m_ratingPage->setTextBlurred(m_blurAction->isChecked());
        m_ratingPage->start(m_study.get(), *rater);
    }
    showPage(Page::Rating);
    updateTitle();
    return true;
}

void MainWindow::refreshFromElsewhere()
{
    if (!m_study)
        return;
    if (m_studyPage && currentPage() == Page::Study)
        m_studyPage->refresh();
    if (m_dashboard && currentPage() == Page::Dashboard && m_dashboard->study() == m_study.get())
        m_dashboard->recompute(); // on a worker (JobRunner): the window keeps responding
}

void MainWindow::closeStudy()
{
    if (!m_study)
        return;
    const bool explicitClose = sender() && sender() == m_closeAction;
    m_signedIn = 0;
    buildSession(RolePolicy(SessionRole::Owner)); // detaches the pages from the study
    m_auditBanner->clear();
    delete m_watcher;
    m_watcher = nullptr;
    const QString demo = m_demo ? m_study->path() : QString();
    m_study.reset();
    if (!demo.isEmpty()) {
        removeStudyFileSet(demo); // the demo copy is not kept
        m_demoLock.reset(); // unlocks and removes the lock file
    }
    m_demo = false;
    if (explicitClose)
        Settings().lastStudy.reset();
    showPage(Page::Welcome);
    updateTitle();
    emit studyClosed();
}

MainWindow::Page MainWindow::currentPage() const
{
    QWidget *current = m_pages->currentWidget();
    for (const Page page : { Page::Rating, Page::Review, Page::Study, Page::Dashboard })
        if (current && current == pageWidget(page))
            return page;
    return Page::Welcome;
}

QWidget *MainWindow::pageWidget(Page page) const
{
    switch (page) {
    case Page::Welcome:
        return m_welcome;
    case Page::Study:
        return m_studyPage;
    case Page::Rating:
        return m_ratingPage;
    case Page::Review:
        return m_reviewPage;
    case Page::Dashboard:
        return m_dashboard;
    }
    return nullptr;
}

void MainWindow::showPage(Page page)
{
    if (!m_study)
        page = Page::Welcome;
    if (page == Page::Rating && (!m_ratingPage || m_ratingPage->raterName().isEmpty()))
        page = Page::Study;
    if (page == Page::Review && (!m_reviewPage || m_reviewPage->adjudicatorName().isEmpty()))
        page = Page::Study;
    if (page != Page::Welcome && !pageWidget(page)) {
        // Not part of this role's session: stay where we are (a rater stays rating).
        if (currentPage() != Page::Welcome || !m_study)
            return;
        page = m_ratingPage ? Page::Rating : m_reviewPage ? Page::Review : Page::Welcome;
    }
    if (page == Page::Dashboard && currentPage() != Page::Dashboard && m_study) {
        if (m_dashboard->study() != m_study.get())
            m_dashboard->setStudy(m_study.get()); // computed on first show, not on open
        else
            m_dashboard->recompute(); // ratings, raters or items may have changed since
    }
    QWidget *widget = pageWidget(page);
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
    const bool open = m_study != nullptr;
    const auto enable = [](QAction *action, bool on) {
        if (action)
            action->setEnabled(on);
    };
    enable(m_newAction, !busy);
    enable(m_openAction, !busy);
    enable(m_demoAction, !busy);
    if (m_recentMenu)
        m_recentMenu->setEnabled(!busy);
    enable(m_importAction, open && !busy);
    enable(m_importFolderAction, open && !busy);
    enable(m_exportAction, open && !busy);
    enable(m_exportOwnAction, open && !busy);
    enable(m_packageAction, open && !busy && !isRaterPackage());
    enable(m_closeAction, open && !busy);
    enable(m_setupAction, open && !busy);
    enable(m_llmAction, open && !busy && !isRaterPackage());
    enable(m_reviewAction, open && !busy);
    enable(m_dashboardAction, open);
    enable(m_reportAction, open);
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
    if (rater && rater->role == storage::RaterRole::Rater) {
        if (error)
            *error = storage::Error::invalid(
                tr("%1 has role “rater”; only adjudicators and researchers review disagreements.")
                    .arg(rater->name));
        return false;
    }
    return signIn(adjudicatorId, error);
}

void MainWindow::reviewDisagreements()
{
    if (!m_study)
        return;
    if (m_reviewPage && !m_reviewPage->adjudicatorName().isEmpty()) {
        showPage(Page::Review); // signed in as an adjudicator or researcher already
        return;
    }
    if (!m_policy.allows(Feature::SignIn))
        return;
    QList<storage::Rater> reviewers;
    for (const storage::Rater &r : storage::RaterRepository(*m_study).all())
        if (r.kind == storage::RaterKind::Human && r.role != storage::RaterRole::Rater)
            reviewers.append(r);
    if (reviewers.isEmpty()) {
        if (m_studyPage)
            m_studyPage->showError(
                tr("Only adjudicators and researchers review disagreements. Add one in "
                   "Study ▸ Set Up Raters and Assignments… with the role “Adjudicator”."));
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
        if (!ok || !m_study)
            return;
        id = reviewers.at(names.indexOf(name)).id;
    }
    storage::Error error;
    if (!openReview(id, &error) && m_studyPage)
        m_studyPage->showError(error.message);
}

void MainWindow::exportOwnBundle()
{
    if (!m_study || !m_ratingPage || m_ratingPage->raterName().isEmpty()
        || m_bundleExport->isRunning())
        return;
    const QString rater = m_ratingPage->raterName();
    const QString out = QFileDialog::getSaveFileName(this, tr("Export My Ratings"),
        QDir(studyDialogDirectory()).filePath(rater + QStringLiteral(".jsonl")),
        tr("Ratings bundle (*.jsonl)"));
    if (out.isEmpty() || !m_study)
        return;
    storage::ExportOptions options;
    options.format = storage::ExportFormat::Bundle;
    options.bundleRater = rater; // never anyone else's
    m_bundleExport->start(m_study->path(), exportJob(out, options));
    statusBar()->showMessage(tr("Exporting your ratings…"));
}

void MainWindow::newStudy()
{
    NewStudyDialog dialog(studyDialogDirectory(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    storage::Error error;
    QString problem;
    const std::optional<protocol::Protocol> chosen = dialog.protocol(&problem);
    if (!chosen) {
        QMessageBox::warning(this, tr("New Study"), problem);
        return;
    }
    std::unique_ptr<storage::Study> study =
        storage::Study::create(dialog.path(), *chosen, dialog.title(), &error);
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
    if (!m_study || isImporting() || !m_policy.allows(Feature::Import))
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
    if (!m_study || isImporting() || !m_policy.allows(Feature::Import))
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
    if (!m_study || isImporting() || files.isEmpty() || !m_policy.allows(Feature::Import))
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
            if (m_studyPage)
                m_studyPage->refresh();
            if (m_dashboard && m_dashboard->study() == m_study.get())
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
        QStringList categories;
        if (m_study)
            for (const protocol::Category &c : m_study->currentProtocol().categories)
                categories.append(tr("%1 (%2)").arg(c.id, c.name));
        auto *dialog = new ImportErrorsDialog(job.files, job.report, error, this, categories);
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

KeyboardShortcutsDialog *MainWindow::showKeyboardShortcuts()
{
    QList<QAction *> actions;
    for (const QMenu *menu : std::as_const(m_menus))
        for (QAction *a : menu->actions())
            if (!actions.contains(a))
                actions.append(a);
    auto *dialog = new KeyboardShortcutsDialog(actions, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

ProtocolViewerDialog *MainWindow::showProtocol()
{
    auto *dialog = new ProtocolViewerDialog(
        m_study ? m_study->currentProtocol() : protocol::defaultProtocol(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_study)
        dialog->setWindowTitle(dialog->windowTitle() + tr(" (default for new studies)"));
    dialog->show();
    return dialog;
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
    if (const int pending = m_ratingPage ? m_ratingPage->session()->pendingWrites() : 0; pending > 0
        && QMessageBox::warning(this, tr("Changes Not Saved Yet"),
               m_ratingPage->session()->pendingRatingWrites() == pending
                   ? tr("%n change(s) are not in the study yet (it is busy or cannot be reached). "
                        "They are kept on this computer and sent the next time you rate this "
                        "study. Quit now?",
                       nullptr, pending)
                   : tr("%n change(s) still wait for the study file (another program is writing "
                        "to it). Quit anyway and lose what is not kept on this computer?",
                       nullptr, pending),
               QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Discard) {
        event->ignore();
        return;
    }
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
    if (!m_study || !m_policy.allows(Feature::StudySetup))
        return nullptr;
    auto *dialog = new StudySetupDialog(m_study.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_studyPage)
        connect(dialog, &StudySetupDialog::studyChanged, m_studyPage, &StudyPage::refresh);
    dialog->open();
    return dialog;
}

LlmRunDialog *MainWindow::showLlmRun()
{
    if (!m_study || !m_policy.allows(Feature::RunLlm))
        return nullptr;
    auto *dialog = new LlmRunDialog(m_study.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_studyPage)
        connect(dialog, &LlmRunDialog::studyChanged, m_studyPage, &StudyPage::refresh);
    dialog->open();
    return dialog;
}

} // namespace cr::ui
