#include "ui/raterexposuremodel.h"

#include <QLocale>

namespace cr::ui {

RaterExposureModel::RaterExposureModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RaterExposureModel::setRows(const QList<storage::RaterExposure> &rows)
{
    beginResetModel();
    m_rows.clear();
    for (const storage::RaterExposure &row : rows)
        if (row.kind == QLatin1String("human"))
            m_rows.append(row);
    endResetModel();
}

int RaterExposureModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RaterExposureModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RaterExposureModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::RaterExposure &row = m_rows.at(index.row());
    QVariant value;
    switch (index.column()) {
    case NameColumn:
        value = row.name;
        break;
    case DoneColumn:
        value = row.done;
        break;
    case SkippedColumn:
        value = row.skipped;
        break;
    case DistressingColumn:
        value = row.distressing;
        break;
    case SessionsColumn:
        value = row.sessions;
        break;
    case ShownTodayColumn:
        value = row.shownToday;
        break;
    case LastSessionColumn:
        value = row.shownLastSession;
        break;
    case MeanPerSessionColumn:
        value = row.shownPerSession;
        break;
    case MostPerSessionColumn:
        value = row.maxShownInSession;
        break;
    default:
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return value;
        if (index.column() == MeanPerSessionColumn)
            return QLocale().toString(value.toDouble(), 'f', 1);
        return QLocale().toString(value.toLongLong());
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn ? QVariant()
                                            : QVariant((Qt::AlignRight | Qt::AlignVCenter).toInt());
    case Qt::ToolTipRole:
        if (index.column() == DistressingColumn && row.distressing > 0)
            return tr(
                "%1 paused %n time(s) after a distressing item.", nullptr, int(row.distressing))
                .arg(row.name);
        return {};
    case ValueRole:
        return value;
    default:
        return {};
    }
}

QVariant RaterExposureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
        return section == NameColumn ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                     : (Qt::AlignRight | Qt::AlignVCenter).toInt();
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool tip = role == Qt::ToolTipRole;
    switch (section) {
    case NameColumn:
        return tr("Rater");
    case DoneColumn:
        return tip ? tr("Items rated completely") : tr("Done");
    case SkippedColumn:
        return tip ? tr("Items skipped (any reason) and not rated since") : tr("Skipped");
    case DistressingColumn:
        return tip ? tr("\"Pause — this was distressing\": skipped without penalty")
                   : tr("Distressing");
    case SessionsColumn:
        return tip ? tr("Sign-ins in the rating workspace") : tr("Sessions");
    case ShownTodayColumn:
        return tip ? tr("Items shown in sessions started today") : tr("Shown Today");
    case LastSessionColumn:
        return tip ? tr("Items shown in the most recent session") : tr("Last Session");
    case MeanPerSessionColumn:
        return tip ? tr("Mean items shown per session") : tr("Mean / Session");
    case MostPerSessionColumn:
        return tip ? tr("Most items shown in one session") : tr("Most / Session");
    default:
        return {};
    }
}

} // namespace cr::ui
