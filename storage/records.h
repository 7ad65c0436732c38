#pragma once

// Internal to storage: the records importers produce and the writer that stores
// them inside an import transaction.

#include "protocol/protocol.h"
#include "storage/error.h"
#include "storage/importer.h"
#include "storage/statement.h"
#include "storage/types.h"

#include <QHash>
#include <QSet>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// A problem with one field of one input row.
struct RowError {
    QString field;
    QString reason;
};

// Item and response fields are UTF-8: the bulk path binds them to SQLite as they are.
struct ResponseRecord {
    QByteArray model;
    int run = 1;
    QByteArray text;
    bool refusal = false;
    std::optional<qint64> tokens;
    QByteArray metadataJson;
};

struct ItemRecord {
    QByteArray externalId;
    QByteArray dataset;
    QByteArray split;
    QByteArray turnsJson; // JSON array of strings
    QByteArray label;
    QByteArray metadataJson;
    QList<ResponseRecord> responses;
    /// The same item may recur (CSV: one row per response) if its fields are equal.
    bool allowRepeat = false;
};

struct RatingRecord {
    QString rater;
    QString kind; // "human" (default) or "llm"
    QString itemId;
    std::optional<QString> category;
    QString note;
    std::optional<QString> model;
    int run = 1;
    std::optional<int> score;
    bool cannotAssess = false;
    QStringList checklist;
    QString rationale;
    std::optional<double> secondsSpent;
    QString ratedAt; // ISO 8601 UTC time of an exported rating; empty = now
};

/// Inserts a rater with the next pseudonym (R001, R002, ...) inside the caller's
/// transaction. Returns the new id, or 0 with `error` set.
qint64 insertRater(const QSqlDatabase &db, const QString &name, RaterKind kind, RaterRole role,
    QString *pseudonym, QString *error);

/// Records one finished import in import_run (with its skipped rows in
/// import_issue) and the event log, inside the caller's transaction.
bool recordImportRun(Study &study, const QString &format, const QStringList &files,
    const ImportReport &report, Error *error);

/// Validates records against the study and its protocol and writes them with
/// prepared statements. Never overwrites: equal rows are counted as unchanged,
/// contradicting rows are reported as invalid.
class RecordWriter final {
public:
    enum class Outcome { Ok, Invalid, Fatal };

    explicit RecordWriter(Study &study);

    bool prepare(Error *error);
    Outcome writeItem(const ItemRecord &item, RowError *rowError);
    Outcome writeRating(const RatingRecord &rating, RowError *rowError);
    /// An LLM's empty label ("") for an item: kept in `empty_label` (missing everywhere but
    /// `stats --empty-label-as-category`); `rating` names the rater, kind and item only.
    Outcome writeEmptyLabel(const RatingRecord &rating, RowError *rowError);
    /// One response to a stored item (an LLM run's answer), as an import would add it.
    Outcome writeResponseOf(qint64 itemId, const QByteArray &externalId,
        const ResponseRecord &response, RowError *rowError);

    /// A bulk load on SQLite, inside the caller's write transaction (before prepare()):
    /// drops the tally triggers on item and response inserts (schema step 11) for the rest
    /// of the transaction and counts the items and responses this writer adds instead;
    /// finishBulkLoad() adds those counts to tally_item / tally_response and re-creates
    /// the triggers from their stored SQL. Call it before every commit of the transaction
    /// (a rollback restores the triggers by itself). Every other writer, and every other
    /// transaction, keeps the triggers. A no-op on PostgreSQL (the tallies are views).
    bool beginBulkLoad(Error *error);
    bool finishBulkLoad(Error *error);

    bool savepoint(Error *error);
    bool rollbackToSavepoint(Error *error);
    bool releaseSavepoint(Error *error);

    Error fatalError() const { return m_fatal; }
    const ImportCounts &counts() const { return m_counts; }

private:
    /// One group of tally_item: NULL dataset / split / label kept as 0 / empty.
    struct ItemGroup {
        qint64 dataset = 0;
        QByteArray split;
        QByteArray label;
        bool operator==(const ItemGroup &o) const
        {
            return dataset == o.dataset && split == o.split && label == o.label;
        }
        friend size_t qHash(const ItemGroup &g, size_t seed = 0)
        {
            return qHashMulti(seed, g.dataset, g.split, g.label);
        }
    };
    struct ResponseGroup {
        qint64 model = 0;
        int run = 0;
        bool refusal = false;
    };
    void tallyItem(ItemGroup group);
    void tallyResponse(const ResponseGroup &group);

    Outcome fatal(const QSqlQuery &q);
    Outcome fatal(const Statement &s);
    std::optional<qint64> datasetId(const QByteArray &name, Outcome *outcome);
    std::optional<qint64> modelId(const QByteArray &name, bool create, Outcome *outcome);
    Outcome writeResponse(qint64 itemId, const ItemRecord &item, int index, RowError *rowError);
    Outcome validateRating(
        const RatingRecord &r, RaterKind *kind, QString *category, RowError *rowError) const;
    Outcome ratedItemId(const RatingRecord &r, qint64 *itemId, RowError *rowError);
    Outcome ratedResponseId(
        const RatingRecord &r, qint64 itemId, qint64 *responseId, RowError *rowError);
    Outcome raterIdFor(const RatingRecord &r, RaterKind kind, qint64 *raterId, RowError *rowError);
    Outcome writeLabel(const RatingRecord &r, qint64 itemId, qint64 raterId,
        const QString &category, RowError *rowError);
    Outcome writeScore(
        const RatingRecord &r, qint64 responseId, qint64 raterId, RowError *rowError);
    Outcome matchStoredScore(
        const RatingRecord &r, qint64 responseId, qint64 raterId, RowError *rowError);
    Outcome logEvent(const QByteArray &action, const QByteArray &entity, qint64 entityId,
        const QByteArray &after);
    bool exec(QSqlQuery &q, const QString &sql);

    Study &m_study;
    protocol::Protocol m_protocol;
    qint64 m_protocolId = 0;
    QString m_now;
    QByteArray m_nowUtf8;
    QByteArray m_actorUtf8;
    Error m_fatal;
    ImportCounts m_counts;
    ImportCounts m_countsAtSavepoint;

    QHash<QByteArray, qint64> m_datasets;
    QHash<QByteArray, qint64> m_models;
    QHash<QByteArray, QByteArray> m_labels; // as given → canonical category id
    QHash<QString, std::pair<qint64, RaterKind>> m_raters;
    QHash<QString, QString> m_pseudonyms; // pseudonym → name of the rater who has it
    QHash<QString, qint64> m_items; // external id → row id, for ratings
    QSet<qint64> m_repeatedItems; // pre-existing items met again in a CSV import
    qint64 m_lastItemIdBefore = 0; // items with a larger id came from this import

    // Bulk load: the dropped triggers' SQL, and what this writer added per tally group (the
    // rows of the open savepoint apart until it is released).
    QList<QString> m_droppedTriggers;
    QHash<ItemGroup, qint64> m_itemTally;
    QHash<std::pair<qint64, int>, std::pair<qint64, qint64>> m_responseTally; // n, refusals
    bool m_inSavepoint = false;
    QList<ItemGroup> m_rowItems;
    QList<ResponseGroup> m_rowResponses;

    Statement m_insertItem;
    Statement m_selectItem;
    Statement m_insertResponse;
    Statement m_selectResponse;
    Statement m_insertDataset;
    Statement m_selectDataset;
    Statement m_insertModel;
    QSqlQuery m_insertLabel;
    QSqlQuery m_selectLabel;
    QSqlQuery m_insertRating;
    QSqlQuery m_selectRating;
    QSqlQuery m_misc;
};

/// Writes one input row through `fn(RowError *)`. With skipInvalid the row runs in
/// a savepoint, so a row that fails half-way leaves nothing behind. Fatal sets `error`.
template<typename Fn>
RecordWriter::Outcome writeRow(
    RecordWriter &writer, bool skipInvalid, Fn &&fn, RowError *rowError, Error *error)
{
    if (skipInvalid && !writer.savepoint(error))
        return RecordWriter::Outcome::Fatal;
    const RecordWriter::Outcome outcome = fn(rowError);
    if (outcome == RecordWriter::Outcome::Fatal) {
        *error = writer.fatalError();
        return outcome;
    }
    if (skipInvalid) {
        const bool ok = outcome == RecordWriter::Outcome::Invalid
            ? writer.rollbackToSavepoint(error)
            : writer.releaseSavepoint(error);
        if (!ok)
            return RecordWriter::Outcome::Fatal;
    }
    return outcome;
}

} // namespace cr::storage
