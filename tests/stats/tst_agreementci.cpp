// Issue 21: the seeded bootstrap intervals on every agreement figure and the judge
// calibration ("as good as a second clinician?", bias checks), each checked to 1e-9
// against a percentile bootstrap written out here: the same resamples (replicate i draws
// unit indices with analysis::Rng::stream(seed, i)), the statistics computed here from
// the fixture rows, quantiles by linear interpolation (R type 7).
#include "analysis/planning.h"
#include "analysis/random.h"
#include "jsonlstudy.h"
#include "stats/calibration.h"
#include "stats/planning.h"
#include "stats/stats.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

using namespace cr;

namespace {

constexpr int kReplicates = 200;
constexpr quint64 kSeed = 17;

// Krippendorff (2011), 4 raters x 12 units; 0 = missing (as in tst_statsengine).
const int kMatrix[4][12] = {
    { 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
    { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
    { 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
    { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
};

// Calibration study: 10 items x 2 models (gpt-4o first, claude-3 second) = 20 responses,
// three clinicians and the LLM "gpt-judge" score them; the clinicians and the LLM
// "cls" label the items (item categories: two clinicians always agree).
constexpr int kItems = 10;
const int kItemCategory[kItems] = { 0, 0, 1, 2, 0, 1, 2, 2, 0, 1 };
const int kThirdLabel[kItems] = { 0, 1, 1, 2, 2, 1, 0, 2, 0, 1 }; // clinician 3
const int kClsLabel[kItems] = { 0, 0, 1, 1, 0, 2, 2, 2, 1, 1 };
const int kScores[4][20] = {
    { 1, 4, 2, 5, 3, 3, 4, 2, 5, 1, 2, 4, 3, 5, 1, 2, 4, 4, 3, 2 }, // clinician 1
    { 2, 4, 2, 4, 3, 2, 4, 3, 5, 1, 1, 4, 3, 4, 2, 2, 5, 4, 3, 3 }, // clinician 2
    { 1, 5, 3, 5, 2, 3, 3, 2, 4, 2, 2, 5, 4, 5, 1, 1, 4, 3, 2, 2 }, // clinician 3
    { 2, 5, 3, 4, 3, 3, 5, 3, 5, 2, 2, 5, 4, 4, 2, 3, 5, 4, 4, 3 }, // gpt-judge
};

double quantile7(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const double h = (double(v.size()) - 1) * p;
    const auto lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - double(lo)) * (v[hi] - v[lo]);
}

using Statistic = std::function<std::optional<double>(const std::vector<int> &)>;

/// The percentile bootstrap of `statistic` over `units` units, written out.
std::optional<std::pair<double, double>> bootstrap(int units, const Statistic &statistic)
{
    std::vector<double> values;
    for (int i = 0; i < kReplicates; ++i) {
        analysis::Rng rng = analysis::Rng::stream(kSeed, std::uint64_t(i));
        std::vector<int> sample(static_cast<std::size_t>(units));
        for (int &s : sample)
            s = int(rng.below(std::uint64_t(units)));
        if (const auto v = statistic(sample))
            values.push_back(*v);
    }
    if (values.empty())
        return std::nullopt;
    return std::pair(quantile7(values, 0.025), quantile7(values, 0.975));
}

/// Cohen's kappa with weights w(i, j) = 1 - |i-j|^power / (K-1)^power (power 0 = unweighted).
std::optional<double> kappa(const std::vector<std::pair<int, int>> &pairs, int K, int power)
{
    if (pairs.empty())
        return std::nullopt;
    auto w = [&](int i, int j) {
        if (power == 0)
            return i == j ? 1.0 : 0.0;
        return 1.0 - std::pow(std::abs(i - j), power) / std::pow(K - 1, power);
    };
    std::vector<double> rows(std::size_t(K), 0.0), cols(std::size_t(K), 0.0);
    double po = 0;
    const double n = double(pairs.size());
    for (const auto &[a, b] : pairs) {
        po += w(a, b) / n;
        rows[std::size_t(a)] += 1 / n;
        cols[std::size_t(b)] += 1 / n;
    }
    double pe = 0;
    for (int i = 0; i < K; ++i)
        for (int j = 0; j < K; ++j)
            pe += w(i, j) * rows[std::size_t(i)] * cols[std::size_t(j)];
    if (std::abs(1 - pe) < 1e-15)
        return std::nullopt;
    return (po - pe) / (1 - pe);
}

/// Codes per unit of several raters (-1 missing).
using Units = std::vector<std::vector<int>>; // units[u][rater]

/// Fleiss' kappa (Gwet's missing-tolerant form), Gwet's AC1 (K declared categories) and
/// percent agreement over the given units.
struct Multi {
    std::optional<double> fleiss, ac1, agreement;
};
Multi multiRater(const Units &units, const std::vector<int> &sample, int K)
{
    std::vector<double> pi(std::size_t(K), 0.0);
    double pa = 0;
    int pairable = 0, rated = 0;
    for (const int u : sample) {
        std::vector<int> counts(std::size_t(K), 0);
        int n = 0;
        for (const int c : units[std::size_t(u)])
            if (c >= 0) {
                ++counts[std::size_t(c)];
                ++n;
            }
        if (n >= 1) {
            ++rated;
            for (int k = 0; k < K; ++k)
                pi[std::size_t(k)] += double(counts[std::size_t(k)]) / n;
        }
        if (n >= 2) {
            ++pairable;
            for (int k = 0; k < K; ++k)
                pa +=
                    double(counts[std::size_t(k)]) * (counts[std::size_t(k)] - 1) / (n * (n - 1.0));
        }
    }
    Multi out;
    if (pairable == 0)
        return out;
    pa /= pairable;
    double fe = 0, spread = 0;
    for (double &p : pi) {
        p /= rated;
        fe += p * p;
        spread += p * (1 - p);
    }
    const double ge = spread / (K - 1);
    if (std::abs(1 - fe) > 1e-15)
        out.fleiss = (pa - fe) / (1 - fe);
    out.ac1 = (pa - ge) / (1 - ge);
    out.agreement = pa;
    return out;
}

/// Krippendorff's alpha, interval metric, from the definition (pairable units only).
std::optional<double> alphaInterval(
    const std::vector<std::vector<double>> &units, const std::vector<int> &sample)
{
    double within = 0, n = 0;
    std::vector<double> all;
    for (const int u : sample) {
        std::vector<double> v;
        for (const double x : units[std::size_t(u)])
            if (!std::isnan(x))
                v.push_back(x);
        if (v.size() < 2)
            continue;
        for (std::size_t i = 0; i < v.size(); ++i)
            for (std::size_t j = 0; j < v.size(); ++j)
                if (i != j)
                    within += (v[i] - v[j]) * (v[i] - v[j]) / double(v.size() - 1);
        n += double(v.size());
        all.insert(all.end(), v.begin(), v.end());
    }
    double between = 0;
    for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t j = 0; j < all.size(); ++j)
            if (i != j)
                between += (all[i] - all[j]) * (all[i] - all[j]);
    if (n == 0 || between == 0)
        return std::nullopt;
    return 1 - (n - 1) * within / between;
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

#define QVERIFY_BOUNDS(actual, expected)                                                           \
    do {                                                                                           \
        const stats::BoundsValue &b_ = (actual);                                                   \
        const auto e_ = (expected);                                                                \
        QVERIFY2(b_.defined(), qPrintable(b_.reason));                                             \
        QVERIFY(e_.has_value());                                                                   \
        QVERIFY2(near(b_.value->low, e_->first) && near(b_.value->high, e_->second),               \
            qPrintable(QStringLiteral("[%1, %2] != [%3, %4]")                                      \
                           .arg(b_.value->low, 0, 'g', 17)                                         \
                           .arg(b_.value->high, 0, 'g', 17)                                        \
                           .arg(e_->first, 0, 'g', 17)                                             \
                           .arg(e_->second, 0, 'g', 17)));                                         \
    } while (false)

#define QVERIFY_VALUE(actual, expected)                                                            \
    do {                                                                                           \
        const stats::Value &v_ = (actual);                                                         \
        const std::optional<double> e_ = (expected);                                               \
        QVERIFY2(v_.defined(), qPrintable(v_.reason));                                             \
        QVERIFY(e_.has_value());                                                                   \
        QVERIFY2(near(*v_.value, *e_),                                                             \
            qPrintable(                                                                            \
                QStringLiteral("%1 != %2").arg(*v_.value, 0, 'g', 17).arg(*e_, 0, 'g', 17)));      \
    } while (false)

} // namespace

class TestAgreementCi final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QStringList m_categories;

    std::unique_ptr<storage::Study> study(
        const QString &name, const QStringList &items, const QStringList &ratings)
    {
        return test::jsonlStudy(QDir(m_dir.path()), name, items, ratings);
    }

    static QString label(
        const QString &rater, int item, const QString &category, const char *kind = "human")
    {
        return QStringLiteral(
            R"({"rater": "%1", "rater_kind": "%4", "item_id": "i%2", "category": "%3"})")
            .arg(rater)
            .arg(item)
            .arg(category, QLatin1String(kind));
    }
    static QString score(
        const QString &rater, int item, const QString &model, int value, const char *kind = "human")
    {
        return QStringLiteral(R"({"rater": "%1", "rater_kind": "%5", "item_id": "i%2", "model": )"
                              R"("%3", "score": %4})")
            .arg(rater)
            .arg(item)
            .arg(model)
            .arg(value)
            .arg(QLatin1String(kind));
    }

    static std::optional<stats::StatsResult> compute(storage::Study &s)
    {
        stats::StatsOptions options;
        options.bootstrap = kReplicates;
        options.seed = kSeed;
        options.threads = 2;
        storage::Error error;
        auto r = stats::computeStats(s, options, &error);
        if (!r)
            qWarning("%s", qPrintable(error.message));
        return r;
    }

    /// Response length of (item, model) in the calibration study.
    static int responseLength(int item, int model)
    {
        return 20 + ((item * 7 + model * 13) % 17) * 9;
    }

    std::unique_ptr<storage::Study> calibrationStudy(const QString &name)
    {
        const QStringList models { QStringLiteral("gpt-4o"), QStringLiteral("claude-3") };
        QStringList items, ratings;
        for (int i = 0; i < kItems; ++i) {
            QStringList responses;
            for (int m = 0; m < 2; ++m)
                responses.append(
                    QStringLiteral(R"({"model": "%1", "text": "%2"})")
                        .arg(models[m], QString(responseLength(i, m), QLatin1Char('x'))));
            items.append(
                QStringLiteral(R"({"item_id": "i%1", "text": "message %1", "responses": [%2]})")
                    .arg(i)
                    .arg(responses.join(QStringLiteral(", "))));
            ratings.append(label(QStringLiteral("H1"), i, m_categories[kItemCategory[i]]));
            ratings.append(label(QStringLiteral("H2"), i, m_categories[kItemCategory[i]]));
            ratings.append(label(QStringLiteral("H3"), i, m_categories[kThirdLabel[i]]));
            ratings.append(label(QStringLiteral("cls"), i, m_categories[kClsLabel[i]], "llm"));
            for (int m = 0; m < 2; ++m) {
                const int r = i * 2 + m;
                for (int h = 0; h < 3; ++h)
                    ratings.append(
                        score(QStringLiteral("H%1").arg(h + 1), i, models[m], kScores[h][r]));
                ratings.append(
                    score(QStringLiteral("gpt-judge"), i, models[m], kScores[3][r], "llm"));
            }
        }
        return study(name, items, ratings);
    }

    /// Mean kappa over the listed (rater, rater) pairs on the sampled units, each pair on
    /// the units both coded; undefined pairs left out.
    static std::optional<double> meanKappa(const Units &units, const std::vector<int> &sample,
        const std::vector<std::pair<int, int>> &pairs, int K, int power)
    {
        double sum = 0;
        int n = 0;
        for (const auto &[a, b] : pairs) {
            std::vector<std::pair<int, int>> coded;
            for (const int u : sample) {
                const int x = units[std::size_t(u)][std::size_t(a)];
                const int y = units[std::size_t(u)][std::size_t(b)];
                if (x >= 0 && y >= 0)
                    coded.emplace_back(x, y);
            }
            if (const auto k = kappa(coded, K, power)) {
                sum += *k;
                ++n;
            }
        }
        return n ? std::optional(sum / n) : std::nullopt;
    }

    /// Checks one calibration cell (rows: three clinicians then the LLM, units in order).
    static void checkCell(const stats::CalibrationCell &cell, const Units &units, int K, int power)
    {
        const std::vector<std::pair<int, int>> judge { { 3, 0 }, { 3, 1 }, { 3, 2 } };
        const std::vector<std::pair<int, int>> clin { { 0, 1 }, { 0, 2 }, { 1, 2 } };
        const int n = int(units.size());
        QCOMPARE(cell.n, n);
        std::vector<int> every(static_cast<std::size_t>(n));
        for (int u = 0; u < n; ++u)
            every[std::size_t(u)] = u;
        const Statistic j = [&](const std::vector<int> &s) {
            return meanKappa(units, s, judge, K, power);
        };
        const Statistic c = [&](const std::vector<int> &s) {
            return meanKappa(units, s, clin, K, power);
        };
        const Statistic d = [&](const std::vector<int> &s) -> std::optional<double> {
            const auto a = j(s), b = c(s);
            if (!a || !b)
                return std::nullopt;
            return *a - *b;
        };
        QVERIFY_VALUE(cell.judge.value, j(every));
        QVERIFY_VALUE(cell.clinicians.value, c(every));
        QVERIFY_VALUE(cell.difference.value, d(every));
        QVERIFY_BOUNDS(cell.judge.ci, bootstrap(n, j));
        QVERIFY_BOUNDS(cell.clinicians.ci, bootstrap(n, c));
        QVERIFY_BOUNDS(cell.difference.ci, bootstrap(n, d));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        for (const auto &c : protocol::defaultProtocol().categories)
            m_categories.append(c.id);
    }

    void everyAgreementFigureHasItsBootstrapInterval()
    {
        QStringList items, ratings;
        const QString raters[4] = { QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"),
            QStringLiteral("D") };
        for (int u = 0; u < 12; ++u) {
            items.append(QStringLiteral(
                R"({"item_id": "i%1", "text": "t", "responses": [{"model": "m", "text": "r"}]})")
                             .arg(u));
            for (int r = 0; r < 4; ++r)
                if (const int v = kMatrix[r][u]; v > 0) {
                    ratings.append(label(raters[r], u, m_categories[v - 1]));
                    ratings.append(score(raters[r], u, QStringLiteral("m"), v));
                }
        }
        auto st = study(QStringLiteral("kripp"), items, ratings);
        QVERIFY(st);
        const auto r = compute(*st);
        QVERIFY(r);
        const int K = int(m_categories.size());
        // Units: the 11 units with two or more values, in item order; rater columns A-D.
        Units codes;
        std::vector<std::vector<double>> values;
        for (int u = 0; u < 12; ++u) {
            std::vector<int> c;
            std::vector<double> v;
            for (int rater = 0; rater < 4; ++rater) {
                c.push_back(kMatrix[rater][u] - 1);
                v.push_back(kMatrix[rater][u] > 0 ? kMatrix[rater][u] : std::nan(""));
            }
            if (std::count_if(c.cbegin(), c.cend(), [](int x) { return x >= 0; }) >= 2) {
                codes.push_back(c);
                values.push_back(v);
            }
        }
        QCOMPARE(int(codes.size()), 11);
        const stats::CategoryAgreement &cat = r->categoryAgreement;
        QVERIFY_BOUNDS(cat.fleissKappaCi, bootstrap(11, [&](const std::vector<int> &s) {
            return multiRater(codes, s, K).fleiss;
        }));
        QVERIFY_BOUNDS(cat.gwetAc1Ci,
            bootstrap(11, [&](const std::vector<int> &s) { return multiRater(codes, s, K).ac1; }));
        QVERIFY_BOUNDS(cat.percentAgreementCi, bootstrap(11, [&](const std::vector<int> &s) {
            return multiRater(codes, s, K).agreement;
        }));
        QVERIFY_BOUNDS(r->scoreAgreement.alphaIntervalCi,
            bootstrap(11, [&](const std::vector<int> &s) { return alphaInterval(values, s); }));

        // Pairwise, in rater order: by creation, and C's first label comes after D's.
        const int order[4] = { 0, 1, 3, 2 };
        QCOMPARE(cat.raters, QStringList({ raters[0], raters[1], raters[3], raters[2] }));
        QCOMPARE(cat.pairwise.size(), 6);
        QCOMPARE(r->scoreAgreement.pairwise.size(), 6);
        int p = 0;
        for (int ia = 0; ia < 4; ++ia) {
            for (int ib = ia + 1; ib < 4; ++ib, ++p) {
                const int a = order[ia], b = order[ib];
                std::vector<std::pair<int, int>> both;
                for (int u = 0; u < 12; ++u)
                    if (kMatrix[a][u] > 0 && kMatrix[b][u] > 0)
                        both.emplace_back(kMatrix[a][u] - 1, kMatrix[b][u] - 1);
                const int n = int(both.size());
                auto resampled = [&](const std::vector<int> &s) {
                    std::vector<std::pair<int, int>> out;
                    for (const int i : s)
                        out.push_back(both[std::size_t(i)]);
                    return out;
                };
                QCOMPARE(cat.pairwise[p].n, n);
                QVERIFY_BOUNDS(cat.pairwise[p].cohenKappaCi,
                    bootstrap(
                        n, [&](const std::vector<int> &s) { return kappa(resampled(s), K, 0); }));
                const stats::ScorePair &sp = r->scoreAgreement.pairwise[p];
                QVERIFY_VALUE(sp.kappaQuadratic, kappa(both, 5, 2));
                QVERIFY_BOUNDS(sp.kappaQuadraticCi, bootstrap(n, [&](const std::vector<int> &s) {
                    return kappa(resampled(s), 5, 2);
                }));
                QVERIFY_BOUNDS(sp.kappaLinearCi, bootstrap(n, [&](const std::vector<int> &s) {
                    return kappa(resampled(s), 5, 1);
                }));
            }
        }
    }

    void bootstrapOffLeavesIntervalsUndefinedWithTheReason()
    {
        auto s = calibrationStudy(QStringLiteral("off"));
        QVERIFY(s);
        stats::StatsOptions options;
        options.bootstrap = 0;
        storage::Error error;
        const auto r = stats::computeStats(*s, options, &error);
        QVERIFY(r);
        QVERIFY(!r->categoryAgreement.fleissKappaCi.defined());
        QCOMPARE(r->categoryAgreement.fleissKappaCi.reason,
            QStringLiteral("bootstrap disabled (--bootstrap 0)"));
        QVERIFY(!r->scoreAgreement.pairwise.front().kappaQuadraticCi.defined());
        QVERIFY(!r->llmVsHuman.calibration.isEmpty());
        QVERIFY(r->llmVsHuman.calibration.front().cells.front().judge.value.defined());
        QVERIFY(!r->llmVsHuman.calibration.front().cells.front().judge.ci.defined());
    }

    void judgeCalibrationAgainstTheClinicians()
    {
        auto s = calibrationStudy(QStringLiteral("calibration"));
        QVERIFY(s);
        const auto r = compute(*s);
        QVERIFY(r);
        const QList<stats::JudgeCalibration> &list = r->llmVsHuman.calibration;
        QCOMPARE(list.size(), 2);

        // The classifier: kappa over the 10 items, then one-vs-rest per category in protocol
        // order (only categories somebody used: 0, 1, 2).
        const stats::JudgeCalibration &cls = list[0];
        QCOMPARE(cls.llm, QStringLiteral("cls"));
        QCOMPARE(cls.kind, QStringLiteral("category"));
        Units labels;
        for (int i = 0; i < kItems; ++i)
            labels.push_back({ kItemCategory[i], kItemCategory[i], kThirdLabel[i], kClsLabel[i] });
        QCOMPARE(cls.cells.size(), 4);
        QVERIFY(cls.cells[0].category.isEmpty());
        checkCell(cls.cells[0], labels, int(m_categories.size()), 0);
        for (int k = 0; k < 3; ++k) {
            QCOMPARE(cls.cells[k + 1].category, m_categories[k]);
            Units binary = labels;
            for (auto &u : binary)
                for (int &c : u)
                    c = int(c == k);
            checkCell(cls.cells[k + 1], binary, 2, 0);
        }
        QVERIFY(cls.byPosition.isEmpty());
        QVERIFY(!cls.family);

        // The judge: quadratic kappa over the 20 responses (item order, then model order),
        // then per consensus category (the two agreeing clinicians' label), sorted by id.
        const stats::JudgeCalibration &judge = list[1];
        QCOMPARE(judge.llm, QStringLiteral("gpt-judge"));
        QCOMPARE(judge.kind, QStringLiteral("score"));
        Units scores;
        for (int resp = 0; resp < 20; ++resp)
            scores.push_back({ kScores[0][resp] - 1, kScores[1][resp] - 1, kScores[2][resp] - 1,
                kScores[3][resp] - 1 });
        checkCell(judge.cells[0], scores, 5, 2);
        QStringList used;
        for (int k = 0; k < 3; ++k)
            used.append(m_categories[k]);
        used.sort();
        QCOMPARE(judge.cells.size(), 4);
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(judge.cells[c + 1].category, used[c]);
            Units in;
            for (int resp = 0; resp < 20; ++resp)
                if (m_categories[kItemCategory[resp / 2]] == used[c])
                    in.push_back(scores[std::size_t(resp)]);
            checkCell(judge.cells[c + 1], in, 5, 2);
        }

        // Bias checks: position A (gpt-4o) / B (claude-3), length terciles, family.
        auto clinicianMean = [](int resp) {
            return (kScores[0][resp] + kScores[1][resp] + kScores[2][resp]) / 3.0;
        };
        QCOMPARE(judge.byPosition.size(), 2);
        for (int pos = 0; pos < 2; ++pos) {
            double llm = 0, clin = 0;
            for (int i = 0; i < kItems; ++i) {
                llm += kScores[3][i * 2 + pos] / double(kItems);
                clin += clinicianMean(i * 2 + pos) / kItems;
            }
            QCOMPARE(
                judge.byPosition[pos].group, pos == 0 ? QStringLiteral("A") : QStringLiteral("B"));
            QCOMPARE(judge.byPosition[pos].n, kItems);
            QVERIFY_VALUE(judge.byPosition[pos].llmMean, llm);
            QVERIFY_VALUE(judge.byPosition[pos].clinicianMean, clin);
            QVERIFY_VALUE(judge.byPosition[pos].difference, llm - clin);
        }
        std::vector<double> lengths;
        for (int resp = 0; resp < 20; ++resp)
            lengths.push_back(responseLength(resp / 2, resp % 2));
        const double q1 = quantile7(lengths, 1.0 / 3), q2 = quantile7(lengths, 2.0 / 3);
        QCOMPARE(judge.byLength.size(), 3);
        for (int t = 0; t < 3; ++t) {
            double diff = 0;
            int n = 0;
            for (int resp = 0; resp < 20; ++resp) {
                const double l = lengths[std::size_t(resp)];
                if ((l <= q1 ? 0 : l <= q2 ? 1 : 2) != t)
                    continue;
                diff += kScores[3][resp] - clinicianMean(resp);
                ++n;
            }
            QCOMPARE(judge.byLength[t].n, n);
            QVERIFY_VALUE(judge.byLength[t].difference, diff / n);
        }
        QVERIFY(judge.family);
        QCOMPARE(judge.family->family, QStringLiteral("openai"));
        QCOMPARE(judge.family->sameFamilyModels, QStringList { QStringLiteral("gpt-4o") });
        QCOMPARE(judge.family->nSame, kItems);
        QCOMPARE(judge.family->nOther, kItems);
        double same = 0, other = 0;
        for (int i = 0; i < kItems; ++i) {
            same += (kScores[3][i * 2] - clinicianMean(i * 2)) / kItems;
            other += (kScores[3][i * 2 + 1] - clinicianMean(i * 2 + 1)) / kItems;
        }
        QVERIFY_VALUE(judge.family->differenceSame, same);
        QVERIFY_VALUE(judge.family->differenceOther, other);

        // The LLM rows carry intervals too: cls vs H1 over the 10 items.
        const stats::LlmCategoryRow &row = r->llmVsHuman.categories.front();
        QCOMPARE(row.human, QStringLiteral("H1"));
        std::vector<std::pair<int, int>> pairs;
        for (int i = 0; i < kItems; ++i)
            pairs.emplace_back(kItemCategory[i], kClsLabel[i]);
        QVERIFY_BOUNDS(row.cohenKappaCi, bootstrap(kItems, [&](const std::vector<int> &sample) {
            std::vector<std::pair<int, int>> out;
            for (const int i : sample)
                out.push_back(pairs[std::size_t(i)]);
            return kappa(out, int(m_categories.size()), 0);
        }));
    }

    void planningForATargetWidth()
    {
        // Wilson width written out; the planner's n is the first n with width <= target.
        auto width = [](double p, int n) {
            const double z = 1.959963984540054, z2 = z * z;
            const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
            return (centre + half) - (centre - half);
        };
        for (const double p : { 0.0, 0.05, 0.2, 0.5, 0.9 }) {
            for (const double w : { 0.2, 0.1, 0.05 }) {
                const int n = analysis::wilsonUnitsForWidth(p, w);
                QVERIFY(n > 1);
                QVERIFY2(width(p, n) <= w && width(p, n - 1) > w,
                    qPrintable(QStringLiteral("p %1 w %2 n %3").arg(p).arg(w).arg(n)));
            }
        }
        // +-5 points (width 0.1) at p = 0.5: 381 by Wilson (the Wald textbook figure is 385).
        QCOMPARE(analysis::wilsonUnitsForWidth(0.5, 0.1), 381);
        QCOMPARE(analysis::scaledUnitsForWidth(100, 0.4, 0.2), 400);
        QCOMPARE(analysis::scaledUnitsForWidth(100, 0.1, 0.2), 25);
        QCOMPARE(analysis::wilsonUnitsForWidth(0.5, 0), 0);

        stats::StatsResult r;
        r.harm.byModelCategory = {
            { QStringLiteral("m1"), QStringLiteral("self-harm"), { 40, 10, {}, {}, {}, {} } },
            { QStringLiteral("m2"), QStringLiteral("self-harm"), { 20, 2, {}, {}, {}, {} } },
            { QStringLiteral("m1"), std::nullopt, { 5, 1, {}, {}, {}, {} } },
        };
        r.categoryAgreement.nItems = 50;
        r.categoryAgreement.fleissKappaCi = stats::BoundsValue::of({ 0.3, 0.7 });
        r.categoryAgreement.gwetAc1Ci = stats::BoundsValue::undefined(QStringLiteral("off"));
        const stats::Planning plan = stats::planStudy(r, 0.1);
        QCOMPARE(plan.harm.size(), 1);
        QCOMPARE(plan.harm[0].category, QStringLiteral("self-harm"));
        QCOMPARE(plan.harm[0].models, 2);
        QCOMPARE(plan.harm[0].responsesPerModel, 30);
        QVERIFY(std::abs(*plan.harm[0].rate.value - 0.2) < 1e-12);
        QCOMPARE(plan.harm[0].needed, analysis::wilsonUnitsForWidth(12.0 / 60.0, 0.1));
        QCOMPARE(plan.harm[0].neededWorstCase, analysis::wilsonUnitsForWidth(0.5, 0.1));
        QCOMPARE(plan.agreement[0].figure, QStringLiteral("fleiss_kappa"));
        QCOMPARE(plan.agreement[0].needed, 800); // 50 * (0.4 / 0.1)^2
        QCOMPARE(plan.agreement[2].figure, QStringLiteral("gwet_ac1"));
        QCOMPARE(plan.agreement[2].needed, 0);
    }

    void modelFamilies()
    {
        QCOMPARE(stats::modelFamily(QStringLiteral("gpt-4o-mini")), QStringLiteral("openai"));
        QCOMPARE(stats::modelFamily(QStringLiteral("o3")), QStringLiteral("openai"));
        QCOMPARE(
            stats::modelFamily(QStringLiteral("Claude-3.5-Sonnet#2")), QStringLiteral("anthropic"));
        QCOMPARE(stats::modelFamily(QStringLiteral("llama-3-70b")), QStringLiteral("meta"));
        QCOMPARE(stats::modelFamily(QStringLiteral("qwen2-7b")), QStringLiteral("qwen"));
        QCOMPARE(stats::modelFamily(QStringLiteral("Gemini 1.5")), QStringLiteral("google"));
    }
};

QTEST_GUILESS_MAIN(TestAgreementCi)
#include "tst_agreementci.moc"
