#include "report/pdfreport.h"

#include "report/dashboarddata.h"
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

/// A chart drawn at `scale` times its logical size (1000 × 560) on white.
QImage chartImage(const widgets::DashboardChart *chart, qreal scale)
{
    const QSizeF logical(1000, 560);
    QImage image((logical * scale).toSize(), QImage::Format_RGB32);
    image.fill(Qt::white);
    image.setDevicePixelRatio(scale);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    chart->render(&painter, QRectF(QPointF(0, 0), logical));
    painter.end();
    return image;
}

QByteArray chartSvg(const widgets::DashboardChart *chart)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(1000, 560));
    svg.setViewBox(QRect(0, 0, 1000, 560));
    svg.setTitle(chart->title());
    QPainter painter(&svg);
    painter.fillRect(QRectF(0, 0, 1000, 560), Qt::white);
    chart->render(&painter, QRectF(0, 0, 1000, 560));
    painter.end();
    return buffer.data();
}

/// The image format of the first image in `block`, and its fragment's position.
std::optional<std::pair<QTextImageFormat, int>> imageOf(const QTextBlock &block)
{
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment f = it.fragment();
        if (f.charFormat().isImageFormat())
            return std::pair(f.charFormat().toImageFormat(), f.position());
    }
    return std::nullopt;
}

/// Pagination the HTML subset cannot ask for: a heading that would end a page moves to the
/// next one with what follows (keep with next), and a chart that would leave most of a page
/// empty shrinks to fit the space left (down to 60% of its size). `line`: a text line's height.
void keepTogether(QTextDocument *doc, qreal line)
{
    constexpr int kMoved = QTextFormat::UserProperty + 1;
    const qreal pageHeight = doc->pageSize().height();
    QAbstractTextDocumentLayout *layout = doc->documentLayout();
    auto pageEnd = [&](qreal y) { return (std::floor(y / pageHeight) + 1) * pageHeight; };
    for (int pass = 0; pass < 8; ++pass) {
        bool changed = false;
        QTextBlock previous;
        for (QTextBlock b = doc->begin(); b.isValid() && !changed; previous = b, b = b.next()) {
            if (QTextCursor(b).currentTable())
                continue; // inside a table: the table paginates itself
            const QRectF r = layout->blockBoundingRect(b);
            if (b.blockFormat().headingLevel() > 0 && !b.blockFormat().hasProperty(kMoved)) {
                const QTextBlock next = b.next();
                qreal needed = 4 * line;
                if (next.isValid())
                    if (const auto image = imageOf(next))
                        needed = std::max(needed, image->first.height() * 0.6);
                const bool pageTop = r.top() <= pageEnd(r.top()) - pageHeight + line;
                if (!pageTop && pageEnd(r.top()) - r.bottom() < needed) {
                    // A top margin down to the next page (a page-break policy here made
                    // Qt 6.4 drop the rest of the document's root-frame blocks when drawing).
                    QTextBlockFormat f = b.blockFormat();
                    f.setTopMargin(f.topMargin() + pageEnd(r.top()) - r.top());
                    f.setProperty(kMoved, true);
                    QTextCursor(b).setBlockFormat(f);
                    changed = true;
                }
                continue;
            }
            const auto image = imageOf(b);
            if (!image || !previous.isValid() || QTextCursor(previous).currentTable())
                continue;
            const QRectF before = layout->blockBoundingRect(previous);
            const qreal left = pageEnd(before.top()) - before.bottom() - line;
            const qreal height = image->first.height();
            if (r.top() >= pageEnd(before.top()) && left >= 0.6 * height && left < height) {
                QTextImageFormat f = image->first;
                f.setHeight(left);
                f.setWidth(image->first.width() * left / height);
                QTextCursor c(doc);
                c.setPosition(image->second);
                c.setPosition(image->second + 1, QTextCursor::KeepAnchor);
                c.setCharFormat(f);
                changed = true;
            }
        }
        // Lay the whole document out again: Qt 6.4's incremental relayout after a format
        // change leaves later root-frame blocks out of the drawing.
        doc->markContentsDirty(0, doc->characterCount());
        if (!changed)
            return;
    }
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
        doc.addResource(QTextDocument::ImageResource, QUrl(name),
            chartImage(chart, 3.0)); // 3000 px across the text width: about 300 dpi
        list.append(
            { chart->property("reportKey").toString(), chart->title(), captionOf(chart), name });
        if (progress)
            progress(++done, int(charts.size()));
    }
    QString body = reportBody(stats, info, categoryNames, list);
    // Images fill the text width (the page is laid out in the writer's pixels).
    const int imageWidth = int(page.width());
    body.replace(QStringLiteral("width=\"660\" height=\"370\""),
        QStringLiteral("width=\"%1\" height=\"%2\"").arg(imageWidth).arg(imageWidth * 56 / 100));
    doc.setHtml(QStringLiteral("<html><body>") + body + QStringLiteral("</body></html>"));

    keepTogether(&doc, QFontMetricsF(font, &writer).height());

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
        list.append({ chart->property("reportKey").toString(), chart->title(), captionOf(chart),
            QStringLiteral("data:image/svg+xml;base64,")
                + QString::fromLatin1(chartSvg(chart).toBase64()) });
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
    const DashboardCharts charts = DashboardCharts::create(&host);
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
