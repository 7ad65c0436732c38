#pragma once

#include "storage/error.h"
#include "storage/importer.h"

#include <QObject>
#include <QStringList>

class QThread;

namespace cr::ui {

/// Runs storage::Importer on a worker thread.
///
/// Threading: create, start and read the job on the GUI thread. The worker opens
/// its own storage::Study on the same path (Study objects are per-thread), so the
/// GUI's connection stays usable meanwhile. progressed() is emitted from the worker
/// and therefore arrives queued; finished() is emitted on the GUI thread once the
/// worker is done, after which report() and error() are safe to read. The
/// destructor waits for a running import (it is one transaction, never cut short).
class ImportJob final : public QObject {
    Q_OBJECT
public:
    /// With `skipInvalid`, the valid rows are imported and every skipped one is
    /// reported (and stored in the study), as `import --skip-invalid` does.
    ImportJob(
        QString studyPath, QStringList files, bool skipInvalid = false, QObject *parent = nullptr);
    ~ImportJob() override;

    QString studyPath() const { return m_studyPath; }
    QStringList files() const { return m_files; }
    bool skipsInvalid() const { return m_skipInvalid; }
    void start();
    bool isRunning() const;

    bool succeeded() const { return m_ok; }
    const storage::ImportReport &report() const { return m_report; }
    const storage::Error &error() const { return m_error; }

signals:
    void progressed(qint64 done, qint64 total);
    void finished(bool ok);

private:
    void run();

    const QString m_studyPath;
    const QStringList m_files;
    const bool m_skipInvalid;
    QThread *m_thread = nullptr;
    // Written by the worker, read on the GUI thread only after it finished.
    bool m_ok = false;
    storage::ImportReport m_report;
    storage::Error m_error;
};

} // namespace cr::ui
