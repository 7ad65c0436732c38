// SharedBootstrap (one resample per replicate shared by every statistic over the same
// number of units, statistics read from pattern tallies) against a straightforward
// percentile bootstrap written here: each replicate draws the unit indices with
// Rng::stream(seed, i).below(n), builds the resampled data row by row and recomputes the
// statistic from scratch.

#include "analysis/bootstrap.h"
#include "analysis/calibration.h"
#include "analysis/kappa.h"
#include "analysis/krippendorff.h"
#include "analysis/random.h"

#include <QTest>
#include <algorithm>
#include <cmath>

using namespace cr::analysis;

namespace {

constexpr int kReplicates = 400;
constexpr std::uint64_t kSeed = 20261202;

double quantile7(const std::vector<double> &sorted, double p)
{
    const double h = (double(sorted.size()) - 1.0) * p;
    const std::size_t lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

struct Reference {
    double low = 0;
    double high = 0;
    int undefined = 0;
};

/// The textbook percentile bootstrap of `statistic` (over resampled unit index lists).
template<typename Statistic> Reference referenceBootstrap(int units, const Statistic &statistic)
{
    std::vector<double> values;
    int undefined = 0;
    for (int i = 0; i < kReplicates; ++i) {
        Rng rng = Rng::stream(kSeed, std::uint64_t(i));
        std::vector<int> sample(static_cast<std::size_t>(units));
        for (int &s : sample)
            s = int(rng.below(std::uint64_t(units)));
        const Estimate e = statistic(sample);
        if (e.defined)
            values.push_back(e.value);
        else
            ++undefined;
    }
    std::sort(values.begin(), values.end());
    return { quantile7(values, 0.025), quantile7(values, 0.975), undefined };
}

/// Codes of `raters` raters over `units` units, 0..K-1, correlated through a true value,
/// about 10% missing (-1) when `missing`.
std::vector<std::vector<int>> codes(int raters, int units, int K, bool missing, std::uint64_t seed)
{
    Rng rng(seed);
    std::vector<std::vector<int>> out(
        static_cast<std::size_t>(raters), std::vector<int>(static_cast<std::size_t>(units)));
    for (int u = 0; u < units; ++u) {
        const int truth = int(rng.below(std::uint64_t(K)));
        for (int r = 0; r < raters; ++r) {
            int c = truth;
            if (rng.below(3) == 0)
                c = int(rng.below(std::uint64_t(K)));
            if (missing && rng.below(10) == 0)
                c = -1;
            out[std::size_t(r)][std::size_t(u)] = c;
        }
    }
    return out;
}

BootstrapOptions options(int threads)
{
    BootstrapOptions o;
    o.replicates = kReplicates;
    o.seed = kSeed;
    o.threads = threads;
    return o;
}

void compareExactly(const BootstrapInterval &shared, const Reference &reference)
{
    QVERIFY(shared.low.defined && shared.high.defined);
    QCOMPARE(shared.low.value, reference.low);
    QCOMPARE(shared.high.value, reference.high);
    QCOMPARE(shared.undefinedReplicates, reference.undefined);
    QCOMPARE(shared.replicates, kReplicates);
}

void compareClosely(const BootstrapInterval &shared, const Reference &reference)
{
    QVERIFY(shared.low.defined && shared.high.defined);
    QVERIFY2(std::abs(shared.low.value - reference.low) < 1e-12,
        qPrintable(QString::number(shared.low.value - reference.low)));
    QVERIFY2(std::abs(shared.high.value - reference.high) < 1e-12,
        qPrintable(QString::number(shared.high.value - reference.high)));
    QCOMPARE(shared.undefinedReplicates, reference.undefined);
}

} // namespace

class TestSharedBootstrap final : public QObject {
    Q_OBJECT
private slots:
    /// Several statistics over the same units and one over other units, registered
    /// together: each interval is the straightforward bootstrap's, on 1 and 2 threads.
    void sameIntervalsAsReference()
    {
        const int K = 5, units = 300;
        const auto rows = codes(4, units, K, false, 11);
        const auto other = codes(2, 170, K, true, 12); // another group (other n)

        SharedBootstrap shared;
        std::vector<std::pair<int, int>> pairs;
        for (int a = 0; a < 4; ++a)
            for (int b = a + 1; b < 4; ++b) {
                pairs.emplace_back(a, b);
                addCohenKappas(shared, rows[std::size_t(a)], rows[std::size_t(b)], K,
                    { Weighting::Quadratic, Weighting::Linear });
            }
        RatingTable table(4, units);
        for (int r = 0; r < 4; ++r)
            for (int u = 0; u < units; ++u)
                table.at(r, u) = rows[std::size_t(r)][std::size_t(u)] + 1;
        const int ordinal = addAlpha(shared, table, Metric::Ordinal);
        const int interval = addAlpha(shared, table, Metric::Interval);
        RatingTable codeTable(4, units);
        for (int r = 0; r < 4; ++r)
            for (int u = 0; u < units; ++u)
                codeTable.at(r, u) = rows[std::size_t(r)][std::size_t(u)];
        const CountTable counts = CountTable::fromRatings(codeTable, K);
        const int fleiss = addCounts(shared, counts,
            { [](const CountTable &t) { return fleissKappa(t).coefficient; },
                [](const CountTable &t) { return gwetAC(t).coefficient; } });
        const int otherPair =
            addCohenKappas(shared, other[0], other[1], K, { Weighting::Unweighted });

        for (const int threads : { 1, 2 }) {
            const auto ci = shared.run(options(threads));
            QCOMPARE(int(ci.size()), shared.size());
            for (std::size_t p = 0; p < pairs.size(); ++p) {
                const std::vector<int> &x = rows[std::size_t(pairs[p].first)];
                const std::vector<int> &y = rows[std::size_t(pairs[p].second)];
                for (const auto &[k, w] :
                    { std::pair { 0, Weighting::Quadratic }, std::pair { 1, Weighting::Linear } }) {
                    const Reference ref = referenceBootstrap(units, [&](const std::vector<int> &s) {
                        std::vector<int> a, b;
                        for (const int u : s) {
                            a.push_back(x[std::size_t(u)]);
                            b.push_back(y[std::size_t(u)]);
                        }
                        return cohenKappa(a, b, K, w).kappa;
                    });
                    compareExactly(ci[p][std::size_t(k)], ref);
                    QCOMPARE(ci[p][std::size_t(k)].point.value, cohenKappa(x, y, K, w).kappa.value);
                }
            }
            for (const auto &[index, metric] : { std::pair { ordinal, Metric::Ordinal },
                     std::pair { interval, Metric::Interval } }) {
                const Reference ref = referenceBootstrap(units, [&](const std::vector<int> &s) {
                    RatingTable t(4, int(s.size()));
                    for (int r = 0; r < 4; ++r)
                        for (std::size_t j = 0; j < s.size(); ++j)
                            t.at(r, int(j)) = table.at(r, s[j]);
                    return krippendorffAlpha(t, metric).alpha;
                });
                compareClosely(ci[std::size_t(index)].front(), ref);
            }
            const auto countsOf = [&](const std::vector<int> &s) {
                CountTable t(int(s.size()), K);
                for (std::size_t j = 0; j < s.size(); ++j)
                    for (int k = 0; k < K; ++k)
                        t.at(int(j), k) = counts.at(s[j], k);
                return t;
            };
            compareClosely(ci[std::size_t(fleiss)][0],
                referenceBootstrap(units, [&](const std::vector<int> &s) {
                    return fleissKappa(countsOf(s)).coefficient;
                }));
            compareClosely(ci[std::size_t(fleiss)][1],
                referenceBootstrap(units,
                    [&](const std::vector<int> &s) { return gwetAC(countsOf(s)).coefficient; }));
            // The other group: its pairs with a missing code dropped first.
            std::vector<int> a, b;
            for (std::size_t u = 0; u < other[0].size(); ++u)
                if (other[0][u] >= 0 && other[1][u] >= 0) {
                    a.push_back(other[0][u]);
                    b.push_back(other[1][u]);
                }
            compareExactly(ci[std::size_t(otherPair)].front(),
                referenceBootstrap(int(a.size()), [&](const std::vector<int> &s) {
                    std::vector<int> x, y;
                    for (const int u : s) {
                        x.push_back(a[std::size_t(u)]);
                        y.push_back(b[std::size_t(u)]);
                    }
                    return cohenKappa(x, y, K).kappa;
                }));
        }
    }

    /// Judge calibration from pattern tallies against recomputing every pair's kappa on
    /// the resampled units.
    void calibrationAsReference()
    {
        const int K = 5, units = 250;
        CodeRows c;
        c.rows = codes(5, units, K, true, 21); // 4 clinicians, then the judge
        c.categories = K;
        const Calibration got = calibrate(c, Weighting::Quadratic, options(2));
        const auto meanKappa = [&](const std::vector<std::pair<int, int>> &pairs,
                                   const std::vector<int> &s) {
            double sum = 0;
            int defined = 0;
            for (const auto &[p, q] : pairs) {
                std::vector<int> a, b;
                for (const int u : s) {
                    const int x = c.rows[std::size_t(p)][std::size_t(u)];
                    const int y = c.rows[std::size_t(q)][std::size_t(u)];
                    if (x >= 0 && y >= 0) {
                        a.push_back(x);
                        b.push_back(y);
                    }
                }
                const Estimate k = cohenKappa(a, b, K, Weighting::Quadratic).kappa;
                if (k.defined) {
                    sum += k.value;
                    ++defined;
                }
            }
            return defined ? Estimate::of(sum / defined) : Estimate::undefined("none");
        };
        std::vector<std::pair<int, int>> judge, clinicians;
        for (int a = 0; a < 4; ++a) {
            judge.emplace_back(4, a);
            for (int b = a + 1; b < 4; ++b)
                clinicians.emplace_back(a, b);
        }
        compareExactly(got.judge, referenceBootstrap(units, [&](const std::vector<int> &s) {
            return meanKappa(judge, s);
        }));
        compareExactly(got.clinicians, referenceBootstrap(units, [&](const std::vector<int> &s) {
            return meanKappa(clinicians, s);
        }));
        compareExactly(got.difference, referenceBootstrap(units, [&](const std::vector<int> &s) {
            return Estimate::of(meanKappa(judge, s).value - meanKappa(clinicians, s).value);
        }));
        std::vector<int> every(static_cast<std::size_t>(units));
        for (int u = 0; u < units; ++u)
            every[std::size_t(u)] = u;
        QCOMPARE(got.judge.point.value, meanKappa(judge, every).value);
    }

    /// The shared path gives what each statistic's own bootstrap gives.
    void sharedEqualsSeparate()
    {
        const auto rows = codes(3, 200, 4, true, 31);
        SharedBootstrap shared;
        addCohenKappas(shared, rows[0], rows[1], 4, { Weighting::Unweighted });
        addCohenKappas(shared, rows[0], rows[2], 4, { Weighting::Unweighted });
        const auto together = shared.run(options(2));
        const BootstrapInterval first =
            bootstrapCohenKappa(rows[0], rows[1], 4, Weighting::Unweighted, options(1));
        const BootstrapInterval second =
            bootstrapCohenKappa(rows[0], rows[2], 4, Weighting::Unweighted, options(1));
        QCOMPARE(together[0][0].low.value, first.low.value);
        QCOMPARE(together[0][0].high.value, first.high.value);
        QCOMPARE(together[1][0].low.value, second.low.value);
        QCOMPARE(together[1][0].high.value, second.high.value);
    }

    void noUnitsOrReplicates()
    {
        SharedBootstrap shared;
        addCohenKappas(shared, {}, {}, 3, { Weighting::Unweighted });
        const auto none = shared.run(options(1));
        QVERIFY(!none[0][0].low.defined);
        QCOMPARE(
            QString::fromStdString(none[0][0].low.note), QStringLiteral("no units to resample"));
        SharedBootstrap off;
        addCohenKappas(off, { 0, 1, 2 }, { 0, 1, 1 }, 3, { Weighting::Unweighted });
        BootstrapOptions zero = options(1);
        zero.replicates = 0;
        const auto point = off.run(zero);
        QVERIFY(point[0][0].point.defined);
        QVERIFY(!point[0][0].low.defined);
    }
};

QTEST_GUILESS_MAIN(TestSharedBootstrap)
#include "tst_sharedbootstrap.moc"
