#pragma once

#include "storage/exporter.h"
#include "ui/jobrunner.h"

#include <QString>

namespace cr::ui {

/// What an export job wrote: the file, its manifest and the number of data rows.
struct ExportResult {
    QString outPath;
    QString manifestPath;
    qint64 rows = -1;
};

using ExportRunner = JobRunner<ExportResult>;

/// The job that runs storage::Exporter::writeFile to `outPath` with `options` (whose
/// progress callback it sets): never a half-written file, the manifest beside it.
ExportRunner::Work exportJob(QString outPath, storage::ExportOptions options);

} // namespace cr::ui
