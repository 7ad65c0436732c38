#pragma once

#include "widgets/heatmapchart.h"

#include <limits>

namespace cr::widgets {

/// One agreement coefficient with its interval (NaN = none / undefined).
struct Coefficient {
    QString label;
    double value = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    QString note; ///< why the value is undefined
};

/// Chart 4: chance-corrected agreement — a forest plot of the coefficients (dots with
/// bootstrap intervals) above two rater × rater heatmaps (weighted κ on scores,
/// Cohen's κ on categories). Custom painted.
class AgreementPanel final : public DashboardChart {
    Q_OBJECT
public:
    explicit AgreementPanel(QWidget *parent = nullptr);

    void setData(const QList<Coefficient> &coefficients, const HeatmapData &scoreKappa,
        const HeatmapData &categoryKappa, const QString &sampleSize);
    const QList<Coefficient> &coefficients() const { return m_coefficients; }
    const HeatmapData &scoreKappa() const { return m_scoreKappa; }
    const HeatmapData &categoryKappa() const { return m_categoryKappa; }
    ChartTable table() const override;

protected:
    void renderBody(QPainter *painter, const QRectF &target) const override;
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Coefficient> m_coefficients;
    HeatmapData m_scoreKappa;
    HeatmapData m_categoryKappa;
};

/// One class of a confusion matrix.
struct ClassScore {
    QString label; ///< the category's id (the chart table's value)
    QString name; ///< what the chart shows (the protocol's name); the label when empty
    int support = 0;
    double f1 = std::numeric_limits<double>::quiet_NaN();
};

/// Chart 5: category confusion between two rater selections — the matrix (rows =
/// reference, columns = predicted; colour = share of the reference row, n = count)
/// beside per-class F1 bars. Custom painted.
class ConfusionPanel final : public DashboardChart {
    Q_OBJECT
public:
    explicit ConfusionPanel(QWidget *parent = nullptr);

    void setData(const HeatmapData &matrix, const QList<ClassScore> &classes, double macroF1,
        double accuracy, const QString &sampleSize, const QString &explanation);
    const HeatmapData &matrix() const { return m_matrix; }
    const QList<ClassScore> &classes() const { return m_classes; }
    double macroF1() const { return m_macroF1; }
    ChartTable table() const override;

protected:
    void renderBody(QPainter *painter, const QRectF &target) const override;
    void paintEvent(QPaintEvent *event) override;

private:
    HeatmapData m_matrix;
    QList<ClassScore> m_classes;
    double m_macroF1 = std::numeric_limits<double>::quiet_NaN();
    double m_accuracy = std::numeric_limits<double>::quiet_NaN();
};

} // namespace cr::widgets
