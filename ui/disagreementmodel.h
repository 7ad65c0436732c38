#pragma once

#include "storage/review.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <algorithm>
#include <memory>

namespace cr::ui {

/// The review queue: one row per disagreement, in queue order. Shows no rater names:
/// values are listed sorted, without who gave them. GUI thread only.
///
/// Either the rows are set whole (setRows()) or the model pages through a streamed queue
/// (setQueue(): storage::DisagreementQueue, filtered and ordered by the storage layer):
/// rowCount() is the rows fetched so far, and canFetchMore()/fetchMore() read the next
/// page of DisagreementQueue::pageRows rows from the study as the view scrolls.
class DisagreementModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ItemColumn,
        KindColumn,
        ResponseColumn,
        SpreadColumn,
        HarmfulColumn,
        DistanceColumn,
        ValuesColumn,
        ConsensusColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< a number or text that sorts naturally
        QueuePositionRole, ///< the row's place in the queue order
        ItemIdRole,
        ResponseIdRole,
        KindRole, ///< "category" or "score"
    };

    explicit DisagreementModel(QObject *parent = nullptr);

    void setRows(const QList<storage::Disagreement> &rows);
    /// Pages through `queue` on `study` (not owned; it must outlive the queue's use),
    /// starting with `firstPage` (its first rows, fetched by the loader); `blind` blinds
    /// every fetched page (storage::blindDisagreements).
    void setQueue(storage::Study *study, std::shared_ptr<const storage::DisagreementQueue> queue,
        const QList<storage::Disagreement> &firstPage, bool blind);
    /// The queue paged through (null after setRows()).
    const storage::DisagreementQueue *queue() const { return m_queue.get(); }
    /// Rows fetchMore() reads at a time (default storage::DisagreementQueue::pageRows).
    void setPageRows(int rows) { m_pageRows = std::max(1, rows); }
    /// Rows in the queue, fetched or not (rowCount() without paging).
    int totalRows() const;
    /// Rows fetched from the study so far (the rows this model holds).
    int fetchedRows() const { return int(m_rows.size()); }
    /// Fetches pages until row `row` is fetched, at most `maxPages` of them; false if
    /// it is still not.
    bool fetchUpTo(int row, int maxPages);
    /// Why the last fetchMore() failed (empty if it did not).
    QString fetchError() const { return m_fetchError; }
    const QList<storage::Disagreement> &rows() const { return m_rows; }
    const storage::Disagreement &row(int row) const { return m_rows.at(row); }
    /// The row of a category (responseId 0) or score disagreement; -1 when absent.
    int rowOf(qint64 itemId, qint64 responseId) const;
    /// The harm threshold the rows were computed with, shown in the Harmful header.
    double harmThreshold() const { return m_harmThreshold; }
    void setHarmThreshold(double threshold);
    /// Category ids → the protocol's display names, for the values and consensus
    /// columns (ids without a name are shown as they are).
    void setCategoryNames(const QHash<QString, QString> &names);

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<storage::Disagreement> m_rows;
    storage::Study *m_study = nullptr;
    std::shared_ptr<const storage::DisagreementQueue> m_queue;
    bool m_blind = false;
    int m_pageRows = int(storage::DisagreementQueue::pageRows);
    QString m_fetchError;
    double m_harmThreshold = 2.0;
    QHash<QString, QString> m_categoryNames;
};

/// Filters the queue (storage::DisagreementFilter) and sorts by SortRole; unsorted it
/// keeps the queue order. GUI thread only.
class DisagreementFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit DisagreementFilterModel(QObject *parent = nullptr);

    storage::DisagreementFilter filter() const { return m_filter; }
    void setFilter(const storage::DisagreementFilter &filter);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    storage::DisagreementFilter m_filter;
};

} // namespace cr::ui
