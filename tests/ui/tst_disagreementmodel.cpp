#include "storage/review.h"
#include "tests/storage/reviewfixture.h"
#include "ui/disagreementmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr::storage;
using cr::ui::DisagreementFilterModel;
using cr::ui::DisagreementModel;
using namespace Qt::StringLiterals;

class TestDisagreementModel final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QList<Disagreement> m_rows;
    std::unique_ptr<Study> m_study; // the paged model reads from it

    std::shared_ptr<const DisagreementQueue> queue(const DisagreementFilter &filter = {})
    {
        Error e;
        auto q = DisagreementQueue::build(*m_study, 2.0, filter, std::nullopt, &e);
        return q ? std::make_shared<const DisagreementQueue>(std::move(*q)) : nullptr;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        Error e;
        auto study = cr::test::createReviewStudy(m_dir.path(), &e);
        QVERIFY2(study, qPrintable(e.message));
        const auto rows = loadDisagreements(*study, 2.0, &e);
        QVERIFY(rows);
        m_rows = *rows;
        m_study = std::move(study);
    }

    void rowsAndColumns()
    {
        DisagreementModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows(m_rows);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.columnCount(), int(DisagreementModel::ColumnCount));
        QCOMPARE(model.data(model.index(0, DisagreementModel::ItemColumn)).toString(), u"i3"_s);
        QCOMPARE(
            model.data(model.index(0, DisagreementModel::KindColumn)).toString(), u"Category"_s);
        QCOMPARE(model.data(model.index(0, DisagreementModel::ConsensusColumn)).toString(),
            u"none (tie)"_s);
        // i1/m: scores 1, 4, 4 listed sorted and without who gave them.
        QCOMPARE(
            model.data(model.index(3, DisagreementModel::ValuesColumn)).toString(), u"1 · 4 · 4"_s);
        QCOMPARE(model.data(model.index(3, DisagreementModel::SpreadColumn)).toString(), u"3"_s);
        QCOMPARE(model.data(model.index(3, DisagreementModel::HarmfulColumn)).toString(), u"Yes"_s);
        QCOMPARE(
            model.data(model.index(3, DisagreementModel::DistanceColumn)).toString(), u"2.00"_s);
        QCOMPARE(model.data(model.index(3, DisagreementModel::ConsensusColumn)).toString(),
            u"3.00 (mean)"_s);
        QCOMPARE(model.data(model.index(3, DisagreementModel::StatusColumn)).toString(), u"Open"_s);
        QCOMPARE(model.data(model.index(3, 0), DisagreementModel::SortRole).toString(), u"i1"_s);
        QCOMPARE(
            model.data(model.index(3, DisagreementModel::SpreadColumn), DisagreementModel::SortRole)
                .toDouble(),
            3.0);
        QCOMPARE(model.data(model.index(3, 0), DisagreementModel::KindRole).toString(), u"score"_s);
        QCOMPARE(model.data(model.index(3, 0), DisagreementModel::ResponseIdRole).toLongLong(),
            m_rows[3].responseId);
        QCOMPARE(model.rowOf(m_rows[3].itemId, m_rows[3].responseId), 3);
        QCOMPARE(model.rowOf(m_rows[3].itemId, -5), -1);
        QVERIFY(model.roleNames().contains(DisagreementModel::SortRole));

        // With the protocol's names, category values read as on the rest of the page.
        const QString ids = model.data(model.index(0, DisagreementModel::ValuesColumn)).toString();
        QHash<QString, QString> names;
        for (const QString &id : ids.split(u" · "_s))
            names.insert(id, u"Name of "_s + id);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setCategoryNames(names);
        QCOMPARE(changed.size(), 1);
        const QStringList shown =
            model.data(model.index(0, DisagreementModel::ValuesColumn)).toString().split(u" · "_s);
        QCOMPARE(shown.size(), ids.split(u" · "_s).size());
        for (const QString &value : shown)
            QVERIFY2(value.startsWith(u"Name of "_s), qPrintable(value));
        QCOMPARE(
            model.data(model.index(3, DisagreementModel::ValuesColumn)).toString(), u"1 · 4 · 4"_s);
    }

    void filterAndSort()
    {
        DisagreementModel model;
        DisagreementFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(m_rows);
        QCOMPARE(proxy.rowCount(), 7);
        DisagreementFilter filter;
        filter.llmOnly = true;
        proxy.setFilter(filter);
        QCOMPARE(proxy.rowCount(), 2);
        QCOMPARE(proxy.data(proxy.index(0, 0)).toString(), u"i2"_s);
        QCOMPARE(proxy.data(proxy.index(1, DisagreementModel::ResponseColumn)).toString(),
            u"n (run 1)"_s);
        filter = {};
        filter.model = u"m"_s;
        proxy.setFilter(filter);
        QCOMPARE(proxy.rowCount(), 3);
        // Sorted by spread, largest first: i1/m (3), i2/m (2), i3/m (1).
        proxy.sort(DisagreementModel::SpreadColumn, Qt::DescendingOrder);
        QStringList items;
        for (int r = 0; r < proxy.rowCount(); ++r)
            items.append(proxy.data(proxy.index(r, 0)).toString());
        QCOMPARE(items, (QStringList { u"i1"_s, u"i2"_s, u"i3"_s }));
        proxy.setFilter({});
        QCOMPARE(proxy.rowCount(), 7);
    }

    void fetchesTheStreamedQueueInPages()
    {
        const auto q = queue();
        QVERIFY(q);
        Error e;
        const auto first = q->fetch(*m_study, 0, 2, &e);
        QVERIFY2(first, qPrintable(e.message));
        DisagreementModel model;
        model.setPageRows(2);
        model.setQueue(m_study.get(), q, *first, false);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.totalRows(), 7);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QList<int> counts;
        while (model.canFetchMore({})) {
            model.fetchMore({});
            counts.append(model.rowCount());
        }
        // rowCount grows a page at a time; each page is one insertion.
        QCOMPARE(counts, (QList<int> { 4, 6, 7 }));
        QCOMPARE(inserted.size(), 3);
        QCOMPARE(inserted.last().at(1).toInt(), 6);
        QCOMPARE(inserted.last().at(2).toInt(), 6);
        model.fetchMore({}); // nothing left
        QCOMPARE(model.rowCount(), 7);
        // The rows of the whole load, in queue order.
        for (int r = 0; r < 7; ++r) {
            QCOMPARE(model.row(r).itemId, m_rows[r].itemId);
            QCOMPARE(model.row(r).responseId, m_rows[r].responseId);
        }
        // The storage layer never held more than one page of rows.
        QCOMPARE(q->largestFetch(), 2);
        QCOMPARE(q->rowsFetched(), 7);
        QCOMPARE(model.rowOf(m_rows[5].itemId, m_rows[5].responseId), 5);
    }

    void theQueueFiltersAndOrders()
    {
        // Filtering is done by the storage layer: the model pages through matching rows only.
        DisagreementFilter filter;
        filter.model = u"m"_s;
        const auto q = queue(filter);
        QVERIFY(q);
        DisagreementModel model;
        model.setPageRows(1);
        model.setQueue(m_study.get(), q, {}, true);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.fetchUpTo(2, 3));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(!model.canFetchMore({}));
        // i1/m (harmful, range 3), i3/m (harmful, range 1), i2/m: the queue's order, blinded.
        QStringList items;
        for (int r = 0; r < model.rowCount(); ++r) {
            items.append(model.row(r).itemExternalId);
            QVERIFY(model.row(r).model.isEmpty());
            QVERIFY(!model.row(r).responseLetter.isEmpty());
        }
        QCOMPARE(items.size(), 3);
        QCOMPARE(model.row(0).itemId, m_rows[3].itemId);
        QCOMPARE(model.row(1).itemId, m_rows[4].itemId);
        QCOMPARE(model.row(2).itemId, m_rows[5].itemId);
        QCOMPARE(q->largestFetch(), 1);
    }
};

QTEST_MAIN(TestDisagreementModel)
#include "tst_disagreementmodel.moc"
