#include "analysis/planning.h"

#include <cmath>

namespace cr::analysis {

double wilsonWidth(double p, int n, double z)
{
    const double nn = double(n);
    const double z2 = z * z;
    return 2.0 * z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / (1.0 + z2 / nn);
}

int wilsonUnitsForWidth(double p, double width, int cap, double z)
{
    if (!(width > 0.0) || !(p >= 0.0 && p <= 1.0) || cap < 1)
        return 0;
    if (wilsonWidth(p, cap, z) > width)
        return cap;
    int lo = 1, hi = cap; // the answer is in [lo, hi]
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (wilsonWidth(p, mid, z) <= width)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int scaledUnitsForWidth(int units, double observed, double target)
{
    if (units <= 0 || !(observed > 0.0) || !(target > 0.0))
        return 0;
    const double ratio = observed / target;
    return int(std::ceil(double(units) * ratio * ratio - 1e-9));
}

} // namespace cr::analysis
