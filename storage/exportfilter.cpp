#include "storage/exportfilter.h"

#include "storage/repositories.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>

namespace cr::storage {

namespace {

const QStringList kProvenance { QStringLiteral("unanimous"), QStringLiteral("majority"),
    QStringLiteral("adjudicated"), QStringLiteral("reference") };

Error badValue(const QString &option, const QString &value, const QString &why)
{
    return Error::invalid(QStringLiteral("--%1: '%2' %3").arg(option, value, why));
}

} // namespace

bool ExportFilters::isEmpty() const
{
    return categories.isEmpty() && models.isEmpty() && split.isEmpty() && dataset.isEmpty()
        && provenance.isEmpty() && minRaters <= 0 && !raters && !categorySource;
}

bool ExportFilters::validate(Study &study, Error *error) const
{
    const protocol::Protocol p = study.currentProtocol();
    for (const QString &c : categories) {
        if (std::none_of(p.categories.cbegin(), p.categories.cend(),
                [&](const auto &k) { return k.id == c; })) {
            *error = badValue(
                QStringLiteral("category"), c, QStringLiteral("is not a category of the protocol"));
            return false;
        }
    }
    const QList<Model> known = ItemRepository(study).models();
    for (const QString &m : models) {
        if (std::none_of(
                known.cbegin(), known.cend(), [&](const Model &k) { return k.name == m; })) {
            *error =
                badValue(QStringLiteral("model"), m, QStringLiteral("is not a model of the study"));
            return false;
        }
    }
    for (const QString &how : provenance) {
        if (!kProvenance.contains(how)) {
            *error = badValue(QStringLiteral("provenance"), how,
                QStringLiteral("must be one of unanimous, majority, adjudicated, reference"));
            return false;
        }
    }
    if (!split.isEmpty()) {
        QSqlQuery q(study.database());
        q.prepare(QStringLiteral("SELECT 1 FROM item WHERE split = ? LIMIT 1"));
        q.addBindValue(split);
        if (!q.exec()) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
            return false;
        }
        if (!q.next()) {
            *error = badValue(
                QStringLiteral("split"), split, QStringLiteral("is not a split of the study"));
            return false;
        }
    }
    if (QStringList datasets { dataset };
        !dataset.isEmpty() && !validateScope(study, &datasets, {}, error))
        return false;
    if (minRaters < 0) {
        *error = badValue(QStringLiteral("min-raters"), QString::number(minRaters),
            QStringLiteral("must not be negative"));
        return false;
    }
    return !raters || selectRaters(study, *raters, error).has_value();
}

QJsonObject ExportFilters::toJson() const
{
    QJsonObject o;
    if (!categories.isEmpty())
        o.insert(QStringLiteral("category"), QJsonArray::fromStringList(categories));
    if (!models.isEmpty())
        o.insert(QStringLiteral("model"), QJsonArray::fromStringList(models));
    if (!split.isEmpty())
        o.insert(QStringLiteral("split"), split);
    if (!dataset.isEmpty())
        o.insert(QStringLiteral("dataset"), datasetName(dataset));
    if (!provenance.isEmpty())
        o.insert(QStringLiteral("provenance"), QJsonArray::fromStringList(provenance));
    if (minRaters > 0)
        o.insert(QStringLiteral("min_raters"), minRaters);
    if (raters)
        o.insert(QStringLiteral("raters"), raters->toString());
    if (categorySource)
        o.insert(QStringLiteral("category_source"), categorySource->toString());
    return o;
}

std::optional<ResolvedExportFilter> ResolvedExportFilter::resolve(
    Study &study, const ExportFilters &filters, const RaterSelection &defaultRaters, Error *error)
{
    if (!filters.validate(study, error))
        return std::nullopt;
    ResolvedExportFilter f;
    f.m_filters = filters;
    auto consensus =
        sourceCategories(study, filters.categorySource.value_or(CategorySource {}), error);
    if (!consensus) {
        if (error->kind == ErrorKind::InvalidInput)
            error->message = QStringLiteral("--category-source: ") + error->message;
        return std::nullopt;
    }
    f.m_consensus = std::move(consensus->categories);
    auto raters = selectRaters(study, filters.raters.value_or(defaultRaters), error);
    if (!raters)
        return std::nullopt;
    f.m_raters = std::move(*raters);
    for (const Rater &r : f.m_raters)
        f.m_raterIds.insert(r.id);
    for (const QString &m : filters.models)
        f.m_models.append(m.toUtf8());
    f.m_split = filters.split.toUtf8();
    if (!filters.dataset.isEmpty()) {
        QStringList datasets { filters.dataset };
        if (!validateScope(study, &datasets, {}, error))
            return std::nullopt;
        f.m_datasetItems = itemsInScope(study, datasets, {}, error);
        if (!f.m_datasetItems)
            return std::nullopt;
    }
    if (filters.minRaters > 0) {
        QSqlQuery q(study.database());
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT response_id, rater_id FROM response_rating"))) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
            return std::nullopt;
        }
        while (q.next())
            if (f.m_raterIds.contains(q.value(1).toLongLong()))
                ++f.m_ratersPerResponse[q.value(0).toLongLong()];
    }
    return f;
}

bool ResolvedExportFilter::keepItem(qint64 itemId, const QByteArray &split) const
{
    if (!m_split.isEmpty() && split != m_split)
        return false;
    if (m_datasetItems && !m_datasetItems->contains(itemId))
        return false;
    if (m_filters.categories.isEmpty() && m_filters.provenance.isEmpty())
        return true;
    const auto it = m_consensus.constFind(itemId);
    if (it == m_consensus.cend())
        return false;
    return (m_filters.categories.isEmpty() || m_filters.categories.contains(it->category))
        && (m_filters.provenance.isEmpty() || m_filters.provenance.contains(it->how));
}

bool ResolvedExportFilter::keepResponse(qint64 responseId, const QByteArray &model) const
{
    if (!m_models.isEmpty() && !m_models.contains(model))
        return false;
    return m_filters.minRaters <= 0 || m_ratersPerResponse.value(responseId) >= m_filters.minRaters;
}

} // namespace cr::storage
