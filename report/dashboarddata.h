#pragma once

#include "widgets/agreementpanel.h"
#include "widgets/harmratechart.h"
#include "widgets/heatmapchart.h"
#include "widgets/llmcomparisonpanel.h"
#include "widgets/scoredistributionchart.h"

#include <QHash>
#include <QJsonObject>

namespace cr::widgets {
class DashboardChart;
}

namespace cr::report {

/// Chart data taken from the statistics document (stats::computeStats()), so every
/// number drawn is the engine's number. Pure functions; any thread.
QList<widgets::RateBar> harmBars(const QJsonObject &stats);
QList<widgets::DistributionRow> distributionRows(const QJsonObject &stats);
/// Model × category cells of harm.by_model_category: harm rate or mean consensus score.
widgets::HeatmapData modelCategoryHeatmap(const QJsonObject &stats, bool harmRate);
/// Rater × rater matrix of `key` from a section's "pairwise" list (symmetric, diagonal undefined).
widgets::HeatmapData pairwiseHeatmap(const QJsonObject &section, const QString &key);
QList<widgets::Coefficient> agreementCoefficients(const QJsonObject &stats);
/// Confusion matrix (value = share of the reference row, n = count) and per-class F1.
widgets::HeatmapData confusionHeatmap(const QJsonObject &confusion);
QList<widgets::ClassScore> classScores(const QJsonObject &confusion);
/// The llm_vs_human section as three tables: LLM classifier × (clinician, consensus)
/// on categories, LLM judge × (clinician, consensus) on scores, judge run-to-run
/// consistency. Rows keep the engine's order; values are the engine's numbers.
QList<widgets::MetricTable> llmComparisonTables(const QJsonObject &stats);

/// Replaces rater names by pseudonyms throughout the document (for reports).
QJsonObject pseudonymised(const QJsonObject &stats, const QHash<QString, QString> &pseudonyms);

/// The dashboard's six charts. Owns nothing: the widgets have Qt parents.
struct DashboardCharts {
    widgets::HarmRateChart *harm = nullptr;
    widgets::ScoreDistributionChart *distribution = nullptr;
    widgets::HeatmapChart *modelCategory = nullptr;
    widgets::AgreementPanel *agreement = nullptr;
    widgets::ConfusionPanel *confusion = nullptr;
    widgets::LlmComparisonPanel *llm = nullptr;

    /// Creates the six charts as children of `parent`.
    static DashboardCharts create(QWidget *parent);
    QList<widgets::DashboardChart *> all() const;
    /// Fills every chart from `stats`; `levelNames` name the score levels 1..5.
    /// `heatmapHarmRate`: model × category shows harm rate (else mean score).
    void populate(
        const QJsonObject &stats, const QStringList &levelNames, bool heatmapHarmRate) const;
};

} // namespace cr::report
