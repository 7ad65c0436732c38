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

} // namespace cr::stats
