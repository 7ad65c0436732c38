#include "ui/ratingwriter.h"

#include "storage/study.h"

#include <QDeadlineTimer>
#include <QMetaObject>
#include <QThread>
#include <memory>

namespace cr::ui {

/// Lives on the writer's thread: opens its own Study and runs the queue's front.
class RatingWriterWorker final : public QObject {
public:
    RatingWriterWorker(RatingWriter *owner, QString path, QString actor)
        : m_owner(owner)
        , m_path(std::move(path))
        , m_actor(std::move(actor))
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
        for (;;) {
            storage::Error error;
            if (!m_study) {
                m_study = storage::Study::open(m_path, &error);
                if (m_study) {
                    m_study->setActor(m_actor);
                    m_study->setWaitForLock(false); // this loop does the waiting
                }
            }
            if (m_study && entry.write(*m_study, &error))
                return true;
            const bool busy = !m_study || m_study->lastWriteWasBusy();
            if (!busy || deadline.hasExpired() || m_owner->m_stop) {
                *message = error.message;
                return false;
            }
            QThread::msleep(100);
        }
    }

    RatingWriter *m_owner;
    QString m_path;
    QString m_actor;
    std::unique_ptr<storage::Study> m_study;
};

RatingWriter::RatingWriter(const QString &studyPath, const QString &actor, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new RatingWriterWorker(this, studyPath, actor))
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

quint64 RatingWriter::enqueue(Write write)
{
    const quint64 number = m_next++;
    bool first = false;
    {
        QMutexLocker lock(&m_mutex);
        first = m_queue.isEmpty();
        m_queue.append({ number, std::move(write) });
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

void RatingWriter::stopped(const QString &message)
{
    m_failed = true;
    emit failed(message);
}

} // namespace cr::ui
