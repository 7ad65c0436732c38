#include "stats/statstext.h"

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

QString harmText(const Harm &harm)
{
    QString s = QStringLiteral("\nHarm rate (consensus score <= %1)\n").arg(harm.threshold);
    s += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
             .arg(QStringLiteral("model").leftJustified(24), QStringLiteral("n").rightJustified(6),
                 QStringLiteral("harmful").rightJustified(8),
                 QStringLiteral("rate [95% CI]").leftJustified(22),
                 QStringLiteral("scored 1").rightJustified(9),
                 QStringLiteral("mean").rightJustified(6));
    for (const ModelHarm &m : harm.byModel)
        s += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                 .arg(m.model.leftJustified(24))
                 .arg(m.harm.n, 6)
                 .arg(m.harm.harmful, 8)
                 .arg(QStringLiteral("%1 [%2, %3]")
                          .arg(number(m.harm.rate), bound(m.harm.rateCi, true),
                              bound(m.harm.rateCi, false))
                          .leftJustified(22),
                     number(m.score1Rate).rightJustified(9),
                     number(m.harm.meanScore, 2).rightJustified(6));
    return s;
}

QString column(const Value &v)
{
    return number(v).rightJustified(7);
}

QString llmCategoriesText(const QList<LlmCategoryRow> &rows)
{
    QString s =
        QStringLiteral(
            "\nLLM classifiers vs clinicians (category labels)\n  %1 %2 %3 %4 %5 %6 %7\n")
            .arg(QStringLiteral("llm").leftJustified(22), QStringLiteral("human").leftJustified(16),
                QStringLiteral("n").rightJustified(6), QStringLiteral("kappa").rightJustified(7),
                QStringLiteral("agree").rightJustified(7), QStringLiteral("acc").rightJustified(7),
                QStringLiteral("macroF1").rightJustified(7));
    for (const LlmCategoryRow &o : rows)
        s += QStringLiteral("  %1 %2 %3 %4 %5 %6 %7\n")
                 .arg(o.llm.leftJustified(22), o.human.leftJustified(16))
                 .arg(o.n, 6)
                 .arg(column(o.cohenKappa), column(o.percentAgreement), column(o.accuracy),
                     column(o.macroF1));
    return s;
}

QString llmScoresText(const QList<LlmScoreRow> &rows)
{
    QString s =
        QStringLiteral("\nLLM judges vs clinicians (scores; consensus = human mean)\n  "
                       "%1 %2 %3 %4 %5 %6 %7 %8\n")
            .arg(QStringLiteral("llm").leftJustified(22), QStringLiteral("human").leftJustified(16),
                QStringLiteral("n").rightJustified(6), QStringLiteral("MAE").rightJustified(7),
                QStringLiteral("RMSE").rightJustified(7),
                QStringLiteral("within1").rightJustified(7),
                QStringLiteral("kappa_w").rightJustified(7),
                QStringLiteral("alpha").rightJustified(7));
    for (const LlmScoreRow &o : rows)
        s += QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8\n")
                 .arg(o.llm.leftJustified(22), o.human.leftJustified(16))
                 .arg(o.n, 6)
                 .arg(column(o.mae), column(o.rmse), column(o.withinOne), column(o.kappaQuadratic),
                     column(o.krippendorffAlphaOrdinal));
    return s;
}

QString judgesText(const QList<JudgeConsistency> &rows)
{
    QString s =
        QStringLiteral("\nJudge run-to-run consistency\n  %1 %2 %3 %4 %5 %6\n")
            .arg(QStringLiteral("judge").leftJustified(22),
                QStringLiteral("runs").rightJustified(5), QStringLiteral("n").rightJustified(6),
                QStringLiteral("alpha_o").rightJustified(7),
                QStringLiteral("ICC2,1").rightJustified(7),
                QStringLiteral("agree").rightJustified(7));
    for (const JudgeConsistency &o : rows)
        s += QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                 .arg(o.llm.leftJustified(22))
                 .arg(o.runs(), 5)
                 .arg(o.n, 6)
                 .arg(column(o.alphaOrdinal), column(o.icc21), column(o.percentAgreement));
    return s;
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
    s += agreementText(stats.categoryAgreement, stats.scoreAgreement);
    s += harmText(stats.harm);
    s += llmVsHumanToText(stats.llmVsHuman);
    return s;
}

} // namespace cr::stats
