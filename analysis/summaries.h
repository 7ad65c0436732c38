#pragma once

#include "analysis/intervals.h"

#include <vector>

namespace cr::analysis {

/// One score band of bandShares(): [lo, hi] for the first band, (lo, hi] for the others.
struct ScoreBand {
    double lo = 1.0;
    double hi = 5.0;
    int n = 0; ///< values in the band
    Interval share; ///< n / all non-missing values, Wilson 95% interval
};

/// Checks band cut points: strictly increasing, each strictly inside (1, 5). Returns an
/// empty string when valid, else what is wrong.
std::string checkBandCuts(const std::vector<double> &cuts);

/// Shares of the non-missing `values` (NaN skipped) in the bands the cuts make on the 1–5
/// scale: cuts {2.3, 3.6} give [1, 2.3], (2.3, 3.6], (3.6, 5]. Values below 1 count in the
/// first band, above 5 in the last. Each share has a Wilson 95% interval (undefined with no
/// values). The cuts must pass checkBandCuts().
std::vector<ScoreBand> bandShares(
    const std::vector<double> &values, const std::vector<double> &cuts);

/// Standard deviation of the non-missing values about their mean, dividing by their count
/// (population SD, numpy's default ddof = 0); undefined with fewer than two values.
Estimate populationSd(const std::vector<double> &values);

/// Mean over units of the per-unit populationSd() of its raters' scores (`perUnit[u]` = the
/// scores unit u got, NaN = missing); units with fewer than two scores are left out (`units`
/// counts the ones used). Undefined when no unit has two scores.
struct MeanSd {
    int units = 0;
    Estimate mean;
};
MeanSd meanUnitSd(const std::vector<std::vector<double>> &perUnit);

/// A statistic over several references (e.g. an LLM rater's MAE against each clinician):
/// its mean, smallest and largest value and sample SD (n - 1) over the defined values.
/// All undefined with no defined value; the SD is undefined with one.
struct Spread {
    int n = 0; ///< defined values
    Estimate mean;
    Estimate min;
    Estimate max;
    Estimate sd;
};
Spread spreadOf(const std::vector<Estimate> &values);

/// The unique most frequent code of `counts` (counts[k] = votes for code k), or -1 when no
/// code has a vote or two codes tie for the most votes.
int uniqueMajority(const std::vector<int> &counts);

} // namespace cr::analysis
