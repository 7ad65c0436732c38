#include "widgets/llmcomparisonpanel.h"

#include "widgets/chartpalette.h"
#include "widgets/heatmapchart.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace cr::widgets {

namespace {

constexpr qreal kRowLines = 1.7; // row height in font heights
constexpr qreal kGapLines = 0.7; // space between tables
constexpr qreal kLegendLines = 2.0;

QString formatted(double v, int decimals)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("—");
}

int lineCount(const QList<MetricTable> &tables, int *shown)
{
    int lines = 0;
    *shown = 0;
    for (const MetricTable &t : tables) {
        if (t.rows.isEmpty())
            continue;
        lines += 2 + int(t.rows.size()); // title, header, rows
        ++*shown;
    }
    return lines;
}

} // namespace

LlmComparisonPanel::LlmComparisonPanel(QWidget *parent)
    : DashboardChart(tr("LLM raters vs clinicians"), parent)
{
    setMouseTracking(true);
    setMinimumHeight(160);
}

void LlmComparisonPanel::setData(const QList<MetricTable> &tables, const QString &sampleSize,
    const QString &emptyMessage, const QString &explanation)
{
    m_tables = tables;
    m_emptyMessage = emptyMessage;
    m_hits.clear();
    setSampleSize(sampleSize);
    setExplanation(explanation);
    setMinimumHeight(preferredHeight());
    updateGeometry();
    update();
    emit contentChanged();
}

bool LlmComparisonPanel::isEmpty() const
{
    return std::none_of(
        m_tables.cbegin(), m_tables.cend(), [](const MetricTable &t) { return !t.rows.isEmpty(); });
}

int LlmComparisonPanel::preferredHeight() const
{
    const qreal h = QFontMetricsF(font()).height();
    if (isEmpty())
        return int(std::ceil(h * 5));
    int shown = 0;
    const int lines = lineCount(m_tables, &shown);
    return int(std::ceil(h * (lines * kRowLines + shown * kGapLines + kLegendLines) + 8));
}

ChartTable LlmComparisonPanel::table() const
{
    ChartTable t;
    t.header = QStringList { QStringLiteral("table"), QStringLiteral("llm"),
        QStringLiteral("reference"), QStringLiteral("n"), QStringLiteral("statistic"),
        QStringLiteral("value"), QStringLiteral("note") };
    for (const MetricTable &table : m_tables)
        for (const MetricRow &row : table.rows)
            for (int c = 0; c < table.columns.size(); ++c) {
                const double v = row.values[std::size_t(c)];
                t.rows.append(QStringList { table.key, row.rater, row.reference,
                    QString::number(row.n), table.columns[c].key,
                    std::isfinite(v) ? QString::number(v, 'g', 6) : QString(),
                    row.notes.value(c) });
            }
    return t;
}

/// Column widths and row height shared by the tables, so they line up.
struct LlmComparisonPanel::Geometry {
    qreal rater = 0;
    qreal reference = 0;
    qreal n = 0;
    qreal metric = 0;
    qreal row = 0;
    qreal metricsLeft = 0;
};

LlmComparisonPanel::Geometry LlmComparisonPanel::geometry(
    const QFontMetricsF &fm, const QRectF &target) const
{
    Geometry g;
    qsizetype metricColumns = 1;
    for (const MetricTable &t : m_tables) {
        if (t.rows.isEmpty())
            continue;
        g.rater = std::max(g.rater, fm.horizontalAdvance(t.raterTitle));
        g.reference = std::max(g.reference, fm.horizontalAdvance(t.referenceTitle));
        for (const MetricRow &r : t.rows) {
            g.rater = std::max(g.rater, fm.horizontalAdvance(r.rater));
            g.reference = std::max(g.reference, fm.horizontalAdvance(r.reference));
        }
        for (const MetricColumn &c : t.columns)
            g.metric = std::max(g.metric, fm.horizontalAdvance(c.title));
        metricColumns = std::max(metricColumns, t.columns.size());
    }
    const qreal pad = fm.height() * 0.8;
    g.rater = std::min(g.rater + pad, target.width() * 0.24);
    g.reference = std::min(g.reference + pad, target.width() * 0.2);
    g.n = fm.horizontalAdvance(QStringLiteral("00000")) + pad;
    const qreal room = (target.width() - g.rater - g.reference - g.n) / qreal(metricColumns);
    g.metric = std::min(room, std::max(g.metric + pad, fm.height() * 7));

    int shown = 0;
    const int lines = lineCount(m_tables, &shown);
    g.row = std::min(fm.height() * kRowLines,
        target.height() / (lines + shown * kGapLines / kRowLines + kLegendLines / kRowLines));
    g.metricsLeft = target.left() + g.rater + g.reference + g.n;
    return g;
}

void LlmComparisonPanel::paintTables(
    QPainter *painter, const QRectF &target, QList<Hit> *hits) const
{
    painter->save();
    painter->setFont(font());
    const QFontMetricsF fm(font(), painter->device());
    painter->setPen(palette().color(QPalette::WindowText));
    if (isEmpty()) {
        painter->drawText(target.adjusted(0, fm.height() * 0.5, 0, 0),
            Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_emptyMessage);
        painter->restore();
        return;
    }
    const Geometry g = geometry(fm, target);
    qreal y = target.top();
    for (const MetricTable &t : m_tables) {
        if (t.rows.isEmpty())
            continue;
        y = paintTable(painter, t, g, target, y, hits);
        y += fm.height() * kGapLines;
    }
    paintLegend(painter, target, y);
    painter->restore();
}

qreal LlmComparisonPanel::paintTable(QPainter *painter, const MetricTable &t, const Geometry &g,
    const QRectF &target, qreal y, QList<Hit> *hits) const
{
    const QFontMetricsF fm(font(), painter->device());
    const QColor text = palette().color(QPalette::WindowText);
    QFont bold = font();
    bold.setBold(true);
    auto cellText = [&](const QRectF &r, const QString &s, Qt::Alignment a) {
        painter->drawText(r.adjusted(4, 0, -4, 0), a | Qt::AlignVCenter,
            fm.elidedText(s, Qt::ElideRight, r.width() - 8));
    };
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(QRectF(target.left(), y, target.width(), g.row),
        Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(t.title, Qt::ElideRight, target.width()));
    y += g.row;
    painter->setFont(font());
    cellText(QRectF(target.left(), y, g.rater, g.row), t.raterTitle, Qt::AlignLeft);
    cellText(
        QRectF(target.left() + g.rater, y, g.reference, g.row), t.referenceTitle, Qt::AlignLeft);
    cellText(QRectF(target.left() + g.rater + g.reference, y, g.n, g.row), QStringLiteral("n"),
        Qt::AlignRight);
    for (int c = 0; c < t.columns.size(); ++c)
        cellText(QRectF(g.metricsLeft + c * g.metric, y, g.metric, g.row), t.columns[c].title,
            Qt::AlignHCenter);
    y += g.row;
    const qreal tableRight = g.metricsLeft + qreal(t.columns.size()) * g.metric;
    painter->drawLine(QPointF(target.left(), y), QPointF(tableRight, y));
    for (int r = 0; r < t.rows.size(); ++r, y += g.row) {
        const MetricRow &row = t.rows[r];
        const bool newGroup = r == 0 || t.rows[r - 1].rater != row.rater;
        painter->setPen(text);
        if (newGroup && r > 0) {
            QPen rule(palette().color(QPalette::Mid));
            painter->setPen(rule);
            painter->drawLine(QPointF(target.left(), y), QPointF(tableRight, y));
            painter->setPen(text);
        }
        if (newGroup)
            cellText(QRectF(target.left(), y, g.rater, g.row), row.rater, Qt::AlignLeft);
        cellText(
            QRectF(target.left() + g.rater, y, g.reference, g.row), row.reference, Qt::AlignLeft);
        cellText(QRectF(target.left() + g.rater + g.reference, y, g.n, g.row),
            QString::number(row.n), Qt::AlignRight);
        for (int c = 0; c < t.columns.size(); ++c) {
            const QRectF cell(g.metricsLeft + c * g.metric, y, g.metric, g.row);
            paintCell(painter, t, row, c, cell);
            cellText(cell, formatted(row.values[std::size_t(c)], t.columns[c].decimals),
                Qt::AlignHCenter);
            if (hits)
                hits->append({ cell, cellTip(t.columns[c], row, c) });
        }
    }
    return y;
}

void LlmComparisonPanel::paintCell(QPainter *painter, const MetricTable &t, const MetricRow &row,
    int column, const QRectF &cell) const
{
    const MetricColumn &c = t.columns[column];
    const double v = row.values[std::size_t(column)];
    const QRectF inner = cell.adjusted(1, 1, -1, -1);
    if (!std::isfinite(v) || row.n < t.minimumN) {
        paintMark(painter, inner, palette());
        painter->setPen(palette().color(QPalette::WindowText));
    } else {
        const double span = c.best - c.worst;
        const QColor fill = chartcolors::sequential(span != 0 ? (v - c.worst) / span : 0.5);
        painter->fillRect(inner, fill);
        painter->setPen(chartcolors::textOn(fill));
    }
}

QString LlmComparisonPanel::cellTip(const MetricColumn &c, const MetricRow &row, int column)
{
    QString tip =
        QStringLiteral("%1 vs %2 — %3: %4 (n = %5)")
            .arg(row.rater, row.reference, c.title, formatted(row.values[std::size_t(column)], 3))
            .arg(row.n);
    if (!row.notes.value(column).isEmpty())
        tip += QStringLiteral("\n") + row.notes.value(column);
    return tip;
}

void LlmComparisonPanel::paintLegend(QPainter *painter, const QRectF &target, qreal y) const
{
    // The ramp from worse to better agreement, then the mark.
    const QFontMetricsF fm(font(), painter->device());
    painter->setPen(palette().color(QPalette::WindowText));
    const qreal legendTop = y + fm.height() * 0.3;
    const QString worse = tr("worse");
    const QString better = tr("better agreement");
    const qreal rampWidth = std::min(target.width() * 0.3, fm.height() * 12);
    const QRectF ramp(
        target.left() + fm.horizontalAdvance(worse) + 8, legendTop, rampWidth, fm.height() * 0.8);
    QLinearGradient gradient(ramp.left(), 0, ramp.right(), 0);
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, chartcolors::sequential(i / 8.0));
    painter->drawText(
        QRectF(target.left(), legendTop, ramp.left() - target.left() - 4, ramp.height()),
        Qt::AlignRight | Qt::AlignVCenter, worse);
    painter->fillRect(ramp, gradient);
    const qreal betterWidth = fm.horizontalAdvance(better) + 8;
    painter->drawText(QRectF(ramp.right() + 4, legendTop, betterWidth, ramp.height()),
        Qt::AlignLeft | Qt::AlignVCenter, better);
    const QRectF swatch(
        ramp.right() + betterWidth + fm.height() * 2, legendTop, fm.height() * 1.2, ramp.height());
    paintMark(painter, swatch, palette());
    const int minimumN = m_tables.isEmpty() ? 10 : m_tables.first().minimumN;
    painter->drawText(QRectF(swatch.right() + 4, legendTop,
                          std::max<qreal>(0, target.right() - swatch.right() - 4), ramp.height()),
        Qt::AlignLeft | Qt::AlignVCenter, tr("n < %1 or undefined").arg(minimumN));
}

void LlmComparisonPanel::renderBody(QPainter *painter, const QRectF &target) const
{
    paintTables(painter, target, nullptr);
}

void LlmComparisonPanel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    m_hits.clear();
    paintTables(&painter, QRectF(rect()).adjusted(4, 4, -4, -4), &m_hits);
}

bool LlmComparisonPanel::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        for (const Hit &hit : std::as_const(m_hits))
            if (hit.rect.contains(help->pos())) {
                QToolTip::showText(help->globalPos(), hit.text, this);
                return true;
            }
    }
    return DashboardChart::event(event);
}

} // namespace cr::widgets
