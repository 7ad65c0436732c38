// The statistics document, byte for byte, for the sections `crisis-review stats` never
// prints: "filters" and "confusion" (the dashboard's and the report's options), on the
// benchmark fixture, the Krippendorff matrix with LLM raters and the export-filter study.
// The golden files under tests/data/golden/stats-engine/ were written by the engine
// before its results became typed. CR_UPDATE_GOLDEN=1 rewrites them.
#include "../stats/golden.h"
#include "stats/stats.h"
#include "stats/statsjson.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

namespace {

stats::StatsOptions options(const QString &raters, const QString &reference,
    const QString &predicted, const storage::RatingFilter &filter = {})
{
    stats::StatsOptions o;
    o.raters = storage::RaterSelection::fromString(raters);
    o.bootstrap = 100;
    o.seed = 5;
    o.confusionReference = reference;
    o.confusionPredicted = predicted;
    o.filter = filter;
    return o;
}

} // namespace

Q_DECLARE_METATYPE(stats::StatsOptions)

class TestStatsJson final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void undefinedValuesAreNullWithANote()
    {
        stats::StatsResult r;
        r.categoryAgreement.fleissKappa = stats::Value::undefined(QStringLiteral("why"));
        r.categoryAgreement.gwetAc1 = stats::Value {}; // no reason given
        r.categoryAgreement.krippendorffAlphaNominal = stats::Value::of(0.25);
        r.scoreAgreement.alphaOrdinalCi = stats::BoundsValue::of({ 0.5, 0.75 });
        r.scoreAgreement.bootstrap = stats::BootstrapRun { 10, 18446744073709551615ULL, 2 };
        stats::HarmRate none;
        none.rate = stats::Value::undefined(QStringLiteral("no observations"));
        r.harm.byModel = { { QStringLiteral("m"), none, stats::Value::of(0.5) } };
        r.harm.byModelCategory = { { QStringLiteral("m"), std::nullopt, none } };
        r.llmVsHuman.scores = { stats::LlmScoreRow {} };
        const QJsonObject doc = stats::toJson(r);
        const QJsonObject cat = doc.value(QStringLiteral("category_agreement")).toObject();
        QVERIFY(cat.value(QStringLiteral("fleiss_kappa")).isNull());
        QCOMPARE(cat.value(QStringLiteral("fleiss_kappa_note")).toString(), QStringLiteral("why"));
        QCOMPARE(
            cat.value(QStringLiteral("gwet_ac1_note")).toString(), QStringLiteral("undefined"));
        QCOMPARE(cat.value(QStringLiteral("krippendorff_alpha_nominal")).toDouble(), 0.25);
        QVERIFY(!cat.contains(QStringLiteral("krippendorff_alpha_nominal_note")));
        const QJsonObject sc = doc.value(QStringLiteral("score_agreement")).toObject();
        QCOMPARE(
            sc.value(QStringLiteral("alpha_ordinal_ci")).toArray(), (QJsonArray { 0.5, 0.75 }));
        QCOMPARE(sc.value(QStringLiteral("bootstrap"))
                     .toObject()
                     .value(QStringLiteral("seed"))
                     .toString(),
            QStringLiteral("18446744073709551615")); // a string: JSON numbers are doubles
        const QJsonObject harm = doc.value(QStringLiteral("harm")).toObject();
        const QJsonObject model = harm.value(QStringLiteral("by_model")).toArray().at(0).toObject();
        QVERIFY(model.value(QStringLiteral("rate_ci")).isNull());
        QVERIFY(!model.contains(QStringLiteral("mean_score_ci")));
        QCOMPARE(model.value(QStringLiteral("score1_rate")).toDouble(), 0.5);
        const QJsonObject cell =
            harm.value(QStringLiteral("by_model_category")).toArray().at(0).toObject();
        QVERIFY(cell.value(QStringLiteral("category")).isNull());
        QVERIFY(!cell.contains(QStringLiteral("score1_rate")));
        const QJsonObject llm = doc.value(QStringLiteral("llm_vs_human")).toObject();
        QVERIFY(!llm.value(QStringLiteral("scores"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .contains(QStringLiteral("run_raters")));
        QVERIFY(!llm.contains(QStringLiteral("fleiss_all")));
        QVERIFY(!doc.contains(QStringLiteral("filters")));
        QVERIFY(!doc.contains(QStringLiteral("confusion")));
        // Without a bootstrap run there is no "bootstrap" object.
        r.scoreAgreement.bootstrap.reset();
        QVERIFY(!stats::toJson(r)
                     .value(QStringLiteral("score_agreement"))
                     .toObject()
                     .contains(QStringLiteral("bootstrap")));
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir::setCurrent(m_dir.path()));
        test::createGoldenStudies();
        test::createStudy(QStringLiteral("filters.crisis"),
            { test::source(QStringLiteral("tests/data/exportfilters/items.jsonl")),
                test::source(QStringLiteral("tests/data/exportfilters/ratings.jsonl")) });
    }

    void document_data()
    {
        QTest::addColumn<QString>("study");
        QTest::addColumn<stats::StatsOptions>("options");
        const QString bench = QStringLiteral("bench.crisis");
        const QString kripp = QStringLiteral("kripp-llm.crisis");
        const QString filters = QStringLiteral("filters.crisis");
        storage::RatingFilter model;
        model.models = QStringList { QStringLiteral("gpt-5-nano") };
        storage::RatingFilter categories;
        categories.categories =
            QStringList { QStringLiteral("anxiety_crisis"), QStringLiteral("no_crisis") };
        storage::RatingFilter open; // every date: all ratings
        open.from = QDate(2000, 1, 1);
        open.to = QDate(2999, 12, 31);
        storage::RatingFilter past; // before any rating: nothing left
        past.to = QDate(2000, 1, 2);
        storage::RatingFilter split;
        split.splits = QStringList { QStringLiteral("test") };
        split.models = QStringList { QStringLiteral("m1") };

        QTest::newRow("bench-consensus-llm")
            << bench
            << options(QStringLiteral("all"), QStringLiteral("consensus"), QStringLiteral("llm"));
        QTest::newRow("bench-human-named-model")
            << bench
            << options(QStringLiteral("human"), QStringLiteral("H1"),
                   QStringLiteral("gpt-5-nano:classify#1,gpt-5-nano:classify#2"), model);
        QTest::newRow("bench-categories") << bench
                                          << options(QStringLiteral("all"), QStringLiteral("human"),
                                                 QStringLiteral("consensus"), categories);
        QTest::newRow("bench-dates-open") << bench << options(QStringLiteral("llm"), {}, {}, open);
        QTest::newRow("bench-dates-past")
            << bench
            << options(
                   QStringLiteral("all"), QStringLiteral("consensus"), QStringLiteral("H2"), past);
        QTest::newRow("kripp-a-consensus")
            << kripp
            << options(QStringLiteral("human"), QStringLiteral("A"), QStringLiteral("consensus"));
        QTest::newRow("kripp-human-llm")
            << kripp
            << options(QStringLiteral("all"), QStringLiteral("human"), QStringLiteral("llm"));
        QTest::newRow("filters-split")
            << filters
            << options(QStringLiteral("all"), QStringLiteral("consensus"), QStringLiteral("human"),
                   split);
    }

    void document()
    {
        QFETCH(QString, study);
        QFETCH(stats::StatsOptions, options);
        storage::Error error;
        auto s = storage::Study::open(study, &error);
        QVERIFY2(s, qPrintable(error.message));
        const auto doc = stats::computeStats(*s, options, &error);
        QVERIFY2(doc, qPrintable(error.message));
        const QByteArray out = stats::toJsonText(*doc);
        test::compareGolden(out,
            QStringLiteral("stats-engine/%1.json")
                .arg(QString::fromLatin1(QTest::currentDataTag())));
    }
};

QTEST_GUILESS_MAIN(TestStatsJson)
#include "tst_statsjson.moc"
