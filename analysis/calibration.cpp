#include "analysis/calibration.h"

#include <algorithm>
#include <cmath>

namespace cr::analysis {

namespace {

/// Per pair, the K x K cell of each unit (-1 when either code is missing).
std::vector<std::vector<int>> pairCells(
    const CodeRows &codes, const std::vector<std::pair<int, int>> &pairs)
{
    const int K = codes.categories;
    std::vector<std::vector<int>> out;
    out.reserve(pairs.size());
    for (const auto &[a, b] : pairs) {
        const std::vector<int> &x = codes.rows[std::size_t(a)];
        const std::vector<int> &y = codes.rows[std::size_t(b)];
        std::vector<int> &cells = out.emplace_back(x.size(), -1);
        for (std::size_t u = 0; u < x.size(); ++u)
            if (x[u] >= 0 && y[u] >= 0 && x[u] < K && y[u] < K)
                cells[u] = x[u] * K + y[u];
    }
    return out;
}

Estimate meanOfCells(const std::vector<std::vector<int>> &cells, int K, Weighting weighting,
    const std::vector<int> &units)
{
    double sum = 0.0;
    int defined = 0;
    std::vector<double> table(std::size_t(K) * std::size_t(K));
    for (const std::vector<int> &pair : cells) {
        std::fill(table.begin(), table.end(), 0.0);
        for (int u : units)
            if (const int c = pair[std::size_t(u)]; c >= 0)
                table[std::size_t(c)] += 1.0;
        const Estimate k = cohenKappa(table, K, weighting).kappa;
        if (k.defined) {
            sum += k.value;
            ++defined;
        }
    }
    if (defined == 0)
        return Estimate::undefined("no rater pair with a defined kappa");
    return Estimate::of(sum / defined);
}

} // namespace

Estimate meanPairKappa(const CodeRows &codes, const std::vector<std::pair<int, int>> &pairs,
    Weighting weighting, const std::vector<int> &units)
{
    return meanOfCells(pairCells(codes, pairs), codes.categories, weighting, units);
}

Calibration calibrate(const CodeRows &codes, Weighting weighting, const BootstrapOptions &options)
{
    Calibration out;
    const int raters = int(codes.rows.size());
    const int judge = raters - 1;
    std::vector<std::pair<int, int>> judgePairs, clinicianPairs;
    for (int c = 0; c < judge; ++c) {
        judgePairs.emplace_back(judge, c);
        for (int d = c + 1; d < judge; ++d)
            clinicianPairs.emplace_back(c, d);
    }
    const auto judgeCells = pairCells(codes, judgePairs);
    const auto clinicianCells = pairCells(codes, clinicianPairs);
    for (int u = 0; u < codes.units(); ++u) {
        bool any = false;
        for (const std::vector<int> &p : judgeCells)
            any = any || p[std::size_t(u)] >= 0;
        out.units += any;
    }
    const int K = codes.categories;
    const std::vector<BootstrapInterval> ci = bootstrapPercentiles(
        codes.units(), 3,
        [&](const std::vector<int> &units) {
            const Estimate j = meanOfCells(judgeCells, K, weighting, units);
            const Estimate c = meanOfCells(clinicianCells, K, weighting, units);
            const Estimate d = !j.defined ? j : !c.defined ? c : Estimate::of(j.value - c.value);
            return std::vector<Estimate> { j, c, d };
        },
        options);
    out.judge = ci[0];
    out.clinicians = ci[1];
    out.difference = ci[2];
    return out;
}

double quantileSorted(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    const double h = (double(sorted.size()) - 1.0) * p;
    const std::size_t lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<int> terciles(const std::vector<double> &values)
{
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double q1 = quantileSorted(sorted, 1.0 / 3.0);
    const double q2 = quantileSorted(sorted, 2.0 / 3.0);
    std::vector<int> out;
    out.reserve(values.size());
    for (const double v : values)
        out.push_back(v <= q1 ? 0 : v <= q2 ? 1 : 2);
    return out;
}

} // namespace cr::analysis
