#include "ui/importjob.h"

#include "storage/study.h"

#include <utility>

namespace cr::ui {

ImportRunner::Work importJob(QStringList files, bool skipInvalid)
{
    return [files = std::move(files), skipInvalid](
               storage::Study &study, JobContext &context, storage::Error *error) {
        ImportResult result { study.path(), files, {} };
        study.setActor(QStringLiteral("import"));
        storage::ImportOptions options;
        options.skipInvalid = skipInvalid;
        options.progress = context.progressCallback();
        if (!storage::Importer(study).run(files, options, &result.report, error)
            && !error->isError())
            *error = storage::Error::storage(QStringLiteral("the import failed"));
        return result;
    };
}

} // namespace cr::ui
