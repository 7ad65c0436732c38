#pragma once

#include "llm/runner.h"
#include "ui/jobrunner.h"

#include <QDialog>
#include <QElapsedTimer>
#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QDoubleSpinBox;

namespace cr::storage {
class Study;
}

namespace cr::ui {

/// What a Run LLM job delivers: the run's summary (or nothing, after a failure).
struct LlmJobResult {
    std::optional<llm::RunSummary> summary;
};
using LlmRunner = JobRunner<LlmJobResult>;

/// Counters a running job shares with the dialog (written on the worker, read by a timer).
struct LlmLiveCounts {
    std::atomic<qint64> attempts { 0 };
    std::atomic<qint64> failedAttempts { 0 };
    std::atomic<qint64> failedUnits { 0 };
};

/// The job behind Study ▸ Run LLM…: llm::runTask on the job's own study connection, with
/// the job's cancel and progress (done + given up of total).
LlmRunner::Work llmRunJob(llm::RunOptions options, std::shared_ptr<LlmLiveCounts> live);

/// Study ▸ Run LLM…: kind (respond, classify, judge), endpoint profile, response models
/// (judge), runs; a progress bar with the rate and the errors so far, and Cancel (what is
/// done is kept; starting again resumes). "Endpoints…" edits the profiles.
class LlmRunDialog : public QDialog {
    Q_OBJECT
public:
    explicit LlmRunDialog(storage::Study *study, QWidget *parent = nullptr);

    QComboBox *taskBox() const { return m_task; }
    QComboBox *endpointBox() const { return m_endpoint; }
    QSpinBox *runsBox() const { return m_runs; }
    QLineEdit *modelsEdit() const { return m_models; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *dryRunButton() const { return m_dryRun; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    bool isRunning() const;

signals:
    /// A run stored results (the study page and dashboard may show new raters).
    void studyChanged();

private:
    void reloadEndpoints();
    void start(bool dryRun);
    void showCounts();
    void finished(bool ok, const QString &error);

    storage::Study *m_study;
    QComboBox *m_task;
    QComboBox *m_endpoint;
    QSpinBox *m_runs;
    QLineEdit *m_models;
    QPushButton *m_endpoints;
    QPushButton *m_dryRun;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_rate;
    QLabel *m_status;
    LlmRunner *m_runner;
    std::shared_ptr<LlmLiveCounts> m_live;
    QElapsedTimer m_clock;
    bool m_dryRunning = false;
};

/// The endpoint profiles (settings, no secrets): a table, and a form to add or replace one.
class EndpointsDialog : public QDialog {
    Q_OBJECT
public:
    explicit EndpointsDialog(QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    /// Saves the form as a profile; false (message in the status line) when it is unusable.
    bool saveForm();

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *modelEdit() const { return m_model; }
    QLineEdit *keyEnvEdit() const { return m_keyEnv; }
    QSpinBox *concurrencyBox() const { return m_concurrency; }

private:
    void reload();
    void fillForm(int row);

    QTableWidget *m_table;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_model;
    QLineEdit *m_keyEnv;
    QSpinBox *m_concurrency;
    QSpinBox *m_rpm;
    QDoubleSpinBox *m_temperature;
    QSpinBox *m_maxTokens;
    QDoubleSpinBox *m_timeout;
    QLabel *m_message;
};

} // namespace cr::ui
