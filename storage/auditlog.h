#pragma once

// The hash-chained audit log (README "Audit trail"): the chain encoding, the one
// writer of events, and the check behind `crisis-review verify`, `info` and the
// main window's warning banner.

#include "storage/backend.h"
#include "storage/error.h"
#include "storage/statement.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// One event as it is hashed and stored. A null QByteArray is SQL NULL (an empty one
/// is the empty string); texts are UTF-8.
struct EventRecord {
    qint64 id = 0;
    QByteArray at;
    QByteArray actor;
    QByteArray action;
    QByteArray entity;
    std::optional<qint64> entityId;
    QByteArray before;
    QByteArray after;
};

namespace audit {

/// The "previous hash" of the first event: 64 zeros.
QByteArray genesisHash();

/// Lower-case hex SHA-256 of `previousHash` (64 hex characters) followed by the
/// canonical encoding of `e`: the fields id, at, actor, action, entity, entity_id,
/// before, after in this order, each `~` when NULL, else its byte length in decimal,
/// `:` and its UTF-8 bytes (integers as decimal text). `sha` is reset and reused.
QByteArray eventHash(QCryptographicHash &sha, const QByteArray &previousHash, const EventRecord &e);

/// UTF-8 of `s`, keeping null (SQL NULL) apart from empty ('').
QByteArray utf8OrNull(const QString &s);

/// Compact JSON objects for event payloads, written without QJsonDocument (the bulk
/// import writes one per rating). Keys are ASCII literals; values are escaped.
class JsonPayload final {
public:
    JsonPayload &add(const char *key, qint64 value);
    JsonPayload &add(const char *key, const QString &value);
    JsonPayload &addDouble(const char *key, double value);
    JsonPayload &addBool(const char *key, bool value);
    JsonPayload &addNull(const char *key);
    JsonPayload &add(const char *key, const QStringList &values);
    QByteArray text() const { return m_text + '}'; }

private:
    void key(const char *key);
    QByteArray m_text = QByteArrayLiteral("{");
};

/// The payload of a label event (label.set, label.import, label.baseline; the
/// before of label.clear).
QByteArray labelPayload(
    qint64 itemId, qint64 raterId, const QString &category, const QString &note);
/// The payload of a rating event (rating.set, rating.import, rating.baseline; the
/// before of rating.clear).
QByteArray ratingPayload(qint64 responseId, qint64 raterId, std::optional<int> score,
    bool cannotAssess, const QStringList &checklist, const QString &rationale,
    std::optional<double> secondsSpent);

/// Schema step 8 (after the new event table exists as `event_chained`): copies the
/// old `event` rows into it in id order with their chain hashes. Returns how many.
qint64 copyEventsWithHashes(QSqlDatabase &db, QString *error);
/// Schema step 8, last part, for a study that had events before the chain: an
/// `audit.baseline` event, then one label/rating/adjudication `.baseline` event per
/// stored row, so that the log replays to the current values.
bool appendBaseline(QSqlDatabase &db, QString *error);

} // namespace audit

/// The one writer of events: appends to the chain inside the caller's write
/// transaction, through a native prepared statement, hashing incrementally. The head
/// (last id and hash) is read on the first append of a transaction; call
/// invalidate() whenever a transaction (or savepoint) ends or rolls back.
class EventWriter final {
public:
    explicit EventWriter(const QSqlDatabase &db);

    void invalidate() { m_known = false; }
    /// Appends `e` (its id is assigned: the last id ever used + 1). False with `error`.
    bool append(EventRecord e, QString *error);

private:
    bool loadHead(QString *error);

    NativeConnection m_db;
    Engine m_engine;
    Statement m_insert;
    QCryptographicHash m_sha { QCryptographicHash::Sha256 };
    bool m_known = false;
    qint64 m_lastId = 0;
    QByteArray m_lastHash;
    bool m_modeKnown = false;
    bool m_serverChain = false; ///< the server's trigger chains this login's events
};

/// The first event at which the log stops being trustworthy.
struct BrokenEvent {
    qint64 id = 0;
    QString at;
    QString action;
};

/// What verifyAuditLog() found. `ok` when every check it ran passed.
struct VerifyResult {
    bool ok = false;
    qint64 events = 0; ///< events in the log
    qint64 headId = 0; ///< the last event
    QString headHash; ///< its hash (hex), empty for an empty log
    qint64 checkedFrom = 0; ///< the chain was checked after this event (0 = from the first)
    bool replayChecked = false; ///< ratings, labels and adjudications were replayed
    QString problem; ///< the first problem found, human-readable; empty when ok
    std::optional<BrokenEvent> broken; ///< the first broken event, when there is one
};

enum class VerifyScope {
    /// Chain from the first event, triggers, and the replay of ratings/labels/adjudications.
    Full,
    /// Chain and triggers only, from the last verified event recorded in the file
    /// (meta `audit_verified`); what opening a study checks.
    Incremental,
};

/// Checks the audit log of `study`. A storage failure (not tampering) returns false
/// and sets `error`.
bool verifyAuditLog(Study &study, VerifyScope scope, VerifyResult *result, Error *error);

/// Records `result`'s head as verified (meta `audit_verified` = "ID HASH") so the next
/// incremental check starts there. Only for an ok result; one short write.
bool recordVerified(Study &study, const VerifyResult &result, Error *error);

} // namespace cr::storage
