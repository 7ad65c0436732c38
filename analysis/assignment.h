#pragma once

#include <cstdint>
#include <vector>

namespace cr::analysis {

/// Plans which raters see which items so that every item reaches `perItem`
/// raters and rater workloads differ by at most one (counting work already
/// assigned). Deterministic for a given seed.
///
/// `existing[i]` lists the rater indices (0..raterCount-1) item i already has;
/// it may be empty or shorter than itemCount. Returns, per item, the rater
/// indices to add (sorted). Items that already have >= perItem raters get none.
/// Requires 1 <= perItem <= raterCount.
std::vector<std::vector<int>> planBalancedAssignment(int itemCount, int raterCount, int perItem,
    std::uint64_t seed, const std::vector<std::vector<int>> &existing = {});

} // namespace cr::analysis
