#include "ui/importjob.h"

#include "storage/study.h"

#include <QThread>
#include <utility>

namespace cr::ui {

ImportJob::ImportJob(QString studyPath, QStringList files, bool skipInvalid, QObject *parent)
    : QObject(parent)
    , m_studyPath(std::move(studyPath))
    , m_files(std::move(files))
    , m_skipInvalid(skipInvalid)
{
}

ImportJob::~ImportJob()
{
    if (m_thread)
        m_thread->wait();
}

void ImportJob::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] { run(); });
    m_thread->setParent(this);
    // QThread::finished is emitted from the worker; queued to this GUI-thread object.
    connect(
        m_thread, &QThread::finished, this, [this] { emit finished(m_ok); }, Qt::QueuedConnection);
    m_thread->start();
}

bool ImportJob::isRunning() const
{
    return m_thread && !m_thread->isFinished();
}

void ImportJob::run()
{
    // Worker thread: everything here uses this thread's own Study connection.
    storage::Error error;
    std::unique_ptr<storage::Study> study = storage::Study::open(m_studyPath, &error);
    if (!study) {
        m_error = error;
        m_ok = false;
        return;
    }
    study->setActor(QStringLiteral("import"));
    storage::ImportOptions options;
    options.skipInvalid = m_skipInvalid;
    options.progress = [this](qint64 done, qint64 total) { emit progressed(done, total); };
    m_ok = storage::Importer(*study).run(m_files, options, &m_report, &m_error);
}

} // namespace cr::ui
