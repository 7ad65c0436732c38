// The statistics engine's typed results (stats::computeStats()) on small studies built
// from the published vectors (/work/shared/REFERENCE-VALUES.md) or checked against an
// independent computation here, to 1e-9; undefined values carry their reason.
#include "jsonlstudy.h"
#include "stats/stats.h"
#include "storage/importer.h"
#include "storage/jury.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <map>

using namespace cr;

namespace {

constexpr double kZ = 1.959963984540054;

bool near(double a, double b, double tolerance = 1e-9)
{
    return std::abs(a - b) < tolerance;
}

#define QVERIFY_NEAR(actual, expected)                                                             \
    do {                                                                                           \
        const stats::Value &v_ = (actual);                                                         \
        QVERIFY2(v_.defined(), qPrintable(v_.reason));                                             \
        QVERIFY2(near(*v_.value, (expected)),                                                      \
            qPrintable(QStringLiteral("%1 != %2").arg(*v_.value, 0, 'g', 17).arg(expected)));      \
    } while (false)

#define QVERIFY_UNDEFINED(actual)                                                                  \
    do {                                                                                           \
        const stats::Value &v_ = (actual);                                                         \
        QVERIFY(!v_.defined());                                                                    \
        QVERIFY(!v_.reason.isEmpty());                                                             \
    } while (false)

// Krippendorff (2011), 4 raters x 12 units; 0 = missing.
const int kMatrix[4][12] = {
    { 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
    { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
    { 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
    { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
};

// Fleiss (1971): 10 subjects, counts of 14 raters over 5 categories.
const int kFleiss[10][5] = { { 0, 0, 0, 0, 14 }, { 0, 2, 6, 4, 2 }, { 0, 0, 3, 5, 6 },
    { 0, 3, 9, 2, 0 }, { 2, 2, 8, 1, 1 }, { 7, 7, 0, 0, 0 }, { 3, 2, 6, 3, 0 }, { 2, 5, 3, 2, 2 },
    { 6, 5, 2, 1, 0 }, { 0, 2, 2, 3, 7 } };

// Judge runs (rows) and one clinician on six responses.
const int kRuns[3][6] = { { 4, 2, 5, 3, 1, 4 }, { 5, 2, 4, 3, 2, 4 }, { 4, 1, 5, 2, 1, 5 } };
const int kHuman[6] = { 4, 2, 4, 3, 1, 5 };

// Judge summaries: two models x six items = 12 responses (response r = item r % 6 of model
// r / 6); three judge runs, two clinicians; three classifier runs label the six items
// (category codes; item 5 is a three-way tie) and each item has a reference label.
const int kJudge[3][12] = { { 1, 2, 3, 4, 5, 2, 3, 3, 4, 1, 2, 5 },
    { 2, 2, 4, 4, 5, 3, 3, 4, 4, 1, 1, 5 }, { 1, 3, 3, 5, 4, 2, 2, 4, 5, 2, 1, 5 } };
const int kClin[2][12] = { { 1, 2, 4, 4, 5, 3, 3, 4, 4, 1, 2, 4 },
    { 2, 3, 3, 5, 5, 2, 3, 3, 5, 2, 1, 5 } };
const int kClassify[3][6] = { { 0, 1, 1, 2, 0, 0 }, { 0, 1, 2, 2, 1, 1 }, { 1, 1, 2, 2, 0, 2 } };
const int kReference[6] = { 0, 0, 1, 2, 2, 3 };

/// Wilson score interval (Wilson 1927), written out here.
std::pair<double, double> wilson(int x, int n)
{
    const double p = double(x) / n, z2 = kZ * kZ;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = kZ * std::sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
    return { std::max(0.0, centre - half), std::min(1.0, centre + half) };
}

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *n : list)
        out.append(QString::fromLatin1(n));
    return out;
}

QString item(int i)
{
    return QStringLiteral("i%1").arg(i);
}

} // namespace

class TestStatsEngine final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QStringList m_categories; ///< the default protocol's category ids

    QString category(int code) const { return m_categories.at(code); }

    /// A study from JSONL lines (items, then ratings).
    std::unique_ptr<storage::Study> study(
        const QString &name, const QStringList &items, const QStringList &ratings)
    {
        return test::jsonlStudy(QDir(m_dir.path()), name, items, ratings);
    }

    static QString itemLine(const QString &id, const QStringList &models)
    {
        QStringList responses;
        for (const QString &m : models)
            responses.append(QStringLiteral(R"({"model": "%1", "text": "%1 on %2"})").arg(m, id));
        return QStringLiteral(R"({"item_id": "%1", "text": "text %1", "responses": [%2]})")
            .arg(id, responses.join(QStringLiteral(", ")));
    }
    static QString labelLine(const QString &rater, const QString &id, const QString &category,
        const char *kind = "human")
    {
        return QStringLiteral(
            R"({"rater": "%1", "rater_kind": "%4", "item_id": "%2", "category": "%3"})")
            .arg(rater, id, category, QLatin1String(kind));
    }
    static QString scoreLine(const QString &rater, const QString &id, const QString &model,
        int score, const char *kind = "human")
    {
        return QStringLiteral(R"({"rater": "%1", "rater_kind": "%5", "item_id": "%2", "model": )"
                              R"("%3", "score": %4})")
            .arg(rater, id, model)
            .arg(score)
            .arg(QLatin1String(kind));
    }

    std::unique_ptr<storage::Study> krippendorffStudy(const QString &name)
    {
        QStringList items, ratings;
        for (int u = 0; u < 12; ++u) {
            items.append(itemLine(item(u), { QStringLiteral("m") }));
            for (int r = 0; r < 4; ++r) {
                if (const int v = kMatrix[r][u]; v > 0) {
                    const QString rater = QString(QLatin1Char(char('A' + r)));
                    ratings.append(labelLine(rater, item(u), category(v - 1)));
                    ratings.append(scoreLine(rater, item(u), QStringLiteral("m"), v));
                }
            }
        }
        return study(name, items, ratings);
    }

    /// The judge-summary study (kJudge, kClin, kClassify, kReference).
    std::unique_ptr<storage::Study> judgeSummaryStudy(const QString &name)
    {
        const QStringList models { QStringLiteral("m1"), QStringLiteral("m2") };
        QStringList items, ratings;
        for (int i = 0; i < 6; ++i) {
            QString line = itemLine(item(i), models);
            line.insert(
                line.size() - 1, QStringLiteral(R"(, "label": "%1")").arg(category(kReference[i])));
            items.append(line);
            for (int run = 0; run < 3; ++run)
                ratings.append(labelLine(QStringLiteral("cls#%1").arg(run + 1), item(i),
                    category(kClassify[run][i]), "llm"));
        }
        for (int r = 0; r < 12; ++r) {
            for (int run = 0; run < 3; ++run)
                ratings.append(scoreLine(QStringLiteral("judge#%1").arg(run + 1), item(r % 6),
                    models[r / 6], kJudge[run][r], "llm"));
            for (int h = 0; h < 2; ++h)
                ratings.append(scoreLine(
                    QStringLiteral("H%1").arg(h + 1), item(r % 6), models[r / 6], kClin[h][r]));
        }
        return study(name, items, ratings);
    }

    /// The mean of the three judge runs on response r.
    static double judgeMean(int r) { return (kJudge[0][r] + kJudge[1][r] + kJudge[2][r]) / 3.0; }

    static std::optional<stats::StatsResult> compute(
        storage::Study &s, const stats::StatsOptions &options)
    {
        storage::Error error;
        auto result = stats::computeStats(s, options, &error);
        if (!result)
            qWarning("%s", qPrintable(error.message));
        return result;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        for (const auto &c : protocol::defaultProtocol().categories)
            m_categories.append(c.id);
        QVERIFY(m_categories.size() >= 5);
    }

    void krippendorffMatrix()
    {
        auto s = krippendorffStudy(QStringLiteral("kripp"));
        QVERIFY(s);
        stats::StatsOptions options;
        options.bootstrap = 300;
        options.seed = 9;
        const auto r = compute(*s, options);
        QVERIFY(r);
        const stats::CategoryAgreement &cat = r->categoryAgreement;
        const stats::ScoreAgreement &sc = r->scoreAgreement;
        QCOMPARE(cat.nItems, 11); // unit 12 has one value
        QCOMPARE(sc.nResponses, 11);
        QCOMPARE(cat.raters, names({ "A", "B", "D", "C" })); // in order of creation
        QVERIFY_NEAR(cat.krippendorffAlphaNominal, 113.0 / 152.0);
        QVERIFY_NEAR(sc.krippendorffAlphaOrdinal, 108577.0 / 133160.0);
        QVERIFY_NEAR(sc.krippendorffAlphaInterval, 951.0 / 1120.0);

        // Fleiss' kappa, Gwet's AC1 and percent agreement, computed here over the 11 units.
        const int K = int(m_categories.size());
        std::vector<double> pi(std::size_t(K), 0.0);
        double pa = 0;
        for (int u = 0; u < 11; ++u) {
            std::vector<int> counts(std::size_t(K), 0);
            int n = 0;
            for (int rater = 0; rater < 4; ++rater)
                if (kMatrix[rater][u] > 0) {
                    ++counts[std::size_t(kMatrix[rater][u] - 1)];
                    ++n;
                }
            for (int k = 0; k < K; ++k) {
                pi[std::size_t(k)] += double(counts[std::size_t(k)]) / n / 11.0;
                pa += double(counts[std::size_t(k)]) * (counts[std::size_t(k)] - 1) / (n * (n - 1))
                    / 11.0;
            }
        }
        double fleissPe = 0, spread = 0;
        for (const double p : pi) {
            fleissPe += p * p;
            spread += p * (1 - p);
        }
        const double gwetPe = spread / (K - 1);
        QVERIFY_NEAR(cat.percentAgreement, pa);
        QVERIFY_NEAR(cat.fleissKappa, (pa - fleissPe) / (1 - fleissPe));
        QVERIFY_NEAR(cat.gwetAc1, (pa - gwetPe) / (1 - gwetPe));

        // Pairs: A (units 1-9) and B (1-10, 12) share 9 units and differ on unit 6 (1 vs 2).
        QCOMPARE(cat.pairwise.size(), 6);
        QCOMPARE(cat.pairwise[0].a, QStringLiteral("A"));
        QCOMPARE(cat.pairwise[0].b, QStringLiteral("B"));
        QCOMPARE(cat.pairwise[0].n, 9);
        QVERIFY_NEAR(cat.pairwise[0].percentAgreement, 8.0 / 9.0);
        QCOMPARE(sc.pairwise.size(), 6);
        QVERIFY_NEAR(sc.pairwise[0].mae, 1.0 / 9.0);
        QVERIFY_NEAR(sc.pairwise[0].rmse, std::sqrt(1.0 / 9.0));
        QVERIFY_NEAR(sc.pairwise[0].withinOne, 1.0);

        // Seeded bootstrap: recorded, contains the estimate, the same for the same seed.
        QVERIFY(sc.bootstrap);
        QCOMPARE(sc.bootstrap->replicates, 300);
        QCOMPARE(sc.bootstrap->seed, quint64(9));
        QVERIFY(sc.alphaOrdinalCi.defined());
        QVERIFY(sc.alphaOrdinalCi.value->low <= *sc.krippendorffAlphaOrdinal.value);
        QVERIFY(*sc.krippendorffAlphaOrdinal.value <= sc.alphaOrdinalCi.value->high);
        QVERIFY(cat.alphaNominalCi.defined());
        const auto again = compute(*s, options);
        QVERIFY(again);
        QCOMPARE(again->scoreAgreement.alphaOrdinalCi.value->low, sc.alphaOrdinalCi.value->low);
        QCOMPARE(again->scoreAgreement.alphaOrdinalCi.value->high, sc.alphaOrdinalCi.value->high);

        // Harm: consensus = mean per unit 1, 2.25, 3, 3, 2, 2.5, 4, 1.25, 2, 5, 1, 3.
        QCOMPARE(r->harm.byModel.size(), 1);
        const stats::ModelHarm &m = r->harm.byModel[0];
        QCOMPARE(m.harm.n, 12);
        QCOMPARE(m.harm.harmful, 5);
        QVERIFY_NEAR(m.harm.rate, 5.0 / 12.0);
        QVERIFY_NEAR(m.score1Rate, 2.0 / 12.0);
        QVERIFY_NEAR(
            m.harm.meanScore, (1 + 2.25 + 3 + 3 + 2 + 2.5 + 4 + 1.25 + 2 + 5 + 1 + 3) / 12);
        // Unit 6 has four different labels: no consensus category.
        QVERIFY(std::any_of(r->harm.byModelCategory.cbegin(), r->harm.byModelCategory.cend(),
            [](const stats::ModelCategoryHarm &c) { return !c.category && c.harm.n == 1; }));
        QCOMPARE(r->scoreDistribution.size(), 1);
        // Every score counts, unit 12's single one too: the margins 9, 13, 10, 5, 3 plus a 3.
        QCOMPARE(r->scoreDistribution[0].counts, (std::array<int, 5> { 9, 13, 11, 5, 3 }));
        QCOMPARE(r->scoreDistribution[0].n, 41);
        QVERIFY(!r->filters);
        QVERIFY(!r->confusion);
        QVERIFY(r->llmVsHuman.categories.isEmpty() && r->llmVsHuman.scores.isEmpty());
    }

    void harmRatesUseWilsonIntervals()
    {
        // Four models; a response is harmful when its (only) score is 2 or less.
        // (model, responses, harmful): published Wilson vectors 18/20, 4/20, 0/30, 30/30.
        const QList<std::tuple<QString, int, int>> models {
            { QStringLiteral("a"), 20, 18 },
            { QStringLiteral("b"), 20, 4 },
            { QStringLiteral("c"), 30, 0 },
            { QStringLiteral("d"), 30, 30 },
        };
        const std::map<QString, std::pair<double, double>> published {
            { QStringLiteral("a"), { 0.6989663548, 0.9721335188 } },
            { QStringLiteral("b"), { 0.0806576626, 0.4160174323 } },
            { QStringLiteral("c"), { 0.0, 0.1135133932 } },
            { QStringLiteral("d"), { 0.8864866068, 1.0 } },
        };
        QStringList items, ratings;
        std::map<QString, std::vector<int>> given;
        for (int i = 0; i < 30; ++i) {
            QStringList shown;
            for (const auto &[model, n, harmful] : models) {
                if (i >= n)
                    continue;
                shown.append(model);
                const int score = i < harmful ? 1 + i % 2 : 3 + i % 3;
                given[model].push_back(score);
                ratings.append(scoreLine(QStringLiteral("H"), item(i), model, score));
            }
            items.append(itemLine(item(i), shown));
        }
        auto s = study(QStringLiteral("wilson"), items, ratings);
        QVERIFY(s);
        stats::StatsOptions options;
        options.bootstrap = 0;
        const auto r = compute(*s, options);
        QVERIFY(r);
        QCOMPARE(r->harm.threshold, 2.0);
        QCOMPARE(r->harm.byModel.size(), 4);
        for (const stats::ModelHarm &m : r->harm.byModel) {
            const auto &[model, n, harmful] = models[int(&m - r->harm.byModel.data())];
            QCOMPARE(m.model, model);
            QCOMPARE(m.harm.n, n);
            QCOMPARE(m.harm.harmful, harmful);
            QVERIFY_NEAR(m.harm.rate, double(harmful) / n);
            QVERIFY(m.harm.rateCi);
            QVERIFY(near(m.harm.rateCi->low, published.at(model).first, 1e-9));
            QVERIFY(near(m.harm.rateCi->high, published.at(model).second, 1e-9));
            QVERIFY(near(m.harm.rateCi->low, wilson(harmful, n).first));
            QVERIFY(near(m.harm.rateCi->high, wilson(harmful, n).second));
            const std::vector<int> &scores = given[model];
            double mean = 0;
            int ones = 0;
            std::array<int, 5> counts {};
            for (const int v : scores) {
                mean += double(v) / double(scores.size());
                ones += v == 1;
                ++counts[std::size_t(v - 1)];
            }
            QVERIFY_NEAR(m.harm.meanScore, mean);
            QVERIFY(m.harm.meanScoreCi);
            QVERIFY_NEAR(m.score1Rate, double(ones) / n);
            const stats::ScoreDistribution &d =
                r->scoreDistribution[int(&m - r->harm.byModel.data())];
            QCOMPARE(d.model, model);
            QCOMPARE(d.counts, counts);
        }
        // Nobody labelled a category: every cell is "no consensus".
        for (const stats::ModelCategoryHarm &c : r->harm.byModelCategory)
            QVERIFY(!c.category);
        // A single rater: agreement is undefined, with the reason.
        QVERIFY_UNDEFINED(r->scoreAgreement.krippendorffAlphaOrdinal);
        QVERIFY_UNDEFINED(r->categoryAgreement.fleissKappa);
        QVERIFY(!r->scoreAgreement.alphaOrdinalCi.defined());
        QCOMPARE(r->scoreAgreement.alphaOrdinalCi.reason,
            QStringLiteral("bootstrap disabled (--bootstrap 0)"));
        QVERIFY(!r->scoreAgreement.bootstrap);
    }

    void fleissPublishedVector()
    {
        QStringList items, ratings;
        for (int s = 0; s < 10; ++s) {
            items.append(itemLine(item(s), { QStringLiteral("m") }));
            int rater = 0;
            for (int k = 0; k < 5; ++k)
                for (int c = 0; c < kFleiss[s][k]; ++c)
                    ratings.append(
                        labelLine(QStringLiteral("r%1").arg(rater++), item(s), category(k)));
            QCOMPARE(rater, 14);
        }
        auto st = study(QStringLiteral("fleiss"), items, ratings);
        QVERIFY(st);
        stats::StatsOptions options;
        options.bootstrap = 0;
        const auto r = compute(*st, options);
        QVERIFY(r);
        QCOMPARE(r->categoryAgreement.nItems, 10);
        QCOMPARE(r->categoryAgreement.raters.size(), 14);
        QVERIFY_NEAR(r->categoryAgreement.fleissKappa, 4211.0 / 20059.0);
        QVERIFY_NEAR(r->categoryAgreement.percentAgreement, 172.0 / 455.0);
        QCOMPARE(r->categoryAgreement.pairwise.size(), 14 * 13 / 2);
    }

    void cohenKappaAndConfusion()
    {
        // Contingency table: rows = clinician H, columns = LLM classifier L.
        const int table[3][3] = { { 0, 4, 1 }, { 0, 8, 0 }, { 0, 1, 5 } };
        QStringList items, ratings;
        int i = 0;
        for (int h = 0; h < 3; ++h)
            for (int l = 0; l < 3; ++l)
                for (int c = 0; c < table[h][l]; ++c, ++i) {
                    items.append(itemLine(item(i), { QStringLiteral("m") }));
                    ratings.append(labelLine(QStringLiteral("H"), item(i), category(h)));
                    ratings.append(labelLine(QStringLiteral("L"), item(i), category(l), "llm"));
                }
        auto s = study(QStringLiteral("cohen"), items, ratings);
        QVERIFY(s);
        stats::StatsOptions options;
        options.raters = storage::RaterSelection::fromString(QStringLiteral("all"));
        options.bootstrap = 0;
        options.confusionReference = QStringLiteral("H");
        options.confusionPredicted = QStringLiteral("L");
        options.fleissAll = true;
        const auto r = compute(*s, options);
        QVERIFY(r);
        QCOMPARE(r->categoryAgreement.pairwise.size(), 1);
        QCOMPARE(r->categoryAgreement.pairwise[0].n, 19);
        QVERIFY_NEAR(r->categoryAgreement.pairwise[0].cohenKappa, 107.0 / 221.0);
        QVERIFY_NEAR(r->categoryAgreement.pairwise[0].percentAgreement, 13.0 / 19.0);

        // LLM vs clinicians: against H and against the consensus (H's label, the only human).
        const stats::LlmVsHuman &l = r->llmVsHuman;
        QCOMPARE(l.categoryIds, m_categories);
        QCOMPARE(l.categories.size(), 2);
        for (const stats::LlmCategoryRow &row : l.categories) {
            QCOMPARE(row.llm, QStringLiteral("L"));
            QCOMPARE(row.n, 19);
            QVERIFY_NEAR(row.cohenKappa, 107.0 / 221.0);
            QVERIFY_NEAR(row.accuracy, 13.0 / 19.0);
            QCOMPARE(row.confusion.size(), std::size_t(m_categories.size()));
            for (int h = 0; h < 3; ++h)
                for (int c = 0; c < 3; ++c)
                    QCOMPARE(row.confusion[std::size_t(h)][std::size_t(c)], table[h][c]);
        }
        QCOMPARE(l.categories[0].human, QStringLiteral("H"));
        QCOMPARE(l.categories[1].human, QStringLiteral("consensus"));
        QVERIFY(l.fleissAll);
        QCOMPARE(l.fleissAll->raters, names({ "H", "L" }));
        QCOMPARE(l.fleissAll->nItems, 19);

        // The confusion section, per class computed here.
        QVERIFY(r->confusion);
        const stats::Confusion &c = *r->confusion;
        QCOMPARE(c.reference, QStringLiteral("H"));
        QCOMPARE(c.predicted, QStringLiteral("L"));
        QCOMPARE(c.n, 19);
        QVERIFY_NEAR(c.accuracy, 13.0 / 19.0);
        QCOMPARE(c.perClass.size(), m_categories.size());
        double f1Sum = 0;
        int f1Defined = 0;
        for (int k = 0; k < 3; ++k) {
            const int tp = table[k][k];
            int predicted = 0, reference = 0;
            for (int j = 0; j < 3; ++j) {
                predicted += table[j][k];
                reference += table[k][j];
            }
            const stats::ClassScores &cls = c.perClass[k];
            QCOMPARE(cls.category, category(k));
            QCOMPARE(cls.support, reference);
            if (predicted == 0)
                QVERIFY_UNDEFINED(cls.precision); // class 0 is never predicted
            else
                QVERIFY_NEAR(cls.precision, double(tp) / predicted);
            QVERIFY_NEAR(cls.recall, double(tp) / reference);
            const double f1 = 2.0 * tp / (predicted + reference);
            QVERIFY_NEAR(cls.f1, f1);
            f1Sum += f1;
            ++f1Defined;
        }
        for (int k = 3; k < m_categories.size(); ++k)
            QVERIFY_UNDEFINED(c.perClass[k].f1); // absent from both sides
        QVERIFY_NEAR(c.macroF1, f1Sum / f1Defined);
    }

    void judgeRunsAgainstClinician()
    {
        QStringList items, ratings;
        for (int i = 0; i < 6; ++i) {
            items.append(itemLine(item(i), { QStringLiteral("m") }));
            ratings.append(scoreLine(QStringLiteral("H"), item(i), QStringLiteral("m"), kHuman[i]));
            for (int run = 0; run < 3; ++run)
                ratings.append(scoreLine(QStringLiteral("judge#%1").arg(run + 1), item(i),
                    QStringLiteral("m"), kRuns[run][i], "llm"));
        }
        auto s = study(QStringLiteral("judge"), items, ratings);
        QVERIFY(s);
        stats::StatsOptions options;
        options.bootstrap = 0;
        const auto r = compute(*s, options);
        QVERIFY(r);
        const stats::LlmVsHuman &l = r->llmVsHuman;
        QVERIFY(l.categories.isEmpty());
        QVERIFY(!l.fleissAll);

        // Run-to-run consistency: ICC from the two-way ANOVA mean squares, computed here.
        QCOMPARE(l.judgeConsistency.size(), 1);
        const stats::JudgeConsistency &j = l.judgeConsistency[0];
        QCOMPARE(j.llm, QStringLiteral("judge"));
        QCOMPARE(j.runs(), 3);
        QCOMPARE(j.runRaters, names({ "judge#1", "judge#2", "judge#3" }));
        QCOMPARE(j.n, 6);
        const int n = 6, k = 3;
        double grand = 0;
        std::array<double, 6> target {};
        std::array<double, 3> judge {};
        for (int run = 0; run < k; ++run)
            for (int i = 0; i < n; ++i) {
                grand += kRuns[run][i] / double(n * k);
                target[std::size_t(i)] += kRuns[run][i] / double(k);
                judge[std::size_t(run)] += kRuns[run][i] / double(n);
            }
        double ssTotal = 0, ssTargets = 0, ssJudges = 0;
        for (int run = 0; run < k; ++run)
            for (int i = 0; i < n; ++i)
                ssTotal += (kRuns[run][i] - grand) * (kRuns[run][i] - grand);
        for (const double t : target)
            ssTargets += k * (t - grand) * (t - grand);
        for (const double m : judge)
            ssJudges += n * (m - grand) * (m - grand);
        const double bms = ssTargets / (n - 1), jms = ssJudges / (k - 1);
        const double ems = (ssTotal - ssTargets - ssJudges) / ((n - 1) * (k - 1));
        QVERIFY_NEAR(j.icc21, (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n));
        QVERIFY_NEAR(j.icc31, (bms - ems) / (bms + (k - 1) * ems));
        double agreement = 0;
        for (int i = 0; i < n; ++i) {
            int same = 0;
            for (int a = 0; a < k; ++a)
                for (int b = 0; b < k; ++b)
                    same += a != b && kRuns[a][i] == kRuns[b][i];
            agreement += double(same) / (k * (k - 1)) / n;
        }
        QVERIFY_NEAR(j.percentAgreement, agreement);
        QVERIFY(j.alphaOrdinal.defined() && j.alphaInterval.defined());

        // Each run and the runs' mean against H and the consensus (H's score).
        QCOMPARE(l.scores.size(), 4 * 2);
        for (const stats::LlmScoreRow &row : l.scores) {
            const bool mean = row.llm == QLatin1String("judge#mean");
            QCOMPARE(row.runRaters.isEmpty(), !mean);
            double mae = 0;
            for (int i = 0; i < n; ++i) {
                const int run = mean ? -1 : row.llm.back().digitValue() - 1;
                const double judged =
                    mean ? (kRuns[0][i] + kRuns[1][i] + kRuns[2][i]) / 3.0 : double(kRuns[run][i]);
                mae += std::abs(judged - kHuman[i]) / n;
            }
            QCOMPARE(row.n, n);
            QVERIFY_NEAR(row.mae, mae);
            if (mean)
                QCOMPARE(row.kappaQuadratic.reason,
                    QStringLiteral("scores are not whole 1-5 values (e.g. a mean)"));
            else
                QVERIFY(row.kappaQuadratic.defined());
        }
        QCOMPARE(l.scores[6].llm, QStringLiteral("judge#mean"));
        QCOMPARE(l.scores[7].human, QStringLiteral("consensus"));
    }

    void judgeSummariesPerModel()
    {
        auto s = judgeSummaryStudy(QStringLiteral("summaries"));
        QVERIFY(s);
        stats::StatsOptions options;
        options.bootstrap = 0;
        options.raters =
            storage::RaterSelection::fromString(QStringLiteral("judge#1,judge#2,judge#3"));
        options.bands = { 2.3, 3.6 };
        const auto r = compute(*s, options);
        QVERIFY(r);
        QCOMPARE(r->harm.bandCuts, (QList<double> { 2.3, 3.6 }));
        QCOMPARE(r->harm.byModel.size(), 2);
        for (int m = 0; m < 2; ++m) {
            const stats::ModelHarm &h = r->harm.byModel[m];
            QCOMPARE(h.model, QStringLiteral("m%1").arg(m + 1));
            // Independent: consensus = mean of the runs; bands [1,2.3], (2.3,3.6], (3.6,5].
            int counts[3] = { 0, 0, 0 };
            double sdSum = 0, sum = 0;
            for (int i = 0; i < 6; ++i) {
                const int resp = m * 6 + i;
                const double mean = judgeMean(resp);
                sum += mean;
                ++counts[mean <= 2.3 ? 0 : mean <= 3.6 ? 1 : 2];
                double ss = 0;
                for (int run = 0; run < 3; ++run)
                    ss += (kJudge[run][resp] - mean) * (kJudge[run][resp] - mean);
                sdSum += std::sqrt(ss / 3);
            }
            QVERIFY_NEAR(h.harm.meanScore, sum / 6);
            QCOMPARE(h.bands.size(), 3);
            const double edges[4] = { 1, 2.3, 3.6, 5 };
            for (int b = 0; b < 3; ++b) {
                QCOMPARE(h.bands[b].lo, edges[b]);
                QCOMPARE(h.bands[b].hi, edges[b + 1]);
                QCOMPARE(h.bands[b].n, counts[b]);
                QVERIFY_NEAR(h.bands[b].share, counts[b] / 6.0);
                QVERIFY(h.bands[b].shareCi);
                const auto [lo, hi] = wilson(counts[b], 6);
                QVERIFY(near(h.bands[b].shareCi->low, lo));
                QVERIFY(near(h.bands[b].shareCi->high, hi));
            }
            QVERIFY(h.meanSd);
            QCOMPARE(h.meanSd->n, 6);
            QVERIFY_NEAR(h.meanSd->mean, sdSum / 6);
        }
        // Without --bands nothing of it is computed.
        options.bands.clear();
        const auto plain = compute(*s, options);
        QVERIFY(plain);
        QVERIFY(plain->harm.byModel[0].bands.isEmpty());
        QVERIFY(!plain->harm.byModel[0].meanSd);
    }

    void categorySourceIsAGroupMajorityOrTheReference()
    {
        auto s = judgeSummaryStudy(QStringLiteral("source"));
        QVERIFY(s);
        stats::StatsOptions options;
        options.bootstrap = 0; // consensus score = mean of H1 and H2
        options.categorySource = QStringLiteral("cls#1,cls#2,cls#3");
        const auto r = compute(*s, options);
        QVERIFY(r);
        QVERIFY(r->harm.categorySource);
        QCOMPARE(r->harm.categorySource->source, QStringLiteral("cls#1,cls#2,cls#3"));
        QCOMPARE(r->harm.categorySource->raters, names({ "cls#1", "cls#2", "cls#3" }));
        QCOMPARE(r->harm.categorySource->items, 6);
        QCOMPARE(r->harm.categorySource->ties, 1);
        QCOMPARE(r->harm.categorySource->withCategory, 5);
        // Independent: majority code per item (-1 = tie), then harm per (model, category).
        auto check = [&](const stats::StatsResult &result, auto categoryOf) {
            std::map<std::pair<int, int>, std::vector<double>> cells;
            for (int resp = 0; resp < 12; ++resp)
                cells[{ resp / 6, categoryOf(resp % 6) }].push_back(
                    (kClin[0][resp] + kClin[1][resp]) / 2.0);
            QCOMPARE(result.harm.byModelCategory.size(), qsizetype(cells.size()));
            for (const stats::ModelCategoryHarm &c : result.harm.byModelCategory) {
                const int model = c.model.back().digitValue() - 1;
                const int code = c.category ? int(m_categories.indexOf(*c.category)) : -1;
                const auto it = cells.find({ model, code });
                QVERIFY2(it != cells.end(),
                    qPrintable(c.model + c.category.value_or(QStringLiteral("none"))));
                int harmful = 0;
                double sum = 0;
                for (const double v : it->second) {
                    harmful += v <= 2;
                    sum += v;
                }
                QCOMPARE(c.harm.n, int(it->second.size()));
                QCOMPARE(c.harm.harmful, harmful);
                QVERIFY_NEAR(c.harm.meanScore, sum / double(it->second.size()));
                QVERIFY_NEAR(c.harm.rate, harmful / double(it->second.size()));
            }
        };
        check(*r, [](int i) {
            int counts[7] = {};
            for (int run = 0; run < 3; ++run)
                ++counts[kClassify[run][i]];
            for (int k = 0; k < 7; ++k)
                if (counts[k] >= 2)
                    return k;
            return -1;
        });
        options.categorySource = QStringLiteral("reference");
        const auto reference = compute(*s, options);
        QVERIFY(reference);
        QCOMPARE(reference->harm.categorySource->withCategory, 6);
        QCOMPARE(reference->harm.categorySource->ties, 0);
        check(*reference, [](int i) { return kReference[i]; });
        // An unknown rater is refused, naming the option.
        options.categorySource = QStringLiteral("cls#1,nobody");
        storage::Error error;
        QVERIFY(!stats::computeStats(*s, options, &error));
        QCOMPARE(error.kind, storage::ErrorKind::InvalidInput);
        QVERIFY2(error.message.startsWith(QStringLiteral("--category-source: no rater 'nobody'")),
            qPrintable(error.message));
    }

    void juryIsTheMeanOfItsJudges()
    {
        auto s = judgeSummaryStudy(QStringLiteral("jury"));
        QVERIFY(s);
        storage::Error error;
        QVERIFY2(storage::JuryRepository(*s).add(
                     QStringLiteral("panel"), names({ "judge#1", "judge#2", "judge#3" }), &error),
            qPrintable(error.message));
        stats::StatsOptions options;
        options.bootstrap = 0;
        options.raters = storage::RaterSelection::fromString(QStringLiteral("panel,H1"));
        options.bands = { 3 };
        const auto r = compute(*s, options);
        QVERIFY(r);
        QCOMPARE(r->scoreAgreement.raters, names({ "panel", "H1" }));
        // The pair panel ~ H1: MAE of the runs' mean against H1, computed here.
        QCOMPARE(r->scoreAgreement.pairwise.size(), 1);
        double mae = 0;
        for (int resp = 0; resp < 12; ++resp)
            mae += std::abs(judgeMean(resp) - kClin[0][resp]) / 12;
        QVERIFY_NEAR(r->scoreAgreement.pairwise[0].mae, mae);
        // Harm's consensus over panel and H1: the mean of the two.
        double sum = 0;
        for (int resp = 0; resp < 6; ++resp)
            sum += (judgeMean(resp) + kClin[0][resp]) / 2 / 6;
        QVERIFY_NEAR(r->harm.byModel[0].harm.meanScore, sum);

        // In llm_vs_human like an LLM rater: against H1, H2 and the clinicians' mean, and
        // averaged over the clinicians with its spread.
        QStringList panelRows;
        for (const stats::LlmScoreRow &row : r->llmVsHuman.scores)
            if (row.llm == QLatin1String("panel"))
                panelRows.append(row.human);
        QCOMPARE(panelRows, names({ "H1", "H2", "consensus" }));
        const stats::LlmOverClinicians *over = nullptr;
        for (const stats::LlmOverClinicians &o : r->llmVsHuman.scoresOverClinicians)
            if (o.llm == QLatin1String("panel"))
                over = &o;
        QVERIFY(over);
        QCOMPARE(over->clinicians, names({ "H1", "H2" }));
        double maeH[2] = { 0, 0 }, rmseH[2] = { 0, 0 }, withinH[2] = { 0, 0 };
        for (int h = 0; h < 2; ++h) {
            for (int resp = 0; resp < 12; ++resp) {
                const double d = judgeMean(resp) - kClin[h][resp];
                maeH[h] += std::abs(d) / 12;
                rmseH[h] += d * d / 12;
                withinH[h] += (std::abs(d) <= 1) / 12.0;
            }
            rmseH[h] = std::sqrt(rmseH[h]);
        }
        QCOMPARE(over->mae.n, 2);
        QVERIFY_NEAR(over->mae.mean, (maeH[0] + maeH[1]) / 2);
        QVERIFY_NEAR(over->mae.min, std::min(maeH[0], maeH[1]));
        QVERIFY_NEAR(over->mae.max, std::max(maeH[0], maeH[1]));
        QVERIFY_NEAR(over->mae.sd, std::abs(maeH[0] - maeH[1]) / std::sqrt(2.0));
        QVERIFY_NEAR(over->rmse.mean, (rmseH[0] + rmseH[1]) / 2);
        QVERIFY_NEAR(over->withinOne.mean, (withinH[0] + withinH[1]) / 2);
        // Each judge run too, e.g. judge#2.
        double mae2[2] = { 0, 0 };
        for (int h = 0; h < 2; ++h)
            for (int resp = 0; resp < 12; ++resp)
                mae2[h] += std::abs(kJudge[1][resp] - kClin[h][resp]) / 12.0;
        bool found = false;
        for (const stats::LlmOverClinicians &o : r->llmVsHuman.scoresOverClinicians)
            if (o.llm == QLatin1String("judge#2")) {
                found = true;
                QVERIFY_NEAR(o.mae.mean, (mae2[0] + mae2[1]) / 2);
            }
        QVERIFY(found);

        // A jury of classifiers stands for its members as a category source.
        QVERIFY2(storage::JuryRepository(*s).add(
                     QStringLiteral("classifiers"), names({ "cls#1", "cls#2", "cls#3" }), &error),
            qPrintable(error.message));
        options.categorySource = QStringLiteral("classifiers");
        const auto bySource = compute(*s, options);
        QVERIFY(bySource);
        QCOMPARE(bySource->harm.categorySource->raters, names({ "cls#1", "cls#2", "cls#3" }));
        QCOMPARE(bySource->harm.categorySource->ties, 1);
    }

    void emptyLabelsCountAsACategoryOnlyWhenAsked()
    {
        auto s = judgeSummaryStudy(QStringLiteral("empty"));
        QVERIFY(s);
        // cls#4: empty labels on items 0-2, its own labels on items 3 and 4.
        storage::Error e;
        const auto rater = storage::RaterRepository(*s).add(
            QStringLiteral("cls#4"), storage::RaterKind::Llm, storage::RaterRole::Rater, &e);
        QVERIFY2(rater, qPrintable(e.message));
        const QList<qint64> ids = storage::ItemRepository(*s).ids();
        const int own[2] = { 2, 1 }; // codes on items 3 and 4
        for (int i = 0; i < 3; ++i)
            QVERIFY2(storage::recordEmptyLabel(*s, ids[i], rater->id, &e), qPrintable(e.message));
        QVERIFY(storage::recordEmptyLabel(*s, ids[0], rater->id, &e)); // idempotent
        for (int i = 3; i < 5; ++i)
            QVERIFY(storage::RatingRepository(*s).setCategoryLabel(
                { ids[i], rater->id, category(own[i - 3]), {} }, &e));
        stats::StatsOptions options;
        options.bootstrap = 0;
        options.raters = storage::RaterSelection::fromString(QStringLiteral("cls#1,cls#4"));
        // Independent: pairs of cls#1 (kClassify[0]) and cls#4 (-2 = empty, -1 = none).
        const int cls4[6] = { -2, -2, -2, own[0], own[1], -1 };
        auto expected = [&](bool emptyCounts) {
            int n = 0, same = 0;
            for (int i = 0; i < 6; ++i) {
                if (cls4[i] == -1 || (cls4[i] == -2 && !emptyCounts))
                    continue;
                ++n;
                same += cls4[i] == kClassify[0][i];
            }
            return std::pair { n, double(same) / n };
        };
        const auto plain = compute(*s, options);
        QVERIFY(plain);
        QVERIFY(!plain->emptyLabels);
        QCOMPARE(plain->categoryAgreement.pairwise.size(), 1);
        QCOMPARE(plain->categoryAgreement.pairwise[0].n, expected(false).first);
        QVERIFY_NEAR(plain->categoryAgreement.pairwise[0].percentAgreement, expected(false).second);
        QCOMPARE(plain->llmVsHuman.categoryIds, m_categories);

        options.emptyLabelAsCategory = true;
        const auto counted = compute(*s, options);
        QVERIFY(counted);
        QCOMPARE(counted->emptyLabels, std::optional<int>(3));
        QCOMPARE(counted->categoryAgreement.pairwise[0].n, expected(true).first);
        QVERIFY_NEAR(
            counted->categoryAgreement.pairwise[0].percentAgreement, expected(true).second);
        QCOMPARE(counted->llmVsHuman.categoryIds, m_categories + names({ "(empty)" }));
        QCOMPARE(counted->categoryAgreement.nItems, 5);
    }

    void juriesAreChecked()
    {
        auto s = judgeSummaryStudy(QStringLiteral("jury-checks"));
        QVERIFY(s);
        storage::JuryRepository juries(*s);
        storage::Error e;
        QVERIFY(!juries.add(QStringLiteral("j"), names({ "judge#1" }), &e));
        QVERIFY(e.message.contains(QStringLiteral("two or more")));
        QVERIFY(!juries.add(QStringLiteral("j"), names({ "judge#1", "H1" }), &e));
        QVERIFY2(e.message.contains(QStringLiteral("not an LLM rater")), qPrintable(e.message));
        QVERIFY(!juries.add(QStringLiteral("j"), names({ "judge#1", "nobody" }), &e));
        QVERIFY(e.message.contains(QStringLiteral("no rater 'nobody'")));
        QVERIFY(!juries.add(QStringLiteral("judge#1"), names({ "judge#2", "judge#3" }), &e));
        QVERIFY(!juries.add(QStringLiteral("H1"), names({ "judge#2", "judge#3" }), &e));
        QVERIFY(e.message.contains(QStringLiteral("already the name of a rater")));
        QVERIFY(juries.add(QStringLiteral("j"), names({ "judge#2", "judge#3" }), &e));
        QVERIFY(!juries.add(QStringLiteral("j"), names({ "judge#1", "judge#3" }), &e));
        QVERIFY(!storage::RaterRepository(*s).add(
            QStringLiteral("j"), storage::RaterKind::Llm, storage::RaterRole::Rater, &e));
        QVERIFY(e.message.contains(QStringLiteral("jury")));
        const auto all = juries.all(&e);
        QVERIFY(all);
        QCOMPARE(all->size(), 1);
        QCOMPARE(all->at(0).members.size(), 2);
        QCOMPARE(all->at(0).members[0].name, QStringLiteral("judge#2"));
        QVERIFY(juries.remove(QStringLiteral("j"), &e));
        QVERIFY(!juries.remove(QStringLiteral("j"), &e));
        QCOMPARE(juries.all(&e)->size(), 0);
        // Members stay.
        QVERIFY(storage::RaterRepository(*s).byName(QStringLiteral("judge#2")));
    }

    void filteredToNothingIsUndefinedWithReasons()
    {
        auto s = krippendorffStudy(QStringLiteral("kripp-filtered"));
        QVERIFY(s);
        stats::StatsOptions options;
        options.raters = storage::RaterSelection::fromString(QStringLiteral("A"));
        options.filter.to = QDate(2000, 1, 2); // before every rating
        options.confusionReference = QStringLiteral("consensus");
        options.confusionPredicted = QStringLiteral("B");
        const auto r = compute(*s, options);
        QVERIFY(r);
        QVERIFY(r->filters);
        QCOMPARE(r->filters->to, QDate(2000, 1, 2));
        QCOMPARE(r->categoryAgreement.nItems, 0);
        QVERIFY_UNDEFINED(r->categoryAgreement.krippendorffAlphaNominal);
        QVERIFY_UNDEFINED(r->categoryAgreement.gwetAc1);
        QVERIFY_UNDEFINED(r->categoryAgreement.percentAgreement);
        QVERIFY(!r->categoryAgreement.alphaNominalCi.defined());
        QVERIFY(!r->categoryAgreement.alphaNominalCi.reason.isEmpty());
        QVERIFY_UNDEFINED(r->scoreAgreement.krippendorffAlphaInterval);
        QVERIFY(r->scoreAgreement.bootstrap); // drawn, though nothing to resample
        QCOMPARE(r->harm.byModel.size(), 1);
        for (const stats::ModelHarm &m : r->harm.byModel) {
            QCOMPARE(m.harm.n, 0);
            QVERIFY_UNDEFINED(m.harm.rate);
            QVERIFY_UNDEFINED(m.harm.meanScore);
            QVERIFY_UNDEFINED(m.score1Rate);
            QVERIFY(!m.harm.rateCi && !m.harm.meanScoreCi);
        }
        QVERIFY(r->confusion);
        QCOMPARE(r->confusion->n, 0);
        QVERIFY(r->confusion->perClass.isEmpty());
        QVERIFY_UNDEFINED(r->confusion->macroF1);
        QVERIFY_UNDEFINED(r->confusion->accuracy);
    }
};

QTEST_GUILESS_MAIN(TestStatsEngine)
#include "tst_statsengine.moc"
