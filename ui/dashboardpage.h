#pragma once

#include "report/dashboarddata.h"
#include "stats/stats.h"

#include <QElapsedTimer>
#include <QThread>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class CalibrationPanel;
class PlanningPanel;

template<typename T> class JobRunner;

/// The research dashboard: a filter bar over six charts of the statistics engine.
/// Every filter change recomputes the statistics as a job (JobRunner: a worker thread
/// with its own Study connection); results of superseded runs are discarded. The charts,
/// PNG/SVG/CSV export and the PDF report live on the GUI thread. GUI thread only.
class DashboardPage final : public QWidget {
    Q_OBJECT
public:
    explicit DashboardPage(QWidget *parent = nullptr);
    ~DashboardPage() override;

    /// Shows `study` and starts a computation; nullptr detaches (the filter lists and
    /// choices are kept, so the next study starts from them where they still apply).
    void setStudy(storage::Study *study);
    storage::Study *study() const { return m_study; }
    /// The options the filter bar currently stands for.
    stats::StatsOptions options() const;
    /// Refreshes the filter lists from the study (keeping valid choices) and starts a
    /// computation now (a running one is superseded). Call when the study's content changed.
    void recompute();

    bool isComputing() const;
    /// The statistics behind the charts (none before the first result).
    const std::optional<stats::StatsResult> &document() const { return m_document; }
    const report::DashboardCharts &charts() const { return m_charts; }
    CalibrationPanel *calibrationPanel() const { return m_calibration; }
    PlanningPanel *planningPanel() const { return m_planning; }
    /// The thread the last finished computation ran on (for tests).
    QThread *lastWorkerThread() const { return m_workerThread; }
    /// Milliseconds from the computation start to the charts being drawn.
    qint64 lastDurationMs() const { return m_lastDurationMs; }

    // Filter controls, for tests and the CLI screenshot.
    QComboBox *raterCombo() const { return m_raters; }
    QComboBox *categoryCombo() const { return m_category; }
    QComboBox *modelCombo() const { return m_model; }
    QComboBox *splitCombo() const { return m_split; }
    QComboBox *datasetCombo() const { return m_dataset; }
    QDoubleSpinBox *thresholdSpin() const { return m_threshold; }
    QComboBox *confusionReferenceCombo() const { return m_confusionA; }
    QComboBox *confusionPredictedCombo() const { return m_confusionB; }
    /// Where harm by category takes the item's category from (remembered in the settings).
    QComboBox *categorySourceCombo() const { return m_categorySource; }
    QCheckBox *dateRangeCheck() const { return m_dateRange; }
    QDateEdit *fromEdit() const { return m_from; }
    QDateEdit *toEdit() const { return m_to; }

    /// Writes the PDF report of the current document (File ▸ Report…).
    bool exportReport(const QString &path, QString *error);
    /// Writes one CSV per chart into `directory` (file names from the chart titles).
    bool exportTables(const QString &directory, QString *error);

    void exportReportDialog();
    /// Where the save dialogs start: the study's folder (home for a demo copy).
    QString saveFolder() const;
    void exportTablesDialog();

signals:
    /// A computation's charts have been drawn.
    void computationFinished();
    void computationFailed(const QString &message);

private:
    struct Result {
        std::optional<stats::StatsResult> document;
        QThread *thread = nullptr;
    };

    void buildFilterBar();
    void fillFilterChoices();
    void scheduleRecompute();
    void startComputation();
    void finishComputation();
    void failComputation(const storage::Error &error);
    void exportChart(widgets::DashboardChart *chart, const QString &format);

    storage::Study *m_study = nullptr;
    std::optional<stats::StatsResult> m_document;
    report::DashboardCharts m_charts;
    CalibrationPanel *m_calibration = nullptr; ///< researchpanels.h
    PlanningPanel *m_planning = nullptr;
    QStringList m_levelNames;
    JobRunner<Result> *m_job;
    QThread *m_workerThread = nullptr;
    QElapsedTimer m_clock;
    qint64 m_lastDurationMs = -1;
    QTimer *m_debounce;

    QComboBox *m_raters;
    QComboBox *m_category;
    QComboBox *m_model;
    QComboBox *m_split;
    QComboBox *m_dataset;
    bool m_datasetRestored = false; ///< the remembered dataset was offered once
    QCheckBox *m_dateRange;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QDoubleSpinBox *m_threshold;
    QComboBox *m_heatmapMetric;
    QComboBox *m_confusionA;
    QComboBox *m_confusionB;
    QComboBox *m_categorySource;
    QProgressBar *m_busy;
    QLabel *m_status;
    QPushButton *m_reportButton;
    QPushButton *m_csvButton;
};

} // namespace cr::ui
