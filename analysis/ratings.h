#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace cr::analysis {

/// A statistic that may be undefined (e.g. no variation, no data). Never NaN:
/// when `defined` is false, `value` is 0 and `note` says why.
struct Estimate {
    bool defined = false;
    double value = 0.0;
    std::string note;

    static Estimate of(double v) { return Estimate { true, v, {} }; }
    static Estimate undefined(std::string why) { return Estimate { false, 0.0, std::move(why) }; }
    explicit operator bool() const { return defined; }
};

/// Missing rating marker for RatingTable::values.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool isMissing(double v)
{
    return std::isnan(v);
}

/// Ratings matrix: `raters` rows by `units` columns, row-major by rater
/// (values[r * units + u]); NaN (kMissing) = not rated. For categorical
/// statistics the values are integer codes 0..K-1 of a declared scale of K categories.
struct RatingTable {
    int raters = 0;
    int units = 0;
    std::vector<double> values;

    RatingTable() = default;
    RatingTable(int raterCount, int unitCount)
        : raters(raterCount)
        , units(unitCount)
        , values(std::size_t(raterCount) * std::size_t(unitCount), kMissing)
    {
    }
    /// Builds from rows (one per rater); all rows must have the same length.
    static RatingTable fromRows(const std::vector<std::vector<double>> &rows)
    {
        RatingTable t(int(rows.size()), rows.empty() ? 0 : int(rows.front().size()));
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t u = 0; u < rows[r].size() && u < std::size_t(t.units); ++u)
                t.at(int(r), int(u)) = rows[r][u];
        return t;
    }
    double &at(int rater, int unit)
    {
        return values[std::size_t(rater) * std::size_t(units) + std::size_t(unit)];
    }
    double at(int rater, int unit) const
    {
        return values[std::size_t(rater) * std::size_t(units) + std::size_t(unit)];
    }
};

/// Subjects x categories table of counts: counts[s * categories + k] = number of
/// raters who put subject s into category k (rows may have different totals).
struct CountTable {
    int subjects = 0;
    int categories = 0;
    std::vector<double> counts;
    /// Per subject, how many times it counts (a bootstrap's repeats of a row); empty:
    /// once each. Statistics over the table are those of the table with each row
    /// repeated weight times.
    std::vector<double> weights;

    double weight(int s) const { return weights.empty() ? 1.0 : weights[std::size_t(s)]; }

    CountTable() = default;
    CountTable(int subjectCount, int categoryCount)
        : subjects(subjectCount)
        , categories(categoryCount)
        , counts(std::size_t(subjectCount) * std::size_t(categoryCount), 0.0)
    {
    }
    double &at(int s, int k)
    {
        return counts[std::size_t(s) * std::size_t(categories) + std::size_t(k)];
    }
    double at(int s, int k) const
    {
        return counts[std::size_t(s) * std::size_t(categories) + std::size_t(k)];
    }
    /// Tallies integer codes 0..K-1 per unit; missing values and codes outside
    /// [0, K) are ignored (count them as missing).
    static CountTable fromRatings(const RatingTable &table, int categories);
};

} // namespace cr::analysis
