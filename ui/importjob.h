#pragma once

#include "storage/importer.h"
#include "ui/jobrunner.h"

#include <QString>
#include <QStringList>

namespace cr::ui {

/// What an import job did: the study and files it was given, and storage's report
/// (on failure, the problems found; nothing changed then).
struct ImportResult {
    QString studyPath;
    QStringList files;
    storage::ImportReport report;
};

using ImportRunner = JobRunner<ImportResult>;

/// The job that runs storage::Importer on `files` (one transaction, never cut short by a
/// cancel), as actor "import". With `skipInvalid`, the valid rows are imported and every
/// skipped one is reported (and stored in the study), as `import --skip-invalid` does.
ImportRunner::Work importJob(QStringList files, bool skipInvalid);

} // namespace cr::ui
