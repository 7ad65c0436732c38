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
    /// Cells with 0 <= n < minimumN are hatched grey ("too few to show"), not coloured; the
    /// one meaning of hatching on the dashboard. An undefined value with enough n shows "—".
    int minimumN = 10;
    int decimals = 2;
    /// Values are shares 0–1 shown as whole percentages (and the legend in %).
    bool percent = false;
    /// 95% interval per cell (same layout as values; empty = none), shown under the value.
    std::vector<double> lows;
    std::vector<double> highs;
    /// Shown names of rows and columns (e.g. a category's name for its id); empty = the
    /// ids in rows/columns.
    QStringList rowLabels;
    QStringList columnLabels;
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
    double low(int row, int column) const;
    double high(int row, int column) const;
    QString rowLabel(int row) const { return rowLabels.value(row, rows.value(row)); }
    QString columnLabel(int column) const
    {
        return columnLabels.value(column, columns.value(column));
    }
    /// The value as shown: "67%" or "0.67"; "—" when undefined.
    QString valueText(double v) const;
    /// The cell's interval as shown ("[21–94%]"); empty without one.
    QString intervalText(int row, int column) const;
    /// True when the cell is drawn as "too few observations" (0 <= n < minimumN) instead of
    /// by its value.
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
