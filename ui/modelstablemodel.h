#pragma once

#include "storage/studyinfo.h"

#include <QAbstractTableModel>

namespace cr::ui {

/// The chatbot models of a study with their response and run counts (researcher
/// overview only: rating pages never show model names). GUI thread only.
class ModelsTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ResponsesColumn, RunsColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, ResponsesRole, RunsRole };

    explicit ModelsTableModel(QObject *parent = nullptr);

    void setRows(const QList<storage::StudyInfo::ModelRow> &rows);
    const QList<storage::StudyInfo::ModelRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<storage::StudyInfo::ModelRow> m_rows;
};

} // namespace cr::ui
