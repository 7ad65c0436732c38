#include "stats/results.h"

#include <algorithm>
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
    IntervalPlan plan(settings);
    plan.kappas(a, b, categories, weightings, [&out](const QList<BoundsValue> &ci) { out = ci; });
    plan.run();
    return out;
}

IntervalPlan::IntervalPlan(const BootstrapSettings &settings)
    : m_settings(settings)
{
}

void IntervalPlan::kappas(const std::vector<int> &a, const std::vector<int> &b, int categories,
    const std::vector<analysis::Weighting> &weightings, Sink sink)
{
    custom(
        [&](analysis::SharedBootstrap &shared) {
            return analysis::addCohenKappas(shared, a, b, categories, weightings);
        },
        [sink = std::move(sink), on = m_settings.replicates > 0](
            const std::vector<analysis::BootstrapInterval> &intervals) {
            QList<BoundsValue> out;
            for (const analysis::BootstrapInterval &ci : intervals)
                out.append(on ? boundsOf(ci) : bootstrapDisabled());
            sink(out);
        });
}

void IntervalPlan::custom(const std::function<int(analysis::SharedBootstrap &)> &add,
    std::function<void(const std::vector<analysis::BootstrapInterval> &)> done)
{
    m_sinks.emplace_back(add(m_shared), std::move(done));
}

void IntervalPlan::run()
{
    if (m_sinks.empty())
        return;
    analysis::BootstrapOptions options = bootstrapOptions(m_settings);
    options.replicates = std::max(options.replicates, 0); // off: point estimates only
    const std::vector<std::vector<analysis::BootstrapInterval>> intervals = m_shared.run(options);
    for (const auto &[index, done] : m_sinks)
        done(intervals[std::size_t(index)]);
    m_sinks.clear();
    m_shared = analysis::SharedBootstrap();
}

} // namespace cr::stats
