#include "report/dashboarddata.h"

#include "stats/stats.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMap>
#include <cmath>
#include <limits>

namespace cr::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double num(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : kNaN;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("cr::report::DashboardData", text);
}

QJsonArray array(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toArray();
}
QJsonObject object(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toObject();
}

QString categoryName(const QJsonValue &v)
{
    return v.isString() ? v.toString() : tr("(no consensus)");
}

} // namespace

QList<widgets::RateBar> harmBars(const QJsonObject &stats)
{
    QList<widgets::RateBar> bars;
    for (const QJsonValue &v : array(object(stats, "harm"), "by_model")) {
        const QJsonObject m = v.toObject();
        widgets::RateBar b;
        b.label = m.value(QLatin1String("model")).toString();
        b.n = m.value(QLatin1String("n")).toInt();
        b.harmful = m.value(QLatin1String("harmful")).toInt();
        b.rate = num(m.value(QLatin1String("rate")));
        const QJsonArray ci = array(m, "rate_ci");
        b.low = ci.size() == 2 ? ci.at(0).toDouble() : 0.0;
        b.high = ci.size() == 2 ? ci.at(1).toDouble() : 0.0;
        b.scoredOneRate = num(m.value(QLatin1String("score1_rate")));
        bars.append(b);
    }
    return bars;
}

QList<widgets::DistributionRow> distributionRows(const QJsonObject &stats)
{
    QList<widgets::DistributionRow> rows;
    for (const QJsonValue &v : array(stats, "score_distribution")) {
        const QJsonObject m = v.toObject();
        widgets::DistributionRow r;
        r.label = m.value(QLatin1String("model")).toString();
        const QJsonArray counts = array(m, "counts");
        for (int i = 0; i < 5 && i < counts.size(); ++i)
            r.counts[std::size_t(i)] = counts.at(i).toInt();
        rows.append(r);
    }
    return rows;
}

widgets::HeatmapData modelCategoryHeatmap(const QJsonObject &stats, bool harmRate)
{
    widgets::HeatmapData d;
    d.rowTitle = tr("model");
    d.columnTitle = tr("consensus category");
    QMap<std::pair<QString, QString>, std::pair<double, int>> cells;
    QStringList models;
    QStringList categories;
    bool noConsensus = false;
    for (const QJsonValue &v : array(object(stats, "harm"), "by_model_category")) {
        const QJsonObject c = v.toObject();
        const QString model = c.value(QLatin1String("model")).toString();
        const QJsonValue cat = c.value(QLatin1String("category"));
        if (!models.contains(model))
            models.append(model);
        if (cat.isString() && !categories.contains(cat.toString()))
            categories.append(cat.toString());
        noConsensus |= !cat.isString();
        cells.insert({ model, categoryName(cat) },
            { num(c.value(harmRate ? QLatin1String("rate") : QLatin1String("mean_score"))),
                c.value(QLatin1String("n")).toInt() });
    }
    models.sort();
    categories.sort();
    if (noConsensus)
        categories.append(tr("(no consensus)"));
    d.rows = models;
    d.columns = categories;
    for (const QString &m : std::as_const(models))
        for (const QString &c : std::as_const(categories)) {
            const auto cell = cells.value({ m, c }, { kNaN, 0 });
            d.values.push_back(cell.first);
            d.counts.push_back(cell.second);
        }
    d.minimum = harmRate ? 0.0 : 1.0;
    d.maximum = harmRate ? 1.0 : 5.0;
    d.decimals = 2;
    return d;
}

widgets::HeatmapData pairwiseHeatmap(const QJsonObject &section, const QString &key)
{
    widgets::HeatmapData d;
    for (const QJsonValue &v : array(section, "raters"))
        d.rows.append(v.toString());
    d.columns = d.rows;
    const auto size = std::size_t(d.rows.size());
    d.values.assign(size * size, kNaN);
    d.counts.assign(size * size, -1);
    for (const QJsonValue &v : array(section, "pairwise")) {
        const QJsonObject p = v.toObject();
        const auto a = d.rows.indexOf(p.value(QLatin1String("a")).toString());
        const auto b = d.rows.indexOf(p.value(QLatin1String("b")).toString());
        if (a < 0 || b < 0)
            continue;
        const double value = num(p.value(key));
        const int n = p.value(QLatin1String("n")).toInt();
        for (const auto &[r, c] : { std::pair(a, b), std::pair(b, a) }) {
            d.values[std::size_t(r) * size + std::size_t(c)] = value;
            d.counts[std::size_t(r) * size + std::size_t(c)] = n;
        }
    }
    d.minimum = 0.0;
    d.maximum = 1.0;
    d.minimumN = 10;
    return d;
}

QList<widgets::Coefficient> agreementCoefficients(const QJsonObject &stats)
{
    const QJsonObject cat = object(stats, "category_agreement");
    const QJsonObject sc = object(stats, "score_agreement");
    auto coefficient = [](const QString &label, const QJsonObject &o, const char *key,
                           const char *ciKey) {
        widgets::Coefficient c;
        c.label = label;
        c.value = num(o.value(QLatin1String(key)));
        c.note = o.value(QLatin1String(key) + QLatin1String("_note")).toString();
        if (ciKey) {
            const QJsonArray ci = o.value(QLatin1String(ciKey)).toArray();
            if (ci.size() == 2) {
                c.low = ci.at(0).toDouble();
                c.high = ci.at(1).toDouble();
            }
        }
        return c;
    };
    return { coefficient(
                 tr("α ordinal, scores"), sc, "krippendorff_alpha_ordinal", "alpha_ordinal_ci"),
        coefficient(tr("α interval, scores"), sc, "krippendorff_alpha_interval", nullptr),
        coefficient(
            tr("α nominal, categories"), cat, "krippendorff_alpha_nominal", "alpha_nominal_ci"),
        coefficient(tr("Fleiss' κ, categories"), cat, "fleiss_kappa", nullptr),
        coefficient(tr("Gwet's AC1, categories"), cat, "gwet_ac1", nullptr) };
}

widgets::HeatmapData confusionHeatmap(const QJsonObject &confusion)
{
    widgets::HeatmapData d;
    for (const QJsonValue &v : array(confusion, "categories"))
        d.rows.append(v.toString());
    d.columns = d.rows;
    d.rowTitle = tr("reference: %1").arg(confusion.value(QLatin1String("reference")).toString());
    d.columnTitle = tr("predicted: %1").arg(confusion.value(QLatin1String("predicted")).toString());
    const QJsonArray matrix = array(confusion, "matrix");
    for (int r = 0; r < d.rows.size(); ++r) {
        const QJsonArray row = matrix.at(r).toArray();
        int total = 0;
        for (const QJsonValue &c : row)
            total += c.toInt();
        for (int c = 0; c < d.columns.size(); ++c) {
            const int n = row.at(c).toInt();
            d.counts.push_back(n);
            d.values.push_back(total > 0 ? double(n) / total : kNaN);
        }
    }
    d.minimumN = 1; // counts are the content here; only empty reference rows are marked
    return d;
}

QList<widgets::ClassScore> classScores(const QJsonObject &confusion)
{
    QList<widgets::ClassScore> out;
    for (const QJsonValue &v : array(confusion, "per_class")) {
        const QJsonObject o = v.toObject();
        out.append({ o.value(QLatin1String("category")).toString(),
            o.value(QLatin1String("support")).toInt(), num(o.value(QLatin1String("f1"))) });
    }
    return out;
}

QList<widgets::MetricTable> llmComparisonTables(const QJsonObject &stats)
{
    const QJsonObject section = object(stats, "llm_vs_human");
    auto column = [](const char *key, const QString &title, double worst, double best) {
        return widgets::MetricColumn { QLatin1String(key), title, worst, best, 2 };
    };
    auto rows = [](const QJsonArray &list, const QList<widgets::MetricColumn> &columns,
                    const char *referenceKey) {
        QList<widgets::MetricRow> out;
        for (const QJsonValue &v : list) {
            const QJsonObject o = v.toObject();
            widgets::MetricRow row;
            row.rater = o.value(QLatin1String("llm")).toString();
            const QJsonValue reference = o.value(QLatin1String(referenceKey));
            row.reference =
                reference.isString() ? reference.toString() : tr("%1 runs").arg(reference.toInt());
            row.n = o.value(QLatin1String("n")).toInt();
            for (const widgets::MetricColumn &c : columns) {
                row.values.push_back(num(o.value(c.key)));
                row.notes.append(o.value(c.key + QLatin1String("_note")).toString());
            }
            out.append(row);
        }
        return out;
    };
    widgets::MetricTable categories;
    categories.key = QStringLiteral("categories");
    categories.title = tr("LLM classifiers vs clinicians: crisis categories (per input)");
    categories.raterTitle = tr("LLM classifier");
    categories.referenceTitle = tr("clinician");
    categories.columns = { column("cohen_kappa", tr("Cohen's κ"), 0, 1),
        column("percent_agreement", tr("agreement"), 0, 1),
        column("accuracy", tr("accuracy"), 0, 1), column("macro_f1", tr("macro-F1"), 0, 1) };
    categories.rows = rows(array(section, "categories"), categories.columns, "human");

    widgets::MetricTable scores;
    scores.key = QStringLiteral("scores");
    scores.title =
        tr("LLM judges vs clinicians: 1–5 scores (per response; consensus = clinicians' mean)");
    scores.raterTitle = tr("LLM judge");
    scores.referenceTitle = tr("clinician");
    scores.columns = { column("mae", tr("MAE"), 4, 0), column("rmse", tr("RMSE"), 4, 0),
        column("within_one", tr("within ±1"), 0, 1),
        column("kappa_quadratic", tr("weighted κ"), 0, 1),
        column("krippendorff_alpha_ordinal", tr("α ordinal"), 0, 1) };
    scores.rows = rows(array(section, "scores"), scores.columns, "human");

    widgets::MetricTable consistency;
    consistency.key = QStringLiteral("judge_consistency");
    consistency.title = tr("LLM judge run-to-run consistency (scores)");
    consistency.raterTitle = tr("LLM judge");
    consistency.referenceTitle = tr("runs");
    consistency.columns = { column("alpha_ordinal", tr("α ordinal"), 0, 1),
        column("alpha_interval", tr("α interval"), 0, 1), column("icc_2_1", tr("ICC(2,1)"), 0, 1),
        column("icc_3_1", tr("ICC(3,1)"), 0, 1),
        column("percent_agreement", tr("agreement"), 0, 1) };
    consistency.rows = rows(array(section, "judge_consistency"), consistency.columns, "runs");
    return { categories, scores, consistency };
}

QJsonObject pseudonymised(const QJsonObject &stats, const QHash<QString, QString> &pseudonyms)
{
    auto rename = [&](const QString &name) { return pseudonyms.value(name, name); };
    auto renameAll = [&](const QJsonArray &names) {
        QStringList out;
        for (const QJsonValue &v : names)
            out.append(rename(v.toString()));
        return out;
    };
    auto renameSection = [&](QJsonObject section) {
        section.insert(QStringLiteral("raters"),
            QJsonArray::fromStringList(renameAll(array(section, "raters"))));
        QJsonArray pairs;
        for (const QJsonValue &v : array(section, "pairwise")) {
            QJsonObject p = v.toObject();
            p.insert(QStringLiteral("a"), rename(p.value(QLatin1String("a")).toString()));
            p.insert(QStringLiteral("b"), rename(p.value(QLatin1String("b")).toString()));
            pairs.append(p);
        }
        section.insert(QStringLiteral("pairwise"), pairs);
        return section;
    };
    auto renameList = [&](const QString &list) {
        QStringList names = list.split(QLatin1Char(','));
        for (QString &n : names)
            n = rename(n);
        return names.join(QLatin1Char(','));
    };
    auto renameRows = [&](const QJsonArray &rows) {
        QJsonArray out;
        for (const QJsonValue &v : rows) {
            QJsonObject o = v.toObject();
            for (const QLatin1String key : { QLatin1String("llm"), QLatin1String("human") })
                if (o.contains(key))
                    o.insert(key, rename(o.value(key).toString()));
            if (o.contains(QLatin1String("run_raters"))) {
                // A judge's name is its runs' name before '#': show it by their pseudonyms.
                const QStringList runs = renameAll(array(o, "run_raters"));
                o.insert(QStringLiteral("run_raters"), QJsonArray::fromStringList(runs));
                const bool mean =
                    o.value(QLatin1String("llm")).toString().endsWith(QLatin1String("#mean"));
                o.insert(QStringLiteral("llm"),
                    QString(runs.join(QLatin1Char('/')) + (mean ? tr(" mean") : QString())));
            }
            out.append(o);
        }
        return out;
    };
    QJsonObject out = stats;
    if (stats.contains(QLatin1String("llm_vs_human"))) {
        QJsonObject l = object(stats, "llm_vs_human");
        for (const char *key : { "categories", "scores", "judge_consistency" })
            l.insert(QLatin1String(key), renameRows(array(l, key)));
        if (l.contains(QLatin1String("fleiss_all"))) {
            QJsonObject f = object(l, "fleiss_all");
            f.insert(QStringLiteral("raters"),
                QJsonArray::fromStringList(renameAll(array(f, "raters"))));
            l.insert(QStringLiteral("fleiss_all"), f);
        }
        out.insert(QStringLiteral("llm_vs_human"), l);
    }
    for (const char *key : { "category_agreement", "score_agreement" })
        out.insert(QLatin1String(key), renameSection(object(stats, key)));
    out.insert(QStringLiteral("rater_selection"),
        renameList(stats.value(QLatin1String("rater_selection")).toString()));
    if (stats.contains(QLatin1String("confusion"))) {
        QJsonObject c = object(stats, "confusion");
        for (const char *key : { "reference", "predicted" })
            c.insert(QLatin1String(key), renameList(c.value(QLatin1String(key)).toString()));
        out.insert(QStringLiteral("confusion"), c);
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
    const QJsonObject &stats, const QStringList &levelNames, bool heatmapHarmRate) const
{
    const QJsonObject harmObj = object(stats, "harm");
    const double threshold = harmObj.value(QLatin1String("threshold")).toDouble(2.0);
    harm->setData(harmBars(stats), threshold);
    distribution->setData(distributionRows(stats), levelNames);

    const widgets::HeatmapData cells = modelCategoryHeatmap(stats, heatmapHarmRate);
    int n = 0;
    for (const int c : cells.counts)
        n += c;
    modelCategory->setData(cells,
        tr("n = %1 responses in %2 cells; hatched: empty or n < %3")
            .arg(n)
            .arg(cells.values.size())
            .arg(cells.minimumN),
        heatmapHarmRate ? tr("Harm rate (consensus score ≤ %1) of each model's responses per "
                             "consensus crisis category of the "
                             "input. The input's category is its adjudicated category, else the "
                             "human raters' unique majority, "
                             "else its reference label. Cells with fewer than %2 responses are "
                             "hatched instead of coloured.")
                              .arg(threshold)
                              .arg(cells.minimumN)
                        : tr("Mean consensus score (1–5) of each model's responses per consensus "
                             "crisis category of the input. "
                             "Cells with fewer than %1 responses are hatched instead of coloured.")
                              .arg(cells.minimumN));

    const QJsonObject cat = object(stats, "category_agreement");
    const QJsonObject sc = object(stats, "score_agreement");
    agreement->setData(agreementCoefficients(stats),
        pairwiseHeatmap(sc, QStringLiteral("kappa_quadratic")),
        pairwiseHeatmap(cat, QStringLiteral("cohen_kappa")),
        tr("n = %1 items labelled by ≥ 2 raters, %2 responses scored by ≥ 2 raters")
            .arg(cat.value(QLatin1String("n_items")).toInt())
            .arg(sc.value(QLatin1String("n_responses")).toInt()));

    const QJsonObject conf = object(stats, "confusion");
    confusion->setData(confusionHeatmap(conf), classScores(conf),
        num(conf.value(QLatin1String("macro_f1"))), num(conf.value(QLatin1String("accuracy"))),
        tr("n = %1 items with a label on both sides").arg(conf.value(QLatin1String("n")).toInt()),
        tr("Crisis category of each input by %1 (rows, reference) against %2 (columns, predicted). "
           "A group of "
           "raters contributes its unique most frequent label per input (ties left out); "
           "'consensus' is the "
           "adjudicated category, else the human majority, else the reference label. Colour: share "
           "of the "
           "reference row; n: count. F1 per class = 2·TP / (2·TP + FP + FN); macro F1 averages the "
           "defined classes.")
            .arg(conf.value(QLatin1String("reference")).toString(),
                conf.value(QLatin1String("predicted")).toString()));

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
    const QString emptyMessage = stats.contains(QLatin1String("filters"))
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
