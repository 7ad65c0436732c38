#pragma once

#include "storage/error.h"
#include "storage/importer.h"

#include <QStringList>

namespace cr::storage {

class Study;

/// Imports the published crisis benchmark's repository layout (FORMATS.md §2):
/// dataset, answer, human label/score, LLM label and LLM judge files (JSON arrays,
/// possibly with the bare literal NaN), given as files or folders (recursive).
///
/// Files are classified by their folder and name; unrecognised files are listed in
/// ImportReport::skippedFiles, never guessed at. Every file aligns with its dataset
/// by position and is verified by content. Problems are reported as
/// FILE:INDEX:FIELD (INDEX = the 0-based position in the file's array). All files
/// are validated before anything is written, then written in one transaction:
/// without skipInvalid any problem leaves the study unchanged. Keys are stable, so
/// importing the same files again changes nothing.
///
/// Not thread-safe; use it on the thread that owns `study`.
class BenchmarkImporter final {
public:
    explicit BenchmarkImporter(Study &study)
        : m_study(study)
    {
    }

    bool run(
        const QStringList &paths, const ImportOptions &options, ImportReport *report, Error *error);

    /// True when the paths name a folder or a JSON-array file (format auto).
    static bool looksLikeBenchmark(const QStringList &paths);

private:
    Study &m_study;
};

} // namespace cr::storage
