#pragma once

#include "analysis/ratings.h"

#include <utility>
#include <vector>

namespace cr::analysis {

enum class Metric { Nominal, Ordinal, Interval, Ratio };

/// Krippendorff's alpha with its intermediates (coincidence-matrix form).
struct AlphaResult {
    Estimate alpha;
    std::vector<double> values; ///< distinct observed values, ascending
    std::vector<double> coincidence; ///< V x V row-major o_ck (V = values.size())
    std::vector<double> margins; ///< n_c = sum_k o_ck
    double pairable = 0.0; ///< n.. = number of pairable values
    int pairableUnits = 0; ///< units with >= 2 ratings
    double observed = 0.0; ///< D_o = sum o_ck d_ck / n..
    double expected = 0.0; ///< D_e = sum n_c n_k d_ck / (n.. (n.. - 1))
};

/// Krippendorff's alpha = 1 - D_o / D_e (Krippendorff 2011, "Computing
/// Krippendorff's alpha-reliability"), any number of raters. Missing (NaN)
/// ratings are skipped; units with fewer than two ratings are not pairable and
/// drop out. Ordinal distances use the observed margins, so unused scale points
/// do not matter. Ratio distance is ((c-k)/(c+k))^2 (0 when c = k = 0).
/// Cost O(ratings + P V^2) (P = distinct per-unit value multisets, small for
/// rating scales) when values are small-range integers; otherwise a sort of the
/// values and a map over unit patterns are added. Undefined when no unit is pairable or only one
/// value occurs (D_e = 0). Pure function, safe to call from any thread.
AlphaResult krippendorffAlpha(const RatingTable &table, Metric metric);

/// Per-unit coincidence contributions, precomputed once so that resampled units
/// (bootstrap) can be re-aggregated without rereading the table. Units with the
/// same multiset of values share one contribution ("pattern"), so a resample
/// costs O(units + patterns * V^2). Immutable after
/// construction; alphaFor() may be called concurrently.
class AlphaData {
public:
    AlphaData(const RatingTable &table, Metric metric);

    int units() const { return m_units; }
    /// Alpha over the given unit indices (repeats allowed), recomputed fully,
    /// including ordinal margins. Identical to krippendorffAlpha() on the table
    /// made of those units.
    Estimate alphaFor(const std::vector<int> &unitIndices) const;
    /// Alpha over all units, with intermediates.
    AlphaResult all() const;
    /// Units grouped by their ratings, for resampling by tally: unit u's pattern in
    /// [0, patterns()); the last pattern gathers the units that are not pairable.
    std::vector<int> unitPatterns() const;
    int patterns() const { return int(m_offsets.size()); }
    /// Alpha of a resample given as the number of draws of each pattern (patterns()
    /// entries); identical to alphaFor() of any unit list with that tally.
    Estimate alphaForTally(const std::vector<int> &tally) const;

    struct Entry {
        int a;
        int b;
        double weight;
    };

private:
    AlphaResult finish(std::vector<double> coincidence, int pairableUnits) const;
    std::pair<std::vector<double>, int> accumulate(const std::vector<int> &unitIndices) const;
    std::vector<double> coincidences(const std::vector<int> &tally) const;

    Metric m_metric;
    int m_units = 0;
    std::vector<double> m_values;
    std::vector<int> m_unitPattern; // pattern id per unit, -1 when not pairable
    std::vector<int> m_offsets; // entries of pattern p: [m_offsets[p], m_offsets[p+1])
    std::vector<Entry> m_entries;
};

} // namespace cr::analysis
