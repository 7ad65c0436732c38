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

BoundsValue bootstrapAlpha(const analysis::RatingTable &table, analysis::Metric metric,
    const StatsOptions &options, analysis::BootstrapInterval *run = nullptr)
{
    if (options.bootstrap <= 0)
        return bootstrapDisabled();
    const analysis::BootstrapInterval ci =
        analysis::bootstrapAlpha(table, metric, bootstrapOptions(settingsOf(options)));
    if (run)
        *run = ci;
    return boundsOf(ci);
}

/// Bootstrap intervals of Fleiss' kappa, Gwet's AC1 and percent agreement over the subjects.
QList<BoundsValue> countsCis(const analysis::CountTable &counts, const StatsOptions &options)
{
    if (options.bootstrap <= 0)
        return { bootstrapDisabled(), bootstrapDisabled(), bootstrapDisabled() };
    QList<BoundsValue> out;
    for (const analysis::BootstrapInterval &ci : analysis::bootstrapCounts(counts,
             { [](const analysis::CountTable &t) { return analysis::fleissKappa(t).coefficient; },
                 [](const analysis::CountTable &t) { return analysis::gwetAC(t).coefficient; },
                 [](const analysis::CountTable &t) { return analysis::percentAgreement(t); } },
             bootstrapOptions(settingsOf(options))))
        out.append(boundsOf(ci));
    return out;
}

QList<CategoryPair> categoryPairs(const storage::LabelMatrix &m, const StatsOptions &options)
{
    const int raters = int(m.raters.size());
    const int K = int(m.categories.size());
    QList<CategoryPair> pairs;
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
            p.cohenKappaCi =
                kappaBounds(x, y, K, { analysis::Weighting::Unweighted }, settingsOf(options))
                    .front();
            pairs.append(p);
        }
    }
    return pairs;
}

CategoryAgreement categoryAgreement(const storage::LabelMatrix &m, const StatsOptions &options)
{
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

    CategoryAgreement o;
    o.nItems = int(units.size());
    o.raters = raterNames(m.raters);
    o.fleissKappa = valueOf(analysis::fleissKappa(counts).coefficient);
    o.krippendorffAlphaNominal =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Nominal).alpha);
    o.gwetAc1 = valueOf(analysis::gwetAC(counts).coefficient);
    o.alphaNominalCi = bootstrapAlpha(table, analysis::Metric::Nominal, options);
    o.percentAgreement = valueOf(analysis::percentAgreement(counts));
    o.pairwise = categoryPairs(m, options);
    const QList<BoundsValue> cis = countsCis(counts, options);
    o.fleissKappaCi = cis[0];
    o.gwetAc1Ci = cis[1];
    o.percentAgreementCi = cis[2];
    return o;
}

QList<ScorePair> scorePairs(const storage::ScoreMatrix &m, const StatsOptions &options)
{
    const int raters = int(m.raters.size());
    QList<ScorePair> pairs;
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
            const QList<BoundsValue> ci = kappaBounds(cx, cy, 5,
                { analysis::Weighting::Quadratic, analysis::Weighting::Linear },
                settingsOf(options));
            p.kappaQuadraticCi = ci[0];
            p.kappaLinearCi = ci[1];
            pairs.append(p);
        }
    }
    return pairs;
}

ScoreAgreement scoreAgreement(const storage::ScoreMatrix &m, const StatsOptions &options)
{
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

    ScoreAgreement o;
    o.nResponses = int(units.size());
    o.raters = raterNames(m.raters);
    o.krippendorffAlphaOrdinal =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
    o.krippendorffAlphaInterval =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
    analysis::BootstrapInterval ci;
    o.alphaOrdinalCi = bootstrapAlpha(table, analysis::Metric::Ordinal, options, &ci);
    if (options.bootstrap > 0)
        o.bootstrap = BootstrapRun { ci.replicates, options.seed, ci.undefinedReplicates };
    o.alphaIntervalCi = bootstrapAlpha(table, analysis::Metric::Interval, options);
    o.pairwise = scorePairs(m, options);
    return o;
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
    const auto labels = storage::loadLabels(
        study, options.raters, error, options.filter, options.emptyLabelAsCategory);
    if (!labels)
        return std::nullopt;
    auto scores = storage::loadScores(study, options.raters, error, options.filter);
    if (!scores)
        return std::nullopt;
    std::optional<CategorySourceInfo> categorySource;
    if (!options.categorySource.isEmpty()) {
        categorySource = applyCategorySource(study, &*scores, options, error);
        if (!categorySource)
            return std::nullopt;
    }
    // LLM raters against the clinicians: every rater, whatever the selection (filters apply).
    storage::RaterSelection everyone = storage::RaterSelection::fromString(QStringLiteral("all"));
    const auto allLabels =
        storage::loadLabels(study, everyone, error, options.filter, options.emptyLabelAsCategory);
    everyone.juries = true; // juries are compared with the clinicians like LLM raters
    const auto allScores =
        allLabels ? storage::loadScores(study, everyone, error, options.filter) : std::nullopt;
    const auto consensus = allScores ? storage::consensusCategories(study, error) : std::nullopt;
    if (!consensus)
        return std::nullopt;
    const auto facts = storage::loadResponseFacts(study, error);
    if (!facts)
        return std::nullopt;
    StatsResult result;
    result.study = study.path();
    result.raterSelection = options.raters.toString();
    result.categoryAgreement = categoryAgreement(*labels, options);
    result.scoreAgreement = scoreAgreement(*scores, options);
    result.harm = harm(*scores, options);
    result.harm.categorySource = categorySource;
    result.scoreDistribution = scoreDistribution(*scores);
    result.llmVsHuman =
        llmVsHuman(*allLabels, *allScores, *consensus, options.fleissAll, settingsOf(options));
    result.llmVsHuman.calibration =
        judgeCalibration(*allLabels, *allScores, *facts, settingsOf(options));
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
