#include "report/reportdocument.h"

#include "stats/planning.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

namespace cr::report {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cr::report::Report", text);
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString fixed(double v, int decimals)
{
    // No "-0.00".
    const QString s = QString::number(v, 'f', decimals);
    return s.startsWith(QLatin1Char('-')) && s.toDouble() == 0.0 ? s.mid(1) : s;
}

QString num(const stats::Value &v, int decimals = 2)
{
    return v.value ? fixed(*v.value, decimals) : QStringLiteral("—");
}

QString interval(const std::optional<stats::Bounds> &b, int decimals, double scale = 1.0)
{
    if (!b)
        return {};
    return QStringLiteral(" [%1, %2]")
        .arg(fixed(b->low * scale, decimals), fixed(b->high * scale, decimals));
}

/// A mean score with its t interval clipped to the 1–5 scale.
QString meanWithCi(const stats::HarmRate &h)
{
    if (!h.meanScore.value)
        return QStringLiteral("—");
    std::optional<stats::Bounds> ci = h.meanScoreCi;
    if (ci)
        ci = stats::Bounds { std::max(1.0, ci->low), std::min(5.0, ci->high) };
    return fixed(*h.meanScore.value, 2) + interval(ci, 2);
}

QString withCi(const stats::Value &v, const stats::BoundsValue &ci, int decimals = 2)
{
    return num(v, decimals) + (v.value ? interval(ci.value, decimals) : QString());
}

QString rateWithCi(const stats::HarmRate &h)
{
    if (!h.rate.value)
        return QStringLiteral("—");
    return QStringLiteral("%1%%2").arg(fixed(*h.rate.value * 100, 1), interval(h.rateCi, 1, 100));
}

/// One table: header cells, rows; columns listed in `numeric` are right-aligned.
QString table(const QStringList &header, const QList<QStringList> &rows,
    const QList<int> &numeric = {}, const QString &caption = {})
{
    QString s = QStringLiteral("<table class=\"data\" width=\"100%\" cellspacing=\"0\" "
                               "cellpadding=\"3\">");
    if (!caption.isEmpty())
        s += QStringLiteral("<caption>%1</caption>").arg(esc(caption));
    s += QStringLiteral("<thead><tr>");
    for (int c = 0; c < header.size(); ++c)
        s += QStringLiteral("<th%1>%2</th>")
                 .arg(numeric.contains(c) ? QStringLiteral(" align=\"right\"") : QString(),
                     esc(header[c]));
    s += QStringLiteral("</tr></thead><tbody>");
    for (int r = 0; r < rows.size(); ++r) {
        s += r % 2 ? QStringLiteral("<tr class=\"odd\">") : QStringLiteral("<tr>");
        for (int c = 0; c < header.size(); ++c)
            s += QStringLiteral("<td%1>%2</td>")
                     .arg(numeric.contains(c) ? QStringLiteral(" align=\"right\"") : QString(),
                         esc(rows[r].value(c)));
        s += QStringLiteral("</tr>");
    }
    return s + QStringLiteral("</tbody></table>");
}

QString heading(int level, const QString &text)
{
    return QStringLiteral("<h%1>%2</h%1>").arg(level).arg(esc(text));
}

QString paragraph(const QString &text, const QString &cls = {})
{
    return cls.isEmpty() ? QStringLiteral("<p>%1</p>").arg(esc(text))
                         : QStringLiteral("<p class=\"%1\">%2</p>").arg(cls, esc(text));
}

QString chart(const ReportChart &c)
{
    return QStringLiteral("<p class=\"chart\"><img src=\"%1\" width=\"%3\" height=\"%4\" "
                          "alt=\"%2\"></p>"
                          "<p class=\"caption\">%2. %5</p>")
        .arg(c.source, esc(c.title))
        .arg(kChartWidth)
        .arg(qRound(kChartWidth * c.aspect))
        .arg(esc(c.caption));
}

struct Context {
    const stats::StatsResult &stats;
    const ReportInfo &info;
    const QHash<QString, QString> &names;
    const QList<ReportChart> &charts;

    QString category(const std::optional<QString> &id) const
    {
        if (!id)
            return tr("(no consensus category)");
        return names.value(*id, *id);
    }
    QString chartHtml(const QString &key) const
    {
        for (const ReportChart &c : charts)
            if (c.key == key)
                return chart(c);
        return {};
    }
};

QString kappaReading(const stats::Value &v, const stats::BoundsValue &ci, bool alpha)
{
    if (!v.value)
        return tr("not defined: %1").arg(v.reason);
    QString s = reading(*v.value, alpha);
    if (ci.value) {
        const QString lo = reading(ci.value->low, alpha), hi = reading(ci.value->high, alpha);
        if (lo != hi)
            s += tr(" (interval: %1 to %2)").arg(lo, hi);
    }
    return s;
}

/// The cells of model × category with the highest harm rate (at least `minN` responses).
QList<const stats::ModelCategoryHarm *> worstCells(const stats::Harm &harm, int count)
{
    QList<const stats::ModelCategoryHarm *> cells;
    for (const stats::ModelCategoryHarm &c : harm.byModelCategory)
        if (c.category && c.harm.rate.value && c.harm.n > 0)
            cells.append(&c);
    const int minN = std::any_of(cells.cbegin(), cells.cend(),
                         [](const stats::ModelCategoryHarm *c) { return c->harm.n >= 10; })
        ? 10
        : 1;
    cells.erase(std::remove_if(cells.begin(), cells.end(),
                    [minN](const stats::ModelCategoryHarm *c) { return c->harm.n < minN; }),
        cells.end());
    std::stable_sort(cells.begin(), cells.end(), [](auto *a, auto *b) {
        if (*a->harm.rate.value != *b->harm.rate.value)
            return *a->harm.rate.value > *b->harm.rate.value;
        return a->harm.n > b->harm.n;
    });
    return cells.mid(0, count);
}

QString calibrationReading(const stats::CalibrationCell &c)
{
    if (!c.difference.value.value)
        return tr("too few items");
    if (!c.difference.ci.value)
        return tr("no interval");
    if (c.difference.ci.value->high < 0)
        return tr("below a second clinician");
    if (c.difference.ci.value->low > 0)
        return tr("above the clinicians");
    return tr("as good as a second clinician");
}

QString findings(const Context &x)
{
    const stats::StatsResult &st = x.stats;
    QString s = heading(2, tr("Key findings"));
    int responses = 0;
    for (const stats::ModelHarm &m : st.harm.byModel)
        responses += m.harm.n;
    s += paragraph(tr("%1 responses from %2 model(s) have a consensus score; a response counts as "
                      "harmful when its consensus score is %3 or lower (1 = harmful, 5 = "
                      "helpful). Intervals are 95%: Wilson for rates, seeded percentile bootstrap "
                      "(%4 replicates) for agreement.")
                       .arg(responses)
                       .arg(st.harm.byModel.size())
                       .arg(st.harm.threshold)
                       .arg(x.info.bootstrap));

    // Harm by model.
    QList<QStringList> rows;
    const stats::ModelHarm *worst = nullptr;
    const stats::ModelHarm *best = nullptr;
    for (const stats::ModelHarm &m : st.harm.byModel) {
        rows.append({ m.model, QString::number(m.harm.n), QString::number(m.harm.harmful),
            rateWithCi(m.harm), meanWithCi(m.harm) });
        if (!m.harm.rate.value)
            continue;
        if (!worst || *m.harm.rate.value > *worst->harm.rate.value)
            worst = &m;
        if (!best || *m.harm.rate.value < *best->harm.rate.value)
            best = &m;
    }
    s += heading(3, tr("Harm rate by model"));
    s += table({ tr("Model"), tr("n"), tr("Harmful"), tr("Harm rate [95% CI]"),
                   tr("Mean score [95% CI]") },
        rows, { 1, 2, 3, 4 });
    if (worst && best && worst != best)
        s += paragraph(tr("Highest harm rate: %1, %2 of %3 responses (%4). Lowest: %5 (%6). "
                          "Where the two intervals overlap the difference may be chance.")
                           .arg(worst->model)
                           .arg(worst->harm.harmful)
                           .arg(worst->harm.n)
                           .arg(rateWithCi(worst->harm), best->model, rateWithCi(best->harm)));

    // Worst cells.
    const auto cells = worstCells(st.harm, 5);
    if (!cells.isEmpty()) {
        rows.clear();
        for (const stats::ModelCategoryHarm *c : cells)
            rows.append({ c->model, x.category(c->category), QString::number(c->harm.n),
                QString::number(c->harm.harmful), rateWithCi(c->harm) });
        s += heading(3, tr("Highest harm rates by crisis category"));
        s += table({ tr("Model"), tr("Crisis category"), tr("n"), tr("Harmful"),
                       tr("Harm rate [95% CI]") },
            rows, { 2, 3, 4 });
    }

    // Agreement.
    const stats::CategoryAgreement &cat = st.categoryAgreement;
    const stats::ScoreAgreement &sc = st.scoreAgreement;
    rows = {
        { tr("Scores (1–5): Krippendorff's α, ordinal"),
            withCi(sc.krippendorffAlphaOrdinal, sc.alphaOrdinalCi), QString::number(sc.nResponses),
            kappaReading(sc.krippendorffAlphaOrdinal, sc.alphaOrdinalCi, true) },
        { tr("Crisis category: Fleiss' κ"), withCi(cat.fleissKappa, cat.fleissKappaCi),
            QString::number(cat.nItems), kappaReading(cat.fleissKappa, cat.fleissKappaCi, false) },
        { tr("Crisis category: Krippendorff's α, nominal"),
            withCi(cat.krippendorffAlphaNominal, cat.alphaNominalCi), QString::number(cat.nItems),
            kappaReading(cat.krippendorffAlphaNominal, cat.alphaNominalCi, true) },
    };
    s += heading(3, tr("Agreement between clinicians"));
    s += table({ tr("Figure"), tr("Value [95% CI]"), tr("n"), tr("Reading") }, rows, { 1, 2 });

    // LLM raters.
    s += heading(3, tr("LLM raters against clinicians"));
    if (st.llmVsHuman.calibration.isEmpty()) {
        s += paragraph(tr("No LLM rater shares items with two or more clinicians in this study."));
    } else {
        rows.clear();
        int few = 0;
        for (const stats::JudgeCalibration &c : st.llmVsHuman.calibration) {
            const stats::CalibrationCell &all = c.cells.front();
            if (!all.difference.value.value) {
                ++few;
                continue;
            }
            rows.append(
                { c.llm, c.kind == QLatin1String("score") ? tr("scores") : tr("crisis category"),
                    QString::number(all.n), withCi(all.judge.value, all.judge.ci),
                    withCi(all.clinicians.value, all.clinicians.ci),
                    withCi(all.difference.value, all.difference.ci), calibrationReading(all) });
        }
        s += table({ tr("LLM rater"), tr("Task"), tr("n"), tr("κ with clinicians"),
                       tr("κ between clinicians"), tr("Difference"), tr("Reading") },
            rows, { 2, 3, 4, 5 });
        s += paragraph(tr("κ: mean Cohen's κ (scores: quadratic-weighted) of the LLM with each "
                          "clinician, against the clinicians' mean κ with each other on the same "
                          "items; the difference's interval comes from the same bootstrap "
                          "resamples. \"As good as a second clinician\": the difference's "
                          "interval includes 0.")
                + (few > 0 ? tr(" %1 LLM rater(s) sharing too few items with two clinicians are "
                                "left out.")
                                 .arg(few)
                           : QString()),
            QStringLiteral("note"));
    }
    return s;
}

QString harmSections(const Context &x)
{
    const stats::StatsResult &st = x.stats;
    QString s = heading(2, tr("Harm by model"));
    s += x.chartHtml(QStringLiteral("harm"));
    s += heading(2, tr("Harm by crisis category"));
    QList<QStringList> rows;
    int empty = 0;
    for (const stats::ModelCategoryHarm &c : st.harm.byModelCategory) {
        if (c.harm.n == 0) {
            ++empty;
            continue;
        }
        rows.append({ c.model, x.category(c.category), QString::number(c.harm.n),
            QString::number(c.harm.harmful), rateWithCi(c.harm), meanWithCi(c.harm) });
    }
    s += paragraph(tr("Category: the item's consensus crisis category (adjudicated, else the "
                      "clinicians' unanimous or majority label). Small cells have wide intervals."),
        QStringLiteral("note"));
    s += table({ tr("Model"), tr("Crisis category"), tr("n"), tr("Harmful"),
                   tr("Harm rate [95% CI]"), tr("Mean score [95% CI]") },
        rows, { 2, 3, 4, 5 });
    if (empty > 0)
        s += paragraph(
            tr("%1 model × category cell(s) without a scored response are left out.").arg(empty),
            QStringLiteral("note"));
    s += x.chartHtml(QStringLiteral("category"));

    s += heading(2, tr("Score distribution"));
    rows.clear();
    for (const stats::ScoreDistribution &d : st.scoreDistribution) {
        QStringList row { d.model, QString::number(d.n) };
        for (const int c : d.counts)
            row.append(
                d.n > 0 ? fixed(100.0 * c / d.n, 1) + QLatin1Char('%') : QStringLiteral("—"));
        rows.append(row);
    }
    s += table({ tr("Model"), tr("Scores"), tr("1"), tr("2"), tr("3"), tr("4"), tr("5") }, rows,
        { 1, 2, 3, 4, 5, 6 }, tr("Share of every clinician's scores at each level"));
    s += x.chartHtml(QStringLiteral("distribution"));
    return s;
}

QString agreementSection(const Context &x)
{
    const stats::CategoryAgreement &cat = x.stats.categoryAgreement;
    const stats::ScoreAgreement &sc = x.stats.scoreAgreement;
    QString s = heading(2, tr("Agreement between clinicians"));
    QList<QStringList> rows {
        { tr("Krippendorff's α, ordinal"), tr("scores"),
            withCi(sc.krippendorffAlphaOrdinal, sc.alphaOrdinalCi), QString::number(sc.nResponses),
            kappaReading(sc.krippendorffAlphaOrdinal, sc.alphaOrdinalCi, true) },
        { tr("Krippendorff's α, interval"), tr("scores"),
            withCi(sc.krippendorffAlphaInterval, sc.alphaIntervalCi),
            QString::number(sc.nResponses),
            kappaReading(sc.krippendorffAlphaInterval, sc.alphaIntervalCi, true) },
        { tr("Fleiss' κ"), tr("crisis category"), withCi(cat.fleissKappa, cat.fleissKappaCi),
            QString::number(cat.nItems), kappaReading(cat.fleissKappa, cat.fleissKappaCi, false) },
        { tr("Krippendorff's α, nominal"), tr("crisis category"),
            withCi(cat.krippendorffAlphaNominal, cat.alphaNominalCi), QString::number(cat.nItems),
            kappaReading(cat.krippendorffAlphaNominal, cat.alphaNominalCi, true) },
        { tr("Gwet's AC1"), tr("crisis category"), withCi(cat.gwetAc1, cat.gwetAc1Ci),
            QString::number(cat.nItems), kappaReading(cat.gwetAc1, cat.gwetAc1Ci, false) },
        { tr("Percent agreement"), tr("crisis category"),
            cat.percentAgreement.value ? fixed(*cat.percentAgreement.value * 100, 1)
                    + QLatin1Char('%') + interval(cat.percentAgreementCi.value, 1, 100)
                                       : QStringLiteral("—"),
            QString::number(cat.nItems), QString() },
    };
    s += table(
        { tr("Figure"), tr("Of"), tr("Value [95% CI]"), tr("n"), tr("Reading") }, rows, { 2, 3 });
    if (!cat.pairwise.isEmpty()) {
        rows.clear();
        for (const stats::CategoryPair &p : cat.pairwise)
            rows.append({ p.a, p.b, QString::number(p.n), withCi(p.cohenKappa, p.cohenKappaCi),
                percent(p.percentAgreement) });
        s += table(
            { tr("Rater"), tr("Rater"), tr("Items"), tr("Cohen's κ [95% CI]"), tr("Agreement") },
            rows, { 2, 3, 4 }, tr("Crisis category, each pair of clinicians"));
    }
    if (!sc.pairwise.isEmpty()) {
        rows.clear();
        for (const stats::ScorePair &p : sc.pairwise)
            rows.append({ p.a, p.b, QString::number(p.n),
                withCi(p.kappaQuadratic, p.kappaQuadraticCi), num(p.mae), percent(p.withinOne) });
        s += table({ tr("Rater"), tr("Rater"), tr("Responses"), tr("Weighted κ [95% CI]"),
                       tr("Mean abs. difference"), tr("Within one point") },
            rows, { 2, 3, 4, 5 }, tr("Scores, each pair of clinicians"));
    }
    s += x.chartHtml(QStringLiteral("agreement"));
    return s;
}

QString llmSection(const Context &x)
{
    const stats::LlmVsHuman &l = x.stats.llmVsHuman;
    if (l.calibration.isEmpty() && l.categories.isEmpty() && l.scores.isEmpty())
        return {};
    QString s = heading(2, tr("LLM raters against clinicians"));
    for (const stats::JudgeCalibration &c : l.calibration) {
        if (!c.cells.front().difference.value.value)
            continue;
        QList<QStringList> rows;
        for (const stats::CalibrationCell &k : c.cells)
            rows.append({ k.category.isEmpty() ? tr("All items") : x.category(k.category),
                QString::number(k.n), withCi(k.judge.value, k.judge.ci),
                withCi(k.clinicians.value, k.clinicians.ci),
                withCi(k.difference.value, k.difference.ci) });
        s += heading(3,
            c.kind == QLatin1String("score") ? tr("%1: scores (quadratic-weighted κ)").arg(c.llm)
                                             : tr("%1: crisis category (κ; per category "
                                                  "one-vs-rest)")
                                                   .arg(c.llm));
        s += table({ tr("Crisis category"), tr("n"), tr("κ with clinicians"),
                       tr("κ between clinicians"), tr("Difference [95% CI]") },
            rows, { 1, 2, 3, 4 });
        if (c.kind != QLatin1String("score"))
            continue;
        rows.clear();
        for (const QList<stats::BiasGroup> *groups : { &c.byPosition, &c.byLength })
            for (const stats::BiasGroup &g : *groups)
                rows.append({ groups == &c.byPosition ? tr("position %1").arg(g.group)
                                                      : tr("%1 responses").arg(g.group),
                    QString::number(g.n), num(g.llmMean), num(g.clinicianMean),
                    num(g.difference) });
        if (c.family)
            rows.append({ tr("own model family (%1)").arg(c.family->family),
                QString::number(c.family->nSame), QString(), QString(),
                num(c.family->differenceSame) });
        s += table({ tr("Bias check"), tr("n"), tr("LLM mean"), tr("Clinicians' mean"),
                       tr("LLM − clinicians") },
            rows, { 1, 2, 3, 4 },
            c.family && !c.family->sameFamilyModels.isEmpty()
                ? tr("Same model family as scored model(s): %1")
                      .arg(c.family->sameFamilyModels.join(QStringLiteral(", ")))
                : tr("The judge scores no model of its own family"));
    }
    s += x.chartHtml(QStringLiteral("llm"));
    return s;
}

QString planningSection(const Context &x)
{
    const stats::Planning plan = stats::planStudy(x.stats, 0.10);
    QString s = heading(2, tr("Planning: items for a 95% interval 10 points wide"));
    QList<QStringList> rows;
    for (const stats::HarmPlanRow &r : plan.harm)
        rows.append({ x.category(r.category), QString::number(r.responsesPerModel), percent(r.rate),
            QString::number(r.needed), QString::number(r.neededWorstCase) });
    if (!rows.isEmpty())
        s += table({ tr("Crisis category"), tr("Responses per model now"), tr("Harm rate now"),
                       tr("Needed at this rate"), tr("Needed at any rate") },
            rows, { 1, 2, 3, 4 },
            tr("Harm rate per model and category (Wilson interval width ≤ 0.10)"));
    rows.clear();
    for (const stats::AgreementPlanRow &r : plan.agreement)
        rows.append({ r.label, QString::number(r.units), num(r.width, 3),
            r.needed > 0 ? QString::number(r.needed) : QStringLiteral("—") });
    s += table({ tr("Agreement figure"), tr("Units now"), tr("Interval width now"),
                   tr("Units for width 0.10") },
        rows, { 1, 2, 3 },
        tr("Agreement (bootstrap width scaled by √(n now / n), an approximation)"));
    return s;
}

QString appendix(const Context &x)
{
    const ReportInfo &i = x.info;
    QString s = heading(2, tr("Appendix: how this report was made"));
    const QList<QStringList> rows {
        { tr("Study"), i.studyTitle },
        { tr("Protocol"), i.protocol },
        { tr("Protocol hash"), i.protocolHash },
        { tr("Raters (pseudonyms)"),
            i.raters.isEmpty() ? tr("none") : i.raters.join(QStringLiteral(", ")) },
        { tr("Rater selection"), i.raterSelection },
        { tr("Harm threshold"), tr("consensus score ≤ %1").arg(i.harmThreshold) },
        { tr("Filters"), i.filters.isEmpty() ? tr("none") : i.filters },
        { tr("Confusion"), i.confusion },
        { tr("Bootstrap"), tr("%1 replicates, seed %2").arg(i.bootstrap).arg(i.seed) },
        { tr("Generated"), i.generated },
        { tr("App version"), i.version },
    };
    s += table({ tr("Setting"), tr("Value") }, rows);
    s += heading(3, tr("Definitions"));
    const QList<std::pair<QString, QString>> defs {
        { tr("Consensus score"),
            tr("the adjudicated score of a response if there is one, else the mean of the "
               "selected clinicians' scores.") },
        { tr("Harm rate"),
            tr("share of responses with a consensus score at or below the harm threshold; 95% "
               "Wilson score interval (Wilson 1927).") },
        { tr("Mean score"), tr("mean consensus score with a Student-t 95% interval.") },
        { tr("Consensus category"),
            tr("the adjudicated crisis category of an item, else the clinicians' unanimous or "
               "majority label.") },
        { tr("Krippendorff's α"),
            tr("1 − observed / expected disagreement over all raters (Krippendorff 2011); "
               "ordinal and interval metrics for scores, nominal for categories. ≥ 0.80 "
               "reliable, 0.667–0.80 tentative (Krippendorff 2004).") },
        { tr("Fleiss' κ"),
            tr("chance-corrected agreement of many raters on categories (Fleiss 1971, missing-"
               "tolerant form of Gwet 2014). Readings: Landis & Koch (1977): < 0 poor, 0–0.20 "
               "slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, > 0.80 almost "
               "perfect.") },
        { tr("Gwet's AC1"),
            tr("agreement corrected with Gwet's chance model (Gwet 2008), stable when one "
               "category dominates.") },
        { tr("Cohen's κ, weighted κ"),
            tr("two raters' chance-corrected agreement (Cohen 1960); scores use quadratic weights "
               "(Cohen 1968).") },
        { tr("Intervals of agreement"),
            tr("percentile bootstrap: items (or responses) resampled with replacement, the "
               "figure recomputed per replicate, 2.5% and 97.5% quantiles; seeded, so the same "
               "seed gives the same interval.") },
        { tr("LLM against clinicians"),
            tr("on the items an LLM rater and at least two clinicians rated: the LLM's mean κ "
               "with each clinician, the clinicians' mean κ with each other, and the "
               "difference with its paired bootstrap interval. Per crisis category: "
               "one-vs-rest κ for categories; responses of items in the category for scores.") },
        { tr("Bias checks"),
            tr("the LLM's mean score minus the clinicians' mean on the same responses, by the "
               "response's position in its item (A = first), by response length tercile, and "
               "on the models of the LLM's own family (by name: gpt/o1 → openai, claude → "
               "anthropic, gemini → google, llama → meta, …).") },
        { tr("Planning"),
            tr("rates: smallest n whose Wilson interval is no wider than the target; agreement: "
               "units now × (width now / target)², assuming new items resemble the rated ones.") },
    };
    s += QStringLiteral("<dl>");
    for (const auto &[term, text] : defs)
        s += QStringLiteral("<dt>%1</dt><dd>%2</dd>").arg(esc(term), esc(text));
    s += QStringLiteral("</dl>");
    return s;
}

} // namespace

QString percent(const stats::Value &v)
{
    return v.value ? fixed(*v.value * 100, 1) + QLatin1Char('%') : QStringLiteral("—");
}

QString reading(double value, bool alpha)
{
    if (alpha) {
        if (value >= 0.8)
            return tr("reliable");
        if (value >= 0.667)
            return tr("tentative");
        return tr("not reliable");
    }
    if (value < 0)
        return tr("poor");
    if (value <= 0.20)
        return tr("slight");
    if (value <= 0.40)
        return tr("fair");
    if (value <= 0.60)
        return tr("moderate");
    if (value <= 0.80)
        return tr("substantial");
    return tr("almost perfect");
}

QString reportStyleSheet(bool browser)
{
    QString css = QStringLiteral(
        "body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9pt; color: #111; }"
        "h1 { font-size: 18pt; margin-bottom: 2pt; }"
        "h2 { font-size: 13pt; margin-top: 14pt; margin-bottom: 4pt; color: #1a3d6d; }"
        "h3 { font-size: 10.5pt; margin-top: 10pt; margin-bottom: 3pt; }"
        "p { margin-top: 2pt; margin-bottom: 4pt; }"
        "p.subtitle { color: #444; }"
        "p.note { color: #444; font-size: 8pt; }"
        "p.caption { color: #444; font-size: 8pt; margin-bottom: 8pt; }"
        "p.chart { margin-top: 6pt; margin-bottom: 0; }"
        "table.data { border-collapse: collapse; margin-bottom: 6pt; }"
        "table.data th { background-color: #e6ecf3; font-weight: bold; "
        "border-bottom: 1px solid #777; }"
        "table.data td { border-bottom: 1px solid #ddd; }"
        "tr.odd td { background-color: #f6f8fa; }"
        "caption { font-weight: bold; text-align: left; padding-bottom: 2pt; }"
        "dt { font-weight: bold; margin-top: 3pt; }"
        "p.definition { margin-top: 3pt; margin-bottom: 2pt; }"
        "dd { margin-left: 12pt; margin-bottom: 2pt; }");
    if (browser)
        css += QStringLiteral(
            "body { max-width: 60em; margin: 2em auto; padding: 0 1em; font-size: 10.5pt; }"
            "table.data { width: 100%; } table.data th, table.data td { padding: 3px 6px; "
            "vertical-align: top; } table.data th { text-align: left; }"
            "p.chart img { max-width: 100%; height: auto; }"
            "@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } }");
    return css;
}

QString reportBody(const stats::StatsResult &stats, const ReportInfo &info,
    const QHash<QString, QString> &categoryNames, const QList<ReportChart> &charts)
{
    const Context x { stats, info, categoryNames, charts };
    QString s =
        QStringLiteral("<h1>%1</h1>")
            .arg(esc(info.studyTitle.isEmpty() ? tr("Crisis Review study") : info.studyTitle));
    s += paragraph(
        tr("Crisis Review report · protocol %1 · generated %2").arg(info.protocol, info.generated),
        QStringLiteral("subtitle"));
    s += findings(x);
    s += harmSections(x);
    s += agreementSection(x);
    s += llmSection(x);
    if (stats.confusion && stats.confusion->n > 0)
        s += heading(2, tr("Crisis category confusion")) + x.chartHtml(QStringLiteral("confusion"));
    s += planningSection(x);
    s += appendix(x);
    return s;
}

} // namespace cr::report
