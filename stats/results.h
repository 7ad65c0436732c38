#pragma once

#include "analysis/bootstrap.h"
#include "analysis/ratings.h"
#include "storage/ratingdata.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <array>
#include <functional>
#include <optional>
#include <vector>

/// The statistics engine's results (computeStats()) as plain values. Every consumer
/// (the text tables, the dashboard, the PDF report) reads these members; only the JSON
/// serializer (statsjson.h) knows the names of `crisis-review stats --json`.
namespace cr::stats {

/// A statistic that can be undefined: a value, or none and the reason why.
template<typename T> struct Maybe {
    std::optional<T> value;
    QString reason; ///< why there is no value; empty when there is one

    bool defined() const { return value.has_value(); }
    static Maybe of(T v) { return Maybe { std::move(v), {} }; }
    static Maybe undefined(QString why) { return Maybe { std::nullopt, std::move(why) }; }
};

/// Lower and upper bound of an interval.
struct Bounds {
    double low = 0.0;
    double high = 0.0;
};

using Value = Maybe<double>;
using BoundsValue = Maybe<Bounds>;

/// From the analysis library: a defined, finite estimate, else undefined with its note
/// ("undefined" when it has none).
Value valueOf(const analysis::Estimate &e);
/// The value, or NaN when undefined (for charts).
double valueOrNaN(const Value &v);

/// How the engine's bootstrap intervals are drawn; replicates <= 0 = disabled.
struct BootstrapSettings {
    int replicates = 1000;
    quint64 seed = 1;
    int threads = 0; ///< 0 = all cores
};

/// A percentile bootstrap interval of `statistic` over `units` (analysis::bootstrapPercentile
/// with the settings' replicates, seed and threads), or undefined with the reason
/// ("bootstrap disabled (--bootstrap 0)" when replicates <= 0).
BoundsValue bootstrapBounds(int units,
    const std::function<analysis::Estimate(const std::vector<int> &)> &statistic,
    const BootstrapSettings &settings);
/// The interval of an analysis bootstrap, or undefined with its note.
BoundsValue boundsOf(const analysis::BootstrapInterval &ci);
/// The analysis options of the settings.
analysis::BootstrapOptions bootstrapOptions(const BootstrapSettings &settings);
/// Bootstrap intervals of Cohen's kappa under each weighting over the paired codes
/// (analysis::bootstrapCohenKappas), each undefined with the reason when not drawn.
QList<BoundsValue> kappaBounds(const std::vector<int> &a, const std::vector<int> &b, int categories,
    const std::vector<analysis::Weighting> &weightings, const BootstrapSettings &settings);
/// Undefined: the bootstrap is off.
BoundsValue bootstrapDisabled();

/// The engine's bootstrap intervals drawn together (analysis::SharedBootstrap): every
/// interval is registered with a sink, and run() draws each replicate's resample once
/// for all statistics with the same number of units, then hands each sink its
/// intervals. Each interval is the one the statistic's own bootstrap would give (same
/// seed, same draws). With the bootstrap off (replicates <= 0) run() computes the
/// point estimates only, and kappa sinks get bootstrapDisabled(). Sinks typically
/// write into a result that must stay where it is until run().
class IntervalPlan {
public:
    using Sink = std::function<void(const QList<BoundsValue> &)>;

    explicit IntervalPlan(const BootstrapSettings &settings);
    const BootstrapSettings &settings() const { return m_settings; }
    /// Cohen's kappa of the paired codes under each weighting (analysis::addCohenKappas).
    void kappas(const std::vector<int> &a, const std::vector<int> &b, int categories,
        const std::vector<analysis::Weighting> &weightings, Sink sink);
    bool enabled() const { return m_settings.replicates > 0; }
    /// Any analysis statistic: `add` registers it (returns its index), `done` gets its
    /// intervals (with the point estimates) after run().
    void custom(const std::function<int(analysis::SharedBootstrap &)> &add,
        std::function<void(const std::vector<analysis::BootstrapInterval> &)> done);
    void run();

private:
    BootstrapSettings m_settings;
    analysis::SharedBootstrap m_shared;
    std::vector<
        std::pair<int, std::function<void(const std::vector<analysis::BootstrapInterval> &)>>>
        m_sinks;
};

/// Two raters' category labels on the items both labelled.
struct CategoryPair {
    QString a;
    QString b;
    int n = 0;
    Value cohenKappa;
    Value percentAgreement;
    BoundsValue cohenKappaCi {}; ///< seeded bootstrap over the pair's items
};

/// Agreement on crisis categories over the items labelled by at least two selected raters.
struct CategoryAgreement {
    int nItems = 0;
    QStringList raters; ///< the selected raters, in id order
    Value fleissKappa;
    Value krippendorffAlphaNominal;
    Value gwetAc1;
    BoundsValue alphaNominalCi; ///< seeded bootstrap interval
    Value percentAgreement;
    QList<CategoryPair> pairwise; ///< every pair a < b in rater order
    /// Seeded bootstrap intervals over the items (same resamples as alphaNominalCi).
    BoundsValue fleissKappaCi {};
    BoundsValue gwetAc1Ci {};
    BoundsValue percentAgreementCi {};
};

/// Two raters' scores on the responses both scored.
struct ScorePair {
    QString a;
    QString b;
    int n = 0;
    Value mae;
    Value rmse;
    Value withinOne;
    Value kappaQuadratic;
    Value kappaLinear;
    BoundsValue kappaQuadraticCi {}; ///< seeded bootstrap over the pair's responses
    BoundsValue kappaLinearCi {};
};

/// How a bootstrap interval was drawn.
struct BootstrapRun {
    int replicates = 0;
    quint64 seed = 0;
    int undefinedReplicates = 0; ///< replicates where the statistic was undefined
};

/// Agreement on 1–5 scores over the responses scored by at least two selected raters.
struct ScoreAgreement {
    int nResponses = 0;
    QStringList raters;
    Value krippendorffAlphaOrdinal;
    Value krippendorffAlphaInterval;
    BoundsValue alphaOrdinalCi; ///< seeded bootstrap interval
    std::optional<BootstrapRun> bootstrap; ///< none when the bootstrap is disabled
    QList<ScorePair> pairwise;
    BoundsValue alphaIntervalCi {}; ///< seeded bootstrap (same resamples as alphaOrdinalCi)
};

/// Harm of one group of responses, by consensus score.
struct HarmRate {
    int n = 0; ///< responses with a consensus score
    int harmful = 0; ///< consensus <= threshold
    Value rate;
    std::optional<Bounds> rateCi; ///< Wilson 95%; none when the rate is undefined
    Value meanScore;
    std::optional<Bounds> meanScoreCi; ///< Student-t 95%; none when the mean is undefined
};

/// The share of a model's consensus scores in one score band (StatsOptions::bands):
/// [lo, hi] for the first band, (lo, hi] for the others.
struct ScoreBandShare {
    double lo = 1.0;
    double hi = 5.0;
    int n = 0; ///< responses whose consensus score is in the band
    Value share; ///< n / responses with a consensus score
    std::optional<Bounds> shareCi; ///< Wilson 95%; none when the share is undefined
};

/// The mean over a model's responses of the SD of the selected raters' scores of each
/// response (population SD, numpy's ddof = 0; responses with fewer than two scores are left out).
struct MeanRaterSd {
    int n = 0; ///< responses with two or more scores
    Value mean;
};

struct ModelHarm {
    QString model;
    HarmRate harm;
    Value score1Rate; ///< share with consensus score 1
    QList<ScoreBandShare> bands {}; ///< only with StatsOptions::bands (empty otherwise)
    std::optional<MeanRaterSd> meanSd {}; ///< only with StatsOptions::bands
};

/// Where harm rates by category take an item's category from (StatsOptions::categorySource).
struct CategorySourceInfo {
    QString source; ///< "consensus", "reference" or the rater list as given
    QStringList raters; ///< the raters whose majority label is used (juries expanded)
    int items = 0; ///< items considered
    int withCategory = 0; ///< items that got a category from the source
    int ties = 0; ///< items where the raters' most frequent labels tie (no category)
};

struct ModelCategoryHarm {
    QString model;
    std::optional<QString> category; ///< the item's consensus category; none = no consensus
    HarmRate harm;
};

/// Harm rates per model and per model × consensus category (consensus score:
/// adjudicated if present, else the mean of the selected raters).
struct Harm {
    double threshold = 2.0;
    QList<ModelHarm> byModel; ///< by model name
    QList<ModelCategoryHarm> byModelCategory; ///< by model, then category (none first)
    QList<double> bandCuts; ///< StatsOptions::bands (empty = no bands)
    std::optional<CategorySourceInfo> categorySource; ///< only when a source was asked for
};

/// Counts of score levels 1..5 over every selected rater's score of a model's responses.
struct ScoreDistribution {
    QString model;
    int n = 0;
    std::array<int, 5> counts {};
};

/// An LLM classifier against a clinician or the clinicians' consensus ("consensus").
struct LlmCategoryRow {
    QString llm;
    QString human;
    int n = 0;
    Value cohenKappa;
    Value percentAgreement;
    Value accuracy;
    Value macroF1;
    std::vector<std::vector<int>> confusion; ///< rows = human, columns = LLM, categoryIds order
    BoundsValue cohenKappaCi {}; ///< seeded bootstrap over the items both labelled
};

/// An LLM judge (or the mean of a judge's runs) against a clinician or the clinicians' mean.
struct LlmScoreRow {
    QString llm; ///< a rater, or "judge#mean" for the mean of a judge's runs
    QString human;
    int n = 0;
    Value mae;
    Value rmse;
    Value withinOne;
    Value kappaQuadratic;
    Value krippendorffAlphaOrdinal;
    Value krippendorffAlphaInterval;
    QStringList runRaters; ///< the runs behind a "judge#mean" row; empty otherwise
    BoundsValue kappaQuadraticCi {}; ///< seeded bootstrap over the responses both scored
};

/// A statistic over several clinicians: mean, smallest, largest value and SD (n - 1).
struct SpreadValue {
    int n = 0; ///< clinicians with a defined value
    Value mean;
    Value min;
    Value max;
    Value sd;
};

/// An LLM rater's (or a judge mean's, or a jury's) MAE, RMSE and within-one against each
/// clinician, averaged over the clinicians (each clinician's comparison counts once).
struct LlmOverClinicians {
    QString llm;
    QStringList clinicians; ///< the clinicians compared (n > 0)
    SpreadValue mae;
    SpreadValue rmse;
    SpreadValue withinOne;
};

/// A judge's runs (raters judge#1, judge#2…) taken as raters of the same responses.
struct JudgeConsistency {
    QString llm; ///< the judge: the runs' name before '#'
    QStringList runRaters;
    int n = 0;
    Value alphaOrdinal;
    Value alphaInterval;
    Value icc21;
    Value icc31;
    Value percentAgreement;

    int runs() const { return int(runRaters.size()); }
};

/// One Fleiss' kappa over every human and LLM rater's category labels.
struct FleissAll {
    QStringList raters;
    int nItems = 0;
    Value fleissKappa;
};

/// An interval-carrying agreement figure of the judge calibration.
struct CalibratedValue {
    Value value;
    BoundsValue ci;
};

/// One crisis category (or all items: category empty) of a judge's calibration.
struct CalibrationCell {
    QString category; ///< protocol category id; empty = every item
    int n = 0; ///< units compared (items or responses)
    CalibratedValue judge; ///< mean kappa of the LLM with each clinician
    CalibratedValue clinicians; ///< mean kappa of the clinicians with each other
    CalibratedValue difference; ///< judge - clinicians (paired bootstrap)
};

/// Mean score by a group (response position or length tercile): the LLM's and the
/// clinicians' mean on the same responses.
struct BiasGroup {
    QString group; ///< "A", "B"… or "short", "medium", "long"
    int n = 0; ///< responses the LLM scored in the group
    Value llmMean;
    Value clinicianMean; ///< mean of the clinicians' mean scores of those responses
    Value difference; ///< llmMean - clinicianMean (over responses with both)
};

/// A judge's scores of its own model family against the clinicians'.
struct FamilyBias {
    QString family; ///< the judge's model family
    QStringList sameFamilyModels; ///< scored models of the judge's family
    int nSame = 0;
    int nOther = 0;
    Value differenceSame; ///< LLM - clinician mean score, same-family responses
    Value differenceOther; ///< the same on the other models' responses
};

/// "As good as a second clinician?" for one LLM rater (issue 21).
struct JudgeCalibration {
    QString llm;
    QString kind; ///< "category" (classifier, kappa of labels) or "score" (judge, quadratic kappa)
    QList<CalibrationCell> cells; ///< every item first, then per category in protocol order
    QList<BiasGroup> byPosition; ///< scores only
    QList<BiasGroup> byLength; ///< scores only
    std::optional<FamilyBias> family; ///< scores only
};

/// LLM raters measured against the clinicians (every rater of role "rater").
struct LlmVsHuman {
    QStringList categoryIds; ///< the order of the confusion matrices
    QList<LlmCategoryRow> categories;
    QList<LlmScoreRow> scores;
    QList<LlmOverClinicians> scoresOverClinicians; ///< one per `scores` llm with a clinician
    QList<JudgeConsistency> judgeConsistency;
    std::optional<FleissAll> fleissAll; ///< only when asked for (StatsOptions::fleissAll)
    QList<JudgeCalibration> calibration; ///< one per LLM rater with labels, one per with scores
};

/// Precision, recall and F1 of one category in the confusion.
struct ClassScores {
    QString category;
    int support = 0; ///< reference count
    Value precision;
    Value recall;
    Value f1;
};

/// Reference vs predicted category per item (StatsOptions::confusionReference/Predicted).
struct Confusion {
    QString reference;
    QString predicted;
    QStringList categories;
    int n = 0; ///< items with a label on both sides
    std::vector<std::vector<int>> matrix; ///< rows = reference, columns = predicted
    QList<ClassScores> perClass; ///< empty when n = 0
    Value macroF1;
    Value accuracy;
};

/// Items needed per crisis category for a target harm-rate interval width (Wilson).
struct HarmPlanRow {
    QString category; ///< protocol category id
    int models = 0; ///< models with responses in the category
    int responsesPerModel = 0; ///< the category's responses per model now (mean, rounded down)
    Value rate; ///< pooled harm rate over the models now
    int needed = 0; ///< responses per model for the target width at the pooled rate
    int neededWorstCase = 0; ///< the same at rate 0.5 (the widest Wilson interval)
};

/// Units needed for a target interval width of one agreement figure (bootstrap scaled).
struct AgreementPlanRow {
    QString figure; ///< e.g. "fleiss_kappa"
    QString label; ///< e.g. "Fleiss' kappa, categories"
    int units = 0; ///< items or responses now
    Value width; ///< the bootstrap interval's width now
    int needed = 0; ///< units for the target width; 0 when there is no interval now
};

/// StatsOptions::planWidth: how many items a study needs for a target 95% interval width.
struct Planning {
    double width = 0.1;
    QList<HarmPlanRow> harm;
    QList<AgreementPlanRow> agreement;
};

/// Everything computeStats() computes.
struct StatsResult {
    QString study; ///< the study file's path
    QString raterSelection;
    CategoryAgreement categoryAgreement;
    ScoreAgreement scoreAgreement;
    Harm harm;
    QList<ScoreDistribution> scoreDistribution; ///< by model name
    LlmVsHuman llmVsHuman;
    std::optional<storage::RatingFilter> filters; ///< none when nothing is filtered
    std::optional<Confusion> confusion; ///< only when both sides were asked for
    /// StatsOptions::emptyLabelAsCategory: how many empty labels (every rater, filters
    /// applied) counted as the category storage::kEmptyCategory; none when the option is off.
    std::optional<int> emptyLabels;
    std::optional<Planning> planning; ///< only with StatsOptions::planWidth > 0
};

} // namespace cr::stats
