#include "storage/sampling.h"

#include "storage/records.h"
#include "storage/sqlitestatement.h"
#include "storage/study.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <memory>
#include <openssl/evp.h>

namespace cr::storage {

std::optional<QList<PoolEntry>> readPoolEntries(Study &study,
    const std::optional<CategorySourceSpec> &categories, QString *contentHash, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    QHash<qint64, QString> category;
    if (categories) {
        bool ok = false;
        if (categories->classifierMajority) {
            ok = q.exec(QStringLiteral(
                "SELECT c.item_id, c.category, count(*) AS n FROM category_label c"
                " JOIN rater r ON r.id = c.rater_id AND r.kind = 'llm'"
                " WHERE r.name GLOB '*:classify#[0-9]*'"
                " GROUP BY c.item_id, c.category ORDER BY c.item_id, n DESC, c.category"));
        } else {
            q.prepare(QStringLiteral("SELECT c.item_id, c.category FROM category_label c"
                                     " JOIN rater r ON r.id = c.rater_id WHERE r.name = ?"));
            q.addBindValue(categories->rater);
            ok = q.exec();
        }
        if (!ok) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
            return std::nullopt;
        }
        while (q.next())
            if (!category.contains(q.value(0).toLongLong()))
                category.insert(q.value(0).toLongLong(), q.value(1).toString());
    }
    SqliteStatement s;
    QString message;
    if (!s.prepare(nativeHandle(study.database()),
            "SELECT i.id, i.external_id, d.name, i.split, i.turns, i.reference_label"
            " FROM item i LEFT JOIN dataset d ON d.id = i.dataset_id ORDER BY i.id",
            &message)) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + message);
        return std::nullopt;
    }
    // The pool's content hash (SHA-256 over every item's fields) through OpenSSL, whose
    // SHA-256 uses the CPU's SHA instructions: a 239,000-item pool is ~113 MB of text, and
    // QCryptographicHash's portable code took most of `sample`'s time on it.
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> hash(
        EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (contentHash && (!hash || EVP_DigestInit_ex(hash.get(), EVP_sha256(), nullptr) != 1)) {
        *error = Error::storage(QStringLiteral("SHA-256 is not available (OpenSSL)"));
        return std::nullopt;
    }
    QList<PoolEntry> entries;
    for (;;) {
        if (!s.step()) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + s.errorMessage());
            return std::nullopt;
        }
        if (!s.hasRow())
            break;
        PoolEntry e;
        e.id = s.columnInt(0);
        e.externalId = s.columnText(1);
        e.dataset = s.columnText(2);
        e.category = category.value(e.id);
        if (contentHash)
            for (int column = 1; column <= 5; ++column) {
                const QByteArrayView field = s.columnView(column);
                EVP_DigestUpdate(hash.get(), field.data(), std::size_t(field.size()));
                EVP_DigestUpdate(hash.get(), "\0", 1);
            }
        entries.append(std::move(e));
    }
    if (contentHash) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(hash.get(), digest, &length);
        *contentHash = QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex());
    }
    return entries;
}

struct PoolItemReader::Statement {
    SqliteStatement statement;
};

PoolItemReader::PoolItemReader(Study &study)
    : m_study(study)
    , m_statement(new Statement)
{
}

PoolItemReader::~PoolItemReader()
{
    delete m_statement;
}

std::optional<PoolItem> PoolItemReader::read(qint64 id, Error *error)
{
    SqliteStatement &s = m_statement->statement;
    QString message;
    if (!s.isPrepared()
        && !s.prepare(nativeHandle(m_study.database()),
            "SELECT i.external_id, d.name, i.split, i.turns, i.reference_label, i.metadata"
            " FROM item i LEFT JOIN dataset d ON d.id = i.dataset_id WHERE i.id = ?",
            &message)) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return std::nullopt;
    }
    s.bindInt(1, id);
    if (!s.step() || !s.hasRow()) {
        *error = Error::storage(
            m_study.path() + QStringLiteral(": item %1: ").arg(id) + s.errorMessage());
        s.reset();
        return std::nullopt;
    }
    PoolItem item;
    item.externalId = s.columnText(0);
    item.dataset = s.columnText(1);
    item.split = s.columnText(2);
    item.turnsJson = s.columnText(3);
    item.label = s.columnText(4);
    item.metadataJson = s.columnText(5);
    s.reset();
    return item;
}

std::optional<QList<PoolItem>> readPoolItems(Study &study, Error *error)
{
    const auto entries = readPoolEntries(study, std::nullopt, nullptr, error);
    if (!entries)
        return std::nullopt;
    PoolItemReader reader(study);
    QList<PoolItem> items;
    for (const PoolEntry &e : *entries) {
        auto item = reader.read(e.id, error);
        if (!item)
            return std::nullopt;
        items.append(std::move(*item));
    }
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
