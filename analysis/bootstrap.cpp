#include "analysis/bootstrap.h"

#include "analysis/random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

namespace cr::analysis {

namespace {

double quantileType7(const std::vector<double> &sorted, double p)
{
    const double h = (double(sorted.size()) - 1.0) * p;
    const std::size_t lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

/// Percentile intervals from the replicates' values (values[i][k] = estimate k of replicate i).
void setIntervals(std::vector<BootstrapInterval> &res,
    const std::vector<std::vector<Estimate>> &values, const BootstrapOptions &options)
{
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
}

int threadCount(const BootstrapOptions &options)
{
    const int threads = options.threads > 0
        ? options.threads
        : int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, std::min(threads, options.replicates));
}

/// Runs work(first, step) on `threads` threads (first = 0 on the calling thread).
template<typename Work> void onThreads(int threads, const Work &work)
{
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back([&work, t, threads] { work(t, threads); });
    work(0, threads);
    for (std::thread &t : pool)
        t.join();
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
    onThreads(threadCount(options), [&](int first, int step) {
        std::vector<int> sample(static_cast<std::size_t>(units));
        for (int i = first; i < options.replicates; i += step) {
            Rng rng = Rng::stream(options.seed, std::uint64_t(i));
            for (int &s : sample)
                s = int(rng.below(std::uint64_t(units)));
            values[std::size_t(i)] = statistic(sample);
        }
    });
    setIntervals(res, values, options);
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

namespace {

/// Statistics of a SharedBootstrap with the same number of units, and their joint patterns.
struct Group {
    int units = 0;
    std::vector<int> members; // statistic indices
    std::vector<int> joint; // per unit, its joint pattern
    std::vector<std::uint16_t> joint16; // the same when joints <= 65536 (set before drawing)
    int joints = 0;
    std::vector<std::vector<int>> patternOfJoint; // per member, joint pattern -> its own pattern
};

/// Refines the group's joint patterns by the unit patterns of one more member.
void addMember(Group &g, int member, const TallyStatistic &s)
{
    std::vector<int> parent, own; // per new joint pattern: its former joint pattern, own pattern
    const auto refine = [&](auto &&idOf) {
        for (std::size_t u = 0; u < g.joint.size(); ++u) {
            const int p = s.patternOf[u];
            int &id = idOf(g.joint[u], p);
            if (id < 0) {
                id = int(parent.size());
                parent.push_back(g.joint[u]);
                own.push_back(p);
            }
            g.joint[u] = id;
        }
    };
    const std::uint64_t dense = std::uint64_t(g.joints) * std::uint64_t(std::max(s.patterns, 1));
    if (dense <= (std::uint64_t(1) << 22)) {
        std::vector<int> ids(std::size_t(dense), -1);
        refine([&](int j, int p) -> int & {
            return ids[std::size_t(j) * std::size_t(s.patterns) + std::size_t(p)];
        });
    } else {
        std::unordered_map<std::uint64_t, int> ids;
        refine([&](int j, int p) -> int & {
            return ids.try_emplace((std::uint64_t(std::uint32_t(j)) << 32) | std::uint32_t(p), -1)
                .first->second;
        });
    }
    for (std::vector<int> &map : g.patternOfJoint) {
        std::vector<int> refined(parent.size());
        for (std::size_t j = 0; j < parent.size(); ++j)
            refined[j] = map[std::size_t(parent[j])];
        map = std::move(refined);
    }
    g.patternOfJoint.push_back(std::move(own));
    g.members.push_back(member);
    g.joints = int(parent.size());
}

/// One replicate's tally of joint patterns: g.units draws of rng.below(units), each unit's
/// joint pattern counted. The counts are those of the plain loop (the same draws in the same
/// order); they are kept in four interleaved lanes summed at the end, so that consecutive
/// draws of the same pattern do not wait on each other's increment, and the unit -> pattern
/// map is read as 16-bit codes when the patterns fit (half the memory to fetch at random).
void drawJointTally(const Group &g, Rng &rng, std::vector<int> &jointTally, std::vector<int> &lanes)
{
    const std::size_t J = std::size_t(g.joints);
    lanes.assign(4 * J, 0);
    const std::uint64_t n = std::uint64_t(g.units);
    const auto count = [&](const auto *joint) {
        int *l0 = lanes.data(), *l1 = l0 + J, *l2 = l1 + J, *l3 = l2 + J;
        int d = 0;
        for (; d + 4 <= g.units; d += 4) {
            const std::size_t a = std::size_t(rng.below(n));
            const std::size_t b = std::size_t(rng.below(n));
            const std::size_t c = std::size_t(rng.below(n));
            const std::size_t e = std::size_t(rng.below(n));
            ++l0[joint[a]];
            ++l1[joint[b]];
            ++l2[joint[c]];
            ++l3[joint[e]];
        }
        for (; d < g.units; ++d)
            ++l0[joint[std::size_t(rng.below(n))]];
        jointTally.resize(J);
        for (std::size_t j = 0; j < J; ++j)
            jointTally[j] = l0[j] + l1[j] + l2[j] + l3[j];
    };
    if (!g.joint16.empty())
        count(g.joint16.data());
    else
        count(g.joint.data());
}

} // namespace

int SharedBootstrap::add(TallyStatistic statistic)
{
    m_statistics.push_back(std::move(statistic));
    return int(m_statistics.size()) - 1;
}

std::vector<std::vector<BootstrapInterval>> SharedBootstrap::run(
    const BootstrapOptions &options) const
{
    const std::size_t S = m_statistics.size();
    std::vector<std::vector<BootstrapInterval>> res(S);
    std::vector<Group> groups;
    for (std::size_t k = 0; k < S; ++k) {
        const TallyStatistic &s = m_statistics[k];
        const int units = int(s.patternOf.size());
        res[k].resize(std::size_t(std::max(s.outputs, 0)));
        std::vector<int> full(std::size_t(std::max(s.patterns, 0)), 0);
        for (const int p : s.patternOf)
            ++full[std::size_t(p)];
        const std::vector<Estimate> point = s.statistic(full);
        for (std::size_t o = 0; o < res[k].size(); ++o)
            res[k][o].point = point[o];
        if (units <= 0 || options.replicates <= 0) {
            for (BootstrapInterval &r : res[k])
                r.low = r.high = Estimate::undefined(
                    units <= 0 ? "no units to resample" : "no replicates requested");
            continue;
        }
        auto g = std::find_if(
            groups.begin(), groups.end(), [units](const Group &x) { return x.units == units; });
        if (g == groups.end()) {
            g = groups.insert(groups.end(), Group {});
            g->units = units;
            g->joint.assign(std::size_t(units), 0);
            g->joints = 1;
        }
        addMember(*g, int(k), s);
    }
    if (groups.empty())
        return res;
    for (Group &g : groups)
        if (g.joints <= 65536)
            g.joint16.assign(g.joint.cbegin(), g.joint.cend());

    // values[k][i]: the estimates of statistic k in replicate i.
    std::vector<std::vector<std::vector<Estimate>>> values(S);
    for (const Group &g : groups)
        for (const int k : g.members)
            values[std::size_t(k)].resize(std::size_t(options.replicates));
    onThreads(threadCount(options), [&](int first, int step) {
        std::vector<int> jointTally, tally, lanes;
        for (int i = first; i < options.replicates; i += step) {
            for (const Group &g : groups) {
                Rng rng = Rng::stream(options.seed, std::uint64_t(i));
                drawJointTally(g, rng, jointTally, lanes);
                for (std::size_t m = 0; m < g.members.size(); ++m) {
                    const TallyStatistic &s = m_statistics[std::size_t(g.members[m])];
                    const std::vector<int> &map = g.patternOfJoint[m];
                    tally.assign(std::size_t(s.patterns), 0);
                    for (std::size_t j = 0; j < jointTally.size(); ++j)
                        tally[std::size_t(map[j])] += jointTally[j];
                    values[std::size_t(g.members[m])][std::size_t(i)] = s.statistic(tally);
                }
            }
        }
    });
    for (const Group &g : groups)
        for (const int k : g.members)
            setIntervals(res[std::size_t(k)], values[std::size_t(k)], options);
    return res;
}

int addCohenKappas(SharedBootstrap &shared, const std::vector<int> &a, const std::vector<int> &b,
    int categories, const std::vector<Weighting> &weightings)
{
    const std::size_t K = std::size_t(std::max(categories, 0));
    TallyStatistic s;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (a[i] >= 0 && b[i] >= 0 && a[i] < categories && b[i] < categories)
            s.patternOf.push_back(int(std::size_t(a[i]) * K + std::size_t(b[i])));
    s.patterns = int(K * K);
    s.outputs = int(weightings.size());
    s.statistic = [categories, weightings](const std::vector<int> &tally) {
        const std::vector<double> table(tally.cbegin(), tally.cend());
        std::vector<Estimate> out;
        for (const Weighting w : weightings)
            out.push_back(cohenKappa(table, categories, w).kappa);
        return out;
    };
    return shared.add(std::move(s));
}

int addAlpha(SharedBootstrap &shared, const RatingTable &table, Metric metric)
{
    const auto data = std::make_shared<const AlphaData>(table, metric);
    TallyStatistic s;
    s.patternOf = data->unitPatterns();
    s.patterns = data->patterns();
    s.statistic = [data](const std::vector<int> &tally) {
        return std::vector<Estimate> { data->alphaForTally(tally) };
    };
    return shared.add(std::move(s));
}

int addCounts(SharedBootstrap &shared, const CountTable &counts,
    std::vector<std::function<Estimate(const CountTable &)>> statistics)
{
    // Distinct rows of the table, in first-seen order.
    const std::size_t K = std::size_t(std::max(counts.categories, 0));
    auto rows = std::make_shared<CountTable>(0, counts.categories);
    std::map<std::vector<double>, int> ids;
    TallyStatistic s;
    s.patternOf.reserve(std::size_t(counts.subjects));
    std::vector<double> row(K);
    for (int u = 0; u < counts.subjects; ++u) {
        std::copy_n(counts.counts.cbegin() + std::ptrdiff_t(std::size_t(u) * K), K, row.begin());
        const auto [it, inserted] = ids.try_emplace(row, rows->subjects);
        if (inserted) {
            rows->counts.insert(rows->counts.end(), row.cbegin(), row.cend());
            ++rows->subjects;
        }
        s.patternOf.push_back(it->second);
    }
    s.patterns = rows->subjects;
    s.outputs = int(statistics.size());
    s.statistic = [rows, statistics = std::move(statistics)](const std::vector<int> &tally) {
        CountTable t = *rows;
        t.weights.assign(tally.cbegin(), tally.cend());
        std::vector<Estimate> out;
        for (const auto &statistic : statistics)
            out.push_back(statistic(t));
        return out;
    };
    return shared.add(std::move(s));
}

BootstrapInterval bootstrapAlpha(
    const RatingTable &table, Metric metric, const BootstrapOptions &options)
{
    SharedBootstrap shared;
    addAlpha(shared, table, metric);
    return shared.run(options).front().front();
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
    SharedBootstrap shared;
    addCohenKappas(shared, a, b, categories, weightings);
    return shared.run(options).front();
}

std::vector<BootstrapInterval> bootstrapCounts(const CountTable &counts,
    const std::vector<std::function<Estimate(const CountTable &)>> &statistics,
    const BootstrapOptions &options)
{
    SharedBootstrap shared;
    addCounts(shared, counts, statistics);
    return shared.run(options).front();
}

} // namespace cr::analysis
