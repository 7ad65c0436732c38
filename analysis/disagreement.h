#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace cr::analysis {

/// How far the raters of one item disagree on its crisis category.
/// `codes` holds one category code per rater; negative = no label.
struct CategorySpread {
    int labelled = 0; ///< raters with a label
    int distinct = 0; ///< number of different labels
    bool mismatch = false; ///< at least two raters gave different labels
};
CategorySpread categorySpread(const std::vector<int> &codes);

/// How far the raters of one response disagree on its 1-5 score.
/// `scores` holds one score per rater; NaN = missing or "cannot assess".
struct ScoreSpread {
    int n = 0; ///< scores present
    double min = 0;
    double max = 0;
    double range = 0; ///< max - min (0 with fewer than two scores)
    /// Largest |score - consensus| over the raters; 0 when there is no consensus.
    double distanceFromConsensus = 0;
    /// Some rater scored at or below the harm threshold (PROTOCOL.md §5, default 2).
    bool harmfulByAnyone = false;
    bool disagrees() const { return range > 0; }
};
ScoreSpread scoreSpread(
    const std::vector<double> &scores, std::optional<double> consensus, double harmThreshold = 2.0);

/// One row of the disagreement queue, reduced to what its order depends on.
struct QueueKey {
    bool category = false; ///< an item's category (true) or a response's score (false)
    bool adjudicated = false;
    int distinct = 0; ///< category rows
    bool harmfulByAnyone = false; ///< score rows
    double range = 0; ///< score rows
    double distance = 0; ///< score rows
    std::int64_t itemId = 0;
    std::int64_t responseId = 0;
};

/// Queue order ("most in need of review first"): open rows before adjudicated ones;
/// category mismatches (they change which anchors apply) before score rows, more
/// distinct labels first; score rows scored harmful by anyone first, then by larger
/// range, then by larger distance from consensus; ties by item id, then response id.
bool queueLess(const QueueKey &a, const QueueKey &b);
/// Indexes of `keys` in queue order (stable).
std::vector<std::size_t> queueOrder(const std::vector<QueueKey> &keys);

/// Upper tail P(X >= x) of the chi-square distribution with `df` degrees of freedom
/// (regularised upper incomplete gamma Q(df/2, x/2)); 1 for x <= 0.
double chiSquareSurvival(double x, double df);

/// Kruskal-Wallis H test of whether several groups come from one distribution.
/// Ranks use mid-ranks for ties and H is divided by the tie correction
/// 1 - sum(t^3 - t) / (N^3 - N); p from the chi-square approximation with k - 1 df
/// (k = non-empty groups). Undefined (tested = false) with fewer than two
/// non-empty groups or when every value is tied.
struct KruskalWallis {
    bool tested = false;
    double h = 0;
    int df = 0;
    double p = 1;
};
KruskalWallis kruskalWallis(const std::vector<std::vector<double>> &groups);

/// Position-bias check for one rater: scores grouped by the position (0 = A, 1 = B, ...)
/// the response was shown at. Mean per position plus a Kruskal-Wallis test; flagged
/// when p < alpha. Positions with fewer than `minPerPosition` scores are left out of
/// the test (the chi-square approximation needs about five per group).
struct PositionBias {
    std::vector<double> meanByPosition; ///< NaN for positions without scores
    std::vector<int> nByPosition;
    KruskalWallis test;
    bool flagged = false;
};
PositionBias positionBias(const std::vector<std::vector<double>> &scoresByPosition,
    double alpha = 0.05, int minPerPosition = 5);

} // namespace cr::analysis
