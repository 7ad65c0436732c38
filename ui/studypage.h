#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QWidget;

namespace cr::storage {
class Study;
struct StudyInfo;
} // namespace cr::storage
namespace cr::widgets {
class MessageBanner;
class StatTile;
} // namespace cr::widgets

namespace cr::ui {

class ModelsTableModel;
class PlanningPanel;
class RaterExposureModel;
class RatersTableModel;
class SignInPanel;
template<typename T> class JobRunner;

/// The researcher's overview of an open study (title, protocol, counts, models,
/// raters) and the entry to rating (SignInPanel): pick a rater, start. The counts come from
/// storage::summarize (the maintained tally rows) run on a worker (JobRunner), so opening a
/// large study never waits for them; the page shows them when they arrive. The Planning tab
/// (researchers: hidden with the rater care) shows stats::planStudy() of the whole study
/// (human raters), computed as a job (JobRunner) the first time the tab is shown after the
/// study was opened or refreshed. GUI thread only.
class StudyPage final : public QWidget {
    Q_OBJECT
public:
    /// `withSignIn`: the page has the "Sign in as" panel (RolePolicy: only while nobody
    /// is signed in; raterPicker() is nullptr without it).
    explicit StudyPage(QWidget *parent = nullptr, bool withSignIn = true);
    ~StudyPage() override;

    /// `study` is not owned and must outlive the page, or be replaced by nullptr first.
    void setStudy(storage::Study *study);
    /// Re-reads the study (after an import, for example): lists the raters to sign in as at
    /// once and starts the summary on a worker (a newer refresh supersedes a running one).
    void refresh();
    /// True while a summary is being computed; summaryShown() follows when it is on the page.
    bool isSummarizing() const;

    /// Preselects a rater in the picker when the study has one of that name.
    void setPreferredRater(const QString &name);
    QString selectedRaterName() const;
    /// Shows a problem above the overview (e.g. an unknown --rater name).
    void showError(const QString &message);

    ModelsTableModel *modelsModel() const { return m_models; }
    RatersTableModel *ratersModel() const { return m_raters; }
    /// Care for raters (researcher only): skips, distressing pauses, exposure.
    RaterExposureModel *exposureModel() const { return m_exposure; }
    /// The rater-care table, the raters' label and score counts, the label/score/
    /// adjudication totals and the setup button are for the supervising researcher:
    /// shown while nobody or an adjudicator/researcher is signed in, hidden (and
    /// emptied) once a person with role "rater" has signed in on this window — raters
    /// never see others' counts.
    void setCareVisible(bool visible);
    bool isCareVisible() const { return m_careVisible; }
    QComboBox *raterPicker() const;
    /// The tabs "Raters and models" and "Planning" (the latter only with the care shown).
    QTabWidget *tabs() const { return m_tabs; }
    PlanningPanel *planningPanel() const { return m_planning; }
    /// True while the Planning tab's statistics are being computed.
    bool isPlanningComputing() const;

signals:
    /// The counts of the last refresh() are on the page.
    void summaryShown();
    /// The Planning tab's figures are shown (or failed: its status says why).
    void planningFinished();
    void ratingRequested(qint64 raterId);
    void importRequested();
    /// The researcher wants to add raters or assign items (StudySetupDialog).
    void setupRequested();

private:
    QWidget *buildTables();
    QWidget *buildSide();
    void clearView();
    void showSummary(const storage::StudyInfo &info);
    QWidget *buildPlanning();
    /// Starts the Planning computation when its tab is shown and its figures are stale.
    void updatePlanning();

    struct PlanningResult;

    storage::Study *m_study = nullptr;
    QString m_preferredRater;
    QHash<QString, qint64> m_assigned; ///< assignments per rater name, from the last summary
    ModelsTableModel *m_models;
    RatersTableModel *m_raters;
    RaterExposureModel *m_exposure;
    QTableView *m_exposureView;
    QWidget *m_care = nullptr;
    bool m_careVisible = true;
    widgets::MessageBanner *m_banner;
    QLabel *m_title;
    QLabel *m_path;
    QLabel *m_protocol;
    QList<widgets::StatTile *> m_tiles;
    QTableView *m_modelsView;
    QTableView *m_ratersView;
    SignInPanel *m_signIn;
    QLabel *m_contents;
    QPushButton *m_setupButton;
    JobRunner<storage::StudyInfo> *m_summary;
    QTabWidget *m_tabs = nullptr;
    PlanningPanel *m_planning = nullptr;
    JobRunner<PlanningResult> *m_planningJob = nullptr;
    bool m_planningStale = true;
};

} // namespace cr::ui
