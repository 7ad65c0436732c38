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
    for (int r = 0; r < data.rows.size(); ++r)
        widest = std::max(widest, fm.horizontalAdvance(data.rowLabel(r)));
    if (!data.rowTitle.isEmpty())
        widest = std::max(widest, fm.horizontalAdvance(data.rowTitle));
    g.labelWidth = std::min(widest + fm.height() * 0.6, target.width() * 0.3);
    // Column names get two lines (long category names wrap instead of being cut).
    const qreal headerHeight = fm.height() * (data.columnTitle.isEmpty() ? 2.4 : 3.6);
    const qreal legendHeight = fm.height() * 2.2;
    g.grid = QRectF(target.left() + g.labelWidth, target.top() + headerHeight,
        target.width() - g.labelWidth, target.height() - headerHeight - legendHeight);
    const int columns = std::max<int>(1, int(data.columns.size()));
    const int rows = std::max<int>(1, int(data.rows.size()));
    g.cellWidth = g.grid.width() / columns;
    g.cellHeight = std::min(g.grid.height() / rows, fm.height() * (data.lows.empty() ? 3.2 : 3.9));
    g.grid.setHeight(g.cellHeight * rows);
    return g;
}

} // namespace

double HeatmapData::low(int row, int column) const
{
    const std::size_t i = std::size_t(row * columns.size() + column);
    return i < lows.size() ? lows[i] : std::nan("");
}

double HeatmapData::high(int row, int column) const
{
    const std::size_t i = std::size_t(row * columns.size() + column);
    return i < highs.size() ? highs[i] : std::nan("");
}

QString HeatmapData::valueText(double v) const
{
    if (!std::isfinite(v))
        return QStringLiteral("—");
    return percent ? QStringLiteral("%1%").arg(QString::number(v * 100, 'f', 0))
                   : QString::number(v, 'f', decimals);
}

QString HeatmapData::intervalText(int row, int column) const
{
    const double lo = low(row, column), hi = high(row, column);
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return {};
    return percent
        ? QStringLiteral("[%1–%2%]")
              .arg(QString::number(lo * 100, 'f', 0), QString::number(hi * 100, 'f', 0))
        : QStringLiteral("[%1, %2]")
              .arg(QString::number(lo, 'f', decimals), QString::number(hi, 'f', decimals));
}

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
    return n >= 0 && n < minimumN;
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
    const qreal columnTop = g.grid.top() - fm.height() * 2.3;
    for (int c = 0; c < data.columns.size(); ++c) {
        const QRectF r(
            g.grid.left() + c * g.cellWidth + 2, columnTop, g.cellWidth - 4, fm.height() * 2.2);
        const QString label = data.columnLabel(c);
        const QRectF needed =
            fm.boundingRect(r, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, label);
        if (needed.height() <= r.height() + 0.5 && needed.width() <= r.width() + 0.5)
            painter->drawText(r, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, label);
        else
            painter->drawText(r, Qt::AlignHCenter | Qt::AlignBottom,
                fm.elidedText(label, Qt::ElideRight, r.width()));
    }
    for (int row = 0; row < data.rows.size(); ++row) {
        const QRectF r(target.left(), g.grid.top() + row * g.cellHeight,
            g.labelWidth - fm.height() * 0.3, g.cellHeight);
        painter->setPen(text);
        painter->drawText(r, Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(data.rowLabel(row), Qt::ElideMiddle, r.width()));
        for (int c = 0; c < data.columns.size(); ++c) {
            const QRectF cell(g.grid.left() + c * g.cellWidth, r.top(), g.cellWidth, g.cellHeight);
            const QRectF inner = cell.adjusted(1, 1, -1, -1);
            const double v = data.value(row, c);
            const int n = data.count(row, c);
            QColor fill;
            QStringList lines;
            const bool marked = data.isMarked(row, c);
            if (marked) {
                paintMark(painter, inner, palette);
                lines.append(data.valueText(v));
            } else if (std::isfinite(v)) {
                const double span = data.maximum - data.minimum;
                fill = chartcolors::sequential(span > 0 ? (v - data.minimum) / span : 0.5);
                painter->fillRect(inner, fill);
                lines.append(data.valueText(v));
                const QString interval = data.intervalText(row, c);
                if (!interval.isEmpty())
                    lines.append(interval);
            } else {
                lines.append(QStringLiteral("—")); // undefined: no colour, no hatching
            }
            if (n >= 0)
                lines.append(QStringLiteral("n=%1").arg(n));
            painter->setPen(marked || !fill.isValid() ? text : chartcolors::textOn(fill));
            const int fit = std::max(1, int(inner.height() / (fm.height() * 1.02)));
            while (lines.size() > fit && lines.size() > 1)
                lines.removeAt(lines.size() > 2 ? 1 : lines.size() - 1); // interval goes first
            const qreal block = lines.size() * fm.height();
            qreal y = inner.center().y() - block / 2;
            for (const QString &line : std::as_const(lines)) {
                painter->drawText(QRectF(inner.left(), y, inner.width(), fm.height()),
                    Qt::AlignCenter, fm.elidedText(line, Qt::ElideRight, inner.width()));
                y += fm.height();
            }
        }
    }
    if (!data.rowTitle.isEmpty()) {
        painter->setPen(text);
        painter->drawText(QRectF(target.left(), columnTop + fm.height() * 1.2,
                              g.labelWidth - fm.height() * 0.3, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(data.rowTitle, Qt::ElideRight, g.labelWidth));
    }

    // Legend: ramp from minimum to maximum, then the mark for cells with too few observations.
    const qreal legendTop = g.grid.bottom() + fm.height() * 0.6;
    const qreal rampWidth = std::min(g.grid.width() * 0.45, fm.height() * 14);
    const QString minText = data.valueText(data.minimum);
    const QString maxText = data.valueText(data.maximum);
    const QRectF ramp(
        g.grid.left() + fm.horizontalAdvance(minText) + 6, legendTop, rampWidth, fm.height() * 0.8);
    QLinearGradient gradient(ramp.left(), 0, ramp.right(), 0);
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, chartcolors::sequential(i / 8.0));
    painter->setPen(text);
    painter->drawText(
        QRectF(g.grid.left(), legendTop, ramp.left() - g.grid.left() - 4, ramp.height()),
        Qt::AlignRight | Qt::AlignVCenter, minText);
    painter->fillRect(ramp, gradient);
    painter->drawText(
        QRectF(ramp.right() + 4, legendTop, fm.horizontalAdvance(maxText) + 4, ramp.height()),
        Qt::AlignLeft | Qt::AlignVCenter, maxText);
    if (data.minimumN > 1) {
        const QRectF swatch(
            ramp.right() + fm.height() * 4, legendTop, fm.height() * 1.2, ramp.height());
        paintMark(painter, swatch, palette);
        painter->drawText(QRectF(swatch.right() + 4, legendTop, target.right() - swatch.right() - 4,
                              ramp.height()),
            Qt::AlignLeft | Qt::AlignVCenter,
            QCoreApplication::translate("cr::widgets::HeatmapChart", "n < %1: too few to show")
                .arg(data.minimumN));
    }
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
                const QString interval = m_data.intervalText(r, c);
                QToolTip::showText(help->globalPos(),
                    QStringLiteral("%1 × %2: %3%4%5%6")
                        .arg(m_data.rowLabel(r), m_data.columnLabel(c),
                            m_data.valueText(m_data.value(r, c)),
                            interval.isEmpty() ? QString() : tr(", 95% interval %1").arg(interval),
                            n >= 0 ? QStringLiteral(" (n = %1)").arg(n) : QString(),
                            m_data.isMarked(r, c) ? tr(" — too few to show a colour") : QString()),
                    this);
                return true;
            }
        }
    }
    return DashboardChart::event(event);
}

} // namespace cr::widgets
