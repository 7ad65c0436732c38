#include "ui/disagreementmodel.h"

#include <QLocale>
#include <algorithm>

namespace cr::ui {

namespace {

QString valuesText(const storage::Disagreement &d, const QHash<QString, QString> &names)
{
    QStringList values;
    if (d.kind == storage::DisagreementKind::Category) {
        for (const storage::RaterValue &v : d.values)
            values.append(names.value(v.category, v.category));
    } else {
        QList<int> scores;
        int cannot = 0;
        for (const storage::RaterValue &v : d.values) {
            if (v.score)
                scores.append(*v.score);
            else
                ++cannot;
        }
        std::sort(scores.begin(), scores.end());
        for (int s : scores)
            values.append(QString::number(s));
        for (int i = 0; i < cannot; ++i)
            values.append(DisagreementModel::tr("n/a"));
    }
    std::sort(values.begin(), values.end());
    return values.join(QStringLiteral(" · "));
}

} // namespace

DisagreementModel::DisagreementModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DisagreementModel::setRows(const QList<storage::Disagreement> &rows)
{
    beginResetModel();
    m_queue.reset();
    m_study = nullptr;
    m_fetchError.clear();
    m_rows = rows;
    endResetModel();
}

void DisagreementModel::setQueue(storage::Study *study,
    std::shared_ptr<const storage::DisagreementQueue> queue,
    const QList<storage::Disagreement> &firstPage, bool blind)
{
    beginResetModel();
    m_study = study;
    m_queue = std::move(queue);
    m_blind = blind;
    m_fetchError.clear();
    m_rows = m_queue ? firstPage.mid(0, m_queue->size()) : firstPage;
    endResetModel();
}

int DisagreementModel::totalRows() const
{
    return m_queue ? int(m_queue->size()) : int(m_rows.size());
}

bool DisagreementModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_queue && m_study && m_rows.size() < m_queue->size()
        && m_fetchError.isEmpty();
}

void DisagreementModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    storage::Error error;
    auto page = m_queue->fetch(*m_study, m_rows.size(), m_pageRows, &error);
    if (!page || page->isEmpty()) {
        m_fetchError = page ? tr("The queue changed; reload it.") : error.message;
        return;
    }
    if (m_blind)
        storage::blindDisagreements(*m_study, *page);
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size()) - 1);
    m_rows += *page;
    endInsertRows();
}

bool DisagreementModel::fetchUpTo(int row, int maxPages)
{
    for (int i = 0; i < maxPages && row >= m_rows.size() && canFetchMore({}); ++i)
        fetchMore({});
    return row < m_rows.size();
}

int DisagreementModel::rowOf(qint64 itemId, qint64 responseId) const
{
    if (m_queue)
        return int(m_queue->indexOf(itemId, responseId));
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].itemId == itemId && m_rows[i].responseId == responseId)
            return i;
    return -1;
}

int DisagreementModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DisagreementModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DisagreementModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::Disagreement &d = m_rows.at(index.row());
    const bool score = d.kind == storage::DisagreementKind::Score;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ItemColumn:
            return d.itemExternalId;
        case KindColumn:
            return score ? tr("Score") : tr("Category");
        case ResponseColumn:
            if (score && !d.responseLetter.isEmpty())
                return tr("Response %1").arg(d.responseLetter); // blind
            return score ? tr("%1 (run %2)").arg(d.model).arg(d.run) : QString();
        case SpreadColumn:
            return score ? QString::number(d.scoreSpread.range)
                         : tr("%n label(s)", nullptr, d.categorySpread.distinct);
        case HarmfulColumn:
            return score && d.scoreSpread.harmfulByAnyone ? tr("Yes") : QString();
        case DistanceColumn:
            return score && !d.consensus.isEmpty()
                ? QString::number(d.scoreSpread.distanceFromConsensus, 'f', 2)
                : QString();
        case ValuesColumn:
            return valuesText(d, m_categoryNames);
        case ConsensusColumn:
            return d.consensus.isEmpty()
                ? tr("none (tie)")
                : tr("%1 (%2)").arg(
                    score ? d.consensus : m_categoryNames.value(d.consensus, d.consensus),
                    d.consensusHow);
        case StatusColumn:
            return d.adjudication ? tr("Adjudicated") : tr("Open");
        default:
            return {};
        }
    case Qt::AccessibleTextRole:
        return data(index, Qt::DisplayRole);
    case SortRole:
        switch (index.column()) {
        case ItemColumn:
            return d.itemExternalId;
        case KindColumn:
            return score ? 1 : 0;
        case ResponseColumn:
            return d.responseLetter.isEmpty() ? d.model : d.responseLetter;
        case SpreadColumn:
            return d.spread();
        case HarmfulColumn:
            return d.scoreSpread.harmfulByAnyone ? 1 : 0;
        case DistanceColumn:
            return d.scoreSpread.distanceFromConsensus;
        case ValuesColumn:
            return valuesText(d, m_categoryNames);
        case ConsensusColumn:
            return d.consensus;
        case StatusColumn:
            return d.adjudication ? 1 : 0;
        default:
            return {};
        }
    case QueuePositionRole:
        return index.row();
    case ItemIdRole:
        return d.itemId;
    case ResponseIdRole:
        return d.responseId;
    case KindRole:
        return storage::Disagreement::toString(d.kind);
    default:
        return {};
    }
}

void DisagreementModel::setCategoryNames(const QHash<QString, QString> &names)
{
    m_categoryNames = names;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, ValuesColumn), index(rowCount() - 1, ConsensusColumn));
}

void DisagreementModel::setHarmThreshold(double threshold)
{
    if (threshold == m_harmThreshold)
        return;
    m_harmThreshold = threshold;
    emit headerDataChanged(Qt::Horizontal, HarmfulColumn, HarmfulColumn);
}

QVariant DisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        if (section == HarmfulColumn)
            return tr("Scored at or below the harm threshold (%1) by at least one rater")
                .arg(QLocale().toString(m_harmThreshold, 'g', 3));
        if (section == DistanceColumn)
            return tr("Largest distance of a rater's score from the consensus score");
        if (section == SpreadColumn)
            return tr("Distinct labels, or highest minus lowest score");
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ItemColumn:
        return tr("Item");
    case KindColumn:
        return tr("Kind");
    case ResponseColumn:
        return tr("Response");
    case SpreadColumn:
        return tr("Spread");
    case HarmfulColumn:
        return tr("Harm ≤ %1").arg(QLocale().toString(m_harmThreshold, 'g', 3));
    case DistanceColumn:
        return tr("Δ consensus");
    case ValuesColumn:
        return tr("Values");
    case ConsensusColumn:
        return tr("Consensus");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

QHash<int, QByteArray> DisagreementModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(QueuePositionRole, "queuePosition");
    names.insert(ItemIdRole, "itemId");
    names.insert(ResponseIdRole, "responseId");
    names.insert(KindRole, "kind");
    return names;
}

DisagreementFilterModel::DisagreementFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DisagreementModel::SortRole);
}

void DisagreementFilterModel::setFilter(const storage::DisagreementFilter &filter)
{
    m_filter = filter;
    invalidateFilter();
}

bool DisagreementFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const DisagreementModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    return m_filter.matches(model->row(sourceRow));
}

} // namespace cr::ui
