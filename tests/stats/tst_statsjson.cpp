// The statistics document, byte for byte, for the sections `crisis-review stats` never
// prints: "filters" and "confusion" (the dashboard's and the report's options), on the
// benchmark fixture, the Krippendorff matrix with LLM raters and the export-filter study.
// The golden files under tests/data/golden/stats-engine/ were written by the engine
// before its results became typed. CR_UPDATE_GOLDEN=1 rewrites them.
#include "stats/stats.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

namespace {

QString source(const QString &relative)
{
    return qEnvironmentVariable("CR_SOURCE_DIR") + QLatin1Char('/') + relative;
}

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

    void create(const QString &name, const QStringList &files)
    {
        storage::Error error;
        // Relative to the temporary folder (the current directory): the document's
        // "study" member is the same on every machine.
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
        create(QStringLiteral("filters.crisis"),
            { source(QStringLiteral("tests/data/exportfilters/items.jsonl")),
                source(QStringLiteral("tests/data/exportfilters/ratings.jsonl")) });
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
                   QStringLiteral("gpt-5-nano#1,gpt-5-nano#2"), model);
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
        const QByteArray out = QJsonDocument(*doc).toJson();
        QFile file(source(QStringLiteral("tests/data/golden/stats-engine/%1.json")
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

QTEST_GUILESS_MAIN(TestStatsJson)
#include "tst_statsjson.moc"
