#include "storage/sampling.h"

#include "storage/records.h"
#include "storage/study.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

std::optional<QList<PoolItem>> readPoolItems(Study &study,
    const std::optional<CategorySourceSpec> &categories, QString *contentHash, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    const auto fail = [&] {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    };
    QHash<qint64, QString> category;
    if (categories) {
        if (categories->classifierMajority) {
            if (!q.exec(QStringLiteral(
                    "SELECT c.item_id, c.category, count(*) AS n FROM category_label c"
                    " JOIN rater r ON r.id = c.rater_id AND r.kind = 'llm'"
                    " WHERE r.name GLOB '*:classify#[0-9]*'"
                    " GROUP BY c.item_id, c.category ORDER BY c.item_id, n DESC, c.category")))
                return fail();
        } else {
            q.prepare(QStringLiteral("SELECT c.item_id, c.category FROM category_label c"
                                     " JOIN rater r ON r.id = c.rater_id WHERE r.name = ?"));
            q.addBindValue(categories->rater);
            if (!q.exec())
                return fail();
        }
        while (q.next())
            if (!category.contains(q.value(0).toLongLong()))
                category.insert(q.value(0).toLongLong(), q.value(1).toString());
    }
    if (!q.exec(QStringLiteral(
            "SELECT i.id, i.external_id, d.name, i.split, i.turns, i.reference_label, i.metadata"
            " FROM item i LEFT JOIN dataset d ON d.id = i.dataset_id ORDER BY i.id")))
        return fail();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QList<PoolItem> items;
    while (q.next()) {
        PoolItem item;
        item.externalId = q.value(1).toString().toUtf8();
        item.dataset = q.value(2).toString().toUtf8();
        item.split = q.value(3).toString().toUtf8();
        item.turnsJson = q.value(4).toString().toUtf8();
        item.label = q.value(5).toString().toUtf8();
        item.metadataJson = q.value(6).toString().toUtf8();
        item.category = category.value(q.value(0).toLongLong());
        if (contentHash)
            for (const QByteArray *field :
                { &item.externalId, &item.dataset, &item.split, &item.turnsJson, &item.label }) {
                hash.addData(*field);
                hash.addData(QByteArrayView("\0", 1));
            }
        items.append(std::move(item));
    }
    if (contentHash)
        *contentHash = QString::fromLatin1(hash.result().toHex());
    return items;
}

std::optional<qint64> writeSample(
    Study &study, const QList<PoolItem> &items, const SampleRecipeRow &recipe, Error *error)
{
    WriteTransaction tx(study, error);
    if (!tx.isActive())
        return std::nullopt;
    RecordWriter writer(study);
    if (!writer.prepare(error))
        return std::nullopt;
    for (const PoolItem &p : items) {
        ItemRecord item;
        item.externalId = p.externalId;
        item.dataset = p.dataset;
        item.split = p.split;
        item.turnsJson = p.turnsJson;
        item.label = p.label;
        item.metadataJson = p.metadataJson;
        RowError rowError;
        const RecordWriter::Outcome outcome = writer.writeItem(item, &rowError);
        if (outcome == RecordWriter::Outcome::Fatal) {
            *error = writer.fatalError();
            return std::nullopt;
        }
        if (outcome == RecordWriter::Outcome::Invalid) {
            *error = Error::invalid(QStringLiteral("%1: item '%2': %3: %4")
                                        .arg(recipe.pool, QString::fromUtf8(p.externalId),
                                            rowError.field, rowError.reason));
            return std::nullopt;
        }
    }
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral(
        "INSERT INTO sample_recipe(pool, pool_hash, per, sizes, seed, excluded, split,"
        " category_source, counts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(recipe.pool);
    q.addBindValue(recipe.poolHash);
    q.addBindValue(recipe.per);
    q.addBindValue(QString::fromUtf8(recipe.sizesJson));
    q.addBindValue(recipe.seed);
    q.addBindValue(QString::fromUtf8(recipe.excludedJson));
    q.addBindValue(
        recipe.split.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(recipe.split));
    q.addBindValue(recipe.categorySource.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                   : QVariant(recipe.categorySource));
    q.addBindValue(QString::fromUtf8(recipe.countsJson));
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    const QJsonObject after { { QStringLiteral("pool_hash"), recipe.poolHash },
        { QStringLiteral("per"), recipe.per }, { QStringLiteral("seed"), recipe.seed },
        { QStringLiteral("items_added"), writer.counts().itemsAdded } };
    if (!study.appendEvent(QStringLiteral("sample.draw"), QStringLiteral("sample_recipe"), id,
            QString(), QString::fromUtf8(QJsonDocument(after).toJson(QJsonDocument::Compact)),
            error))
        return std::nullopt;
    if (!tx.commit(error))
        return std::nullopt;
    return writer.counts().itemsAdded;
}

} // namespace cr::storage
