#pragma once

#include "analysis/kappa.h"
#include "analysis/krippendorff.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace cr::analysis {

struct BootstrapOptions {
    int replicates = 1000;
    std::uint64_t seed = 1;
    int threads = 1; ///< <= 0: std::thread::hardware_concurrency()
    double confidence = 0.95; ///< two-sided percentile interval
};

struct BootstrapInterval {
    Estimate point; ///< statistic on the original units
    Estimate low;
    Estimate high;
    int replicates = 0; ///< replicates drawn
    int undefinedReplicates = 0; ///< replicates where the statistic was undefined (left out)
};

/// Percentile bootstrap over units (Efron & Tibshirani 1993): replicate i draws
/// `units` unit indices with replacement from Rng::stream(seed, i) and recomputes
/// the statistic fully; the interval is the (1-c)/2 and (1+c)/2 quantiles
/// (linear interpolation, R type 7) of the defined replicate values. Replicates
/// are split over `threads` worker threads, but each result depends only on
/// (seed, i), so the interval is identical for any thread count. `statistic` is
/// called concurrently and must be thread-safe. Undefined when units = 0 or no
/// replicate is defined.
BootstrapInterval bootstrapPercentile(int units,
    const std::function<Estimate(const std::vector<int> &)> &statistic,
    const BootstrapOptions &options);

/// Bootstrap interval for Krippendorff's alpha, resampling units (columns);
/// per-unit coincidences are precomputed, so a replicate costs O(units).
BootstrapInterval bootstrapAlpha(
    const RatingTable &table, Metric metric, const BootstrapOptions &options);

/// Bootstrap interval for Cohen's kappa, resampling the paired codes (pairs
/// with a missing code are dropped first).
BootstrapInterval bootstrapCohenKappa(const std::vector<int> &a, const std::vector<int> &b,
    int categories, Weighting weighting, const BootstrapOptions &options);

} // namespace cr::analysis
