#pragma once

#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <QString>
#include <memory>
#include <optional>

class QLockFile;

namespace cr::storage {

/// One label or rating write that has not reached the study yet. `label` / `rating`
/// unset means "clear it". The study is named by its path or URI.
struct OutboxEntry {
    enum class Kind { Label, Rating };
    qint64 seq = 0; ///< order of arrival (assigned by append())
    QString study;
    qint64 raterId = 0;
    Kind kind = Kind::Rating;
    qint64 targetId = 0; ///< the item (label) or response (rating)
    std::optional<CategoryLabel> label;
    std::optional<ResponseRating> rating;
    /// The OutboxOwner (app instance) that sends it; empty: nobody's (adoptable).
    QString owner;
};

/// One app instance's claim on outbox entries (issue 17 item 4: two instances of the same
/// rater on one machine share one outbox file). An owner is a random id and a lock file
/// held while it lives (QLockFile in "OUTBOX.owners/", stale once its process died), so
/// another instance can tell a live owner's entries — which it must leave alone, or a
/// change would be sent twice and out of order — from an orphan's, which it adopts.
class OutboxOwner final {
public:
    ~OutboxOwner();
    OutboxOwner(const OutboxOwner &) = delete;
    OutboxOwner &operator=(const OutboxOwner &) = delete;

    /// A new owner of entries in the outbox at `outboxPath`.
    static std::unique_ptr<OutboxOwner> create(const QString &outboxPath, Error *error);
    QString id() const { return m_id; }
    QString outboxPath() const { return m_outboxPath; }
    /// Whether the owner `id` of the outbox at `outboxPath` is alive (in this or another
    /// process). An empty id (an entry from before owners) is nobody's.
    static bool isAlive(const QString &outboxPath, const QString &id);

private:
    OutboxOwner(QString outboxPath, QString id, std::unique_ptr<QLockFile> lock);
    QString m_outboxPath;
    QString m_id;
    std::unique_ptr<QLockFile> m_lock;
};

/// The rating page's local durable outbox (issue 17 item 4): a small SQLite file of
/// its own (owner-only, synchronous=FULL) beside the app's settings, holding the
/// label and rating writes the study could not take yet (a busy file, an unreachable
/// server), in order, until the study acknowledged their commit. An entry is removed
/// only after that, so a crash in between sends it once more; the study's writes are
/// upserts of the same value keyed by rater × response / rater × item, so that repeat
/// leaves the same row.
///
/// Threading: one RatingOutbox per thread (each opens its own connection on the file).
class RatingOutbox final {
public:
    ~RatingOutbox();
    RatingOutbox(const RatingOutbox &) = delete;
    RatingOutbox &operator=(const RatingOutbox &) = delete;

    /// Opens (creating it at 0600 if needed) the outbox file at `path`.
    static std::unique_ptr<RatingOutbox> open(const QString &path, Error *error);

    QString path() const { return m_path; }
    /// Stores `entry` durably after those stored before; returns its seq (0 on error).
    qint64 append(const OutboxEntry &entry, Error *error);
    /// Drops the entry `seq` (its write is in the study).
    bool remove(qint64 seq, Error *error);
    /// The entries of `rater` on `study`, oldest first (whoever owns them).
    QList<OutboxEntry> pending(const QString &study, qint64 raterId, Error *error) const;
    /// The entries of `rater` on `study` that `owner` is to send, oldest first: its own
    /// and, adopted in the same write transaction, those of owners no longer alive (an
    /// instance that quit or crashed). A live owner's entries are left to it, so each
    /// entry is sent by one instance only.
    QList<OutboxEntry> claim(
        const QString &study, qint64 raterId, const QString &owner, Error *error) const;
    /// All entries on `study` (any rater).
    int count(const QString &study) const;

private:
    RatingOutbox(const QString &path, const QString &connection);

    QString m_path;
    QString m_connection;
};

} // namespace cr::storage
