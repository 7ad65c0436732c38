#include "storage/demo.h"
#include "storage/importer.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace cr::storage;

namespace {

/// A new study at dir/name with `items` and `ratings` (JSONL text) imported; null on failure.
std::unique_ptr<Study> importedStudy(const QTemporaryDir &dir, const QString &name,
    const QByteArray &items, const QByteArray &ratings)
{
    Error e;
    auto study =
        Study::create(dir.filePath(name), cr::protocol::defaultProtocol(), QStringLiteral("t"), &e);
    if (!study)
        return nullptr;
    QStringList files;
    for (const auto &[file, text] : { std::pair { QStringLiteral("items.jsonl"), items },
             std::pair { QStringLiteral("ratings.jsonl"), ratings } }) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            return nullptr;
        files.append(f.fileName());
    }
    ImportReport report;
    if (!Importer(*study).run(files, {}, &report, &e))
        return nullptr;
    return study;
}

} // namespace

class TestRatingData final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void selectionParsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("empty") << QString() << int(RaterSelection::Kind::Human) << QStringList();
        QTest::newRow("human") << QStringLiteral("human") << int(RaterSelection::Kind::Human)
                               << QStringList();
        QTest::newRow("llm") << QStringLiteral("llm") << int(RaterSelection::Kind::Llm)
                             << QStringList();
        QTest::newRow("all") << QStringLiteral("all") << int(RaterSelection::Kind::All)
                             << QStringList();
        QTest::newRow("names") << QStringLiteral("a, b") << int(RaterSelection::Kind::Named)
                               << QStringList { QStringLiteral("a"), QStringLiteral("b") };
    }
    void selectionParsing()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QStringList, names);
        const RaterSelection s = RaterSelection::fromString(text);
        QCOMPARE(int(s.kind), kind);
        QCOMPARE(s.names, names);
    }

    void matrices()
    {
        QTemporaryDir dir;
        Error e;
        auto study = Study::create(dir.filePath(QStringLiteral("s.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("t"), &e);
        QVERIFY2(study, qPrintable(e.message));
        const QString items = dir.filePath(QStringLiteral("items.jsonl"));
        const QString ratings = dir.filePath(QStringLiteral("ratings.jsonl"));
        QFile f(items);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"item_id": "i1", "text": "a", "label": "no_crisis", "responses": [{"model": "m", "text": "r1"}, {"model": "n", "text": "r2"}]}
{"item_id": "i2", "text": "b", "label": "self-harm", "responses": [{"model": "m", "text": "r3"}]}
{"item_id": "i3", "text": "c", "responses": [{"model": "m", "text": "r4"}]}
)");
        f.close();
        QFile g(ratings);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(R"({"rater": "h1", "item_id": "i1", "category": "anxiety_crisis"}
{"rater": "h2", "item_id": "i1", "category": "anxiety_crisis"}
{"rater": "h3", "item_id": "i1", "category": "no_crisis"}
{"rater": "h1", "item_id": "i3", "category": "suicidal_ideation"}
{"rater": "h2", "item_id": "i3", "category": "no_crisis"}
{"rater": "llm", "rater_kind": "llm", "item_id": "i2", "category": "no_crisis"}
{"rater": "h1", "item_id": "i1", "model": "m", "score": 2}
{"rater": "h2", "item_id": "i1", "model": "m", "score": null, "cannot_assess": true}
{"rater": "llm", "rater_kind": "llm", "item_id": "i1", "model": "n", "score": 5}
)");
        g.close();
        ImportReport report;
        QVERIFY2(Importer(*study).run({ items, ratings }, {}, &report, &e), qPrintable(e.message));

        const auto labels =
            loadLabels(*study, RaterSelection::fromString(QStringLiteral("human")), &e);
        QVERIFY(labels);
        QCOMPARE(labels->raters.size(), 3);
        QCOMPARE(labels->itemIds.size(), 3);
        QCOMPARE(labels->categories.size(), 7);
        const int anxiety = int(labels->categories.indexOf(QStringLiteral("anxiety_crisis")));
        QCOMPARE(labels->code(0, 0), anxiety);
        QCOMPARE(labels->code(2, 1), -1);

        const auto scores =
            loadScores(*study, RaterSelection::fromString(QStringLiteral("all")), &e);
        QVERIFY(scores);
        // h3 has no score at all and h2 only "cannot assess": both left out of the group.
        QCOMPARE(scores->raters.size(), 2);
        QCOMPARE(scores->responseIds.size(), 4);
        QCOMPARE(scores->models,
            (QStringList { QStringLiteral("m"), QStringLiteral("n"), QStringLiteral("m"),
                QStringLiteral("m") }));
        // Consensus: majority of humans (i1), reference when humans tie (i3 has none: empty),
        // reference label when no human labels (i2).
        QCOMPARE(scores->categories,
            (QStringList { QStringLiteral("anxiety_crisis"), QStringLiteral("anxiety_crisis"),
                QStringLiteral("self-harm"), QString() }));
        QCOMPARE(scores->raters[0].name, QStringLiteral("h1"));
        QCOMPARE(scores->score(0, 0), 2.0);
        QVERIFY(std::isnan(scores->score(0, 1)));
        QCOMPARE(scores->score(1, 1), 5.0);
        // Named raters are kept even without values; cannot assess is not a score.
        const auto named =
            loadScores(*study, RaterSelection::fromString(QStringLiteral("h2,h3")), &e);
        QVERIFY(named);
        QCOMPARE(named->raters.size(), 2);
        QVERIFY(std::isnan(named->score(0, 0)));

        // An adjudicated category wins over the majority.
        const auto lead = RaterRepository(*study).add(
            QStringLiteral("lead"), RaterKind::Human, RaterRole::Adjudicator, &e);
        QVERIFY(lead);
        Adjudication a;
        a.itemId = labels->itemIds[0];
        a.category = QStringLiteral("no_crisis");
        a.adjudicatorId = lead->id;
        QVERIFY(AdjudicationRepository(*study).add(a, &e) > 0);
        const auto again =
            loadScores(*study, RaterSelection::fromString(QStringLiteral("human")), &e);
        QVERIFY(again);
        QCOMPARE(again->raters.size(), 1); // h1; the adjudicator is not a rater of the group
        QCOMPARE(again->categories.value(0), QStringLiteral("no_crisis"));

        QVERIFY(!loadLabels(*study, RaterSelection::fromString(QStringLiteral("h1,nobody")), &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
    }

    // storage::ScoreLoad reads the scores on a worker over its own connection when it may;
    // its matrix is loadScores()'s in every case, and inside a transaction it reads on the
    // study's connection (so it sees the transaction's writes).
    void scoreLoad()
    {
        QTemporaryDir dir;
        Error e;
        const auto study = importedStudy(dir, QStringLiteral("w.crisis"),
            R"({"item_id": "i1", "text": "a", "label": "no_crisis", "responses": [{"model": "m", "text": "r1"}, {"model": "n", "text": "r2"}]}
{"item_id": "i2", "text": "b", "label": "self-harm", "responses": [{"model": "m", "text": "r3"}]}
)",
            R"({"rater": "h1", "item_id": "i1", "category": "anxiety_crisis"}
{"rater": "h2", "item_id": "i1", "category": "anxiety_crisis"}
{"rater": "h1", "item_id": "i1", "model": "m", "score": 2}
{"rater": "h2", "item_id": "i1", "model": "m", "score": 3}
{"rater": "h1", "item_id": "i1", "model": "n", "score": 4}
{"rater": "h2", "item_id": "i2", "model": "m", "score": 5}
{"rater": "llm", "rater_kind": "llm", "item_id": "i1", "model": "n", "score": 1}
)");
        QVERIFY(study);
        // Adjudicated scores: the latest adjudication with a score counts.
        const auto lead = RaterRepository(*study).add(
            QStringLiteral("lead"), RaterKind::Human, RaterRole::Adjudicator, &e);
        QVERIFY(lead);
        const auto plain =
            loadScores(*study, RaterSelection::fromString(QStringLiteral("all")), &e);
        QVERIFY(plain);
        for (const int score : { 3, 4 }) {
            Adjudication a;
            a.responseId = plain->responseIds[1];
            a.score = score;
            a.adjudicatorId = lead->id;
            QVERIFY2(AdjudicationRepository(*study).add(a, &e) > 0, qPrintable(e.message));
        }
        const auto consensus = consensusCategories(*study, &e);
        QVERIFY(consensus);
        const auto sameMatrix = [](const ScoreMatrix &a, const ScoreMatrix &b) {
            if (a.raters.size() != b.raters.size() || a.responseIds != b.responseIds
                || a.models != b.models || a.itemIds != b.itemIds || a.categories != b.categories
                || a.adjudicated != b.adjudicated || a.scores.size() != b.scores.size())
                return false;
            for (int r = 0; r < a.raters.size(); ++r)
                if (a.raters[r].id != b.raters[r].id)
                    return false;
            for (std::size_t c = 0; c < a.scores.size(); ++c)
                if (!(a.scores[c] == b.scores[c]
                        || (std::isnan(a.scores[c]) && std::isnan(b.scores[c]))))
                    return false;
            return true;
        };
        for (const QString &selection :
            { QStringLiteral("all"), QStringLiteral("human"), QStringLiteral("h2,h1") }) {
            const auto expected =
                loadScores(*study, RaterSelection::fromString(selection), &e, {}, *consensus);
            QVERIFY(expected);
            ScoreLoad load(*study, RaterSelection::fromString(selection));
            const auto loaded = load.take(*consensus, &e);
            QVERIFY2(loaded, qPrintable(e.message));
            QVERIFY(load.usedWorker());
            QVERIFY2(sameMatrix(*loaded, *expected), qPrintable(selection));
            QCOMPARE(loaded->adjudicated[1], std::optional<int>(4));
            QCOMPARE(loaded->adjudicated[0], std::optional<int>());
            QCOMPARE(loaded->categories[0], QStringLiteral("anxiety_crisis"));
            QCOMPARE(loaded->categories[2], QStringLiteral("self-harm"));
            // Taken again: read again (on the study's connection), the same matrix.
            const auto again = load.take(*consensus, &e);
            QVERIFY(again);
            QVERIFY(sameMatrix(*again, *expected));
        }
        {
            // Inside a transaction: an uncommitted score is seen (no worker).
            WriteTransaction t(*study, &e);
            QVERIFY(t.isActive());
            QSqlQuery q(study->database());
            QVERIFY(q.exec(QStringLiteral("UPDATE response_rating SET score = 1 WHERE score = 5")));
            QCOMPARE(q.numRowsAffected(), 1);
            ScoreLoad load(*study, RaterSelection::fromString(QStringLiteral("human")));
            const auto loaded = load.take(*consensus, &e);
            QVERIFY(loaded);
            QVERIFY(!load.usedWorker());
            const auto expected = loadScores(
                *study, RaterSelection::fromString(QStringLiteral("human")), &e, {}, *consensus);
            QVERIFY(expected);
            QVERIFY(sameMatrix(*loaded, *expected));
            QCOMPARE(loaded->score(1, 2), 1.0); // h2 on i2's response, uncommitted
        }
        // Unknown raters: the error comes with take().
        ScoreLoad bad(*study, RaterSelection::fromString(QStringLiteral("nobody")));
        QVERIFY(!bad.take(*consensus, &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
    }

    void filters()
    {
        QTemporaryDir dir;
        Error e;
        auto study = Study::create(dir.filePath(QStringLiteral("f.crisis")),
            cr::protocol::defaultProtocol(), QStringLiteral("t"), &e);
        QVERIFY2(study, qPrintable(e.message));
        QFile f(dir.filePath(QStringLiteral("items.jsonl")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"item_id": "i1", "split": "train", "text": "a", "label": "no_crisis", "responses": [{"model": "m", "text": "r1"}, {"model": "n", "text": "r2"}]}
{"item_id": "i2", "split": "test", "text": "b", "label": "self-harm", "responses": [{"model": "m", "text": "r3"}]}
{"item_id": "i3", "split": "test", "text": "c", "label": "self-harm", "responses": [{"model": "n", "text": "r4"}]}
{"rater": "h1", "item_id": "i1", "model": "m", "score": 2}
{"rater": "h1", "item_id": "i2", "model": "m", "score": 4}
{"rater": "h1", "item_id": "i3", "model": "n", "score": 5}
{"rater": "h1", "item_id": "i2", "category": "self-harm"}
{"rater": "h1", "item_id": "i1", "category": "no_crisis"}
)");
        f.close();
        ImportReport report;
        QVERIFY2(Importer(*study).run({ f.fileName() }, {}, &report, &e), qPrintable(e.message));
        QCOMPARE(itemSplits(*study, &e).value(),
            (QStringList { QStringLiteral("test"), QStringLiteral("train") }));
        auto scores = [&](const RatingFilter &filter) {
            const auto m =
                loadScores(*study, RaterSelection::fromString(QStringLiteral("h1")), &e, filter);
            QList<double> out;
            for (int i = 0; m && i < m->responseIds.size(); ++i)
                out.append(m->score(0, i));
            return out;
        };
        QCOMPARE(scores({}).size(), 4);
        RatingFilter byModel;
        byModel.models = { QStringLiteral("m") };
        QCOMPARE(scores(byModel), (QList<double> { 2, 4 }));
        RatingFilter bySplit;
        bySplit.splits = { QStringLiteral("test") };
        QCOMPARE(scores(bySplit), (QList<double> { 4, 5 }));
        RatingFilter byCategory; // i2 and i3 have consensus self-harm (label, reference)
        byCategory.categories = { QStringLiteral("self-harm") };
        byCategory.models = { QStringLiteral("n") };
        QCOMPARE(scores(byCategory), (QList<double> { 5 }));
        RatingFilter future;
        future.from = QDate::currentDate().addDays(1);
        const QList<double> none = scores(future);
        QCOMPARE(none.size(), 4); // responses stay, their scores are filtered out
        QVERIFY(std::all_of(none.cbegin(), none.cend(), [](double v) { return std::isnan(v); }));
        RatingFilter today;
        today.from = QDate::currentDate().addDays(-1);
        today.to = QDate::currentDate().addDays(1);
        QCOMPARE(scores(today).first(), 2.0);
        const auto labels =
            loadLabels(*study, RaterSelection::fromString(QStringLiteral("h1")), &e, bySplit);
        QVERIFY(labels);
        QCOMPARE(labels->itemIds.size(), 2);
        QCOMPARE(labels->categories.at(labels->code(0, 0)), QStringLiteral("self-harm"));
        QCOMPARE(labels->code(0, 1), -1);
    }
};

QTEST_GUILESS_MAIN(TestRatingData)
#include "tst_ratingdata.moc"
