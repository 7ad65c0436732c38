#pragma once

#include "stats/results.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace cr::report {

/// What the report states about how it was made (the appendix).
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
    QString generated; ///< ISO date-time (UTC)
    QString version; ///< app version
};

/// The width of a chart in the report body's markup (CSS pixels of the HTML page; the PDF
/// widens it to the text width).
inline constexpr int kChartWidth = 660;

/// A chart of the report: its title, what it shows, and where its image is.
struct ReportChart {
    QString key; ///< "harm", "category", "agreement", "distribution", "llm", "confusion"
    QString title;
    QString caption;
    QString source; ///< the <img src> (a data: URI in HTML, a resource name in the PDF)
    qreal aspect = 0.56; ///< height / width of the image (charts are cropped to their content)
};

/// The report's content as HTML body markup (issue 21): a first page of findings
/// (harm rate per model with its 95% interval and n, the worst model × category cells,
/// agreement with intervals and a plain-words reading, LLM raters against the
/// clinicians), formatted tables (protocol category names, rates in %, intervals as
/// [lo, hi]), the charts, planning, and an appendix (protocol, filters, raters as
/// pseudonyms, definitions of every number). `stats` should already carry
/// pseudonyms; `categoryNames` maps protocol category ids to their names.
/// The same body serves the PDF (QTextDocument) and the self-contained HTML page.
QString reportBody(const stats::StatsResult &stats, const ReportInfo &info,
    const QHash<QString, QString> &categoryNames, const QList<ReportChart> &charts);

/// The style sheet of the PDF (QTextDocument's HTML subset) or of the HTML page.
QString reportStyleSheet(bool browser);

/// "12.3%" (1 decimal) of a share; "—" when undefined.
QString percent(const stats::Value &v);
/// A plain-words reading of a chance-corrected agreement coefficient: Landis & Koch
/// (1977) bands for kappa-type coefficients ("moderate"), Krippendorff (2004) for alpha.
QString reading(double value, bool alpha);

} // namespace cr::report
