// `crisis-review endpoint` and `crisis-review llm` end to end: the real binary against the
// fake server on loopback. Profiles keep no secret; a SIGKILLed judge run resumes to exactly
// one result per (response, run); the results verify and are compared with a clinician by
// `stats` like imported LLM raters.
#include "storage/study.h"
#include "tests/llm/fakellmserver.h"
#include "tests/llm/llmfixture.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;
using cr::test::FakeLlmServer;

class TestLlmCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static QString binary()
    {
        return qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review");
    }

    /// Runs the binary while the event loop (and so the in-process fake server) keeps going.
    struct Result {
        int code = -1;
        QString out;
        QString err;
    };
    Result run(const QStringList &args, int timeoutMs = 60000)
    {
        QProcess p;
        p.start(binary(), args);
        if (!p.waitForStarted())
            return {};
        QElapsedTimer clock;
        clock.start();
        while (p.state() != QProcess::NotRunning && clock.elapsed() < timeoutMs)
            QTest::qWait(20);
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()) };
    }

    static qint64 count(const QString &path, const QString &sql)
    {
        storage::Error e;
        auto study = storage::Study::open(path, &e);
        if (!study)
            return -1;
        QSqlQuery q(study->database());
        if (!q.exec(sql) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void endpointProfilesKeepNoSecret()
    {
        qputenv("CR_TEST_SECRET_KEY", "sk-do-not-store-4242");
        Result r =
            run({ QStringLiteral("endpoint"), QStringLiteral("add"), QStringLiteral("hosted"),
                QStringLiteral("--url"), QStringLiteral("https://api.example.org/v1"),
                QStringLiteral("--model"), QStringLiteral("gpt-x"), QStringLiteral("--key-env"),
                QStringLiteral("CR_TEST_SECRET_KEY"), QStringLiteral("--concurrency"),
                QStringLiteral("8"), QStringLiteral("--rpm"), QStringLiteral("600"),
                QStringLiteral("--seed"), QStringLiteral("7") });
        QCOMPARE(r.code, 0);
        r = run({ QStringLiteral("endpoint"), QStringLiteral("list") });
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("hosted\thttps://api.example.org/v1\tgpt-x\t"
                                              "key=$CR_TEST_SECRET_KEY\tconcurrency=8\trpm=600")),
            qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("seed=7")));
        // No settings file holds the key itself.
        const QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
        QVERIFY(!config.isEmpty());
        int files = 0;
        for (QDirIterator it(config, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            files += bytes.contains("api.example.org") ? 1 : 0;
            QVERIFY2(!bytes.contains("sk-do-not-store"), qPrintable(f.fileName()));
        }
        QCOMPARE(files, 1);
        // Bad values are usage errors; an unknown name to remove is invalid input.
        r = run({ QStringLiteral("endpoint"), QStringLiteral("add"), QStringLiteral("bad"),
            QStringLiteral("--url"), QStringLiteral("ftp://x"), QStringLiteral("--model"),
            QStringLiteral("m") });
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QLatin1String("http://")));
        r = run({ QStringLiteral("endpoint"), QStringLiteral("remove"), QStringLiteral("hosted") });
        QCOMPARE(r.code, 0);
        r = run({ QStringLiteral("endpoint"), QStringLiteral("remove"), QStringLiteral("hosted") });
        QCOMPARE(r.code, 2);
        QVERIFY(!run({ QStringLiteral("endpoint"), QStringLiteral("list") })
                     .out.contains(QLatin1String("hosted")));
    }

    void killedJudgeRunResumesWithoutDuplicates()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.setDelayMs(15);
        auto study = test::makeLlmStudy(
            m_dir.path(), QStringLiteral("kill.crisis"), 60, { QStringLiteral("bot-a") });
        QVERIFY(study);
        const QString path = study->path();
        study.reset();
        // A clinician scored and labelled every item, as an imported bundle would.
        QFile ratings(m_dir.filePath(QStringLiteral("ratings.jsonl")));
        QVERIFY(ratings.open(QIODevice::WriteOnly));
        for (int i = 0; i < 60; ++i)
            ratings.write(QStringLiteral("{\"rater\": \"H1\", \"item_id\": \"it-%1\", \"model\": "
                                         "\"bot-a\", \"score\": %2}\n")
                              .arg(i)
                              .arg(1 + i % 5)
                              .toUtf8());
        ratings.close();
        QCOMPARE(run({ QStringLiteral("import"), path, ratings.fileName() }).code, 0);
        QCOMPARE(run({ QStringLiteral("endpoint"), QStringLiteral("add"), QStringLiteral("fake"),
                         QStringLiteral("--url"), server.baseUrl(), QStringLiteral("--model"),
                         QStringLiteral("judge-model"), QStringLiteral("--concurrency"),
                         QStringLiteral("4") })
                     .code,
            0);
        const QStringList judge { QStringLiteral("llm"), QStringLiteral("judge"), path,
            QStringLiteral("--endpoint"), QStringLiteral("fake"), QStringLiteral("--runs"),
            QStringLiteral("2") };
        Result dry = run(judge + QStringList { QStringLiteral("--dry-run") });
        QCOMPARE(dry.code, 0);
        QVERIFY2(
            dry.out.contains(QLatin1String("120 requests to fake (judge-model), 0 already done")),
            qPrintable(dry.out));
        QCOMPARE(server.requestCount(), 0);

        QProcess p;
        p.start(binary(), judge);
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 50, 30000);
        p.kill(); // SIGKILL: no chance to flush
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 10000);
        const qint64 before = count(path,
            QStringLiteral("SELECT count(*) FROM response_rating s"
                           " JOIN rater r ON r.id = s.rater_id"
                           " WHERE r.kind = 'llm'"));
        QVERIFY2(before > 0 && before < 120, qPrintable(QString::number(before)));

        const Result resumed = run(judge);
        QCOMPARE(resumed.code, 0);
        QVERIFY2(resumed.out.contains(QStringLiteral("%1 already before").arg(before)),
            qPrintable(resumed.out));
        QVERIFY(resumed.err.contains(QLatin1String("llm judge: ")));
        QCOMPARE(count(path,
                     QStringLiteral("SELECT count(*) FROM response_rating s JOIN rater r"
                                    " ON r.id = s.rater_id WHERE r.kind = 'llm'")),
            120);
        QCOMPARE(count(path,
                     QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM response_rating s"
                                    " JOIN rater r ON r.id = s.rater_id WHERE r.name IN"
                                    " ('judge-model:judge#1', 'judge-model:judge#2')"
                                    " GROUP BY s.response_id, r.name HAVING count(*) = 1)")),
            120);
        // Nothing was asked twice once it had a stored result: at most the units in flight
        // or not yet committed when it was killed were asked again.
        QVERIFY(server.requestCount() < 120 + 50);
        QCOMPARE(count(path, QStringLiteral("SELECT count(*) FROM llm_run")), 2);

        QCOMPARE(run({ QStringLiteral("verify"), path }).code, 0);
        const Result stats = run({ QStringLiteral("stats"), path, QStringLiteral("--json"),
            QStringLiteral("--bootstrap"), QStringLiteral("0"), QStringLiteral("--raters"),
            QStringLiteral("all") });
        QCOMPARE(stats.code, 0);
        const QJsonArray rows = QJsonDocument::fromJson(stats.out.toUtf8())
                                    .object()
                                    .value(QStringLiteral("llm_vs_human"))
                                    .toObject()
                                    .value(QStringLiteral("scores"))
                                    .toArray();
        bool found = false;
        for (const QJsonValue &v : rows) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("llm")).toString() == QLatin1String("judge-model:judge#1")
                && o.value(QStringLiteral("human")).toString() == QLatin1String("H1")) {
                QCOMPARE(o.value(QStringLiteral("n")).toInt(), 60);
                found = true;
            }
        }
        QVERIFY2(found, qPrintable(stats.out.left(2000)));
    }

    void poolToStatsEndToEnd()
    {
        // Issue 18's "done when": a pool, a sample, three models' responses, a classifier and
        // a judge from the command line against the fake server (the classify run killed and
        // resumed), then stats compares the LLM raters with a clinician.
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.setDelayMs(10);
        QVERIFY(test::makeLlmStudy(m_dir.path(), QStringLiteral("pool.crisis"), 80, {}));
        const QString pool = m_dir.filePath(QStringLiteral("pool.crisis"));
        const QString study = m_dir.filePath(QStringLiteral("audit.crisis"));
        QCOMPARE(run({ QStringLiteral("init"), study }).code, 0);
        const Result sampled = run({ QStringLiteral("sample"), study, QStringLiteral("--from"),
            pool, QStringLiteral("--per"), QStringLiteral("dataset"), QStringLiteral("--n"),
            QStringLiteral("20"), QStringLiteral("--seed"), QStringLiteral("5"),
            QStringLiteral("--split"), QStringLiteral("test") });
        QCOMPARE(sampled.code, 0);
        QVERIFY2(sampled.out.contains(QLatin1String("Added 20 items")), qPrintable(sampled.out));
        for (const char *name : { "bot1", "bot2", "bot3", "judge" })
            QCOMPARE(run({ QStringLiteral("endpoint"), QStringLiteral("add"), QLatin1String(name),
                             QStringLiteral("--url"), server.baseUrl(), QStringLiteral("--model"),
                             QLatin1String(name) + QStringLiteral("-model") })
                         .code,
                0);
        for (const char *bot : { "bot1", "bot2", "bot3" })
            QCOMPARE(run({ QStringLiteral("llm"), QStringLiteral("respond"), study,
                             QStringLiteral("--endpoint"), QLatin1String(bot) })
                         .code,
                0);
        QCOMPARE(count(study, QStringLiteral("SELECT count(*) FROM response")), 60);

        // The clinician labels every item and scores every response.
        QFile ratings(m_dir.filePath(QStringLiteral("h1.jsonl")));
        QVERIFY(ratings.open(QIODevice::WriteOnly));
        {
            storage::Error e;
            auto s = storage::Study::open(study, &e);
            QSqlQuery q(s->database());
            QVERIFY(q.exec(QStringLiteral("SELECT i.external_id, i.reference_label, m.name"
                                          " FROM response r JOIN item i ON i.id = r.item_id"
                                          " JOIN model m ON m.id = r.model_id")));
            int n = 0;
            while (q.next()) {
                const QString item = q.value(0).toString();
                ratings.write(QStringLiteral("{\"rater\": \"H1\", \"item_id\": \"%1\", \"model\": "
                                             "\"%2\", \"score\": %3}\n")
                                  .arg(item, q.value(2).toString())
                                  .arg(1 + n++ % 5)
                                  .toUtf8());
                if (q.value(2).toString() == QLatin1String("bot1"))
                    ratings.write(QStringLiteral("{\"rater\": \"H1\", \"item_id\": \"%1\", "
                                                 "\"category\": \"%2\"}\n")
                                      .arg(item, q.value(1).toString())
                                      .toUtf8());
            }
        }
        ratings.close();
        const Result imported = run({ QStringLiteral("import"), study, ratings.fileName() });
        QVERIFY2(imported.code == 0, qPrintable(imported.err));

        // Classify 3 runs, killed part-way, then resumed.
        const QStringList classify { QStringLiteral("llm"), QStringLiteral("classify"), study,
            QStringLiteral("--endpoint"), QStringLiteral("judge"), QStringLiteral("--runs"),
            QStringLiteral("3") };
        const int before = server.requestCount();
        QProcess p;
        p.start(binary(), classify);
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= before + 25, 30000);
        p.kill();
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 10000);
        QCOMPARE(run(classify).code, 0);
        QCOMPARE(
            count(study,
                QStringLiteral("SELECT count(*) FROM category_label c JOIN rater r ON"
                               " r.id = c.rater_id WHERE r.name GLOB 'judge-model:classify#*'")),
            60);
        QCOMPARE(run({ QStringLiteral("llm"), QStringLiteral("judge"), study,
                         QStringLiteral("--endpoint"), QStringLiteral("judge"),
                         QStringLiteral("--models"), QStringLiteral("bot1,bot3") })
                     .code,
            0);
        QCOMPARE(count(study,
                     QStringLiteral("SELECT count(*) FROM response_rating s JOIN rater r ON"
                                    " r.id = s.rater_id WHERE r.name = 'judge-model:judge#1'")),
            40);
        QCOMPARE(run({ QStringLiteral("verify"), study }).code, 0);

        const Result stats = run({ QStringLiteral("stats"), study, QStringLiteral("--json"),
            QStringLiteral("--bootstrap"), QStringLiteral("0") });
        QCOMPARE(stats.code, 0);
        const QJsonObject section = QJsonDocument::fromJson(stats.out.toUtf8())
                                        .object()
                                        .value(QStringLiteral("llm_vs_human"))
                                        .toObject();
        const auto row = [&](const char *kind, const QString &llm) {
            for (const QJsonValue &v : section.value(QLatin1String(kind)).toArray())
                if (v.toObject().value(QStringLiteral("llm")).toString() == llm
                    && v.toObject().value(QStringLiteral("human")).toString()
                        == QLatin1String("H1"))
                    return v.toObject();
            return QJsonObject();
        };
        for (int r = 1; r <= 3; ++r)
            QCOMPARE(row("categories", QStringLiteral("judge-model:classify#%1").arg(r))
                         .value(QStringLiteral("n"))
                         .toInt(),
                20);
        QCOMPARE(
            row("scores", QStringLiteral("judge-model:judge#1")).value(QStringLiteral("n")).toInt(),
            40);
    }
};

QTEST_GUILESS_MAIN(TestLlmCli)
#include "tst_llmcli.moc"
