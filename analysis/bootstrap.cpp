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

std::vector<BootstrapInterval> bootstrapPercentiles(int units, int statistics,
    const std::function<std::vector<Estimate>(const std::vector<int> &)> &statistic,
    const BootstrapOptions &options)
{
    std::vector<BootstrapInterval> res(std::size_t(std::max(statistics, 0)));
    std::vector<int> every(static_cast<std::size_t>(std::max(units, 0)));
    for (int u = 0; u < units; ++u)
        every[std::size_t(u)] = u;
    const std::vector<Estimate> point = statistic(every);
    for (std::size_t k = 0; k < res.size(); ++k)
        res[k].point = point[k];
    if (units <= 0 || options.replicates <= 0) {
        for (BootstrapInterval &r : res)
            r.low = r.high = Estimate::undefined(
                units <= 0 ? "no units to resample" : "no replicates requested");
        return res;
    }
    std::vector<std::vector<Estimate>> values(std::size_t(options.replicates));
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

    const double tail = (1.0 - options.confidence) / 2.0;
    for (std::size_t k = 0; k < res.size(); ++k) {
        BootstrapInterval &r = res[k];
        r.replicates = options.replicates;
        std::vector<double> defined;
        defined.reserve(values.size());
        for (const std::vector<Estimate> &v : values)
            if (v[k].defined)
                defined.push_back(v[k].value);
        r.undefinedReplicates = options.replicates - int(defined.size());
        if (defined.empty()) {
            r.low = r.high = Estimate::undefined("the statistic is undefined in every replicate");
            continue;
        }
        std::sort(defined.begin(), defined.end());
        r.low = Estimate::of(quantileType7(defined, tail));
        r.high = Estimate::of(quantileType7(defined, 1.0 - tail));
    }
    return res;
}

BootstrapInterval bootstrapPercentile(int units,
    const std::function<Estimate(const std::vector<int> &)> &statistic,
    const BootstrapOptions &options)
{
    return bootstrapPercentiles(
        units, 1,
        [&statistic](
            const std::vector<int> &sample) { return std::vector<Estimate> { statistic(sample) }; },
        options)
        .front();
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
    return bootstrapCohenKappas(a, b, categories, { weighting }, options).front();
}

std::vector<BootstrapInterval> bootstrapCohenKappas(const std::vector<int> &a,
    const std::vector<int> &b, int categories, const std::vector<Weighting> &weightings,
    const BootstrapOptions &options)
{
    const std::size_t K = std::size_t(std::max(categories, 0));
    std::vector<int> cells; // the pair's cell in the K x K table
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (a[i] >= 0 && b[i] >= 0 && a[i] < categories && b[i] < categories)
            cells.push_back(int(std::size_t(a[i]) * K + std::size_t(b[i])));
    const auto table = [&](const std::vector<int> &units) {
        std::vector<double> t(K * K, 0.0);
        for (int u : units)
            t[std::size_t(cells[std::size_t(u)])] += 1.0;
        return t;
    };
    return bootstrapPercentiles(
        int(cells.size()), int(weightings.size()),
        [&](const std::vector<int> &units) {
            const std::vector<double> t = table(units);
            std::vector<Estimate> out;
            for (const Weighting w : weightings)
                out.push_back(cohenKappa(t, categories, w).kappa);
            return out;
        },
        options);
}

std::vector<BootstrapInterval> bootstrapCounts(const CountTable &counts,
    const std::vector<std::function<Estimate(const CountTable &)>> &statistics,
    const BootstrapOptions &options)
{
    const std::size_t K = std::size_t(std::max(counts.categories, 0));
    return bootstrapPercentiles(
        counts.subjects, int(statistics.size()),
        [&](const std::vector<int> &units) {
            CountTable t(int(units.size()), counts.categories);
            for (std::size_t s = 0; s < units.size(); ++s)
                std::copy_n(counts.counts.cbegin() + std::ptrdiff_t(std::size_t(units[s]) * K), K,
                    t.counts.begin() + std::ptrdiff_t(s * K));
            std::vector<Estimate> out;
            for (const auto &statistic : statistics)
                out.push_back(statistic(t));
            return out;
        },
        options);
}

} // namespace cr::analysis
