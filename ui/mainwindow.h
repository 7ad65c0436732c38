#pragma once

#include "storage/error.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QStackedWidget;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class DashboardPage;
class ImportJob;
class ImportProgress;
class RatingPage;
class RecentStudiesMenu;
class StudyPage;
class WelcomePage;

/// The application window: menus, a stack of pages (welcome, study overview,
/// rating) and the open study, which it owns. Pages do the work; this class only
/// wires them together. GUI thread only.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    enum class Page { Welcome, Study, Rating, Dashboard };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a study file and shows its overview. On failure the welcome page shows
    /// why, and `error` (optional) says so too.
    bool openStudy(const QString &path, storage::Error *error = nullptr);
    /// Creates a fresh copy of the demo study in the temp folder and opens it.
    bool openDemoStudy(storage::Error *error = nullptr);
    /// Signs a human rater of the open study in and shows the rating page.
    bool signIn(const QString &raterName, storage::Error *error = nullptr);
    bool signIn(qint64 raterId, storage::Error *error = nullptr);
    void closeStudy();
    /// Imports files into the open study on a worker thread (File ▸ Import… after its dialog).
    bool importFiles(const QStringList &files);

    Page currentPage() const;
    void showPage(Page page);
    storage::Study *study() const { return m_study.get(); }
    bool isDemoStudy() const { return m_demo; }
    bool isImporting() const { return m_import != nullptr; }

    WelcomePage *welcomePage() const { return m_welcome; }
    StudyPage *studyPage() const { return m_studyPage; }
    RatingPage *ratingPage() const { return m_ratingPage; }
    DashboardPage *dashboardPage() const { return m_dashboard; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }

signals:
    void studyOpened(const QString &path);
    void studyClosed();
    void importFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void adoptStudy(std::unique_ptr<storage::Study> study, bool demo);
    void updateActions();
    void updateTitle();
    void newStudy();
    void openStudyDialog();
    void importDialog();
    void finishImport(bool ok);
    void about();

    std::unique_ptr<storage::Study> m_study;
    bool m_demo = false;
    ImportJob *m_import = nullptr;

    QStackedWidget *m_pages;
    WelcomePage *m_welcome;
    StudyPage *m_studyPage;
    RatingPage *m_ratingPage;
    DashboardPage *m_dashboard;
    ImportProgress *m_progress;

    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_demoAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_blurAction = nullptr;
    QAction *m_fullScreenAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_dashboardAction = nullptr;
    QAction *m_reportAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    RecentStudiesMenu *m_recentMenu = nullptr;
};

} // namespace cr::ui
