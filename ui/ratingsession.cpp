#include "ui/ratingsession.h"

#include "storage/exposure.h"
#include "storage/raterview.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/ratingwriter.h"

#include <QStandardPaths>
#include <QUndoCommand>
#include <QUndoStack>
#include <algorithm>

namespace cr::ui {

namespace {

const QString statusDone = QStringLiteral("done");
const QString statusSkipped = QStringLiteral("skipped");
const QString statusInProgress = QStringLiteral("in_progress");
const QString statusPending = QStringLiteral("pending");

/// The session's writes on the GUI thread never wait for another program's write
/// lock: a busy file sends them to the RatingWriter instead.
class NoWait final {
public:
    explicit NoWait(storage::Study &study)
        : m_study(study)
    {
        m_study.setWaitForLock(false);
    }
    ~NoWait() { m_study.setWaitForLock(true); }
    NoWait(const NoWait &) = delete;
    NoWait &operator=(const NoWait &) = delete;

private:
    storage::Study &m_study;
};

bool sameRating(const std::optional<storage::ResponseRating> &a,
    const std::optional<storage::ResponseRating> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    return a->score == b->score && a->cannotAssess == b->cannotAssess
        && a->checklist == b->checklist && a->rationale == b->rationale;
}

/// Sets or clears the rater's category label of one item.
class LabelCommand final : public QUndoCommand {
public:
    LabelCommand(RatingSession *session, int index, qint64 itemId,
        std::optional<storage::CategoryLabel> before, std::optional<storage::CategoryLabel> after,
        const QString &text)
        : QUndoCommand(text)
        , m_session(session)
        , m_index(index)
        , m_itemId(itemId)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void redo() override { setObsolete(!m_session->applyLabel(m_index, m_itemId, m_after)); }
    void undo() override { setObsolete(!m_session->applyLabel(m_index, m_itemId, m_before)); }

private:
    RatingSession *m_session;
    int m_index;
    qint64 m_itemId;
    std::optional<storage::CategoryLabel> m_before;
    std::optional<storage::CategoryLabel> m_after;
};

/// Sets or clears the rater's rating of one response.
class RatingCommand final : public QUndoCommand {
public:
    RatingCommand(RatingSession *session, int index, qint64 responseId,
        std::optional<storage::ResponseRating> before, std::optional<storage::ResponseRating> after,
        const QString &text)
        : QUndoCommand(text)
        , m_session(session)
        , m_index(index)
        , m_responseId(responseId)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void redo() override
    {
        setObsolete(!m_session->applyRating(m_index, m_responseId, m_after));
        if (!m_first)
            emit m_session->historyApplied(m_responseId);
        m_first = false;
    }
    void undo() override
    {
        setObsolete(!m_session->applyRating(m_index, m_responseId, m_before));
        emit m_session->historyApplied(m_responseId);
    }

private:
    RatingSession *m_session;
    int m_index;
    qint64 m_responseId;
    std::optional<storage::ResponseRating> m_before;
    std::optional<storage::ResponseRating> m_after;
    bool m_first = true; ///< the push's own redo() is no step through the history
};

} // namespace

RatingSession::RatingSession(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
{
}

RatingSession::~RatingSession() = default;

void RatingSession::start(storage::Study *study, const storage::Rater &rater)
{
    m_undoStack->clear();
    delete m_writer; // callers ask pendingWrites() first (quitting warns)
    m_writer = nullptr;
    m_pendingWrites.clear();
    m_pendingLabels.clear();
    m_pendingRatings.clear();
    m_outbox.reset();
    setOffline(false);
    if (study) {
        m_writer = new RatingWriter(study->path(), rater.name, m_outboxPath, this);
        connect(m_writer, &RatingWriter::written, this, &RatingSession::writeLanded);
        connect(m_writer, &RatingWriter::drained, this, [this] {
            if (m_reconnect) { // the server is back: this thread's connection too
                storage::Error error;
                m_reconnect = !m_study->reconnect(&error);
            }
            updateStatus();
            emit pendingChanged(0);
        });
        connect(m_writer, &RatingWriter::offlineChanged, this, &RatingSession::setOffline);
        connect(m_writer, &RatingWriter::failed, this, [this](const QString &message) {
            emit pendingWriteFailed(
                tr("%n change(s) could not be saved: %1", nullptr, pendingWrites()).arg(message));
        });
    }
    m_study = study;
    m_rater = rater;
    // Items rated elsewhere (a bundle, an import) count as done: progress and resume
    // follow what is stored, not only what this workspace wrote.
    storage::Error syncError;
    if (study) {
        // Each rater's own shuffled order, from a seed recorded in the study once.
        storage::AssignmentRepository(*study).ensureOrderSeed(&syncError);
        if (!syncError.isError())
            storage::AssignmentRepository(*study).completeFromStoredRatings(rater.id, &syncError);
    }
    // The queue (item ids in order, from an index) and the counts; the assignments are
    // read a window at a time (a rater may have 200,000).
    m_queue =
        study ? storage::AssignmentRepository(*study).queueForRater(rater.id) : QList<qint64>();
    m_window.clear();
    m_windowStart = 0;
    m_done = m_skipped = m_distressing = 0;
    m_countsRead = false;
    if (study && !m_queue.isEmpty()) {
        if (const auto counts = storage::AssignmentRepository(*study).progress(rater.id)) {
            m_done = counts->done;
            m_skipped = counts->skipped;
            m_distressing = counts->distressing;
            m_countsRead = true;
        }
    }
    m_index = -1;
    m_responseIds.clear();
    m_responseTexts.clear();
    m_turns.clear();
    m_label.reset();
    m_ratings.clear();
    m_error = {};
    m_sessionId = 0;
    m_shownItems.clear();
    m_ratedItems.clear();
    if (syncError.isError())
        fail(syncError);
    if (study)
        restoreOutbox();
    if (study && !m_queue.isEmpty()) {
        // Exposure for the supervising researcher; rating goes on if this write fails.
        storage::Error error;
        m_sessionId = storage::ExposureRepository(*study).startSession(rater.id, &error);
        if (!m_sessionId)
            fail(error);
    }
}

void RatingSession::clear()
{
    start(nullptr, {});
}

namespace {
// The window read around the item shown: a few before it (going back), most after it.
constexpr int windowBefore = 64;
constexpr int windowSize = 256;
} // namespace

bool RatingSession::loadWindow(int index) const
{
    const int start = std::max(0, std::min(index - windowBefore, int(m_queue.size()) - windowSize));
    const QList<qint64> items = m_queue.mid(start, windowSize);
    QList<storage::Assignment> rows;
    storage::Error error;
    if (!m_study
        || !storage::AssignmentRepository(*m_study).forRaterItems(
            m_rater.id, items, &rows, &error)) {
        m_error = error;
        return false;
    }
    if (rows.size() != items.size()) { // an assignment was removed meanwhile
        m_error = storage::Error::storage(tr("The assignments changed: sign in again."));
        return false;
    }
    m_window = std::move(rows);
    m_windowStart = start;
    return true;
}

const storage::Assignment *RatingSession::assignment(int index) const
{
    if (index < 0 || index >= m_queue.size())
        return nullptr;
    if ((index < m_windowStart || index >= m_windowStart + m_window.size()) && !loadWindow(index))
        return nullptr;
    return &m_window.at(index - m_windowStart);
}

void RatingSession::setCached(
    storage::Assignment &assignment, const QString &status, const QString &reason)
{
    m_done += (status == statusDone) - (assignment.status == statusDone);
    m_skipped += (status == statusSkipped) - (assignment.status == statusSkipped);
    const QLatin1String distressing("distressing");
    m_distressing += (reason == distressing) - (assignment.skipReason == distressing);
    assignment.status = status;
    assignment.skipReason = reason;
}

int RatingSession::firstUnfinishedIndex() const
{
    if (m_queue.isEmpty())
        return -1;
    // Nothing finished (a new rater), or everything: no assignment to read. Counts that
    // could not be read say nothing: then the assignments are read to find the place.
    if (m_countsRead && (m_done + m_skipped == 0 || m_done + m_skipped >= m_queue.size()))
        return 0;
    // Otherwise the finished ones are read a window at a time (mostly a prefix).
    for (int i = 0; i < m_queue.size(); ++i) {
        const storage::Assignment *a = assignment(i);
        if (!a)
            return 0;
        if (a->status != statusDone && a->status != statusSkipped)
            return i;
    }
    return 0;
}

void RatingSession::setCurrentIndex(int index)
{
    if (!m_study || index < 0 || index >= m_queue.size())
        return;
    const storage::Assignment *shown = this->assignment(index);
    if (!shown) {
        fail(m_error);
        return;
    }
    m_index = index;
    const storage::Assignment assignment = *shown; // a copy: the window may move below
    // Only what the rater may see: text and responses in their order (no models).
    storage::Error error;
    const std::optional<storage::RaterItem> item =
        storage::loadRaterItem(*m_study, assignment, &error);
    m_responseIds = item ? item->responseIds : QList<qint64>();
    m_responseTexts = item ? item->responseTexts : QStringList();
    m_turns = item ? item->turns : QStringList();
    if (!item)
        fail(error);
    recordShown(assignment.itemId);
    const storage::RatingRepository ratings(*m_study);
    m_label = ratings.categoryLabel(assignment.itemId, m_rater.id);
    m_ratings.clear();
    for (const storage::ResponseRating &r : ratings.ratingsForItem(assignment.itemId, m_rater.id))
        if (r.raterId == m_rater.id)
            m_ratings.insert(r.responseId, r);
    // Values still waiting for the study file win over what it holds.
    if (const auto label = m_pendingLabels.constFind(assignment.itemId);
        label != m_pendingLabels.cend())
        m_label = *label;
    for (qint64 id : std::as_const(m_responseIds)) {
        const auto pending = m_pendingRatings.constFind(id);
        if (pending == m_pendingRatings.cend())
            continue;
        if (*pending)
            m_ratings.insert(id, **pending);
        else
            m_ratings.remove(id);
    }
    m_shown.start();
    emit itemChanged(index);
}

const storage::Assignment *RatingSession::currentAssignment() const
{
    return m_index >= 0 ? assignment(m_index) : nullptr;
}

storage::Assignment *RatingSession::current()
{
    return currentAssignment() ? &m_window[m_index - m_windowStart] : nullptr;
}

qint64 RatingSession::currentItemId() const
{
    const storage::Assignment *a = currentAssignment();
    return a ? a->itemId : 0;
}

std::optional<storage::ResponseRating> RatingSession::rating(qint64 responseId) const
{
    const auto it = m_ratings.constFind(responseId);
    if (it == m_ratings.cend())
        return std::nullopt;
    return *it;
}

int RatingSession::unratedCount() const
{
    int unrated = 0;
    for (qint64 id : m_responseIds)
        unrated += m_ratings.contains(id) ? 0 : 1;
    return unrated;
}

bool RatingSession::isCurrentItemComplete() const
{
    return currentAssignment() && m_label.has_value() && unratedCount() == 0;
}

bool RatingSession::setCategory(const QString &categoryId)
{
    if (!currentAssignment())
        return false;
    storage::CategoryLabel after;
    after.itemId = currentItemId();
    after.raterId = m_rater.id;
    after.category = categoryId;
    if (m_label) {
        if (m_label->category == categoryId)
            return true;
        after.note = m_label->note;
    }
    m_lastApplyOk = false;
    m_undoStack->push(
        new LabelCommand(this, m_index, after.itemId, m_label, after, tr("category")));
    return m_lastApplyOk;
}

bool RatingSession::setScore(qint64 responseId, int score)
{
    storage::ResponseRating after = rating(responseId).value_or(storage::ResponseRating {});
    after.responseId = responseId;
    after.raterId = m_rater.id;
    after.score = score;
    after.cannotAssess = false;
    after.secondsSpent = secondsOnItem();
    return pushRating(responseId, after, tr("score %1").arg(score));
}

bool RatingSession::setCannotAssess(qint64 responseId)
{
    storage::ResponseRating after = rating(responseId).value_or(storage::ResponseRating {});
    after.responseId = responseId;
    after.raterId = m_rater.id;
    after.score.reset();
    after.cannotAssess = true;
    after.secondsSpent = secondsOnItem();
    return pushRating(responseId, after, tr("cannot assess"));
}

bool RatingSession::clearRating(qint64 responseId)
{
    return pushRating(responseId, std::nullopt, tr("clear score"));
}

bool RatingSession::setChecklist(qint64 responseId, const QStringList &checklist)
{
    std::optional<storage::ResponseRating> after = rating(responseId);
    if (!after)
        return false;
    after->checklist = checklist;
    return pushRating(responseId, after, tr("checklist"));
}

bool RatingSession::setRationale(qint64 responseId, const QString &rationale)
{
    std::optional<storage::ResponseRating> after = rating(responseId);
    if (!after)
        return false;
    after->rationale = rationale;
    return pushRating(responseId, after, tr("rationale"));
}

bool RatingSession::pushRating(
    qint64 responseId, std::optional<storage::ResponseRating> after, const QString &text)
{
    if (!currentAssignment())
        return false;
    const std::optional<storage::ResponseRating> before = rating(responseId);
    if (sameRating(before, after))
        return true;
    m_lastApplyOk = false;
    // Edit ▸ Undo names the response, as the rater sees it: "Undo score 1 for Response B".
    const qsizetype position = m_responseIds.indexOf(responseId);
    const QString named = position < 0
        ? text
        : tr("%1 for Response %2").arg(text, storage::presentationLabel(int(position)));
    m_undoStack->push(
        new RatingCommand(this, m_index, responseId, before, std::move(after), named));
    return m_lastApplyOk;
}

bool RatingSession::setFlagged(bool flagged)
{
    if (!m_study || !currentAssignment())
        return false;
    storage::Error error;
    NoWait noWait(*m_study); // a busy file refuses at once: try again
    if (!storage::AssignmentRepository(*m_study).setFlagged(
            currentAssignment()->id, flagged, &error)) {
        fail(error);
        return false;
    }
    current()->flagged = flagged;
    emit flagSaved(flagged);
    return true;
}

bool RatingSession::skipCurrent(bool distressing)
{
    if (!m_study || !currentAssignment())
        return false;
    storage::Assignment &assignment = *current();
    const QString reason = distressing ? QStringLiteral("distressing") : statusSkipped;
    if (assignment.status != statusSkipped || assignment.skipReason != reason) {
        storage::Error error;
        NoWait noWait(*m_study); // a busy file refuses at once: try again
        if (!storage::ExposureRepository(*m_study).skip(assignment.id,
                distressing ? storage::SkipReason::Distressing : storage::SkipReason::Skipped,
                &error)) {
            fail(error);
            return false;
        }
        const bool statusChanged = assignment.status != statusSkipped;
        setCached(assignment, statusSkipped, reason);
        if (statusChanged)
            emit statusSaved(m_index, statusSkipped);
    }
    emit itemSkipped(m_index, distressing);
    return true;
}

bool RatingSession::applyLabel(
    int index, qint64 itemId, const std::optional<storage::CategoryLabel> &label)
{
    m_lastApplyOk = false;
    if (!m_study)
        return false;
    if (index != m_index)
        setCurrentIndex(index); // undo shows the item it changes
    const RatingWriter::Write write = labelWrite(itemId, m_rater.id, label);
    switch (writeNow(write)) {
    case WriteNow::Written:
        m_label = storage::RatingRepository(*m_study).categoryLabel(itemId, m_rater.id);
        m_lastApplyOk = true;
        emit labelSaved(itemId);
        updateStatus();
        return true;
    case WriteNow::Failed:
        return false;
    case WriteNow::Busy:
        break;
    }
    // The file is busy (or earlier changes still wait for it): keep the value, write later.
    storage::OutboxEntry entry;
    entry.kind = storage::OutboxEntry::Kind::Label;
    entry.targetId = itemId;
    entry.label = label;
    m_pendingWrites.insert(enqueueDurable(write, entry), { true, itemId });
    m_pendingLabels.insert(itemId, label);
    m_label = label;
    m_lastApplyOk = true;
    emit labelSaved(itemId);
    emit pendingChanged(pendingWrites());
    return true;
}

RatingSession::WriteNow RatingSession::writeNow(const RatingWriter::Write &write)
{
    if (hasPendingWrites())
        return WriteNow::Busy; // keep the order: after the changes that wait
    storage::Error error;
    bool ok = false;
    {
        NoWait noWait(*m_study);
        ok = write(*m_study, &error);
    }
    if (ok)
        return WriteNow::Written;
    if (m_study->lastWriteWasBusy())
        return WriteNow::Busy;
    if (m_study->isUnreachable()) { // send it when the server is back
        setOffline(true);
        return WriteNow::Busy;
    }
    fail(error);
    return WriteNow::Failed;
}

RatingWriter::Write RatingSession::labelWrite(
    qint64 itemId, qint64 raterId, const std::optional<storage::CategoryLabel> &label)
{
    return [label, itemId, raterId](storage::Study &study, storage::Error *error) {
        storage::RatingRepository repository(study);
        return label ? repository.setCategoryLabel(*label, error)
                     : repository.clearCategoryLabel(itemId, raterId, error);
    };
}

RatingWriter::Write RatingSession::ratingWrite(
    qint64 responseId, qint64 raterId, const std::optional<storage::ResponseRating> &rating)
{
    return [rating, responseId, raterId](storage::Study &study, storage::Error *error) {
        storage::RatingRepository repository(study);
        return rating ? repository.setResponseRating(*rating, error)
                      : repository.clearResponseRating(responseId, raterId, error);
    };
}

quint64 RatingSession::enqueueDurable(
    const RatingWriter::Write &write, const storage::OutboxEntry &entry)
{
    storage::OutboxEntry stored = entry;
    stored.study = m_study->path();
    stored.raterId = m_rater.id;
    storage::Error error;
    // Without an outbox the write still waits in memory (and is said to be lost on quit).
    qint64 seq = 0;
    if (openOutbox(&error)) {
        stored.owner = m_outboxOwner->id(); // sent by this instance only
        seq = m_outbox->append(stored, &error);
    }
    if (error.isError())
        fail(error);
    return m_writer->enqueue(write, seq);
}

void RatingSession::restoreOutbox()
{
    storage::Error error;
    if (!openOutbox(&error)) {
        fail(error);
        return;
    }
    // This instance's entries and those of instances that are gone; another running
    // instance of the same rater sends its own (each entry is sent by one instance).
    const QList<storage::OutboxEntry> entries =
        m_outbox->claim(m_study->path(), m_rater.id, m_outboxOwner->id(), &error);
    for (const storage::OutboxEntry &e : entries) {
        if (e.kind == storage::OutboxEntry::Kind::Label) {
            m_pendingWrites.insert(
                m_writer->enqueue(labelWrite(e.targetId, m_rater.id, e.label), e.seq),
                { true, e.targetId });
            m_pendingLabels.insert(e.targetId, e.label);
        } else {
            m_pendingWrites.insert(
                m_writer->enqueue(ratingWrite(e.targetId, m_rater.id, e.rating), e.seq),
                { false, e.targetId });
            m_pendingRatings.insert(e.targetId, e.rating);
        }
    }
    if (error.isError())
        fail(error);
    if (!entries.isEmpty())
        emit pendingChanged(pendingWrites());
}

bool RatingSession::openOutbox(storage::Error *error)
{
    if (m_outboxOwner && m_outboxOwner->outboxPath() != m_outboxPath)
        m_outboxOwner.reset(); // another outbox file: another claim
    if (!m_outbox)
        m_outbox = storage::RatingOutbox::open(m_outboxPath, error);
    if (!m_outbox)
        return false;
    if (!m_outboxOwner)
        m_outboxOwner = storage::OutboxOwner::create(m_outboxPath, error);
    return m_outboxOwner != nullptr;
}

QString RatingSession::defaultOutboxPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/outbox.sqlite");
}

void RatingSession::setOffline(bool offline)
{
    if (offline)
        m_reconnect = true;
    if (offline == m_offline)
        return;
    m_offline = offline;
    emit offlineChanged(offline);
}

bool RatingSession::applyRating(
    int index, qint64 responseId, const std::optional<storage::ResponseRating> &rating)
{
    m_lastApplyOk = false;
    if (!m_study)
        return false;
    if (index != m_index)
        setCurrentIndex(index);
    const RatingWriter::Write write = ratingWrite(responseId, m_rater.id, rating);
    switch (writeNow(write)) {
    case WriteNow::Written:
        if (const auto stored =
                storage::RatingRepository(*m_study).responseRating(responseId, m_rater.id))
            m_ratings.insert(responseId, *stored);
        else
            m_ratings.remove(responseId);
        m_lastApplyOk = true;
        emit ratingSaved(responseId);
        updateStatus();
        return true;
    case WriteNow::Failed:
        return false;
    case WriteNow::Busy:
        break;
    }
    // The file is busy (or earlier changes still wait for it): keep the value, write later.
    storage::OutboxEntry entry;
    entry.kind = storage::OutboxEntry::Kind::Rating;
    entry.targetId = responseId;
    entry.rating = rating;
    m_pendingWrites.insert(enqueueDurable(write, entry), { false, responseId });
    m_pendingRatings.insert(responseId, rating);
    if (rating)
        m_ratings.insert(responseId, *rating);
    else
        m_ratings.remove(responseId);
    m_lastApplyOk = true;
    emit ratingSaved(responseId);
    emit pendingChanged(pendingWrites());
    return true;
}

int RatingSession::pendingWrites() const
{
    return int(m_pendingWrites.size());
}

int RatingSession::pendingRatingWrites() const
{
    return int(std::count_if(m_pendingWrites.cbegin(), m_pendingWrites.cend(),
        [](const std::pair<bool, qint64> &k) { return k.first || k.second != 0; }));
}

bool RatingSession::isRatingPending(qint64 responseId) const
{
    return m_pendingRatings.contains(responseId);
}

bool RatingSession::isLabelPending(qint64 itemId) const
{
    return m_pendingLabels.contains(itemId);
}

bool RatingSession::hasFailedWrites() const
{
    return m_writer && m_writer->hasFailed();
}

void RatingSession::retryPendingWrites()
{
    if (m_writer)
        m_writer->retry();
}

RatingWriter *RatingSession::writer() const
{
    return m_writer;
}

void RatingSession::writeLanded(quint64 number)
{
    const auto key = m_pendingWrites.take(number);
    const bool stillQueued = std::any_of(m_pendingWrites.cbegin(), m_pendingWrites.cend(),
        [&](const std::pair<bool, qint64> &k) { return k == key; });
    if (!stillQueued) {
        if (key.first)
            m_pendingLabels.remove(key.second);
        else
            m_pendingRatings.remove(key.second);
    }
    if (!m_pendingWrites.isEmpty())
        emit pendingChanged(pendingWrites());
}

void RatingSession::fail(const storage::Error &error)
{
    m_error = error;
    emit writeFailed(error.message);
}

void RatingSession::updateStatus()
{
    if (!currentAssignment())
        return;
    storage::Assignment &assignment = *current();
    QString wanted = statusPending;
    if (isCurrentItemComplete())
        wanted = statusDone;
    else if (m_label || !m_ratings.isEmpty())
        wanted = statusInProgress;
    if (assignment.status == statusSkipped && wanted != statusDone)
        return;
    if (assignment.status == wanted || hasPendingWrites())
        return; // with writes waiting, the status follows once they are in
    storage::Error error;
    NoWait noWait(*m_study);
    if (!storage::AssignmentRepository(*m_study).setStatus(assignment.id, wanted, &error)) {
        if (!m_study->lastWriteWasBusy() && !m_study->isUnreachable()) // the next write sets it
            fail(error);
        return;
    }
    setCached(assignment, wanted, assignment.skipReason);
    if (wanted == statusDone && m_sessionId && !m_ratedItems.contains(assignment.itemId)) {
        m_ratedItems.insert(assignment.itemId);
        if (!storage::ExposureRepository(*m_study).countRated(m_sessionId, &error))
            fail(error);
    }
    emit statusSaved(m_index, wanted);
}

void RatingSession::recordShown(qint64 itemId)
{
    // What the rater saw, in which position (the export's shown_position), and the
    // session's exposure count: one short transaction, once per item and session.
    if (m_shownItems.contains(itemId))
        return;
    const auto write = [session = m_sessionId, rater = m_rater.id, shown = m_responseIds](
                           storage::Study &study, storage::Error *error) {
        return storage::ExposureRepository(study).recordShown(session, rater, shown, error);
    };
    m_shownItems.insert(itemId);
    if (!hasPendingWrites()) {
        storage::Error error;
        NoWait noWait(*m_study);
        if (write(*m_study, &error))
            return;
        if (!m_study->lastWriteWasBusy() && !m_study->isUnreachable()) {
            m_shownItems.remove(itemId);
            fail(error);
            return;
        }
    }
    m_pendingWrites.insert(m_writer->enqueue(write), { false, 0 });
    emit pendingChanged(pendingWrites());
}

double RatingSession::secondsOnItem() const
{
    return m_shown.isValid() ? double(m_shown.elapsed()) / 1000.0 : 0.0;
}

} // namespace cr::ui
