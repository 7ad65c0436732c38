#pragma once

#include "storage/error.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace cr::storage {

class Study;

/// Why a rater skipped an item. Distressing is the rater's "pause — this was
/// distressing": a skip without penalty, counted for the supervising researcher only.
enum class SkipReason { Skipped, Distressing };

/// One rater's workload and exposure, for the supervising researcher (never shown in
/// a rater's view: no rater sees another rater's counts).
struct RaterExposure {
    qint64 raterId = 0;
    QString name;
    QString kind;
    QString role;
    qint64 assigned = 0;
    qint64 done = 0; ///< status 'done', or labelled with every response rated (imported)
    qint64 skipped = 0; ///< assignments whose status is 'skipped' (any reason)
    qint64 distressing = 0; ///< assignments skipped as distressing (even if finished later)
    qint64 sessions = 0; ///< sign-ins in the rating workspace
    qint64 shownToday = 0; ///< items shown in sessions started since `dayStart`
    qint64 shownLastSession = 0;
    qint64 maxShownInSession = 0;
    double shownPerSession = 0; ///< mean items shown per session (0 without sessions)
};

/// What raters were shown and for how long they worked: presentation order, rating
/// sessions and skip reasons. Every write is its own short durable transaction.
class ExposureRepository final {
public:
    explicit ExposureRepository(Study &study)
        : m_study(study)
    {
    }

    /// Starts a rating session for `raterId` (started_at = ended_at = now); returns its id or 0.
    qint64 startSession(qint64 raterId, Error *error);
    /// One item shown to `raterId`, in one short transaction: records the
    /// `presentation` of its `responseIds` in display order (position 1 is label "A",
    /// 2 is "B"…; idempotent: a response already recorded for this rater keeps its
    /// first position and time) and, when `sessionId` is not 0, counts one more item
    /// shown in that session (the caller counts each item once per session).
    /// Committed without waiting for the disk (survives a crash of the app; made
    /// power-safe by the next rating's commit), so showing an item never waits on fsync.
    bool recordShown(
        qint64 sessionId, qint64 raterId, const QList<qint64> &responseIds, Error *error);
    /// One more item finished (rated completely) in the session; moves ended_at to now.
    bool countRated(qint64 sessionId, Error *error);
    /// Skips an assignment: status 'skipped' and the reason, logged in the event table.
    bool skip(qint64 assignmentId, SkipReason reason, Error *error);
    /// The stored skip reason of an assignment ("" when it has none).
    QString skipReason(qint64 assignmentId) const;

    /// Every rater's counts in rater id order; `dayStart` is the start of "today"
    /// (local midnight, by default).
    QList<RaterExposure> summary(const QDateTime &dayStart = {}) const;

private:
    bool bump(qint64 sessionId, const char *column, Error *error); // inside a transaction
    Study &m_study;
};

/// Blinded presentation of an item's responses to one rater: a deterministic shuffle
/// of `count` positions seeded by the assignment's display seed (cr::analysis::Rng),
/// so a rater always sees an item's responses in the same order while raters differ.
/// Element i is the index (into the responses as listed by storage) shown at position i.
QList<int> presentationOrder(int count, quint64 seed);

/// Where an item comes in a rater's order: assignments are sorted by this key (then by
/// item id), so each rater's order is a different shuffle, reproducible from the study's
/// order seed, and adding items later only inserts them (AssignmentRepository::forRater).
quint64 ratingOrderKey(quint64 studySeed, qint64 raterId, qint64 itemId);

/// "A", "B", … "Z", "AA"… for display position 0, 1, …
QString presentationLabel(int position);

} // namespace cr::storage
