#include "widgets/harmratechart.h"

#include "widgets/chartpalette.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QGraphicsSimpleTextItem>
#include <QHorizontalBarSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace cr::widgets {

void styleChart(QChart *chart, const QPalette &palette)
{
    chart->setTheme(
        chartcolors::isDark(palette) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.color(QPalette::Window));
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setLabelColor(palette.color(QPalette::WindowText));
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(palette.color(QPalette::WindowText));
        axis->setTitleBrush(palette.color(QPalette::WindowText));
    }
}

void renderChartView(QChartView *view, QPainter *painter, const QRectF &target)
{
    // Lay the scene out at the target size so text keeps its point size.
    const QSize old = view->size();
    const bool resize = old != target.size().toSize();
    if (resize) {
        view->resize(target.size().toSize());
        view->chart()->resize(target.size());
    }
    view->scene()->render(painter, target, QRectF(QPointF(0, 0), target.size()));
    if (resize) {
        view->resize(old);
        view->chart()->resize(old);
    }
}

HarmRateChart::HarmRateChart(QWidget *parent)
    : DashboardChart(tr("Harm rate per model"), parent)
    , m_view(new QChartView(new QChart, this))
{
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setAccessibleName(title());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    rebuild();
}

QChart *HarmRateChart::chart() const
{
    return m_view->chart();
}

void HarmRateChart::setData(const QList<RateBar> &bars, double threshold)
{
    m_bars = bars;
    m_threshold = threshold;
    std::stable_sort(m_bars.begin(), m_bars.end(), [](const RateBar &a, const RateBar &b) {
        const bool da = std::isfinite(a.rate), db = std::isfinite(b.rate);
        if (da != db)
            return da;
        return da && a.rate > b.rate;
    });
    int n = 0;
    for (const RateBar &b : m_bars)
        n += b.n;
    setSampleSize(
        tr("n = %1 responses with a consensus score, %2 models").arg(n).arg(m_bars.size()));
    setExplanation(tr(
        "Share of each model's responses whose consensus score is ≤ %1 (harmful), with a Wilson "
        "95% interval (whiskers). The consensus score is the adjudicated score if present, else "
        "the "
        "mean of the selected raters' scores. The square marks the share with consensus score 1. "
        "Each bar is labelled with its rate; hover a bar for its interval and counts. Models are "
        "sorted by harm rate; n per model is in the axis labels.")
                       .arg(threshold));
    rebuild();
    emit contentChanged();
}

void HarmRateChart::rebuild()
{
    QChart *chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);

    auto *series = new QHorizontalBarSeries;
    m_rateSet = new QBarSet(tr("harm rate (score ≤ %1)").arg(m_threshold));
    m_rateSet->setColor(chartcolors::harm());
    m_rateSet->setBorderColor(chartcolors::harm());
    m_whiskers.clear();
    m_scoredOne = new QScatterSeries;
    m_scoredOne->setName(tr("scored 1"));
    m_scoredOne->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_scoredOne->setMarkerSize(9);
    m_scoredOne->setColor(chartcolors::scoredOne());
    m_scoredOne->setBorderColor(palette().color(QPalette::WindowText));
    QPen whiskerPen(palette().color(QPalette::WindowText));
    whiskerPen.setWidthF(1.5);

    QStringList labels;
    const int count = int(m_bars.size());
    // Axis category 0 is at the bottom: add lowest first so the highest rate is on top.
    for (int i = count - 1; i >= 0; --i) {
        const RateBar &b = m_bars[i];
        const int y = count - 1 - i;
        labels.append(QStringLiteral("%1 (n=%2)").arg(b.label).arg(b.n));
        const bool defined = std::isfinite(b.rate);
        m_rateSet->append(defined ? b.rate * 100 : 0.0);
        if (defined) {
            const double cap = 0.12;
            // One path per whisker: low cap, line, high cap.
            auto *w = new QLineSeries;
            w->setName(tr("Wilson 95% CI"));
            w->setPen(whiskerPen);
            w->append(b.low * 100, y - cap);
            w->append(b.low * 100, y + cap);
            w->append(b.low * 100, y);
            w->append(b.high * 100, y);
            w->append(b.high * 100, y + cap);
            w->append(b.high * 100, y - cap);
            m_whiskers.append(w);
        }
        if (std::isfinite(b.scoredOneRate))
            m_scoredOne->append(b.scoredOneRate * 100, y);
    }
    series->append(m_rateSet);
    series->setBarWidth(0.6);
    connect(m_rateSet, &QBarSet::hovered, this, [this](bool on, int index) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(), barToolTip(int(m_bars.size()) - 1 - index), m_view);
    });
    chart->addSeries(series);
    for (QLineSeries *w : std::as_const(m_whiskers))
        chart->addSeries(w);
    chart->addSeries(m_scoredOne);

    auto *x = new QValueAxis;
    double top = 10;
    for (const RateBar &b : m_bars)
        if (std::isfinite(b.rate))
            top = std::max(top, b.high * 100);
    const double step = top > 50 ? 20 : 10;
    const double axisTop = std::min(100.0, std::ceil(top / step) * step);
    x->setRange(0, axisTop);
    x->setTickCount(int(axisTop / step) + 1);
    x->setLabelFormat(QStringLiteral("%.0f%"));
    x->setTitleText(tr("% of responses"));
    auto *y = new QBarCategoryAxis;
    y->append(labels);
    auto *yValues = new QValueAxis;
    yValues->setRange(-0.5, count - 0.5);
    yValues->setVisible(false);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(yValues, Qt::AlignRight);
    series->attachAxis(x);
    series->attachAxis(y);
    QList<QAbstractSeries *> overlays { m_scoredOne };
    for (QLineSeries *w : std::as_const(m_whiskers))
        overlays.append(w);
    for (QAbstractSeries *s : overlays) {
        s->attachAxis(x);
        s->attachAxis(yValues);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    for (int i = 1; i < m_whiskers.size(); ++i)
        for (QLegendMarker *marker : chart->legend()->markers(m_whiskers[i]))
            marker->setVisible(false);
    styleChart(chart, palette());
    m_rateSet->setLabelColor(palette().color(QPalette::WindowText));

    // Each rate is written beside its bar, right of the whisker, so neither hides it.
    qDeleteAll(m_valueLabels);
    m_valueLabels.clear();
    for (int i = count - 1; i >= 0; --i) {
        const RateBar &b = m_bars[i];
        auto *label = new QGraphicsSimpleTextItem(valueLabel(b), chart);
        label->setBrush(palette().color(QPalette::WindowText));
        label->setZValue(10);
        m_valueLabels.append(label);
    }
    connect(chart, &QChart::plotAreaChanged, this, &HarmRateChart::placeValueLabels,
        Qt::UniqueConnection);
    placeValueLabels();
}

QString HarmRateChart::valueLabel(const RateBar &b)
{
    if (!std::isfinite(b.rate))
        return tr("n/a");
    return QStringLiteral("%1%").arg(QLocale().toString(b.rate * 100, 'f', b.rate == 0 ? 0 : 1));
}

QStringList HarmRateChart::valueLabels() const
{
    QStringList out;
    for (const QGraphicsSimpleTextItem *label : m_valueLabels)
        out.append(label->text());
    return out;
}

void HarmRateChart::placeValueLabels()
{
    QChart *chart = m_view->chart();
    const QRectF plot = chart->plotArea();
    const int count = int(m_bars.size());
    for (int k = 0; k < m_valueLabels.size() && k < count; ++k) {
        const RateBar &b = m_bars[count - 1 - k]; // drawing order: bottom first
        QGraphicsSimpleTextItem *label = m_valueLabels[k];
        const double end = std::isfinite(b.rate) ? std::max(b.rate, b.high) * 100 : 0.0;
        const QPointF at = chart->mapToPosition(QPointF(end, k), m_scoredOne);
        const QRectF box = label->boundingRect();
        qreal x = at.x() + 6;
        if (x + box.width() > plot.right()) // no room right of the whisker: inside the bar
            x = std::max(plot.left() + 4, at.x() - box.width() - 6);
        label->setPos(x, at.y() - box.height() / 2);
    }
}

QString HarmRateChart::barToolTip(int index) const
{
    if (index < 0 || index >= m_bars.size())
        return {};
    const RateBar &b = m_bars[index];
    if (!std::isfinite(b.rate))
        return tr("%1: no response with a consensus score").arg(b.label);
    const auto pct = [](double v) { return QString::number(v * 100, 'f', 1); };
    QString text = tr("%1: harm rate %2% (%3 of %4 responses scored ≤ %5), Wilson 95% interval "
                      "%6–%7%")
                       .arg(b.label, pct(b.rate))
                       .arg(b.harmful)
                       .arg(b.n)
                       .arg(m_threshold)
                       .arg(pct(b.low), pct(b.high));
    if (std::isfinite(b.scoredOneRate))
        text += tr("; scored 1: %1%").arg(pct(b.scoredOneRate));
    return text;
}

ChartTable HarmRateChart::table() const
{
    ChartTable t;
    t.header = QStringList { QStringLiteral("model"), QStringLiteral("n"),
        QStringLiteral("harmful"), QStringLiteral("harm_rate"), QStringLiteral("ci_low"),
        QStringLiteral("ci_high"), QStringLiteral("scored1_rate"), QStringLiteral("threshold") };
    auto num = [](double v) { return std::isfinite(v) ? QString::number(v, 'g', 6) : QString(); };
    for (const RateBar &b : m_bars)
        t.rows.append(QStringList { b.label, QString::number(b.n), QString::number(b.harmful),
            num(b.rate), std::isfinite(b.rate) ? num(b.low) : QString(),
            std::isfinite(b.rate) ? num(b.high) : QString(), num(b.scoredOneRate),
            QString::number(m_threshold) });
    return t;
}

void HarmRateChart::renderBody(QPainter *painter, const QRectF &target) const
{
    renderChartView(m_view, painter, target);
}

void HarmRateChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        rebuild();
    DashboardChart::changeEvent(event);
}

} // namespace cr::widgets
