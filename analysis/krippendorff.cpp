#include "analysis/krippendorff.h"

#include <algorithm>
#include <cstdint>
#include <map>

namespace cr::analysis {

namespace {

// Maps observed values to 0..V-1 in ascending order. Small integer ranges use a
// lookup table (no sort); anything else falls back to sort + binary search.
class ValueIndex {
public:
    explicit ValueIndex(const RatingTable &table)
    {
        constexpr double kMaxDenseRange = 1 << 20;
        double lo = 0, hi = 0;
        bool any = false, integral = true;
        for (double v : table.values) {
            if (isMissing(v))
                continue;
            if (!any) {
                lo = hi = v;
                any = true;
            }
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            integral = integral && v == std::floor(v);
        }
        if (!any)
            return;
        if (integral && hi - lo < kMaxDenseRange) {
            m_dense = true;
            m_min = lo;
            m_lut.assign(std::size_t(hi - lo) + 1, -1);
            for (double v : table.values)
                if (!isMissing(v))
                    m_lut[std::size_t(v - lo)] = 0;
            int next = 0;
            for (std::size_t i = 0; i < m_lut.size(); ++i)
                if (m_lut[i] == 0) {
                    m_lut[i] = next++;
                    m_values.push_back(lo + double(i));
                }
            return;
        }
        for (double v : table.values)
            if (!isMissing(v))
                m_values.push_back(v);
        std::sort(m_values.begin(), m_values.end());
        m_values.erase(std::unique(m_values.begin(), m_values.end()), m_values.end());
    }

    int index(double v) const
    {
        if (m_dense)
            return m_lut[std::size_t(v - m_min)];
        return int(std::lower_bound(m_values.begin(), m_values.end(), v) - m_values.begin());
    }
    const std::vector<double> &values() const { return m_values; }

private:
    bool m_dense = false;
    double m_min = 0;
    std::vector<int> m_lut;
    std::vector<double> m_values;
};

// Groups units by their multiset of values ("pattern"): units with the same
// counts contribute the same coincidences, so a pass over the data only tallies
// patterns and each distinct pattern is expanded once. For small integer scales
// the pattern is a mixed-radix code (no hashing); otherwise a map keyed by the
// sorted (value, count) pairs. unitPattern[u] = -1 for units with < 2 ratings.
struct Patterns {
    std::vector<int> unitPattern;
    std::vector<std::vector<std::pair<int, int>>> counts; // per pattern: (value index, count)
};

Patterns groupUnits(const RatingTable &table, const ValueIndex &index)
{
    Patterns p;
    p.unitPattern.assign(std::size_t(table.units), -1);
    const std::size_t V = index.values().size();
    const std::size_t stride = std::size_t(table.units);
    const std::uint64_t radix = std::uint64_t(table.raters) + 1;
    constexpr std::uint64_t kMaxCodes = 1 << 18;
    std::uint64_t codes = 1;
    bool useCodes = true;
    for (std::size_t i = 0; i < V && useCodes; ++i) {
        codes *= radix;
        useCodes = codes <= kMaxCodes;
    }

    std::vector<int> count(V, 0);
    std::vector<int> present;
    const auto patternOf = [&](int u, int &m) {
        m = 0;
        const double *x = table.values.data() + u;
        for (int r = 0; r < table.raters; ++r, x += stride) {
            if (isMissing(*x))
                continue;
            const int i = index.index(*x);
            if (count[std::size_t(i)]++ == 0)
                present.push_back(i);
            ++m;
        }
        std::sort(present.begin(), present.end());
        std::vector<std::pair<int, int>> key;
        key.reserve(present.size());
        for (int i : present) {
            key.emplace_back(i, count[std::size_t(i)]);
            count[std::size_t(i)] = 0;
        }
        present.clear();
        return key;
    };

    if (useCodes) {
        std::vector<std::uint32_t> power(V, 1);
        for (std::size_t i = 1; i < V; ++i)
            power[i] = power[i - 1] * std::uint32_t(radix);
        std::vector<int> idOfCode(std::size_t(codes), -1);
        for (int u = 0; u < table.units; ++u) {
            std::uint32_t code = 0;
            int m = 0;
            const double *x = table.values.data() + u;
            for (int r = 0; r < table.raters; ++r, x += stride) {
                if (isMissing(*x))
                    continue;
                code += power[std::size_t(index.index(*x))];
                ++m;
            }
            if (m < 2)
                continue;
            int &id = idOfCode[code];
            if (id < 0) {
                id = int(p.counts.size());
                int dummy = 0;
                p.counts.push_back(patternOf(u, dummy));
            }
            p.unitPattern[std::size_t(u)] = id;
        }
        return p;
    }

    std::map<std::vector<std::pair<int, int>>, int> ids;
    for (int u = 0; u < table.units; ++u) {
        int m = 0;
        auto key = patternOf(u, m);
        if (m < 2)
            continue;
        auto [it, inserted] = ids.emplace(std::move(key), int(p.counts.size()));
        if (inserted)
            p.counts.push_back(it->first);
        p.unitPattern[std::size_t(u)] = it->second;
    }
    return p;
}

AlphaResult finishAlpha(
    Metric metric, std::vector<double> values, std::vector<double> o, int pairableUnits)
{
    AlphaResult res;
    const std::size_t V = values.size();
    res.values = std::move(values);
    res.coincidence = std::move(o);
    res.pairableUnits = pairableUnits;
    res.margins.assign(V, 0.0);
    for (std::size_t c = 0; c < V; ++c)
        for (std::size_t k = 0; k < V; ++k)
            res.margins[c] += res.coincidence[c * V + k];
    double n = 0;
    for (double m : res.margins)
        n += m;
    res.pairable = n;
    if (pairableUnits == 0 || n < 2) {
        res.alpha = Estimate::undefined("no pairable unit: every unit has fewer than two ratings");
        return res;
    }

    std::vector<double> prefix(V + 1, 0.0);
    for (std::size_t i = 0; i < V; ++i)
        prefix[i + 1] = prefix[i] + res.margins[i];
    const auto delta = [&](std::size_t c, std::size_t k) -> double {
        if (c == k)
            return 0.0;
        const double vc = res.values[c], vk = res.values[k];
        switch (metric) {
        case Metric::Nominal:
            return 1.0;
        case Metric::Ordinal: {
            const std::size_t lo = std::min(c, k), hi = std::max(c, k);
            const double d = prefix[hi + 1] - prefix[lo] - (res.margins[c] + res.margins[k]) / 2.0;
            return d * d;
        }
        case Metric::Interval:
            return (vc - vk) * (vc - vk);
        case Metric::Ratio: {
            const double s = vc + vk;
            return s == 0.0 ? 0.0 : ((vc - vk) / s) * ((vc - vk) / s);
        }
        }
        return 0.0;
    };

    double sumObserved = 0, sumExpected = 0;
    for (std::size_t c = 0; c < V; ++c)
        for (std::size_t k = 0; k < V; ++k) {
            if (c == k)
                continue;
            const double d = delta(c, k);
            sumObserved += res.coincidence[c * V + k] * d;
            sumExpected += res.margins[c] * res.margins[k] * d;
        }
    res.observed = sumObserved / n;
    res.expected = sumExpected / (n * (n - 1));
    if (sumExpected <= 0.0) {
        res.alpha = Estimate::undefined(
            "only one value occurs among pairable ratings: expected disagreement is zero");
        return res;
    }
    res.alpha = Estimate::of(1.0 - (n - 1) * sumObserved / sumExpected);
    return res;
}

} // namespace

AlphaResult krippendorffAlpha(const RatingTable &table, Metric metric)
{
    return AlphaData(table, metric).all();
}

AlphaData::AlphaData(const RatingTable &table, Metric metric)
    : m_metric(metric)
    , m_units(table.units)
{
    const ValueIndex index(table);
    m_values = index.values();
    Patterns patterns = groupUnits(table, index);
    m_unitPattern = std::move(patterns.unitPattern);
    m_offsets.reserve(patterns.counts.size() + 1);
    m_offsets.push_back(0);
    for (const auto &counts : patterns.counts) {
        int m = 0;
        for (const auto &[value, n] : counts)
            m += n;
        const double scale = 1.0 / double(m - 1);
        for (const auto &[a, na] : counts)
            for (const auto &[b, nb] : counts) {
                const int pairs = na * (nb - (a == b ? 1 : 0));
                if (pairs > 0)
                    m_entries.push_back({ a, b, double(pairs) * scale });
            }
        m_offsets.push_back(int(m_entries.size()));
    }
}

AlphaResult AlphaData::finish(std::vector<double> coincidence, int pairableUnits) const
{
    return finishAlpha(m_metric, m_values, std::move(coincidence), pairableUnits);
}

std::pair<std::vector<double>, int> AlphaData::accumulate(const std::vector<int> &unitIndices) const
{
    std::vector<int> tally(m_offsets.size() - 1, 0);
    int pairableUnits = 0;
    for (int u : unitIndices) {
        const int p = m_unitPattern[std::size_t(u)];
        if (p >= 0) {
            ++tally[std::size_t(p)];
            ++pairableUnits;
        }
    }
    return { coincidences(tally), pairableUnits };
}

std::vector<double> AlphaData::coincidences(const std::vector<int> &tally) const
{
    const std::size_t V = m_values.size();
    std::vector<double> o(V * V, 0.0);
    for (std::size_t p = 0; p + 1 < m_offsets.size(); ++p) {
        if (tally[p] == 0)
            continue;
        for (int e = m_offsets[p]; e < m_offsets[p + 1]; ++e) {
            const Entry &entry = m_entries[std::size_t(e)];
            o[std::size_t(entry.a) * V + std::size_t(entry.b)] += double(tally[p]) * entry.weight;
        }
    }
    return o;
}

std::vector<int> AlphaData::unitPatterns() const
{
    std::vector<int> out = m_unitPattern;
    const int notPairable = patterns() - 1;
    for (int &p : out)
        if (p < 0)
            p = notPairable;
    return out;
}

Estimate AlphaData::alphaForTally(const std::vector<int> &tally) const
{
    int pairableUnits = 0;
    for (std::size_t p = 0; p + 1 < m_offsets.size(); ++p)
        pairableUnits += tally[p];
    return finish(coincidences(tally), pairableUnits).alpha;
}

Estimate AlphaData::alphaFor(const std::vector<int> &unitIndices) const
{
    auto [o, pairableUnits] = accumulate(unitIndices);
    return finish(std::move(o), pairableUnits).alpha;
}

AlphaResult AlphaData::all() const
{
    std::vector<int> every(static_cast<std::size_t>(m_units));
    for (int u = 0; u < m_units; ++u)
        every[std::size_t(u)] = u;
    auto [o, pairableUnits] = accumulate(every);
    return finish(std::move(o), pairableUnits);
}

} // namespace cr::analysis
