#include "stats/llmvshuman.h"

#include "analysis/classification.h"
#include "analysis/kappa.h"
#include "analysis/krippendorff.h"
#include "analysis/scores.h"
#include "stats/jsonutil.h"

#include <QJsonArray>
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
QJsonObject categoryPair(const QString &llm, const QString &human,
    const std::vector<int> &reference, const std::vector<int> &predicted, int K)
{
    std::vector<int> x, y;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        if (reference[i] >= 0 && predicted[i] >= 0) {
            x.push_back(reference[i]);
            y.push_back(predicted[i]);
        }
    }
    QJsonObject o { { QStringLiteral("llm"), llm }, { QStringLiteral("human"), human },
        { QStringLiteral("n"), int(x.size()) } };
    const analysis::KappaResult k = analysis::cohenKappa(x, y, K);
    const analysis::ClassificationReport c = analysis::classificationReport(x, y, K);
    put(o, QStringLiteral("cohen_kappa"), k.kappa);
    put(o, QStringLiteral("percent_agreement"),
        x.empty() ? Estimate::undefined("no item labelled by both") : Estimate::of(k.observed));
    put(o, QStringLiteral("accuracy"), c.accuracy);
    put(o, QStringLiteral("macro_f1"), c.macroF1);
    QJsonArray confusion;
    for (int r = 0; r < K; ++r) {
        QJsonArray row;
        for (int col = 0; col < K; ++col)
            row.append(int(c.matrix.empty() ? 0.0 : c.matrix[std::size_t(r * K + col)]));
        confusion.append(row);
    }
    o.insert(QStringLiteral("confusion"), confusion);
    return o;
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

QJsonObject scorePair(const QString &llm, const QString &human,
    const std::vector<double> &reference, const std::vector<double> &judged)
{
    std::vector<double> x, y;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        if (!std::isnan(reference[i]) && !std::isnan(judged[i])) {
            x.push_back(reference[i]);
            y.push_back(judged[i]);
        }
    }
    const analysis::PairedScoreAgreement s = analysis::pairedScoreAgreement(x, y);
    QJsonObject o { { QStringLiteral("llm"), llm }, { QStringLiteral("human"), human },
        { QStringLiteral("n"), s.n } };
    put(o, QStringLiteral("mae"), s.mae);
    put(o, QStringLiteral("rmse"), s.rmse);
    put(o, QStringLiteral("within_one"), s.withinOne);
    const auto cx = scoreCodes(x), cy = scoreCodes(y);
    put(o, QStringLiteral("kappa_quadratic"),
        cx && cy ? analysis::cohenKappa(*cx, *cy, 5, analysis::Weighting::Quadratic).kappa
                 : Estimate::undefined("scores are not whole 1-5 values (e.g. a mean)"));
    const analysis::RatingTable table = analysis::RatingTable::fromRows({ x, y });
    put(o, QStringLiteral("krippendorff_alpha_ordinal"),
        analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
    put(o, QStringLiteral("krippendorff_alpha_interval"),
        analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
    return o;
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
    QJsonArray *rows)
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
            rows->append(categoryPair(m.raters[l].name, m.raters[h].name, row(h), predicted, K));
        rows->append(categoryPair(m.raters[l].name, kConsensus, reference, predicted, K));
    }
}

void scores(const storage::ScoreMatrix &m, QJsonArray *rows)
{
    const int n = int(m.responseIds.size());
    auto row = [&](int r) {
        std::vector<double> v(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            v[std::size_t(i)] = m.score(r, i);
        return v;
    };
    const QList<int> humans = ratersOfKind(m.raters, RaterKind::Human);
    std::vector<double> mean(std::size_t(n), analysis::kMissing);
    for (int i = 0; i < n; ++i) {
        double sum = 0;
        int k = 0;
        for (int h : humans) {
            if (const double s = m.score(h, i); !std::isnan(s)) {
                sum += s;
                ++k;
            }
        }
        if (k > 0)
            mean[std::size_t(i)] = sum / k;
    }
    auto compare = [&](const QString &llm, const std::vector<double> &judged,
                       const QJsonArray &runs) {
        auto add = [&](QJsonObject o) {
            if (!runs.isEmpty())
                o.insert(QStringLiteral("run_raters"), runs);
            rows->append(o);
        };
        for (int h : humans)
            add(scorePair(llm, m.raters[h].name, row(h), judged));
        add(scorePair(llm, kConsensus, mean, judged));
    };
    for (int l : ratersOfKind(m.raters, RaterKind::Llm))
        compare(m.raters[l].name, row(l), {});
    // A judge run several times (raters `judge#1`, `judge#2`…): also the mean of its
    // runs per response (as the published evaluation reports), named `judge#mean`.
    const QMap<QString, QList<int>> runs = judgeRuns(m);
    for (auto it = runs.cbegin(); it != runs.cend(); ++it) {
        if (it->size() < 2)
            continue;
        std::vector<double> judged(std::size_t(n), analysis::kMissing);
        for (int i = 0; i < n; ++i) {
            double sum = 0;
            int k = 0;
            for (int r : *it) {
                if (const double s = m.score(r, i); !std::isnan(s)) {
                    sum += s;
                    ++k;
                }
            }
            if (k > 0)
                judged[std::size_t(i)] = sum / k;
        }
        QJsonArray names;
        for (int r : *it)
            names.append(m.raters[r].name);
        compare(it.key() + QStringLiteral("#mean"), judged, names);
    }
}

QJsonArray judgeConsistency(const storage::ScoreMatrix &m)
{
    const QMap<QString, QList<int>> runs = judgeRuns(m);
    QJsonArray out;
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
        QJsonArray names;
        for (int r : rows)
            names.append(m.raters[r].name);
        QJsonObject o { { QStringLiteral("llm"), it.key() },
            { QStringLiteral("runs"), int(rows.size()) }, { QStringLiteral("run_raters"), names },
            { QStringLiteral("n"), int(units.size()) } };
        put(o, QStringLiteral("alpha_ordinal"),
            analysis::krippendorffAlpha(table, analysis::Metric::Ordinal).alpha);
        put(o, QStringLiteral("alpha_interval"),
            analysis::krippendorffAlpha(table, analysis::Metric::Interval).alpha);
        const analysis::IccResult icc = analysis::intraclassCorrelation(table);
        put(o, QStringLiteral("icc_2_1"), icc.icc21);
        put(o, QStringLiteral("icc_3_1"), icc.icc31);
        analysis::RatingTable codes = table;
        for (double &v : codes.values)
            v -= 1;
        put(o, QStringLiteral("percent_agreement"),
            whole ? analysis::percentAgreement(analysis::CountTable::fromRatings(codes, 5))
                  : Estimate::undefined("scores are not whole 1-5 values"));
        out.append(o);
    }
    return out;
}

QJsonObject fleissAllRaters(const storage::LabelMatrix &m)
{
    const int raters = int(m.raters.size());
    analysis::RatingTable table(raters, int(m.itemIds.size()));
    QJsonArray names;
    for (int r = 0; r < raters; ++r) {
        names.append(m.raters[r].name);
        for (int i = 0; i < m.itemIds.size(); ++i)
            if (const int c = m.code(r, i); c >= 0)
                table.at(r, i) = c;
    }
    const analysis::AgreementResult f =
        analysis::fleissKappa(analysis::CountTable::fromRatings(table, int(m.categories.size())));
    QJsonObject o { { QStringLiteral("raters"), names },
        { QStringLiteral("n_items"), f.subjects } };
    put(o, QStringLiteral("fleiss_kappa"), f.coefficient);
    return o;
}

} // namespace

QJsonObject llmVsHuman(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scoreMatrix,
    const QHash<qint64, storage::Consensus> &consensus, bool fleissAll)
{
    QJsonArray categoryRows, scoreRows;
    categories(labels, consensus, &categoryRows);
    scores(scoreMatrix, &scoreRows);
    QJsonObject o { { QStringLiteral("category_ids"),
                        QJsonArray::fromStringList(labels.categories) },
        { QStringLiteral("consensus"),
            QStringLiteral("categories: adjudicated, else unanimous or majority human label; "
                           "scores: mean of the human raters") },
        { QStringLiteral("categories"), categoryRows }, { QStringLiteral("scores"), scoreRows },
        { QStringLiteral("judge_consistency"), judgeConsistency(scoreMatrix) } };
    if (fleissAll)
        o.insert(QStringLiteral("fleiss_all"), fleissAllRaters(labels));
    return o;
}

QString llmVsHumanToText(const QJsonObject &section)
{
    auto v = [](const QJsonObject &o, const char *key, int width) {
        return number(o.value(QLatin1String(key))).rightJustified(width);
    };
    QString s;
    const QJsonArray cats = section.value(QStringLiteral("categories")).toArray();
    const QJsonArray scs = section.value(QStringLiteral("scores")).toArray();
    const QJsonArray judges = section.value(QStringLiteral("judge_consistency")).toArray();
    if (cats.isEmpty() && scs.isEmpty() && judges.isEmpty())
        return QStringLiteral("\nLLM raters vs clinicians: no LLM rater in the study\n");
    if (!cats.isEmpty()) {
        s += QStringLiteral(
            "\nLLM classifiers vs clinicians (category labels)\n  %1 %2 %3 %4 %5 %6 %7\n")
                 .arg(QStringLiteral("llm").leftJustified(22),
                     QStringLiteral("human").leftJustified(16),
                     QStringLiteral("n").rightJustified(6),
                     QStringLiteral("kappa").rightJustified(7),
                     QStringLiteral("agree").rightJustified(7),
                     QStringLiteral("acc").rightJustified(7),
                     QStringLiteral("macroF1").rightJustified(7));
        for (const auto &x : cats) {
            const QJsonObject o = x.toObject();
            s += QStringLiteral("  %1 %2 %3 %4 %5 %6 %7\n")
                     .arg(o.value(QStringLiteral("llm")).toString().leftJustified(22),
                         o.value(QStringLiteral("human")).toString().leftJustified(16))
                     .arg(o.value(QStringLiteral("n")).toInt(), 6)
                     .arg(v(o, "cohen_kappa", 7), v(o, "percent_agreement", 7), v(o, "accuracy", 7),
                         v(o, "macro_f1", 7));
        }
    }
    if (!scs.isEmpty()) {
        s += QStringLiteral("\nLLM judges vs clinicians (scores; consensus = human mean)\n  %1 %2 "
                            "%3 %4 %5 %6 %7 %8\n")
                 .arg(QStringLiteral("llm").leftJustified(22),
                     QStringLiteral("human").leftJustified(16),
                     QStringLiteral("n").rightJustified(6), QStringLiteral("MAE").rightJustified(7),
                     QStringLiteral("RMSE").rightJustified(7),
                     QStringLiteral("within1").rightJustified(7),
                     QStringLiteral("kappa_w").rightJustified(7),
                     QStringLiteral("alpha").rightJustified(7));
        for (const auto &x : scs) {
            const QJsonObject o = x.toObject();
            s += QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8\n")
                     .arg(o.value(QStringLiteral("llm")).toString().leftJustified(22),
                         o.value(QStringLiteral("human")).toString().leftJustified(16))
                     .arg(o.value(QStringLiteral("n")).toInt(), 6)
                     .arg(v(o, "mae", 7), v(o, "rmse", 7), v(o, "within_one", 7),
                         v(o, "kappa_quadratic", 7), v(o, "krippendorff_alpha_ordinal", 7));
        }
    }
    if (!judges.isEmpty()) {
        s +=
            QStringLiteral("\nJudge run-to-run consistency\n  %1 %2 %3 %4 %5 %6\n")
                .arg(QStringLiteral("judge").leftJustified(22),
                    QStringLiteral("runs").rightJustified(5), QStringLiteral("n").rightJustified(6),
                    QStringLiteral("alpha_o").rightJustified(7),
                    QStringLiteral("ICC2,1").rightJustified(7),
                    QStringLiteral("agree").rightJustified(7));
        for (const auto &x : judges) {
            const QJsonObject o = x.toObject();
            s += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                     .arg(o.value(QStringLiteral("llm")).toString().leftJustified(22))
                     .arg(o.value(QStringLiteral("runs")).toInt(), 5)
                     .arg(o.value(QStringLiteral("n")).toInt(), 6)
                     .arg(v(o, "alpha_ordinal", 7), v(o, "icc_2_1", 7),
                         v(o, "percent_agreement", 7));
        }
    }
    if (section.contains(QStringLiteral("fleiss_all"))) {
        const QJsonObject f = section.value(QStringLiteral("fleiss_all")).toObject();
        s += QStringLiteral(
            "\nAll clinicians and LLMs together: Fleiss' kappa %1 (%2 raters, %3 items)\n")
                 .arg(number(f.value(QStringLiteral("fleiss_kappa"))))
                 .arg(f.value(QStringLiteral("raters")).toArray().size())
                 .arg(f.value(QStringLiteral("n_items")).toInt());
    }
    return s;
}

} // namespace cr::stats
