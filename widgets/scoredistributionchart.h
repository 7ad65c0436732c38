#pragma once

#include "widgets/dashboardchart.h"

#include <array>

class QChartView;
class QBarSet;

namespace cr::widgets {

/// One model's counts of score levels 1..5.
struct DistributionRow {
    QString label;
    std::array<int, 5> counts {};
    int n() const { return counts[0] + counts[1] + counts[2] + counts[3] + counts[4]; }
};

/// Chart 2: diverging stacked bars per model — levels 1–2 (harmful) to the left
/// of zero, 4–5 (appropriate) to the right, level 3 split half and half — as a
/// percentage of that model's scores. Qt Charts.
class ScoreDistributionChart final : public DashboardChart {
    Q_OBJECT
public:
    explicit ScoreDistributionChart(QWidget *parent = nullptr);

    /// `levelNames[i]` names level i + 1 in the legend.
    void setData(const QList<DistributionRow> &rows, const QStringList &levelNames);
    const QList<DistributionRow> &rows() const { return m_rows; }
    ChartTable table() const override;

    /// For tests: the signed percentage drawn for level 1..5 of row `row` (level 3
    /// is the sum of its two halves).
    double drawnPercent(int row, int level) const;
    /// The bar set of level 1..5 (level 3: its left half).
    QBarSet *levelSet(int level) const { return m_sets[std::size_t(level - 1)]; }

protected:
    void renderBody(QPainter *painter, const QRectF &target) const override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    QList<DistributionRow> m_rows;
    QStringList m_levelNames;
    QChartView *m_view;
    std::array<QBarSet *, 5> m_sets {};
    QBarSet *m_neutralRight = nullptr;
    QBarSet *m_padding = nullptr; ///< invisible, shifts each bar so zero sits at the axis centre
};

} // namespace cr::widgets
