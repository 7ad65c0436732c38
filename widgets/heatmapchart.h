#pragma once

#include "widgets/dashboardchart.h"

#include <vector>

namespace cr::widgets {

/// A rows × columns grid of values with the number of observations per cell.
struct HeatmapData {
    QStringList rows;
    QStringList columns;
    std::vector<double> values; ///< rows × columns, row-major; NaN = undefined
    std::vector<int> counts; ///< n per cell (same layout); -1 = not shown
    double minimum = 0.0; ///< value mapped to the ramp's start
    double maximum = 1.0; ///< value mapped to the ramp's end
    int minimumN = 10; ///< cells with n below this are hatched grey, not coloured
    int decimals = 2;
    QString rowTitle;
    QString columnTitle;

    double value(int row, int column) const
    {
        return values[std::size_t(row * columns.size() + column)];
    }
    int count(int row, int column) const
    {
        return counts[std::size_t(row * columns.size() + column)];
    }
    /// True when the cell is drawn as "too small / empty" instead of by its value.
    bool isMarked(int row, int column) const;
};

/// Grey fill with diagonal hatching: a cell that is undefined or has too few
/// observations. Drawn as lines (pattern brushes do not survive SVG).
void paintMark(QPainter *painter, const QRectF &r, const QPalette &palette);

/// Paints a heatmap with row/column labels, n in each cell, a hatched grey mark for
/// undefined or small cells, and a colour legend along the bottom.
void paintHeatmap(QPainter *painter, const QRectF &target, const HeatmapData &data,
    const QPalette &palette, const QFont &font);

/// A dashboard chart that is one heatmap (model × category, confusion, rater × rater).
class HeatmapChart final : public DashboardChart {
    Q_OBJECT
public:
    explicit HeatmapChart(const QString &title, QWidget *parent = nullptr);

    void setData(const HeatmapData &data, const QString &sampleSize, const QString &explanation);
    const HeatmapData &data() const { return m_data; }
    ChartTable table() const override;

protected:
    void renderBody(QPainter *painter, const QRectF &target) const override;
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    HeatmapData m_data;
};

/// The table of a heatmap: one row per cell (row, column, value, n).
ChartTable heatmapTable(const HeatmapData &data, const QString &valueName);

} // namespace cr::widgets
