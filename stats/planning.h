#pragma once

#include "stats/results.h"

namespace cr::stats {

/// Planning for a target 95% interval width (issue 21), `planning` of `stats --json`:
/// - `harm[]`, per crisis category (the harm-by-category cells pooled over models):
///   responses per model needed for a Wilson interval of `width` at the pooled harm
///   rate now (`needed`) and at 0.5 (`needed_worst_case`, enough for any rate);
/// - `agreement[]`, per agreement figure with a bootstrap interval now: units
///   (items or responses) needed, scaling the interval's width with 1/sqrt(n)
///   (analysis::scaledUnitsForWidth(): an approximation from the bootstrap, assuming
///   further units resemble those rated so far).
/// Pure function of the result.
Planning planStudy(const StatsResult &result, double width);

} // namespace cr::stats
