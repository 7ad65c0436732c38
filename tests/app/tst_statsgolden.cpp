// `crisis-review stats` output, byte for byte, on two fixed studies: the benchmark
// fixture (tests/data/benchmark/good: clinicians, LLM classifiers, a judge with runs)
// and the Krippendorff (2011) matrix (tests/data/golden/kripp-*.jsonl: items without
// consensus, undefined values), also with LLM raters (kripp-llm.jsonl). The golden files under
// tests/data/golden/stats/ were written by the engine before its results became typed; the JSON
// contract must not move. CR_UPDATE_GOLDEN=1 rewrites them (only when the output is meant to
// change).
#include "../stats/golden.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestStatsGolden final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    /// Runs the binary in the temporary folder (studies are named relative to it, so
    /// the document's "study" member is the same on every machine).
    QByteArray run(const QStringList &args, bool *ok)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        *ok = p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit
            && p.exitCode() == 0;
        if (!*ok)
            qWarning("%s", p.readAllStandardError().constData());
        return p.readAllStandardOutput();
    }

    void create(const QString &study, const QStringList &imports)
    {
        bool ok = false;
        run({ QStringLiteral("init"), study }, &ok);
        QVERIFY(ok);
        run(QStringList { QStringLiteral("import"), study } + imports, &ok);
        QVERIFY(ok);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        create(QStringLiteral("bench.crisis"),
            { cr::test::source(QStringLiteral("tests/data/benchmark/good")) });
        // The benchmark fixture with a jury of the judge's three runs.
        create(QStringLiteral("bench-jury.crisis"),
            { cr::test::source(QStringLiteral("tests/data/benchmark/good")) });
        bool ok = false;
        run({ QStringLiteral("jury"), QStringLiteral("add"), QStringLiteral("bench-jury.crisis"),
                QStringLiteral("panel"), QStringLiteral("--raters"),
                QStringLiteral("gpt-4o-mini:judge#1,gpt-4o-mini:judge#2,gpt-4o-mini:judge#3") },
            &ok);
        QVERIFY(ok);
        create(QStringLiteral("kripp.crisis"),
            { cr::test::source(QStringLiteral("tests/data/golden/kripp-items.jsonl")),
                cr::test::source(QStringLiteral("tests/data/golden/kripp-ratings.jsonl")) });
        create(QStringLiteral("kripp-llm.crisis"),
            { cr::test::source(QStringLiteral("tests/data/golden/kripp-items.jsonl")),
                cr::test::source(QStringLiteral("tests/data/golden/kripp-ratings.jsonl")),
                cr::test::source(QStringLiteral("tests/data/golden/kripp-llm.jsonl")) });
    }

    void output_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QStringList>("args");
        const QString bench = QStringLiteral("bench.crisis");
        const QString kripp = QStringLiteral("kripp.crisis");
        auto row = [](const char *golden, const QStringList &args) {
            QTest::newRow(golden) << QString::fromLatin1(golden) << args;
        };
        // Defaults: human raters, threshold 2, 1000 replicates, seed 1.
        row("bench-default.json", { bench, QStringLiteral("--json") });
        row("bench-all.json",
            { bench, QStringLiteral("--json"), QStringLiteral("--raters"), QStringLiteral("all"),
                QStringLiteral("--fleiss-all"), QStringLiteral("--bootstrap"),
                QStringLiteral("200"), QStringLiteral("--seed"), QStringLiteral("7"),
                QStringLiteral("--harm-threshold"), QStringLiteral("3") });
        row("bench-llm-no-bootstrap.json",
            { bench, QStringLiteral("--json"), QStringLiteral("--raters"), QStringLiteral("llm"),
                QStringLiteral("--bootstrap"), QStringLiteral("0") });
        row("bench-names.json",
            { bench, QStringLiteral("--json"), QStringLiteral("--raters"),
                QStringLiteral("H1,gpt-5-nano:classify#2"), QStringLiteral("--harm-threshold"),
                QStringLiteral("2.5"), QStringLiteral("--bootstrap"), QStringLiteral("50"),
                QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--fleiss-all") });
        row("kripp-default.json",
            { kripp, QStringLiteral("--json"), QStringLiteral("--bootstrap"), QStringLiteral("300"),
                QStringLiteral("--seed"), QStringLiteral("9") });
        row("kripp-all.json",
            { kripp, QStringLiteral("--json"), QStringLiteral("--raters"), QStringLiteral("all"),
                QStringLiteral("--fleiss-all"), QStringLiteral("--harm-threshold"),
                QStringLiteral("1") });
        row("kripp-single-rater.json",
            { kripp, QStringLiteral("--json"), QStringLiteral("--raters"), QStringLiteral("A"),
                QStringLiteral("--bootstrap"), QStringLiteral("0") });
        // LLM raters with means of runs, no overlap and partial labels: undefined values.
        const QString krippLlm = QStringLiteral("kripp-llm.crisis");
        row("kripp-llm-all.json",
            { krippLlm, QStringLiteral("--json"), QStringLiteral("--raters"), QStringLiteral("all"),
                QStringLiteral("--fleiss-all"), QStringLiteral("--bootstrap"),
                QStringLiteral("100") });
        row("kripp-llm-human.json", { krippLlm, QStringLiteral("--json") });
        // Judge summaries (--bands), category sources and a jury (issue 19).
        const QString runs =
            QStringLiteral("gpt-4o-mini:judge#1,gpt-4o-mini:judge#2,gpt-4o-mini:judge#3");
        row("bench-bands.json",
            { bench, QStringLiteral("--json"), QStringLiteral("--raters"), runs,
                QStringLiteral("--bands"), QStringLiteral("2.3,3.6"), QStringLiteral("--bootstrap"),
                QStringLiteral("0") });
        row("bench-category-source.json",
            { bench, QStringLiteral("--json"), QStringLiteral("--category-source"),
                QStringLiteral("gpt-5-nano:classify#1,gpt-5-nano:classify#2,gpt-5-nano:classify#3"),
                QStringLiteral("--bootstrap"), QStringLiteral("0") });
        row("bench-category-reference.txt",
            { bench, QStringLiteral("--category-source"), QStringLiteral("reference"),
                QStringLiteral("--bootstrap"), QStringLiteral("0") });
        row("bench-bands.txt",
            { bench, QStringLiteral("--raters"), runs, QStringLiteral("--bands"),
                QStringLiteral("2.3,3.6"), QStringLiteral("--category-source"),
                QStringLiteral("gpt-5-nano:classify#1,gpt-5-nano:classify#2,gpt-5-nano:classify#3"),
                QStringLiteral("--bootstrap"), QStringLiteral("0") });
        row("bench-jury.json",
            { QStringLiteral("bench-jury.crisis"), QStringLiteral("--json"),
                QStringLiteral("--raters"), QStringLiteral("panel,H1"), QStringLiteral("--bands"),
                QStringLiteral("3"), QStringLiteral("--bootstrap"), QStringLiteral("0") });
        // The text tables read the same results.
        row("bench-default.txt", { bench });
        row("bench-all.txt",
            { bench, QStringLiteral("--raters"), QStringLiteral("all"),
                QStringLiteral("--fleiss-all"), QStringLiteral("--bootstrap"),
                QStringLiteral("200"), QStringLiteral("--seed"), QStringLiteral("7") });
        row("kripp-default.txt", { kripp, QStringLiteral("--bootstrap"), QStringLiteral("300") });
        row("kripp-llm-all.txt",
            { krippLlm, QStringLiteral("--raters"), QStringLiteral("all"),
                QStringLiteral("--fleiss-all"), QStringLiteral("--bootstrap"),
                QStringLiteral("100") });
        row("kripp-single-rater.txt",
            { kripp, QStringLiteral("--raters"), QStringLiteral("A"), QStringLiteral("--bootstrap"),
                QStringLiteral("0") });
    }

    void output()
    {
        QFETCH(QString, golden);
        QFETCH(QStringList, args);
        bool ok = false;
        const QByteArray out = run(QStringList { QStringLiteral("stats") } + args, &ok);
        QVERIFY(ok);
        cr::test::compareGolden(out, QStringLiteral("stats/") + golden);
    }
};

QTEST_GUILESS_MAIN(TestStatsGolden)
#include "tst_statsgolden.moc"
