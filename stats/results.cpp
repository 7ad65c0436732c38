#include "stats/results.h"

#include <cmath>
#include <limits>

namespace cr::stats {

Value valueOf(const analysis::Estimate &e)
{
    if (e.defined && std::isfinite(e.value))
        return Value::of(e.value);
    return Value::undefined(
        QString::fromStdString(e.note.empty() ? std::string("undefined") : e.note));
}

double valueOrNaN(const Value &v)
{
    return v.value.value_or(std::numeric_limits<double>::quiet_NaN());
}

analysis::BootstrapOptions bootstrapOptions(const BootstrapSettings &settings)
{
    analysis::BootstrapOptions b;
    b.replicates = settings.replicates;
    b.seed = settings.seed;
    b.threads = settings.threads;
    return b;
}

BoundsValue bootstrapDisabled()
{
    return BoundsValue::undefined(QStringLiteral("bootstrap disabled (--bootstrap 0)"));
}

BoundsValue boundsOf(const analysis::BootstrapInterval &ci)
{
    if (ci.low.defined && ci.high.defined)
        return BoundsValue::of({ ci.low.value, ci.high.value });
    return BoundsValue::undefined(
        QString::fromStdString(ci.low.note.empty() ? std::string("undefined") : ci.low.note));
}

BoundsValue bootstrapBounds(int units,
    const std::function<analysis::Estimate(const std::vector<int> &)> &statistic,
    const BootstrapSettings &settings)
{
    if (settings.replicates <= 0)
        return bootstrapDisabled();
    return boundsOf(analysis::bootstrapPercentile(units, statistic, bootstrapOptions(settings)));
}

QList<BoundsValue> kappaBounds(const std::vector<int> &a, const std::vector<int> &b, int categories,
    const std::vector<analysis::Weighting> &weightings, const BootstrapSettings &settings)
{
    QList<BoundsValue> out;
    if (settings.replicates <= 0) {
        for (std::size_t i = 0; i < weightings.size(); ++i)
            out.append(bootstrapDisabled());
        return out;
    }
    for (const analysis::BootstrapInterval &ci :
        analysis::bootstrapCohenKappas(a, b, categories, weightings, bootstrapOptions(settings)))
        out.append(boundsOf(ci));
    return out;
}

} // namespace cr::stats
