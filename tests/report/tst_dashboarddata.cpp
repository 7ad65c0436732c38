// The dashboard's and the report's chart data from the statistics engine.
// Golden: every chart's table, sample size and explanation, with real names and as the
// report shows them (pseudonyms), on fixed studies; the files under
// tests/data/golden/charts/ were written before the statistics became typed.
// CR_UPDATE_GOLDEN=1 rewrites them.
#include "../stats/golden.h"
#include "report/dashboarddata.h"
#include "report/pdfreport.h"
#include "stats/stats.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "widgets/dashboardchart.h"
#include "widgets/llmcomparisonpanel.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace cr;

namespace {

QStringList names(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *n : list)
        out.append(QString::fromLatin1(n));
    return out;
}

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

stats::Value undefined(const char *why)
{
    return stats::Value::undefined(str(why));
}

/// A small hand-made result: two models, three raters, an LLM judge with two runs.
stats::StatsResult sample()
{
    using stats::Value;
    stats::StatsResult r;
    r.study = str("s.crisis");
    r.raterSelection = str("ana,ben");
    r.harm.threshold = 2.5;
    r.harm.byModel = { { str("m2"),
                           { 10, 3, Value::of(0.3), stats::Bounds { 0.1, 0.6 }, Value::of(3.2),
                               stats::Bounds { 2.9, 3.5 } },
                           Value::of(0.1) },
        { str("m1"),
            { 0, 0, undefined("no observations"), std::nullopt, undefined("no observations"),
                std::nullopt },
            undefined("no observations") } };
    r.harm.byModelCategory = {
        { str("m2"), std::nullopt, { 4, 2, Value::of(0.5), {}, Value::of(2.5), {} } },
        { str("m2"), str("self-harm"), { 6, 1, Value::of(1.0 / 6), {}, Value::of(3.5), {} } },
        { str("m1"), str("anxiety_crisis"), { 2, 0, Value::of(0.0), {}, Value::of(4.0), {} } },
    };
    r.scoreDistribution = { { str("m2"), 15, { 1, 2, 3, 4, 5 } } };
    r.categoryAgreement.nItems = 7;
    r.categoryAgreement.raters = names({ "ana", "ben", "cy" });
    r.categoryAgreement.krippendorffAlphaNominal = Value::of(0.4);
    r.categoryAgreement.alphaNominalCi = stats::BoundsValue::of({ 0.1, 0.7 });
    r.categoryAgreement.fleissKappa = undefined("no subject has two or more ratings");
    r.categoryAgreement.gwetAc1 = Value::of(0.45);
    r.categoryAgreement.pairwise = { { str("ana"), str("cy"), 5, Value::of(0.25), Value::of(0.6) },
        { str("ben"), str("cy"), 2, undefined("no rated pairs"), undefined("none") } };
    r.scoreAgreement.nResponses = 9;
    r.scoreAgreement.raters = names({ "ana", "ben" });
    r.scoreAgreement.krippendorffAlphaOrdinal = Value::of(0.8);
    r.scoreAgreement.alphaOrdinalCi = stats::BoundsValue::undefined(str("no units to resample"));
    r.scoreAgreement.krippendorffAlphaInterval = Value::of(0.75);
    r.scoreAgreement.pairwise = { { str("ana"), str("ben"), 9, Value::of(0.5), Value::of(0.7),
        Value::of(0.9), Value::of(0.66), Value::of(0.6) } };
    stats::LlmVsHuman &l = r.llmVsHuman;
    l.categoryIds = names({ "self-harm", "anxiety_crisis" });
    l.categories = { { str("clf"), str("ana"), 7, Value::of(0.5), Value::of(0.7), Value::of(0.7),
        undefined("no pair"), { { 3, 1 }, { 1, 2 } } } };
    stats::LlmScoreRow run { str("judge#1"), str("ana"), 9, Value::of(0.4), Value::of(0.6),
        Value::of(1.0), Value::of(0.8), Value::of(0.7), Value::of(0.72), {} };
    stats::LlmScoreRow mean = run;
    mean.llm = str("judge#mean");
    mean.human = str("consensus");
    mean.kappaQuadratic = undefined("scores are not whole 1-5 values (e.g. a mean)");
    mean.runRaters = names({ "judge#1", "judge#2" });
    l.scores = { run, mean };
    l.judgeConsistency = { { str("judge"), names({ "judge#1", "judge#2" }), 9, Value::of(0.9),
        Value::of(0.91), Value::of(0.8), Value::of(0.81), undefined("scores are not whole") } };
    l.fleissAll = stats::FleissAll { names({ "ana", "clf" }), 7, Value::of(0.3) };
    stats::Confusion c;
    c.reference = str("consensus");
    c.predicted = str("ana,clf");
    c.categories = names({ "self-harm", "anxiety_crisis" });
    c.n = 6;
    c.matrix = { { 3, 1 }, { 0, 2 } };
    c.perClass = { { str("self-harm"), 4, Value::of(1.0), Value::of(0.75), Value::of(6.0 / 7) },
        { str("anxiety_crisis"), 2, Value::of(2.0 / 3), Value::of(1.0), Value::of(0.8) } };
    c.macroF1 = Value::of((6.0 / 7 + 0.8) / 2);
    c.accuracy = Value::of(5.0 / 6);
    r.confusion = c;
    return r;
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

QByteArray describe(const report::DashboardCharts &charts)
{
    QByteArray out;
    for (const widgets::DashboardChart *chart : charts.all()) {
        out += "## " + chart->title().toUtf8() + '\n';
        out += "sample size: " + chart->sampleSize().toUtf8() + '\n';
        out += "explanation: " + chart->explanation().toUtf8() + '\n';
        out += chart->table().toCsv();
        out += '\n';
    }
    out += "LLM panel empty: " + charts.llm->emptyMessage().toUtf8() + '\n';
    return out;
}

} // namespace

class TestDashboardData final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void harmBarsAndDistribution()
    {
        const QList<widgets::RateBar> bars = report::harmBars(sample());
        QCOMPARE(bars.size(), 2);
        QCOMPARE(bars[0].label, str("m2"));
        QCOMPARE(bars[0].n, 10);
        QCOMPARE(bars[0].harmful, 3);
        QVERIFY(near(bars[0].rate, 0.3) && near(bars[0].low, 0.1) && near(bars[0].high, 0.6));
        QVERIFY(near(bars[0].scoredOneRate, 0.1));
        QVERIFY(std::isnan(bars[1].rate) && std::isnan(bars[1].scoredOneRate));
        QCOMPARE(bars[1].low, 0.0);
        const QList<widgets::DistributionRow> rows = report::distributionRows(sample());
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].counts, (std::array<int, 5> { 1, 2, 3, 4, 5 }));
        QCOMPARE(rows[0].n(), 15);
    }

    void modelCategoryHeatmap()
    {
        for (const bool rate : { true, false }) {
            const widgets::HeatmapData d = report::modelCategoryHeatmap(sample(), rate);
            QCOMPARE(d.rows, names({ "m1", "m2" }));
            QCOMPARE(d.columns.size(), 3); // sorted, "(no consensus)" last
            QCOMPARE(d.columns.mid(0, 2), names({ "anxiety_crisis", "self-harm" }));
            QVERIFY(near(d.value(0, 0), rate ? 0.0 : 4.0));
            QCOMPARE(d.count(0, 0), 2);
            QVERIFY(std::isnan(d.value(0, 1))); // m1 has no self-harm cell
            QCOMPARE(d.count(0, 1), 0);
            QVERIFY(near(d.value(1, 1), rate ? 1.0 / 6 : 3.5));
            QVERIFY(near(d.value(1, 2), rate ? 0.5 : 2.5));
            QCOMPARE(d.count(1, 2), 4);
            QCOMPARE(d.minimum, rate ? 0.0 : 1.0);
            QCOMPARE(d.maximum, rate ? 1.0 : 5.0);
        }
    }

    void agreement()
    {
        const stats::StatsResult r = sample();
        const widgets::HeatmapData k =
            report::pairwiseHeatmap(r.categoryAgreement, &stats::CategoryPair::cohenKappa);
        QCOMPARE(k.rows, names({ "ana", "ben", "cy" }));
        QVERIFY(near(k.value(0, 2), 0.25) && near(k.value(2, 0), 0.25)); // symmetric
        QCOMPARE(k.count(2, 0), 5);
        QVERIFY(std::isnan(k.value(1, 2))); // undefined
        QCOMPARE(k.count(1, 2), 2);
        QVERIFY(std::isnan(k.value(0, 0)));
        QCOMPARE(k.count(0, 0), -1);
        QVERIFY(std::isnan(k.value(0, 1))); // no pair
        const widgets::HeatmapData w =
            report::pairwiseHeatmap(r.scoreAgreement, &stats::ScorePair::kappaQuadratic);
        QVERIFY(near(w.value(0, 1), 0.66));

        const QList<widgets::Coefficient> c = report::agreementCoefficients(r);
        QCOMPARE(c.size(), 5);
        QVERIFY(near(c[0].value, 0.8)); // α ordinal; its interval is undefined
        QVERIFY(std::isnan(c[0].low) && std::isnan(c[0].high));
        QVERIFY(near(c[1].value, 0.75));
        QVERIFY(near(c[2].value, 0.4) && near(c[2].low, 0.1) && near(c[2].high, 0.7));
        QVERIFY(std::isnan(c[3].value)); // Fleiss: undefined, and says why
        QCOMPARE(c[3].note, str("no subject has two or more ratings"));
        QVERIFY(c[4].note.isEmpty());
    }

    void confusion()
    {
        const stats::Confusion c = *sample().confusion;
        const widgets::HeatmapData d = report::confusionHeatmap(c);
        QCOMPARE(d.rows, c.categories);
        QCOMPARE(d.rowTitle, str("reference: consensus"));
        QVERIFY(near(d.value(0, 0), 0.75) && near(d.value(0, 1), 0.25));
        QVERIFY(near(d.value(1, 0), 0.0) && near(d.value(1, 1), 1.0));
        QCOMPARE(d.count(0, 1), 1);
        const QList<widgets::ClassScore> f1 = report::classScores(c);
        QCOMPARE(f1.size(), 2);
        QCOMPARE(f1[0].support, 4);
        QVERIFY(near(f1[0].f1, 6.0 / 7));
        QVERIFY(f1[0].name.isEmpty()); // without names the chart shows the id
        // With the protocol's names the chart shows the name; the id stays the label.
        const QList<widgets::ClassScore> named =
            report::classScores(c, { { c.categories[0], str("First category") } });
        QCOMPARE(named[0].label, c.categories[0]);
        QCOMPARE(named[0].name, str("First category"));
        QVERIFY(named[1].name.isEmpty());
        // No confusion asked for: an empty matrix.
        QVERIFY(report::confusionHeatmap(stats::Confusion {}).values.empty());
    }

    void llmTables()
    {
        const QList<widgets::MetricTable> t = report::llmComparisonTables(sample());
        QCOMPARE(t.size(), 3);
        QCOMPARE(t[0].columns.size(), 4);
        QCOMPARE(t[0].rows.size(), 1);
        QCOMPARE(t[0].rows[0].reference, str("ana"));
        QVERIFY(near(t[0].rows[0].values[0], 0.5));
        QVERIFY(std::isnan(t[0].rows[0].values[3])); // macro-F1 undefined, with the reason
        QCOMPARE(t[0].rows[0].notes[3], str("no pair"));
        QVERIFY(t[0].rows[0].notes[0].isEmpty());
        QCOMPARE(t[1].rows.size(), 2);
        QCOMPARE(t[1].columns[3].key, str("kappa_quadratic"));
        QVERIFY(near(t[1].rows[0].values[4], 0.7)); // α ordinal
        QVERIFY(std::isnan(t[1].rows[1].values[3]));
        QCOMPARE(t[1].rows[1].notes[3], str("scores are not whole 1-5 values (e.g. a mean)"));
        QCOMPARE(t[2].rows[0].rater, str("judge"));
        QCOMPARE(t[2].rows[0].reference, str("2 runs"));
        QVERIFY(near(t[2].rows[0].values[3], 0.81)); // ICC(3,1)
        QCOMPARE(t[2].rows[0].notes[4], str("scores are not whole"));
    }

    void pseudonyms()
    {
        const QHash<QString, QString> p { { str("ana"), str("R001") }, { str("ben"), str("R002") },
            { str("cy"), str("R003") }, { str("clf"), str("R004") },
            { str("judge#1"), str("R005") }, { str("judge#2"), str("R006") } };
        const stats::StatsResult r = report::pseudonymised(sample(), p);
        QCOMPARE(r.raterSelection, str("R001,R002"));
        QCOMPARE(r.categoryAgreement.raters, names({ "R001", "R002", "R003" }));
        QCOMPARE(r.categoryAgreement.pairwise[1].a, str("R002"));
        QCOMPARE(r.scoreAgreement.pairwise[0].b, str("R002"));
        QCOMPARE(r.llmVsHuman.categories[0].llm, str("R004"));
        QCOMPARE(r.llmVsHuman.categories[0].human, str("R001"));
        QCOMPARE(r.llmVsHuman.scores[0].llm, str("R005"));
        QCOMPARE(r.llmVsHuman.scores[1].llm, str("R005/R006 mean"));
        QCOMPARE(r.llmVsHuman.scores[1].human, str("consensus"));
        QCOMPARE(r.llmVsHuman.scores[1].runRaters, names({ "R005", "R006" }));
        QCOMPARE(r.llmVsHuman.judgeConsistency[0].llm, str("R005/R006"));
        QCOMPARE(r.llmVsHuman.fleissAll->raters, names({ "R001", "R004" }));
        QCOMPARE(r.confusion->reference, str("consensus"));
        QCOMPARE(r.confusion->predicted, str("R001,R004"));
        // Numbers are untouched.
        QCOMPARE(*r.llmVsHuman.scores[1].mae.value, 0.4);
    }

    void populateUsesThreshold()
    {
        QWidget host;
        const report::DashboardCharts charts = report::DashboardCharts::create(&host);
        charts.populate(sample(), {}, true);
        QVERIFY(charts.modelCategory->explanation().contains(str("consensus score ≤ 2.5")));
        QVERIFY(charts.llm->sampleSize().contains(str("LLM raters: 2; clinicians: 1")));
        // With filters, the empty LLM panel says the filters hide the LLM raters.
        stats::StatsResult none = sample();
        none.llmVsHuman = {};
        none.filters = storage::RatingFilter {};
        charts.populate(none, {}, true);
        QVERIFY(charts.llm->isEmpty());
        QVERIFY(charts.llm->emptyMessage().contains(str("under the current filters")));
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir::setCurrent(m_dir.path()));
        test::createGoldenStudies();
    }

    void pdfReport()
    {
        storage::Error error;
        auto s = storage::Study::open(QStringLiteral("kripp-llm.crisis"), &error);
        QVERIFY2(s, qPrintable(error.message));
        stats::StatsOptions options;
        options.raters = storage::RaterSelection::fromString(QStringLiteral("all"));
        options.bootstrap = 50;
        options.confusionReference = QStringLiteral("consensus");
        options.confusionPredicted = QStringLiteral("llm");
        const auto result = stats::computeStats(*s, options, &error);
        QVERIFY2(result, qPrintable(error.message));
        QString message;
        int pages = 0;
        const QString path = m_dir.filePath(QStringLiteral("report.pdf"));
        QVERIFY2(report::writeStudyReport(*s, options, *result, path, &message,
                     [&](int done, int total) {
                         QCOMPARE(total, 6);
                         pages = done;
                     }),
            qPrintable(message));
        QCOMPARE(pages, 6);
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
    }

    void chartsMatchGolden_data()
    {
        QTest::addColumn<QString>("study");
        QTest::addColumn<QString>("raters");
        QTest::addColumn<QString>("confusion");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("harmRate");
        QTest::newRow("bench-all") << QStringLiteral("bench.crisis") << QStringLiteral("all")
                                   << QStringLiteral("consensus:llm") << QString() << true;
        QTest::newRow("bench-human-mean")
            << QStringLiteral("bench.crisis") << QStringLiteral("human")
            << QStringLiteral("H1:gpt-5-nano:classify#1,gpt-5-nano:classify#2")
            << QStringLiteral("gpt-5-nano") << false;
        QTest::newRow("kripp-llm") << QStringLiteral("kripp-llm.crisis") << QStringLiteral("all")
                                   << QStringLiteral("human:llm") << QString() << true;
        QTest::newRow("kripp-no-llm") << QStringLiteral("kripp.crisis") << QStringLiteral("human")
                                      << QString() << QString() << true;
        QTest::newRow("kripp-no-llm-filtered")
            << QStringLiteral("kripp.crisis") << QStringLiteral("A") << QStringLiteral("A:B")
            << QStringLiteral("m") << false;
    }

    void chartsMatchGolden()
    {
        QFETCH(QString, study);
        QFETCH(QString, raters);
        QFETCH(QString, confusion);
        QFETCH(QString, model);
        QFETCH(bool, harmRate);
        storage::Error error;
        auto s = storage::Study::open(study, &error);
        QVERIFY2(s, qPrintable(error.message));
        stats::StatsOptions options;
        options.raters = storage::RaterSelection::fromString(raters);
        options.bootstrap = 100;
        options.seed = 3;
        if (!confusion.isEmpty()) {
            options.confusionReference = confusion.section(QLatin1Char(':'), 0, 0);
            options.confusionPredicted = confusion.section(QLatin1Char(':'), 1);
        }
        if (!model.isEmpty())
            options.filter.models = QStringList { model };
        const auto result = stats::computeStats(*s, options, &error);
        QVERIFY2(result, qPrintable(error.message));

        QWidget host;
        const QStringList levels { QStringLiteral("one"), QStringLiteral("two"),
            QStringLiteral("three"), QStringLiteral("four"), QStringLiteral("five") };
        const report::DashboardCharts charts = report::DashboardCharts::create(&host);
        charts.populate(*result, levels, harmRate);
        QByteArray out = describe(charts);
        QHash<QString, QString> pseudonyms;
        for (const storage::Rater &r : storage::RaterRepository(*s).all())
            pseudonyms.insert(r.name, r.pseudonym);
        charts.populate(report::pseudonymised(*result, pseudonyms), levels, harmRate);
        out += "# pseudonymised\n" + describe(charts);

        test::compareGolden(
            out, QStringLiteral("charts/%1.txt").arg(QString::fromLatin1(QTest::currentDataTag())));
    }
};

QTEST_MAIN(TestDashboardData)
#include "tst_dashboarddata.moc"
