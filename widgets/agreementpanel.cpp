#include "widgets/agreementpanel.h"

#include "widgets/chartpalette.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace cr::widgets {

namespace {

QString fixed(double v, int decimals = 3)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("—");
}

QString plain(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 6) : QString();
}

/// Horizontal bars from 0 to each value on a [0, 1] scale with the value printed.
void paintBars(QPainter *painter, const QRectF &target,
    const QList<std::pair<QString, double>> &bars, const QColor &colour, const QPalette &palette,
    const QFont &font)
{
    const QFontMetricsF fm(font, painter->device());
    qreal labelWidth = 0;
    for (const auto &b : bars)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(b.first));
    labelWidth = std::min(labelWidth + 8, target.width() * 0.45);
    const qreal valueWidth = fm.horizontalAdvance(QStringLiteral("0.000")) + 8;
    const qreal rowHeight =
        std::min(fm.height() * 1.6, bars.isEmpty() ? 0 : target.height() / bars.size());
    const qreal scale = target.width() - labelWidth - valueWidth;
    painter->save();
    painter->setFont(font);
    for (int i = 0; i < bars.size(); ++i) {
        const qreal y = target.top() + i * rowHeight;
        painter->setPen(palette.color(QPalette::WindowText));
        painter->drawText(QRectF(target.left(), y, labelWidth - 6, rowHeight),
            Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(bars[i].first, Qt::ElideMiddle, labelWidth - 6));
        const double v = bars[i].second;
        if (std::isfinite(v))
            painter->fillRect(QRectF(target.left() + labelWidth, y + rowHeight * 0.2,
                                  std::clamp(v, 0.0, 1.0) * scale, rowHeight * 0.6),
                colour);
        painter->drawText(QRectF(target.left() + labelWidth
                                  + std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0) * scale + 4,
                              y, valueWidth, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter, fixed(v, 2));
    }
    painter->restore();
}

} // namespace

AgreementPanel::AgreementPanel(QWidget *parent)
    : DashboardChart(tr("Agreement between raters"), parent)
{
    setMinimumHeight(520);
    setExplanation(tr(
        "Krippendorff's α: nominal on crisis categories, ordinal on 1–5 scores, with percentile "
        "bootstrap 95% intervals (units resampled, seeded). Fleiss' κ and Gwet's AC1 on categories "
        "(missing-tolerant forms). Heatmaps: pairwise quadratic-weighted κ on scores and Cohen's κ "
        "on categories, over the items both raters labelled (n per cell)."));
}

void AgreementPanel::setData(const QList<Coefficient> &coefficients, const HeatmapData &scoreKappa,
    const HeatmapData &categoryKappa, const QString &sampleSize)
{
    m_coefficients = coefficients;
    m_scoreKappa = scoreKappa;
    m_categoryKappa = categoryKappa;
    setSampleSize(sampleSize);
    update();
    emit contentChanged();
}

ChartTable AgreementPanel::table() const
{
    ChartTable t;
    t.header = QStringList { QStringLiteral("statistic"), QStringLiteral("rater_a"),
        QStringLiteral("rater_b"), QStringLiteral("value"), QStringLiteral("ci_low"),
        QStringLiteral("ci_high"), QStringLiteral("n"), QStringLiteral("note") };
    for (const Coefficient &c : m_coefficients)
        t.rows.append(QStringList {
            c.label, {}, {}, plain(c.value), plain(c.low), plain(c.high), {}, c.note });
    const std::pair<QString, const HeatmapData *> maps[] = {
        { QStringLiteral("weighted kappa (scores)"), &m_scoreKappa },
        { QStringLiteral("Cohen's kappa (categories)"), &m_categoryKappa }
    };
    for (const auto &[name, map] : maps)
        for (int r = 0; r < map->rows.size(); ++r)
            for (int c = r + 1; c < map->columns.size(); ++c)
                t.rows.append(QStringList { name, map->rows[r], map->columns[c],
                    plain(map->value(r, c)), {}, {}, QString::number(map->count(r, c)), {} });
    return t;
}

void AgreementPanel::renderBody(QPainter *painter, const QRectF &target) const
{
    painter->save();
    painter->setFont(font());
    const QFontMetricsF fm(font(), painter->device());
    const QColor text = palette().color(QPalette::WindowText);
    // Forest plot on [-0.2, 1].
    const qreal rowHeight = fm.height() * 1.5;
    qreal labelWidth = 0;
    for (const Coefficient &c : m_coefficients)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(c.label));
    labelWidth += 10;
    const qreal valueWidth = fm.horizontalAdvance(QStringLiteral("0.000 [0.000, 0.000]")) + 12;
    const qreal plotLeft = target.left() + labelWidth + valueWidth;
    const qreal plotWidth = std::max<qreal>(40, target.width() - labelWidth - valueWidth - 24);
    auto xOf = [&](double v) {
        return plotLeft + (std::clamp(v, -0.2, 1.0) + 0.2) / 1.2 * plotWidth;
    };
    const qreal plotBottom = target.top() + rowHeight * m_coefficients.size();
    QPen grid(palette().color(QPalette::Mid));
    grid.setStyle(Qt::DotLine);
    for (const double tick : { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 }) {
        painter->setPen(grid);
        painter->drawLine(QPointF(xOf(tick), target.top()), QPointF(xOf(tick), plotBottom));
        painter->setPen(text);
        painter->drawText(QRectF(xOf(tick) - 20, plotBottom, 40, fm.height()), Qt::AlignCenter,
            QString::number(tick, 'f', 1));
    }
    for (int i = 0; i < m_coefficients.size(); ++i) {
        const Coefficient &c = m_coefficients[i];
        const qreal y = target.top() + i * rowHeight;
        painter->setPen(text);
        painter->drawText(QRectF(target.left(), y, labelWidth - 6, rowHeight),
            Qt::AlignRight | Qt::AlignVCenter, c.label);
        QString value = fixed(c.value);
        if (std::isfinite(c.low) && std::isfinite(c.high))
            value += QStringLiteral(" [%1, %2]").arg(fixed(c.low), fixed(c.high));
        else if (!std::isfinite(c.value) && !c.note.isEmpty())
            value += QStringLiteral(" (%1)").arg(c.note);
        painter->drawText(QRectF(target.left() + labelWidth, y, valueWidth, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(value, Qt::ElideRight, valueWidth - 4));
        const qreal cy = y + rowHeight / 2;
        if (std::isfinite(c.low) && std::isfinite(c.high)) {
            QPen whisker(text);
            whisker.setWidthF(1.5);
            painter->setPen(whisker);
            painter->drawLine(QPointF(xOf(c.low), cy), QPointF(xOf(c.high), cy));
            painter->drawLine(QPointF(xOf(c.low), cy - 4), QPointF(xOf(c.low), cy + 4));
            painter->drawLine(QPointF(xOf(c.high), cy - 4), QPointF(xOf(c.high), cy + 4));
        }
        if (std::isfinite(c.value)) {
            painter->setPen(text);
            painter->setBrush(chartcolors::level(5));
            painter->drawEllipse(QPointF(xOf(c.value), cy), 5, 5);
        }
    }
    painter->restore();

    const qreal mapsTop = plotBottom + fm.height() * 1.8;
    const qreal half = (target.width() - 16) / 2;
    const qreal titleHeight = fm.height() * 1.4;
    const std::pair<QString, const HeatmapData *> maps[] = { { tr("Weighted κ (quadratic), scores"),
                                                                 &m_scoreKappa },
        { tr("Cohen's κ, categories"), &m_categoryKappa } };
    for (int i = 0; i < 2; ++i) {
        const QRectF area(
            target.left() + i * (half + 16), mapsTop, half, target.bottom() - mapsTop);
        painter->save();
        QFont bold = font();
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(text);
        painter->drawText(QRectF(area.left(), area.top(), area.width(), titleHeight),
            Qt::AlignLeft | Qt::AlignVCenter, maps[i].first);
        painter->restore();
        if (maps[i].second->rows.size() < 2) {
            painter->setPen(text);
            painter->drawText(area.adjusted(0, titleHeight, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                tr("Fewer than two raters in the selection."));
            continue;
        }
        paintHeatmap(
            painter, area.adjusted(0, titleHeight, 0, 0), *maps[i].second, palette(), font());
    }
}

void AgreementPanel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    renderBody(&painter, QRectF(rect()).adjusted(4, 4, -4, -4));
}

ConfusionPanel::ConfusionPanel(QWidget *parent)
    : DashboardChart(tr("Category confusion"), parent)
{
    setMinimumHeight(420);
}

void ConfusionPanel::setData(const HeatmapData &matrix, const QList<ClassScore> &classes,
    double macroF1, double accuracy, const QString &sampleSize, const QString &explanation)
{
    m_matrix = matrix;
    m_classes = classes;
    m_macroF1 = macroF1;
    m_accuracy = accuracy;
    setSampleSize(sampleSize);
    setExplanation(explanation);
    update();
    emit contentChanged();
}

ChartTable ConfusionPanel::table() const
{
    ChartTable t;
    t.header = QStringList { QStringLiteral("reference"), QStringLiteral("predicted"),
        QStringLiteral("count"), QStringLiteral("share_of_reference") };
    for (int r = 0; r < m_matrix.rows.size(); ++r)
        for (int c = 0; c < m_matrix.columns.size(); ++c)
            t.rows.append(QStringList { m_matrix.rows[r], m_matrix.columns[c],
                QString::number(m_matrix.count(r, c)), plain(m_matrix.value(r, c)) });
    for (const ClassScore &s : m_classes)
        t.rows.append(
            QStringList { s.label, QStringLiteral("F1"), QString::number(s.support), plain(s.f1) });
    t.rows.append(
        QStringList { QStringLiteral("all"), QStringLiteral("macro F1"), {}, plain(m_macroF1) });
    t.rows.append(
        QStringList { QStringLiteral("all"), QStringLiteral("accuracy"), {}, plain(m_accuracy) });
    return t;
}

void ConfusionPanel::renderBody(QPainter *painter, const QRectF &target) const
{
    const QFontMetricsF fm(font(), painter->device());
    const qreal split = target.width() * 0.66;
    paintHeatmap(painter, QRectF(target.left(), target.top(), split - 12, target.height()),
        m_matrix, palette(), font());
    const QRectF right(
        target.left() + split, target.top(), target.width() - split, target.height());
    painter->save();
    QFont bold = font();
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(palette().color(QPalette::WindowText));
    painter->drawText(QRectF(right.left(), right.top(), right.width(), fm.height() * 1.4),
        Qt::AlignLeft | Qt::AlignVCenter,
        tr("F1 per class (macro %1, acc. %2)").arg(fixed(m_macroF1, 2), fixed(m_accuracy, 2)));
    painter->restore();
    QList<std::pair<QString, double>> bars;
    for (const ClassScore &s : m_classes)
        bars.append(
            { QStringLiteral("%1 (n=%2)").arg(s.name.isEmpty() ? s.label : s.name).arg(s.support),
                s.f1 });
    paintBars(painter, right.adjusted(0, fm.height() * 1.6, 0, 0), bars, chartcolors::level(5),
        palette(), font());
}

void ConfusionPanel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    renderBody(&painter, QRectF(rect()).adjusted(4, 4, -4, -4));
}

} // namespace cr::widgets
