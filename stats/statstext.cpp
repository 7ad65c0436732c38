#include "stats/statstext.h"

#include "stats/texttable.h"

namespace cr::stats {

namespace {

/// A number for the tables; "—" when undefined.
QString number(const Value &v, int decimals = 3)
{
    return v.value ? QString::number(*v.value, 'f', decimals) : QStringLiteral("—");
}

QString bound(const std::optional<Bounds> &b, bool low)
{
    return b ? number(Value::of(low ? b->low : b->high)) : QStringLiteral("—");
}

/// " [lo, hi]" of a bootstrap interval, or "" when there is none.
QString ci(const BoundsValue &b)
{
    return b.value ? QStringLiteral(" [%1, %2]").arg(bound(b.value, true), bound(b.value, false))
                   : QString();
}

QString withCi(const Value &v, const BoundsValue &b)
{
    return number(v) + ci(b);
}

QString agreementText(const CategoryAgreement &cat, const ScoreAgreement &sc)
{
    QString s =
        QStringLiteral("Category agreement (%1 items; [95% bootstrap CI])\n").arg(cat.nItems);
    s += QStringLiteral("  Fleiss' kappa       %1\n  Krippendorff alpha  %2 (nominal)\n  Gwet's "
                        "AC1          %3\n  Percent agreement   %4\n")
             .arg(withCi(cat.fleissKappa, cat.fleissKappaCi),
                 withCi(cat.krippendorffAlphaNominal, cat.alphaNominalCi),
                 withCi(cat.gwetAc1, cat.gwetAc1Ci),
                 withCi(cat.percentAgreement, cat.percentAgreementCi));
    for (const CategoryPair &p : cat.pairwise)
        s += QStringLiteral("  %1 ~ %2: n %3, kappa %4, agreement %5\n")
                 .arg(p.a, p.b)
                 .arg(p.n)
                 .arg(withCi(p.cohenKappa, p.cohenKappaCi), number(p.percentAgreement));
    s += QStringLiteral("\nScore agreement (%1 responses)\n").arg(sc.nResponses);
    s += QStringLiteral("  Krippendorff alpha  %1 ordinal, %2 interval\n")
             .arg(withCi(sc.krippendorffAlphaOrdinal, sc.alphaOrdinalCi),
                 withCi(sc.krippendorffAlphaInterval, sc.alphaIntervalCi));
    for (const ScorePair &p : sc.pairwise)
        s += QStringLiteral("  %1 ~ %2: n %3, MAE %4, RMSE %5, within one %6, kappa_w %7, "
                            "kappa_lin %8\n")
                 .arg(p.a, p.b)
                 .arg(p.n)
                 .arg(number(p.mae), number(p.rmse), number(p.withinOne),
                     withCi(p.kappaQuadratic, p.kappaQuadraticCi),
                     withCi(p.kappaLinear, p.kappaLinearCi));
    return s;
}

using Align = TextTable::Align;

QString rateWithCi(const Value &rate, const std::optional<Bounds> &ci)
{
    return QStringLiteral("%1 [%2, %3]").arg(number(rate), bound(ci, true), bound(ci, false));
}

QString bandsText(const Harm &harm);
QString categoriesText(const Harm &harm);

QString harmText(const Harm &harm)
{
    QString s = QStringLiteral("\nHarm rate (consensus score <= %1)\n").arg(harm.threshold);
    TextTable t({ { QStringLiteral("model"), Align::Left, 24 },
        { QStringLiteral("n"), Align::Right, 6 }, { QStringLiteral("harmful"), Align::Right, 8 },
        { QStringLiteral("rate [95% CI]"), Align::Left, 22 },
        { QStringLiteral("scored 1"), Align::Right, 9 },
        { QStringLiteral("mean"), Align::Right, 6 } });
    for (const ModelHarm &m : harm.byModel)
        t.addRow({ m.model, QString::number(m.harm.n), QString::number(m.harm.harmful),
            rateWithCi(m.harm.rate, m.harm.rateCi), number(m.score1Rate),
            number(m.harm.meanScore, 2) });
    s += t.toString();
    if (!harm.bandCuts.isEmpty())
        s += bandsText(harm);
    if (harm.categorySource)
        s += categoriesText(harm);
    return s;
}

QString bandLabel(const ScoreBandShare &b, bool first)
{
    return QStringLiteral("%1%2, %3]")
        .arg(first ? QLatin1Char('[') : QLatin1Char('('))
        .arg(b.lo)
        .arg(b.hi);
}

QString bandsText(const Harm &harm)
{
    QString s = QStringLiteral("\nScore bands (share of responses, Wilson 95%; mean with "
                               "t 95%; mean_sd = mean per-response SD of the raters)\n");
    QList<TextTable::Column> columns { { QStringLiteral("model"), Align::Left, 24 },
        { QStringLiteral("n"), Align::Right, 6 },
        { QStringLiteral("mean [95% CI]"), Align::Left, 20 },
        { QStringLiteral("mean_sd"), Align::Right, 7 } };
    if (!harm.byModel.isEmpty())
        for (int b = 0; b < harm.byModel.front().bands.size(); ++b)
            columns.append({ bandLabel(harm.byModel.front().bands[b], b == 0), Align::Left, 22 });
    TextTable t(columns);
    for (const ModelHarm &m : harm.byModel) {
        QStringList row { m.model, QString::number(m.harm.n),
            QStringLiteral("%1 [%2, %3]")
                .arg(number(m.harm.meanScore, 2),
                    m.harm.meanScoreCi ? QString::number(m.harm.meanScoreCi->low, 'f', 2)
                                       : QStringLiteral("—"),
                    m.harm.meanScoreCi ? QString::number(m.harm.meanScoreCi->high, 'f', 2)
                                       : QStringLiteral("—")),
            m.meanSd ? number(m.meanSd->mean) : QStringLiteral("—") };
        for (const ScoreBandShare &b : m.bands)
            row.append(rateWithCi(b.share, b.shareCi));
        t.addRow(row);
    }
    return s + t.toString();
}

QString categoriesText(const Harm &harm)
{
    const CategorySourceInfo &c = *harm.categorySource;
    QString s = QStringLiteral("\nHarm rate by category (category source: %1; %2 of %3 items "
                               "with a category, %4 tie(s))\n")
                    .arg(c.source)
                    .arg(c.withCategory)
                    .arg(c.items)
                    .arg(c.ties);
    TextTable t({ { QStringLiteral("model"), Align::Left, 24 },
        { QStringLiteral("category"), Align::Left, 16 }, { QStringLiteral("n"), Align::Right, 6 },
        { QStringLiteral("harmful"), Align::Right, 8 },
        { QStringLiteral("rate [95% CI]"), Align::Left, 22 },
        { QStringLiteral("mean"), Align::Right, 6 } });
    for (const ModelCategoryHarm &m : harm.byModelCategory)
        t.addRow({ m.model, m.category.value_or(QStringLiteral("(none)")),
            QString::number(m.harm.n), QString::number(m.harm.harmful),
            rateWithCi(m.harm.rate, m.harm.rateCi), number(m.harm.meanScore, 2) });
    return s + t.toString();
}

QList<TextTable::Column> valueColumns(QList<TextTable::Column> head, const QStringList &names)
{
    for (const QString &n : names)
        head.append({ n, Align::Right, 7 });
    return head;
}

QString llmCategoriesText(const QList<LlmCategoryRow> &rows)
{
    TextTable t(valueColumns({ { QStringLiteral("llm"), Align::Left, 22 },
                                 { QStringLiteral("human"), Align::Left, 16 },
                                 { QStringLiteral("n"), Align::Right, 6 } },
                    { QStringLiteral("agree"), QStringLiteral("acc"), QStringLiteral("macroF1") })
        + QList<TextTable::Column> { { QStringLiteral("kappa [95% CI]"), Align::Left, 22 } });
    for (const LlmCategoryRow &o : rows)
        t.addRow({ o.llm, o.human, QString::number(o.n), number(o.percentAgreement),
            number(o.accuracy), number(o.macroF1), withCi(o.cohenKappa, o.cohenKappaCi) });
    return QStringLiteral("\nLLM classifiers vs clinicians (category labels)\n") + t.toString();
}

QString llmScoresText(const QList<LlmScoreRow> &rows)
{
    TextTable t(valueColumns({ { QStringLiteral("llm"), Align::Left, 22 },
                                 { QStringLiteral("human"), Align::Left, 16 },
                                 { QStringLiteral("n"), Align::Right, 6 } },
                    { QStringLiteral("MAE"), QStringLiteral("RMSE"), QStringLiteral("within1"),
                        QStringLiteral("alpha") })
        + QList<TextTable::Column> { { QStringLiteral("kappa_w [95% CI]"), Align::Left, 22 } });
    for (const LlmScoreRow &o : rows)
        t.addRow({ o.llm, o.human, QString::number(o.n), number(o.mae), number(o.rmse),
            number(o.withinOne), number(o.krippendorffAlphaOrdinal),
            withCi(o.kappaQuadratic, o.kappaQuadraticCi) });
    return QStringLiteral("\nLLM judges vs clinicians (scores; consensus = human mean)\n")
        + t.toString();
}

QString spreadText(const SpreadValue &v)
{
    return QStringLiteral("%1 [%2, %3]").arg(number(v.mean), number(v.min), number(v.max));
}

QString overCliniciansText(const QList<LlmOverClinicians> &rows)
{
    TextTable t({ { QStringLiteral("llm"), Align::Left, 22 },
        { QStringLiteral("clinicians"), Align::Right, 10 },
        { QStringLiteral("MAE [min, max]"), Align::Left, 21 },
        { QStringLiteral("RMSE [min, max]"), Align::Left, 21 },
        { QStringLiteral("within1 [min, max]"), Align::Left, 21 } });
    for (const LlmOverClinicians &o : rows)
        t.addRow({ o.llm, QString::number(o.clinicians.size()), spreadText(o.mae),
            spreadText(o.rmse), spreadText(o.withinOne) });
    return QStringLiteral("\nLLM judges vs each clinician, averaged over clinicians\n")
        + t.toString();
}

QString judgesText(const QList<JudgeConsistency> &rows)
{
    TextTable t({ { QStringLiteral("judge"), Align::Left, 22 },
        { QStringLiteral("runs"), Align::Right, 5 }, { QStringLiteral("n"), Align::Right, 6 },
        { QStringLiteral("alpha_o"), Align::Right, 7 },
        { QStringLiteral("ICC2,1"), Align::Right, 7 },
        { QStringLiteral("agree"), Align::Right, 7 } });
    for (const JudgeConsistency &o : rows)
        t.addRow({ o.llm, QString::number(o.runs()), QString::number(o.n), number(o.alphaOrdinal),
            number(o.icc21), number(o.percentAgreement) });
    return QStringLiteral("\nJudge run-to-run consistency\n") + t.toString();
}

QString calibratedText(const CalibratedValue &v)
{
    return withCi(v.value, v.ci);
}

QString biasText(const QString &title, const QList<BiasGroup> &groups)
{
    TextTable t({ { title, Align::Left, 8 }, { QStringLiteral("n"), Align::Right, 6 },
        { QStringLiteral("LLM mean"), Align::Right, 8 },
        { QStringLiteral("clinicians"), Align::Right, 10 },
        { QStringLiteral("LLM - clin."), Align::Right, 11 } });
    for (const BiasGroup &g : groups)
        t.addRow({ g.group, QString::number(g.n), number(g.llmMean, 2), number(g.clinicianMean, 2),
            number(g.difference, 2) });
    return t.toString();
}

QString calibrationText(const QList<JudgeCalibration> &list)
{
    QString s = QStringLiteral("\nJudge calibration: as good as a second clinician? (mean kappa "
                               "with each clinician vs the clinicians with each other, "
                               "[95% bootstrap CI])\n");
    for (const JudgeCalibration &c : list) {
        s += QStringLiteral("\n%1 (%2)\n")
                 .arg(c.llm,
                     c.kind == QLatin1String("score")
                         ? QStringLiteral("scores, quadratic-weighted kappa")
                         : QStringLiteral("categories, kappa; per category one-vs-rest"));
        TextTable t({ { QStringLiteral("category"), Align::Left, 16 },
            { QStringLiteral("n"), Align::Right, 6 },
            { QStringLiteral("LLM vs clinicians"), Align::Left, 22 },
            { QStringLiteral("clinicians"), Align::Left, 22 },
            { QStringLiteral("difference"), Align::Left, 24 } });
        for (const CalibrationCell &k : c.cells)
            t.addRow({ k.category.isEmpty() ? QStringLiteral("(all)") : k.category,
                QString::number(k.n), calibratedText(k.judge), calibratedText(k.clinicians),
                calibratedText(k.difference) });
        s += t.toString();
        if (!c.byPosition.isEmpty())
            s += biasText(QStringLiteral("position"), c.byPosition);
        if (!c.byLength.isEmpty())
            s += biasText(QStringLiteral("length"), c.byLength);
        if (c.family)
            s += QStringLiteral("  family %1: %2; LLM - clinicians %3 on its own family "
                                "(n %4), %5 on others (n %6)\n")
                     .arg(c.family->family,
                         c.family->sameFamilyModels.isEmpty()
                             ? QStringLiteral("scores no model of its family")
                             : QStringLiteral("same family as ")
                                 + c.family->sameFamilyModels.join(QStringLiteral(", ")),
                         number(c.family->differenceSame, 2))
                     .arg(c.family->nSame)
                     .arg(number(c.family->differenceOther, 2))
                     .arg(c.family->nOther);
    }
    return s;
}

QString planningText(const Planning &p)
{
    QString s = QStringLiteral("\nPlanning for a 95%% interval width of %1\n"
                               "Harm rate per category (Wilson): responses per model needed\n")
                    .arg(p.width);
    TextTable h({ { QStringLiteral("category"), Align::Left, 24 },
        { QStringLiteral("models"), Align::Right, 6 },
        { QStringLiteral("now/model"), Align::Right, 9 },
        { QStringLiteral("rate"), Align::Right, 6 }, { QStringLiteral("needed"), Align::Right, 8 },
        { QStringLiteral("any rate"), Align::Right, 8 } });
    for (const HarmPlanRow &r : p.harm)
        h.addRow({ r.category, QString::number(r.models), QString::number(r.responsesPerModel),
            number(r.rate), QString::number(r.needed), QString::number(r.neededWorstCase) });
    s += h.toString();
    s += QStringLiteral("Agreement (bootstrap width scaled by sqrt(n now / n), approximate)\n");
    TextTable a({ { QStringLiteral("figure"), Align::Left, 40 },
        { QStringLiteral("now"), Align::Right, 6 }, { QStringLiteral("width"), Align::Right, 6 },
        { QStringLiteral("needed"), Align::Right, 8 } });
    for (const AgreementPlanRow &r : p.agreement)
        a.addRow({ r.label, QString::number(r.units), number(r.width),
            r.needed > 0 ? QString::number(r.needed) : QStringLiteral("—") });
    return s + a.toString();
}

} // namespace

QString llmVsHumanToText(const LlmVsHuman &section)
{
    if (section.categories.isEmpty() && section.scores.isEmpty()
        && section.judgeConsistency.isEmpty())
        return QStringLiteral("\nLLM raters vs clinicians: no LLM rater in the study\n");
    QString s;
    if (!section.categories.isEmpty())
        s += llmCategoriesText(section.categories);
    if (!section.scores.isEmpty())
        s += llmScoresText(section.scores);
    if (!section.scoresOverClinicians.isEmpty())
        s += overCliniciansText(section.scoresOverClinicians);
    if (!section.judgeConsistency.isEmpty())
        s += judgesText(section.judgeConsistency);
    if (const std::optional<FleissAll> &f = section.fleissAll)
        s += QStringLiteral(
            "\nAll clinicians and LLMs together: Fleiss' kappa %1 (%2 raters, %3 items)\n")
                 .arg(number(f->fleissKappa))
                 .arg(f->raters.size())
                 .arg(f->nItems);
    if (!section.calibration.isEmpty())
        s += calibrationText(section.calibration);
    return s;
}

QString statsToText(const StatsResult &stats)
{
    QString s = QStringLiteral("Raters: %1\n\n").arg(stats.raterSelection);
    if (stats.emptyLabels)
        s += QStringLiteral("Empty labels counted as the category %1: %2\n\n")
                 .arg(QLatin1String(storage::kEmptyCategory))
                 .arg(*stats.emptyLabels);
    s += agreementText(stats.categoryAgreement, stats.scoreAgreement);
    s += harmText(stats.harm);
    s += llmVsHumanToText(stats.llmVsHuman);
    if (stats.planning)
        s += planningText(*stats.planning);
    return s;
}

} // namespace cr::stats
