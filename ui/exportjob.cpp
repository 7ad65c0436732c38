#include "ui/exportjob.h"

#include "storage/study.h"

#include <QThread>
#include <utility>

namespace cr::ui {

ExportJob::ExportJob(
    QString studyPath, QString outPath, storage::ExportOptions options, QObject *parent)
    : QObject(parent)
    , m_studyPath(std::move(studyPath))
    , m_outPath(std::move(outPath))
    , m_options(std::move(options))
{
}

ExportJob::~ExportJob()
{
    if (m_thread)
        m_thread->wait();
}

void ExportJob::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] { run(); });
    m_thread->setParent(this);
    connect(
        m_thread, &QThread::finished, this, [this] { emit finished(m_rows >= 0); },
        Qt::QueuedConnection);
    m_thread->start();
}

bool ExportJob::isRunning() const
{
    return m_thread && !m_thread->isFinished();
}

void ExportJob::run()
{
    // Worker thread: its own Study connection.
    std::unique_ptr<storage::Study> study = storage::Study::open(m_studyPath, &m_error);
    if (!study)
        return;
    m_options.progress = [this](qint64 done, qint64 total) { emit progressed(done, total); };
    m_rows = storage::Exporter(*study).writeFile(m_outPath, m_options, &m_error, &m_manifestPath);
}

} // namespace cr::ui
