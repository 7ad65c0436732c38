#include "ui/exportjob.h"

#include "storage/study.h"

#include <utility>

namespace cr::ui {

ExportRunner::Work exportJob(QString outPath, storage::ExportOptions options)
{
    return [outPath = std::move(outPath), options = std::move(options)](
               storage::Study &study, JobContext &context, storage::Error *error) {
        ExportResult result { outPath, {}, -1 };
        storage::ExportOptions withProgress = options;
        withProgress.progress = context.progressCallback();
        result.rows =
            storage::Exporter(study).writeFile(outPath, withProgress, error, &result.manifestPath);
        if (result.rows < 0 && !error->isError())
            *error = storage::Error::storage(QStringLiteral("the export failed"));
        return result;
    };
}

} // namespace cr::ui
