#pragma once

#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <QString>
#include <optional>

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
    /// The entries of `rater` on `study`, oldest first.
    QList<OutboxEntry> pending(const QString &study, qint64 raterId, Error *error) const;
    /// All entries on `study` (any rater).
    int count(const QString &study) const;

private:
    RatingOutbox(const QString &path, const QString &connection);

    QString m_path;
    QString m_connection;
};

} // namespace cr::storage
