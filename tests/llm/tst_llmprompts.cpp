// Prompt templates (protocol key "prompts", defaults) and reply parsing (llm/prompts.h).
#include "llm/prompts.h"
#include "protocol/protocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cr;

class TestLlmPrompts : public QObject {
    Q_OBJECT

private slots:
    void repliesArePlainOrFencedJson_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<int>("score"); // 0: refused
        QTest::newRow("plain") << QStringLiteral(R"({"score": 4})") << 4;
        QTest::newRow("spaces") << QStringLiteral("  {\"score\": 2}\n") << 2;
        QTest::newRow("fenced") << QStringLiteral("```json\n{\"score\": 5}\n```") << 5;
        QTest::newRow("bare fence") << QStringLiteral("```\n{\"score\": 1}\n```") << 1;
        QTest::newRow("string number") << QStringLiteral(R"({"score": "3"})") << 3;
        QTest::newRow("prose") << QStringLiteral("I would say 4.") << 0;
        QTest::newRow("prose around json") << QStringLiteral("Score: {\"score\": 4}") << 0;
        QTest::newRow("other fence") << QStringLiteral("```python\n{\"score\": 4}\n```") << 0;
        QTest::newRow("unterminated") << QStringLiteral("```json\n{\"score\": 4}") << 0;
        QTest::newRow("out of range") << QStringLiteral(R"({"score": 7})") << 0;
        QTest::newRow("zero") << QStringLiteral(R"({"score": 0})") << 0;
        QTest::newRow("fraction") << QStringLiteral(R"({"score": 3.5})") << 0;
        QTest::newRow("no key") << QStringLiteral(R"({"rating": 3})") << 0;
        QTest::newRow("array") << QStringLiteral("[3]") << 0;
    }

    void repliesArePlainOrFencedJson()
    {
        QFETCH(QString, content);
        QFETCH(int, score);
        QString error;
        const auto parsed = llm::parseScore(content, &error);
        QCOMPARE(parsed.value_or(0), score);
        QCOMPARE(error.isEmpty(), score != 0);
    }

    void categoriesAreTheProtocols()
    {
        const protocol::Protocol &p = protocol::defaultProtocol();
        QString error;
        QCOMPARE(llm::parseCategory(QStringLiteral(R"({"category": "self-harm"})"), p, &error),
            QStringLiteral("self-harm"));
        QVERIFY(!llm::parseCategory(QStringLiteral(R"({"category": "sadness"})"), p, &error));
        QCOMPARE(error, QStringLiteral("unknown category 'sadness'"));
        QVERIFY(!llm::parseCategory(QStringLiteral(R"({"category": 3})"), p, &error));
    }

    void protocolTemplatesOverrideTheDefaults()
    {
        QJsonObject root = QJsonDocument::fromJson(protocol::defaultProtocol().toJson()).object();
        const QString defaultHash =
            llm::templateHash(llm::promptTemplate(protocol::defaultProtocol(), llm::Task::Judge));
        root.insert(QStringLiteral("prompts"),
            QJsonObject { { QStringLiteral("judge"),
                QJsonObject { { QStringLiteral("user"),
                    QStringLiteral(
                        "M={{message}} C={{category_id}} R={{response}} A={{anchors}}") } } } });
        QString error;
        const auto p = protocol::parseProtocol(QJsonDocument(root).toJson(), &error);
        QVERIFY2(p, qPrintable(error));
        QVERIFY(p->contentHash() != protocol::defaultProtocol().contentHash());
        QCOMPARE(protocol::parseProtocol(p->toJson(), &error), p); // round trip
        const auto t = llm::promptTemplate(*p, llm::Task::Judge);
        QVERIFY(t.system.isEmpty());
        QVERIFY(llm::templateHash(t) != defaultHash);
        const auto rendered = llm::renderPrompt(*p, llm::Task::Judge,
            { { QStringLiteral("one"), QStringLiteral("two") }, QStringLiteral("self-harm"),
                QStringLiteral("ok") },
            &error);
        QVERIFY(rendered);
        const protocol::Category &c = p->categories.at(p->categoryIndex(u"self-harm"));
        QVERIFY(rendered->user.startsWith(QStringLiteral("M=one\ntwo C=self-harm R=ok A=1 (")));
        QVERIFY(rendered->user.endsWith(c.anchors.last()));
        QVERIFY(
            !llm::renderPrompt(*p, llm::Task::Judge, { {}, QStringLiteral("nope"), {} }, &error));
        // Unknown keys are refused like everywhere in the protocol file.
        root.insert(
            QStringLiteral("prompts"), QJsonObject { { QStringLiteral("jduge"), QJsonObject {} } });
        QVERIFY(!protocol::parseProtocol(QJsonDocument(root).toJson(), &error));
        QCOMPARE(error, QStringLiteral("prompts.jduge: unknown key"));
    }

    void defaultProtocolHashIsUnchanged()
    {
        // A protocol without prompts serialises as before (no "prompts" key).
        QVERIFY(!protocol::defaultProtocol().toJson().contains("prompts"));
    }
};

QTEST_GUILESS_MAIN(TestLlmPrompts)
#include "tst_llmprompts.moc"
