#pragma once

#include "widgets/dashboardchart.h"

#include <limits>

class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QBarSet;
class QLineSeries;
class QScatterSeries;

namespace cr::widgets {

/// One model's harm rate with its Wilson 95% interval and the share scored 1.
struct RateBar {
    QString label;
    int n = 0;
    int harmful = 0;
    double rate = std::numeric_limits<double>::quiet_NaN(); ///< NaN = undefined (n = 0)
    double low = 0.0;
    double high = 0.0;
    double scoredOneRate = std::numeric_limits<double>::quiet_NaN();
};

/// Chart 1: horizontal bars of the harm rate per model (highest at the top) with
/// Wilson 95% whiskers and a marker for the "scored 1" rate. Qt Charts.
class HarmRateChart final : public DashboardChart {
    Q_OBJECT
public:
    explicit HarmRateChart(QWidget *parent = nullptr);

    /// Sorts by rate (undefined last) and redraws.
    void setData(const QList<RateBar> &bars, double threshold);
    /// The bars in drawing order, highest rate first.
    const QList<RateBar> &bars() const { return m_bars; }
    double threshold() const { return m_threshold; }
    ChartTable table() const override;
    /// What hovering the bar of m_bars[index] shows: rate, counts and interval.
    QString barToolTip(int index) const;
    /// The rates written beside the bars, in drawing order from the bottom up.
    QStringList valueLabels() const;

    // For tests: the series as drawn (category i of the axis = bars().size() - 1 - i).
    QBarSet *rateSet() const { return m_rateSet; }
    QScatterSeries *scoredOneSeries() const { return m_scoredOne; }
    /// One per defined bar, in drawing order from the bottom (lowest rate) up.
    const QList<QLineSeries *> &whiskerSeries() const { return m_whiskers; }
    QChart *chart() const;

protected:
    void renderBody(QPainter *painter, const QRectF &target) const override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void placeValueLabels();
    static QString valueLabel(const RateBar &bar);

    QList<RateBar> m_bars;
    double m_threshold = 2.0;
    QChartView *m_view;
    QBarSet *m_rateSet = nullptr;
    QScatterSeries *m_scoredOne = nullptr;
    QList<QLineSeries *> m_whiskers;
    QList<QGraphicsSimpleTextItem *> m_valueLabels;
};

/// Applies the widget palette to a chart (dark or light theme, transparent background).
void styleChart(QChart *chart, const QPalette &palette);
/// Renders a chart view's scene into `target` (vector output on SVG/PDF painters).
void renderChartView(QChartView *view, QPainter *painter, const QRectF &target);

} // namespace cr::widgets
