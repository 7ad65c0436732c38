#include "stats/planning.h"

#include "analysis/planning.h"

#include <QMap>

namespace cr::stats {

namespace {

AgreementPlanRow agreementRow(
    const QString &figure, const QString &label, int units, const BoundsValue &ci, double width)
{
    AgreementPlanRow row { figure, label, units, Value::undefined(ci.reason), 0 };
    if (ci.value) {
        const double now = ci.value->high - ci.value->low;
        row.width = Value::of(now);
        row.needed = analysis::scaledUnitsForWidth(units, now, width);
    }
    return row;
}

} // namespace

Planning planStudy(const StatsResult &result, double width)
{
    Planning plan;
    plan.width = width;
    struct Pool {
        int models = 0;
        int responses = 0;
        int harmful = 0;
    };
    QMap<QString, Pool> pools;
    for (const ModelCategoryHarm &c : result.harm.byModelCategory) {
        if (!c.category || c.harm.n == 0)
            continue;
        Pool &p = pools[*c.category];
        ++p.models;
        p.responses += c.harm.n;
        p.harmful += c.harm.harmful;
    }
    for (auto it = pools.cbegin(); it != pools.cend(); ++it) {
        const Pool &p = it.value();
        HarmPlanRow row;
        row.category = it.key();
        row.models = p.models;
        row.responsesPerModel = p.responses / p.models;
        const double rate = double(p.harmful) / p.responses;
        row.rate = Value::of(rate);
        row.needed = analysis::wilsonUnitsForWidth(rate, width);
        row.neededWorstCase = analysis::wilsonUnitsForWidth(0.5, width);
        plan.harm.append(row);
    }
    const CategoryAgreement &cat = result.categoryAgreement;
    const ScoreAgreement &sc = result.scoreAgreement;
    plan.agreement = {
        agreementRow(QStringLiteral("fleiss_kappa"), QStringLiteral("Fleiss' kappa, categories"),
            cat.nItems, cat.fleissKappaCi, width),
        agreementRow(QStringLiteral("krippendorff_alpha_nominal"),
            QStringLiteral("Krippendorff's alpha, categories"), cat.nItems, cat.alphaNominalCi,
            width),
        agreementRow(QStringLiteral("gwet_ac1"), QStringLiteral("Gwet's AC1, categories"),
            cat.nItems, cat.gwetAc1Ci, width),
        agreementRow(QStringLiteral("krippendorff_alpha_ordinal"),
            QStringLiteral("Krippendorff's alpha (ordinal), scores"), sc.nResponses,
            sc.alphaOrdinalCi, width),
    };
    return plan;
}

} // namespace cr::stats
