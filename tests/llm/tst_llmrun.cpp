// The LLM run engine (llm/runner.h) against the fake server on loopback: prompts, limits,
// every injected fault, resumption. Bounded: every run ends by its retry limits.
#include "llm/runner.h"
#include "protocol/protocol.h"
#include "storage/study.h"
#include "tests/llm/fakellmserver.h"
#include "tests/llm/llmfixture.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;
using cr::test::FakeFault;
using cr::test::FakeLlmServer;

namespace {

qint64 count(storage::Study &study, const QString &sql)
{
    QSqlQuery q(study.database());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestLlmRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_studies = 0;

    std::unique_ptr<storage::Study> study(
        int items, const QStringList &models = { QStringLiteral("bot-a") })
    {
        return test::makeLlmStudy(
            m_dir.path(), QStringLiteral("s%1.crisis").arg(++m_studies), items, models);
    }

    llm::RunOptions options(const FakeLlmServer &server, llm::Task task, int concurrency = 4)
    {
        llm::RunOptions o;
        o.task = task;
        o.endpoint.name = QStringLiteral("fake");
        o.endpoint.url = server.baseUrl();
        o.endpoint.model = QStringLiteral("judge-model");
        o.endpoint.concurrency = concurrency;
        o.endpoint.timeoutSeconds = 0.5;
        o.backoffMs = 10;
        return o;
    }

    llm::RunSummary run(storage::Study &s, const llm::RunOptions &o)
    {
        storage::Error error;
        const auto summary = llm::runTask(s, o, &error);
        if (!summary)
            qWarning("%s", qPrintable(error.message));
        return summary.value_or(llm::RunSummary {});
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void classifyPromptsPresentTheDefinitions()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        auto s = study(6);
        QVERIFY(s);
        auto o = options(server, llm::Task::Classify);
        o.runs = 2;
        const llm::RunSummary r = run(*s, o);
        QCOMPARE(r.progress.done, 12);
        QCOMPARE(server.requestCount(), 12);
        for (const QString &prompt : server.prompts())
            for (const protocol::Category &c : protocol::defaultProtocol().categories) {
                QVERIFY2(prompt.contains(c.description), qPrintable(c.id));
                QVERIFY(prompt.contains(QStringLiteral("- ") + c.id + QLatin1Char(':')));
            }
        QCOMPARE(count(*s,
                     QStringLiteral("SELECT count(*) FROM category_label c JOIN rater r ON"
                                    " r.id = c.rater_id WHERE r.kind = 'llm' AND r.name IN"
                                    " ('judge-model:classify#1', 'judge-model:classify#2')")),
            12);
        // Each label is what the server answered, and each request is stored with its prompt.
        QCOMPARE(
            count(*s, QStringLiteral("SELECT count(*) FROM llm_request WHERE error IS NULL")), 12);
        QCOMPARE(count(*s, QStringLiteral("SELECT count(DISTINCT prompt_id) FROM llm_request")), 6);
        QCOMPARE(count(*s,
                     QStringLiteral("SELECT count(*) FROM llm_request WHERE server_model ="
                                    " 'judge-model-fake' AND prompt_tokens > 0")),
            12);
    }

    void judgePromptsCarryTheirCategorysAnchors()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        auto s = study(7, { QStringLiteral("bot-a"), QStringLiteral("bot-b") });
        QVERIFY(s);
        auto o = options(server, llm::Task::Judge);
        o.models = { QStringLiteral("bot-b") };
        const llm::RunSummary r = run(*s, o);
        QCOMPARE(r.progress.done, 7);
        const auto &categories = protocol::defaultProtocol().categories;
        for (const QJsonObject &request : server.requests()) {
            const QString prompt = server.prompts().at(server.requests().indexOf(request));
            QVERIFY(prompt.contains(QLatin1String("of bot-b.")));
            int matching = -1;
            for (int i = 0; i < categories.size(); ++i)
                if (prompt.contains(QStringLiteral("Message number %1:").arg(i)))
                    matching = i;
            QVERIFY(matching >= 0);
            const protocol::Category &mine = categories.at(matching);
            QVERIFY(prompt.contains(mine.description));
            for (const QString &anchor : mine.anchors)
                QVERIFY(prompt.contains(anchor));
            for (const protocol::Category &other : categories)
                if (other.id != mine.id)
                    QVERIFY2(!prompt.contains(other.anchors.at(0)), qPrintable(other.id));
        }
        QCOMPARE(count(*s,
                     QStringLiteral("SELECT count(*) FROM response_rating x JOIN rater r ON"
                                    " r.id = x.rater_id WHERE r.name = 'judge-model:judge#1'")),
            7);
        QString verifyError;
        QVERIFY(s->database().isOpen());
    }

    void concurrencyLimit()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.setDelayMs(80);
        auto s = study(20);
        auto o = options(server, llm::Task::Classify, 3);
        QCOMPARE(run(*s, o).progress.done, 20);
        QCOMPARE(server.maxConcurrency(), 3);
    }

    void highConcurrencyUsesSeveralConnectionsPools()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.setDelayMs(80);
        auto s = study(40);
        auto o = options(server, llm::Task::Classify, 16);
        QCOMPARE(run(*s, o).progress.done, 40);
        QCOMPARE(server.maxConcurrency(), 16);
    }

    void requestsPerMinute()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        auto s = study(5);
        auto o = options(server, llm::Task::Classify, 8);
        o.endpoint.rpm = 300; // one request every 200 ms
        QCOMPARE(run(*s, o).progress.done, 5);
        const QList<qint64> &at = server.arrivals();
        QCOMPARE(at.size(), 5);
        for (qsizetype i = 1; i < at.size(); ++i)
            QVERIFY2(at[i] - at[i - 1] >= 190, qPrintable(QString::number(at[i] - at[i - 1])));
    }

    void faults_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("task");
        QTest::addColumn<int>("requests");
        QTest::addColumn<QString>("error");
        QTest::newRow("429") << int(FakeFault::Kind::TooManyRequests) << int(llm::Task::Classify)
                             << 4 << QStringLiteral("HTTP 429 (Retry-After 1)");
        QTest::newRow("500") << int(FakeFault::Kind::ServerError) << int(llm::Task::Classify) << 4
                             << QStringLiteral("HTTP 500");
        QTest::newRow("timeout") << int(FakeFault::Kind::Timeout) << int(llm::Task::Classify) << 4
                                 << QStringLiteral("timeout after 0.5 s");
        QTest::newRow("invalid-json")
            << int(FakeFault::Kind::InvalidJson) << int(llm::Task::Classify) << 4
            << QStringLiteral("not a JSON object: I think this one is hard to say.");
        QTest::newRow("broken-body") << int(FakeFault::Kind::BrokenBody) << int(llm::Task::Judge)
                                     << 4 << QStringLiteral("the reply is not a chat completion");
        QTest::newRow("wrong-label") << int(FakeFault::Kind::WrongLabel) << int(llm::Task::Classify)
                                     << 4 << QStringLiteral("unknown category 'not_a_category'");
        QTest::newRow("out-of-range") << int(FakeFault::Kind::OutOfRange) << int(llm::Task::Judge)
                                      << 4 << QStringLiteral("score 7 is not an integer 1..5");
        QTest::newRow("drop") << int(FakeFault::Kind::Drop) << int(llm::Task::Judge) << 4
                              << QStringLiteral("network: ");
        QTest::newRow("fenced") << int(FakeFault::Kind::Fenced) << int(llm::Task::Judge) << 3
                                << QString();
    }

    void faults()
    {
        QFETCH(int, kind);
        QFETCH(int, task);
        QFETCH(int, requests);
        QFETCH(QString, error);
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.addFault({ FakeFault::Kind(kind), QStringLiteral("Message number 1:"), 1, 1 });
        auto s = study(3);
        auto o = options(server, llm::Task(task), 2);
        QElapsedTimer clock;
        clock.start();
        const llm::RunSummary r = run(*s, o);
        QCOMPARE(r.progress.done, 3);
        QCOMPARE(r.progress.failedUnits, 0);
        QCOMPARE(server.requestCount(), requests);
        QCOMPARE(server.faultsInjected(), 1);
        if (kind == int(FakeFault::Kind::TooManyRequests))
            QVERIFY(clock.elapsed() >= 1000); // Retry-After: 1 honoured
        QSqlQuery q(s->database());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT r.attempt, r.error, r.raw_reply, r.http_status FROM llm_request r"
            " JOIN item i ON i.id = r.item_id WHERE i.external_id = 'it-1'"
            " ORDER BY r.attempt")));
        QVERIFY(q.next());
        if (error.isEmpty()) { // fenced JSON is a valid reply
            QVERIFY(q.value(1).isNull());
            QVERIFY(q.value(2).toString().contains(QLatin1String("```json")));
            return;
        }
        QCOMPARE(q.value(0).toInt(), 1);
        QVERIFY2(q.value(1).toString().startsWith(error), qPrintable(q.value(1).toString()));
        if (error.startsWith(QLatin1String("network"))
            || error.startsWith(QLatin1String("timeout")))
            QVERIFY(q.value(3).isNull()); // no HTTP reply
        else
            QVERIFY(!q.value(3).isNull());
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 2);
        QVERIFY(q.value(1).isNull());
        QVERIFY(!q.next());
    }

    void parseFailuresGiveUpWithoutADefault()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.addFault(
            { FakeFault::Kind::WrongLabel, QStringLiteral("Message number 2:"), -1, 1 });
        auto s = study(4);
        auto o = options(server, llm::Task::Classify, 2);
        const llm::RunSummary r = run(*s, o);
        QCOMPARE(r.progress.done, 3);
        QCOMPARE(r.progress.failedUnits, 1);
        QCOMPARE(r.progress.failedAttempts, 3);
        QCOMPARE(count(*s,
                     QStringLiteral("SELECT count(*) FROM category_label c JOIN item i ON"
                                    " i.id = c.item_id WHERE i.external_id = 'it-2'")),
            0);
        QCOMPARE(count(*s,
                     QStringLiteral("SELECT count(*) FROM llm_request WHERE raw_reply LIKE"
                                    " '%not_a_category%'")),
            3);
        // A second invocation asks only for the missing unit.
        server.clearFaults();
        const llm::RunSummary again = run(*s, o);
        QCOMPARE(again.alreadyDone, 3);
        QCOMPARE(again.progress.done, 1);
    }

    void unauthorizedStopsTheRun()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.addFault({ FakeFault::Kind::BadRequest, QString(), -1, 1 });
        auto s = study(30);
        auto o = options(server, llm::Task::Classify, 1);
        o.endpoint.keyEnv = QStringLiteral("CR_TEST_FAKE_KEY");
        qputenv("CR_TEST_FAKE_KEY", "sk-test");
        const llm::RunSummary r = run(*s, o);
        QCOMPARE(r.progress.done, 0);
        QCOMPARE(server.requestCount(), 1);
        QVERIFY2(r.stopReason.contains(QLatin1String("HTTP 401 (invalid api key); check the key in "
                                                     "$CR_TEST_FAKE_KEY")),
            qPrintable(r.stopReason));
        QCOMPARE(server.requests().size(), 1);
        qunsetenv("CR_TEST_FAKE_KEY");
        storage::Error error;
        QVERIFY(!llm::runTask(*s, o, &error));
        QVERIFY(error.message.contains(QLatin1String("CR_TEST_FAKE_KEY")));
    }

    void respondStoresResponsesPerRun()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        auto s = study(4);
        auto o = options(server, llm::Task::Respond);
        o.endpoint.name = QStringLiteral("chatbot-x");
        o.runs = 3;
        QCOMPARE(run(*s, o).progress.done, 12);
        QCOMPARE(
            count(*s,
                QStringLiteral("SELECT count(*) FROM response s JOIN model m ON m.id ="
                               " s.model_id WHERE m.name = 'chatbot-x' AND s.run BETWEEN 1 AND 3")),
            12);
        QCOMPARE(server.prompts().first(), QStringLiteral("Message number 0: I feel low today."));
        o.dryRun = true;
        const llm::RunSummary dry = run(*s, o);
        QCOMPARE(dry.progress.total, 0);
        QCOMPARE(dry.alreadyDone, 12);
    }

    void dryRunCountsWithoutSending()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        auto s = study(5, { QStringLiteral("a"), QStringLiteral("b") });
        auto o = options(server, llm::Task::Judge);
        o.runs = 2;
        o.dryRun = true;
        o.endpoint.maxTokens = 10;
        const llm::RunSummary r = run(*s, o);
        QCOMPARE(r.progress.total, 20);
        QCOMPARE(r.completionTokensLimit, 200);
        QVERIFY(r.promptTokensEstimate > 20 * 100);
        QCOMPARE(server.requestCount(), 0);
        QCOMPARE(count(*s, QStringLiteral("SELECT count(*) FROM llm_run")), 0);
    }

    void cancelKeepsWhatIsDone()
    {
        FakeLlmServer server;
        QVERIFY(server.listen());
        server.setDelayMs(30);
        auto s = study(50);
        auto o = options(server, llm::Task::Classify, 2);
        QElapsedTimer clock;
        clock.start();
        o.cancelled = [&clock] { return clock.elapsed() > 300; };
        const llm::RunSummary r = run(*s, o);
        QVERIFY(r.cancelled);
        QVERIFY(r.progress.done > 0 && r.progress.done < 50);
        QCOMPARE(count(*s, QStringLiteral("SELECT count(*) FROM category_label")), r.progress.done);
        o.cancelled = {};
        const llm::RunSummary rest = run(*s, o);
        QCOMPARE(rest.alreadyDone + rest.progress.done, 50);
        QCOMPARE(count(*s, QStringLiteral("SELECT count(*) FROM category_label")), 50);
    }
};

QTEST_GUILESS_MAIN(TestLlmRun)
#include "tst_llmrun.moc"
