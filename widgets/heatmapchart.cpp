#include "widgets/heatmapchart.h"

#include "widgets/chartpalette.h"

#include <QCoreApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace cr::widgets {

namespace {

struct Geometry {
    QRectF grid;
    qreal labelWidth = 0;
    qreal cellWidth = 0;
    qreal cellHeight = 0;
};

Geometry cellGeometry(const QRectF &target, const HeatmapData &data, const QFontMetricsF &fm)
{
    Geometry g;
    qreal widest = 0;
    for (const QString &r : data.rows)
        widest = std::max(widest, fm.horizontalAdvance(r));
    g.labelWidth = std::min(widest + fm.height() * 0.6, target.width() * 0.35);
    const qreal headerHeight = fm.height() * (data.columnTitle.isEmpty() ? 1.3 : 2.7);
    const qreal legendHeight = fm.height() * 2.2;
    g.grid = QRectF(target.left() + g.labelWidth, target.top() + headerHeight,
        target.width() - g.labelWidth, target.height() - headerHeight - legendHeight);
    const int columns = std::max<int>(1, int(data.columns.size()));
    const int rows = std::max<int>(1, int(data.rows.size()));
    g.cellWidth = g.grid.width() / columns;
    g.cellHeight = std::min(g.grid.height() / rows, fm.height() * 3.2);
    g.grid.setHeight(g.cellHeight * rows);
    return g;
}

QString formatValue(double v, int decimals)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("—");
}

} // namespace

void paintMark(QPainter *painter, const QRectF &r, const QPalette &palette)
{
    const bool dark = chartcolors::isDark(palette);
    painter->save();
    painter->fillRect(r, dark ? QColor(0x44, 0x44, 0x44) : QColor(0xE0, 0xE0, 0xE0));
    painter->setClipRect(r, Qt::IntersectClip);
    painter->setPen(QPen(dark ? QColor(0x88, 0x88, 0x88) : QColor(0x9E, 0x9E, 0x9E), 1));
    const qreal step = 7;
    for (qreal x = r.left() - r.height(); x < r.right(); x += step)
        painter->drawLine(QPointF(x, r.bottom()), QPointF(x + r.height(), r.top()));
    painter->restore();
}

bool HeatmapData::isMarked(int row, int column) const
{
    const int n = count(row, column);
    return !std::isfinite(value(row, column)) || (n >= 0 && n < minimumN);
}

void paintHeatmap(QPainter *painter, const QRectF &target, const HeatmapData &data,
    const QPalette &palette, const QFont &font)
{
    painter->save();
    painter->setFont(font);
    const QFontMetricsF fm(font, painter->device());
    const Geometry g = cellGeometry(target, data, fm);
    const QColor text = palette.color(QPalette::WindowText);

    painter->setPen(text);
    if (!data.columnTitle.isEmpty())
        painter->drawText(QRectF(g.grid.left(), target.top(), g.grid.width(), fm.height()),
            Qt::AlignCenter, data.columnTitle);
    const qreal columnTop = g.grid.top() - fm.height() * 1.2;
    for (int c = 0; c < data.columns.size(); ++c) {
        const QRectF r(g.grid.left() + c * g.cellWidth, columnTop, g.cellWidth, fm.height());
        painter->drawText(
            r, Qt::AlignCenter, fm.elidedText(data.columns[c], Qt::ElideRight, g.cellWidth - 4));
    }
    for (int row = 0; row < data.rows.size(); ++row) {
        const QRectF r(target.left(), g.grid.top() + row * g.cellHeight,
            g.labelWidth - fm.height() * 0.3, g.cellHeight);
        painter->setPen(text);
        painter->drawText(r, Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(data.rows[row], Qt::ElideMiddle, r.width()));
        for (int c = 0; c < data.columns.size(); ++c) {
            const QRectF cell(g.grid.left() + c * g.cellWidth, r.top(), g.cellWidth, g.cellHeight);
            const QRectF inner = cell.adjusted(1, 1, -1, -1);
            const double v = data.value(row, c);
            const int n = data.count(row, c);
            QColor fill;
            QString line1, line2;
            if (data.isMarked(row, c)) {
                paintMark(painter, inner, palette);
                line1 = n >= 0 && n < data.minimumN && std::isfinite(v)
                    ? formatValue(v, data.decimals)
                    : QStringLiteral("—");
            } else {
                const double span = data.maximum - data.minimum;
                fill = chartcolors::sequential(span > 0 ? (v - data.minimum) / span : 0.5);
                painter->fillRect(inner, fill);
                line1 = formatValue(v, data.decimals);
            }
            if (n >= 0)
                line2 = QStringLiteral("n=%1").arg(n);
            painter->setPen(data.isMarked(row, c) ? text : chartcolors::textOn(fill));
            if (g.cellHeight >= fm.height() * 2.1 && !line2.isEmpty()) {
                painter->drawText(inner.adjusted(0, 0, 0, -inner.height() / 2),
                    Qt::AlignHCenter | Qt::AlignBottom, line1);
                painter->drawText(inner.adjusted(0, inner.height() / 2, 0, 0),
                    Qt::AlignHCenter | Qt::AlignTop, line2);
            } else {
                painter->drawText(inner, Qt::AlignCenter,
                    fm.elidedText(line2.isEmpty() ? line1 : line1 + QLatin1Char(' ') + line2,
                        Qt::ElideRight, inner.width()));
            }
        }
    }
    if (!data.rowTitle.isEmpty()) {
        painter->setPen(text);
        painter->drawText(
            QRectF(target.left(), columnTop, g.labelWidth - fm.height() * 0.3, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(data.rowTitle, Qt::ElideRight, g.labelWidth));
    }

    // Legend: ramp from minimum to maximum, then the mark for small or empty cells.
    const qreal legendTop = g.grid.bottom() + fm.height() * 0.6;
    const qreal rampWidth = std::min(g.grid.width() * 0.45, fm.height() * 14);
    QLinearGradient gradient(g.grid.left(), 0, g.grid.left() + rampWidth, 0);
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, chartcolors::sequential(i / 8.0));
    const QRectF ramp(
        g.grid.left() + fm.horizontalAdvance(formatValue(data.minimum, data.decimals)) + 6,
        legendTop, rampWidth, fm.height() * 0.8);
    painter->setPen(text);
    painter->drawText(
        QRectF(g.grid.left(), legendTop, ramp.left() - g.grid.left() - 4, ramp.height()),
        Qt::AlignRight | Qt::AlignVCenter, formatValue(data.minimum, data.decimals));
    painter->fillRect(ramp, gradient);
    painter->drawText(QRectF(ramp.right() + 4, legendTop,
                          fm.horizontalAdvance(QStringLiteral("-0.000")) + 4, ramp.height()),
        Qt::AlignLeft | Qt::AlignVCenter, formatValue(data.maximum, data.decimals));
    const QRectF swatch(
        ramp.right() + fm.height() * 4, legendTop, fm.height() * 1.2, ramp.height());
    paintMark(painter, swatch, palette);
    painter->drawText(
        QRectF(swatch.right() + 4, legendTop, target.right() - swatch.right() - 4, ramp.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        data.minimumN > 1
            ? QCoreApplication::translate("cr::widgets::HeatmapChart", "n < %1 or empty")
                  .arg(data.minimumN)
            : QCoreApplication::translate("cr::widgets::HeatmapChart", "empty"));
    painter->restore();
}

ChartTable heatmapTable(const HeatmapData &data, const QString &valueName)
{
    ChartTable t;
    t.header = QStringList { data.rowTitle.isEmpty() ? QStringLiteral("row") : data.rowTitle,
        data.columnTitle.isEmpty() ? QStringLiteral("column") : data.columnTitle, valueName,
        QStringLiteral("n") };
    for (int r = 0; r < data.rows.size(); ++r)
        for (int c = 0; c < data.columns.size(); ++c) {
            const double v = data.value(r, c);
            const int n = data.count(r, c);
            t.rows.append(QStringList { data.rows[r], data.columns[c],
                std::isfinite(v) ? QString::number(v, 'g', 6) : QString(),
                n >= 0 ? QString::number(n) : QString() });
        }
    return t;
}

HeatmapChart::HeatmapChart(const QString &title, QWidget *parent)
    : DashboardChart(title, parent)
{
    setMouseTracking(true);
}

void HeatmapChart::setData(
    const HeatmapData &data, const QString &sampleSize, const QString &explanation)
{
    m_data = data;
    setSampleSize(sampleSize);
    setExplanation(explanation);
    update();
    emit contentChanged();
}

ChartTable HeatmapChart::table() const
{
    return heatmapTable(m_data, title());
}

void HeatmapChart::renderBody(QPainter *painter, const QRectF &target) const
{
    paintHeatmap(painter, target, m_data, palette(), font());
}

void HeatmapChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    renderBody(&painter, QRectF(rect()).adjusted(4, 4, -4, -4));
}

bool HeatmapChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QFontMetricsF fm(font());
        const Geometry g = cellGeometry(QRectF(rect()).adjusted(4, 4, -4, -4), m_data, fm);
        const QPointF p = help->pos();
        if (g.grid.contains(p) && g.cellWidth > 0 && g.cellHeight > 0) {
            const int c = int((p.x() - g.grid.left()) / g.cellWidth);
            const int r = int((p.y() - g.grid.top()) / g.cellHeight);
            if (r >= 0 && r < m_data.rows.size() && c >= 0 && c < m_data.columns.size()) {
                const int n = m_data.count(r, c);
                QToolTip::showText(help->globalPos(),
                    QStringLiteral("%1 × %2: %3%4")
                        .arg(m_data.rows[r], m_data.columns[c], formatValue(m_data.value(r, c), 3),
                            n >= 0 ? QStringLiteral(" (n = %1)").arg(n) : QString()),
                    this);
                return true;
            }
        }
    }
    return DashboardChart::event(event);
}

} // namespace cr::widgets
