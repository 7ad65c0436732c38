#include "stats/stats.h"

#include "analysis/bootstrap.h"
#include "analysis/classification.h"
#include "analysis/harm.h"
#include "analysis/kappa.h"
#include "analysis/krippendorff.h"
#include "analysis/scores.h"
#include "analysis/summaries.h"
#include "stats/calibration.h"
#include "stats/llmvshuman.h"
#include "stats/planning.h"
#include "storage/study.h"

#include <QMap>
#include <QSet>
#include <algorithm>
#include <array>
#include <cmath>

namespace cr::stats {

namespace {

using analysis::Estimate;

QStringList raterNames(const QList<storage::Rater> &raters)
{
    QStringList names;
    for (const auto &r : raters)
        names.append(r.name);
    return names;
}

/// A seeded bootstrap interval for Krippendorff's alpha, or undefined with the reason.
BootstrapSettings settingsOf(const StatsOptions &options)
{
    return { options.bootstrap, options.seed, options.threads };
}

/// Registers the bootstrap of Krippendorff's alpha over the table's units; `sink` gets its
/// interval (bootstrapDisabled() when off) and the run.
void alphaInterval(IntervalPlan &plan, const analysis::RatingTable &table, analysis::Metric metric,
    std::function<void(const BoundsValue &, const analysis::BootstrapInterval &)> sink)
{
    if (!plan.enabled())
        return sink(bootstrapDisabled(), {});
    plan.custom(
        [&](analysis::SharedBootstrap &shared) {
            return analysis::addAlpha(shared, table, metric);
        },
        [sink = std::move(sink)](const std::vector<analysis::BootstrapInterval> &ci) {
            sink(boundsOf(ci.front()), ci.front());
        });
}

/// Every rater pair a < b in rater order; intervals registered with `plan`.
void categoryPairs(const storage::LabelMatrix &m, IntervalPlan &plan, QList<CategoryPair> *pairs)
{
    const int raters = int(m.raters.size());
    const int K = int(m.categories.size());
    for (int a = 0; a < raters; ++a) {
        for (int b = a + 1; b < raters; ++b) {
            std::vector<int> x, y;
            for (int i = 0; i < m.itemIds.size(); ++i) {
                if (m.code(a, i) >= 0 && m.code(b, i) >= 0) {
                    x.push_back(m.code(a, i));
                    y.push_back(m.code(b, i));
                }
            }
            CategoryPair p;
            p.a = m.raters[a].name;
            p.b = m.raters[b].name;
            p.n = int(x.size());
            const analysis::KappaResult k = analysis::cohenKappa(x, y, K);
            p.cohenKappa = valueOf(k.kappa);
            p.percentAgreement =
                valueOf(x.empty() ? Estimate::undefined("no item labelled by both raters")
                                  : Estimate::of(k.observed));
            const qsizetype index = pairs->size();
            pairs->append(p);
            plan.kappas(x, y, K, { analysis::Weighting::Unweighted },
                [pairs, index](
                    const QList<BoundsValue> &ci) { (*pairs)[index].cohenKappaCi = ci.front(); });
        }
    }
}

/// Fills `o` (which must stay in place until plan.run()).
void categoryAgreement(const storage::LabelMatrix &m, IntervalPlan &plan, CategoryAgreement *out)
{
    CategoryAgreement &o = *out;
    const int raters = int(m.raters.size());
    const int K = int(m.categories.size());
    // Units: items labelled by at least two of the selected raters.
    std::vector<int> units;
    for (int i = 0; i < m.itemIds.size(); ++i) {
        int n = 0;
        for (int r = 0; r < raters; ++r)
            n += m.code(r, i) >= 0;
        if (n >= 2)
            units.push_back(i);
    }
    analysis::RatingTable table(raters, int(units.size()));
    for (int r = 0; r < raters; ++r)
        for (std::size_t u = 0; u < units.size(); ++u)
            if (const int c = m.code(r, units[u]); c >= 0)
                table.at(r, int(u)) = c;
    const analysis::CountTable counts = analysis::CountTable::fromRatings(table, K);

    o.nItems = int(units.size());
    o.raters = raterNames(m.raters);
    o.fleissKappa = valueOf(analysis::fleissKappa(counts).coefficient);
    o.krippendorffAlphaNominal =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Nominal).alpha);
    o.gwetAc1 = valueOf(analysis::gwetAC(counts).coefficient);
    alphaInterval(plan, table, analysis::Metric::Nominal,
        [out](const BoundsValue &ci, const analysis::BootstrapInterval &) {
            out->alphaNominalCi = ci;
        });
    o.percentAgreement = valueOf(analysis::percentAgreement(counts));
    categoryPairs(m, plan, &o.pairwise);
    // Fleiss' kappa, Gwet's AC1 and percent agreement over the same resamples of items.
    if (!plan.enabled()) {
        o.fleissKappaCi = o.gwetAc1Ci = o.percentAgreementCi = bootstrapDisabled();
        return;
    }
    plan.custom(
        [&](analysis::SharedBootstrap &shared) {
            return analysis::addCounts(shared, counts,
                { [](const analysis::CountTable &t) {
                     return analysis::fleissKappa(t).coefficient;
                 },
                    [](const analysis::CountTable &t) { return analysis::gwetAC(t).coefficient; },
                    [](const analysis::CountTable &t) { return analysis::percentAgreement(t); } });
        },
        [out](const std::vector<analysis::BootstrapInterval> &ci) {
            out->fleissKappaCi = boundsOf(ci[0]);
            out->gwetAc1Ci = boundsOf(ci[1]);
            out->percentAgreementCi = boundsOf(ci[2]);
        });
}

void scorePairs(const storage::ScoreMatrix &m, IntervalPlan &plan, QList<ScorePair> *pairs)
{
    const int raters = int(m.raters.size());
    for (int a = 0; a < raters; ++a) {
        for (int b = a + 1; b < raters; ++b) {
            std::vector<double> x, y;
            std::vector<int> cx, cy;
            for (int i = 0; i < m.responseIds.size(); ++i) {
                const double sa = m.score(a, i), sb = m.score(b, i);
                if (std::isnan(sa) || std::isnan(sb))
                    continue;
                x.push_back(sa);
                y.push_back(sb);
                cx.push_back(int(sa) - 1);
                cy.push_back(int(sb) - 1);
            }
            const analysis::PairedScoreAgreement s = analysis::pairedScoreAgreement(x, y);
            ScorePair p;
            p.a = m.raters[a].name;
            p.b = m.raters[b].name;
            p.n = s.n;
            p.mae = valueOf(s.mae);
            p.rmse = valueOf(s.rmse);
            p.withinOne = valueOf(s.withinOne);
            p.kappaQuadratic =
                valueOf(analysis::cohenKappa(cx, cy, 5, analysis::Weighting::Quadratic).kappa);
            p.kappaLinear =
                valueOf(analysis::cohenKappa(cx, cy, 5, analysis::Weighting::Linear).kappa);
            const qsizetype index = pairs->size();
            pairs->append(p);
            plan.kappas(cx, cy, 5, { analysis::Weighting::Quadratic, analysis::Weighting::Linear },
                [pairs, index](const QList<BoundsValue> &ci) {
                    (*pairs)[index].kappaQuadraticCi = ci[0];
                    (*pairs)[index].kappaLinearCi = ci[1];
                });
        }
    }
}

/// Fills `o` (which must stay in place until plan.run()).
void scoreAgreement(const storage::ScoreMatrix &m, const StatsOptions &options, IntervalPlan &plan,
    ScoreAgreement *out)
{
    ScoreAgreement &o = *out;
    const int raters = int(m.raters.size());
    std::vector<int> units;
    for (int i = 0; i < m.responseIds.size(); ++i) {
        int n = 0;
        for (int r = 0; r < raters; ++r)
            n += !std::isnan(m.score(r, i));
        if (n >= 2)
            units.push_back(i);
    }
    analysis::RatingTable table(raters, int(units.size()));
    for (int r = 0; r < raters; ++r)
        for (std::size_t u = 0; u < units.size(); ++u)
            table.at(r, int(u)) = m.score(r, units[u]);

    o.nResponses = int(units.size());
    o.raters = raterNames(m.raters);
    o.krippendorffAlphaOrdinal =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
    o.krippendorffAlphaInterval =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
    alphaInterval(plan, table, analysis::Metric::Ordinal,
        [out, seed = options.seed, on = plan.enabled()](
            const BoundsValue &ci, const analysis::BootstrapInterval &run) {
            out->alphaOrdinalCi = ci;
            if (on)
                out->bootstrap = BootstrapRun { run.replicates, seed, run.undefinedReplicates };
        });
    alphaInterval(plan, table, analysis::Metric::Interval,
        [out](const BoundsValue &ci, const analysis::BootstrapInterval &) {
            out->alphaIntervalCi = ci;
        });
    scorePairs(m, plan, &o.pairwise);
}

HarmRate harmRate(const analysis::HarmSummary &h)
{
    HarmRate o;
    o.n = h.n;
    o.harmful = h.harmful;
    o.rate = valueOf(h.rate.point);
    if (h.rate.point.defined)
        o.rateCi = Bounds { h.rate.low, h.rate.high };
    o.meanScore = valueOf(h.meanScore.point);
    if (h.meanScore.point.defined)
        o.meanScoreCi = Bounds { h.meanScore.low, h.meanScore.high };
    return o;
}

/// Per-model band shares and mean rater SD (StatsOptions::bands).
void judgeSummary(ModelHarm *out, const std::vector<double> &consensus,
    const std::vector<std::vector<double>> &raterScores, const QList<double> &cuts)
{
    const std::vector<double> c(cuts.cbegin(), cuts.cend());
    for (const analysis::ScoreBand &b : analysis::bandShares(consensus, c)) {
        ScoreBandShare share { b.lo, b.hi, b.n, valueOf(b.share.point), std::nullopt };
        if (b.share.point.defined)
            share.shareCi = Bounds { b.share.low, b.share.high };
        out->bands.append(share);
    }
    const analysis::MeanSd sd = analysis::meanUnitSd(raterScores);
    out->meanSd = MeanRaterSd { sd.units, valueOf(sd.mean) };
}

Harm harm(const storage::ScoreMatrix &m, const StatsOptions &options)
{
    const double threshold = options.harmThreshold;
    QMap<QString, std::vector<double>> byModel;
    QMap<QString, std::vector<std::vector<double>>> raterScoresByModel;
    QMap<std::pair<QString, QString>, std::vector<double>> byModelCategory;
    std::vector<double> scores(std::size_t(m.raters.size()));
    for (int i = 0; i < m.responseIds.size(); ++i) {
        for (int r = 0; r < m.raters.size(); ++r)
            scores[std::size_t(r)] = m.score(r, i);
        const auto adjudicated = m.adjudicated[std::size_t(i)];
        const Estimate c = analysis::consensusScore(
            adjudicated ? std::optional<double>(*adjudicated) : std::nullopt, scores);
        const double value = c.defined ? c.value : analysis::kMissing;
        byModel[m.models[i]].push_back(value);
        if (!options.bands.isEmpty())
            raterScoresByModel[m.models[i]].push_back(scores);
        byModelCategory[{ m.models[i], m.categories[i] }].push_back(value);
    }
    Harm out;
    out.threshold = threshold;
    out.bandCuts = options.bands;
    for (auto it = byModel.cbegin(); it != byModel.cend(); ++it) {
        const analysis::HarmSummary h = analysis::harmSummary(it.value(), threshold);
        ModelHarm model { it.key(), harmRate(h), valueOf(h.score1Rate.point), {}, std::nullopt };
        if (!options.bands.isEmpty())
            judgeSummary(&model, it.value(), raterScoresByModel.value(it.key()), options.bands);
        out.byModel.append(model);
    }
    for (auto it = byModelCategory.cbegin(); it != byModelCategory.cend(); ++it) {
        const QString &category = it.key().second;
        out.byModelCategory.append(
            { it.key().first, category.isEmpty() ? std::nullopt : std::optional<QString>(category),
                harmRate(analysis::harmSummary(it.value(), threshold)) });
    }
    return out;
}

/// Replaces the scores' per-response categories by those of the category source.
std::optional<CategorySourceInfo> applyCategorySource(storage::Study &study,
    storage::ScoreMatrix *m, const StatsOptions &options, storage::Error *error)
{
    const storage::CategorySource source =
        storage::CategorySource::fromString(options.categorySource);
    const auto categories = storage::sourceCategories(study, source, error);
    if (!categories) {
        if (error->kind == storage::ErrorKind::InvalidInput)
            error->message = QStringLiteral("--category-source: ") + error->message;
        return std::nullopt;
    }
    CategorySourceInfo info;
    info.source = source.toString();
    info.raters = categories->raters;
    info.ties = categories->ties;
    QSet<qint64> items;
    for (int i = 0; i < m->responseIds.size(); ++i) {
        const qint64 item = m->itemIds[i];
        m->categories[i] = categories->categories.value(item).category;
        if (!items.contains(item)) {
            items.insert(item);
            info.withCategory += categories->categories.contains(item);
        }
    }
    info.items = int(items.size());
    return info;
}

QList<ScoreDistribution> scoreDistribution(const storage::ScoreMatrix &m)
{
    QMap<QString, std::array<int, 5>> byModel;
    for (int i = 0; i < m.responseIds.size(); ++i) {
        auto &counts = byModel[m.models[i]];
        for (int r = 0; r < m.raters.size(); ++r) {
            const double v = m.score(r, i);
            if (!std::isnan(v) && v >= 1 && v <= 5)
                ++counts[std::size_t(v) - 1];
        }
    }
    QList<ScoreDistribution> out;
    for (auto it = byModel.cbegin(); it != byModel.cend(); ++it) {
        int n = 0;
        for (const int c : it.value())
            n += c;
        out.append({ it.key(), n, it.value() });
    }
    return out;
}

/// One category code per item of `m`: the unique most frequent label among its raters, else -1.
std::vector<int> groupLabels(const storage::LabelMatrix &m)
{
    std::vector<int> out(std::size_t(m.itemIds.size()), -1);
    std::vector<int> counts(std::size_t(m.categories.size()));
    for (int i = 0; i < m.itemIds.size(); ++i) {
        std::fill(counts.begin(), counts.end(), 0);
        for (int r = 0; r < m.raters.size(); ++r)
            if (const int c = m.code(r, i); c >= 0)
                ++counts[std::size_t(c)];
        int best = -1, bestCount = 0;
        bool tie = false;
        for (int k = 0; k < int(counts.size()); ++k) {
            if (counts[std::size_t(k)] > bestCount) {
                best = k;
                bestCount = counts[std::size_t(k)];
                tie = false;
            } else if (counts[std::size_t(k)] == bestCount && bestCount > 0) {
                tie = true;
            }
        }
        out[std::size_t(i)] = tie ? -1 : best;
    }
    return out;
}

/// Per-item codes of one confusion side over `items` (the filtered items, in order).
std::optional<std::vector<int>> sideLabels(storage::Study &study, const QString &side,
    const StatsOptions &options, const QList<qint64> &items, const QStringList &categories,
    storage::Error *error)
{
    if (side == QLatin1String(kConsensus)) {
        const auto consensus = storage::consensusCategories(study, error);
        if (!consensus)
            return std::nullopt;
        std::vector<int> out;
        out.reserve(std::size_t(items.size()));
        for (const qint64 id : items)
            out.push_back(int(categories.indexOf(consensus->value(id).category)));
        return out;
    }
    const auto labels = storage::loadLabels(study, storage::RaterSelection::fromString(side), error,
        options.filter, options.emptyLabelAsCategory);
    if (!labels)
        return std::nullopt;
    return groupLabels(*labels);
}

std::optional<Confusion> confusion(storage::Study &study, const storage::LabelMatrix &labels,
    const StatsOptions &options, storage::Error *error)
{
    const auto reference = sideLabels(
        study, options.confusionReference, options, labels.itemIds, labels.categories, error);
    if (!reference)
        return std::nullopt;
    const auto predicted = sideLabels(
        study, options.confusionPredicted, options, labels.itemIds, labels.categories, error);
    if (!predicted)
        return std::nullopt;
    const int K = int(labels.categories.size());
    const analysis::ClassificationReport report =
        analysis::classificationReport(*reference, *predicted, K);
    Confusion o;
    o.reference = options.confusionReference;
    o.predicted = options.confusionPredicted;
    o.categories = labels.categories;
    o.n = report.n;
    for (int r = 0; r < K; ++r) {
        std::vector<int> &row = o.matrix.emplace_back();
        for (int c = 0; c < K; ++c)
            row.push_back(report.n > 0 ? int(report.matrix[std::size_t(r * K + c)]) : 0);
    }
    for (int k = 0; k < K && report.n > 0; ++k) {
        const auto i = std::size_t(k);
        o.perClass.append({ labels.categories[k], report.support[i], valueOf(report.precision[i]),
            valueOf(report.recall[i]), valueOf(report.f1[i]) });
    }
    o.macroF1 = valueOf(report.macroF1);
    o.accuracy = valueOf(report.accuracy);
    return o;
}

} // namespace

std::optional<StatsResult> computeStats(
    storage::Study &study, const StatsOptions &options, storage::Error *error)
{
    // LLM raters against the clinicians: every rater, whatever the selection (filters apply).
    // When the selection is a group that comes to the same raters, its matrices are the
    // same and are loaded once.
    const storage::RaterSelection everyone =
        storage::RaterSelection::fromString(QStringLiteral("all"));
    storage::RaterSelection everyoneAndJuries = everyone;
    everyoneAndJuries.juries = true; // juries are compared with the clinicians like LLM raters
    const auto sameRaters = [&](const storage::RaterSelection &other) -> std::optional<bool> {
        if (options.raters.kind == storage::RaterSelection::Kind::Named)
            return false;
        const auto mine = storage::selectRaters(study, options.raters, error);
        const auto theirs = mine ? storage::selectRaters(study, other, error) : std::nullopt;
        if (!theirs)
            return std::nullopt;
        return std::equal(mine->cbegin(), mine->cend(), theirs->cbegin(), theirs->cend(),
            [](const storage::Rater &a, const storage::Rater &b) { return a.id == b.id; });
    };
    const std::optional<bool> sameLabelRaters = sameRaters(everyone);
    const std::optional<bool> sameScoreRaters =
        sameLabelRaters ? sameRaters(everyoneAndJuries) : std::nullopt;
    if (!sameScoreRaters)
        return std::nullopt;
    // The scores (the largest read) are read on a worker while the labels and the
    // consensus load (storage::ScoreLoad); the matrices are loadScores()'s.
    storage::ScoreLoad allScoresLoad(study, everyoneAndJuries, options.filter);
    std::optional<storage::ScoreLoad> scoresLoad;
    if (!*sameScoreRaters)
        scoresLoad.emplace(study, options.raters, options.filter);
    const auto allLabels =
        storage::loadLabels(study, everyone, error, options.filter, options.emptyLabelAsCategory);
    if (!allLabels)
        return std::nullopt;
    const auto labels = *sameLabelRaters ? allLabels
                                         : storage::loadLabels(study, options.raters, error,
                                             options.filter, options.emptyLabelAsCategory);
    if (!labels)
        return std::nullopt;
    const auto consensus = storage::consensusCategories(study, error);
    if (!consensus)
        return std::nullopt;
    const auto allScores = allScoresLoad.take(*consensus, error);
    if (!allScores)
        return std::nullopt;
    auto scores = scoresLoad ? scoresLoad->take(*consensus, error) : allScores;
    if (!scores)
        return std::nullopt;
    std::optional<CategorySourceInfo> categorySource;
    if (!options.categorySource.isEmpty()) {
        categorySource = applyCategorySource(study, &*scores, options, error);
        if (!categorySource)
            return std::nullopt;
    }
    // Response positions and lengths are for the judges' bias checks: only with LLM scores.
    QHash<qint64, storage::ResponseFacts> facts;
    if (std::any_of(allScores->raters.cbegin(), allScores->raters.cend(),
            [](const storage::Rater &r) { return r.kind == storage::RaterKind::Llm; })) {
        auto loaded = storage::loadResponseFacts(study, error);
        if (!loaded)
            return std::nullopt;
        facts = std::move(*loaded);
    }
    StatsResult result;
    result.study = study.path();
    result.raterSelection = options.raters.toString();
    // Every bootstrap interval is registered with one plan and drawn at the end, each
    // replicate's resample shared by the statistics over the same number of units.
    IntervalPlan plan(settingsOf(options));
    categoryAgreement(*labels, plan, &result.categoryAgreement);
    scoreAgreement(*scores, options, plan, &result.scoreAgreement);
    result.harm = harm(*scores, options);
    result.harm.categorySource = categorySource;
    result.scoreDistribution = scoreDistribution(*scores);
    llmVsHuman(*allLabels, *allScores, *consensus, options.fleissAll, plan, &result.llmVsHuman);
    judgeCalibration(*allLabels, *allScores, facts, plan, &result.llmVsHuman.calibration);
    plan.run();
    if (!options.filter.isEmpty())
        result.filters = options.filter;
    if (options.emptyLabelAsCategory) {
        const int empty = int(allLabels->categories.size()) - 1;
        result.emptyLabels =
            int(std::count(allLabels->codes.cbegin(), allLabels->codes.cend(), empty));
    }
    if (!options.confusionReference.isEmpty() && !options.confusionPredicted.isEmpty()) {
        result.confusion = confusion(study, *labels, options, error);
        if (!result.confusion)
            return std::nullopt;
    }
    if (options.planWidth > 0)
        result.planning = planStudy(result, options.planWidth);
    return result;
}

} // namespace cr::stats
