// Ordinal Krippendorff's alpha on 200,000 units x 5 raters (values 1-5, 10% missing):
// the library's coincidence-matrix implementation next to a straightforward
// per-unit pair loop. Run: bench_alpha --benchmark_min_time=1
// BENCH_UNITS=2000000 bench_alpha: the same at 10x (2,000,000 units, 10 M ratings).
#include "analysis/bootstrap.h"
#include "analysis/krippendorff.h"
#include "analysis/random.h"

#include <benchmark/benchmark.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

using namespace cr::analysis;

namespace {

constexpr int kRaters = 5;

/// Units in the table: 200,000 (1 M ratings), or $BENCH_UNITS.
int units()
{
    const char *env = std::getenv("BENCH_UNITS");
    const long n = env ? std::strtol(env, nullptr, 10) : 0;
    return n > 0 ? int(n) : 200'000;
}

const RatingTable &table()
{
    static const RatingTable t = [] {
        RatingTable r(kRaters, units());
        Rng rng(12345);
        for (double &v : r.values)
            v = rng.uniform() < 0.1 ? kMissing : double(1 + rng.below(5));
        return r;
    }();
    return t;
}

// The obvious implementation: per unit, every ordered pair of present ratings
// adds 1/(m_u - 1) to the coincidence matrix; values indexed through a std::map.
double naiveOrdinalAlpha(const RatingTable &t)
{
    std::map<double, int> index;
    for (double v : t.values)
        if (!std::isnan(v))
            index.emplace(v, 0);
    int next = 0;
    for (auto &entry : index)
        entry.second = next++;
    const std::size_t V = index.size();
    std::vector<std::vector<double>> o(V, std::vector<double>(V, 0.0));
    for (int u = 0; u < t.units; ++u) {
        std::vector<double> present;
        for (int r = 0; r < t.raters; ++r)
            if (!std::isnan(t.at(r, u)))
                present.push_back(t.at(r, u));
        const std::size_t m = present.size();
        if (m < 2)
            continue;
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < m; ++j)
                if (i != j)
                    o[std::size_t(index[present[i]])][std::size_t(index[present[j]])] +=
                        1.0 / double(m - 1);
    }
    std::vector<double> n(V, 0.0);
    double total = 0;
    for (std::size_t c = 0; c < V; ++c)
        for (std::size_t k = 0; k < V; ++k) {
            n[c] += o[c][k];
            total += o[c][k];
        }
    double dObs = 0, dExp = 0;
    for (std::size_t c = 0; c < V; ++c)
        for (std::size_t k = 0; k < V; ++k) {
            double s = 0;
            for (std::size_t g = std::min(c, k); g <= std::max(c, k); ++g)
                s += n[g];
            const double d = (s - (n[c] + n[k]) / 2) * (s - (n[c] + n[k]) / 2);
            dObs += o[c][k] * d;
            dExp += n[c] * n[k] * d;
        }
    return 1.0 - (total - 1) * dObs / dExp;
}

void BM_AlphaOrdinal(benchmark::State &state)
{
    const RatingTable &t = table();
    for (auto _ : state) {
        const AlphaResult r = krippendorffAlpha(t, Metric::Ordinal);
        benchmark::DoNotOptimize(r.alpha.value);
    }
    state.counters["ratings"] = double(t.values.size());
}
BENCHMARK(BM_AlphaOrdinal)->Unit(benchmark::kMillisecond);

void BM_AlphaOrdinalNaive(benchmark::State &state)
{
    const RatingTable &t = table();
    for (auto _ : state)
        benchmark::DoNotOptimize(naiveOrdinalAlpha(t));
}
BENCHMARK(BM_AlphaOrdinalNaive)->Unit(benchmark::kMillisecond);

// 100 bootstrap replicates of ordinal alpha, thread count as argument.
void BM_AlphaOrdinalBootstrap100(benchmark::State &state)
{
    const RatingTable &t = table();
    BootstrapOptions opt;
    opt.replicates = 100;
    opt.threads = int(state.range(0));
    for (auto _ : state) {
        const BootstrapInterval r = bootstrapAlpha(t, Metric::Ordinal, opt);
        benchmark::DoNotOptimize(r.low.value);
    }
}
BENCHMARK(BM_AlphaOrdinalBootstrap100)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace

int main(int argc, char **argv)
{
    const double fast = krippendorffAlpha(table(), Metric::Ordinal).alpha.value;
    const double naive = naiveOrdinalAlpha(table());
    std::printf("ordinal alpha: library %.12f, naive %.12f\n", fast, naive);
    if (std::fabs(fast - naive) > 1e-9) {
        std::fprintf(stderr, "implementations disagree\n");
        return EXIT_FAILURE;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return EXIT_SUCCESS;
}
