#include "ui/jobrunner.h"

#include "storage/study.h"

#include <QMutexLocker>
#include <QThread>

namespace cr::ui {

void JobContext::reportProgress(qint64 done, qint64 total)
{
    if (isCancelled())
        return; // would be dropped anyway
    {
        const QMutexLocker locker(&m_progressMutex);
        m_done = done;
        m_total = total;
        if (m_progressPosted)
            return; // the GUI thread will read these values with the report already queued
        m_progressPosted = true;
    }
    // The runner outlives every worker (its destructor waits), and a call queued to it
    // when it is destroyed is discarded.
    JobRunnerBase *runner = m_runner;
    QMetaObject::invokeMethod(
        runner, [runner, request = shared_from_this()] { runner->deliverProgress(request); },
        Qt::QueuedConnection);
}

std::function<void(qint64, qint64)> JobContext::progressCallback()
{
    return [this](qint64 done, qint64 total) { reportProgress(done, total); };
}

JobRunnerBase::JobRunnerBase(QObject *parent)
    : QObject(parent)
{
}

JobRunnerBase::~JobRunnerBase()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

bool JobRunnerBase::isRunning() const
{
    return m_waiting || (m_running && !m_running->isCancelled());
}

void JobRunnerBase::cancel()
{
    if (m_running)
        m_running->m_cancelled = true;
    m_waiting.reset();
}

void JobRunnerBase::submit(const QString &studyPath, std::shared_ptr<JobContext> request)
{
    request->m_runner = this;
    request->m_studyPath = studyPath;
    if (m_running) {
        m_running->m_cancelled = true;
        m_waiting = std::move(request); // replaces one that never started
        return;
    }
    launch(std::move(request));
}

void JobRunnerBase::launch(std::shared_ptr<JobContext> request)
{
    m_running = request;
    m_thread = QThread::create(&JobRunnerBase::work, std::move(request));
    // Emitted on the worker at its end; queued to this runner's thread.
    connect(m_thread, &QThread::finished, this, &JobRunnerBase::workerFinished);
    m_thread->start();
}

void JobRunnerBase::work(const std::shared_ptr<JobContext> &request)
{
    // Worker thread: this request's own connection to the study.
    storage::Error error;
    if (const std::unique_ptr<storage::Study> study =
            storage::Study::open(request->m_studyPath, &error))
        request->execute(*study, &error);
    request->m_error = error;
}

void JobRunnerBase::workerFinished()
{
    m_thread->wait(); // finished() comes just before the thread ends
    delete m_thread;
    m_thread = nullptr;
    const std::shared_ptr<JobContext> request = std::exchange(m_running, nullptr);
    if (m_waiting) {
        launch(std::exchange(m_waiting, nullptr));
        return; // the finished request was superseded
    }
    if (request->isCancelled())
        return;
    // Everything is settled before the signals: their receivers may start the next request.
    adopt(*request);
    if (request->m_error.isError())
        emit failed(request->m_error);
    else
        emit succeeded();
}

void JobRunnerBase::deliverProgress(const std::shared_ptr<JobContext> &request)
{
    qint64 done = 0;
    qint64 total = 0;
    {
        const QMutexLocker locker(&request->m_progressMutex);
        done = request->m_done;
        total = request->m_total;
        request->m_progressPosted = false;
    }
    if (request == m_running && !request->isCancelled())
        emit progressed(done, total);
}

} // namespace cr::ui
