#pragma once

#include "storage/error.h"
#include "storage/exportfilter.h"

#include <QIODevice>
#include <QJsonObject>
#include <functional>
#include <optional>

namespace cr::storage {

class Study;

/// Bundle: one rater's labels and ratings as ratings JSONL (FORMATS.md §1) with the
/// real rater name, for `crisis-review import` into a master study.
enum class ExportFormat { LongCsv, WideCsv, Jsonl, Bundle };

struct ExportOptions {
    ExportFormat format = ExportFormat::LongCsv;
    /// Harm flag in the labelled set: consensus score <= threshold.
    double harmThreshold = 2.0;
    /// Which rows (see ExportFilters); recorded in the manifest.
    ExportFilters filters;
    /// Rater names instead of pseudonyms (default pseudonymous).
    bool realNames = false;
    /// CSV: write text cells as they are. By default a text cell (ids, names, labels,
    /// rationale, dates; never a numeric column) that begins with =, +, -, @, a tab or a
    /// carriage return, or with the quote ' itself, gets a ' in front, so that a
    /// spreadsheet shows it as text instead of running it as a formula
    /// (neutraliseCsvCell); the CSV importer takes that ' off again.
    bool rawCells = false;
    /// Bundle: the rater whose ratings are written.
    QString bundleRater;
    /// Called now and then with rows written so far and the total expected.
    std::function<void(qint64 done, qint64 total)> progress;
};

/// A text cell of a CSV export as a spreadsheet may open it: `cell` with a ' in front
/// when it begins with =, +, -, @, a tab, a carriage return or ' (else unchanged).
QByteArray neutraliseCsvCell(QByteArrayView cell);
/// The inverse, applied by the CSV importer to every cell it reads: a ' followed by one
/// of those characters loses the '; any other cell is unchanged.
QByteArray restoreCsvCell(QByteArrayView cell);

/// Writes a study's ratings in the formats of FORMATS.md §1. Raters appear under
/// their pseudonyms unless realNames is set. Streaming: memory does not grow with
/// the rows written (the filters keep per-item/per-response lookups).
class Exporter final {
public:
    explicit Exporter(Study &study)
        : m_study(study)
    {
    }

    /// Writes the export to `out`; returns the number of data rows, or -1 with `error` set.
    qint64 write(QIODevice &out, const ExportOptions &options, Error *error);
    /// Writes the export to `path` (through a temporary file renamed at the end: never a
    /// half-written export) and its manifest beside it as `<base>.manifest.json`.
    /// Returns the number of data rows, or -1 with `error` set (file name and reason).
    qint64 writeFile(const QString &path, const ExportOptions &options, Error *error,
        QString *manifestPath = nullptr);
    /// The manifest's path for an export written to `path`.
    static QString manifestPathFor(const QString &path);
    /// What manifest.json records: protocol version/hash, rater pseudonyms, thresholds,
    /// the app version, format and row count.
    QJsonObject manifest(const ExportOptions &options, qint64 rows) const;

    static std::optional<ExportFormat> formatFromString(QStringView text);
    static QString toString(ExportFormat format);

private:
    qint64 writeLongCsv(QIODevice &out, const ExportOptions &options, Error *error);
    qint64 writeWideCsv(QIODevice &out, const ExportOptions &options, Error *error);
    qint64 writeJsonl(QIODevice &out, const ExportOptions &options, Error *error);
    qint64 writeBundle(
        QIODevice &out, const ExportOptions &options, Error *error); // bundleexport.cpp

    Study &m_study;
};

} // namespace cr::storage
