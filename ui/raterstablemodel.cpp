#include "ui/raterstablemodel.h"

#include <QLocale>

namespace cr::ui {

namespace {

int rightAligned()
{
    return (Qt::AlignRight | Qt::AlignVCenter).toInt();
}

QString displayKind(const QString &kind)
{
    if (kind == QLatin1String("human"))
        return RatersTableModel::tr("Person");
    if (kind == QLatin1String("llm"))
        return RatersTableModel::tr("LLM");
    return kind;
}

QString displayRole(const QString &role)
{
    if (role == QLatin1String("rater"))
        return RatersTableModel::tr("Rater");
    if (role == QLatin1String("adjudicator"))
        return RatersTableModel::tr("Adjudicator");
    if (role == QLatin1String("researcher"))
        return RatersTableModel::tr("Researcher");
    return role;
}

} // namespace

RatersTableModel::RatersTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RatersTableModel::setRows(const QList<storage::StudyInfo::RaterRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int RatersTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RatersTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RatersTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return row.name;
        case KindColumn:
            return displayKind(row.kind);
        case RoleColumn:
            return displayRole(row.role);
        case PseudonymColumn:
            return row.pseudonym;
        case AssignedColumn:
            return QLocale().toString(row.assigned);
        case LabelsColumn:
            return QLocale().toString(row.labels);
        case RatingsColumn:
            return QLocale().toString(row.ratings);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() >= AssignedColumn ? QVariant(rightAligned()) : QVariant();
    case NameRole:
        return row.name;
    case KindRole:
        return row.kind;
    case RoleRole:
        return row.role;
    case PseudonymRole:
        return row.pseudonym;
    case AssignedRole:
        return row.assigned;
    case LabelsRole:
        return row.labels;
    case RatingsRole:
        return row.ratings;
    default:
        return {};
    }
}

QVariant RatersTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
        return section >= AssignedColumn ? rightAligned() : int(Qt::AlignLeft | Qt::AlignVCenter);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Rater");
    case KindColumn:
        return tr("Kind");
    case RoleColumn:
        return tr("Role");
    case PseudonymColumn:
        return tr("Pseudonym");
    case AssignedColumn:
        return tr("Assigned");
    case LabelsColumn:
        return tr("Labels");
    case RatingsColumn:
        return tr("Scores");
    default:
        return {};
    }
}

QHash<int, QByteArray> RatersTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(KindRole, "kind");
    names.insert(RoleRole, "role");
    names.insert(PseudonymRole, "pseudonym");
    names.insert(AssignedRole, "assigned");
    names.insert(LabelsRole, "labels");
    names.insert(RatingsRole, "ratings");
    return names;
}

} // namespace cr::ui
