#pragma once

#include "storage/review.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace cr::ui {

/// The review queue: one row per disagreement (storage::loadDisagreements), in queue
/// order. Shows no rater names: values are listed sorted, without who gave them.
/// GUI thread only.
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

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<storage::Disagreement> m_rows;
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
