#pragma once

#include "storage/error.h"
#include "ui/rolepolicy.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QLockFile;
class QStackedWidget;
class QUndoGroup;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class AuditBanner;
class DashboardPage;
template<typename T> class JobRunner;
struct ExportResult;
struct ImportResult;
class ImportProgress;
class KeyboardShortcutsDialog;
class ProtocolViewerDialog;
class PackageDialog;
class PasswordStore;
class PreferencesDialog;
class StudySetupDialog;
class LlmRunDialog;
class RatingPage;
class RecentStudiesMenu;
class ReviewPage;
class StudyPage;
class StudyWatcher;
class WelcomePage;

/// The application window: menus, a stack of pages (welcome, study overview,
/// rating, review, dashboard) and the open study, which it owns. Pages do the work;
/// this class only wires them together. GUI thread only.
///
/// Roles: what exists depends on who is signed in (RolePolicy, ui/rolepolicy.cpp). Each
/// time a study is opened or someone signs in, the window rebuilds its pages, actions
/// (with their shortcuts) and menus from the policy: a page or action the role may not
/// use is not created, and accessors for it return nullptr. Nobody signed in on a
/// master study file (the Owner) gets the researcher's tools and the sign-in; a signed-in
/// rater gets the rating page only. Signing in again needs the study reopened.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    enum class Page { Welcome, Study, Rating, Review, Dashboard };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a study file and shows its overview. On failure the welcome page shows
    /// why, and `error` (optional) says so too.
    bool openStudy(const QString &path, storage::Error *error = nullptr);
    /// Opens a study and signs `raterName` in straight away (`crisis-review STUDY --rater
    /// NAME`): the overview is not computed unless the sign-in fails (then it shows, with
    /// the reason). False when the study did not open or the sign-in was refused.
    bool openStudyAs(
        const QString &path, const QString &raterName, storage::Error *error = nullptr);
    /// Where a server login's password is remembered when the person asks for it (the
    /// system keyring unless replaced; tests give an in-memory one). See openServerStudy().
    PasswordStore *passwordStore() const { return m_passwords.get(); }
    void setPasswordStore(std::unique_ptr<PasswordStore> store);
    /// Creates a fresh copy of the demo study in the temp folder and opens it.
    bool openDemoStudy(storage::Error *error = nullptr);
    /// Signs a person of the open study in: a rater lands on the rating page, an
    /// adjudicator or researcher on the review. Refused once someone is signed in
    /// (switching roles needs the study reopened) and, on a rater package, for anyone
    /// but the package's rater.
    bool signIn(const QString &raterName, storage::Error *error = nullptr);
    bool signIn(qint64 raterId, storage::Error *error = nullptr);
    /// signIn() of an adjudicator or researcher (Study ▸ Review Disagreements, Ctrl+D).
    bool openReview(qint64 adjudicatorId, storage::Error *error = nullptr);
    /// What the current session may reach.
    const RolePolicy &policy() const { return m_policy; }
    void closeStudy();
    /// Imports files into the open study on a worker thread (File ▸ Import… after its dialog).
    /// Imports on a worker thread; with `skipInvalid`, the valid rows only.
    bool importFiles(const QStringList &files, bool skipInvalid = false);

    Page currentPage() const;
    /// The widget of `page`; null when this role has no such page.
    QWidget *pageWidget(Page page) const;
    void showPage(Page page);
    storage::Study *study() const { return m_study.get(); }
    bool isDemoStudy() const { return m_demo; }
    bool isImporting() const;

    WelcomePage *welcomePage() const { return m_welcome; }
    StudyPage *studyPage() const { return m_studyPage; }
    RatingPage *ratingPage() const { return m_ratingPage; }
    ReviewPage *reviewPage() const { return m_reviewPage; }
    QAction *reviewAction() const { return m_reviewAction; }
    DashboardPage *dashboardPage() const { return m_dashboard; }
    /// Edit ▸ Undo/Redo: the shown page's history (the rating session's on the rating
    /// page, the adjudications on the review page, none elsewhere); the texts name
    /// the command ("Undo Adjudication of item i3").
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }
    /// Edit ▸ Preferences… (Ctrl+,) and Study ▸ Set Up Raters and Assignments….
    QAction *preferencesAction() const { return m_preferencesAction; }
    QAction *setupAction() const { return m_setupAction; }
    QAction *llmAction() const { return m_llmAction; }
    QAction *exportAction() const { return m_exportAction; }
    /// File ▸ Export My Ratings… (a signed-in rater's own bundle).
    QAction *exportOwnBundleAction() const { return m_exportOwnAction; }
    QAction *dashboardAction() const { return m_dashboardAction; }
    /// Opens the dialog (window-modal, deleted on close) and returns it.
    PreferencesDialog *showPreferences();
    /// Help ▸ Keyboard Shortcuts (F1) and Help ▸ Protocol… (the open study's, else the
    /// default protocol); both non-modal, deleted on close.
    KeyboardShortcutsDialog *showKeyboardShortcuts();
    ProtocolViewerDialog *showProtocol();
    /// `wanted` fitted into the screen area `available` (frame included), centred when it
    /// would stick out.
    static QRect clampedWindowGeometry(const QRect &wanted, const QRect &available);
    /// File ▸ Export ▸ Rater Package… (not in a rater package itself).
    PackageDialog *showPackageDialog();
    QAction *packageAction() const { return m_packageAction; }
    /// The open study is a rater package (storage::packageInfo): its rater is signed in
    /// on open and no other sign-in is possible. Role gating reads this as role rater.
    bool isRaterPackage() const;
    StudySetupDialog *showStudySetup();
    /// Study ▸ Run LLM… (nullptr when the role has no such action or no study is open).
    LlmRunDialog *showLlmRun();

signals:
    void studyOpened(const QString &path);
    void studyClosed();
    void importFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    /// Rebuilds pages, actions and menus for `policy` (RolePolicy) and makes it current.
    void buildSession(const RolePolicy &policy);
    void dropPages();
    /// Detaches the pages from the study (they stay).
    void detachPages();
    void createPages();
    void createActions();
    void createMenus();
    void exportOwnBundle();
    /// `signInAs`: a person to sign in at once (the overview is built only if that fails).
    bool adoptStudy(std::unique_ptr<storage::Study> study, bool demo, const QString &signInAs = {},
        storage::Error *error = nullptr);
    void updateActions();
    void updateTitle();
    void newStudy();
    void openStudyDialog();
    void importDialog();
    void importFolderDialog();
    void finishImport(const storage::Error &error);
    void about();
    void reviewDisagreements();
    /// Someone else wrote to the study (StudyWatcher): refresh what is shown.
    void refreshFromElsewhere();

    std::unique_ptr<storage::Study> m_study;
    std::unique_ptr<PasswordStore> m_passwords;
    bool m_demo = false;
    /// Held while a demo copy is open: tells later runs the copy is in use.
    std::unique_ptr<QLockFile> m_demoLock;
    RolePolicy m_policy;
    bool m_built = false; ///< buildSession() has run once
    qint64 m_signedIn = 0; ///< the signed-in rater's id, 0 = nobody
    JobRunner<ImportResult> *m_import;
    JobRunner<ExportResult> *m_bundleExport;

    QStackedWidget *m_pages;
    AuditBanner *m_auditBanner;
    WelcomePage *m_welcome;
    // Per session, by the policy (nullptr when the role has no such page).
    StudyPage *m_studyPage = nullptr;
    RatingPage *m_ratingPage = nullptr;
    ReviewPage *m_reviewPage = nullptr;
    DashboardPage *m_dashboard = nullptr;
    StudyWatcher *m_watcher = nullptr; ///< while a study is open
    ImportProgress *m_progress;
    QUndoGroup *m_undoGroup;

    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_importFolderAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_packageAction = nullptr;
    QAction *m_exportOwnAction = nullptr;
    QAction *m_demoAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_blurAction = nullptr;
    QAction *m_fullScreenAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_shortcutsAction = nullptr;
    QAction *m_protocolAction = nullptr;
    QAction *m_dashboardAction = nullptr;
    QAction *m_reportAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_preferencesAction = nullptr;
    QAction *m_setupAction = nullptr;
    QAction *m_llmAction = nullptr;
    QAction *m_reviewAction = nullptr;
    RecentStudiesMenu *m_recentMenu = nullptr;
    QList<QAction *> m_sessionActions; ///< the window's actions of this session
    QList<QMenu *> m_menus;
};

} // namespace cr::ui
