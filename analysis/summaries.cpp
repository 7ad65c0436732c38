#include "analysis/summaries.h"

#include <algorithm>
#include <cmath>

namespace cr::analysis {

std::string checkBandCuts(const std::vector<double> &cuts)
{
    if (cuts.empty())
        return "no cut point";
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        if (!std::isfinite(cuts[i]) || cuts[i] <= 1.0 || cuts[i] >= 5.0)
            return "each cut point must lie strictly between 1 and 5";
        if (i > 0 && cuts[i] <= cuts[i - 1])
            return "cut points must be strictly increasing";
    }
    return {};
}

std::vector<ScoreBand> bandShares(
    const std::vector<double> &values, const std::vector<double> &cuts)
{
    std::vector<ScoreBand> bands(cuts.size() + 1);
    for (std::size_t b = 0; b < bands.size(); ++b) {
        bands[b].lo = b == 0 ? 1.0 : cuts[b - 1];
        bands[b].hi = b == cuts.size() ? 5.0 : cuts[b];
    }
    int total = 0;
    for (const double v : values) {
        if (isMissing(v))
            continue;
        ++total;
        // The first cut at or above v: band b holds (cuts[b-1], cuts[b]].
        const auto it = std::lower_bound(cuts.cbegin(), cuts.cend(), v);
        ++bands[std::size_t(it - cuts.cbegin())].n;
    }
    for (ScoreBand &b : bands)
        b.share = wilsonInterval(b.n, total);
    return bands;
}

Estimate populationSd(const std::vector<double> &values)
{
    double sum = 0;
    int n = 0;
    for (const double v : values)
        if (!isMissing(v)) {
            sum += v;
            ++n;
        }
    if (n < 2)
        return Estimate::undefined("fewer than two scores");
    const double mean = sum / n;
    double ss = 0;
    for (const double v : values)
        if (!isMissing(v))
            ss += (v - mean) * (v - mean);
    return Estimate::of(std::sqrt(ss / n));
}

MeanSd meanUnitSd(const std::vector<std::vector<double>> &perUnit)
{
    MeanSd out;
    double sum = 0;
    for (const std::vector<double> &unit : perUnit) {
        const Estimate sd = populationSd(unit);
        if (!sd)
            continue;
        sum += sd.value;
        ++out.units;
    }
    out.mean = out.units > 0 ? Estimate::of(sum / out.units)
                             : Estimate::undefined("no response with two or more scores");
    return out;
}

Spread spreadOf(const std::vector<Estimate> &values)
{
    Spread out;
    double sum = 0, lo = 0, hi = 0;
    for (const Estimate &e : values) {
        if (!e)
            continue;
        lo = out.n == 0 ? e.value : std::min(lo, e.value);
        hi = out.n == 0 ? e.value : std::max(hi, e.value);
        sum += e.value;
        ++out.n;
    }
    if (out.n == 0) {
        const Estimate none = Estimate::undefined("no defined value");
        out.mean = out.min = out.max = out.sd = none;
        return out;
    }
    const double mean = sum / out.n;
    out.mean = Estimate::of(mean);
    out.min = Estimate::of(lo);
    out.max = Estimate::of(hi);
    if (out.n < 2) {
        out.sd = Estimate::undefined("one defined value");
        return out;
    }
    double ss = 0;
    for (const Estimate &e : values)
        if (e)
            ss += (e.value - mean) * (e.value - mean);
    out.sd = Estimate::of(std::sqrt(ss / (out.n - 1)));
    return out;
}

int uniqueMajority(const std::vector<int> &counts)
{
    int best = -1, bestCount = 0;
    bool tie = false;
    for (int k = 0; k < int(counts.size()); ++k) {
        const int c = counts[std::size_t(k)];
        if (c > bestCount) {
            best = k;
            bestCount = c;
            tie = false;
        } else if (c == bestCount && c > 0) {
            tie = true;
        }
    }
    return tie ? -1 : best;
}

} // namespace cr::analysis
