#include "report/pdfreport.h"

#include "report/dashboarddata.h"
#include "report/paginate.h"
#include "stats/stats.h"
#include "storage/files.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "widgets/dashboardchart.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QPageLayout>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextTable>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <optional>

namespace cr::report {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cr::report::PdfReport", text);
}

/// The key of a chart in the report body, by its type.
QString chartKey(const DashboardCharts &charts, const widgets::DashboardChart *chart)
{
    const QList<std::pair<const widgets::DashboardChart *, const char *>> keys {
        { charts.harm, "harm" }, { charts.distribution, "distribution" },
        { charts.modelCategory, "category" }, { charts.agreement, "agreement" },
        { charts.confusion, "confusion" }, { charts.llm, "llm" }
    };
    for (const auto &[c, key] : keys)
        if (c == chart)
            return QLatin1String(key);
    return {};
}

/// The logical size a chart is drawn at in the report: 1000 wide, 560 high or as high
/// as its content asks (the LLM tables grow with their rows).
QSize chartSize(const widgets::DashboardChart *chart)
{
    return QSize(1000, std::clamp(chart->minimumHeight(), 560, 1600));
}

/// The height of `image` down to its last row that is not white, plus a margin.
int contentHeight(const QImage &image, int margin)
{
    for (int y = image.height() - 1; y >= 0; --y) {
        const auto *row = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); x += 2)
            if ((row[x] & 0xffffff) != 0xffffff)
                return std::min(image.height(), y + 1 + margin);
    }
    return image.height();
}

/// A chart drawn at `scale` times its logical size on white, cut below its content (a
/// heatmap or a table of few rows leaves most of the chart's area empty).
QImage chartImage(const widgets::DashboardChart *chart, qreal scale)
{
    const QSizeF logical(chartSize(chart));
    QImage image((logical * scale).toSize(), QImage::Format_RGB32);
    image.fill(Qt::white);
    image.setDevicePixelRatio(scale);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    chart->render(&painter, QRectF(QPointF(0, 0), logical));
    painter.end();
    const QImage cropped = image.copy(0, 0, image.width(), contentHeight(image, int(12 * scale)));
    QImage out = cropped;
    out.setDevicePixelRatio(scale);
    return out;
}

/// The chart as SVG, its view box cut below its content like chartImage(); `aspect` gets
/// the drawing's height / width.
QByteArray chartSvg(const widgets::DashboardChart *chart, qreal *aspect)
{
    const QSize logical = chartSize(chart);
    const int height = chartImage(chart, 1.0).height();
    *aspect = qreal(height) / logical.width();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(logical.width(), height));
    svg.setViewBox(QRect(0, 0, logical.width(), height));
    svg.setTitle(chart->title());
    QPainter painter(&svg);
    painter.fillRect(QRectF(0, 0, logical.width(), height), Qt::white);
    painter.setClipRect(QRectF(0, 0, logical.width(), height));
    chart->render(&painter, QRectF(QPointF(0, 0), QSizeF(logical)));
    painter.end();
    return buffer.data();
}

QString captionOf(const widgets::DashboardChart *chart)
{
    QString c = chart->sampleSize();
    if (!chart->explanation().isEmpty())
        c += (c.isEmpty() ? QString() : QStringLiteral(". ")) + chart->explanation();
    return c;
}

} // namespace

bool writePdfReport(const QString &path, const ReportInfo &info, const stats::StatsResult &stats,
    const QHash<QString, QString> &categoryNames, const QList<widgets::DashboardChart *> &charts,
    QString *error, const std::function<void(int, int)> &progress)
{
    // Owner-only from the first byte, and never half-written: a QSaveFile under the writer.
    QSaveFile file(path);
    if (!storage::openOwnerOnly(file, error))
        return false;
    QPdfWriter writer(&file);
    writer.setResolution(96);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
        QMarginsF(16, 16, 16, 14), QPageLayout::Millimeter));
    writer.setTitle(tr("Crisis Review report: %1").arg(info.studyTitle));
    writer.setCreator(QStringLiteral("Crisis Review " CR_VERSION));

    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer);
    doc.setDefaultStyleSheet(reportStyleSheet(false));
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    doc.setDefaultFont(font);
    const QRectF page(QPointF(0, 0), QSizeF(writer.width(), writer.height()));
    const qreal footer = QFontMetricsF(font, &writer).height() * 2;
    doc.setPageSize(QSizeF(page.width(), page.height() - footer));
    doc.setDocumentMargin(0);

    QList<ReportChart> list;
    int done = 0;
    for (const widgets::DashboardChart *chart : charts) {
        const QString name = QStringLiteral("chart%1.png").arg(list.size());
        // 3000 px across the text width: about 300 dpi.
        const QImage image = chartImage(chart, 3.0);
        doc.addResource(QTextDocument::ImageResource, QUrl(name), image);
        list.append({ chart->property("reportKey").toString(), chart->title(), captionOf(chart),
            name, qreal(image.height()) / image.width() });
        if (progress)
            progress(++done, int(charts.size()));
    }
    QString body = reportBody(stats, info, categoryNames, list);
    // Images fill the text width (the page is laid out in the writer's pixels).
    const qreal imageWidth = page.width();
    for (const ReportChart &c : std::as_const(list))
        body.replace(QStringLiteral("src=\"%1\" width=\"%2\" height=\"%3\"")
                         .arg(c.source)
                         .arg(kChartWidth)
                         .arg(qRound(kChartWidth * c.aspect)),
            QStringLiteral("src=\"%1\" width=\"%2\" height=\"%3\"")
                .arg(c.source)
                .arg(qRound(imageWidth))
                .arg(qRound(imageWidth * c.aspect)));
    // QTextDocument keeps no trace of <dt>/<dd> (nor indents the definition): each term
    // and its definition become one paragraph, which paginate() keeps on one page.
    static const QRegularExpression definition(QStringLiteral("<dt>(.*?)</dt><dd>(.*?)</dd>"));
    body.replace(definition, QStringLiteral("<p class=\"definition\"><b>\\1</b><br>\\2</p>"));
    doc.setHtml(QStringLiteral("<html><body>") + body + QStringLiteral("</body></html>"));

    paginate(&doc, QFontMetricsF(font, &writer).height());
    QPainter painter;
    if (!painter.begin(&writer)) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    const int pages = doc.pageCount();
    const qreal pageHeight = doc.pageSize().height();
    for (int p = 0; p < pages; ++p) {
        if (p > 0 && !writer.newPage()) {
            *error = tr("cannot add a page to %1").arg(path);
            return false;
        }
        painter.save();
        painter.translate(0, -p * pageHeight);
        const QRectF clip(0, p * pageHeight, page.width(), pageHeight);
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = clip;
        context.palette.setColor(QPalette::Text, Qt::black);
        painter.setClipRect(clip);
        doc.documentLayout()->draw(&painter, context);
        painter.restore();
        painter.save();
        QFont small = font;
        small.setPointSizeF(8);
        painter.setFont(small);
        painter.setPen(Qt::darkGray);
        const QRectF foot(0, page.height() - footer, page.width(), footer);
        painter.drawText(foot, Qt::AlignLeft | Qt::AlignBottom,
            info.studyTitle.isEmpty() ? tr("Crisis Review report") : info.studyTitle);
        painter.drawText(
            foot, Qt::AlignRight | Qt::AlignBottom, tr("Page %1 of %2").arg(p + 1).arg(pages));
        painter.restore();
    }
    if (!painter.end() || !file.commit()) {
        *error = tr("cannot finish %1").arg(path);
        return false;
    }
    return true;
}

bool writeHtmlReport(const QString &path, const ReportInfo &info, const stats::StatsResult &stats,
    const QHash<QString, QString> &categoryNames, const QList<widgets::DashboardChart *> &charts,
    QString *error, const std::function<void(int, int)> &progress)
{
    QList<ReportChart> list;
    int done = 0;
    for (const widgets::DashboardChart *chart : charts) {
        qreal aspect = 0.56;
        const QByteArray svg = chartSvg(chart, &aspect);
        list.append({ chart->property("reportKey").toString(), chart->title(), captionOf(chart),
            QStringLiteral("data:image/svg+xml;base64,") + QString::fromLatin1(svg.toBase64()),
            aspect });
        if (progress)
            progress(++done, int(charts.size()));
    }
    const QString html =
        QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                       "charset=\"utf-8\"><title>%1</title><style>%2</style>"
                       "</head><body>\n%3\n</body></html>\n")
            .arg(tr("Crisis Review report: %1").arg(info.studyTitle).toHtmlEscaped(),
                reportStyleSheet(true), reportBody(stats, info, categoryNames, list));
    QSaveFile file(path);
    if (!storage::openOwnerOnly(file, error))
        return false;
    file.write(html.toUtf8());
    if (!file.commit()) {
        *error = tr("cannot finish %1").arg(path);
        return false;
    }
    return true;
}

QStringList levelNames(storage::Study &study)
{
    QStringList names;
    for (const auto &level : study.currentProtocol().levels)
        names.append(level.name);
    return names;
}

QString describeFilter(const stats::StatsOptions &options)
{
    const storage::RatingFilter &f = options.filter;
    QStringList parts;
    if (!f.categories.isEmpty())
        parts.append(tr("category: %1").arg(f.categories.join(QStringLiteral(", "))));
    if (!f.models.isEmpty())
        parts.append(tr("model: %1").arg(f.models.join(QStringLiteral(", "))));
    if (!f.splits.isEmpty())
        parts.append(tr("split: %1").arg(f.splits.join(QStringLiteral(", "))));
    if (!f.datasets.isEmpty())
        parts.append(tr("dataset: %1").arg(f.datasets.join(QStringLiteral(", "))));
    if (!f.from.isNull())
        parts.append(tr("rated from %1").arg(f.from.toString(Qt::ISODate)));
    if (!f.to.isNull())
        parts.append(tr("rated to %1").arg(f.to.toString(Qt::ISODate)));
    return parts.join(QStringLiteral("; "));
}

bool writeStudyReport(storage::Study &study, const stats::StatsOptions &options,
    const stats::StatsResult &stats, const QString &path, QString *error,
    const std::function<void(int, int)> &progress)
{
    QHash<QString, QString> pseudonyms;
    for (const storage::Rater &r : storage::RaterRepository(study).all())
        pseudonyms.insert(r.name, r.pseudonym);
    const stats::StatsResult doc = pseudonymised(stats, pseudonyms);
    QStringList raters;
    for (const QStringList *section : { &doc.categoryAgreement.raters, &doc.scoreAgreement.raters })
        for (const QString &name : *section)
            if (!raters.contains(name))
                raters.append(name);

    const protocol::Protocol protocol = study.currentProtocol();
    ReportInfo info;
    info.studyTitle = study.title();
    info.studyPath = study.path();
    info.protocol = protocol.name + QLatin1Char(' ') + protocol.version;
    info.protocolHash = protocol.contentHash();
    info.raters = raters;
    info.raterSelection = doc.raterSelection;
    info.harmThreshold = options.harmThreshold;
    info.filters = describeFilter(options);
    info.confusion = !doc.confusion ? tr("not computed")
                                    : tr("%1 (reference) vs %2 (predicted)")
                                          .arg(doc.confusion->reference, doc.confusion->predicted);
    info.bootstrap = options.bootstrap;
    info.seed = options.seed;
    info.generated = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    info.version = QStringLiteral(CR_VERSION);
    QHash<QString, QString> categoryNames;
    for (const protocol::Category &c : protocol.categories)
        categoryNames.insert(c.id, c.name);

    QWidget host;
    host.setAttribute(Qt::WA_DontShowOnScreen);
    // Paper is white whatever the screen theme.
    QPalette paper = host.palette();
    paper.setColor(QPalette::Window, Qt::white);
    paper.setColor(QPalette::Base, Qt::white);
    paper.setColor(QPalette::WindowText, Qt::black);
    paper.setColor(QPalette::Text, Qt::black);
    paper.setColor(QPalette::Mid, QColor(0xb0, 0xb0, 0xb0));
    host.setPalette(paper);
    host.resize(1000, 560);
    DashboardCharts charts = DashboardCharts::create(&host);
    charts.categoryNames = categoryNames; // the protocol's names, never the ids
    for (widgets::DashboardChart *chart : charts.all()) {
        chart->resize(1000, 560);
        chart->setProperty("reportKey", chartKey(charts, chart));
    }
    charts.populate(doc, levelNames(study), true);
    // The report shows a chart only where it has something to show.
    QList<widgets::DashboardChart *> shown;
    for (widgets::DashboardChart *chart : charts.all()) {
        if (chart == charts.confusion && (!doc.confusion || doc.confusion->n == 0))
            continue;
        if (chart == charts.llm && doc.llmVsHuman.categories.isEmpty()
            && doc.llmVsHuman.scores.isEmpty())
            continue;
        shown.append(chart);
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return writeHtmlReport(path, info, doc, categoryNames, shown, error, progress);
    return writePdfReport(path, info, doc, categoryNames, shown, error, progress);
}

} // namespace cr::report
