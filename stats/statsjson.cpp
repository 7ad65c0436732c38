#include "stats/statsjson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cr::stats {

namespace {

using namespace Qt::StringLiterals;

/// Puts `key: value`, or `key: null` with a sibling `key_note` saying why.
template<typename T, typename ToJson>
void put(QJsonObject &o, const QString &key, const Maybe<T> &v, ToJson toJson)
{
    if (v.value) {
        o.insert(key, toJson(*v.value));
    } else {
        o.insert(key, QJsonValue::Null);
        o.insert(key + u"_note"_s, v.reason.isEmpty() ? u"undefined"_s : v.reason);
    }
}

void put(QJsonObject &o, const QString &key, const Value &v)
{
    put(o, key, v, [](double d) { return QJsonValue(d); });
}

QJsonArray bounds(const Bounds &b)
{
    return QJsonArray { b.low, b.high };
}

void put(QJsonObject &o, const QString &key, const BoundsValue &v)
{
    put(o, key, v, bounds);
}

QJsonArray matrix(const std::vector<std::vector<int>> &rows)
{
    QJsonArray out;
    for (const std::vector<int> &row : rows) {
        QJsonArray r;
        for (const int c : row)
            r.append(c);
        out.append(r);
    }
    return out;
}

QJsonObject categoryAgreement(const CategoryAgreement &c)
{
    QJsonObject o { { u"n_items"_s, c.nItems },
        { u"raters"_s, QJsonArray::fromStringList(c.raters) } };
    put(o, u"fleiss_kappa"_s, c.fleissKappa);
    put(o, u"krippendorff_alpha_nominal"_s, c.krippendorffAlphaNominal);
    put(o, u"gwet_ac1"_s, c.gwetAc1);
    put(o, u"alpha_nominal_ci"_s, c.alphaNominalCi);
    put(o, u"percent_agreement"_s, c.percentAgreement);
    put(o, u"fleiss_kappa_ci"_s, c.fleissKappaCi);
    put(o, u"krippendorff_alpha_nominal_ci"_s, c.alphaNominalCi);
    put(o, u"gwet_ac1_ci"_s, c.gwetAc1Ci);
    put(o, u"percent_agreement_ci"_s, c.percentAgreementCi);
    QJsonArray pairwise;
    for (const CategoryPair &p : c.pairwise) {
        QJsonObject j { { u"a"_s, p.a }, { u"b"_s, p.b }, { u"n"_s, p.n } };
        put(j, u"cohen_kappa"_s, p.cohenKappa);
        put(j, u"percent_agreement"_s, p.percentAgreement);
        put(j, u"cohen_kappa_ci"_s, p.cohenKappaCi);
        pairwise.append(j);
    }
    o.insert(u"pairwise"_s, pairwise);
    return o;
}

QJsonObject scoreAgreement(const ScoreAgreement &s)
{
    QJsonObject o { { u"n_responses"_s, s.nResponses },
        { u"raters"_s, QJsonArray::fromStringList(s.raters) } };
    put(o, u"krippendorff_alpha_ordinal"_s, s.krippendorffAlphaOrdinal);
    put(o, u"krippendorff_alpha_interval"_s, s.krippendorffAlphaInterval);
    put(o, u"alpha_ordinal_ci"_s, s.alphaOrdinalCi);
    put(o, u"krippendorff_alpha_ordinal_ci"_s, s.alphaOrdinalCi);
    put(o, u"krippendorff_alpha_interval_ci"_s, s.alphaIntervalCi);
    if (s.bootstrap)
        o.insert(u"bootstrap"_s,
            QJsonObject { { u"replicates"_s, s.bootstrap->replicates },
                { u"seed"_s, QString::number(s.bootstrap->seed) },
                { u"undefined_replicates"_s, s.bootstrap->undefinedReplicates } });
    QJsonArray pairwise;
    for (const ScorePair &p : s.pairwise) {
        QJsonObject j { { u"a"_s, p.a }, { u"b"_s, p.b }, { u"n"_s, p.n } };
        put(j, u"mae"_s, p.mae);
        put(j, u"rmse"_s, p.rmse);
        put(j, u"within_one"_s, p.withinOne);
        put(j, u"kappa_quadratic"_s, p.kappaQuadratic);
        put(j, u"kappa_linear"_s, p.kappaLinear);
        put(j, u"kappa_quadratic_ci"_s, p.kappaQuadraticCi);
        put(j, u"kappa_linear_ci"_s, p.kappaLinearCi);
        pairwise.append(j);
    }
    o.insert(u"pairwise"_s, pairwise);
    return o;
}

QJsonObject harmRate(const HarmRate &h)
{
    QJsonObject o { { u"n"_s, h.n }, { u"harmful"_s, h.harmful } };
    put(o, u"rate"_s, h.rate);
    o.insert(u"rate_ci"_s, h.rateCi ? QJsonValue(bounds(*h.rateCi)) : QJsonValue(QJsonValue::Null));
    put(o, u"mean_score"_s, h.meanScore);
    if (h.meanScoreCi)
        o.insert(u"mean_score_ci"_s, bounds(*h.meanScoreCi));
    return o;
}

QJsonArray bands(const QList<ScoreBandShare> &list)
{
    QJsonArray out;
    for (const ScoreBandShare &b : list) {
        QJsonObject o { { u"lo"_s, b.lo }, { u"hi"_s, b.hi }, { u"n"_s, b.n } };
        put(o, u"share"_s, b.share);
        o.insert(u"share_ci"_s,
            b.shareCi ? QJsonValue(bounds(*b.shareCi)) : QJsonValue(QJsonValue::Null));
        out.append(o);
    }
    return out;
}

QJsonObject categorySource(const CategorySourceInfo &c)
{
    return QJsonObject { { u"source"_s, c.source },
        { u"raters"_s, QJsonArray::fromStringList(c.raters) }, { u"items"_s, c.items },
        { u"items_with_category"_s, c.withCategory }, { u"ties"_s, c.ties },
        { u"tie_rule"_s,
            c.raters.isEmpty()
                ? QJsonValue(QJsonValue::Null)
                : QJsonValue(
                    u"the raters' unique most frequent label; a tie gives no category"_s) } };
}

QJsonObject harm(const Harm &h)
{
    QJsonArray models, cells;
    for (const ModelHarm &m : h.byModel) {
        QJsonObject o = harmRate(m.harm);
        put(o, u"score1_rate"_s, m.score1Rate);
        o.insert(u"model"_s, m.model);
        if (!h.bandCuts.isEmpty())
            o.insert(u"bands"_s, bands(m.bands));
        if (m.meanSd) {
            put(o, u"mean_sd"_s, m.meanSd->mean);
            o.insert(u"mean_sd_n"_s, m.meanSd->n);
        }
        models.append(o);
    }
    for (const ModelCategoryHarm &c : h.byModelCategory) {
        QJsonObject o = harmRate(c.harm);
        o.insert(u"model"_s, c.model);
        o.insert(
            u"category"_s, c.category ? QJsonValue(*c.category) : QJsonValue(QJsonValue::Null));
        cells.append(o);
    }
    QJsonObject o { { u"threshold"_s, h.threshold },
        { u"consensus"_s, u"adjudicated score if present, else mean of the selected raters"_s },
        { u"by_model"_s, models }, { u"by_model_category"_s, cells } };
    if (!h.bandCuts.isEmpty()) {
        QJsonArray cuts;
        for (const double c : h.bandCuts)
            cuts.append(c);
        o.insert(u"band_cuts"_s, cuts);
        o.insert(u"mean_sd_rule"_s,
            u"mean over responses of the population SD (ddof 0) of the selected raters' scores; "
            "responses with fewer than two scores left out"_s);
    }
    if (h.categorySource)
        o.insert(u"category_source"_s, categorySource(*h.categorySource));
    return o;
}

QJsonArray scoreDistribution(const QList<ScoreDistribution> &rows)
{
    QJsonArray out;
    for (const ScoreDistribution &d : rows) {
        QJsonArray counts;
        for (const int c : d.counts)
            counts.append(c);
        out.append(
            QJsonObject { { u"model"_s, d.model }, { u"n"_s, d.n }, { u"counts"_s, counts } });
    }
    return out;
}

QJsonObject llmCategoryRow(const LlmCategoryRow &r)
{
    QJsonObject o { { u"llm"_s, r.llm }, { u"human"_s, r.human }, { u"n"_s, r.n } };
    put(o, u"cohen_kappa"_s, r.cohenKappa);
    put(o, u"percent_agreement"_s, r.percentAgreement);
    put(o, u"accuracy"_s, r.accuracy);
    put(o, u"macro_f1"_s, r.macroF1);
    put(o, u"cohen_kappa_ci"_s, r.cohenKappaCi);
    o.insert(u"confusion"_s, matrix(r.confusion));
    return o;
}

QJsonObject llmScoreRow(const LlmScoreRow &r)
{
    QJsonObject o { { u"llm"_s, r.llm }, { u"human"_s, r.human }, { u"n"_s, r.n } };
    put(o, u"mae"_s, r.mae);
    put(o, u"rmse"_s, r.rmse);
    put(o, u"within_one"_s, r.withinOne);
    put(o, u"kappa_quadratic"_s, r.kappaQuadratic);
    put(o, u"krippendorff_alpha_ordinal"_s, r.krippendorffAlphaOrdinal);
    put(o, u"krippendorff_alpha_interval"_s, r.krippendorffAlphaInterval);
    put(o, u"kappa_quadratic_ci"_s, r.kappaQuadraticCi);
    if (!r.runRaters.isEmpty())
        o.insert(u"run_raters"_s, QJsonArray::fromStringList(r.runRaters));
    return o;
}

void put(QJsonObject &o, const QString &key, const SpreadValue &v)
{
    QJsonObject s { { u"n"_s, v.n } };
    put(s, u"mean"_s, v.mean);
    put(s, u"min"_s, v.min);
    put(s, u"max"_s, v.max);
    put(s, u"sd"_s, v.sd);
    o.insert(key, s);
}

QJsonObject overClinicians(const LlmOverClinicians &r)
{
    QJsonObject o { { u"llm"_s, r.llm },
        { u"clinicians"_s, QJsonArray::fromStringList(r.clinicians) } };
    put(o, u"mae"_s, r.mae);
    put(o, u"rmse"_s, r.rmse);
    put(o, u"within_one"_s, r.withinOne);
    return o;
}

QJsonObject judgeConsistency(const JudgeConsistency &j)
{
    QJsonObject o { { u"llm"_s, j.llm }, { u"runs"_s, j.runs() },
        { u"run_raters"_s, QJsonArray::fromStringList(j.runRaters) }, { u"n"_s, j.n } };
    put(o, u"alpha_ordinal"_s, j.alphaOrdinal);
    put(o, u"alpha_interval"_s, j.alphaInterval);
    put(o, u"icc_2_1"_s, j.icc21);
    put(o, u"icc_3_1"_s, j.icc31);
    put(o, u"percent_agreement"_s, j.percentAgreement);
    return o;
}

void put(QJsonObject &o, const QString &key, const CalibratedValue &v)
{
    put(o, key, v.value);
    put(o, key + u"_ci"_s, v.ci);
}

QJsonArray biasGroups(const QList<BiasGroup> &groups)
{
    QJsonArray out;
    for (const BiasGroup &g : groups) {
        QJsonObject o { { u"group"_s, g.group }, { u"n"_s, g.n } };
        put(o, u"llm_mean"_s, g.llmMean);
        put(o, u"clinician_mean"_s, g.clinicianMean);
        put(o, u"difference"_s, g.difference);
        out.append(o);
    }
    return out;
}

QJsonObject calibration(const JudgeCalibration &c)
{
    QJsonArray cells;
    for (const CalibrationCell &k : c.cells) {
        QJsonObject o { { u"category"_s,
                            k.category.isEmpty() ? QJsonValue(QJsonValue::Null) : k.category },
            { u"n"_s, k.n } };
        put(o, u"llm_vs_clinicians"_s, k.judge);
        put(o, u"clinicians"_s, k.clinicians);
        put(o, u"difference"_s, k.difference);
        cells.append(o);
    }
    QJsonObject o { { u"llm"_s, c.llm }, { u"kind"_s, c.kind },
        { u"statistic"_s,
            c.kind == u"score"_s ? u"mean quadratic-weighted Cohen's kappa"_s
                                 : u"mean Cohen's kappa (per category: one-vs-rest)"_s },
        { u"cells"_s, cells } };
    if (c.kind == u"score"_s) {
        o.insert(u"by_position"_s, biasGroups(c.byPosition));
        o.insert(u"by_length_tercile"_s, biasGroups(c.byLength));
    }
    if (c.family) {
        QJsonObject f { { u"family"_s, c.family->family },
            { u"same_family_models"_s, QJsonArray::fromStringList(c.family->sameFamilyModels) },
            { u"same_family"_s, !c.family->sameFamilyModels.isEmpty() },
            { u"n_same"_s, c.family->nSame }, { u"n_other"_s, c.family->nOther } };
        put(f, u"difference_same"_s, c.family->differenceSame);
        put(f, u"difference_other"_s, c.family->differenceOther);
        o.insert(u"family"_s, f);
    }
    return o;
}

template<typename Row, typename ToJson> QJsonArray rows(const QList<Row> &list, ToJson toJson)
{
    QJsonArray out;
    for (const Row &r : list)
        out.append(toJson(r));
    return out;
}

QJsonObject llmVsHuman(const LlmVsHuman &l)
{
    QJsonObject o { { u"category_ids"_s, QJsonArray::fromStringList(l.categoryIds) },
        { u"consensus"_s,
            u"categories: adjudicated, else unanimous or majority human label; "
            "scores: mean of the human raters"_s },
        { u"categories"_s, rows(l.categories, llmCategoryRow) },
        { u"scores"_s, rows(l.scores, llmScoreRow) },
        { u"scores_over_clinicians"_s, rows(l.scoresOverClinicians, overClinicians) },
        { u"judge_consistency"_s, rows(l.judgeConsistency, judgeConsistency) },
        { u"calibration"_s, rows(l.calibration, calibration) } };
    if (l.fleissAll) {
        QJsonObject f { { u"raters"_s, QJsonArray::fromStringList(l.fleissAll->raters) },
            { u"n_items"_s, l.fleissAll->nItems } };
        put(f, u"fleiss_kappa"_s, l.fleissAll->fleissKappa);
        o.insert(u"fleiss_all"_s, f);
    }
    return o;
}

QJsonObject confusion(const Confusion &c)
{
    QJsonArray perClass;
    for (const ClassScores &k : c.perClass) {
        QJsonObject o { { u"category"_s, k.category }, { u"support"_s, k.support } };
        put(o, u"precision"_s, k.precision);
        put(o, u"recall"_s, k.recall);
        put(o, u"f1"_s, k.f1);
        perClass.append(o);
    }
    QJsonObject o { { u"reference"_s, c.reference }, { u"predicted"_s, c.predicted },
        { u"categories"_s, QJsonArray::fromStringList(c.categories) }, { u"n"_s, c.n },
        { u"matrix"_s, matrix(c.matrix) }, { u"per_class"_s, perClass } };
    put(o, u"macro_f1"_s, c.macroF1);
    put(o, u"accuracy"_s, c.accuracy);
    return o;
}

QJsonObject planning(const Planning &p)
{
    QJsonArray harm, agreement;
    for (const HarmPlanRow &r : p.harm) {
        QJsonObject o { { u"category"_s, r.category }, { u"models"_s, r.models },
            { u"responses_per_model"_s, r.responsesPerModel }, { u"needed"_s, r.needed },
            { u"needed_worst_case"_s, r.neededWorstCase } };
        put(o, u"rate"_s, r.rate);
        harm.append(o);
    }
    for (const AgreementPlanRow &r : p.agreement) {
        QJsonObject o { { u"figure"_s, r.figure }, { u"units"_s, r.units },
            { u"needed"_s, r.needed } };
        put(o, u"width_now"_s, r.width);
        agreement.append(o);
    }
    return QJsonObject { { u"width"_s, p.width },
        { u"harm_method"_s,
            u"Wilson 95% interval: responses per model and category for the target width at "
            "the pooled harm rate (needed) and at 0.5 (needed_worst_case)"_s },
        { u"harm"_s, harm },
        { u"agreement_method"_s,
            u"bootstrap 95% interval width now scaled by sqrt(units now / units): "
            "ceil(units * (width_now / width)^2), an approximation"_s },
        { u"agreement"_s, agreement } };
}

} // namespace

QJsonObject toJson(const StatsResult &result)
{
    QJsonObject doc { { u"study"_s, result.study }, { u"rater_selection"_s, result.raterSelection },
        { u"category_agreement"_s, categoryAgreement(result.categoryAgreement) },
        { u"score_agreement"_s, scoreAgreement(result.scoreAgreement) },
        { u"harm"_s, harm(result.harm) },
        { u"score_distribution"_s, scoreDistribution(result.scoreDistribution) },
        { u"llm_vs_human"_s, llmVsHuman(result.llmVsHuman) } };
    if (result.filters)
        doc.insert(u"filters"_s, filterToJson(*result.filters));
    if (result.confusion)
        doc.insert(u"confusion"_s, confusion(*result.confusion));
    if (result.planning)
        doc.insert(u"planning"_s, planning(*result.planning));
    if (result.emptyLabels)
        doc.insert(u"empty_label_as_category"_s,
            QJsonObject { { u"category"_s, QLatin1String(storage::kEmptyCategory) },
                { u"labels"_s, *result.emptyLabels } });
    return doc;
}

QByteArray toJsonText(const StatsResult &result)
{
    return QJsonDocument(toJson(result)).toJson();
}

QJsonObject filterToJson(const storage::RatingFilter &filter)
{
    auto list = [](const QStringList &l) {
        return l.isEmpty() ? QJsonValue(QJsonValue::Null)
                           : QJsonValue(QJsonArray::fromStringList(l));
    };
    auto date = [](const QDate &d) {
        return d.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.toString(Qt::ISODate));
    };
    QJsonObject o { { u"categories"_s, list(filter.categories) },
        { u"models"_s, list(filter.models) }, { u"splits"_s, list(filter.splits) },
        { u"from"_s, date(filter.from) }, { u"to"_s, date(filter.to) } };
    if (!filter.datasets.isEmpty()) // only when set: earlier documents stay as they were
        o.insert(u"datasets"_s, list(filter.datasets));
    return o;
}

} // namespace cr::stats
