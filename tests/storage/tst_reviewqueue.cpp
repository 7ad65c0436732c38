// The streamed review queue (storage::DisagreementQueue): its keys and pages give exactly
// the rows of the whole-queue load (loadDisagreements) that pass the filter, in the same
// order, while holding at most one page of rows. Runs on both engines.
#include "storage/pagecache.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "storage/statement.h"
#include "storage/study.h"
#include "tests/storage/backendfixture.h"
#include "tests/storage/reviewfixture.h"
#include "tests/storage/sqlitesteps.h"

#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr::storage;
using namespace Qt::StringLiterals;

namespace {

/// Every field of a row, as text (Disagreement has no operator==).
QString describe(const Disagreement &d)
{
    QStringList values;
    for (const RaterValue &v : d.values)
        values.append(
            u"%1:%2:%3:%4:%5:%6:%7:%8"_s.arg(v.rater.id)
                .arg(v.rater.pseudonym, v.category, v.note,
                    v.score ? QString::number(*v.score) : u"-"_s, v.cannotAssess ? u"ca"_s : u""_s,
                    v.checklist.join(u','), v.rationale));
    return u"%1|%2|%3|%4|%5|%6|%7|%8|%9"_s.arg(Disagreement::toString(d.kind))
               .arg(d.itemId)
               .arg(d.itemExternalId)
               .arg(d.responseId)
               .arg(d.model)
               .arg(d.run)
               .arg(d.itemCategories.join(u','), values.join(u';'))
               .arg(d.spread())
        + u"|%1|%2|%3|%4|%5|%6|%7|%8"_s.arg(d.categorySpread.distinct)
              .arg(d.scoreSpread.range)
              .arg(d.scoreSpread.distanceFromConsensus, 0, 'g', 17)
              .arg(d.scoreSpread.harmfulByAnyone)
              .arg(d.involvesLlm)
              .arg(d.consensus, d.consensusHow)
              .arg(d.adjudication ? d.adjudication->id : 0);
}

QStringList describe(const QList<Disagreement> &rows)
{
    QStringList out;
    for (const Disagreement &d : rows)
        out.append(describe(d));
    return out;
}

} // namespace

class TestReviewQueue final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Study> m_study;
    int m_studies = 0;

    qint64 raterId(const QString &name) { return RaterRepository(*m_study).byName(name)->id; }

    /// The whole load, filtered as the command filtered it before it streamed.
    QStringList expected(double threshold, const DisagreementFilter &filter,
        const std::optional<QSet<qint64>> &items)
    {
        Error e;
        auto rows = loadDisagreements(*m_study, threshold, &e);
        if (!rows)
            return { e.message };
        rows->removeIf([&](const Disagreement &d) {
            return !filter.matches(d) || (items && !items->contains(d.itemId));
        });
        return describe(*rows);
    }

    /// The streamed queue's rows, fetched `page` at a time.
    QStringList streamed(double threshold, const DisagreementFilter &filter,
        const std::optional<QSet<qint64>> &items, qsizetype page, qsizetype *largest = nullptr)
    {
        Error e;
        const ReadSnapshot snapshot(*m_study); // as the command reads it
        const auto queue = DisagreementQueue::build(*m_study, threshold, filter, items, &e);
        if (!queue)
            return { e.message };
        if (queue->rowsFetched() != 0)
            return { u"build() made rows"_s };
        QList<Disagreement> all;
        for (qsizetype from = 0; from < queue->size(); from += page) {
            const auto rows = queue->fetch(*m_study, from, page, &e);
            if (!rows)
                return { e.message };
            if (rows->size() != std::min(page, queue->size() - from))
                return { u"short page"_s };
            all += *rows;
        }
        if (largest)
            *largest = queue->largestFetch();
        return describe(all);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        Error e;
        m_study = cr::test::createReviewStudy(
            m_dir.path(), &e, cr::test::studyLocation(m_dir, u"q%1.crisis"_s.arg(++m_studies)));
        QVERIFY2(m_study, qPrintable(e.message));
    }

    void cleanup() { m_study.reset(); }

    void sameRowsAsTheWholeLoadInPages()
    {
        const QStringList whole = expected(2.0, {}, std::nullopt);
        QCOMPARE(whole.size(), 7); // the fixture's queue (reviewfixture.h)
        for (const qsizetype page : { 1, 2, 3, 7, 256 }) {
            qsizetype largest = 0;
            QCOMPARE(streamed(2.0, {}, std::nullopt, page, &largest), whole);
            // At most one page of rows was ever held.
            QCOMPARE(largest, std::min<qsizetype>(page, 7));
        }
        // Another harm threshold reorders the score rows.
        QCOMPARE(streamed(4.0, {}, std::nullopt, 2), expected(4.0, {}, std::nullopt));
        QCOMPARE(streamed(1.0, {}, std::nullopt, 3), expected(1.0, {}, std::nullopt));
    }

    void pagesLeaveNoStatementsBehind()
    {
        // Every page prepares its own queries (IN lists of its ids); each must be finalized
        // when done, or a 100x queue leaves ~7,000 pages' statements on the connection
        // (about 300 MB, issue 22). On PostgreSQL the statements are client-side strings.
        if (cr::test::onServer())
            QSKIP("SQLite statements only");
        const QSqlDatabase db = m_study->database();
        Error e;
        DisagreementFilter category;
        category.category = u"self-harm"_s; // build() loads the consensus too
        for (const DisagreementFilter &filter : { DisagreementFilter {}, category }) {
            const int before = cr::test::sqliteLiveStatements(db);
            {
                const auto queue =
                    DisagreementQueue::build(*m_study, 2.0, filter, std::nullopt, &e);
                QVERIFY2(queue, qPrintable(e.message));
                QVERIFY(queue->size() > 0);
                for (qsizetype from = 0; from < queue->size(); ++from)
                    QVERIFY2(queue->fetch(*m_study, from, 1, &e), qPrintable(e.message));
            }
            QCOMPARE(cr::test::sqliteLiveStatements(db), before);
        }
        // A cursor prepared again holds one statement, not one per prepare().
        const int before = cr::test::sqliteLiveStatements(db);
        RowCursor q(db);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(q.prepare("SELECT count(*) FROM item"));
            QVERIFY(q.next());
            QCOMPARE(cr::test::sqliteLiveStatements(db), before + 1);
        }
    }

    void pageCacheBudgetIsRestored()
    {
        const auto cacheSize = [&] {
            QSqlQuery q(m_study->database());
            return q.exec(u"PRAGMA cache_size"_s) && q.next() ? q.value(0).toLongLong() : 0;
        };
        if (cr::test::onServer()) {
            const PageCacheBudget cache(*m_study, 1024); // nothing to cap; reads still work
            QCOMPARE(streamed(2.0, {}, std::nullopt, 3), expected(2.0, {}, std::nullopt));
            return;
        }
        const qint64 before = cacheSize();
        QCOMPARE(before, -65536); // Study's default: 64 MiB
        {
            const PageCacheBudget cache(*m_study, 1024);
            QCOMPARE(cacheSize(), -1024);
            QCOMPARE(streamed(2.0, {}, std::nullopt, 3), expected(2.0, {}, std::nullopt));
        }
        QCOMPARE(cacheSize(), before);
    }

    void filtersAsTheWholeLoad()
    {
        QList<DisagreementFilter> filters;
        DisagreementFilter f;
        f.llmOnly = true;
        filters.append(f);
        f = {};
        f.model = u"n"_s;
        filters.append(f);
        f = {};
        f.category = u"self-harm"_s;
        filters.append(f);
        f = {};
        f.category = u"anxiety_crisis"_s;
        filters.append(f);
        f = {};
        f.raterPair = { u"h1"_s, u"h2"_s };
        filters.append(f);
        f = {};
        f.raterPair = { u"h3"_s, u"llm"_s };
        filters.append(f);
        f = {};
        f.category = u"no_crisis"_s;
        f.llmOnly = true;
        filters.append(f);
        for (const DisagreementFilter &filter : std::as_const(filters)) {
            const QStringList whole = expected(2.0, filter, std::nullopt);
            QVERIFY(!whole.isEmpty());
            QCOMPARE(streamed(2.0, filter, std::nullopt, 2), whole);
        }
        const qint64 i1 = ItemRepository(*m_study).byExternalId(u"i1"_s)->id;
        const QSet<qint64> items { i1 };
        QCOMPARE(streamed(2.0, {}, items, 1), expected(2.0, {}, items));
        QCOMPARE(streamed(2.0, {}, items, 1).size(), 3); // cat i1, i1/m, i1/n
    }

    void adjudicatedRowsMoveDownAndOpenOnlyDropsThem()
    {
        Error e;
        Adjudication a;
        a.itemId = ItemRepository(*m_study).byExternalId(u"i3"_s)->id;
        a.category = u"suicidal_ideation"_s;
        a.adjudicatorId = raterId(u"lead"_s);
        a.reasonTags = { u"missed_signal"_s };
        QVERIFY2(adjudicate(*m_study, a, std::nullopt, &e) > 0, qPrintable(e.message));
        const QList<Response> responses =
            ItemRepository(*m_study).responses(ItemRepository(*m_study).byExternalId(u"i1"_s)->id);
        Adjudication s;
        s.responseId = responses.first().id;
        s.score = 2;
        s.adjudicatorId = raterId(u"res"_s);
        s.reasonTags = { u"missed_signal"_s };
        QVERIFY2(adjudicate(*m_study, s, std::nullopt, &e) > 0, qPrintable(e.message));
        const QStringList whole = expected(2.0, {}, std::nullopt);
        QCOMPARE(streamed(2.0, {}, std::nullopt, 2), whole);
        DisagreementFilter open;
        open.openOnly = true;
        QCOMPARE(streamed(2.0, open, std::nullopt, 2), expected(2.0, open, std::nullopt));
        QCOMPARE(streamed(2.0, open, std::nullopt, 2).size(), 5);
    }

    void sortedByTheStorageLayer()
    {
        Error e;
        auto whole = loadDisagreements(*m_study, 2.0, &e);
        QVERIFY2(whole, qPrintable(e.message));
        auto queue = DisagreementQueue::build(*m_study, 2.0, {}, std::nullopt, &e);
        QVERIFY2(queue, qPrintable(e.message));
        const auto sorted = [&](DisagreementQueue::SortKey key, bool descending) {
            queue->sortBy(key, descending);
            return describe(
                queue->fetch(*m_study, 0, queue->size(), &e).value_or(QList<Disagreement>()));
        };
        // Spread, largest first, ties in queue order (what the review page's proxy gives).
        QList<Disagreement> bySpread = *whole;
        std::stable_sort(bySpread.begin(), bySpread.end(),
            [](const Disagreement &a, const Disagreement &b) { return a.spread() > b.spread(); });
        QCOMPARE(sorted(DisagreementQueue::SortKey::Spread, true), describe(bySpread));
        QList<Disagreement> byKind = *whole;
        std::stable_sort(
            byKind.begin(), byKind.end(), [](const Disagreement &a, const Disagreement &b) {
                return a.kind == DisagreementKind::Score && b.kind == DisagreementKind::Category;
            });
        QCOMPARE(sorted(DisagreementQueue::SortKey::Kind, true), describe(byKind));
        QList<Disagreement> byDistance = *whole;
        std::stable_sort(
            byDistance.begin(), byDistance.end(), [](const Disagreement &a, const Disagreement &b) {
                return a.scoreSpread.distanceFromConsensus < b.scoreSpread.distanceFromConsensus;
            });
        QCOMPARE(sorted(DisagreementQueue::SortKey::Distance, false), describe(byDistance));
        QCOMPARE(sorted(DisagreementQueue::SortKey::Queue, false), describe(*whole));
    }

    void textWidthsAndPositions()
    {
        Error e;
        const auto queue = DisagreementQueue::build(*m_study, 2.0, {}, std::nullopt, &e);
        QVERIFY2(queue, qPrintable(e.message));
        const auto rows = queue->fetch(*m_study, 0, queue->size(), &e);
        QVERIFY2(rows, qPrintable(e.message));
        QList<int> widest(4, 0);
        for (const Disagreement &d : *rows) {
            widest[0] = std::max(widest[0], int(d.itemExternalId.size()));
            widest[1] =
                std::max(widest[1], int(d.responseId ? QString::number(d.responseId).size() : 1));
            widest[2] = std::max(widest[2], int(Disagreement::toString(d.kind).size()));
            widest[3] = std::max(widest[3], int(QString::number(d.spread()).size()));
        }
        QCOMPARE(queue->widest(), widest);
        for (qsizetype i = 0; i < rows->size(); ++i)
            QCOMPARE(queue->indexOf(rows->at(i).itemId, rows->at(i).responseId), i);
        QCOMPARE(queue->indexOf(rows->at(0).itemId, -1), -1);
        // Past the end and empty ranges give no rows.
        QCOMPARE(queue->fetch(*m_study, queue->size(), 5, &e)->size(), 0);
        QCOMPARE(queue->fetch(*m_study, 2, 0, &e)->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestReviewQueue)
#include "tst_reviewqueue.moc"
