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

/// The rating page's writes that met a busy study file: a queue of writes run in
/// order on a worker thread with a study connection of its own, each retried while
/// another program holds the write lock, so the GUI thread never waits for it.
/// A write that still cannot be done after giveUpAfter() (or that fails for another
/// reason) stops the queue: failed() says why, and the write and those after it stay
/// queued until retry() or the next enqueue(). GUI thread only; signals arrive on the GUI thread.
class RatingWriter final : public QObject {
    Q_OBJECT
public:
    /// Runs on the worker thread on its own Study; false with `error` to fail.
    using Write = std::function<bool(storage::Study &study, storage::Error *error)>;

    RatingWriter(const QString &studyPath, const QString &actor, QObject *parent = nullptr);
    /// Waits for the write that is running; writes still queued are dropped (the
    /// rating session warns before it lets that happen).
    ~RatingWriter() override;

    /// Queues `write` after the ones queued before; returns its number (from 1).
    quint64 enqueue(Write write);
    /// Writes queued and not yet done (including a failed one).
    int pendingCount() const;
    bool hasFailed() const { return m_failed; }
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

private:
    friend class RatingWriterWorker;
    struct Entry {
        quint64 number;
        Write write;
    };
    void finished(quint64 number);
    void stopped(const QString &message);
    void kick();

    QThread *m_thread;
    RatingWriterWorker *m_worker;
    mutable QMutex m_mutex;
    QList<Entry> m_queue; // guarded by m_mutex; the worker takes from the front
    quint64 m_next = 1;
    bool m_failed = false;
    std::atomic<bool> m_stop { false }; // the destructor: stop retrying
    int m_giveUpMs = 5 * 60 * 1000;
};

} // namespace cr::ui
