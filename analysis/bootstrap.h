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

/// bootstrapPercentile() for several statistics of the same resamples at once:
/// `statistic` returns `statistics` estimates per sample; interval k is that of
/// estimate k, identical to bootstrapPercentile() of estimate k alone.
std::vector<BootstrapInterval> bootstrapPercentiles(int units, int statistics,
    const std::function<std::vector<Estimate>(const std::vector<int> &)> &statistic,
    const BootstrapOptions &options);

/// Bootstrap interval for Krippendorff's alpha, resampling units (columns);
/// per-unit coincidences are precomputed, so a replicate costs O(units).
BootstrapInterval bootstrapAlpha(
    const RatingTable &table, Metric metric, const BootstrapOptions &options);

/// Bootstrap interval for Cohen's kappa, resampling the paired codes (pairs
/// with a missing code are dropped first).
BootstrapInterval bootstrapCohenKappa(const std::vector<int> &a, const std::vector<int> &b,
    int categories, Weighting weighting, const BootstrapOptions &options);

/// Bootstrap intervals for statistics of a subjects x categories count table
/// (Fleiss' kappa, Gwet's AC1, percent agreement), resampling subjects (rows):
/// replicate i is the table of the subjects drawn by Rng::stream(seed, i), in
/// draw order, repeats kept. `statistic` must be thread-safe.
std::vector<BootstrapInterval> bootstrapCounts(const CountTable &counts,
    const std::vector<std::function<Estimate(const CountTable &)>> &statistics,
    const BootstrapOptions &options);

/// Bootstrap intervals for Cohen's kappa under several weightings at once, from
/// the same resamples of the paired codes (missing pairs dropped first, as in
/// bootstrapCohenKappa(); each interval equals bootstrapCohenKappa()'s).
std::vector<BootstrapInterval> bootstrapCohenKappas(const std::vector<int> &a,
    const std::vector<int> &b, int categories, const std::vector<Weighting> &weightings,
    const BootstrapOptions &options);

} // namespace cr::analysis
