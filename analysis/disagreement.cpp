#include "analysis/disagreement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

namespace cr::analysis {

CategorySpread categorySpread(const std::vector<int> &codes)
{
    CategorySpread s;
    std::vector<int> seen;
    for (int c : codes) {
        if (c < 0)
            continue;
        ++s.labelled;
        if (std::find(seen.cbegin(), seen.cend(), c) == seen.cend())
            seen.push_back(c);
    }
    s.distinct = int(seen.size());
    s.mismatch = s.distinct > 1;
    return s;
}

ScoreSpread scoreSpread(
    const std::vector<double> &scores, std::optional<double> consensus, double harmThreshold)
{
    ScoreSpread s;
    for (double v : scores) {
        if (std::isnan(v))
            continue;
        if (s.n == 0) {
            s.min = s.max = v;
        } else {
            s.min = std::min(s.min, v);
            s.max = std::max(s.max, v);
        }
        ++s.n;
        if (v <= harmThreshold)
            s.harmfulByAnyone = true;
        if (consensus)
            s.distanceFromConsensus = std::max(s.distanceFromConsensus, std::abs(v - *consensus));
    }
    s.range = s.max - s.min;
    return s;
}

bool queueLess(const QueueKey &a, const QueueKey &b)
{
    if (a.adjudicated != b.adjudicated)
        return !a.adjudicated;
    if (a.category != b.category)
        return a.category;
    if (a.category) {
        if (a.distinct != b.distinct)
            return a.distinct > b.distinct;
    } else {
        if (a.harmfulByAnyone != b.harmfulByAnyone)
            return a.harmfulByAnyone;
        if (a.range != b.range)
            return a.range > b.range;
        if (a.distance != b.distance)
            return a.distance > b.distance;
    }
    return std::tie(a.itemId, a.responseId) < std::tie(b.itemId, b.responseId);
}

std::vector<std::size_t> queueOrder(const std::vector<QueueKey> &keys)
{
    std::vector<std::size_t> order(keys.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
        [&](std::size_t a, std::size_t b) { return queueLess(keys[a], keys[b]); });
    return order;
}

namespace {

// Regularised lower incomplete gamma P(a, x) by its series (x < a + 1).
double gammaSeries(double a, double x)
{
    double sum = 1.0 / a;
    double term = sum;
    for (int n = 1; n < 1000; ++n) {
        term *= x / (a + n);
        sum += term;
        if (std::abs(term) < std::abs(sum) * 1e-15)
            break;
    }
    return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Regularised upper incomplete gamma Q(a, x) by Lentz's continued fraction (x >= a + 1).
double gammaContinuedFraction(double a, double x)
{
    constexpr double tiny = 1e-300;
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < 1000; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < 1e-15)
            break;
    }
    return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

} // namespace

double chiSquareSurvival(double x, double df)
{
    if (!(x > 0))
        return 1.0;
    const double a = df / 2.0;
    const double y = x / 2.0;
    return y < a + 1.0 ? 1.0 - gammaSeries(a, y) : gammaContinuedFraction(a, y);
}

KruskalWallis kruskalWallis(const std::vector<std::vector<double>> &groups)
{
    KruskalWallis result;
    struct Value {
        double v;
        std::size_t group;
    };
    std::vector<Value> all;
    int k = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        bool any = false;
        for (double v : groups[g]) {
            if (std::isnan(v))
                continue;
            all.push_back({ v, g });
            any = true;
        }
        k += any;
    }
    if (k < 2)
        return result;
    std::sort(all.begin(), all.end(), [](const Value &a, const Value &b) { return a.v < b.v; });
    const double n = double(all.size());
    std::vector<double> rankSum(groups.size(), 0.0);
    std::vector<int> count(groups.size(), 0);
    double ties = 0;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j].v == all[i].v)
            ++j;
        const double rank = (double(i) + double(j) + 1.0) / 2.0; // mid-rank of positions i+1..j
        const double t = double(j - i);
        ties += t * t * t - t;
        for (std::size_t m = i; m < j; ++m) {
            rankSum[all[m].group] += rank;
            ++count[all[m].group];
        }
        i = j;
    }
    const double correction = 1.0 - ties / (n * n * n - n);
    if (correction <= 0)
        return result;
    double sum = 0;
    for (std::size_t g = 0; g < groups.size(); ++g)
        if (count[g] > 0)
            sum += rankSum[g] * rankSum[g] / count[g];
    result.tested = true;
    result.h = (12.0 / (n * (n + 1.0)) * sum - 3.0 * (n + 1.0)) / correction;
    result.df = k - 1;
    result.p = chiSquareSurvival(result.h, result.df);
    return result;
}

PositionBias positionBias(
    const std::vector<std::vector<double>> &scoresByPosition, double alpha, int minPerPosition)
{
    PositionBias bias;
    std::vector<std::vector<double>> tested;
    for (const auto &scores : scoresByPosition) {
        double sum = 0;
        int n = 0;
        for (double v : scores) {
            if (std::isnan(v))
                continue;
            sum += v;
            ++n;
        }
        bias.nByPosition.push_back(n);
        bias.meanByPosition.push_back(n ? sum / n : std::numeric_limits<double>::quiet_NaN());
        if (n >= minPerPosition)
            tested.push_back(scores);
    }
    bias.test = kruskalWallis(tested);
    bias.flagged = bias.test.tested && bias.test.p < alpha;
    return bias;
}

} // namespace cr::analysis
