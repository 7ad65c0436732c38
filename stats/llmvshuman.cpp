#include "stats/llmvshuman.h"

#include "analysis/classification.h"
#include "analysis/kappa.h"
#include "analysis/krippendorff.h"
#include "analysis/scores.h"
#include "analysis/summaries.h"

#include <QMap>
#include <cmath>

namespace cr::stats {

namespace {

using analysis::Estimate;
using storage::RaterKind;

const QString kConsensus = QStringLiteral("consensus");

QList<int> ratersOfKind(const QList<storage::Rater> &raters, RaterKind kind)
{
    QList<int> rows;
    for (int r = 0; r < raters.size(); ++r)
        if (raters[r].kind == kind)
            rows.append(r);
    return rows;
}

/// One LLM-vs-reference row for category labels; `reference` and `llm` are codes per item (-1
/// missing).
/// Appends the row to `rows` (which must stay in place until plan.run()).
void categoryPair(const QString &llm, const QString &human, const std::vector<int> &reference,
    const std::vector<int> &predicted, int K, IntervalPlan &plan, QList<LlmCategoryRow> *rows)
{
    std::vector<int> x, y;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        if (reference[i] >= 0 && predicted[i] >= 0) {
            x.push_back(reference[i]);
            y.push_back(predicted[i]);
        }
    }
    LlmCategoryRow o;
    o.llm = llm;
    o.human = human;
    o.n = int(x.size());
    const analysis::KappaResult k = analysis::cohenKappa(x, y, K);
    const analysis::ClassificationReport c = analysis::classificationReport(x, y, K);
    o.cohenKappa = valueOf(k.kappa);
    o.percentAgreement = valueOf(
        x.empty() ? Estimate::undefined("no item labelled by both") : Estimate::of(k.observed));
    o.accuracy = valueOf(c.accuracy);
    o.macroF1 = valueOf(c.macroF1);
    for (int r = 0; r < K; ++r) {
        std::vector<int> &row = o.confusion.emplace_back();
        for (int col = 0; col < K; ++col)
            row.push_back(int(c.matrix.empty() ? 0.0 : c.matrix[std::size_t(r * K + col)]));
    }
    const qsizetype index = rows->size();
    rows->append(o);
    plan.kappas(x, y, K, { analysis::Weighting::Unweighted },
        [rows, index](const QList<BoundsValue> &ci) { (*rows)[index].cohenKappaCi = ci.front(); });
}

/// Scores on the 1..5 scale as codes 0..4, or nothing when a value is not a whole score.
std::optional<std::vector<int>> scoreCodes(const std::vector<double> &v)
{
    std::vector<int> codes;
    codes.reserve(v.size());
    for (double s : v) {
        if (s != std::floor(s) || s < 1 || s > 5)
            return std::nullopt;
        codes.push_back(int(s) - 1);
    }
    return codes;
}

/// Appends the row (with `runs`) to `rows` (which must stay in place until plan.run()).
void scorePair(const QString &llm, const QString &human, const std::vector<double> &reference,
    const std::vector<double> &judged, const QStringList &runs, IntervalPlan &plan,
    QList<LlmScoreRow> *rows)
{
    std::vector<double> x, y;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        if (!std::isnan(reference[i]) && !std::isnan(judged[i])) {
            x.push_back(reference[i]);
            y.push_back(judged[i]);
        }
    }
    const analysis::PairedScoreAgreement s = analysis::pairedScoreAgreement(x, y);
    LlmScoreRow o;
    o.llm = llm;
    o.human = human;
    o.n = s.n;
    o.mae = valueOf(s.mae);
    o.rmse = valueOf(s.rmse);
    o.withinOne = valueOf(s.withinOne);
    const auto cx = scoreCodes(x), cy = scoreCodes(y);
    o.kappaQuadratic =
        valueOf(cx && cy ? analysis::cohenKappa(*cx, *cy, 5, analysis::Weighting::Quadratic).kappa
                         : Estimate::undefined("scores are not whole 1-5 values (e.g. a mean)"));
    o.kappaQuadraticCi =
        BoundsValue::undefined(QStringLiteral("scores are not whole 1-5 values (e.g. a mean)"));
    const analysis::RatingTable table = analysis::RatingTable::fromRows({ x, y });
    o.krippendorffAlphaOrdinal =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
    o.krippendorffAlphaInterval =
        valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
    o.runRaters = runs;
    const qsizetype index = rows->size();
    rows->append(o);
    if (cx && cy)
        plan.kappas(*cx, *cy, 5, { analysis::Weighting::Quadratic },
            [rows, index](
                const QList<BoundsValue> &ci) { (*rows)[index].kappaQuadraticCi = ci.front(); });
}

/// LLM raters named `judge#1`, `judge#2`…: the rows of each judge's runs, by judge.
QMap<QString, QList<int>> judgeRuns(const storage::ScoreMatrix &m)
{
    QMap<QString, QList<int>> runs;
    for (int l : ratersOfKind(m.raters, RaterKind::Llm)) {
        const QString &name = m.raters[l].name;
        const qsizetype hash = name.indexOf(QLatin1Char('#'));
        if (hash > 0)
            runs[name.left(hash)].append(l);
    }
    return runs;
}

void categories(const storage::LabelMatrix &m, const QHash<qint64, storage::Consensus> &consensus,
    IntervalPlan &plan, QList<LlmCategoryRow> *rows)
{
    const int K = int(m.categories.size());
    const int items = int(m.itemIds.size());
    auto row = [&](int r) {
        std::vector<int> codes(std::size_t(items), -1);
        for (int i = 0; i < items; ++i)
            codes[std::size_t(i)] = m.code(r, i);
        return codes;
    };
    std::vector<int> reference(std::size_t(items), -1);
    for (int i = 0; i < items; ++i) {
        const storage::Consensus c = consensus.value(m.itemIds[i]);
        if (c.how != QLatin1String("reference"))
            reference[std::size_t(i)] = int(m.categories.indexOf(c.category));
    }
    const QList<int> humans = ratersOfKind(m.raters, RaterKind::Human);
    for (int l : ratersOfKind(m.raters, RaterKind::Llm)) {
        const std::vector<int> predicted = row(l);
        for (int h : humans)
            categoryPair(m.raters[l].name, m.raters[h].name, row(h), predicted, K, plan, rows);
        categoryPair(m.raters[l].name, kConsensus, reference, predicted, K, plan, rows);
    }
}

/// Per response, the mean of the scores `raters` gave (missing when none did).
std::vector<double> meanScores(const storage::ScoreMatrix &m, const QList<int> &raters)
{
    const int n = int(m.responseIds.size());
    std::vector<double> mean(std::size_t(n), analysis::kMissing);
    for (int i = 0; i < n; ++i) {
        double sum = 0;
        int k = 0;
        for (int r : raters) {
            if (const double s = m.score(r, i); !std::isnan(s)) {
                sum += s;
                ++k;
            }
        }
        if (k > 0)
            mean[std::size_t(i)] = sum / k;
    }
    return mean;
}

QStringList names(const storage::ScoreMatrix &m, const QList<int> &raters)
{
    QStringList out;
    for (int r : raters)
        out.append(m.raters[r].name);
    return out;
}

void scores(const storage::ScoreMatrix &m, IntervalPlan &plan, QList<LlmScoreRow> *rows)
{
    const int n = int(m.responseIds.size());
    auto row = [&](int r) {
        std::vector<double> v(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            v[std::size_t(i)] = m.score(r, i);
        return v;
    };
    const QList<int> humans = ratersOfKind(m.raters, RaterKind::Human);
    const std::vector<double> mean = meanScores(m, humans);
    auto compare = [&](const QString &llm, const std::vector<double> &judged,
                       const QStringList &runs) {
        for (int h : humans)
            scorePair(llm, m.raters[h].name, row(h), judged, runs, plan, rows);
        scorePair(llm, kConsensus, mean, judged, runs, plan, rows);
    };
    for (int l : ratersOfKind(m.raters, RaterKind::Llm))
        compare(m.raters[l].name, row(l), {});
    // A judge run several times (raters `judge#1`, `judge#2`…): also the mean of its
    // runs per response (as the published evaluation reports), named `judge#mean`.
    const QMap<QString, QList<int>> runs = judgeRuns(m);
    for (auto it = runs.cbegin(); it != runs.cend(); ++it) {
        if (it->size() < 2)
            continue;
        compare(it.key() + QStringLiteral("#mean"), meanScores(m, *it), names(m, *it));
    }
}

Estimate estimateOf(const Value &v)
{
    return v.value ? Estimate::of(*v.value) : Estimate::undefined(v.reason.toStdString());
}

SpreadValue spreadValue(const std::vector<Estimate> &values)
{
    const analysis::Spread s = analysis::spreadOf(values);
    return { s.n, valueOf(s.mean), valueOf(s.min), valueOf(s.max), valueOf(s.sd) };
}

/// Each `scores` llm's rows against single clinicians (not the consensus), averaged.
QList<LlmOverClinicians> overClinicians(const QList<LlmScoreRow> &rows)
{
    QList<LlmOverClinicians> out;
    QList<QString> order;
    QHash<QString, QList<const LlmScoreRow *>> byLlm;
    for (const LlmScoreRow &r : rows) {
        if (r.human == kConsensus)
            continue;
        if (!byLlm.contains(r.llm))
            order.append(r.llm);
        byLlm[r.llm].append(&r);
    }
    for (const QString &llm : order) {
        std::vector<Estimate> mae, rmse, within;
        LlmOverClinicians o;
        o.llm = llm;
        for (const LlmScoreRow *r : byLlm.value(llm)) {
            if (r->n == 0)
                continue;
            o.clinicians.append(r->human);
            mae.push_back(estimateOf(r->mae));
            rmse.push_back(estimateOf(r->rmse));
            within.push_back(estimateOf(r->withinOne));
        }
        o.mae = spreadValue(mae);
        o.rmse = spreadValue(rmse);
        o.withinOne = spreadValue(within);
        out.append(o);
    }
    return out;
}

QList<JudgeConsistency> judgeConsistency(const storage::ScoreMatrix &m)
{
    const QMap<QString, QList<int>> runs = judgeRuns(m);
    QList<JudgeConsistency> out;
    for (auto it = runs.cbegin(); it != runs.cend(); ++it) {
        const QList<int> &rows = it.value();
        std::vector<int> units;
        for (int i = 0; i < m.responseIds.size(); ++i) {
            int k = 0;
            for (int r : rows)
                k += !std::isnan(m.score(r, i));
            if (k >= 2)
                units.push_back(i);
        }
        analysis::RatingTable table(int(rows.size()), int(units.size()));
        bool whole = true;
        for (int r = 0; r < rows.size(); ++r) {
            for (std::size_t u = 0; u < units.size(); ++u) {
                const double s = m.score(rows[r], units[u]);
                table.at(r, int(u)) = s;
                whole = whole && (std::isnan(s) || s == std::floor(s));
            }
        }
        JudgeConsistency o;
        o.llm = it.key();
        o.runRaters = names(m, rows);
        o.n = int(units.size());
        o.alphaOrdinal =
            valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
        o.alphaInterval =
            valueOf(analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
        const analysis::IccResult icc = analysis::intraclassCorrelation(table);
        o.icc21 = valueOf(icc.icc21);
        o.icc31 = valueOf(icc.icc31);
        analysis::RatingTable codes = table;
        for (double &v : codes.values)
            v -= 1;
        o.percentAgreement =
            valueOf(whole ? analysis::percentAgreement(analysis::CountTable::fromRatings(codes, 5))
                          : Estimate::undefined("scores are not whole 1-5 values"));
        out.append(o);
    }
    return out;
}

FleissAll fleissAllRaters(const storage::LabelMatrix &m)
{
    const int raters = int(m.raters.size());
    analysis::RatingTable table(raters, int(m.itemIds.size()));
    FleissAll o;
    for (int r = 0; r < raters; ++r) {
        o.raters.append(m.raters[r].name);
        for (int i = 0; i < m.itemIds.size(); ++i)
            if (const int c = m.code(r, i); c >= 0)
                table.at(r, i) = c;
    }
    const analysis::AgreementResult f =
        analysis::fleissKappa(analysis::CountTable::fromRatings(table, int(m.categories.size())));
    o.nItems = f.subjects;
    o.fleissKappa = valueOf(f.coefficient);
    return o;
}

} // namespace

LlmVsHuman llmVsHuman(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scoreMatrix,
    const QHash<qint64, storage::Consensus> &consensus, bool fleissAll,
    const BootstrapSettings &bootstrap)
{
    LlmVsHuman o;
    IntervalPlan plan(bootstrap);
    llmVsHuman(labels, scoreMatrix, consensus, fleissAll, plan, &o);
    plan.run();
    return o;
}

void llmVsHuman(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scoreMatrix,
    const QHash<qint64, storage::Consensus> &consensus, bool fleissAll, IntervalPlan &plan,
    LlmVsHuman *out)
{
    LlmVsHuman &o = *out;
    o.categoryIds = labels.categories;
    categories(labels, consensus, plan, &o.categories);
    scores(scoreMatrix, plan, &o.scores);
    o.scoresOverClinicians = overClinicians(o.scores);
    o.judgeConsistency = judgeConsistency(scoreMatrix);
    if (fleissAll)
        o.fleissAll = fleissAllRaters(labels);
}

} // namespace cr::stats
