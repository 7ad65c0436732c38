#include "ui/ratingwriter.h"

#include "storage/ratingoutbox.h"
#include "storage/study.h"

#include <QDeadlineTimer>
#include <QMetaObject>
#include <QThread>
#include <algorithm>
#include <memory>

namespace cr::ui {

/// Lives on the writer's thread: opens its own Study and runs the queue's front.
class RatingWriterWorker final : public QObject {
public:
    RatingWriterWorker(RatingWriter *owner, QString path, QString actor, QString outboxPath)
        : m_owner(owner)
        , m_path(std::move(path))
        , m_actor(std::move(actor))
        , m_outboxPath(std::move(outboxPath))
    {
    }

    /// Runs queued writes until the queue is empty or one gives up.
    void drain(int giveUpMs)
    {
        for (;;) {
            RatingWriter::Entry entry;
            {
                QMutexLocker lock(&m_owner->m_mutex);
                if (m_owner->m_queue.isEmpty())
                    return;
                entry = m_owner->m_queue.constFirst();
            }
            QString message;
            if (!run(entry, giveUpMs, &message)) {
                QMetaObject::invokeMethod(
                    m_owner, [owner = m_owner, message] { owner->stopped(message); },
                    Qt::QueuedConnection);
                return;
            }
            {
                QMutexLocker lock(&m_owner->m_mutex);
                m_owner->m_queue.removeFirst();
            }
            QMetaObject::invokeMethod(
                m_owner, [owner = m_owner, n = entry.number] { owner->finished(n); },
                Qt::QueuedConnection);
        }
    }

private:
    bool run(const RatingWriter::Entry &entry, int giveUpMs, QString *message)
    {
        const QDeadlineTimer deadline(giveUpMs);
        int offlinePause = 100;
        for (;;) {
            storage::Error error;
            if (!m_study) {
                m_study = storage::Study::open(m_path, &error);
                if (m_study) {
                    m_study->setActor(m_actor);
                    m_study->setWaitForLock(false); // this loop does the waiting
                }
            }
            if (m_study && entry.write(*m_study, &error)) {
                acknowledge(entry);
                return true;
            }
            if (m_owner->m_stop) {
                *message = error.message;
                return false;
            }
            if (unreachable()) {
                // The server is down or the connection is gone: never give up, reconnect.
                setOffline(true);
                m_study.reset();
                QThread::msleep(offlinePause);
                offlinePause = std::min(offlinePause * 2, 2000);
                continue;
            }
            const bool busy = !m_study || m_study->lastWriteWasBusy();
            if (!busy || deadline.hasExpired()) {
                *message = error.message;
                return false;
            }
            QThread::msleep(100);
        }
    }

    /// The study could not be reached: an unreachable connection, or (for a server)
    /// a connection that could not be opened.
    bool unreachable() const
    {
        if (m_study)
            return m_study->isUnreachable();
        return storage::Study::isServerLocation(m_path) || storage::Study::isSimulatedUnreachable();
    }

    void setOffline(bool offline)
    {
        if (offline == m_offline)
            return;
        m_offline = offline;
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, offline] { owner->setOffline(offline); },
            Qt::QueuedConnection);
    }

    /// The write is committed: the study said so. Only now its outbox copy goes.
    void acknowledge(const RatingWriter::Entry &entry)
    {
        setOffline(false);
        if (!entry.outboxSeq || m_outboxPath.isEmpty())
            return;
        storage::Error error;
        if (!m_outbox)
            m_outbox = storage::RatingOutbox::open(m_outboxPath, &error);
        // If this fails the entry is sent once more at the next start: an upsert of
        // the same value, which leaves the same row.
        if (m_outbox)
            m_outbox->remove(entry.outboxSeq, &error);
    }

    RatingWriter *m_owner;
    QString m_path;
    QString m_actor;
    QString m_outboxPath;
    std::unique_ptr<storage::Study> m_study;
    std::unique_ptr<storage::RatingOutbox> m_outbox;
    bool m_offline = false;
};

RatingWriter::RatingWriter(
    const QString &studyPath, const QString &actor, const QString &outboxPath, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new RatingWriterWorker(this, studyPath, actor, outboxPath))
{
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

RatingWriter::~RatingWriter()
{
    m_stop = true;
    {
        QMutexLocker lock(&m_mutex);
        if (m_queue.size() > 1)
            m_queue.erase(m_queue.begin() + 1, m_queue.end()); // the running one finishes
    }
    // The worker and its Study are deleted on their own thread as it ends.
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

quint64 RatingWriter::enqueue(Write write, qint64 outboxSeq)
{
    const quint64 number = m_next++;
    bool first = false;
    {
        QMutexLocker lock(&m_mutex);
        first = m_queue.isEmpty();
        m_queue.append({ number, std::move(write), outboxSeq });
    }
    if (m_failed) { // a new change tries the waiting ones again
        m_failed = false;
        kick();
    } else if (first) {
        kick();
    }
    return number;
}

int RatingWriter::pendingCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_queue.size());
}

void RatingWriter::retry()
{
    if (!m_failed)
        return;
    m_failed = false;
    kick();
}

void RatingWriter::kick()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, ms = m_giveUpMs] { worker->drain(ms); },
        Qt::QueuedConnection);
}

void RatingWriter::finished(quint64 number)
{
    emit written(number);
    if (pendingCount() == 0)
        emit drained();
}

void RatingWriter::setOffline(bool offline)
{
    if (offline == m_offline)
        return;
    m_offline = offline;
    emit offlineChanged(offline);
}

void RatingWriter::stopped(const QString &message)
{
    m_failed = true;
    emit failed(message);
}

} // namespace cr::ui
