#pragma once

#include "storage/error.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>

class QThread;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class RatingWriterWorker;

/// The rating page's writes that met a busy study file or an unreachable server: a
/// queue of writes run in order on a worker thread with a study connection of its
/// own, each retried while another program holds the write lock, so the GUI thread
/// never waits for it. While the study cannot be reached (Study::isUnreachable(): the
/// server is down, the connection was lost) the queue is offline: offlineChanged(true),
/// the front write is tried again with a growing pause (up to 2 s), reconnecting, and
/// never given up; the first write that lands says offlineChanged(false).
/// A write that still cannot be done after giveUpAfter() (or that fails for another
/// reason) stops the queue: failed() says why, and the write and those after it stay
/// queued until retry() or the next enqueue().
///
/// A write may carry the seq of its storage::RatingOutbox entry (the durable copy):
/// the worker removes that entry only after the write returned true, i.e. after the
/// study acknowledged its commit. GUI thread only; signals arrive on the GUI thread.
class RatingWriter final : public QObject {
    Q_OBJECT
public:
    /// Runs on the worker thread on its own Study; false with `error` to fail.
    using Write = std::function<bool(storage::Study &study, storage::Error *error)>;

    /// `outboxPath`: the RatingOutbox file whose entries the queued writes name (may be
    /// empty when no write carries an outbox seq).
    RatingWriter(const QString &studyPath, const QString &actor, const QString &outboxPath = {},
        QObject *parent = nullptr);
    /// Waits for the write that is running; writes still queued are dropped (the
    /// rating session warns before it lets that happen).
    ~RatingWriter() override;

    /// Queues `write` after the ones queued before; returns its number (from 1). With
    /// `outboxSeq`, that outbox entry is removed once the write is in the study.
    quint64 enqueue(Write write, qint64 outboxSeq = 0);
    /// Writes queued and not yet done (including a failed one).
    int pendingCount() const;
    bool hasFailed() const { return m_failed; }
    /// The study could not be reached at the last attempt (see offlineChanged()).
    bool isOffline() const { return m_offline; }
    /// Runs the queue again after failed().
    void retry();

    int giveUpAfter() const { return m_giveUpMs; }
    void setGiveUpAfter(int milliseconds) { m_giveUpMs = milliseconds; }

signals:
    /// Write `number` is in the file.
    void written(quint64 number);
    /// The queue is empty again.
    void drained();
    /// The first queued write could not be done; it stays queued (see retry()).
    void failed(const QString &message);
    /// The study became unreachable (true) or took a write again (false).
    void offlineChanged(bool offline);

private:
    friend class RatingWriterWorker;
    struct Entry {
        quint64 number;
        Write write;
        qint64 outboxSeq = 0;
    };
    void finished(quint64 number);
    void stopped(const QString &message);
    void setOffline(bool offline);
    void kick();

    QThread *m_thread;
    RatingWriterWorker *m_worker;
    mutable QMutex m_mutex;
    QList<Entry> m_queue; // guarded by m_mutex; the worker takes from the front
    quint64 m_next = 1;
    bool m_failed = false;
    bool m_offline = false;
    std::atomic<bool> m_stop { false }; // the destructor: stop retrying
    int m_giveUpMs = 5 * 60 * 1000;
};

} // namespace cr::ui
