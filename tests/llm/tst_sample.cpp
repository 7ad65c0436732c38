// `sample` (llm/sampler.h): stratified, seeded, reproducible, disjoint from excluded studies,
// exact duplicates (after normalisation) skipped and counted; strata by the classifier majority.
#include "llm/sampler.h"
#include "protocol/protocol.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

class TestSample : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_pool;
    int m_studies = 0;

    std::unique_ptr<storage::Study> fresh()
    {
        storage::Error e;
        return storage::Study::create(m_dir.filePath(QStringLiteral("t%1.crisis").arg(++m_studies)),
            protocol::defaultProtocol(), QStringLiteral("t"), &e);
    }

    static QStringList ids(storage::Study &study)
    {
        QSqlQuery q(study.database());
        q.exec(QStringLiteral("SELECT external_id FROM item ORDER BY external_id"));
        QStringList out;
        while (q.next())
            out.append(q.value(0).toString());
        return out;
    }

    std::optional<llm::SampleReport> draw(storage::Study &target, llm::SampleOptions o)
    {
        o.poolPath = m_pool;
        storage::Error e;
        auto r = llm::drawSample(target, o, &e);
        if (!r)
            qWarning("%s", qPrintable(e.message));
        return r;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_pool = m_dir.filePath(QStringLiteral("pool.crisis"));
        storage::Error e;
        auto pool =
            storage::Study::create(m_pool, protocol::defaultProtocol(), QStringLiteral("pool"), &e);
        QVERIFY(pool);
        QFile items(m_dir.filePath(QStringLiteral("pool.jsonl")));
        QFile labels(m_dir.filePath(QStringLiteral("labels.jsonl")));
        QVERIFY(items.open(QIODevice::WriteOnly) && labels.open(QIODevice::WriteOnly));
        const QList<protocol::Category> &categories = protocol::defaultProtocol().categories;
        for (int i = 0; i < 300; ++i) {
            const QString dataset = QStringLiteral("d%1").arg(i % 3);
            items.write(
                QJsonDocument(
                    QJsonObject { { QStringLiteral("item_id"), QStringLiteral("p%1").arg(i) },
                        { QStringLiteral("dataset"), dataset },
                        { QStringLiteral("text"), QStringLiteral("Pool message %1").arg(i) } })
                    .toJson(QJsonDocument::Compact)
                + '\n');
            // Two classifier runs; they agree on even items, so the majority is defined there
            // (ties go to the smaller id).
            const QString a = categories.at(i % 2).id;
            const QString b = categories.at(i % 4 == 1 ? 3 : i % 2).id;
            for (const auto &[rater, category] : { std::pair { QStringLiteral("m:classify#1"), a },
                     std::pair { QStringLiteral("m:classify#2"), b } })
                labels.write(
                    QJsonDocument(QJsonObject { { QStringLiteral("rater"), rater },
                                      { QStringLiteral("rater_kind"), QStringLiteral("llm") },
                                      { QStringLiteral("item_id"), QStringLiteral("p%1").arg(i) },
                                      { QStringLiteral("category"), category } })
                        .toJson(QJsonDocument::Compact)
                    + '\n');
        }
        // A dataset of exact duplicates after normalisation: 5 texts, each twice.
        for (int i = 0; i < 10; ++i) {
            const QString text = i < 5 ? QStringLiteral("Same  words %1").arg(i)
                                       : QStringLiteral(" same words\t%1 ").arg(i - 5).toUpper();
            items.write(QJsonDocument(QJsonObject { { QStringLiteral("item_id"),
                                                        QStringLiteral("dup%1").arg(i) },
                                          { QStringLiteral("dataset"), QStringLiteral("dups") },
                                          { QStringLiteral("text"), text } })
                            .toJson(QJsonDocument::Compact)
                + '\n');
        }
        items.close();
        labels.close();
        storage::ImportReport report;
        QVERIFY2(
            storage::Importer(*pool).run({ items.fileName(), labels.fileName() }, {}, &report, &e),
            qPrintable(e.message
                + (report.errors.isEmpty() ? QString() : report.errors.first().toString())));
    }

    void normalisation()
    {
        QCOMPARE(llm::normalizedText(R"([" Hello\tWORLD ", "again"])"),
            QStringLiteral("hello world again"));
        QCOMPARE(llm::normalizedText(R"(["ﬁne"])"), QStringLiteral("fine")); // NFKC
    }

    void stratifiedAndReproducible()
    {
        llm::SampleOptions o;
        o.per = QStringLiteral("dataset");
        o.sizes = { { QStringLiteral("d0"), 20 }, { QStringLiteral("d2"), 7 } };
        o.seed = 42;
        auto a = fresh();
        const auto r = draw(*a, o);
        QVERIFY(r);
        QCOMPARE(r->added, 27);
        QCOMPARE(r->strata.value(QStringLiteral("d0")).drawn, 20);
        QCOMPARE(r->strata.value(QStringLiteral("d2")).drawn, 7);
        QCOMPARE(r->strata.value(QStringLiteral("d0")).available, 100);
        QVERIFY(!r->strata.contains(QStringLiteral("d1")));
        for (const QString &id : ids(*a))
            QVERIFY(id.mid(1).toInt() % 3 != 1);
        // The same recipe draws the same items; another seed other ones.
        auto b = fresh();
        QVERIFY(draw(*b, o));
        QCOMPARE(ids(*b), ids(*a));
        o.seed = 43;
        auto c = fresh();
        QVERIFY(draw(*c, o));
        QVERIFY(ids(*c) != ids(*a));
        QSqlQuery q(a->database());
        QVERIFY(q.exec(
            QStringLiteral("SELECT pool_hash, per, sizes, seed, counts FROM sample_recipe")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), r->poolHash);
        QCOMPARE(q.value(0).toString().size(), 64);
        QCOMPARE(q.value(2).toString(), QStringLiteral(R"({"d0":20,"d2":7})"));
        QCOMPARE(q.value(3).toLongLong(), 42);
    }

    void disjointFromExcludedStudies()
    {
        llm::SampleOptions o;
        o.per = QStringLiteral("dataset");
        o.n = 30;
        o.seed = 7;
        auto validation = fresh();
        QVERIFY(draw(*validation, o));
        o.exclude = { validation->path() };
        auto test = fresh();
        const auto r = draw(*test, o);
        QVERIFY(r);
        QCOMPARE(r->strata.value(QStringLiteral("d1")).drawn, 30);
        QVERIFY(r->excluded >= 90); // the same seed meets the validation items first
        const QStringList a = ids(*validation);
        const QStringList b = ids(*test);
        for (const QString &id : b)
            QVERIFY2(!a.contains(id), qPrintable(id));
    }

    void duplicatesAreSkippedAndCounted()
    {
        llm::SampleOptions o;
        o.per = QStringLiteral("dataset");
        o.sizes = { { QStringLiteral("dups"), 10 } };
        o.seed = 1;
        auto s = fresh();
        const auto r = draw(*s, o);
        QVERIFY(r);
        QCOMPARE(r->strata.value(QStringLiteral("dups")).drawn, 5);
        QCOMPARE(r->duplicates, 5);
        QSet<QString> texts;
        QSqlQuery q(s->database());
        QVERIFY(q.exec(QStringLiteral("SELECT turns FROM item")));
        while (q.next())
            texts.insert(llm::normalizedText(q.value(0).toByteArray()));
        QCOMPARE(texts.size(), 5);
    }

    void strataByClassifierMajority()
    {
        const QList<protocol::Category> &categories = protocol::defaultProtocol().categories;
        llm::SampleOptions o;
        o.per = QStringLiteral("category");
        o.sizes = { { categories.at(1).id, 12 } };
        o.seed = 3;
        auto s = fresh();
        const auto r = draw(*s, o);
        QVERIFY(r);
        QCOMPARE(r->strata.value(categories.at(1).id).drawn, 12);
        // Odd items: 1 mod 4 is a tie of categories 1 and 3 → the smaller id; 3 mod 4 agree on 1.
        for (const QString &id : ids(*s)) {
            const int i = id.mid(1).toInt();
            QVERIFY(i % 2 == 1);
            if (i % 4 == 1)
                QVERIFY(categories.at(1).id < categories.at(3).id);
        }
        // One rater's labels instead.
        o.categorySource = QStringLiteral("m:classify#2");
        o.sizes = { { categories.at(3).id, 4 } };
        auto t = fresh();
        QVERIFY(draw(*t, o));
        for (const QString &id : ids(*t))
            QCOMPARE(id.mid(1).toInt() % 4, 1);
        QCOMPARE(r->noCategory, 10); // the dups items have no label
    }
};

QTEST_GUILESS_MAIN(TestSample)
#include "tst_sample.moc"
