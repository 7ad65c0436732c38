#pragma once

#include "report/reportdocument.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace cr::widgets {
class DashboardChart;
}
namespace cr::storage {
class Study;
}
namespace cr::stats {
struct StatsOptions;
struct StatsResult;
} // namespace cr::stats

namespace cr::report {

/// Writes the report (reportBody()) as a PDF: A4 portrait, flowing text and tables
/// (header rows repeated when a table continues on the next page), charts as images at
/// 300 dpi, page numbers in the footer. `charts` are rendered with their titles.
/// `progress(done, total)` is called per chart. GUI thread (charts are widgets).
/// Returns false with `error` set on failure.
bool writePdfReport(const QString &path, const ReportInfo &info, const stats::StatsResult &stats,
    const QHash<QString, QString> &categoryNames, const QList<widgets::DashboardChart *> &charts,
    QString *error, const std::function<void(int, int)> &progress = {});

/// The same report as one self-contained HTML page (inline CSS, charts as inline SVG
/// data), written owner-only and atomically.
bool writeHtmlReport(const QString &path, const ReportInfo &info, const stats::StatsResult &stats,
    const QHash<QString, QString> &categoryNames, const QList<widgets::DashboardChart *> &charts,
    QString *error, const std::function<void(int, int)> &progress = {});

/// Score level names 1..5 of the study's current protocol.
QStringList levelNames(storage::Study &study);
/// "category: a, b; model: …; split: …; from …; to …" or empty when nothing is filtered.
QString describeFilter(const stats::StatsOptions &options);

/// The whole report for `study`: appendix from the study and `options`, charts
/// built from `stats` (computeStats() with the same options) with raters shown as
/// pseudonyms; HTML when `path` ends in .html or .htm, else PDF. GUI thread (creates
/// hidden chart widgets).
bool writeStudyReport(storage::Study &study, const stats::StatsOptions &options,
    const stats::StatsResult &stats, const QString &path, QString *error,
    const std::function<void(int, int)> &progress = {});

} // namespace cr::report
