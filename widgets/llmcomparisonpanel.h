#pragma once

#include "widgets/dashboardchart.h"

#include <QFontMetricsF>
#include <vector>

namespace cr::widgets {

/// One statistic column of a MetricTable; its cells are coloured on the sequential
/// ramp from `best`'s opposite end (`worst`) to `best`, so brighter always reads "agrees more".
struct MetricColumn {
    QString key; ///< machine name (CSV), e.g. "cohen_kappa"
    QString title; ///< header on screen
    double worst = 0.0;
    double best = 1.0;
    int decimals = 2;
};

/// One row: a rater compared with a reference (a clinician, "consensus", or a run count).
struct MetricRow {
    QString rater;
    QString reference;
    int n = 0;
    std::vector<double> values; ///< one per column; NaN = undefined
    QStringList notes; ///< one per column: why the value is undefined (empty if defined)
};

/// A titled table of rows × statistic columns, drawn as a coloured table.
struct MetricTable {
    QString key; ///< machine name (CSV), e.g. "categories"
    QString title;
    QString raterTitle;
    QString referenceTitle;
    QList<MetricColumn> columns;
    QList<MetricRow> rows;
    int minimumN = 10; ///< rows with fewer observations are hatched instead of coloured
};

/// Chart 6: LLM raters against the clinicians — coloured tables of LLM classifier ×
/// (each clinician, consensus) on categories, LLM judge × (each clinician, consensus)
/// on scores, and judge run-to-run consistency. When every table is empty the panel
/// shows `emptyMessage` instead. Custom painted. GUI thread only.
class LlmComparisonPanel final : public DashboardChart {
    Q_OBJECT
public:
    explicit LlmComparisonPanel(QWidget *parent = nullptr);

    void setData(const QList<MetricTable> &tables, const QString &sampleSize,
        const QString &emptyMessage, const QString &explanation);
    const QList<MetricTable> &tables() const { return m_tables; }
    /// True when no table has a row (the message is shown instead).
    bool isEmpty() const;
    QString emptyMessage() const { return m_emptyMessage; }
    ChartTable table() const override;
    /// Height that shows every row at a comfortable size for the panel's font.
    int preferredHeight() const;

protected:
    void renderBody(QPainter *painter, const QRectF &target) const override;
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Hit {
        QRectF rect;
        QString text;
    };
    struct Geometry;
    void paintTables(QPainter *painter, const QRectF &target, QList<Hit> *hits) const;
    Geometry geometry(const QFontMetricsF &fm, const QRectF &target) const;
    /// Draws one table from `y` down; returns the y below it.
    qreal paintTable(QPainter *painter, const MetricTable &t, const Geometry &g,
        const QRectF &target, qreal y, QList<Hit> *hits) const;
    /// Colours one statistic cell (hatched when undefined or n is small) and sets the pen for its
    /// text.
    void paintCell(QPainter *painter, const MetricTable &t, const MetricRow &row, int column,
        const QRectF &cell) const;
    static QString cellTip(const MetricColumn &c, const MetricRow &row, int column);
    void paintLegend(QPainter *painter, const QRectF &target, qreal y) const;

    QList<MetricTable> m_tables;
    QString m_emptyMessage;
    QList<Hit> m_hits; ///< cell tooltips of the last on-screen paint
};

} // namespace cr::widgets
