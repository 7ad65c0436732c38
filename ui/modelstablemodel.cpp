#include "ui/modelstablemodel.h"

#include <QLocale>

namespace cr::ui {

namespace {

int rightAligned()
{
    return (Qt::AlignRight | Qt::AlignVCenter).toInt();
}

} // namespace

ModelsTableModel::ModelsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ModelsTableModel::setRows(const QList<storage::StudyInfo::ModelRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int ModelsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return row.name;
        case ResponsesColumn:
            return QLocale().toString(row.responses);
        case RunsColumn:
            return QLocale().toString(row.runs);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn ? QVariant() : QVariant(rightAligned());
    case NameRole:
        return row.name;
    case ResponsesRole:
        return row.responses;
    case RunsRole:
        return row.runs;
    default:
        return {};
    }
}

QVariant ModelsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
        return section == NameColumn ? int(Qt::AlignLeft | Qt::AlignVCenter) : rightAligned();
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Model");
    case ResponsesColumn:
        return tr("Responses");
    case RunsColumn:
        return tr("Runs");
    default:
        return {};
    }
}

QHash<int, QByteArray> ModelsTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(ResponsesRole, "responses");
    names.insert(RunsRole, "runs");
    return names;
}

} // namespace cr::ui
