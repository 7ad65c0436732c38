#pragma once

#include "stats/results.h"
#include "widgets/agreementpanel.h"
#include "widgets/harmratechart.h"
#include "widgets/heatmapchart.h"
#include "widgets/llmcomparisonpanel.h"
#include "widgets/scoredistributionchart.h"

#include <QHash>

namespace cr::widgets {
class DashboardChart;
}

namespace cr::report {

/// Chart data taken from the statistics engine's results (stats::computeStats()), so
/// every number drawn is the engine's number. Pure functions; any thread.
QList<widgets::RateBar> harmBars(const stats::StatsResult &stats);
QList<widgets::DistributionRow> distributionRows(const stats::StatsResult &stats);
/// Model × category cells of the harm by model and category: harm rate or mean consensus score.
/// `categoryNames` (id → the protocol's name) label the columns; the ids stay in `columns`.
widgets::HeatmapData modelCategoryHeatmap(const stats::StatsResult &stats, bool harmRate,
    const QHash<QString, QString> &categoryNames = {});
/// Rater × rater matrix of one pairwise statistic (symmetric, diagonal undefined).
widgets::HeatmapData pairwiseHeatmap(
    const stats::CategoryAgreement &section, stats::Value stats::CategoryPair::*statistic);
widgets::HeatmapData pairwiseHeatmap(
    const stats::ScoreAgreement &section, stats::Value stats::ScorePair::*statistic);
QList<widgets::Coefficient> agreementCoefficients(const stats::StatsResult &stats);
/// Confusion matrix (value = share of the reference row, n = count) and per-class F1.
widgets::HeatmapData confusionHeatmap(
    const stats::Confusion &confusion, const QHash<QString, QString> &categoryNames = {});
/// Per-class F1 of `confusion`; `categoryNames` (id → the protocol's name) give what the
/// chart shows, the ids stay the label.
QList<widgets::ClassScore> classScores(
    const stats::Confusion &confusion, const QHash<QString, QString> &categoryNames = {});
/// The LLM-vs-clinicians results as three tables: LLM classifier × (clinician, consensus)
/// on categories, LLM judge × (clinician, consensus) on scores, judge run-to-run
/// consistency. Rows keep the engine's order; values are the engine's numbers.
QList<widgets::MetricTable> llmComparisonTables(const stats::StatsResult &stats);

/// Replaces rater names by pseudonyms throughout the results (for reports); a judge's
/// runs' mean and run-to-run rows are named by their runs' pseudonyms ("R004/R005").
stats::StatsResult pseudonymised(
    const stats::StatsResult &stats, const QHash<QString, QString> &pseudonyms);

/// The dashboard's six charts. Owns nothing: the widgets have Qt parents.
struct DashboardCharts {
    widgets::HarmRateChart *harm = nullptr;
    widgets::ScoreDistributionChart *distribution = nullptr;
    widgets::HeatmapChart *modelCategory = nullptr;
    widgets::AgreementPanel *agreement = nullptr;
    widgets::ConfusionPanel *confusion = nullptr;
    widgets::LlmComparisonPanel *llm = nullptr;
    /// The protocol's category names by id, shown instead of ids where set.
    QHash<QString, QString> categoryNames;

    /// Creates the six charts as children of `parent`.
    static DashboardCharts create(QWidget *parent);
    QList<widgets::DashboardChart *> all() const;
    /// Fills every chart from `stats`; `levelNames` name the score levels 1..5.
    /// `heatmapHarmRate`: model × category shows harm rate (else mean score).
    void populate(
        const stats::StatsResult &stats, const QStringList &levelNames, bool heatmapHarmRate) const;

private:
    void populateModelCategory(const stats::StatsResult &stats, bool harmRate) const;
    void populateAgreement(const stats::StatsResult &stats) const;
    void populateConfusion(const stats::StatsResult &stats) const;
    void populateLlm(const stats::StatsResult &stats) const;
};

} // namespace cr::report
