#pragma once

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

/// What the title page states about the analysis.
struct ReportInfo {
    QString studyTitle;
    QString studyPath;
    QString protocol; ///< name and version
    QString protocolHash;
    QStringList raters; ///< pseudonyms
    QString raterSelection;
    double harmThreshold = 2.0;
    QString filters; ///< human-readable, empty = none
    QString confusion; ///< "A vs B"
    int bootstrap = 0;
    quint64 seed = 1;
};

/// Writes the dashboard as a PDF (A4 landscape, vector): a title page, then per
/// chart a page with the chart and the table behind it (continued on further pages
/// when long), page numbers in the footer. `progress(done, total)` is called per
/// chart. GUI thread (charts are widgets). Returns false with `error` set on failure.
bool writePdfReport(const QString &path, const ReportInfo &info,
    const QList<widgets::DashboardChart *> &charts, QString *error,
    const std::function<void(int, int)> &progress = {});

/// Score level names 1..5 of the study's current protocol.
QStringList levelNames(storage::Study &study);
/// "category: a, b; model: …; split: …; from …; to …" or empty when nothing is filtered.
QString describeFilter(const stats::StatsOptions &options);

/// The whole report for `study`: title page from the study and `options`, charts
/// built from `stats` (computeStats() with the same options) with raters shown as
/// pseudonyms. GUI thread (creates hidden chart widgets).
bool writeStudyReport(storage::Study &study, const stats::StatsOptions &options,
    const stats::StatsResult &stats, const QString &path, QString *error,
    const std::function<void(int, int)> &progress = {});

} // namespace cr::report
