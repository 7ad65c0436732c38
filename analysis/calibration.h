#pragma once

#include "analysis/bootstrap.h"
#include "analysis/kappa.h"

#include <vector>

namespace cr::analysis {

/// Integer codes of several raters over the same units: codes[r][u] in 0..K-1,
/// or -1 for missing. Every row has `units` entries.
struct CodeRows {
    std::vector<std::vector<int>> rows;
    int categories = 0;
    int units() const { return rows.empty() ? 0 : int(rows.front().size()); }
};

/// Mean of Cohen's kappa (under `weighting`) over the given rater pairs, each
/// pair computed on the units in `units` (repeats counted) where both have a
/// code; pairs whose kappa is undefined are left out. Undefined when no pair's
/// kappa is defined.
Estimate meanPairKappa(const CodeRows &codes, const std::vector<std::pair<int, int>> &pairs,
    Weighting weighting, const std::vector<int> &units);

/// "As good as a second clinician?" (judge calibration): on the same units,
/// - judge: mean over clinicians c of kappa(judge, c);
/// - clinicians: mean over clinician pairs c < d of kappa(c, d);
/// - difference: judge - clinicians (defined when both are).
/// Each with a percentile bootstrap interval over units; the three use the same
/// resamples (same seed), so the difference's interval is that of the paired
/// difference. `codes.rows` holds the clinicians first, then the judge as the
/// last row.
struct Calibration {
    int units = 0; ///< units where the judge and at least one clinician have a code
    BootstrapInterval judge;
    BootstrapInterval clinicians;
    BootstrapInterval difference;
};
Calibration calibrate(const CodeRows &codes, Weighting weighting, const BootstrapOptions &options);
/// calibrate() in two steps, to share resamples with other statistics: registers the
/// three statistics (units with identical codes grouped) with `shared`, returns its
/// index and sets `out->units`; then setCalibration() takes that statistic's intervals from run().
int addCalibration(
    SharedBootstrap &shared, const CodeRows &codes, Weighting weighting, Calibration *out);
void setCalibration(const std::vector<BootstrapInterval> &intervals, Calibration *out);

/// Tercile (0, 1, 2) of each value: 0 when v <= q(1/3), 1 when v <= q(2/3), else 2,
/// q the type-7 quantile of the values. Empty in, empty out.
std::vector<int> terciles(const std::vector<double> &values);

/// The type-7 (linear interpolation) quantile p of already sorted values; 0 when empty.
double quantileSorted(const std::vector<double> &sorted, double p);

} // namespace cr::analysis
