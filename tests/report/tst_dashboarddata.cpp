// The dashboard's and the report's chart data from the statistics engine.
// Golden: every chart's table, sample size and explanation, with real names and as the
// report shows them (pseudonyms), on fixed studies; the files under
// tests/data/golden/charts/ were written before the statistics became typed.
// CR_UPDATE_GOLDEN=1 rewrites them.
#include "report/dashboarddata.h"
#include "stats/stats.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "widgets/dashboardchart.h"
#include "widgets/llmcomparisonpanel.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

namespace {

QString source(const QString &relative)
{
    return qEnvironmentVariable("CR_SOURCE_DIR") + QLatin1Char('/') + relative;
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

    void create(const QString &name, const QStringList &files)
    {
        storage::Error error;
        auto study = storage::Study::create(
            name, protocol::defaultProtocol(), QStringLiteral("golden"), &error);
        QVERIFY2(study, qPrintable(error.message));
        storage::ImportReport report;
        QVERIFY2(
            storage::Importer(*study).run(files, {}, &report, &error), qPrintable(error.message));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir::setCurrent(m_dir.path()));
        create(QStringLiteral("bench.crisis"),
            { source(QStringLiteral("tests/data/benchmark/good")) });
        create(QStringLiteral("kripp-llm.crisis"),
            { source(QStringLiteral("tests/data/golden/kripp-items.jsonl")),
                source(QStringLiteral("tests/data/golden/kripp-ratings.jsonl")),
                source(QStringLiteral("tests/data/golden/kripp-llm.jsonl")) });
        create(QStringLiteral("kripp.crisis"),
            { source(QStringLiteral("tests/data/golden/kripp-items.jsonl")),
                source(QStringLiteral("tests/data/golden/kripp-ratings.jsonl")) });
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
            << QStringLiteral("H1:gpt-5-nano#1,gpt-5-nano#2") << QStringLiteral("gpt-5-nano")
            << false;
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

        QFile file(source(QStringLiteral("tests/data/golden/charts/%1.txt")
                              .arg(QString::fromLatin1(QTest::currentDataTag()))));
        if (qEnvironmentVariableIntValue("CR_UPDATE_GOLDEN") == 1) {
            QVERIFY(QDir().mkpath(QFileInfo(file).path()));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(file.write(out), out.size());
            return;
        }
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QCOMPARE(out, file.readAll());
    }
};

QTEST_MAIN(TestDashboardData)
#include "tst_dashboarddata.moc"
