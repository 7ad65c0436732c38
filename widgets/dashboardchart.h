#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

class QLabel;
class QToolButton;

namespace cr::widgets {

/// The numbers behind a chart, as a table (for CSV export and the PDF report).
struct ChartTable {
    QStringList header;
    QList<QStringList> rows;

    /// RFC 4180 CSV with a header row.
    QByteArray toCsv() const;
};

/// Base of the dashboard charts: a title, a sample-size line ("n = …"), an
/// explanation of how the numbers were computed, the table behind the chart, and
/// rendering to any QPainter (screen, PNG, SVG, PDF) at any size. GUI thread only.
class DashboardChart : public QWidget {
    Q_OBJECT
public:
    explicit DashboardChart(const QString &title, QWidget *parent = nullptr);

    QString title() const { return m_title; }
    QString sampleSize() const { return m_sampleSize; }
    QString explanation() const { return m_explanation; }
    virtual ChartTable table() const = 0;

    /// Draws title, n line and the chart into `target` (logical units of `painter`).
    void render(QPainter *painter, const QRectF &target) const;
    /// Renders at `size` (default: the widget's size, at least 800×480) to a PNG or SVG file.
    bool savePng(const QString &path, QSize size = {}) const;
    bool saveSvg(const QString &path, QSize size = {}) const;

signals:
    void contentChanged();

protected:
    void setSampleSize(const QString &text);
    void setExplanation(const QString &text);
    /// Draws the chart body (no title) into `target`.
    virtual void renderBody(QPainter *painter, const QRectF &target) const = 0;
    QSize exportSize(QSize requested) const;

private:
    QString m_title;
    QString m_sampleSize;
    QString m_explanation;
};

/// A framed card around one chart: title, n, an info button whose tooltip says how
/// the chart was computed, and a menu to save it (PNG, SVG) or its table (CSV).
class ChartCard final : public QWidget {
    Q_OBJECT
public:
    explicit ChartCard(DashboardChart *chart, QWidget *parent = nullptr);

    DashboardChart *chart() const { return m_chart; }
    QToolButton *infoButton() const { return m_info; }

signals:
    /// format: "png", "svg" or "csv".
    void exportRequested(const QString &format);

private:
    void refresh();

    DashboardChart *m_chart;
    QLabel *m_title;
    QLabel *m_n;
    QToolButton *m_info;
    QToolButton *m_menu;
};

} // namespace cr::widgets
