#pragma once

#include "storage/error.h"
#include "storage/ratingoutbox.h"
#include "storage/types.h"
#include "ui/ratingwriter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <memory>
#include <optional>

class QUndoStack;

namespace cr::storage {
class Study;
}

namespace cr::ui {

/// One rater's work on a study: their assignments, the item being rated, their own
/// ratings of it, and the undo history. Every user action is one QUndoCommand whose
/// redo()/undo() write through RatingRepository (each write is its own durable
/// transaction and is logged by the repository). The signals fire only after a write
/// returned true; on failure writeFailed() carries the message and the stored (old)
/// value stays what the session reports. Never loads another rater's values.
///
/// A busy study file (another program holds its write lock) never blocks the GUI
/// thread: the write is tried once without waiting and, if the file is busy, queued
/// on a RatingWriter (its own connection on a worker thread, retried in order). The
/// value is kept in memory meanwhile (pendingWrites(), isRatingPending(); the signals
/// fire as for a stored value, then pendingChanged()). Once changes wait, later ones
/// queue behind them so the order is kept.
///
/// An unreachable study (a server that is down, a lost connection: Study::isUnreachable())
/// is handled the same way, and every queued label and rating write is also kept in a
/// local durable outbox (storage::RatingOutbox, outboxPath()) until the study
/// acknowledged its commit: isOffline() / offlineChanged() say so, and writes still in
/// the outbox when the app quit or crashed are sent, in order, at the next start() of
/// the same rater on the same study (their values win over the stored ones meanwhile).
///
/// Threading: GUI thread only; writes synchronously unless the file is busy.
class RatingSession final : public QObject {
    Q_OBJECT
public:
    explicit RatingSession(QObject *parent = nullptr);
    ~RatingSession() override;

    /// Signs `rater` in on `study` (not owned) and loads their assignments; clears
    /// the undo history. Does not choose an item: see firstUnfinishedIndex().
    void start(storage::Study *study, const storage::Rater &rater);
    void clear();

    storage::Study *study() const { return m_study; }
    const storage::Rater &rater() const { return m_rater; }
    QUndoStack *undoStack() const { return m_undoStack; }

    /// The rater's queue: item ids in the rater's order (AssignmentRepository::
    /// queueForRater, read at start()). The assignments themselves are read a window at a
    /// time around the item shown (assignment()), the counts kept from the study's tally.
    const QList<qint64> &queue() const { return m_queue; }
    int itemCount() const { return int(m_queue.size()); }
    /// Assignment `index` of the queue (its window is read when it is not in memory);
    /// nullptr when out of range or unreadable. Valid until the next call.
    const storage::Assignment *assignment(int index) const;
    /// Index of the first assignment neither done nor skipped; 0 when all are
    /// finished; -1 when there are none.
    int firstUnfinishedIndex() const;
    int finishedCount() const { return int(m_done); }

    int currentIndex() const { return m_index; }
    /// Shows assignment `index`: loads its responses in the rater's shuffled order and
    /// the rater's own label and ratings, restarts the time-spent clock.
    void setCurrentIndex(int index);
    const storage::Assignment *currentAssignment() const;
    qint64 currentItemId() const;
    /// Response ids in display order (position 0 is "Response A").
    QList<qint64> responseIds() const { return m_responseIds; }
    /// Response texts in display order (loaded with the item; no second query).
    const QStringList &responseTexts() const { return m_responseTexts; }
    /// The current item's message turns (storage::loadRaterItem: no source, no models).
    const QStringList &turns() const { return m_turns; }
    /// The exposure record of this sign-in (rating_session row), 0 when none.
    qint64 sessionId() const { return m_sessionId; }

    /// The rater's stored label / rating on the current item.
    std::optional<storage::CategoryLabel> label() const { return m_label; }
    std::optional<storage::ResponseRating> rating(qint64 responseId) const;
    /// Responses of the current item without a score or "cannot assess".
    int unratedCount() const;
    bool isCurrentItemComplete() const;

    // User actions on the current item (undoable). Return whether the value was stored.
    bool setCategory(const QString &categoryId);
    bool setScore(qint64 responseId, int score);
    bool setCannotAssess(qint64 responseId);
    bool clearRating(qint64 responseId);
    /// The optional checklist ticks and rationale are stored with the response's
    /// rating, so they need one: without a score or "cannot assess" these refuse
    /// (return false, nothing is written) and the page keeps them disabled. Each is
    /// one undoable command; clearRating() drops them with the score.
    bool setChecklist(qint64 responseId, const QStringList &checklist);
    bool setRationale(qint64 responseId, const QString &rationale);
    /// Flag for discussion (not part of the undo history).
    bool setFlagged(bool flagged);
    /// Skips the current item (status 'skipped'; not part of the undo history). A
    /// distressing skip is a pause without penalty, stored with skip reason
    /// 'distressing' (see distressingCount()); neither touches the discussion flag.
    bool skipCurrent(bool distressing);
    /// The rater's skipped assignments, and those skipped as distressing, for the
    /// supervising researcher (the rating page does not show these counts).
    int skippedCount() const { return int(m_skipped); }
    int distressingCount() const { return int(m_distressing); }

    QString errorString() const { return m_error.message; }

    /// Writes waiting for the study file (0 = everything is in the file).
    int pendingWrites() const;
    bool hasPendingWrites() const { return pendingWrites() > 0; }
    /// Of those, the label and rating writes (the ones kept in the outbox).
    int pendingRatingWrites() const;
    /// Whether the shown rating of `responseId` / label of `itemId` is still waiting.
    bool isRatingPending(qint64 responseId) const;
    bool isLabelPending(qint64 itemId) const;
    /// The waiting writes gave up (pendingWriteFailed()); they stay queued.
    bool hasFailedWrites() const;
    /// Tries the waiting writes again after pendingWriteFailed().
    void retryPendingWrites();
    /// The background writer (tests set its give-up time); nullptr before start().
    RatingWriter *writer() const;
    /// The study could not be reached at the last attempt; writes wait in the outbox.
    bool isOffline() const { return m_offline; }
    /// The outbox file: AppDataLocation/outbox.sqlite unless set (before start()).
    QString outboxPath() const { return m_outboxPath; }
    void setOutboxPath(const QString &path) { m_outboxPath = path; }
    static QString defaultOutboxPath();

    // Used by the undo commands.
    bool applyLabel(int index, qint64 itemId, const std::optional<storage::CategoryLabel> &label);
    bool applyRating(
        int index, qint64 responseId, const std::optional<storage::ResponseRating> &rating);

signals:
    void itemChanged(int index);
    void labelSaved(qint64 itemId);
    void ratingSaved(qint64 responseId);
    /// Undo or redo changed the rating of `responseId` (after ratingSaved).
    void historyApplied(qint64 responseId);
    void flagSaved(bool flagged);
    void itemSkipped(int index, bool distressing);
    void statusSaved(int index, const QString &status);
    void writeFailed(const QString &message);
    /// The number of writes waiting for the study file changed (0: all are in).
    void pendingChanged(int count);
    /// The waiting writes could not be done; their values are kept (retryPendingWrites()).
    void pendingWriteFailed(const QString &message);
    /// The study became unreachable (true) or took the waiting writes again (false).
    void offlineChanged(bool offline);

private:
    bool pushRating(
        qint64 responseId, std::optional<storage::ResponseRating> after, const QString &text);
    void fail(const storage::Error &error);
    /// Writes now unless the file is busy or earlier changes still wait for it: Written,
    /// Failed (fail() has said why) or Busy (the caller queues the write on m_writer).
    enum class WriteNow { Written, Failed, Busy };
    WriteNow writeNow(const RatingWriter::Write &write);
    /// Queues a label/rating write on m_writer with a durable copy in the outbox.
    quint64 enqueueDurable(const RatingWriter::Write &write, const storage::OutboxEntry &entry);
    /// Queues the outbox entries a previous run left for this rater on this study.
    void restoreOutbox();
    void setOffline(bool offline);
    static RatingWriter::Write labelWrite(
        qint64 itemId, qint64 raterId, const std::optional<storage::CategoryLabel> &label);
    static RatingWriter::Write ratingWrite(
        qint64 responseId, qint64 raterId, const std::optional<storage::ResponseRating> &rating);
    void writeLanded(quint64 number);
    void updateStatus();
    void recordShown(qint64 itemId);
    double secondsOnItem() const;

    storage::Study *m_study = nullptr;
    storage::Rater m_rater;
    QList<qint64> m_queue;
    /// Assignments m_windowStart … m_windowStart + size() - 1 of the queue.
    mutable QList<storage::Assignment> m_window;
    mutable int m_windowStart = 0;
    /// Reads the window of the queue around `index`; false (m_error set) when unreadable.
    bool loadWindow(int index) const;
    /// The current assignment, to change in memory after a write (nullptr: none).
    storage::Assignment *current();
    /// Sets an assignment's status and skip reason in memory, keeping the counts.
    void setCached(storage::Assignment &assignment, const QString &status, const QString &reason);
    qint64 m_done = 0;
    qint64 m_skipped = 0;
    qint64 m_distressing = 0;
    bool m_countsRead = false; ///< the counts above came from the study (progress())
    int m_index = -1;
    QList<qint64> m_responseIds;
    QStringList m_responseTexts;
    QStringList m_turns;
    qint64 m_sessionId = 0;
    QSet<qint64> m_shownItems; // items counted as shown in this session
    QSet<qint64> m_ratedItems; // items counted as rated in this session
    std::optional<storage::CategoryLabel> m_label;
    QHash<qint64, storage::ResponseRating> m_ratings;
    QElapsedTimer m_shown;
    QUndoStack *m_undoStack;
    mutable storage::Error m_error;
    bool m_lastApplyOk = false;
    RatingWriter *m_writer = nullptr;
    QString m_outboxPath = defaultOutboxPath();
    std::unique_ptr<storage::RatingOutbox> m_outbox;
    /// This instance's claim on outbox entries (another app instance of the same rater
    /// may share the file): created with the outbox, kept for the session's life.
    std::unique_ptr<storage::OutboxOwner> m_outboxOwner;
    /// Opens m_outbox (and m_outboxOwner) on m_outboxPath when not open yet.
    bool openOutbox(storage::Error *error);
    bool m_offline = false;
    bool m_reconnect = false; // the GUI thread's connection needs opening again
    /// Queued write → what it writes: (true, item id) for a label, (false, response
    /// id) for a rating, (false, 0) for the exposure record.
    QHash<quint64, std::pair<bool, qint64>> m_pendingWrites;
    QHash<qint64, std::optional<storage::CategoryLabel>> m_pendingLabels; // by item
    QHash<qint64, std::optional<storage::ResponseRating>> m_pendingRatings; // by response
};

} // namespace cr::ui
