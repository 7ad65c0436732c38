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

/// A statistic of a resample that depends only on how often each unit pattern was
/// drawn (units with the same pattern are interchangeable for it): unit u has pattern
/// patternOf[u] in [0, patterns), and `statistic` gets tally[p] = the number of draws
/// of pattern p (the full tally for the point estimate) and returns `outputs` estimates.
/// It must be thread-safe and own (or share) whatever it reads.
struct TallyStatistic {
    std::vector<int> patternOf;
    int patterns = 0;
    int outputs = 1;
    std::function<std::vector<Estimate>(const std::vector<int> &tally)> statistic;
};

/// Percentile bootstrap intervals of many statistics from shared resamples. Each
/// statistic over n units gets exactly the intervals of bootstrapPercentiles() with
/// the same options over those n units (replicate i draws n indices with
/// Rng::stream(seed, i).below(n)), but every statistic with the same number of units
/// is computed from one set of draws per replicate: the units of such a group are
/// mapped to joint patterns (the tuple of their patterns over the group), a
/// replicate draws n indices once and counts joint patterns, and each statistic
/// reads its tally as a sum over the joint patterns. A replicate then costs n draws
/// for the whole group plus O(joint patterns) per statistic, not O(n) per statistic.
class SharedBootstrap {
public:
    /// Registers a statistic; returns its index in run()'s result.
    int add(TallyStatistic statistic);
    int size() const { return int(m_statistics.size()); }
    /// Per registered statistic, its `outputs` intervals.
    std::vector<std::vector<BootstrapInterval>> run(const BootstrapOptions &options) const;

private:
    std::vector<TallyStatistic> m_statistics;
};

/// The statistics' SharedBootstrap forms (registered, intervals from run()): Cohen's
/// kappa under each weighting over the paired codes (missing pairs dropped first; as
/// bootstrapCohenKappas()), Krippendorff's alpha (as bootstrapAlpha()) and count-table
/// statistics (as bootstrapCounts(), the table's rows grouped by pattern and weighted).
int addCohenKappas(SharedBootstrap &shared, const std::vector<int> &a, const std::vector<int> &b,
    int categories, const std::vector<Weighting> &weightings);
int addAlpha(SharedBootstrap &shared, const RatingTable &table, Metric metric);
int addCounts(SharedBootstrap &shared, const CountTable &counts,
    std::vector<std::function<Estimate(const CountTable &)>> statistics);

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
/// replicate i is the table of the distinct subject rows drawn by Rng::stream(seed, i),
/// each weighted by how often it was drawn (CountTable::weights; the same statistic as
/// the table of the drawn rows with repeats, up to rounding). `statistic` must be
/// thread-safe and honour the weights.
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
