#include "analysis/bootstrap.h"

#include "analysis/random.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace cr::analysis {

namespace {

double quantileType7(const std::vector<double> &sorted, double p)
{
    const double h = (double(sorted.size()) - 1.0) * p;
    const std::size_t lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

} // namespace

BootstrapInterval bootstrapPercentile(int units,
    const std::function<Estimate(const std::vector<int> &)> &statistic,
    const BootstrapOptions &options)
{
    BootstrapInterval res;
    std::vector<int> every(static_cast<std::size_t>(std::max(units, 0)));
    for (int u = 0; u < units; ++u)
        every[std::size_t(u)] = u;
    res.point = statistic(every);
    if (units <= 0 || options.replicates <= 0) {
        res.low = res.high =
            Estimate::undefined(units <= 0 ? "no units to resample" : "no replicates requested");
        return res;
    }
    res.replicates = options.replicates;
    std::vector<Estimate> values(std::size_t(options.replicates));
    int threads = options.threads > 0 ? options.threads
                                      : int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::min(threads, options.replicates);
    const auto work = [&](int first) {
        std::vector<int> sample(static_cast<std::size_t>(units));
        for (int i = first; i < options.replicates; i += threads) {
            Rng rng = Rng::stream(options.seed, std::uint64_t(i));
            for (int &s : sample)
                s = int(rng.below(std::uint64_t(units)));
            values[std::size_t(i)] = statistic(sample);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (std::thread &t : pool)
        t.join();

    std::vector<double> defined;
    defined.reserve(values.size());
    for (const Estimate &e : values)
        if (e.defined)
            defined.push_back(e.value);
    res.undefinedReplicates = options.replicates - int(defined.size());
    if (defined.empty()) {
        res.low = res.high = Estimate::undefined("the statistic is undefined in every replicate");
        return res;
    }
    std::sort(defined.begin(), defined.end());
    const double tail = (1.0 - options.confidence) / 2.0;
    res.low = Estimate::of(quantileType7(defined, tail));
    res.high = Estimate::of(quantileType7(defined, 1.0 - tail));
    return res;
}

BootstrapInterval bootstrapAlpha(
    const RatingTable &table, Metric metric, const BootstrapOptions &options)
{
    const AlphaData data(table, metric);
    return bootstrapPercentile(
        data.units(), [&data](const std::vector<int> &units) { return data.alphaFor(units); },
        options);
}

BootstrapInterval bootstrapCohenKappa(const std::vector<int> &a, const std::vector<int> &b,
    int categories, Weighting weighting, const BootstrapOptions &options)
{
    std::vector<int> ra, rb;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (a[i] >= 0 && b[i] >= 0 && a[i] < categories && b[i] < categories) {
            ra.push_back(a[i]);
            rb.push_back(b[i]);
        }
    const std::size_t K = std::size_t(std::max(categories, 0));
    return bootstrapPercentile(
        int(ra.size()),
        [&](const std::vector<int> &units) {
            std::vector<double> table(K * K, 0.0);
            for (int u : units)
                table[std::size_t(ra[std::size_t(u)]) * K + std::size_t(rb[std::size_t(u)])] += 1.0;
            return cohenKappa(table, categories, weighting).kappa;
        },
        options);
}

} // namespace cr::analysis
