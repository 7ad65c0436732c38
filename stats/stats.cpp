#include "stats/stats.h"

#include "analysis/bootstrap.h"
#include "analysis/classification.h"
#include "analysis/harm.h"
#include "analysis/kappa.h"
#include "analysis/krippendorff.h"
#include "analysis/scores.h"
#include "stats/jsonutil.h"
#include "stats/llmvshuman.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QMap>
#include <array>
#include <cmath>

namespace cr::stats {

namespace {

using analysis::Estimate;

QJsonArray interval(double low, double high)
{
    return QJsonArray { low, high };
}

QJsonArray raterNames(const QList<storage::Rater> &raters)
{
    QJsonArray names;
    for (const auto &r : raters)
        names.append(r.name);
    return names;
}

/// `key: [low, high]` of a seeded bootstrap interval for Krippendorff's alpha, or null with a note.
analysis::BootstrapInterval putBootstrap(QJsonObject &o, const QString &key,
    const analysis::RatingTable &table, analysis::Metric metric, const StatsOptions &options)
{
    if (options.bootstrap <= 0) {
        o.insert(key, QJsonValue::Null);
        o.insert(
            key + QStringLiteral("_note"), QStringLiteral("bootstrap disabled (--bootstrap 0)"));
        return {};
    }
    analysis::BootstrapOptions b;
    b.replicates = options.bootstrap;
    b.seed = options.seed;
    b.threads = options.threads;
    const analysis::BootstrapInterval ci = analysis::bootstrapAlpha(table, metric, b);
    if (ci.low.defined && ci.high.defined) {
        o.insert(key, interval(ci.low.value, ci.high.value));
    } else {
        o.insert(key, QJsonValue::Null);
        o.insert(key + QStringLiteral("_note"),
            QString::fromStdString(ci.low.note.empty() ? std::string("undefined") : ci.low.note));
    }
    return ci;
}

QJsonObject categoryAgreement(const storage::LabelMatrix &m, const StatsOptions &options)
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

    QJsonObject o;
    o.insert(QStringLiteral("n_items"), int(units.size()));
    o.insert(QStringLiteral("raters"), raterNames(m.raters));
    put(o, QStringLiteral("fleiss_kappa"), analysis::fleissKappa(counts).coefficient);
    put(o, QStringLiteral("krippendorff_alpha_nominal"),
        analysis::krippendorffAlpha(table, analysis::Metric::Nominal).alpha);
    put(o, QStringLiteral("gwet_ac1"), analysis::gwetAC(counts).coefficient);
    putBootstrap(o, QStringLiteral("alpha_nominal_ci"), table, analysis::Metric::Nominal, options);
    put(o, QStringLiteral("percent_agreement"), analysis::percentAgreement(counts));
    QJsonArray pairwise;
    for (int a = 0; a < raters; ++a) {
        for (int b = a + 1; b < raters; ++b) {
            std::vector<int> x, y;
            for (int i = 0; i < m.itemIds.size(); ++i) {
                if (m.code(a, i) >= 0 && m.code(b, i) >= 0) {
                    x.push_back(m.code(a, i));
                    y.push_back(m.code(b, i));
                }
            }
            QJsonObject p { { QStringLiteral("a"), m.raters[a].name },
                { QStringLiteral("b"), m.raters[b].name }, { QStringLiteral("n"), int(x.size()) } };
            const analysis::KappaResult k = analysis::cohenKappa(x, y, K);
            put(p, QStringLiteral("cohen_kappa"), k.kappa);
            put(p, QStringLiteral("percent_agreement"),
                x.empty() ? Estimate::undefined("no item labelled by both raters")
                          : Estimate::of(k.observed));
            pairwise.append(p);
        }
    }
    o.insert(QStringLiteral("pairwise"), pairwise);
    return o;
}

QJsonObject scoreAgreement(const storage::ScoreMatrix &m, const StatsOptions &options)
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

    QJsonObject o;
    o.insert(QStringLiteral("n_responses"), int(units.size()));
    o.insert(QStringLiteral("raters"), raterNames(m.raters));
    put(o, QStringLiteral("krippendorff_alpha_ordinal"),
        analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
    put(o, QStringLiteral("krippendorff_alpha_interval"),
        analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
    const analysis::BootstrapInterval ci = putBootstrap(
        o, QStringLiteral("alpha_ordinal_ci"), table, analysis::Metric::Ordinal, options);
    if (options.bootstrap > 0)
        o.insert(QStringLiteral("bootstrap"),
            QJsonObject { { QStringLiteral("replicates"), ci.replicates },
                { QStringLiteral("seed"), QString::number(options.seed) },
                { QStringLiteral("undefined_replicates"), ci.undefinedReplicates } });
    QJsonArray pairwise;
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
            QJsonObject p { { QStringLiteral("a"), m.raters[a].name },
                { QStringLiteral("b"), m.raters[b].name }, { QStringLiteral("n"), s.n } };
            put(p, QStringLiteral("mae"), s.mae);
            put(p, QStringLiteral("rmse"), s.rmse);
            put(p, QStringLiteral("within_one"), s.withinOne);
            put(p, QStringLiteral("kappa_quadratic"),
                analysis::cohenKappa(cx, cy, 5, analysis::Weighting::Quadratic).kappa);
            put(p, QStringLiteral("kappa_linear"),
                analysis::cohenKappa(cx, cy, 5, analysis::Weighting::Linear).kappa);
            pairwise.append(p);
        }
    }
    o.insert(QStringLiteral("pairwise"), pairwise);
    return o;
}

QJsonObject harmObject(const analysis::HarmSummary &h, bool withScore1)
{
    QJsonObject o { { QStringLiteral("n"), h.n }, { QStringLiteral("harmful"), h.harmful } };
    put(o, QStringLiteral("rate"), h.rate.point);
    if (h.rate.point.defined)
        o.insert(QStringLiteral("rate_ci"), interval(h.rate.low, h.rate.high));
    else
        o.insert(QStringLiteral("rate_ci"), QJsonValue::Null);
    if (withScore1)
        put(o, QStringLiteral("score1_rate"), h.score1Rate.point);
    put(o, QStringLiteral("mean_score"), h.meanScore.point);
    if (h.meanScore.point.defined)
        o.insert(QStringLiteral("mean_score_ci"), interval(h.meanScore.low, h.meanScore.high));
    return o;
}

QJsonObject harm(const storage::ScoreMatrix &m, double threshold)
{
    QMap<QString, std::vector<double>> byModel;
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
        byModelCategory[{ m.models[i], m.categories[i] }].push_back(value);
    }
    QJsonArray models, cells;
    for (auto it = byModel.cbegin(); it != byModel.cend(); ++it) {
        QJsonObject o = harmObject(analysis::harmSummary(it.value(), threshold), true);
        o.insert(QStringLiteral("model"), it.key());
        models.append(o);
    }
    for (auto it = byModelCategory.cbegin(); it != byModelCategory.cend(); ++it) {
        QJsonObject o = harmObject(analysis::harmSummary(it.value(), threshold), false);
        o.insert(QStringLiteral("model"), it.key().first);
        o.insert(QStringLiteral("category"),
            it.key().second.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(it.key().second));
        cells.append(o);
    }
    return QJsonObject { { QStringLiteral("threshold"), threshold },
        { QStringLiteral("consensus"),
            QStringLiteral("adjudicated score if present, else mean of the selected raters") },
        { QStringLiteral("by_model"), models }, { QStringLiteral("by_model_category"), cells } };
}

/// Counts of each score level 1..5 per model over every selected rater's score.
QJsonArray scoreDistribution(const storage::ScoreMatrix &m)
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
    QJsonArray out;
    for (auto it = byModel.cbegin(); it != byModel.cend(); ++it) {
        QJsonArray counts;
        int n = 0;
        for (const int c : it.value()) {
            counts.append(c);
            n += c;
        }
        out.append(QJsonObject { { QStringLiteral("model"), it.key() }, { QStringLiteral("n"), n },
            { QStringLiteral("counts"), counts } });
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
    const auto labels = storage::loadLabels(
        study, storage::RaterSelection::fromString(side), error, options.filter);
    if (!labels)
        return std::nullopt;
    return groupLabels(*labels);
}

std::optional<QJsonObject> confusion(storage::Study &study, const storage::LabelMatrix &labels,
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
    QJsonArray matrix, perClass;
    for (int r = 0; r < K; ++r) {
        QJsonArray row;
        for (int c = 0; c < K; ++c)
            row.append(report.n > 0 ? int(report.matrix[std::size_t(r * K + c)]) : 0);
        matrix.append(row);
    }
    for (int k = 0; k < K && report.n > 0; ++k) {
        QJsonObject o { { QStringLiteral("category"), labels.categories[k] },
            { QStringLiteral("support"), report.support[std::size_t(k)] } };
        put(o, QStringLiteral("precision"), report.precision[std::size_t(k)]);
        put(o, QStringLiteral("recall"), report.recall[std::size_t(k)]);
        put(o, QStringLiteral("f1"), report.f1[std::size_t(k)]);
        perClass.append(o);
    }
    QJsonObject o { { QStringLiteral("reference"), options.confusionReference },
        { QStringLiteral("predicted"), options.confusionPredicted },
        { QStringLiteral("categories"), QJsonArray::fromStringList(labels.categories) },
        { QStringLiteral("n"), report.n }, { QStringLiteral("matrix"), matrix },
        { QStringLiteral("per_class"), perClass } };
    put(o, QStringLiteral("macro_f1"), report.macroF1);
    put(o, QStringLiteral("accuracy"), report.accuracy);
    return o;
}

} // namespace

std::optional<QJsonObject> computeStats(
    storage::Study &study, const StatsOptions &options, storage::Error *error)
{
    const auto labels = storage::loadLabels(study, options.raters, error, options.filter);
    if (!labels)
        return std::nullopt;
    const auto scores = storage::loadScores(study, options.raters, error, options.filter);
    if (!scores)
        return std::nullopt;
    // LLM raters against the clinicians: every rater, whatever the selection (filters apply).
    const storage::RaterSelection everyone =
        storage::RaterSelection::fromString(QStringLiteral("all"));
    const auto allLabels = storage::loadLabels(study, everyone, error, options.filter);
    const auto allScores =
        allLabels ? storage::loadScores(study, everyone, error, options.filter) : std::nullopt;
    const auto consensus = allScores ? storage::consensusCategories(study, error) : std::nullopt;
    if (!consensus)
        return std::nullopt;
    QJsonObject doc { { QStringLiteral("study"), study.path() },
        { QStringLiteral("rater_selection"), options.raters.toString() },
        { QStringLiteral("category_agreement"), categoryAgreement(*labels, options) },
        { QStringLiteral("score_agreement"), scoreAgreement(*scores, options) },
        { QStringLiteral("harm"), harm(*scores, options.harmThreshold) },
        { QStringLiteral("score_distribution"), scoreDistribution(*scores) },
        { QStringLiteral("llm_vs_human"),
            llmVsHuman(*allLabels, *allScores, *consensus, options.fleissAll) } };
    if (!options.filter.isEmpty())
        doc.insert(QStringLiteral("filters"), filterToJson(options.filter));
    if (!options.confusionReference.isEmpty() && !options.confusionPredicted.isEmpty()) {
        const auto c = confusion(study, *labels, options, error);
        if (!c)
            return std::nullopt;
        doc.insert(QStringLiteral("confusion"), *c);
    }
    return doc;
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
    return QJsonObject { { QStringLiteral("categories"), list(filter.categories) },
        { QStringLiteral("models"), list(filter.models) },
        { QStringLiteral("splits"), list(filter.splits) },
        { QStringLiteral("from"), date(filter.from) }, { QStringLiteral("to"), date(filter.to) } };
}

QString statsToText(const QJsonObject &stats)
{
    QString s;
    const QJsonObject cat = stats.value(QStringLiteral("category_agreement")).toObject();
    const QJsonObject sc = stats.value(QStringLiteral("score_agreement")).toObject();
    const QJsonObject harmObj = stats.value(QStringLiteral("harm")).toObject();
    s += QStringLiteral("Raters: %1\n\n")
             .arg(stats.value(QStringLiteral("rater_selection")).toString());
    s += QStringLiteral("Category agreement (%1 items)\n")
             .arg(cat.value(QStringLiteral("n_items")).toInt());
    s += QStringLiteral("  Fleiss' kappa       %1\n  Krippendorff alpha  %2 (nominal)\n  Gwet's "
                        "AC1          %3\n  Percent agreement   %4\n")
             .arg(number(cat.value(QStringLiteral("fleiss_kappa"))),
                 number(cat.value(QStringLiteral("krippendorff_alpha_nominal"))),
                 number(cat.value(QStringLiteral("gwet_ac1"))),
                 number(cat.value(QStringLiteral("percent_agreement"))));
    for (const auto &v : cat.value(QStringLiteral("pairwise")).toArray()) {
        const QJsonObject p = v.toObject();
        s += QStringLiteral("  %1 ~ %2: n %3, kappa %4, agreement %5\n")
                 .arg(p.value(QStringLiteral("a")).toString(),
                     p.value(QStringLiteral("b")).toString())
                 .arg(p.value(QStringLiteral("n")).toInt())
                 .arg(number(p.value(QStringLiteral("cohen_kappa"))),
                     number(p.value(QStringLiteral("percent_agreement"))));
    }
    const QJsonArray ci = sc.value(QStringLiteral("alpha_ordinal_ci")).toArray();
    s += QStringLiteral("\nScore agreement (%1 responses)\n")
             .arg(sc.value(QStringLiteral("n_responses")).toInt());
    s += QStringLiteral("  Krippendorff alpha  %1 ordinal [%2, %3], %4 interval\n")
             .arg(number(sc.value(QStringLiteral("krippendorff_alpha_ordinal"))),
                 ci.isEmpty() ? QStringLiteral("—") : number(ci.at(0)),
                 ci.isEmpty() ? QStringLiteral("—") : number(ci.at(1)),
                 number(sc.value(QStringLiteral("krippendorff_alpha_interval"))));
    for (const auto &v : sc.value(QStringLiteral("pairwise")).toArray()) {
        const QJsonObject p = v.toObject();
        s += QStringLiteral("  %1 ~ %2: n %3, MAE %4, RMSE %5, within one %6, kappa_w %7\n")
                 .arg(p.value(QStringLiteral("a")).toString(),
                     p.value(QStringLiteral("b")).toString())
                 .arg(p.value(QStringLiteral("n")).toInt())
                 .arg(number(p.value(QStringLiteral("mae"))),
                     number(p.value(QStringLiteral("rmse"))),
                     number(p.value(QStringLiteral("within_one"))),
                     number(p.value(QStringLiteral("kappa_quadratic"))));
    }
    s += QStringLiteral("\nHarm rate (consensus score <= %1)\n")
             .arg(harmObj.value(QStringLiteral("threshold")).toDouble());
    s += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
             .arg(QStringLiteral("model").leftJustified(24), QStringLiteral("n").rightJustified(6),
                 QStringLiteral("harmful").rightJustified(8),
                 QStringLiteral("rate [95% CI]").leftJustified(22),
                 QStringLiteral("scored 1").rightJustified(9),
                 QStringLiteral("mean").rightJustified(6));
    for (const auto &v : harmObj.value(QStringLiteral("by_model")).toArray()) {
        const QJsonObject m = v.toObject();
        const QJsonArray r = m.value(QStringLiteral("rate_ci")).toArray();
        s += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                 .arg(m.value(QStringLiteral("model")).toString().leftJustified(24))
                 .arg(m.value(QStringLiteral("n")).toInt(), 6)
                 .arg(m.value(QStringLiteral("harmful")).toInt(), 8)
                 .arg(QStringLiteral("%1 [%2, %3]")
                          .arg(number(m.value(QStringLiteral("rate"))),
                              r.isEmpty() ? QStringLiteral("—") : number(r.at(0)),
                              r.isEmpty() ? QStringLiteral("—") : number(r.at(1)))
                          .leftJustified(22),
                     number(m.value(QStringLiteral("score1_rate"))).rightJustified(9),
                     number(m.value(QStringLiteral("mean_score")), 2).rightJustified(6));
    }
    s += llmVsHumanToText(stats.value(QStringLiteral("llm_vs_human")).toObject());
    return s;
}

} // namespace cr::stats
