#pragma once

#include "analysis/ratings.h"

#include <vector>

namespace cr::analysis {

/// Confusion matrix of predicted codes against reference codes (0..K-1) and the
/// usual per-class and overall scores.
struct ClassificationReport {
    int categories = 0;
    int n = 0; ///< pairs used (both codes in [0, K))
    std::vector<double> matrix; ///< K x K row-major, rows = reference, columns = predicted
    std::vector<int> support; ///< reference count per class
    std::vector<Estimate> precision; ///< tp / (tp + fp); undefined if never predicted
    std::vector<Estimate> recall; ///< tp / (tp + fn); undefined if absent from the reference
    std::vector<Estimate> f1; ///< 2tp / (2tp + fp + fn); undefined if absent from both
    Estimate macroF1; ///< mean of the defined per-class F1 (classes absent from both are skipped)
    Estimate accuracy; ///< trace / n
};

/// Builds the report. Pairs where either code is outside [0, K) (e.g. -1 for
/// missing) are dropped. Everything is undefined (with a note) when no pair remains.
ClassificationReport classificationReport(
    const std::vector<int> &reference, const std::vector<int> &predicted, int categories);

} // namespace cr::analysis
