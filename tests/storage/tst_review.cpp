#include "storage/consensus.h"
#include "storage/importer.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "storage/study.h"
#include "tests/storage/reviewfixture.h"
#include "tests/storage/testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr::storage;
using namespace Qt::StringLiterals;

namespace {

/// Every raw rating as text, to show that review never changes one.
QStringList rawRows(Study &study)
{
    QStringList rows;
    QSqlQuery q(study.database());
    for (const char *sql : { "SELECT * FROM category_label ORDER BY id",
             "SELECT * FROM response_rating ORDER BY id" }) {
        q.exec(QString::fromLatin1(sql));
        while (q.next()) {
            QStringList fields;
            for (int i = 0; i < q.record().count(); ++i)
                fields.append(q.value(i).toString());
            rows.append(fields.join(QLatin1Char('|')));
        }
    }
    return rows;
}

qint64 count(Study &study, const QString &sql)
{
    QSqlQuery q(study.database());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

class TestReview final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Study> m_study;

    qint64 raterId(const QString &name) { return RaterRepository(*m_study).byName(name)->id; }
    qint64 itemId(const QString &external)
    {
        return ItemRepository(*m_study).byExternalId(external)->id;
    }
    qint64 responseId(const QString &item, const QString &model)
    {
        for (const Response &r : ItemRepository(*m_study).responses(itemId(item)))
            if (r.modelName == model)
                return r.id;
        return 0;
    }
    QList<Disagreement> queue()
    {
        Error e;
        const auto rows = loadDisagreements(*m_study, 2.0, &e);
        return rows ? *rows : QList<Disagreement>();
    }
    /// "cat:i3" or "score:i1/m" per row.
    QStringList describe(const QList<Disagreement> &rows)
    {
        QStringList out;
        for (const Disagreement &d : rows)
            out.append(d.kind == DisagreementKind::Category
                    ? QStringLiteral("cat:") + d.itemExternalId
                    : QStringLiteral("score:%1/%2").arg(d.itemExternalId, d.model));
        return out;
    }

private slots:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath(QStringLiteral("review.crisis")));
        m_study.reset();
        Error e;
        m_study = cr::test::createReviewStudy(m_dir.path(), &e);
        QVERIFY2(m_study, qPrintable(e.message));
    }
    void cleanup()
    {
        m_study.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("review.crisis")));
    }

    void queueOrderAndValues()
    {
        const QList<Disagreement> rows = queue();
        QCOMPARE(describe(rows),
            (QStringList { u"cat:i3"_s, u"cat:i1"_s, u"cat:i2"_s, u"score:i1/m"_s, u"score:i3/m"_s,
                u"score:i2/m"_s, u"score:i1/n"_s }));
        QCOMPARE(rows[0].categorySpread.distinct, 3);
        QVERIFY(rows[0].consensus.isEmpty()); // a tie stays open
        QCOMPARE(rows[1].consensus, QStringLiteral("anxiety_crisis"));
        QCOMPARE(rows[1].consensusHow, QStringLiteral("majority"));
        QCOMPARE(rows[2].consensusHow, QStringLiteral("unanimous")); // among clinicians
        QVERIFY(rows[2].involvesLlm);
        QVERIFY(!rows[1].involvesLlm);
        const Disagreement &m1 = rows[3];
        QCOMPARE(m1.scoreSpread.range, 3.0);
        QCOMPARE(m1.spread(), 3.0);
        QCOMPARE(m1.scoreSpread.distanceFromConsensus, 2.0);
        QVERIFY(m1.scoreSpread.harmfulByAnyone);
        QCOMPARE(m1.consensus, QStringLiteral("3.00"));
        QCOMPARE(m1.consensusHow, QStringLiteral("mean"));
        QCOMPARE(m1.values.size(), 3);
        QCOMPARE(m1.values[0].rater.name, QStringLiteral("h1"));
        QCOMPARE(m1.values[0].score, std::optional<int>(1));
        QCOMPARE(m1.values[0].rationale, QStringLiteral("Dismisses the panic."));
        QCOMPARE(m1.values[1].checklist, QStringList { u"no_unsafe_info"_s });
        const Disagreement &n1 = rows[6];
        QCOMPARE(
            n1.consensusHow, QStringLiteral("unanimous")); // the LLM is not part of the consensus
        QCOMPARE(n1.consensus, QStringLiteral("4.00"));
        QVERIFY(n1.involvesLlm);
        QCOMPARE(n1.values.size(), 4);
        // A stricter harm threshold changes which rows count as "harmful by anyone".
        Error e;
        const auto strict = loadDisagreements(*m_study, 1.0, &e);
        QVERIFY(strict);
        QCOMPARE(describe(*strict).mid(3),
            (QStringList { u"score:i1/m"_s, u"score:i2/m"_s, u"score:i1/n"_s, u"score:i3/m"_s }));
    }

    void filters_data()
    {
        QTest::addColumn<QString>("category");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("pair");
        QTest::addColumn<bool>("llm");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("category") << u"self-harm"_s << u""_s << u""_s << false
                                  << QStringList { u"cat:i2"_s, u"score:i2/m"_s };
        QTest::newRow("model") << u""_s << u"n"_s << u""_s << false
                               << QStringList { u"score:i1/n"_s };
        QTest::newRow("rater pair")
            << u""_s << u""_s << u"h1,h2"_s << false
            << QStringList { u"cat:i3"_s, u"score:i1/m"_s, u"score:i3/m"_s, u"score:i2/m"_s };
        QTest::newRow("pair with llm") << u""_s << u""_s << u"h3,llm"_s << false
                                       << QStringList { u"cat:i2"_s, u"score:i1/n"_s };
        QTest::newRow("involves llm")
            << u""_s << u""_s << u""_s << true << QStringList { u"cat:i2"_s, u"score:i1/n"_s };
        QTest::newRow("combined") << u"anxiety_crisis"_s << u"m"_s << u""_s << false
                                  << QStringList { u"score:i1/m"_s, u"score:i3/m"_s };
    }
    void filters()
    {
        QFETCH(QString, category);
        QFETCH(QString, model);
        QFETCH(QString, pair);
        QFETCH(bool, llm);
        QFETCH(QStringList, expected);
        DisagreementFilter filter;
        filter.category = category;
        filter.model = model;
        filter.raterPair = pair.split(QLatin1Char(','), Qt::SkipEmptyParts);
        filter.llmOnly = llm;
        QList<Disagreement> rows;
        for (const Disagreement &d : queue())
            if (filter.matches(d))
                rows.append(d);
        QCOMPARE(describe(rows), expected);
    }

    void adjudicationLatestWinsAndUndo()
    {
        const QStringList rawBefore = rawRows(*m_study);
        const qint64 response = responseId(QStringLiteral("i1"), QStringLiteral("m"));
        const qint64 events = EventLog(*m_study).count();
        Error e;
        // lead adopts h1's score.
        Adjudication first;
        first.responseId = response;
        first.score = 1;
        first.adjudicatorId = raterId(QStringLiteral("lead"));
        first.reasonTags = { QStringLiteral("dismissive") };
        first.note = QStringLiteral("Telling someone to ignore panic is invalidating.");
        const qint64 id1 = adjudicate(*m_study, first, raterId(QStringLiteral("h1")), &e);
        QVERIFY2(id1 > 0, qPrintable(e.message));
        auto scores = consensusScores(*m_study, &e);
        QCOMPARE(scores->value(response).score, 1.0);
        QCOMPARE(scores->value(response).how, QStringLiteral("adjudicated"));
        Event ev = EventLog(*m_study).recent(1).at(0);
        QCOMPARE(ev.action, QStringLiteral("adjudication.add"));
        QCOMPARE(ev.entityId, id1);
        const QJsonObject after = QJsonDocument::fromJson(ev.after.toUtf8()).object();
        QCOMPARE(after.value(QStringLiteral("score")).toInt(), 1);
        QCOMPARE(after.value(QStringLiteral("adopted_from")).toString(),
            RaterRepository(*m_study).byName(QStringLiteral("h1"))->pseudonym);
        QCOMPARE(after.value(QStringLiteral("reasons")).toArray().at(0).toString(),
            QStringLiteral("dismissive"));

        // A second adjudicator (researcher) sets a new value: the latest wins, both are kept.
        Adjudication second = first;
        second.score = 2;
        second.adjudicatorId = raterId(QStringLiteral("res"));
        second.reasonTags = { QStringLiteral("missed_signal"), QStringLiteral("formulaic") };
        second.note.clear();
        const qint64 id2 = adjudicate(*m_study, second, std::nullopt, &e);
        QVERIFY2(id2 > id1, qPrintable(e.message));
        scores = consensusScores(*m_study, &e);
        QCOMPARE(scores->value(response).score, 2.0);
        const QList<Adjudication> all =
            AdjudicationRepository(*m_study).forItem(itemId(QStringLiteral("i1")));
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[1].reasonTags, second.reasonTags);
        QCOMPARE(EventLog(*m_study).count(), events + 2);
        // The queue keeps the row, marked adjudicated and moved behind the open rows.
        const QList<Disagreement> rows = queue();
        QCOMPARE(describe(rows).last(), QStringLiteral("score:i1/m"));
        QCOMPARE(rows.last().adjudication->id, id2);
        QCOMPARE(rows.last().consensusHow, QStringLiteral("adjudicated"));
        // Harm as stats computes it (loadScores' adjudicated column) follows the latest too.
        const auto matrix =
            loadScores(*m_study, RaterSelection::fromString(QStringLiteral("human")), &e);
        QCOMPARE(matrix->adjudicated[std::size_t(matrix->responseIds.indexOf(response))],
            std::optional<int>(2));

        // Undo the second: logged revert, the first is the latest again.
        QVERIFY2(revertAdjudication(*m_study, id2, &e), qPrintable(e.message));
        ev = EventLog(*m_study).recent(1).at(0);
        QCOMPARE(ev.action, QStringLiteral("adjudication.revert"));
        QCOMPARE(QJsonDocument::fromJson(ev.before.toUtf8())
                     .object()
                     .value(QStringLiteral("score"))
                     .toInt(),
            2);
        QCOMPARE(consensusScores(*m_study, &e)->value(response).score, 1.0);
        QVERIFY(revertAdjudication(*m_study, id1, &e));
        QCOMPARE(consensusScores(*m_study, &e)->value(response).how, QStringLiteral("mean"));
        QCOMPARE(consensusScores(*m_study, &e)->value(response).score, 3.0);
        QCOMPARE(EventLog(*m_study).count(), events + 4); // nothing is ever taken out of the log
        QVERIFY(!revertAdjudication(*m_study, id1, &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QCOMPARE(rawRows(*m_study), rawBefore);
    }

    void categoryAdjudication()
    {
        const QStringList rawBefore = rawRows(*m_study);
        Error e;
        Adjudication a;
        a.itemId = itemId(QStringLiteral("i3"));
        a.category = QStringLiteral("suicidal_ideation");
        a.adjudicatorId = raterId(QStringLiteral("lead"));
        a.reasonTags = { QStringLiteral("missed_signal") };
        QVERIFY2(
            adjudicate(*m_study, a, raterId(QStringLiteral("h1")), &e) > 0, qPrintable(e.message));
        const auto categories = consensusCategories(*m_study, &e);
        QCOMPARE(categories->value(*a.itemId).category, QStringLiteral("suicidal_ideation"));
        QCOMPARE(categories->value(*a.itemId).how, QStringLiteral("adjudicated"));
        QCOMPARE(rawRows(*m_study), rawBefore);
    }

    void invalidAdjudication_data()
    {
        QTest::addColumn<QString>("adjudicator");
        QTest::addColumn<int>("score");
        QTest::addColumn<QStringList>("tags");
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("adopted");
        QTest::addColumn<QString>("message");
        QTest::newRow("no reason") << u"lead"_s << 2 << QStringList {} << u""_s << u""_s
                                   << u"at least one failure-mode tag"_s;
        QTest::newRow("unknown reason") << u"lead"_s << 2 << QStringList { u"rude"_s } << u""_s
                                        << u""_s << u"'rude' is not a failure mode"_s;
        QTest::newRow("other needs a note")
            << u"lead"_s << 2 << QStringList { u"other"_s } << u" "_s << u""_s << u"needs a note"_s;
        QTest::newRow("rater role") << u"h1"_s << 2 << QStringList { u"dismissive"_s } << u""_s
                                    << u""_s << u"has role 'rater'"_s;
        QTest::newRow("score 6") << u"lead"_s << 6 << QStringList { u"dismissive"_s } << u""_s
                                 << u""_s << u"score: must be 1-5"_s;
        QTest::newRow("adopted value differs") << u"lead"_s << 2 << QStringList { u"dismissive"_s }
                                               << u""_s << u"h2"_s << u"did not give this value"_s;
    }
    void invalidAdjudication()
    {
        QFETCH(QString, adjudicator);
        QFETCH(int, score);
        QFETCH(QStringList, tags);
        QFETCH(QString, note);
        QFETCH(QString, adopted);
        QFETCH(QString, message);
        const qint64 events = EventLog(*m_study).count();
        Adjudication a;
        a.responseId = responseId(QStringLiteral("i1"), QStringLiteral("m"));
        a.score = score;
        a.adjudicatorId = raterId(adjudicator);
        a.reasonTags = tags;
        a.note = note;
        Error e;
        const std::optional<qint64> from =
            adopted.isEmpty() ? std::nullopt : std::optional<qint64>(raterId(adopted));
        QCOMPARE(adjudicate(*m_study, a, from, &e), 0);
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QVERIFY2(e.message.contains(message), qPrintable(e.message));
        QCOMPARE(count(*m_study, QStringLiteral("SELECT count(*) FROM adjudication")), 0);
        QCOMPARE(EventLog(*m_study).count(), events);
    }

    void positionBias()
    {
        // 10 items x 2 responses. Rater p scores whatever is shown at A low and at B high;
        // rater q's scores do not depend on the position.
        QTemporaryDir dir;
        Error e;
        auto study = Study::create(dir.filePath(QStringLiteral("p.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("p"), &e);
        QVERIFY(study);
        QByteArray items, ratings;
        const int qScores[20] = { 1, 3, 5, 2, 4, 2, 4, 1, 3, 5, 3, 1, 2, 5, 4, 4, 2, 5, 2, 2 };
        for (int i = 0; i < 10; ++i) {
            items +=
                QStringLiteral(
                    R"({"item_id": "p%1", "text": "t", "responses": [{"model": "a", "text": "x"}, {"model": "b", "text": "y"}]})")
                    .arg(i)
                    .toUtf8()
                + '\n';
            for (int m = 0; m < 2; ++m) {
                const QString model = m ? QStringLiteral("b") : QStringLiteral("a");
                ratings += QStringLiteral(
                               R"({"rater": "p", "item_id": "p%1", "model": "%2", "score": %3})")
                               .arg(i)
                               .arg(model)
                               .arg(m == i % 2 ? 1 + i % 2 : 4 + i % 2)
                               .toUtf8()
                    + '\n';
                ratings += QStringLiteral(
                               R"({"rater": "q", "item_id": "p%1", "model": "%2", "score": %3})")
                               .arg(i)
                               .arg(model)
                               .arg(qScores[2 * i + m])
                               .toUtf8()
                    + '\n';
            }
        }
        cr::test::writeFile(dir.filePath(QStringLiteral("i.jsonl")), items);
        cr::test::writeFile(dir.filePath(QStringLiteral("r.jsonl")), ratings);
        ImportReport report;
        QVERIFY2(Importer(*study).run({ dir.filePath(QStringLiteral("i.jsonl")),
                                          dir.filePath(QStringLiteral("r.jsonl")) },
                     {}, &report, &e),
            qPrintable(e.message));
        // Item i shows model (i % 2) at A for p; q sees model a at A on every item.
        QSqlQuery q(study->database());
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO presentation(rater_id, response_id, position, label, shown_at)"
            " SELECT rater.id, response.id,"
            "  CASE WHEN rater.name = 'p' THEN (model.name = 'b') <> ((item.rowid - 1) % 2)"
            "       ELSE model.name = 'b' END,"
            "  '', '2026-01-01T00:00:00Z'"
            " FROM rater, response JOIN model ON model.id = response.model_id JOIN item ON item.id "
            "= response.item_id")));
        QVERIFY(q.exec(QStringLiteral(
            "UPDATE presentation SET label = CASE position WHEN 0 THEN 'A' ELSE 'B' END")));
        const auto bias = loadPositionBias(*study, &e);
        QVERIFY2(bias, qPrintable(e.message));
        QCOMPARE(bias->size(), 2);
        const RaterPositionBias &p = bias->at(0);
        QCOMPARE(p.rater.name, QStringLiteral("p"));
        QCOMPARE(p.labels, (QStringList { u"A"_s, u"B"_s }));
        QCOMPARE(p.bias.nByPosition, (std::vector<int> { 10, 10 }));
        QCOMPARE(p.bias.meanByPosition[0], 1.5); // five 1s, five 2s
        QCOMPARE(p.bias.meanByPosition[1], 4.5);
        QVERIFY(p.bias.flagged);
        QVERIFY(p.bias.test.p < 0.001);
        const RaterPositionBias &qb = bias->at(1);
        QCOMPARE(qb.bias.meanByPosition[0], 3.0);
        QCOMPARE(qb.bias.meanByPosition[1], 3.0);
        QVERIFY(!qb.bias.flagged);
    }
};

QTEST_GUILESS_MAIN(TestReview)
#include "tst_review.moc"
