#pragma once

#include "stats/results.h"

#include <QHash>
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QStandardItemModel;
class QTableView;

namespace cr::ui {

/// Dashboard panel (issue 21): every LLM rater against the clinicians — mean κ with each
/// clinician vs the clinicians' κ with each other, per crisis category, with bootstrap
/// intervals and the difference's interval ("as good as a second clinician?"), and the
/// judges' bias checks (position, length tercile, own model family).
class CalibrationPanel final : public QWidget {
    Q_OBJECT
public:
    explicit CalibrationPanel(QWidget *parent = nullptr);

    /// Shows `stats.llmVsHuman.calibration`; category ids are shown by `categoryNames`.
    void setData(const stats::StatsResult &stats, const QHash<QString, QString> &categoryNames);
    QStandardItemModel *model() const { return m_model; }
    QStandardItemModel *biasModel() const { return m_bias; }

private:
    QLabel *m_empty;
    QLabel *m_biasTitle;
    QStandardItemModel *m_model;
    QStandardItemModel *m_bias;
    QTableView *m_view;
    QTableView *m_biasView;
};

/// Panel for researchers (issue 21; the study overview's Planning tab and the dashboard):
/// for a target 95% interval width, the responses per model and crisis category a harm
/// rate needs (Wilson) and the units an agreement figure needs (bootstrap width scaled
/// with 1/√n), from stats::planStudy(). Its tables are as tall as their rows.
class PlanningPanel final : public QWidget {
    Q_OBJECT
public:
    explicit PlanningPanel(QWidget *parent = nullptr);

    void setData(const stats::StatsResult &stats, const QHash<QString, QString> &categoryNames);
    /// A line above the tables (what the figures are computed from, or "Computing…").
    void setStatus(const QString &text);
    QDoubleSpinBox *widthSpin() const { return m_width; }
    /// Harm rates: crisis category, responses per model now, rate now, needed, at any rate.
    QStandardItemModel *model() const { return m_model; }
    /// Agreement: figure, units now, interval width now, units needed.
    QStandardItemModel *agreementModel() const { return m_agreement; }

private:
    void refresh();

    std::optional<stats::StatsResult> m_stats;
    QHash<QString, QString> m_names;
    QDoubleSpinBox *m_width;
    QStandardItemModel *m_model;
    QStandardItemModel *m_agreement;
    QTableView *m_harmView;
    QTableView *m_agreementView;
    QLabel *m_status;
};

} // namespace cr::ui
