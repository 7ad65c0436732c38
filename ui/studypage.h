#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QWidget;

namespace cr::storage {
class Study;
}
namespace cr::widgets {
class MessageBanner;
class StatTile;
} // namespace cr::widgets

namespace cr::ui {

class ModelsTableModel;
class RaterExposureModel;
class RatersTableModel;
class SignInPanel;

/// The researcher's overview of an open study (title, protocol, counts, models,
/// raters) and the entry to rating (SignInPanel): pick a rater, start. Reads the study on the
/// GUI thread through storage::summarize (a few aggregate queries). GUI thread only.
class StudyPage final : public QWidget {
    Q_OBJECT
public:
    /// `withSignIn`: the page has the "Sign in as" panel (RolePolicy: only while nobody
    /// is signed in; raterPicker() is nullptr without it).
    explicit StudyPage(QWidget *parent = nullptr, bool withSignIn = true);
    ~StudyPage() override;

    /// `study` is not owned and must outlive the page, or be replaced by nullptr first.
    void setStudy(storage::Study *study);
    /// Re-reads the study (after an import, for example).
    void refresh();

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

signals:
    void ratingRequested(qint64 raterId);
    void importRequested();
    /// The researcher wants to add raters or assign items (StudySetupDialog).
    void setupRequested();

private:
    QWidget *buildTables();
    QWidget *buildSide();

    storage::Study *m_study = nullptr;
    QString m_preferredRater;
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
};

} // namespace cr::ui
