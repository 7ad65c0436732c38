#pragma once

#include "storage/error.h"
#include "storage/exporter.h"

#include <QObject>
#include <QString>

class QThread;

namespace cr::ui {

/// Runs storage::Exporter::writeFile on a worker thread.
///
/// Threading: create, start and read the job on the GUI thread. The worker opens its
/// own storage::Study on the same path (Study objects are per-thread). progressed()
/// is emitted from the worker and arrives queued; finished() is emitted on the GUI
/// thread once the worker is done, after which rows(), manifestPath() and error()
/// are safe to read. The destructor waits for a running export.
class ExportJob final : public QObject {
    Q_OBJECT
public:
    ExportJob(QString studyPath, QString outPath, storage::ExportOptions options,
        QObject *parent = nullptr);
    ~ExportJob() override;

    void start();
    bool isRunning() const;

    qint64 rows() const { return m_rows; }
    QString outPath() const { return m_outPath; }
    QString manifestPath() const { return m_manifestPath; }
    const storage::Error &error() const { return m_error; }

signals:
    void progressed(qint64 done, qint64 total);
    void finished(bool ok);

private:
    void run();

    const QString m_studyPath;
    const QString m_outPath;
    storage::ExportOptions m_options;
    QThread *m_thread = nullptr;
    // Written by the worker, read on the GUI thread only after it finished.
    qint64 m_rows = -1;
    QString m_manifestPath;
    storage::Error m_error;
};

} // namespace cr::ui
