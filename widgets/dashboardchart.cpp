#include "widgets/dashboardchart.h"

#include <QAction>
#include <QBoxLayout>
#include <QFile>
#include <QFont>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QStyle>
#include <QSvgGenerator>
#include <QToolButton>
#include <QToolTip>

namespace cr::widgets {

namespace {

QString csvField(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"'))
        && !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
        return field;
    QString quoted = field;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvLine(const QStringList &fields)
{
    QStringList out;
    for (const QString &f : fields)
        out.append(csvField(f));
    return out.join(QLatin1Char(',')) + QLatin1String("\r\n");
}

} // namespace

QByteArray ChartTable::toCsv() const
{
    QString text = csvLine(header);
    for (const QStringList &row : rows)
        text += csvLine(row);
    return text.toUtf8();
}

DashboardChart::DashboardChart(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    setAccessibleName(title);
    setMinimumSize(320, 260);
}

void DashboardChart::setSampleSize(const QString &text)
{
    m_sampleSize = text;
    setAccessibleDescription(text);
}

void DashboardChart::setExplanation(const QString &text)
{
    m_explanation = text;
    setToolTip(text);
}

void DashboardChart::render(QPainter *painter, const QRectF &target) const
{
    painter->save();
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(font().pointSizeF() * 1.15);
    painter->setFont(titleFont);
    painter->setPen(palette().color(QPalette::WindowText));
    const qreal titleHeight = QFontMetricsF(titleFont, painter->device()).height();
    painter->drawText(QRectF(target.left(), target.top(), target.width(), titleHeight),
        Qt::AlignLeft | Qt::AlignVCenter, m_title);
    painter->setFont(font());
    const qreal lineHeight = QFontMetricsF(font(), painter->device()).height();
    painter->drawText(QRectF(target.left(), target.top() + titleHeight, target.width(), lineHeight),
        Qt::AlignLeft | Qt::AlignVCenter, m_sampleSize);
    painter->restore();
    const qreal top = titleHeight + lineHeight * 1.4;
    renderBody(painter, target.adjusted(0, top, 0, 0));
}

QSize DashboardChart::exportSize(QSize requested) const
{
    if (requested.isValid() && !requested.isEmpty())
        return requested;
    return size().expandedTo(QSize(800, 480));
}

bool DashboardChart::savePng(const QString &path, QSize size) const
{
    size = exportSize(size);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().color(QPalette::Window));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    render(&painter, QRectF(QPointF(8, 8), QSizeF(size) - QSizeF(16, 16)));
    painter.end();
    return image.save(path, "PNG");
}

bool DashboardChart::saveSvg(const QString &path, QSize size) const
{
    size = exportSize(size);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(m_title);
    svg.setDescription(m_explanation);
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    painter.fillRect(QRect(QPoint(0, 0), size), palette().color(QPalette::Window));
    render(&painter, QRectF(QPointF(8, 8), QSizeF(size) - QSizeF(16, 16)));
    return painter.end() && QFile::exists(path);
}

ChartCard::ChartCard(DashboardChart *chart, QWidget *parent)
    : QWidget(parent)
    , m_chart(chart)
    , m_title(new QLabel(this))
    , m_n(new QLabel(this))
    , m_info(new QToolButton(this))
    , m_menu(new QToolButton(this))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    m_n->setForegroundRole(QPalette::PlaceholderText);
    m_info->setIcon(style()->standardIcon(QStyle::SP_MessageBoxInformation));
    m_info->setText(tr("How computed"));
    m_info->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_info->setAutoRaise(true);
    m_info->setAccessibleName(tr("How %1 is computed").arg(chart->title()));
    connect(m_info, &QToolButton::clicked, this, [this] {
        QToolTip::showText(
            m_info->mapToGlobal(QPoint(0, m_info->height())), m_chart->explanation(), m_info);
    });
    m_menu->setText(tr("Save…"));
    m_menu->setAccessibleName(tr("Save %1").arg(chart->title()));
    m_menu->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_menu);
    const std::pair<QString, QString> formats[] = { { tr("Save as &PNG…"), QStringLiteral("png") },
        { tr("Save as &SVG…"), QStringLiteral("svg") },
        { tr("Export table as &CSV…"), QStringLiteral("csv") } };
    for (const auto &[text, format] : formats) {
        const QString f = format;
        menu->addAction(text, this, [this, f] { emit exportRequested(f); });
    }
    m_menu->setMenu(menu);
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this,
        [this, menu](const QPoint &pos) { menu->popup(mapToGlobal(pos)); });

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_info);
    header->addStretch();
    header->addWidget(m_n);
    header->addWidget(m_menu);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(header);
    layout->addWidget(chart, 1);
    chart->setParent(this);
    connect(chart, &DashboardChart::contentChanged, this, &ChartCard::refresh);
    setAccessibleName(chart->title());
    refresh();
}

void ChartCard::refresh()
{
    m_title->setText(m_chart->title());
    m_n->setText(m_chart->sampleSize());
    m_info->setToolTip(m_chart->explanation());
}

} // namespace cr::widgets
