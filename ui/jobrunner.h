#pragma once

#include "storage/error.h"

#include <QMutex>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <utility>

class QThread;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class JobRunnerBase;

/// What a job sees on its worker thread: whether its request was cancelled or
/// superseded, and a way to report progress. Thread-safe.
class JobContext : public std::enable_shared_from_this<JobContext> {
public:
    JobContext(const JobContext &) = delete;
    JobContext &operator=(const JobContext &) = delete;
    virtual ~JobContext() = default;

    /// True once the request was cancelled or superseded: its result will be dropped,
    /// so a job that can stop early should.
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    /// Reports progress; arrives as JobRunnerBase::progressed on the runner's thread.
    /// Cheap to call often: reports are coalesced until the GUI thread has taken the last.
    void reportProgress(qint64 done, qint64 total);
    /// reportProgress as a callback, for storage's ImportOptions/ExportOptions::progress.
    std::function<void(qint64, qint64)> progressCallback();

protected:
    JobContext() = default;

private:
    friend class JobRunnerBase;
    virtual void execute(storage::Study &study, storage::Error *error) = 0;

    JobRunnerBase *m_runner = nullptr;
    QString m_studyPath;
    std::atomic<bool> m_cancelled { false };
    storage::Error m_error; // written by the worker, read after it finished
    QMutex m_progressMutex;
    qint64 m_done = 0;
    qint64 m_total = 0;
    bool m_progressPosted = false;
};

/// The signals and the thread handling of JobRunner<T> (moc does not take templates;
/// cf. QFutureWatcherBase and QFutureWatcher<T>).
///
/// Threading: create and use a runner on one thread with an event loop (the GUI
/// thread); its signals are emitted there. Each request runs on a worker thread of its
/// own, which opens its own storage::Study on the request's path (Study objects are
/// per-thread), so the GUI's connection stays usable meanwhile. One request runs at a
/// time: a newer one supersedes the running one (which is cancelled and whose result
/// is dropped) and waits for it to end; a request superseded before it started never
/// runs. The destructor cancels and waits for the running worker.
class JobRunnerBase : public QObject {
    Q_OBJECT
public:
    ~JobRunnerBase() override;

    /// True while a request is running or waiting to run whose result is still to come.
    bool isRunning() const;
    /// Drops the running and the waiting request: neither delivers anything. The running
    /// job sees JobContext::isCancelled() and may stop early (or finish unseen).
    void cancel();

signals:
    /// Progress of the current request (never of a cancelled or superseded one).
    void progressed(qint64 done, qint64 total);
    /// The current request finished; JobRunner<T>::result() holds its value.
    void succeeded();
    /// The current request failed (the study did not open, or the job set an error);
    /// JobRunner<T>::result() holds what the job returned, such as a partial report.
    void failed(const storage::Error &error);

protected:
    explicit JobRunnerBase(QObject *parent);
    void submit(const QString &studyPath, std::shared_ptr<JobContext> request);

private:
    /// Moves the finished request's value into the runner (GUI thread).
    virtual void adopt(JobContext &request) = 0;
    void launch(std::shared_ptr<JobContext> request);
    void workerFinished();
    void deliverProgress(const std::shared_ptr<JobContext> &request);
    static void work(const std::shared_ptr<JobContext> &request);
    friend class JobContext;

    std::shared_ptr<JobContext> m_running;
    std::shared_ptr<JobContext> m_waiting;
    QThread *m_thread = nullptr;
};

/// Runs jobs returning a T on worker threads and delivers each current result to the
/// runner's thread (see JobRunnerBase for the threading contract):
///
///     auto *loader = new JobRunner<Rows>(this);
///     connect(loader, &JobRunnerBase::succeeded, this, [this, loader] { show(loader->result());
///     }); loader->start(study.path(), [](storage::Study &study, JobContext &, storage::Error
///     *error) {
///         return loadRows(study, error);
///     });
///
/// T must be default-constructible and movable.
template<typename T> class JobRunner final : public JobRunnerBase {
public:
    /// Runs on the worker thread with the request's own Study. Sets `error` to fail;
    /// whatever it returns is the result either way.
    using Work =
        std::function<T(storage::Study &study, JobContext &context, storage::Error *error)>;

    explicit JobRunner(QObject *parent = nullptr)
        : JobRunnerBase(parent)
    {
    }

    /// Starts `work` on a worker with its own Study opened on `studyPath`, superseding a
    /// running or waiting request of this runner.
    void start(const QString &studyPath, Work work)
    {
        auto request = std::make_shared<Request>();
        request->work = std::move(work);
        submit(studyPath, std::move(request));
    }

    /// The value of the last request that delivered (valid in and after succeeded() or
    /// failed(); default-constructed before).
    const T &result() const { return m_result; }

private:
    struct Request final : JobContext {
        Work work;
        T value {};

        void execute(storage::Study &study, storage::Error *error) override
        {
            value = work(study, *this, error);
        }
    };

    void adopt(JobContext &request) override
    {
        m_result = std::move(static_cast<Request &>(request).value);
    }

    T m_result {};
};

} // namespace cr::ui
