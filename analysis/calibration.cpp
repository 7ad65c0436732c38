#include "analysis/calibration.h"

#include <algorithm>
#include <cmath>
#include <map>

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

/// Mean kappa over pairs from a tally of unit patterns: pairCells[q][p] is pair q's
/// cell in pattern p (-1 when either code is missing).
Estimate meanOfTally(const std::vector<std::vector<int>> &pairCells, int K, Weighting weighting,
    const std::vector<int> &tally)
{
    double sum = 0.0;
    int defined = 0;
    std::vector<double> table(std::size_t(K) * std::size_t(K));
    for (const std::vector<int> &pair : pairCells) {
        std::fill(table.begin(), table.end(), 0.0);
        for (std::size_t p = 0; p < tally.size(); ++p)
            if (const int c = pair[p]; c >= 0)
                table[std::size_t(c)] += double(tally[p]);
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
    // Every unit its own pattern, counted as often as it is listed.
    std::vector<int> tally(std::size_t(codes.units()), 0);
    for (const int u : units)
        ++tally[std::size_t(u)];
    return meanOfTally(pairCells(codes, pairs), codes.categories, weighting, tally);
}

int addCalibration(
    SharedBootstrap &shared, const CodeRows &codes, Weighting weighting, Calibration *out)
{
    const int raters = int(codes.rows.size());
    const int judge = raters - 1;
    std::vector<std::pair<int, int>> judgePairs, clinicianPairs;
    for (int c = 0; c < judge; ++c) {
        judgePairs.emplace_back(judge, c);
        for (int d = c + 1; d < judge; ++d)
            clinicianPairs.emplace_back(c, d);
    }
    // Units with the same codes from every rater are one pattern.
    TallyStatistic s;
    std::map<std::vector<int>, int> ids;
    std::vector<std::vector<int>> patterns;
    std::vector<int> key(std::size_t(std::max(raters, 0)));
    out->units = 0;
    for (int u = 0; u < codes.units(); ++u) {
        for (int r = 0; r < raters; ++r)
            key[std::size_t(r)] = codes.rows[std::size_t(r)][std::size_t(u)];
        const auto [it, inserted] = ids.try_emplace(key, int(patterns.size()));
        if (inserted)
            patterns.push_back(key);
        s.patternOf.push_back(it->second);
    }
    CodeRows patternCodes;
    patternCodes.categories = codes.categories;
    patternCodes.rows.assign(std::size_t(std::max(raters, 0)), {});
    for (const std::vector<int> &p : patterns)
        for (int r = 0; r < raters; ++r)
            patternCodes.rows[std::size_t(r)].push_back(p[std::size_t(r)]);
    auto judgeCells = pairCells(patternCodes, judgePairs);
    auto clinicianCells = pairCells(patternCodes, clinicianPairs);
    for (const int p : s.patternOf) {
        bool any = false;
        for (const std::vector<int> &cells : judgeCells)
            any = any || cells[std::size_t(p)] >= 0;
        out->units += any;
    }
    const int K = codes.categories;
    s.patterns = int(patterns.size());
    s.outputs = 3;
    s.statistic = [judgeCells = std::move(judgeCells), clinicianCells = std::move(clinicianCells),
                      K, weighting](const std::vector<int> &tally) {
        const Estimate j = meanOfTally(judgeCells, K, weighting, tally);
        const Estimate c = meanOfTally(clinicianCells, K, weighting, tally);
        const Estimate d = !j.defined ? j : !c.defined ? c : Estimate::of(j.value - c.value);
        return std::vector<Estimate> { j, c, d };
    };
    return shared.add(std::move(s));
}

void setCalibration(const std::vector<BootstrapInterval> &intervals, Calibration *out)
{
    out->judge = intervals[0];
    out->clinicians = intervals[1];
    out->difference = intervals[2];
}

Calibration calibrate(const CodeRows &codes, Weighting weighting, const BootstrapOptions &options)
{
    Calibration out;
    SharedBootstrap shared;
    addCalibration(shared, codes, weighting, &out);
    setCalibration(shared.run(options).front(), &out);
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
