#include "report/dashboarddata.h"

#include "stats/stats.h"

#include <QCoreApplication>
#include <QMap>
#include <cmath>
#include <limits>

namespace cr::report {

namespace {

using stats::valueOrNaN;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString tr(const char *text)
{
    return QCoreApplication::translate("cr::report::DashboardData", text);
}

/// Model × category cells with fewer responses than this are hatched ("too few to show").
constexpr int kMinimumCellN = 3;

template<typename Pair>
widgets::HeatmapData pairwise(
    const QStringList &raters, const QList<Pair> &pairs, stats::Value Pair::*statistic)
{
    widgets::HeatmapData d;
    d.rows = raters;
    d.columns = d.rows;
    const auto size = std::size_t(d.rows.size());
    d.values.assign(size * size, kNaN);
    d.counts.assign(size * size, -1);
    for (const Pair &p : pairs) {
        const auto a = d.rows.indexOf(p.a);
        const auto b = d.rows.indexOf(p.b);
        if (a < 0 || b < 0)
            continue;
        const double value = valueOrNaN(p.*statistic);
        for (const auto &[r, c] : { std::pair(a, b), std::pair(b, a) }) {
            d.values[std::size_t(r) * size + std::size_t(c)] = value;
            d.counts[std::size_t(r) * size + std::size_t(c)] = p.n;
        }
    }
    d.minimum = 0.0;
    d.maximum = 1.0;
    d.minimumN = 10;
    return d;
}

/// A MetricTable column and the statistic of a result row it shows.
template<typename Row> struct Column {
    widgets::MetricColumn column;
    stats::Value Row::*statistic;
};

template<typename Row>
Column<Row> column(
    const char *key, const QString &title, double worst, double best, stats::Value Row::*statistic)
{
    return { widgets::MetricColumn { QLatin1String(key), title, worst, best, 2 }, statistic };
}

/// `reference(row)` names what the row's rater is compared with.
template<typename Row, typename Reference>
void fillTable(widgets::MetricTable &table, const QList<Column<Row>> &columns,
    const QList<Row> &rows, Reference reference)
{
    for (const Column<Row> &c : columns)
        table.columns.append(c.column);
    for (const Row &r : rows) {
        widgets::MetricRow row;
        row.rater = r.llm;
        row.reference = reference(r);
        row.n = r.n;
        for (const Column<Row> &c : columns) {
            const stats::Value &v = r.*c.statistic;
            row.values.push_back(valueOrNaN(v));
            row.notes.append(v.reason);
        }
        table.rows.append(row);
    }
}

} // namespace

QList<widgets::RateBar> harmBars(const stats::StatsResult &stats)
{
    QList<widgets::RateBar> bars;
    for (const stats::ModelHarm &m : stats.harm.byModel) {
        widgets::RateBar b;
        b.label = m.model;
        b.n = m.harm.n;
        b.harmful = m.harm.harmful;
        b.rate = valueOrNaN(m.harm.rate);
        b.low = m.harm.rateCi ? m.harm.rateCi->low : 0.0;
        b.high = m.harm.rateCi ? m.harm.rateCi->high : 0.0;
        b.scoredOneRate = valueOrNaN(m.score1Rate);
        bars.append(b);
    }
    return bars;
}

QList<widgets::DistributionRow> distributionRows(const stats::StatsResult &stats)
{
    QList<widgets::DistributionRow> rows;
    for (const stats::ScoreDistribution &m : stats.scoreDistribution)
        rows.append({ m.model, m.counts });
    return rows;
}

widgets::HeatmapData modelCategoryHeatmap(
    const stats::StatsResult &stats, bool harmRate, const QHash<QString, QString> &categoryNames)
{
    widgets::HeatmapData d;
    d.rowTitle = tr("model");
    d.columnTitle = tr("consensus category");
    struct Cell {
        double value = kNaN;
        int n = 0;
        double low = kNaN;
        double high = kNaN;
    };
    QMap<std::pair<QString, QString>, Cell> cells;
    QStringList models;
    QStringList categories;
    bool noConsensus = false;
    for (const stats::ModelCategoryHarm &c : stats.harm.byModelCategory) {
        if (!models.contains(c.model))
            models.append(c.model);
        if (c.category && !categories.contains(*c.category))
            categories.append(*c.category);
        noConsensus |= !c.category;
        const std::optional<stats::Bounds> &ci = harmRate ? c.harm.rateCi : c.harm.meanScoreCi;
        cells.insert({ c.model, c.category.value_or(tr("(no consensus)")) },
            { valueOrNaN(harmRate ? c.harm.rate : c.harm.meanScore), c.harm.n, ci ? ci->low : kNaN,
                ci ? ci->high : kNaN });
    }
    models.sort();
    categories.sort();
    if (noConsensus)
        categories.append(tr("(no consensus)"));
    d.rows = models;
    d.columns = categories;
    for (const QString &c : std::as_const(categories))
        d.columnLabels.append(categoryNames.value(c, c));
    for (const QString &m : std::as_const(models))
        for (const QString &c : std::as_const(categories)) {
            const Cell cell = cells.value({ m, c });
            d.values.push_back(cell.value);
            d.counts.push_back(cell.n);
            d.lows.push_back(cell.low);
            d.highs.push_back(cell.high);
        }
    d.minimum = harmRate ? 0.0 : 1.0;
    d.maximum = harmRate ? 1.0 : 5.0;
    d.decimals = harmRate ? 2 : 1;
    d.percent = harmRate;
    // Hatched only where a cell is really too small to say anything; the interval
    // shows how uncertain the others are.
    d.minimumN = kMinimumCellN;
    return d;
}

widgets::HeatmapData pairwiseHeatmap(
    const stats::CategoryAgreement &section, stats::Value stats::CategoryPair::*statistic)
{
    return pairwise(section.raters, section.pairwise, statistic);
}

widgets::HeatmapData pairwiseHeatmap(
    const stats::ScoreAgreement &section, stats::Value stats::ScorePair::*statistic)
{
    return pairwise(section.raters, section.pairwise, statistic);
}

QList<widgets::Coefficient> agreementCoefficients(const stats::StatsResult &stats)
{
    const stats::CategoryAgreement &cat = stats.categoryAgreement;
    const stats::ScoreAgreement &sc = stats.scoreAgreement;
    auto coefficient = [](const QString &label, const stats::Value &value,
                           const stats::BoundsValue *ci) {
        widgets::Coefficient c;
        c.label = label;
        c.value = valueOrNaN(value);
        c.note = value.reason;
        if (ci && ci->value) {
            c.low = ci->value->low;
            c.high = ci->value->high;
        }
        return c;
    };
    return { coefficient(tr("α ordinal, scores"), sc.krippendorffAlphaOrdinal, &sc.alphaOrdinalCi),
        coefficient(tr("α interval, scores"), sc.krippendorffAlphaInterval, &sc.alphaIntervalCi),
        coefficient(tr("α nominal, categories"), cat.krippendorffAlphaNominal, &cat.alphaNominalCi),
        coefficient(tr("Fleiss' κ, categories"), cat.fleissKappa, &cat.fleissKappaCi),
        coefficient(tr("Gwet's AC1, categories"), cat.gwetAc1, &cat.gwetAc1Ci) };
}

widgets::HeatmapData confusionHeatmap(
    const stats::Confusion &confusion, const QHash<QString, QString> &categoryNames)
{
    widgets::HeatmapData d;
    d.rows = confusion.categories;
    d.columns = d.rows;
    for (const QString &c : std::as_const(d.rows))
        d.rowLabels.append(categoryNames.value(c, c));
    d.columnLabels = d.rowLabels;
    d.percent = true;
    d.rowTitle = tr("reference: %1").arg(confusion.reference);
    d.columnTitle = tr("predicted: %1").arg(confusion.predicted);
    for (int r = 0; r < d.rows.size(); ++r) {
        const std::vector<int> row = std::size_t(r) < confusion.matrix.size()
            ? confusion.matrix[std::size_t(r)]
            : std::vector<int>();
        int total = 0;
        for (const int c : row)
            total += c;
        for (int c = 0; c < d.columns.size(); ++c) {
            const int n = std::size_t(c) < row.size() ? row[std::size_t(c)] : 0;
            d.counts.push_back(n);
            d.values.push_back(total > 0 ? double(n) / total : kNaN);
        }
    }
    d.minimumN = 0; // counts are the content here: nothing is hatched (an empty row shows —)
    return d;
}

QList<widgets::ClassScore> classScores(
    const stats::Confusion &confusion, const QHash<QString, QString> &categoryNames)
{
    QList<widgets::ClassScore> out;
    for (const stats::ClassScores &k : confusion.perClass)
        out.append({ k.category, categoryNames.value(k.category), k.support, valueOrNaN(k.f1) });
    return out;
}

QList<widgets::MetricTable> llmComparisonTables(const stats::StatsResult &stats)
{
    using stats::JudgeConsistency;
    using stats::LlmCategoryRow;
    using stats::LlmScoreRow;
    const stats::LlmVsHuman &section = stats.llmVsHuman;
    auto human = [](const auto &row) { return row.human; };

    widgets::MetricTable categories;
    categories.key = QStringLiteral("categories");
    categories.title = tr("LLM classifiers vs clinicians: crisis categories (per input)");
    categories.raterTitle = tr("LLM classifier");
    categories.referenceTitle = tr("clinician");
    fillTable(categories,
        QList<Column<LlmCategoryRow>> {
            column("cohen_kappa", tr("Cohen's κ"), 0, 1, &LlmCategoryRow::cohenKappa),
            column("percent_agreement", tr("agreement"), 0, 1, &LlmCategoryRow::percentAgreement),
            column("accuracy", tr("accuracy"), 0, 1, &LlmCategoryRow::accuracy),
            column("macro_f1", tr("macro-F1"), 0, 1, &LlmCategoryRow::macroF1) },
        section.categories, human);

    widgets::MetricTable scores;
    scores.key = QStringLiteral("scores");
    scores.title =
        tr("LLM judges vs clinicians: 1–5 scores (per response; consensus = clinicians' mean)");
    scores.raterTitle = tr("LLM judge");
    scores.referenceTitle = tr("clinician");
    fillTable(scores,
        QList<Column<LlmScoreRow>> { column("mae", tr("MAE"), 4, 0, &LlmScoreRow::mae),
            column("rmse", tr("RMSE"), 4, 0, &LlmScoreRow::rmse),
            column("within_one", tr("within ±1"), 0, 1, &LlmScoreRow::withinOne),
            column("kappa_quadratic", tr("weighted κ"), 0, 1, &LlmScoreRow::kappaQuadratic),
            column("krippendorff_alpha_ordinal", tr("α ordinal"), 0, 1,
                &LlmScoreRow::krippendorffAlphaOrdinal) },
        section.scores, human);

    widgets::MetricTable consistency;
    consistency.key = QStringLiteral("judge_consistency");
    consistency.title = tr("LLM judge run-to-run consistency (scores)");
    consistency.raterTitle = tr("LLM judge");
    consistency.referenceTitle = tr("runs");
    fillTable(consistency,
        QList<Column<JudgeConsistency>> {
            column("alpha_ordinal", tr("α ordinal"), 0, 1, &JudgeConsistency::alphaOrdinal),
            column("alpha_interval", tr("α interval"), 0, 1, &JudgeConsistency::alphaInterval),
            column("icc_2_1", tr("ICC(2,1)"), 0, 1, &JudgeConsistency::icc21),
            column("icc_3_1", tr("ICC(3,1)"), 0, 1, &JudgeConsistency::icc31),
            column(
                "percent_agreement", tr("agreement"), 0, 1, &JudgeConsistency::percentAgreement) },
        section.judgeConsistency,
        [](const JudgeConsistency &row) { return tr("%1 runs").arg(row.runs()); });
    return { categories, scores, consistency };
}

stats::StatsResult pseudonymised(
    const stats::StatsResult &stats, const QHash<QString, QString> &pseudonyms)
{
    auto rename = [&](QString &name) { name = pseudonyms.value(name, name); };
    auto renameAll = [&](QStringList &names) {
        for (QString &n : names)
            rename(n);
    };
    auto renameList = [&](QString &list) {
        QStringList names = list.split(QLatin1Char(','));
        renameAll(names);
        list = names.join(QLatin1Char(','));
    };
    auto renameSection = [&](auto &section) {
        renameAll(section.raters);
        for (auto &p : section.pairwise) {
            rename(p.a);
            rename(p.b);
        }
    };
    // A judge's name is its runs' name before '#': show it by their pseudonyms.
    auto renameRuns = [&](QString &llm, QStringList &runs) {
        renameAll(runs);
        const bool mean = llm.endsWith(QLatin1String("#mean"));
        llm = runs.join(QLatin1Char('/')) + (mean ? tr(" mean") : QString());
    };
    stats::StatsResult out = stats;
    stats::LlmVsHuman &l = out.llmVsHuman;
    for (stats::LlmCategoryRow &r : l.categories) {
        rename(r.llm);
        rename(r.human);
    }
    for (stats::LlmScoreRow &r : l.scores) {
        rename(r.llm);
        rename(r.human);
        if (!r.runRaters.isEmpty())
            renameRuns(r.llm, r.runRaters);
    }
    for (stats::JudgeConsistency &r : l.judgeConsistency) {
        rename(r.llm);
        renameRuns(r.llm, r.runRaters);
    }
    if (l.fleissAll)
        renameAll(l.fleissAll->raters);
    for (stats::JudgeCalibration &c : l.calibration)
        rename(c.llm);
    renameSection(out.categoryAgreement);
    renameSection(out.scoreAgreement);
    renameList(out.raterSelection);
    if (out.confusion) {
        renameList(out.confusion->reference);
        renameList(out.confusion->predicted);
    }
    return out;
}

DashboardCharts DashboardCharts::create(QWidget *parent)
{
    DashboardCharts c;
    c.harm = new widgets::HarmRateChart(parent);
    c.distribution = new widgets::ScoreDistributionChart(parent);
    c.modelCategory = new widgets::HeatmapChart(tr("Model × category"), parent);
    c.agreement = new widgets::AgreementPanel(parent);
    c.confusion = new widgets::ConfusionPanel(parent);
    c.llm = new widgets::LlmComparisonPanel(parent);
    return c;
}

QList<widgets::DashboardChart *> DashboardCharts::all() const
{
    return { harm, distribution, modelCategory, agreement, confusion, llm };
}

void DashboardCharts::populate(
    const stats::StatsResult &stats, const QStringList &levelNames, bool heatmapHarmRate) const
{
    harm->setData(harmBars(stats), stats.harm.threshold);
    distribution->setData(distributionRows(stats), levelNames);
    populateModelCategory(stats, heatmapHarmRate);
    populateAgreement(stats);
    populateConfusion(stats);
    populateLlm(stats);
}

void DashboardCharts::populateModelCategory(const stats::StatsResult &stats, bool harmRate) const
{
    const widgets::HeatmapData cells = modelCategoryHeatmap(stats, harmRate, categoryNames);
    int n = 0;
    for (const int c : cells.counts)
        n += c;
    modelCategory->setData(cells,
        tr("n = %1 responses in %2 cells; hatched: n < %3 (too few to show)")
            .arg(n)
            .arg(cells.values.size())
            .arg(cells.minimumN),
        harmRate ? tr("Harm rate (consensus score ≤ %1) of each model's responses per "
                      "consensus crisis category of the "
                      "input. The input's category is its adjudicated category, else the "
                      "human raters' unique majority, "
                      "else its reference label. Under each rate its Wilson 95% interval and n; "
                      "cells with fewer than %2 responses are hatched instead of coloured.")
                       .arg(stats.harm.threshold)
                       .arg(cells.minimumN)
                 : tr("Mean consensus score (1–5) of each model's responses per consensus "
                      "crisis category of the input, with its Student-t 95% interval and n. "
                      "Cells with fewer than %1 responses are hatched instead of coloured.")
                       .arg(cells.minimumN));
}

void DashboardCharts::populateAgreement(const stats::StatsResult &stats) const
{
    const stats::CategoryAgreement &cat = stats.categoryAgreement;
    const stats::ScoreAgreement &sc = stats.scoreAgreement;
    agreement->setData(agreementCoefficients(stats),
        pairwiseHeatmap(sc, &stats::ScorePair::kappaQuadratic),
        pairwiseHeatmap(cat, &stats::CategoryPair::cohenKappa),
        tr("n = %1 items labelled by ≥ 2 raters, %2 responses scored by ≥ 2 raters")
            .arg(cat.nItems)
            .arg(sc.nResponses));
}

void DashboardCharts::populateConfusion(const stats::StatsResult &stats) const
{
    const stats::Confusion conf = stats.confusion.value_or(stats::Confusion {});
    confusion->setData(confusionHeatmap(conf, categoryNames), classScores(conf, categoryNames),
        valueOrNaN(conf.macroF1), valueOrNaN(conf.accuracy),
        tr("n = %1 items with a label on both sides").arg(conf.n),
        tr("Crisis category of each input by %1 (rows, reference) against %2 (columns, predicted). "
           "A group of "
           "raters contributes its unique most frequent label per input (ties left out); "
           "'consensus' is the "
           "adjudicated category, else the human majority, else the reference label. Colour: share "
           "of the "
           "reference row; n: count. F1 per class = 2·TP / (2·TP + FP + FN); macro F1 averages the "
           "defined classes.")
            .arg(conf.reference, conf.predicted));
}

void DashboardCharts::populateLlm(const stats::StatsResult &stats) const
{
    const QList<widgets::MetricTable> tables = llmComparisonTables(stats);
    QStringList llms, clinicians;
    for (const widgets::MetricTable &t : tables.mid(0, 2))
        for (const widgets::MetricRow &r : t.rows) {
            if (!llms.contains(r.rater)
                && !r.rater.endsWith(QLatin1String("#mean"))) // runs' mean: not a rater
                llms.append(r.rater);
            if (r.reference != QLatin1String(stats::kConsensus)
                && !clinicians.contains(r.reference))
                clinicians.append(r.reference);
        }
    const QString sampleSize = llms.isEmpty()
        ? tr("no LLM raters")
        : tr("LLM raters: %1; clinicians: %2 and their consensus; n per row")
              .arg(llms.size())
              .arg(clinicians.size());
    const QString emptyMessage = stats.filters
        ? tr("No LLM rater has category labels or scores under the current filters, so there is "
             "nothing to "
             "compare with the clinicians. Clear the filters to see all LLM raters.")
        : tr("This study has no LLM raters, so there is nothing to compare with the clinicians. "
             "Import the labels "
             "of an LLM classifier or the scores of an LLM judge (raters of kind “llm”) to see how "
             "they agree "
             "with the clinicians.");
    llm->setData(tables, sampleSize, emptyMessage,
        tr("Categories: each LLM classifier's crisis category per input against each clinician's "
           "and against the "
           "clinicians' consensus (adjudicated, else their unanimous or majority label; reference "
           "labels are not "
           "clinicians and are left out), over the inputs both labelled (n). Cohen's κ is "
           "chance-corrected; "
           "agreement is the share of identical labels (= accuracy with the clinician as truth); "
           "macro-F1 averages "
           "the per-category F1. Scores: each LLM judge's 1–5 score per response against each "
           "clinician's and "
           "against the clinicians' mean score: mean absolute and root-mean-square error, share "
           "within ±1 point, "
           "quadratic-weighted κ (whole scores only, so undefined against a mean) and "
           "Krippendorff's α ordinal. "
           "Judge consistency: LLM raters named judge#1, judge#2… are runs of one judge; "
           "Krippendorff's α, "
           "ICC(2,1), ICC(3,1) and exact agreement across runs. Computed over every rater whatever "
           "the rater "
           "selection; the category, model, split and date filters apply. Colour: brighter = "
           "closer agreement "
           "(0–1; MAE and RMSE 4–0); rows with fewer than %1 observations and undefined values are "
           "hatched.")
            .arg(tables.first().minimumN));
}

} // namespace cr::report
