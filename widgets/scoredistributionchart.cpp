#include "widgets/scoredistributionchart.h"

#include "widgets/chartpalette.h"
#include "widgets/harmratechart.h"

#include <QBarCategoryAxis>
#include <QBarLegendMarker>
#include <QBarSet>
#include <QBoxLayout>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QValueAxis>
#include <cstdlib>

namespace cr::widgets {

ScoreDistributionChart::ScoreDistributionChart(QWidget *parent)
    : DashboardChart(tr("Score distribution per model"), parent)
    , m_view(new QChartView(new QChart, this))
{
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAccessibleName(title());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    setExplanation(tr(
        "Every score given by the selected raters to each model's responses, as a percentage of "
        "that model's scores. Levels 1–2 (harmful) extend left of zero, 4–5 (appropriate) right; "
        "level 3 is split half on each side. 'Cannot assess' is not counted."));
    rebuild();
}

void ScoreDistributionChart::setData(
    const QList<DistributionRow> &rows, const QStringList &levelNames)
{
    m_rows = rows;
    m_levelNames = levelNames;
    int n = 0;
    for (const DistributionRow &r : m_rows)
        n += r.n();
    setSampleSize(tr("n = %1 scores, %2 models").arg(n).arg(m_rows.size()));
    rebuild();
    emit contentChanged();
}

double ScoreDistributionChart::drawnPercent(int row, int level) const
{
    // Row 0 of rows() is drawn at the top, i.e. the last axis category.
    const int index = int(m_rows.size()) - 1 - row;
    const double v = m_sets[std::size_t(level - 1)]->at(index);
    return level == 3 ? v + m_neutralRight->at(index) : level < 3 ? -v : v;
}

void ScoreDistributionChart::rebuild()
{
    QChart *chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    auto *series = new QHorizontalStackedBarSeries;
    for (int level = 1; level <= 5; ++level) {
        const QString name = level - 1 < m_levelNames.size()
            ? QStringLiteral("%1 %2").arg(level).arg(m_levelNames[level - 1])
            : QString::number(level);
        m_sets[std::size_t(level - 1)] = new QBarSet(name);
        m_sets[std::size_t(level - 1)]->setColor(chartcolors::level(level));
        m_sets[std::size_t(level - 1)]->setBorderColor(chartcolors::level(level));
    }
    m_neutralRight = new QBarSet(m_sets[2]->label());
    m_neutralRight->setColor(chartcolors::level(3));
    m_neutralRight->setBorderColor(chartcolors::level(3));
    m_padding = new QBarSet(QString());
    m_padding->setColor(Qt::transparent);
    m_padding->setBorderColor(Qt::transparent);
    QStringList labels;
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const DistributionRow &r = m_rows[i];
        const double n = r.n();
        auto pct = [&](int level) {
            return n > 0 ? 100.0 * r.counts[std::size_t(level - 1)] / n : 0.0;
        };
        // All values positive, stacked from the left: padding, 1, 2, 3 (left half) end at 100.
        m_padding->append(100.0 - pct(1) - pct(2) - pct(3) / 2);
        m_sets[0]->append(pct(1));
        m_sets[1]->append(pct(2));
        m_sets[2]->append(pct(3) / 2);
        m_neutralRight->append(pct(3) / 2);
        m_sets[3]->append(pct(4));
        m_sets[4]->append(pct(5));
        labels.append(QStringLiteral("%1 (n=%2)").arg(r.label).arg(r.n()));
    }
    // Left to right: padding, 1, 2, 3 | 3, 4, 5 — the legend then lists the levels in order.
    series->append(m_padding);
    for (int level = 1; level <= 3; ++level)
        series->append(m_sets[std::size_t(level - 1)]);
    series->append(m_neutralRight);
    series->append(m_sets[3]);
    series->append(m_sets[4]);
    series->setBarWidth(0.65);
    chart->addSeries(series);
    // Axis 0..200 with 100 = zero; labelled as percentages either side.
    auto *x = new QCategoryAxis;
    x->setRange(0, 200);
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // Category labels must be unique: the right side's carry an invisible no-break space.
    for (int v = 0; v <= 200; v += 50) // every 50%: five labels fit beside the legend at 1366 px
        x->append(QStringLiteral("%1%").arg(std::abs(v - 100))
                + (v > 100 ? QStringLiteral("\u00a0") : QString()),
            v);
    // Short enough for the plot beside the legend at 1280 px; the labels say "%".
    x->setTitleText(tr("← harmful · appropriate →"));
    auto *y = new QBarCategoryAxis;
    y->append(labels);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    // The five level names are long: listed beside the bars, one per line, so none is
    // cut short at 1366 px (a bottom row truncates them); full text also on hover.
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->legend()->setShowToolTips(true);
    styleChart(chart, palette());
    // Legend in level order 1..5; the padding and the right half of level 3 hidden.
    for (QLegendMarker *marker : chart->legend()->markers(series))
        if (auto *bar = qobject_cast<QBarLegendMarker *>(marker);
            bar && (bar->barset() == m_neutralRight || bar->barset() == m_padding))
            marker->setVisible(false);
}

ChartTable ScoreDistributionChart::table() const
{
    ChartTable t;
    t.header = QStringList { QStringLiteral("model"), QStringLiteral("n"),
        QStringLiteral("score_1"), QStringLiteral("score_2"), QStringLiteral("score_3"),
        QStringLiteral("score_4"), QStringLiteral("score_5") };
    for (const DistributionRow &r : m_rows) {
        QStringList row { r.label, QString::number(r.n()) };
        for (const int c : r.counts)
            row.append(QString::number(c));
        t.rows.append(row);
    }
    return t;
}

void ScoreDistributionChart::renderBody(QPainter *painter, const QRectF &target) const
{
    renderChartView(m_view, painter, target);
}

void ScoreDistributionChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        rebuild();
    DashboardChart::changeEvent(event);
}

} // namespace cr::widgets
