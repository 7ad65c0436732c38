#pragma once

#include "analysis/ratings.h"

#include <vector>

namespace cr::analysis {

/// A proportion or mean with its two-sided interval.
struct Interval {
    Estimate point;
    double low = 0.0;
    double high = 0.0;
};

/// Wilson score interval for x successes out of n (Wilson 1927), default
/// z = 1.959963984540054 (95%). Bounds are clamped to [0, 1] and exact at
/// x = 0 (low = 0) and x = n (high = 1). Undefined for n <= 0 or x outside [0, n].
Interval wilsonInterval(double successes, double n, double z = 1.959963984540054);

/// Quantile of Student's t with df > 0 degrees of freedom (p in (0, 1)),
/// by bisection on the CDF (regularised incomplete beta, Lentz continued
/// fraction); accurate to ~1e-10.
double studentTQuantile(double p, double df);

/// Mean of the non-missing values with a 95% Student-t interval
/// mean +- t_{0.975, n-1} * s / sqrt(n) (s = sample SD). NaN values are skipped.
/// n = 0: undefined; n = 1: point defined, interval collapses to the point
/// (point.note says so).
Interval meanInterval(const std::vector<double> &values);

} // namespace cr::analysis
