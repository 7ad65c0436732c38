#pragma once

#include "storage/studyinfo.h"

#include <QAbstractTableModel>

namespace cr::ui {

/// The raters of a study (people and LLMs) with their workload. GUI thread only.
class RatersTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        KindColumn,
        RoleColumn,
        PseudonymColumn,
        AssignedColumn,
        LabelsColumn,
        RatingsColumn,
        ColumnCount
    };
    enum Role {
        NameRole = Qt::UserRole + 1,
        KindRole,
        RoleRole,
        PseudonymRole,
        AssignedRole,
        LabelsRole,
        RatingsRole
    };

    explicit RatersTableModel(QObject *parent = nullptr);

    void setRows(const QList<storage::StudyInfo::RaterRow> &rows);
    const QList<storage::StudyInfo::RaterRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<storage::StudyInfo::RaterRow> m_rows;
};

} // namespace cr::ui
