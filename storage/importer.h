#pragma once

#include "storage/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <limits>

namespace cr::storage {

class Study;

enum class ImportFormat { Auto, Jsonl, Csv, Benchmark };

/// One problem with one input row: rendered as FILE:LINE[:FIELD]: reason.
struct ImportIssue {
    QString file;
    qint64 line = 0;
    QString field;
    QString reason;

    QString toString() const;
};

struct ImportCounts {
    qint64 rows = 0;
    qint64 itemsAdded = 0;
    qint64 itemsUnchanged = 0;
    qint64 responsesAdded = 0;
    qint64 responsesUnchanged = 0;
    qint64 modelsAdded = 0;
    qint64 ratersAdded = 0;
    qint64 labelsAdded = 0;
    qint64 labelsUnchanged = 0;
    qint64 ratingsAdded = 0;
    qint64 ratingsUnchanged = 0;
    /// Scores given as NaN, null or empty (benchmark layout): missing, not stored.
    qint64 scoresMissing = 0;
    /// Labels empty, null or missing in a rater's label file (benchmark layout): not labelled.
    qint64 labelsMissing = 0;
    /// Of labelsMissing: empty strings ("") in LLM classifier files, kept as missing.
    qint64 llmLabelsEmpty = 0;
    /// Scores given as JSON strings ("4", "4.0", "NaN") and read as numbers (benchmark layout).
    qint64 scoresFromStrings = 0;
    /// Labels that name no category of the protocol: the label is skipped and reported,
    /// its item and the row's other values stay (benchmark layout).
    qint64 labelsUnknown = 0;
    /// Human scores attached to more than one response because the item has several
    /// responses with the scored text (one extra per further response; benchmark layout).
    qint64 scoresOnIdenticalResponses = 0;
    /// `--align position`: score-file cells (`inputs`, `answer`) that did not match and were
    /// resolved by the row's position instead (each one is listed in ImportReport::aligned).
    qint64 cellsAlignedByPosition = 0;
};

/// How the benchmark importer ties a score-file row (human `*_scores_*` files) to its
/// item and scored response.
enum class ScoreAlignment {
    /// The row's position gives the item, checked by `inputs`; `answer` must equal the text
    /// of one of the item's responses (the default).
    Content,
    /// Trust the row's position: a mismatching `inputs` cell still means the item at that
    /// position, and an `answer` cell that matches no response means the response that the
    /// other score files' rows at that position name (or the item's only response). Every
    /// such cell is reported.
    Position,
};

struct ImportOptions {
    ImportFormat format = ImportFormat::Auto;
    /// Import the valid rows and report (and store) every skipped one.
    bool skipInvalid = false;
    /// Stop collecting after this many errors (the import fails either way). Default: all.
    int maxErrors = std::numeric_limits<int>::max();
    /// Benchmark layout: the split of the items of every dataset file of the import (empty:
    /// derived from the file name: a `test`, `val`/`validation`, `dev` or `train` part).
    QString split;
    /// Benchmark layout: how score-file rows are tied to their responses.
    ScoreAlignment alignment = ScoreAlignment::Content;
    /// Called now and then with bytes read so far and the total size of all files.
    std::function<void(qint64 done, qint64 total)> progress;
};

struct ImportReport {
    ImportCounts counts;
    QList<ImportIssue> errors;
    QList<ImportIssue> skipped;
    /// Benchmark layout: files not imported, each "PATH: why".
    QStringList skippedFiles;
    /// Benchmark layout: "MODEL: N run(s)" per model with responses in the files.
    QStringList modelRuns;
    /// Benchmark layout: other things the user should know (reference labels...).
    QStringList notices;
    /// Benchmark layout: separate judge-run files and the run each became, as
    /// {judge, model, dataset, answers_timestamp, evaluation_timestamp, run}; kept in
    /// the import's summary so that a later import numbers further runs after them.
    QList<QJsonObject> judgeRuns;
    /// Benchmark layout, `--align position`: every score-file cell that did not match, as
    /// FILE:LINE:[INDEX].FIELD and how the row was placed instead.
    QList<ImportIssue> aligned;

    /// What the user should know beyond the counts, one line each: models × runs,
    /// missing scores and labels, how many files were skipped, the notices.
    QStringList details() const;
};

/// Imports the app's own JSONL/CSV formats (FORMATS.md §1) into a study; the
/// published benchmark layout (§2) is handed to BenchmarkImporter: with
/// ImportFormat::Benchmark, or with Auto when a path is a folder or a JSON array.
///
/// All files are imported in one transaction: on any error nothing changes.
/// Streaming (bounded memory), prepared statements. Re-importing the same rows is
/// a no-op; a row that contradicts what the study holds (same item id with other
/// text, same rater's label with another value...) is an error, never an overwrite.
class Importer final {
public:
    explicit Importer(Study &study)
        : m_study(study)
    {
    }

    /// Returns true when everything was imported (or, with skipInvalid, the valid
    /// rows were). On false, `report->errors` lists input problems (ErrorKind
    /// InvalidInput) or `error` describes a storage failure.
    bool run(
        const QStringList &files, const ImportOptions &options, ImportReport *report, Error *error);

    /// Parses a --format value ("auto", "jsonl", "csv", "benchmark").
    static std::optional<ImportFormat> formatFromString(QStringView text);

private:
    Study &m_study;
};

} // namespace cr::storage
