// `crisis-review stats --json` → llm_vs_human on a small hand-built study: every
// number must equal a direct call of the analysis functions on the same data.
#include "analysis/classification.h"
#include "analysis/kappa.h"
#include "analysis/krippendorff.h"
#include "analysis/scores.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {

using namespace cr::analysis;

constexpr int kItems = 8;
constexpr double M = kMissing;
// Category codes (index into the protocol's categories); -1 = no label.
const std::vector<int> kH1 = { 0, 0, 1, 2, 3, 1, 4, -1 };
const std::vector<int> kH2 = { 0, 1, 1, 2, 3, 2, 4, -1 };
const std::vector<int> kClf = { 0, 0, 1, 2, 2, 1, 4, 3 };
const std::vector<int> kLate = { -1, -1, -1, -1, -1, -1, -1, 2 }; // no item shared with a human
// Consensus: unanimous where H1 == H2; ties (items 2 and 6) have none.
const std::vector<int> kConsensusCodes = { 0, -1, 1, 2, 3, -1, 4, -1 };
const std::vector<double> kS1 = { 1, 2, 3, 4, 5, 2, 3, M };
const std::vector<double> kS2 = { 2, 2, 3, 5, 4, 1, 3, M };
const std::vector<double> kJudge1 = { 1, 3, 3, 4, 4, 2, 2, 5 };
const std::vector<double> kJudge2 = { 2, 3, 3, 4, 5, 2, 2, 5 };

bool near(const QJsonValue &v, double expected)
{
    if (!v.isDouble() || std::abs(v.toDouble() - expected) > 1e-9) {
        qWarning("got %s, expected %.12g",
            QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact).constData(), expected);
        return false;
    }
    return true;
}

std::pair<std::vector<int>, std::vector<int>> paired(
    const std::vector<int> &a, const std::vector<int> &b)
{
    std::vector<int> x, y;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] >= 0 && b[i] >= 0) {
            x.push_back(a[i]);
            y.push_back(b[i]);
        }
    return { x, y };
}

std::pair<std::vector<double>, std::vector<double>> paired(
    const std::vector<double> &a, const std::vector<double> &b)
{
    std::vector<double> x, y;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(a[i]) && !std::isnan(b[i])) {
            x.push_back(a[i]);
            y.push_back(b[i]);
        }
    return { x, y };
}

std::vector<int> codes(const std::vector<double> &v)
{
    std::vector<int> c;
    for (double s : v)
        c.push_back(int(s) - 1);
    return c;
}

QJsonObject find(const QJsonArray &rows, const QString &llm, const QString &human)
{
    for (const auto &r : rows) {
        const QJsonObject o = r.toObject();
        if (o.value(QStringLiteral("llm")).toString() == llm
            && o.value(QStringLiteral("human")).toString() == human)
            return o;
    }
    return {};
}

} // namespace

class TestLlmVsHuman final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_study;
    QStringList m_categories;

    QByteArray run(const QStringList &args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            qWarning("%s", p.readAllStandardError().constData());
            return "exit";
        }
        return p.readAllStandardOutput();
    }

    QJsonObject section(const QStringList &extra = {})
    {
        const QByteArray out =
            run(QStringList { QStringLiteral("stats"), m_study, QStringLiteral("--json"),
                    QStringLiteral("--bootstrap"), QStringLiteral("0") }
                + extra);
        return QJsonDocument::fromJson(out)
            .object()
            .value(QStringLiteral("llm_vs_human"))
            .toObject();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_study = m_dir.filePath(QStringLiteral("llm.crisis"));
        QVERIFY(run({ QStringLiteral("init"), m_study }) != "exit");
        // The protocol's category ids, in order (codes index them).
        const QJsonObject s = QJsonDocument::fromJson(
            run({ QStringLiteral("stats"), m_study, QStringLiteral("--json"),
                QStringLiteral("--bootstrap"), QStringLiteral("0") }))
                                  .object();
        for (const auto &v : s.value(QStringLiteral("llm_vs_human"))
                                 .toObject()
                                 .value(QStringLiteral("category_ids"))
                                 .toArray())
            m_categories.append(v.toString());
        QVERIFY(m_categories.size() >= 5);

        QFile items(m_dir.filePath(QStringLiteral("items.jsonl")));
        QFile ratings(m_dir.filePath(QStringLiteral("ratings.jsonl")));
        QVERIFY(items.open(QIODevice::WriteOnly) && ratings.open(QIODevice::WriteOnly));
        auto label = [&](const char *rater, const char *kind, int item, int code) {
            if (code >= 0)
                ratings.write(QStringLiteral(
                    R"({"rater": "%1", "rater_kind": "%2", "item_id": "u%3", "category": "%4"})"
                    "\n")
                                  .arg(QLatin1String(rater), QLatin1String(kind))
                                  .arg(item)
                                  .arg(m_categories[code])
                                  .toUtf8());
        };
        auto score = [&](const char *rater, const char *kind, int item, double value) {
            if (!std::isnan(value))
                ratings.write(QStringLiteral(
                    R"({"rater": "%1", "rater_kind": "%2", "item_id": "u%3", "model": "m", "score": %4})"
                    "\n")
                                  .arg(QLatin1String(rater), QLatin1String(kind))
                                  .arg(item)
                                  .arg(int(value))
                                  .toUtf8());
        };
        for (int u = 0; u < kItems; ++u) {
            items.write(QStringLiteral(
                R"({"item_id": "u%1", "text": "unit %1", "responses": [{"model": "m", "text": "r%1"}]})"
                "\n")
                            .arg(u)
                            .toUtf8());
            label("H1", "human", u, kH1[std::size_t(u)]);
            label("H2", "human", u, kH2[std::size_t(u)]);
            label("clf", "llm", u, kClf[std::size_t(u)]);
            label("late", "llm", u, kLate[std::size_t(u)]);
            score("H1", "human", u, kS1[std::size_t(u)]);
            score("H2", "human", u, kS2[std::size_t(u)]);
            score("judge#1", "llm", u, kJudge1[std::size_t(u)]);
            score("judge#2", "llm", u, kJudge2[std::size_t(u)]);
        }
        items.close();
        ratings.close();
        QVERIFY(run({ QStringLiteral("import"), m_study, items.fileName(), ratings.fileName() })
            != "exit");
    }

    void categoriesEqualAnalysis()
    {
        const QJsonObject s = section();
        const QJsonArray rows = s.value(QStringLiteral("categories")).toArray();
        const int K = int(m_categories.size());
        // clf and late, each against H1, H2 and the consensus.
        QCOMPARE(rows.size(), 6);
        const struct {
            QString human;
            const std::vector<int> &reference;
        } refs[] = { { QStringLiteral("H1"), kH1 }, { QStringLiteral("H2"), kH2 },
            { QStringLiteral("consensus"), kConsensusCodes } };
        for (const auto &ref : refs) {
            const QJsonObject o = find(rows, QStringLiteral("clf"), ref.human);
            QVERIFY2(!o.isEmpty(), qPrintable(ref.human));
            const auto [x, y] = paired(ref.reference, kClf);
            QCOMPARE(o.value(QStringLiteral("n")).toInt(), int(x.size()));
            const KappaResult k = cohenKappa(x, y, K);
            const ClassificationReport c = classificationReport(x, y, K);
            QVERIFY(near(o.value(QStringLiteral("cohen_kappa")), k.kappa.value));
            QVERIFY(near(o.value(QStringLiteral("percent_agreement")), k.observed));
            QVERIFY(near(o.value(QStringLiteral("accuracy")), c.accuracy.value));
            QVERIFY(near(o.value(QStringLiteral("macro_f1")), c.macroF1.value));
            const QJsonArray confusion = o.value(QStringLiteral("confusion")).toArray();
            QCOMPARE(confusion.size(), K);
            for (int r = 0; r < K; ++r)
                for (int col = 0; col < K; ++col)
                    QCOMPARE(confusion.at(r).toArray().at(col).toInt(),
                        int(c.matrix[std::size_t(r * K + col)]));
        }
        // The consensus row uses the 5 unanimous items only (ties have no consensus).
        QCOMPARE(find(rows, QStringLiteral("clf"), QStringLiteral("consensus"))
                     .value(QStringLiteral("n"))
                     .toInt(),
            5);
        // No overlap: n 0, every statistic null with a note.
        const QJsonObject late = find(rows, QStringLiteral("late"), QStringLiteral("H1"));
        QCOMPARE(late.value(QStringLiteral("n")).toInt(), 0);
        for (const char *key : { "cohen_kappa", "percent_agreement", "accuracy", "macro_f1" }) {
            QVERIFY2(late.value(QLatin1String(key)).isNull(), key);
            QVERIFY2(!late.value(QLatin1String(key) + QStringLiteral("_note")).toString().isEmpty(),
                key);
        }
    }

    void scoresEqualAnalysis()
    {
        const QJsonArray rows = section().value(QStringLiteral("scores")).toArray();
        QCOMPARE(rows.size(), 9); // judge#1, judge#2, judge#mean × H1, H2, consensus
        std::vector<double> mean(kItems, M);
        for (int i = 0; i < kItems; ++i)
            if (!std::isnan(kS1[std::size_t(i)]))
                mean[std::size_t(i)] = (kS1[std::size_t(i)] + kS2[std::size_t(i)]) / 2;
        const struct {
            QString human;
            const std::vector<double> &reference;
        } refs[] = { { QStringLiteral("H1"), kS1 }, { QStringLiteral("H2"), kS2 },
            { QStringLiteral("consensus"), mean } };
        std::vector<double> judgeMean(kItems);
        for (int i = 0; i < kItems; ++i)
            judgeMean[std::size_t(i)] = (kJudge1[std::size_t(i)] + kJudge2[std::size_t(i)]) / 2;
        for (const auto &[llm, judged] : { std::pair { QStringLiteral("judge#1"), kJudge1 },
                 std::pair { QStringLiteral("judge#2"), kJudge2 },
                 std::pair { QStringLiteral("judge#mean"), judgeMean } }) {
            for (const auto &ref : refs) {
                const QJsonObject o = find(rows, llm, ref.human);
                QVERIFY2(!o.isEmpty(), qPrintable(llm + ref.human));
                const auto [x, y] = paired(ref.reference, judged);
                const PairedScoreAgreement p = pairedScoreAgreement(x, y);
                QCOMPARE(o.value(QStringLiteral("n")).toInt(), 7);
                QVERIFY(near(o.value(QStringLiteral("mae")), p.mae.value));
                QVERIFY(near(o.value(QStringLiteral("rmse")), p.rmse.value));
                QVERIFY(near(o.value(QStringLiteral("within_one")), p.withinOne.value));
                const RatingTable t = RatingTable::fromRows({ x, y });
                QVERIFY(near(o.value(QStringLiteral("krippendorff_alpha_ordinal")),
                    krippendorffAlpha(t, Metric::Ordinal).alpha.value));
                QVERIFY(near(o.value(QStringLiteral("krippendorff_alpha_interval")),
                    krippendorffAlpha(t, Metric::Interval).alpha.value));
                if (llm == QLatin1String("judge#mean"))
                    QCOMPARE(o.value(QStringLiteral("run_raters")).toArray(),
                        QJsonArray({ QStringLiteral("judge#1"), QStringLiteral("judge#2") }));
                if (ref.human == QLatin1String("consensus") || llm == QLatin1String("judge#mean")) {
                    // A mean of two scores is not a 1-5 category.
                    QVERIFY(o.value(QStringLiteral("kappa_quadratic")).isNull());
                    QVERIFY(!o.value(QStringLiteral("kappa_quadratic_note")).toString().isEmpty());
                } else {
                    QVERIFY(near(o.value(QStringLiteral("kappa_quadratic")),
                        cohenKappa(codes(x), codes(y), 5, Weighting::Quadratic).kappa.value));
                }
            }
        }
    }

    void judgeRunToRunConsistency()
    {
        const QJsonArray judges = section().value(QStringLiteral("judge_consistency")).toArray();
        QCOMPARE(judges.size(), 1);
        const QJsonObject j = judges.at(0).toObject();
        QCOMPARE(j.value(QStringLiteral("llm")).toString(), QStringLiteral("judge"));
        QCOMPARE(j.value(QStringLiteral("runs")).toInt(), 2);
        QCOMPARE(j.value(QStringLiteral("n")).toInt(), kItems);
        const RatingTable t = RatingTable::fromRows({ kJudge1, kJudge2 });
        QVERIFY(near(j.value(QStringLiteral("alpha_ordinal")),
            krippendorffAlpha(t, Metric::Ordinal).alpha.value));
        QVERIFY(near(j.value(QStringLiteral("alpha_interval")),
            krippendorffAlpha(t, Metric::Interval).alpha.value));
        QVERIFY(near(j.value(QStringLiteral("icc_2_1")), intraclassCorrelation(t).icc21.value));
        QVERIFY(near(j.value(QStringLiteral("percent_agreement")),
            6.0 / 8.0)); // runs differ on items 0 and 4
    }

    void fleissOverEveryoneWhenAsked()
    {
        QVERIFY(!section().contains(QStringLiteral("fleiss_all")));
        const QJsonObject f = section({ QStringLiteral("--fleiss-all") })
                                  .value(QStringLiteral("fleiss_all"))
                                  .toObject();
        QCOMPARE(f.value(QStringLiteral("raters")).toArray().size(), 4); // H1, H2, clf, late
        const RatingTable t = RatingTable::fromRows({ { 0, 0, 1, 2, 3, 1, 4, M },
            { 0, 1, 1, 2, 3, 2, 4, M }, { 0, 0, 1, 2, 2, 1, 4, 3 }, { M, M, M, M, M, M, M, 2 } });
        const AgreementResult expected =
            fleissKappa(CountTable::fromRatings(t, int(m_categories.size())));
        QCOMPARE(f.value(QStringLiteral("n_items")).toInt(), 8);
        QVERIFY(near(f.value(QStringLiteral("fleiss_kappa")), expected.coefficient.value));
    }

    void textHasTables()
    {
        const QString text = QString::fromUtf8(run({ QStringLiteral("stats"), m_study,
            QStringLiteral("--bootstrap"), QStringLiteral("0"), QStringLiteral("--fleiss-all") }));
        QVERIFY(text.contains(QStringLiteral("LLM classifiers vs clinicians")));
        QVERIFY(text.contains(QStringLiteral("LLM judges vs clinicians")));
        QVERIFY(text.contains(QStringLiteral("Judge run-to-run consistency")));
        QVERIFY(text.contains(QStringLiteral("All clinicians and LLMs together")));
    }
};

QTEST_GUILESS_MAIN(TestLlmVsHuman)
#include "tst_llmvshuman.moc"
