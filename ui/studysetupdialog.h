#pragma once

#include "storage/error.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace cr::storage {
class Study;
}
namespace cr::widgets {
class MessageBanner;
}

namespace cr::ui {

class RatersTableModel;
template<typename T> class JobRunner;

/// Study ▸ Set Up Raters and Assignments…: for researchers. Adds raters (name,
/// person/LLM, role) and assigns items to the checked raters, K raters per item,
/// balanced and seeded, with calibration items every checked rater gets — through
/// storage's AssignmentRepository::assign, as `crisis-review assign` does. The raters
/// table shows the resulting per-rater counts. Bad input (an empty or taken name, an
/// unknown calibration item, K out of range) is reported in the dialog and changes
/// nothing.
///
/// Threading: the assignment runs as a job (JobRunner) on a worker thread with its own
/// connection to the study file (a busy bar shows meanwhile); everything else is on the
/// GUI thread.
class StudySetupDialog final : public QDialog {
    Q_OBJECT
public:
    /// `study` is not owned and must outlive the dialog.
    explicit StudySetupDialog(storage::Study *study, QWidget *parent = nullptr);
    ~StudySetupDialog() override;

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *kindBox() const { return m_kind; }
    QComboBox *roleBox() const { return m_role; }
    QPushButton *addButton() const { return m_add; }
    /// The raters to assign to (checkable; people with role "rater" start checked).
    QListWidget *assignList() const { return m_assignees; }
    QSpinBox *perItemBox() const { return m_perItem; }
    QSpinBox *seedBox() const { return m_seed; }
    QLineEdit *calibrationEdit() const { return m_calibration; }
    QPushButton *assignButton() const { return m_assign; }
    RatersTableModel *ratersModel() const { return m_raters; }
    /// The last message (success or the precise error).
    QString message() const;
    bool isAssigning() const;

    /// Adds the rater described by the fields; false (message shown) when refused.
    bool addRater();
    /// Starts assigning; false (message shown) when the input is refused before starting.
    bool startAssignment();

signals:
    /// Raters or assignments were added (the study overview refreshes).
    void studyChanged();
    void assignmentFinished(bool ok);

private:
    /// What the assignment job returns: items added (-1 on failure) and what was asked.
    struct Assigned {
        int added = -1;
        int perItem = 0;
        qsizetype raters = 0;
    };

    void finishAssignment(const storage::Error &error);
    void refresh();
    void updateButtons();
    void showMessage(const QString &text, bool error);

    storage::Study *m_study;
    RatersTableModel *m_raters;
    QTableView *m_ratersView;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QComboBox *m_role;
    QPushButton *m_add;
    QListWidget *m_assignees;
    QSpinBox *m_perItem;
    QSpinBox *m_seed;
    QLineEdit *m_calibration;
    QPushButton *m_assign;
    QProgressBar *m_busy;
    widgets::MessageBanner *m_message;
    JobRunner<Assigned> *m_assignment;
};

} // namespace cr::ui
