#include "protocol/protocol.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "tests/storage/testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <sys/stat.h>

using namespace cr::storage;
namespace test = cr::test;

Q_DECLARE_METATYPE(cr::storage::ImportFormat)

namespace {

struct Outcome {
    bool ok = false;
    ImportReport report;
    Error error;
};

Outcome runImport(Study &study, const QStringList &files, ImportOptions options = {})
{
    Outcome o;
    o.ok = Importer(study).run(files, options, &o.report, &o.error);
    return o;
}

QString describe(const Outcome &o)
{
    QString s = o.error.message;
    for (const ImportIssue &i : o.report.errors)
        s += QLatin1Char('\n') + i.toString();
    return s;
}

QJsonObject jsonObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

/// The data tables an import may write (not event/import_run, which record the run itself,
/// nor the tally_* counts the schema's triggers derive from the rows).
QMap<QString, qint64> dataCounts(const Study &study)
{
    QMap<QString, qint64> all = test::tableCounts(study.database());
    all.remove(QStringLiteral("event"));
    all.remove(QStringLiteral("import_run"));
    for (const char *tally : { "tally_item", "tally_rater", "tally_response", "tally_study" })
        all.remove(QString::fromLatin1(tally));
    return all;
}

std::optional<Response> responseOf(
    Study &study, const QString &externalId, const QString &model, int run)
{
    const auto item = ItemRepository(study).byExternalId(externalId);
    if (!item)
        return std::nullopt;
    for (const Response &r : ItemRepository(study).responses(item->id))
        if (r.modelName == model && r.run == run)
            return r;
    return std::nullopt;
}

qint64 raterId(Study &study, const QString &name)
{
    const auto r = RaterRepository(study).byName(name);
    return r ? r->id : 0;
}

qint64 itemId(Study &study, const QString &externalId)
{
    const auto i = ItemRepository(study).byExternalId(externalId);
    return i ? i->id : 0;
}

/// The malformed corpus, tests/data/import/malformed.tsv: file (under
/// tests/data/import/malformed/, or "@name" made at test time), where the first error
/// is (":LINE", ":LINE:FIELD", ":LINE:COLUMN", or "" for the file itself), a phrase its
/// reason contains, and the --format (default auto).
struct MalformedCase {
    QString file;
    QString where;
    QString phrase;
    QString format;
};

QList<MalformedCase> malformedCases()
{
    QList<MalformedCase> cases;
    const QByteArray manifest = test::readAll(test::importData(QStringLiteral("malformed.tsv")));
    for (const QByteArray &line : manifest.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> f = line.split('\t');
        if (f.size() < 3)
            qFatal("malformed.tsv: bad line %s", line.constData());
        cases.append({ QString::fromUtf8(f[0]), QString::fromUtf8(f[1]), QString::fromUtf8(f[2]),
            f.size() > 3 ? QString::fromUtf8(f[3]) : QString() });
    }
    return cases;
}

} // namespace

class TestImporter final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Study> m_study;
    QTemporaryDir m_templateDir;
    QString m_seeded; // a closed study holding seed.jsonl, copied by the malformed tests

    QString tmp(const QString &name) const { return m_dir->filePath(name); }

    QString write(const QString &name, const QByteArray &bytes) const
    {
        const QString path = tmp(name);
        if (!test::writeFile(path, bytes))
            qWarning("cannot write %s", qPrintable(path));
        return path;
    }

    QByteArray huge(int mebibytes) const
    {
        QByteArray line = "{\"item_id\": \"huge\", \"text\": \"";
        line += QByteArray(qsizetype(mebibytes) << 20, 'x');
        line += "\"}\n";
        return line;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(QFileInfo::exists(test::importData(QStringLiteral("items_turns.jsonl"))));
        QVERIFY(m_templateDir.isValid());
        m_seeded = m_templateDir.filePath(QStringLiteral("seeded.crs"));
        Error e;
        auto study =
            Study::create(m_seeded, cr::protocol::defaultProtocol(), QStringLiteral("Seed"), &e);
        QVERIFY2(study, qPrintable(e.message));
        const Outcome o = runImport(*study, { test::importData(QStringLiteral("seed.jsonl")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.itemsAdded, 2);
        QCOMPARE(o.report.counts.labelsAdded, 1);
        QCOMPARE(o.report.counts.ratingsAdded, 1);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        Error e;
        m_study = Study::create(tmp(QStringLiteral("s.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("Import"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
    }

    void cleanup()
    {
        m_study.reset();
        m_dir.reset();
    }

    // ---- the formats ----------------------------------------------------------------

    // Turns are stored as compact JSON, escaped the one way every import has written them:
    // \" \\ \b \t \n \f \r, other control characters as \u00xx (lowercase), every other
    // character (\/, \u00e9, astral) as its UTF-8 bytes; runs of 8 bytes and more too.
    void turnsStoredAsCompactJson()
    {
        const QByteArray in =
            "{\"item_id\": \"esc\", \"turns\": [ \"a\\u0001\\u001f\\\"\\\\\\/"
            "\\b\\t\\n\\f\\r\\u000b\\u007f\\u00e9 \xe2\x82\xac"
            "\\ud83d\\ude00z\", "
            "\"plain text longer than sixteen bytes\", \"12345678\\n1234567\\\"\" ]}\n"
            "{\"item_id\": \"text\", \"text\": \"tab\\there \\u0002\"}\n";
        const Outcome o = runImport(*m_study, { write(QStringLiteral("esc.jsonl"), in) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT turns FROM item ORDER BY id")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toByteArray(),
            QByteArray("[\"a\\u0001\\u001f\\\"\\\\/\\b\\t\\n\\f\\r\\u000b\x7f\xc3\xa9 "
                       "\xe2\x82\xac\xf0\x9f\x98\x80z\",\"plain text longer than sixteen bytes\","
                       "\"12345678\\n1234567\\\"\"]"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toByteArray(), QByteArray("[\"tab\\there \\u0002\"]"));
    }

    void itemsJsonlWithTurns()
    {
        const QString file = test::importData(QStringLiteral("items_turns.jsonl"));
        const Outcome o = runImport(*m_study, { file });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QVERIFY(o.report.errors.isEmpty());
        QVERIFY(o.report.skipped.isEmpty());
        QCOMPARE(o.report.counts.rows, 3); // the blank line is not a row
        QCOMPARE(o.report.counts.itemsAdded, 3);
        QCOMPARE(o.report.counts.itemsUnchanged, 0);
        QCOMPARE(o.report.counts.responsesAdded, 2);
        QCOMPARE(o.report.counts.modelsAdded, 2);

        ItemRepository items(*m_study);
        QCOMPARE(items.count(), 3);
        const auto i1 = items.byExternalId(QStringLiteral("it-001"));
        QVERIFY(i1);
        QCOMPARE(i1->dataset, QStringLiteral("demo"));
        QCOMPARE(i1->split, QStringLiteral("test"));
        QCOMPARE(i1->turns,
            (QStringList { QStringLiteral("I haven’t slept in days."),
                QStringLiteral("Café au lait? Non merci 🙂") }));
        QCOMPARE(i1->referenceLabel, QStringLiteral("suicidal_ideation"));
        // Unknown keys are kept as metadata (values as given, nested ones too).
        const QJsonObject meta = jsonObject(i1->metadataJson);
        QCOMPARE(meta.size(), 2);
        QCOMPARE(meta.value(QStringLiteral("source")).toString(), QStringLiteral("forum"));
        const QJsonObject note = meta.value(QStringLiteral("annotator_note")).toObject();
        QCOMPARE(note.value(QStringLiteral("lang")).toString(), QStringLiteral("en"));
        QCOMPARE(note.value(QStringLiteral("tags")).toArray(),
            (QJsonArray { QStringLiteral("a"), QStringLiteral("b") }));

        const QList<Response> responses = items.responses(i1->id);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].modelName, QStringLiteral("model-a"));
        QCOMPARE(responses[0].run, 1);
        QCOMPARE(responses[0].text,
            QStringLiteral("I'm sorry you're going through this.\nYou are not alone."));
        QCOMPARE(responses[0].refusal, false);
        QCOMPARE(responses[0].tokens, std::optional<int>(312));
        QCOMPARE(responses[1].modelName, QStringLiteral("model-b"));
        QCOMPARE(responses[1].run, 2);
        QCOMPARE(responses[1].text, QStringLiteral("She said \"call 988\" — 请保重。"));
        QCOMPARE(responses[1].refusal, true);
        QVERIFY(!responses[1].tokens); // null = unknown
        // Unknown response keys are kept as the response's metadata.
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(
            QStringLiteral("SELECT metadata FROM response WHERE id = %1").arg(responses[0].id)));
        QVERIFY(q.next());
        QCOMPARE(jsonObject(q.value(0).toString()),
            (QJsonObject { { QStringLiteral("latency_ms"), 1234 } }));

        const auto i2 = items.byExternalId(QStringLiteral("it-002"));
        QVERIFY(i2);
        QCOMPARE(i2->turns,
            (QStringList { QStringLiteral("Line one\nline two"),
                QStringLiteral("Tab\there and backslash \\ and quote \"") }));
        QCOMPARE(i2->referenceLabel, QStringLiteral("anxiety_crisis")); // alias "anxiety"
        QCOMPARE(i2->split, QStringLiteral("train"));
        QVERIFY(i2->metadataJson.isEmpty());
        QVERIFY(items.responses(i2->id).isEmpty());

        const auto i3 = items.byExternalId(QStringLiteral("it-003"));
        QVERIFY(i3);
        // Written with \u escapes (including a surrogate pair) in the file.
        QCOMPARE(i3->turns, QStringList { QStringLiteral("été 🙂 日本語のテキスト") });
        QCOMPARE(i3->dataset, QStringLiteral("other"));
        QCOMPARE(i3->split, QString());
        QCOMPARE(i3->referenceLabel, QString());

        // The run is recorded.
        const QMap<QString, qint64> counts = test::tableCounts(m_study->database());
        QCOMPARE(counts.value(QStringLiteral("import_run")), 1);
        QCOMPARE(counts.value(QStringLiteral("dataset")), 2);
        QCOMPARE(EventLog(*m_study).recent(1).value(0).action, QStringLiteral("import"));
    }

    void itemsJsonlWithText()
    {
        const Outcome o =
            runImport(*m_study, { test::importData(QStringLiteral("items_text.jsonl")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.itemsAdded, 2);
        QCOMPARE(o.report.counts.responsesAdded, 1);
        ItemRepository items(*m_study);
        const auto t1 = items.byExternalId(QStringLiteral("tx-001"));
        QVERIFY(t1);
        QCOMPARE(t1->turns,
            QStringList {
                QStringLiteral("Everything feels pointless lately…\nI can't stop crying.") });
        QCOMPARE(t1->referenceLabel, QString()); // "label": null
        QCOMPARE(t1->split, QStringLiteral("dev"));
        const auto t2 = items.byExternalId(QStringLiteral("tx-002"));
        QVERIFY(t2);
        QCOMPARE(t2->turns, QStringList { QStringLiteral("Quote \"inside\" and emoji 🙂") });
        QCOMPARE(t2->dataset, QString());
        const QList<Response> responses = items.responses(t2->id);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses[0].run, 1); // default run
        QCOMPARE(responses[0].text, QStringLiteral("Default run is 1."));
        QCOMPARE(responses[0].refusal, false);
        QVERIFY(!responses[0].tokens);
    }

    void ratingsJsonl()
    {
        const Outcome o = runImport(*m_study,
            { test::importData(QStringLiteral("items_turns.jsonl")),
                test::importData(QStringLiteral("ratings.jsonl")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.rows, 10);
        QCOMPARE(o.report.counts.ratersAdded, 3);
        QCOMPARE(o.report.counts.labelsAdded, 3);
        QCOMPARE(o.report.counts.ratingsAdded, 4);

        RaterRepository raters(*m_study);
        QCOMPARE(
            toString(raters.byName(QStringLiteral("clinician-1"))->kind), QStringLiteral("human"));
        QCOMPARE(
            toString(raters.byName(QStringLiteral("clinician-2"))->kind), QStringLiteral("human"));
        QCOMPARE(toString(raters.byName(QStringLiteral("judge-x"))->kind), QStringLiteral("llm"));
        QCOMPARE(toString(raters.byName(QStringLiteral("judge-x"))->role), QStringLiteral("rater"));

        RatingRepository ratings(*m_study);
        const qint64 clin1 = raterId(*m_study, QStringLiteral("clinician-1"));
        const qint64 judge = raterId(*m_study, QStringLiteral("judge-x"));
        const qint64 it1 = itemId(*m_study, QStringLiteral("it-001"));
        const auto label = ratings.categoryLabel(it1, clin1);
        QVERIFY(label);
        QCOMPARE(label->category, QStringLiteral("suicidal_ideation"));
        QCOMPARE(label->note, QStringLiteral("clear SI"));
        QCOMPARE(ratings.categoryLabel(itemId(*m_study, QStringLiteral("it-002")), judge)->category,
            QStringLiteral("anxiety_crisis")); // alias "panic"
        QCOMPARE(ratings
                     .categoryLabel(itemId(*m_study, QStringLiteral("it-003")),
                         raterId(*m_study, QStringLiteral("clinician-2")))
                     ->category,
            QStringLiteral("self-harm"));

        const auto a1 =
            responseOf(*m_study, QStringLiteral("it-001"), QStringLiteral("model-a"), 1);
        const auto b2 =
            responseOf(*m_study, QStringLiteral("it-001"), QStringLiteral("model-b"), 2);
        QVERIFY(a1 && b2);
        const auto scored = ratings.responseRating(a1->id, clin1);
        QVERIFY(scored);
        QCOMPARE(scored->score, std::optional<int>(4));
        QCOMPARE(scored->cannotAssess, false);
        QCOMPARE(scored->checklist,
            (QStringList { QStringLiteral("empathy"), QStringLiteral("risk_check") }));
        QCOMPARE(
            scored->rationale, QStringLiteral("Warm, but no résumé of resources.\nMissing “988”."));
        QCOMPARE(scored->secondsSpent, std::optional<double>(42.5));
        const auto cannot = ratings.responseRating(b2->id, clin1);
        QVERIFY(cannot);
        QVERIFY(!cannot->score);
        QCOMPARE(cannot->cannotAssess, true);
        QCOMPARE(cannot->rationale, QStringLiteral("Refused."));
        QCOMPARE(ratings.responseRating(a1->id, judge)->score, std::optional<int>(5));
        QCOMPARE(ratings.responseRating(a1->id, judge)->rationale, QStringLiteral("ok"));
        QCOMPARE(ratings.responseRating(b2->id, judge)->score, std::optional<int>(2)); // 2.0
        // Imported ratings are under the study's protocol.
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM response_rating WHERE protocol_id = %1")
                           .arg(m_study->currentProtocolId())));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 4);
    }

    void itemsCsv()
    {
        const Outcome o = runImport(*m_study, { test::importData(QStringLiteral("items.csv")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.rows, 4);
        QCOMPARE(o.report.counts.itemsAdded, 4);
        ItemRepository items(*m_study);
        const auto c1 = items.byExternalId(QStringLiteral("csv-001"));
        QVERIFY(c1);
        QCOMPARE(c1->turns, QStringList { QStringLiteral("Plain text") });
        QCOMPARE(c1->dataset, QStringLiteral("demo"));
        QCOMPARE(c1->split, QStringLiteral("test"));
        QCOMPARE(c1->referenceLabel, QStringLiteral("no_crisis"));
        const auto c2 = items.byExternalId(QStringLiteral("csv-002"));
        QCOMPARE(c2->turns, QStringList { QStringLiteral("Comma, and \"quoted\" words") });
        QCOMPARE(c2->referenceLabel, QString());
        const auto c3 = items.byExternalId(QStringLiteral("csv-003"));
        QCOMPARE(c3->turns, QStringList { QStringLiteral("Multi-line\ntext with é and 🙂") });
        QCOMPARE(c3->split, QString());
        QCOMPARE(c3->referenceLabel, QStringLiteral("self-harm"));
        const auto c4 = items.byExternalId(QStringLiteral("csv-004"));
        QCOMPARE(c4->turns, QStringList { QStringLiteral("日本語, 中文") });
        QCOMPARE(c4->dataset, QString());
        QCOMPARE(items.ids().size(), 4);
        QCOMPARE(items.ids().first(), c1->id); // import order
        QCOMPARE(items.ids().last(), c4->id);
    }

    void itemsCsvWithResponses()
    {
        const Outcome o =
            runImport(*m_study, { test::importData(QStringLiteral("items_responses.csv")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.rows, 4);
        QCOMPARE(o.report.counts.itemsAdded, 2); // one row per response
        QCOMPARE(o.report.counts.responsesAdded, 4);
        QCOMPARE(o.report.counts.modelsAdded, 2);
        ItemRepository items(*m_study);
        QCOMPARE(items.count(), 2);
        const auto r1 = items.byExternalId(QStringLiteral("csr-001"));
        QVERIFY(r1);
        QCOMPARE(r1->turns,
            (QStringList { QStringLiteral("First turn"), QStringLiteral("Second – turn 🙂") }));
        QCOMPARE(r1->referenceLabel, QStringLiteral("suicidal_ideation"));
        const QList<Response> rs = items.responses(r1->id);
        QCOMPARE(rs.size(), 3);
        QCOMPARE(rs[0].modelName, QStringLiteral("model-a"));
        QCOMPARE(rs[0].run, 1);
        QCOMPARE(rs[0].text, QStringLiteral("Reply with \"quotes\"\nand a newline"));
        QCOMPARE(rs[0].refusal, false);
        QCOMPARE(rs[0].tokens, std::optional<int>(120));
        QCOMPARE(rs[1].run, 2);
        QCOMPARE(rs[1].text, QStringLiteral("Second run"));
        QVERIFY(!rs[1].tokens);
        QCOMPARE(rs[2].modelName, QStringLiteral("model-b"));
        QCOMPARE(rs[2].text, QStringLiteral("I can't help with that."));
        QCOMPARE(rs[2].refusal, true);
        QCOMPARE(rs[2].tokens, std::optional<int>(7));
        const auto r2 = items.byExternalId(QStringLiteral("csr-002"));
        QCOMPARE(r2->turns, QStringList { QStringLiteral("Only turn") });
        QCOMPARE(r2->referenceLabel, QString());
        const QList<Response> rs2 = items.responses(r2->id);
        QCOMPARE(rs2.size(), 1);
        QCOMPARE(rs2[0].text, QStringLiteral("Plain, with comma"));
        QCOMPARE(rs2[0].refusal, false);
    }

    void ratingsCsv()
    {
        const Outcome o = runImport(*m_study,
            { test::importData(QStringLiteral("items_responses.csv")),
                test::importData(QStringLiteral("ratings.csv")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.ratersAdded, 2);
        QCOMPARE(o.report.counts.labelsAdded, 2);
        QCOMPARE(o.report.counts.ratingsAdded, 3);
        RatingRepository ratings(*m_study);
        const qint64 clin3 = raterId(*m_study, QStringLiteral("clin-3"));
        const qint64 judge = raterId(*m_study, QStringLiteral("judge-z"));
        QCOMPARE(toString(RaterRepository(*m_study).byId(judge)->kind), QStringLiteral("llm"));
        QCOMPARE(toString(RaterRepository(*m_study).byId(clin3)->kind), QStringLiteral("human"));
        QCOMPARE(
            ratings.categoryLabel(itemId(*m_study, QStringLiteral("csr-001")), clin3)->category,
            QStringLiteral("suicidal_ideation"));
        QCOMPARE(
            ratings.categoryLabel(itemId(*m_study, QStringLiteral("csr-002")), judge)->category,
            QStringLiteral("no_crisis"));
        const auto a1 =
            responseOf(*m_study, QStringLiteral("csr-001"), QStringLiteral("model-a"), 1);
        const auto b1 =
            responseOf(*m_study, QStringLiteral("csr-001"), QStringLiteral("model-b"), 1);
        const auto z =
            responseOf(*m_study, QStringLiteral("csr-002"), QStringLiteral("model-a"), 1);
        QVERIFY(a1 && b1 && z);
        const auto r = ratings.responseRating(a1->id, clin3);
        QVERIFY(r);
        QCOMPARE(r->score, std::optional<int>(3));
        QCOMPARE(r->checklist,
            (QStringList { QStringLiteral("empathy"), QStringLiteral("safety_plan") }));
        QCOMPARE(r->rationale, QStringLiteral("Good start, \"but\"\nno plan"));
        const auto c = ratings.responseRating(b1->id, clin3);
        QVERIFY(c);
        QVERIFY(c->cannotAssess);
        QVERIFY(!c->score);
        QCOMPARE(ratings.responseRating(z->id, judge)->score, std::optional<int>(5));
        QCOMPARE(ratings.responseRating(z->id, judge)->rationale, QStringLiteral("fine"));
        QVERIFY(!ratings.responseRating(a1->id, judge));
    }

    void lineEndingsAndBom_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("jsonl CRLF")
            << QStringLiteral("crlf.jsonl")
            << QByteArray("{\"item_id\": \"e1\", \"text\": \"caf\xc3\xa9\"}\r\n\r\n"
                          "{\"item_id\": \"e2\", \"turns\": [\"a\", \"b\\r\\nc\"]}\r\n");
        QTest::newRow("jsonl no final newline")
            << QStringLiteral("nofinal.jsonl")
            << QByteArray("{\"item_id\": \"e1\", \"text\": \"caf\xc3\xa9\"}\n"
                          "{\"item_id\": \"e2\", \"turns\": [\"a\", \"b\\r\\nc\"]}");
        QTest::newRow("jsonl BOM")
            << QStringLiteral("bom.jsonl")
            << QByteArray("\xef\xbb\xbf{\"item_id\": \"e1\", \"text\": \"caf\xc3\xa9\"}\n"
                          "{\"item_id\": \"e2\", \"turns\": [\"a\", \"b\\r\\nc\"]}\n");
        QTest::newRow("csv CRLF") << QStringLiteral("crlf.csv")
                                  << QByteArray("item_id,turns\r\ne1,\"[\"\"caf\xc3\xa9\"\"]\"\r\n"
                                                "e2,\"[\"\"a\"\",\"\"b\\r\\nc\"\"]\"\r\n");
        QTest::newRow("csv BOM, no final newline")
            << QStringLiteral("bom.csv")
            << QByteArray("\xef\xbb\xbfitem_id,text\ne1,caf\xc3\xa9\n"
                          "e2,\"[\"\"a\"\",\"\"b\\r\\nc\"\"]\"");
    }

    void lineEndingsAndBom()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        const Outcome o = runImport(*m_study, { write(name, bytes) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.itemsAdded, 2);
        ItemRepository items(*m_study);
        QCOMPARE(items.byExternalId(QStringLiteral("e1"))->turns,
            QStringList { QStringLiteral("café") });
        const QStringList e2 = items.byExternalId(QStringLiteral("e2"))->turns;
        if (name == QLatin1String("bom.csv")) // a text column: the JSON is the text itself
            QCOMPARE(e2, QStringList { QStringLiteral("[\"a\",\"b\\r\\nc\"]") });
        else
            QCOMPARE(e2, (QStringList { QStringLiteral("a"), QStringLiteral("b\r\nc") }));
    }

    // ---- re-import ----------------------------------------------------------------

    void reimportIsIdempotent_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<int>("items");
        QTest::addColumn<int>("responses");
        QTest::addColumn<int>("labels");
        QTest::addColumn<int>("ratings");
        const auto data = [](const char *name) {
            return test::importData(QString::fromLatin1(name));
        };
        QTest::newRow("items jsonl (turns)")
            << QStringList { data("items_turns.jsonl") } << 3 << 2 << 0 << 0;
        QTest::newRow("items jsonl (text)")
            << QStringList { data("items_text.jsonl") } << 2 << 1 << 0 << 0;
        QTest::newRow("ratings jsonl")
            << QStringList { data("items_turns.jsonl"), data("ratings.jsonl") } << 3 << 2 << 3 << 4;
        QTest::newRow("items csv") << QStringList { data("items.csv") } << 4 << 0 << 0 << 0;
        QTest::newRow("items csv with responses")
            << QStringList { data("items_responses.csv") } << 2 << 4 << 0 << 0;
        QTest::newRow("ratings csv")
            << QStringList { data("items_responses.csv"), data("ratings.csv") } << 2 << 4 << 2 << 3;
        QTest::newRow("seed") << QStringList { data("seed.jsonl") } << 2 << 3 << 1 << 1;
    }

    void reimportIsIdempotent()
    {
        QFETCH(QStringList, files);
        QFETCH(int, items);
        QFETCH(int, responses);
        QFETCH(int, labels);
        QFETCH(int, ratings);
        const Outcome first = runImport(*m_study, files);
        QVERIFY2(first.ok, qPrintable(describe(first)));
        QCOMPARE(first.report.counts.itemsAdded, items);
        QCOMPARE(first.report.counts.responsesAdded, responses);
        const QMap<QString, qint64> before = test::tableCounts(m_study->database());
        const qint64 events = EventLog(*m_study).count();

        const Outcome second = runImport(*m_study, files);
        QVERIFY2(second.ok, qPrintable(describe(second)));
        const ImportCounts &c = second.report.counts;
        QCOMPARE(c.rows, first.report.counts.rows);
        QCOMPARE(c.itemsAdded, 0);
        QCOMPARE(c.responsesAdded, 0);
        QCOMPARE(c.modelsAdded, 0);
        QCOMPARE(c.ratersAdded, 0);
        QCOMPARE(c.labelsAdded, 0);
        QCOMPARE(c.ratingsAdded, 0);
        QCOMPARE(c.itemsUnchanged, items);
        QCOMPARE(c.responsesUnchanged, responses);
        QCOMPARE(c.labelsUnchanged, labels);
        QCOMPARE(c.ratingsUnchanged, ratings);

        QMap<QString, qint64> after = test::tableCounts(m_study->database());
        QCOMPARE(after.value(QStringLiteral("import_run")),
            before.value(QStringLiteral("import_run")) + 1);
        QCOMPARE(EventLog(*m_study).count(), events + 1); // the run itself
        after.remove(QStringLiteral("import_run"));
        after.remove(QStringLiteral("event"));
        QMap<QString, qint64> expected = before;
        expected.remove(QStringLiteral("import_run"));
        expected.remove(QStringLiteral("event"));
        QCOMPARE(after, expected);
    }

    void sameItemFromJsonlAndCsvIsUnchanged()
    {
        // Stored turns are compared by content, not by their JSON spelling.
        const QString jsonl = write(QStringLiteral("a.jsonl"),
            "{\"item_id\": \"x\", \"text\": \"\\u00e9 \\\"q\\\" / \\ud83d\\ude42\"}\n");
        const QString csv = write(
            QStringLiteral("a.csv"), "item_id,text\nx,\"\xc3\xa9 \"\"q\"\" / \xf0\x9f\x99\x82\"\n");
        Outcome o = runImport(*m_study, { jsonl });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        o = runImport(*m_study, { csv });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.itemsAdded, 0);
        QCOMPARE(o.report.counts.itemsUnchanged, 1);
        QCOMPARE(ItemRepository(*m_study).byExternalId(QStringLiteral("x"))->turns,
            QStringList { QStringLiteral("é \"q\" / 🙂") });
    }

    void conflictingReimportFails()
    {
        Outcome o = runImport(*m_study, { test::importData(QStringLiteral("items_turns.jsonl")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        const QMap<QString, qint64> before = test::tableCounts(m_study->database());
        const QString file = write(QStringLiteral("changed.jsonl"),
            "{\"item_id\": \"new\", \"text\": \"new item\"}\n"
            "{\"item_id\": \"it-002\", \"dataset\": \"demo\", \"split\": \"train\","
            " \"turns\": [\"Line one\\nline two\", \"edited\"], \"label\": \"anxiety\"}\n");
        o = runImport(*m_study, { file });
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
        QCOMPARE(o.report.errors.size(), 1);
        const QString expected = file
            + QStringLiteral(
                ":2:turns: item 'it-002' is already in the study with a different text");
        QCOMPARE(o.report.errors.first().toString(), expected);
        QCOMPARE(o.error.message, expected);
        QCOMPARE(test::tableCounts(m_study->database()), before);
        QVERIFY(!ItemRepository(*m_study).byExternalId(QStringLiteral("new")));
        QCOMPARE(ItemRepository(*m_study).byExternalId(QStringLiteral("it-002"))->turns.last(),
            QStringLiteral("Tab\there and backslash \\ and quote \""));
    }

    // ---- errors ----------------------------------------------------------------

    void allProblemsAreListedAndNothingChanges()
    {
        const QString file = write(QStringLiteral("bad.jsonl"),
            "{\"item_id\": \"ok-1\", \"text\": \"fine\"}\n"
            "{\"item_id\": \"bad-1\", \"turns\": []}\n"
            "{\"item_id\": \"ok-2\", \"text\": \"fine\"}\n"
            "not json\n"
            "{\"item_id\": \"ok-1\", \"text\": \"fine\"}\n");
        const Outcome o = runImport(*m_study, { file });
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
        QCOMPARE(o.report.errors.size(), 3);
        QCOMPARE(o.report.errors[0].line, 2);
        QCOMPARE(o.report.errors[0].field, QStringLiteral("turns"));
        QCOMPARE(o.report.errors[1].line, 4);
        QCOMPARE(o.report.errors[1].field, QString());
        QCOMPARE(o.report.errors[2].line, 5);
        QCOMPARE(o.report.errors[2].field, QStringLiteral("item_id"));
        for (const ImportIssue &i : o.report.errors)
            QCOMPARE(i.file, file);
        QCOMPARE(o.error.message, o.report.errors.first().toString());
        QCOMPARE(ItemRepository(*m_study).count(), 0);
        QCOMPARE(test::tableCounts(m_study->database()).value(QStringLiteral("import_run")), 0);
    }

    void maxErrorsStopsCollecting()
    {
        QByteArray bytes;
        for (int i = 0; i < 20; ++i)
            bytes += "{\"item_id\": 1}\n";
        ImportOptions options;
        options.maxErrors = 5;
        const Outcome o =
            runImport(*m_study, { write(QStringLiteral("many.jsonl"), bytes) }, options);
        QVERIFY(!o.ok);
        QCOMPARE(o.report.errors.size(), 5);
        QCOMPARE(o.report.errors.last().line, 5);
    }

    void multipleFilesAreAllOrNothing()
    {
        const Outcome o = runImport(*m_study,
            { test::importData(QStringLiteral("items_text.jsonl")),
                test::importData(QStringLiteral("items.csv")),
                test::malformedData(QStringLiteral("turns_empty.jsonl")) });
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
        QVERIFY2(o.error.message.startsWith(test::malformedData(QStringLiteral("turns_empty.jsonl"))
                     + QStringLiteral(":1:turns: ")),
            qPrintable(o.error.message));
        QCOMPARE(ItemRepository(*m_study).count(), 0);
        QCOMPARE(ItemRepository(*m_study).models().size(), 0);
    }

    void firstImportUsesARollbackJournalAndReturnsToWal()
    {
        // An empty study: imported with a rollback journal (no WAL as large as the import),
        // then back in WAL mode with everything stored; a refused import leaves it as it was.
        const auto journalMode = [](const Study &study) {
            QSqlQuery q(study.database());
            return q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next() ? q.value(0).toString()
                                                                             : QString();
        };
        QCOMPARE(journalMode(*m_study), QStringLiteral("wal"));
        const QMap<QString, qint64> before = test::tableCounts(m_study->database());
        const Outcome refused = runImport(*m_study,
            { test::importData(QStringLiteral("items_text.jsonl")),
                test::malformedData(QStringLiteral("turns_empty.jsonl")) });
        QVERIFY(!refused.ok);
        QCOMPARE(journalMode(*m_study), QStringLiteral("wal"));
        QCOMPARE(test::tableCounts(m_study->database()), before);
        QVERIFY(!QFileInfo::exists(tmp(QStringLiteral("s.crs-journal"))));

        // Another connection on the file: the import stays in WAL mode and still works.
        {
            Error e;
            auto other = Study::open(tmp(QStringLiteral("s.crs")), &e);
            QVERIFY2(other, qPrintable(e.message));
            const Outcome o =
                runImport(*m_study, { test::importData(QStringLiteral("items_text.jsonl")) });
            QVERIFY2(o.ok, qPrintable(describe(o)));
            QCOMPARE(ItemRepository(*other).count(), ItemRepository(*m_study).count());
        }
        QVERIFY(ItemRepository(*m_study).count() > 0);
        QCOMPARE(journalMode(*m_study), QStringLiteral("wal"));

        // Alone on a new study: stored, durable on reopen, WAL again.
        m_study.reset();
        Error e;
        m_study = Study::create(tmp(QStringLiteral("t.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("Fresh"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
        const Outcome o = runImport(*m_study,
            { test::importData(QStringLiteral("items_turns.jsonl")),
                test::importData(QStringLiteral("ratings.jsonl")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(journalMode(*m_study), QStringLiteral("wal"));
        QVERIFY(!QFileInfo::exists(tmp(QStringLiteral("t.crs-journal"))));
        const qint64 items = ItemRepository(*m_study).count();
        QCOMPARE(items, 3);
        m_study.reset();
        m_study = Study::open(tmp(QStringLiteral("t.crs")), &e);
        QVERIFY2(m_study, qPrintable(e.message));
        QCOMPARE(ItemRepository(*m_study).count(), items);
        QCOMPARE(journalMode(*m_study), QStringLiteral("wal"));
    }

    void missingFileFails()
    {
        const QString file = tmp(QStringLiteral("does-not-exist.jsonl"));
        const Outcome o =
            runImport(*m_study, { test::importData(QStringLiteral("items_text.jsonl")), file });
        QVERIFY(!o.ok);
        QVERIFY(o.error.isError());
        QVERIFY2(o.error.message.startsWith(file + QLatin1Char(':')), qPrintable(o.error.message));
        QVERIFY2(
            o.error.message.contains(QLatin1String("cannot read")), qPrintable(o.error.message));
        QCOMPARE(ItemRepository(*m_study).count(), 0);
    }

    void noFilesFails()
    {
        const Outcome o = runImport(*m_study, {});
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
    }

    void leadingBlankLinesAreNotAnEmptyFile()
    {
        // Blank lines are skipped wherever they are; only a file without any row is "empty".
        const QString file = write(QStringLiteral("padded.jsonl"),
            QByteArray(5000, '\n') + "{\"item_id\": \"late\", \"text\": \"t\"}\n");
        const Outcome o = runImport(*m_study, { file });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.counts.itemsAdded, 1);
    }

    void formatSelection_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<ImportFormat>("format");
        QTest::addColumn<bool>("ok");
        const QByteArray jsonl = "{\"item_id\": \"f1\", \"text\": \"t\"}\n";
        const QByteArray csv = "item_id,text\nf1,t\n";
        QTest::newRow("auto: .jsonl")
            << QStringLiteral("a.jsonl") << jsonl << ImportFormat::Auto << true;
        QTest::newRow("auto: .ndjson")
            << QStringLiteral("a.ndjson") << jsonl << ImportFormat::Auto << true;
        QTest::newRow("auto: .CSV") << QStringLiteral("a.CSV") << csv << ImportFormat::Auto << true;
        QTest::newRow("auto: sniffed JSON")
            << QStringLiteral("a.txt") << jsonl << ImportFormat::Auto << true;
        QTest::newRow("auto: sniffed CSV")
            << QStringLiteral("a.txt") << csv << ImportFormat::Auto << true;
        QTest::newRow("forced jsonl")
            << QStringLiteral("a.dat") << jsonl << ImportFormat::Jsonl << true;
        QTest::newRow("forced csv") << QStringLiteral("a.dat") << csv << ImportFormat::Csv << true;
        QTest::newRow("forced csv on jsonl")
            << QStringLiteral("a.jsonl") << jsonl << ImportFormat::Csv << false;
        QTest::newRow("forced jsonl on csv")
            << QStringLiteral("a.csv") << csv << ImportFormat::Jsonl << false;
        QTest::newRow("benchmark") << QStringLiteral("a.json") << QByteArray("[{\"inputs\": []}]")
                                   << ImportFormat::Benchmark << false;
        QTest::newRow("auto: JSON array")
            << QStringLiteral("a.json") << QByteArray("[{\"inputs\": []}]") << ImportFormat::Auto
            << false;
    }

    void formatSelection()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(ImportFormat, format);
        QFETCH(bool, ok);
        ImportOptions options;
        options.format = format;
        const Outcome o = runImport(*m_study, { write(name, bytes) }, options);
        QCOMPARE(o.ok, ok);
        if (ok) {
            QCOMPARE(ItemRepository(*m_study).byExternalId(QStringLiteral("f1"))->turns,
                QStringList { QStringLiteral("t") });
        } else {
            QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
            QCOMPARE(ItemRepository(*m_study).count(), 0);
        }
    }

    void formatFromString_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("format"); // -1: rejected
        QTest::newRow("auto") << QStringLiteral("auto") << int(ImportFormat::Auto);
        QTest::newRow("jsonl") << QStringLiteral("jsonl") << int(ImportFormat::Jsonl);
        QTest::newRow("csv") << QStringLiteral("csv") << int(ImportFormat::Csv);
        QTest::newRow("benchmark") << QStringLiteral("benchmark") << int(ImportFormat::Benchmark);
        QTest::newRow("JSONL") << QStringLiteral("JSONL") << -1;
        QTest::newRow("xml") << QStringLiteral("xml") << -1;
        QTest::newRow("empty") << QString() << -1;
    }

    void formatFromString()
    {
        QFETCH(QString, text);
        QFETCH(int, format);
        const auto parsed = Importer::formatFromString(text);
        QCOMPARE(parsed ? int(*parsed) : -1, format);
    }

    // ---- --skip-invalid -----------------------------------------------------------

    void skipInvalid()
    {
        Outcome o = runImport(*m_study,
            { test::importData(QStringLiteral("items_turns.jsonl")),
                test::importData(QStringLiteral("ratings.jsonl")) });
        QVERIFY2(o.ok, qPrintable(describe(o)));
        const QString file = write(QStringLiteral("mixed.jsonl"),
            "{\"item_id\": \"sk-1\", \"text\": \"ok 1\"}\n"
            "{\"item_id\": \"sk-2\", \"turns\": []}\n"
            "{\"item_id\": \"sk-3\", \"text\": \"ok 3\", \"responses\": [{\"model\": "
            "\"model-new\", \"text\": \"r\"}]}\n"
            "{\"item_id\": \"sk-1\", \"text\": \"ok 1\"}\n"
            // Fails half-way: the label is written before the score conflicts; both must go.
            "{\"rater\": \"judge-x\", \"rater_kind\": \"llm\", \"item_id\": \"it-001\", "
            "\"category\": \"no_crisis\","
            " \"model\": \"model-a\", \"run\": 1, \"score\": 1}\n"
            "not json at all\n"
            "{\"rater\": \"new-rater\", \"item_id\": \"sk-3\", \"model\": \"model-new\", \"run\": "
            "1, \"score\": 3}\n");
        const QMap<QString, qint64> before = dataCounts(*m_study);
        ImportOptions options;
        options.skipInvalid = true;
        o = runImport(*m_study, { file }, options);
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QVERIFY(o.report.errors.isEmpty());
        const QList<ImportIssue> &skipped = o.report.skipped;
        QCOMPARE(skipped.size(), 4);
        const QList<qint64> lines { skipped[0].line, skipped[1].line, skipped[2].line,
            skipped[3].line };
        QCOMPARE(lines, (QList<qint64> { 2, 4, 5, 6 }));
        QCOMPARE(skipped[0].field, QStringLiteral("turns"));
        QCOMPARE(skipped[1].field, QStringLiteral("item_id"));
        QCOMPARE(skipped[2].field, QStringLiteral("score"));
        QCOMPARE(skipped[3].field, QString());
        for (const ImportIssue &i : skipped)
            QCOMPARE(i.file, file);

        // The valid rows are in, the invalid ones (and their partial writes) are not.
        QCOMPARE(o.report.counts.itemsAdded, 2);
        QCOMPARE(o.report.counts.ratingsAdded, 1);
        QVERIFY(ItemRepository(*m_study).byExternalId(QStringLiteral("sk-1")));
        QVERIFY(!ItemRepository(*m_study).byExternalId(QStringLiteral("sk-2")));
        QVERIFY(ItemRepository(*m_study).byExternalId(QStringLiteral("sk-3")));
        const qint64 judge = raterId(*m_study, QStringLiteral("judge-x"));
        QVERIFY(!RatingRepository(*m_study).categoryLabel(
            itemId(*m_study, QStringLiteral("it-001")), judge));
        const auto a1 =
            responseOf(*m_study, QStringLiteral("it-001"), QStringLiteral("model-a"), 1);
        QCOMPARE(
            RatingRepository(*m_study).responseRating(a1->id, judge)->score, std::optional<int>(5));
        const auto r = responseOf(*m_study, QStringLiteral("sk-3"), QStringLiteral("model-new"), 1);
        QVERIFY(r);
        QCOMPARE(RatingRepository(*m_study)
                     .responseRating(r->id, raterId(*m_study, QStringLiteral("new-rater")))
                     ->score,
            std::optional<int>(3));
        QMap<QString, qint64> expected = before;
        expected[QStringLiteral("item")] += 2;
        expected[QStringLiteral("response")] += 1;
        expected[QStringLiteral("model")] += 1;
        expected[QStringLiteral("rater")] += 1;
        expected[QStringLiteral("response_rating")] += 1;
        expected[QStringLiteral("import_issue")] += 4;
        QCOMPARE(dataCounts(*m_study), expected);

        // The skipped rows are stored with the run.
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT import_run_id, file, line, field, reason FROM import_issue ORDER BY id")));
        int n = 0;
        qint64 runId = 0;
        while (q.next()) {
            const ImportIssue &i = skipped.at(n++);
            runId = q.value(0).toLongLong();
            QCOMPARE(q.value(1).toString(), i.file);
            QCOMPARE(q.value(2).toLongLong(), i.line);
            QCOMPARE(q.value(3).isNull(), i.field.isEmpty());
            QCOMPARE(q.value(3).toString(), i.field);
            QCOMPARE(q.value(4).toString(), i.reason);
        }
        QCOMPARE(n, 4);
        QVERIFY(q.exec(QStringLiteral("SELECT summary FROM import_run WHERE id = %1").arg(runId)));
        QVERIFY(q.next());
        QCOMPARE(jsonObject(q.value(0).toString()).value(QStringLiteral("skipped")).toInt(), 4);
    }

    void skipInvalidStillRejectsEmptyFile()
    {
        ImportOptions options;
        options.skipInvalid = true;
        const Outcome o = runImport(*m_study,
            { test::importData(QStringLiteral("items_text.jsonl")),
                test::malformedData(QStringLiteral("empty.jsonl")) },
            options);
        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
        QCOMPARE(ItemRepository(*m_study).count(), 0);
    }

    void withoutSkipInvalidTheSameFileChangesNothing()
    {
        const QString file = write(QStringLiteral("mixed.jsonl"),
            "{\"item_id\": \"sk-1\", \"text\": \"ok 1\"}\n"
            "{\"item_id\": \"sk-2\", \"turns\": []}\n");
        const Outcome o = runImport(*m_study, { file });
        QVERIFY(!o.ok);
        QVERIFY(o.report.skipped.isEmpty());
        QCOMPARE(ItemRepository(*m_study).count(), 0);
        QCOMPARE(test::tableCounts(m_study->database()).value(QStringLiteral("import_issue")), 0);
    }

    // ---- progress ----------------------------------------------------------------

    void progressReachesTotal()
    {
        // A file over the 1 MiB reporting step, so there are intermediate reports too.
        QByteArray big;
        for (int i = 0; big.size() < (3 << 20); ++i)
            big += QStringLiteral("{\"item_id\": \"p-%1\", \"text\": \"%2\"}\n")
                       .arg(i)
                       .arg(QString(200, QLatin1Char('x')))
                       .toUtf8();
        const QStringList files { test::importData(QStringLiteral("items_text.jsonl")),
            write(QStringLiteral("big.jsonl"), big),
            test::importData(QStringLiteral("items.csv")) };
        qint64 expectedTotal = 0;
        for (const QString &f : files)
            expectedTotal += QFileInfo(f).size();
        QList<std::pair<qint64, qint64>> calls;
        ImportOptions options;
        options.progress = [&calls](qint64 done, qint64 total) { calls.append({ done, total }); };
        const Outcome o = runImport(*m_study, files, options);
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QVERIFY(calls.size() >= 3);
        for (int i = 0; i < calls.size(); ++i) {
            QCOMPARE(calls[i].second, expectedTotal);
            QVERIFY(calls[i].first >= 0);
            QVERIFY(calls[i].first <= expectedTotal);
            if (i > 0)
                QVERIFY(calls[i].first >= calls[i - 1].first);
        }
        QCOMPARE(calls.last().first, expectedTotal);
    }

    void progressOnSmallImport()
    {
        QList<std::pair<qint64, qint64>> calls;
        ImportOptions options;
        options.progress = [&calls](qint64 done, qint64 total) { calls.append({ done, total }); };
        const QString file = test::importData(QStringLiteral("items_responses.csv"));
        const Outcome o = runImport(*m_study, { file }, options);
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QVERIFY(!calls.isEmpty());
        QCOMPARE(calls.last().first, QFileInfo(file).size());
        QCOMPARE(calls.last().second, QFileInfo(file).size());
    }

    // ---- the malformed corpus -----------------------------------------------------------

    void malformed_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("phrase");
        QTest::addColumn<QString>("format");
        for (const MalformedCase &c : malformedCases())
            QTest::newRow(qPrintable(c.file)) << c.file << c.where << c.phrase << c.format;
    }

    /// Makes the input of a generated ("@name") case; returns its path.
    QString generated(const QString &name)
    {
        if (name.startsWith(QLatin1String("line-"))) {
            const int mib = name.mid(5, 2).toInt();
            return write(name,
                "{\"item_id\": \"before\", \"text\": \"fine\"}\n" + huge(mib)
                    + "{\"item_id\": \"after\", \"text\": \"fine\"}\n");
        }
        if (name.startsWith(QLatin1String("blank-lines")))
            return write(name, QByteArray(8192, '\n'));
        const QByteArray big(qsizetype(17) << 20, 'x');
        if (name == QLatin1String("csv-quoted-17MiB.csv"))
            return write(
                name, "item_id,text\nc1,fine\nc2,\"" + big + "\n,\"\"" + big + "\"\nc3,after\n");
        if (name == QLatin1String("csv-unquoted-17MiB.csv"))
            return write(name, "item_id,text\nc1,fine\nc2," + big + "\nc3,after\n");
        if (name.startsWith(QLatin1String("bench-"))) {
            QDir().mkpath(QFileInfo(tmp(name)).absolutePath());
            if (name.startsWith(QLatin1String("bench-inputs")))
                return write(
                    name, "[\n {\"inputs\": [\"" + big + "\"], \"dataset_id\": \"big\"}\n]\n");
            return write(name, "[\n {\"inputs\": [\"a\"], \"answer\": \"" + big + "\"}\n]\n");
        }
        const QString path = tmp(name);
        if (name.startsWith(QLatin1String("fifo"))) {
            if (::mkfifo(QFile::encodeName(path).constData(), 0600) != 0)
                qWarning("mkfifo %s failed", qPrintable(path));
        } else if (name == QLatin1String("folder")) {
            QDir().mkpath(path);
            write(name + QStringLiteral("/items.jsonl"),
                "{\"item_id\": \"f1\", \"text\": \"in a folder\"}\n");
        } else if (name == QLatin1String("symlink-loop.jsonl")) {
            QFile::link(tmp(QStringLiteral("loop-b.jsonl")), path);
            QFile::link(path, tmp(QStringLiteral("loop-b.jsonl")));
        } else if (name == QLatin1String("dangling-link.jsonl")) {
            QFile::link(tmp(QStringLiteral("nothing-here.jsonl")), path);
        } else if (name.startsWith(QLatin1Char('/'))) {
            return name; // a device such as /dev/null
        }
        return path;
    }

    void malformed()
    {
        QFETCH(QString, file);
        QFETCH(QString, where);
        QFETCH(QString, phrase);
        QFETCH(QString, format);

        QString input;
        if (file.startsWith(QLatin1Char('@'))) {
            input = generated(file.mid(1));
        } else {
            input = test::malformedData(file);
            QVERIFY2(QFileInfo::exists(input), qPrintable(input));
        }
        ImportOptions options;
        if (!format.isEmpty())
            options.format = *Importer::formatFromString(format);

        // A seeded study, closed (WAL checkpointed), hashed, opened, imported into, closed, hashed.
        const QString studyPath = tmp(QStringLiteral("seeded.crs"));
        QVERIFY(QFile::copy(m_seeded, studyPath));
        const QByteArray hashBefore = test::sha256(studyPath);
        QVERIFY(!hashBefore.isEmpty());
        QMap<QString, qint64> countsBefore, countsAfter;
        Outcome o;
        QElapsedTimer timer;
        {
            Error e;
            auto study = Study::open(studyPath, &e);
            QVERIFY2(study, qPrintable(e.message));
            countsBefore = test::tableCounts(study->database());
            QCOMPARE(countsBefore.value(QStringLiteral("item")), 2);
            timer.start();
            o = runImport(*study, { input }, options);
            countsAfter = test::tableCounts(study->database());
        }
        const QByteArray hashAfter = test::sha256(studyPath);
        // A FIFO (or device) is refused before it is opened: no waiting for a writer.
        if (file.startsWith(QLatin1String("@fifo")) || file.startsWith(QLatin1String("@/")))
            QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));

        QVERIFY(!o.ok);
        QCOMPARE(o.error.kind, ErrorKind::InvalidInput);
        QVERIFY(!o.report.errors.isEmpty());
        const QString prefix = input + where + QStringLiteral(": ");
        const QString first = o.report.errors.first().toString();
        QVERIFY2(first.startsWith(prefix),
            qPrintable(
                QStringLiteral("got: ") + first + QStringLiteral("\nexpected prefix: ") + prefix));
        QVERIFY2(first.mid(prefix.size()).contains(phrase), qPrintable(first));
        QCOMPARE(o.error.message, first);
        QCOMPARE(o.report.errors.first().file, input);
        QCOMPARE(o.report.errors.first().line == 0, where.isEmpty());

        QCOMPARE(countsAfter, countsBefore);
        QCOMPARE(hashAfter, hashBefore);
    }

    void longQuotedCsvFieldKeepsTheRecordsAfterIt()
    {
        // The 17 MiB quoted field (with newlines, commas and "" inside) is dropped, not
        // kept in memory, and the record after it is read where it starts.
        const QByteArray big(qsizetype(17) << 20, 'x');
        const QString file = write(QStringLiteral("long-quoted.csv"),
            "item_id,text\nc1,fine\nc2,\"" + big + "\n,\"\"" + big
                + "\"\nc3,\"after\nthe long one\"\n");
        ImportOptions options;
        options.skipInvalid = true;
        const Outcome o = runImport(*m_study, { file }, options);
        QVERIFY2(o.ok, qPrintable(describe(o)));
        QCOMPARE(o.report.skipped.size(), 1);
        QCOMPARE(o.report.skipped.first().toString(),
            file + QStringLiteral(":3: field longer than 16 MiB"));
        QCOMPARE(o.report.counts.itemsAdded, 2);
        const auto c3 = ItemRepository(*m_study).byExternalId(QStringLiteral("c3"));
        QVERIFY(c3);
        QCOMPARE(c3->turns, QStringList { QStringLiteral("after\nthe long one") });
    }

    void malformedCorpusIsComplete()
    {
        const QString root = test::importData(QStringLiteral("malformed"));
        QStringList files;
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(QDir(root).relativeFilePath(it.next()));
        files.sort();
        QVERIFY2(files.size() >= 60, qPrintable(QString::number(files.size())));
        // Every committed file is checked by malformed(), and every row names a file that exists.
        QStringList listed;
        for (const MalformedCase &c : malformedCases())
            if (!c.file.startsWith(QLatin1Char('@')))
                listed.append(c.file);
        listed.sort();
        QCOMPARE(listed, files);
    }

    void errorNamesTheFileAsGiven()
    {
        const QString cwd = QDir::currentPath();
        QVERIFY(QDir::setCurrent(test::importData(QStringLiteral("malformed"))));
        const Outcome o = runImport(*m_study, { QStringLiteral("missing_item_id.jsonl") });
        QVERIFY(QDir::setCurrent(cwd));
        QVERIFY(!o.ok);
        QCOMPARE(o.error.message, QStringLiteral("missing_item_id.jsonl:1:item_id: is required"));
        const Outcome rel = runImport(*m_study, { QStringLiteral("./no/such/file.csv") });
        QVERIFY(!rel.ok);
        QVERIFY2(rel.error.message.startsWith(QLatin1String("./no/such/file.csv:")),
            qPrintable(rel.error.message));
    }
};

QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
