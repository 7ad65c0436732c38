#include "report/pdfreport.h"

#include "report/dashboarddata.h"
#include "stats/stats.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "widgets/dashboardchart.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QPageLayout>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <algorithm>

namespace cr::report {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cr::report::PdfReport", text);
}

class PageWriter {
public:
    PageWriter(QPdfWriter *writer, QPainter *painter)
        : m_writer(writer)
        , m_painter(painter)
    {
        m_page = QRectF(QPointF(0, 0), QSizeF(writer->width(), writer->height()));
        m_body = m_page.adjusted(0, 0, 0, -QFontMetricsF(painter->font(), writer).height() * 2);
    }
    QRectF body() const { return m_body; }
    void footer()
    {
        ++m_number;
        m_painter->save();
        m_painter->setPen(Qt::darkGray);
        m_painter->drawText(QRectF(m_page.left(), m_body.bottom(), m_page.width(),
                                m_page.bottom() - m_body.bottom()),
            Qt::AlignRight | Qt::AlignBottom, tr("Page %1").arg(m_number));
        m_painter->restore();
    }
    bool newPage()
    {
        footer();
        return m_writer->newPage();
    }
    int pages() const { return m_number; }

private:
    QPdfWriter *m_writer;
    QPainter *m_painter;
    QRectF m_page;
    QRectF m_body;
    int m_number = 0;
};

/// Draws rows of `table` from `first` downward in `area`; returns the index of the first row that
/// did not fit.
int drawTable(QPainter *painter, const QRectF &area, const widgets::ChartTable &table, int first)
{
    const QFontMetricsF fm(painter->font(), painter->device());
    const qreal rowHeight = fm.height() * 1.25;
    const int columns = int(table.header.size());
    if (columns == 0)
        return int(table.rows.size());
    // Column widths by content, scaled to the area.
    std::vector<qreal> widths(std::size_t(columns), 0);
    auto measure = [&](const QStringList &row) {
        for (int c = 0; c < columns && c < row.size(); ++c)
            widths[std::size_t(c)] =
                std::max(widths[std::size_t(c)], fm.horizontalAdvance(row[c]) + fm.height());
    };
    measure(table.header);
    for (const QStringList &row : table.rows)
        measure(row);
    qreal total = 0;
    for (const qreal w : widths)
        total += w;
    const qreal scale = total > area.width() ? area.width() / total : 1.0;
    auto drawRow = [&](const QStringList &row, qreal y, bool bold) {
        QFont f = painter->font();
        f.setBold(bold);
        painter->setFont(f);
        qreal x = area.left();
        for (int c = 0; c < columns; ++c) {
            const qreal w = widths[std::size_t(c)] * scale;
            painter->drawText(QRectF(x, y, w - 4, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(row.value(c), Qt::ElideRight, w - 6));
            x += w;
        }
        f.setBold(false);
        painter->setFont(f);
    };
    qreal y = area.top();
    drawRow(table.header, y, true);
    y += rowHeight;
    painter->drawLine(QPointF(area.left(), y), QPointF(area.left() + total * scale, y));
    int r = first;
    for (; r < table.rows.size() && y + rowHeight <= area.bottom(); ++r, y += rowHeight)
        drawRow(table.rows[r], y, false);
    return r;
}

} // namespace

bool writePdfReport(const QString &path, const ReportInfo &info,
    const QList<widgets::DashboardChart *> &charts, QString *error,
    const std::function<void(int, int)> &progress)
{
    QPdfWriter writer(path);
    writer.setResolution(96);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
        QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    writer.setTitle(tr("Crisis Review report: %1").arg(info.studyTitle));
    writer.setCreator(QStringLiteral("Crisis Review " CR_VERSION));
    QPainter painter;
    if (!painter.begin(&writer)) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    QFont base = charts.isEmpty() ? QFont() : charts.first()->font();
    base.setPointSizeF(9);
    painter.setFont(base);
    PageWriter pages(&writer, &painter);

    // Title page.
    QRectF body = pages.body();
    QFont titleFont = base;
    titleFont.setPointSizeF(22);
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.drawText(QRectF(body.left(), body.top() + 40, body.width(), 60),
        Qt::AlignLeft | Qt::AlignVCenter,
        info.studyTitle.isEmpty() ? tr("Crisis Review study") : info.studyTitle);
    QFont textFont = base;
    textFont.setPointSizeF(11);
    painter.setFont(textFont);
    const QList<std::pair<QString, QString>> lines {
        { tr("Report"), tr("Agreement, harm rates and category confusion") },
        { tr("Study file"), QFileInfo(info.studyPath).fileName() },
        { tr("Protocol"), info.protocol },
        { tr("Protocol hash"), info.protocolHash },
        { tr("Raters (pseudonyms)"),
            info.raters.isEmpty() ? tr("none") : info.raters.join(QStringLiteral(", ")) },
        { tr("Rater selection"), info.raterSelection },
        { tr("Harm threshold"), tr("consensus score ≤ %1").arg(info.harmThreshold) },
        { tr("Filters"), info.filters.isEmpty() ? tr("none") : info.filters },
        { tr("Confusion"), info.confusion },
        { tr("Bootstrap"), tr("%1 replicates, seed %2").arg(info.bootstrap).arg(info.seed) },
        { tr("Generated"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) },
        { tr("App version"), QStringLiteral(CR_VERSION) },
    };
    const qreal lineHeight = QFontMetricsF(textFont, &writer).height() * 1.5;
    qreal y = body.top() + 130;
    for (const auto &[label, value] : lines) {
        painter.drawText(
            QRectF(body.left(), y, 220, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, label);
        painter.drawText(QRectF(body.left() + 230, y, body.width() - 230, lineHeight),
            Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, value);
        y += lineHeight;
    }
    painter.setFont(base);

    int done = 0;
    for (widgets::DashboardChart *chart : charts) {
        if (!pages.newPage()) {
            *error = tr("cannot add a page to %1").arg(path);
            return false;
        }
        body = pages.body();
        const qreal chartHeight = body.height() * 0.68;
        chart->render(&painter, QRectF(body.left(), body.top(), body.width(), chartHeight));
        const widgets::ChartTable table = chart->table();
        int next = drawTable(&painter,
            QRectF(body.left(), body.top() + chartHeight + 10, body.width(),
                body.height() - chartHeight - 10),
            table, 0);
        while (next < table.rows.size()) {
            if (!pages.newPage()) {
                *error = tr("cannot add a page to %1").arg(path);
                return false;
            }
            painter.drawText(QRectF(body.left(), body.top(), body.width(), 24),
                Qt::AlignLeft | Qt::AlignVCenter, tr("%1 (table, continued)").arg(chart->title()));
            next = drawTable(&painter, pages.body().adjusted(0, 30, 0, 0), table, next);
        }
        if (progress)
            progress(++done, int(charts.size()));
    }
    pages.footer();
    if (!painter.end()) {
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
    host.resize(1100, 700);
    const DashboardCharts charts = DashboardCharts::create(&host);
    for (widgets::DashboardChart *chart : charts.all())
        chart->resize(1100, 700);
    charts.populate(doc, levelNames(study), true);
    return writePdfReport(path, info, charts.all(), error, progress);
}

} // namespace cr::report
