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

QString agreementText(const CategoryAgreement &cat, const ScoreAgreement &sc)
{
    QString s = QStringLiteral("Category agreement (%1 items)\n").arg(cat.nItems);
    s += QStringLiteral("  Fleiss' kappa       %1\n  Krippendorff alpha  %2 (nominal)\n  Gwet's "
                        "AC1          %3\n  Percent agreement   %4\n")
             .arg(number(cat.fleissKappa), number(cat.krippendorffAlphaNominal),
                 number(cat.gwetAc1), number(cat.percentAgreement));
    for (const CategoryPair &p : cat.pairwise)
        s += QStringLiteral("  %1 ~ %2: n %3, kappa %4, agreement %5\n")
                 .arg(p.a, p.b)
                 .arg(p.n)
                 .arg(number(p.cohenKappa), number(p.percentAgreement));
    const std::optional<Bounds> &ci = sc.alphaOrdinalCi.value;
    s += QStringLiteral("\nScore agreement (%1 responses)\n").arg(sc.nResponses);
    s += QStringLiteral("  Krippendorff alpha  %1 ordinal [%2, %3], %4 interval\n")
             .arg(number(sc.krippendorffAlphaOrdinal), bound(ci, true), bound(ci, false),
                 number(sc.krippendorffAlphaInterval));
    for (const ScorePair &p : sc.pairwise)
        s += QStringLiteral("  %1 ~ %2: n %3, MAE %4, RMSE %5, within one %6, kappa_w %7\n")
                 .arg(p.a, p.b)
                 .arg(p.n)
                 .arg(number(p.mae), number(p.rmse), number(p.withinOne), number(p.kappaQuadratic));
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
    TextTable t(valueColumns(
        { { QStringLiteral("llm"), Align::Left, 22 }, { QStringLiteral("human"), Align::Left, 16 },
            { QStringLiteral("n"), Align::Right, 6 } },
        { QStringLiteral("kappa"), QStringLiteral("agree"), QStringLiteral("acc"),
            QStringLiteral("macroF1") }));
    for (const LlmCategoryRow &o : rows)
        t.addRow({ o.llm, o.human, QString::number(o.n), number(o.cohenKappa),
            number(o.percentAgreement), number(o.accuracy), number(o.macroF1) });
    return QStringLiteral("\nLLM classifiers vs clinicians (category labels)\n") + t.toString();
}

QString llmScoresText(const QList<LlmScoreRow> &rows)
{
    TextTable t(valueColumns(
        { { QStringLiteral("llm"), Align::Left, 22 }, { QStringLiteral("human"), Align::Left, 16 },
            { QStringLiteral("n"), Align::Right, 6 } },
        { QStringLiteral("MAE"), QStringLiteral("RMSE"), QStringLiteral("within1"),
            QStringLiteral("kappa_w"), QStringLiteral("alpha") }));
    for (const LlmScoreRow &o : rows)
        t.addRow({ o.llm, o.human, QString::number(o.n), number(o.mae), number(o.rmse),
            number(o.withinOne), number(o.kappaQuadratic), number(o.krippendorffAlphaOrdinal) });
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
    return s;
}

} // namespace cr::stats
