#include "widgets/stattile.h"

#include "widgets/pagehelpers.h"

#include <QLabel>
#include <QVBoxLayout>

namespace cr::widgets {

StatTile::StatTile(const QString &caption, QWidget *parent)
    : QFrame(parent)
    , m_value(new QLabel(QStringLiteral("0"), this))
    , m_caption(new QLabel(caption, this))
    , m_detail(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    scaleFont(m_value, BigScale, true);
    m_caption->setForegroundRole(QPalette::WindowText);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    m_detail->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(0);
    layout->addWidget(m_value);
    layout->addWidget(m_caption);
    layout->addWidget(m_detail);
    layout->addStretch();
    updateAccessibleName();
}

QString StatTile::caption() const
{
    return m_caption->text();
}

QString StatTile::value() const
{
    return m_value->text();
}

void StatTile::setValue(const QString &value)
{
    m_value->setText(value);
    updateAccessibleName();
}

void StatTile::setDetail(const QString &detail)
{
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
    updateAccessibleName();
}

void StatTile::updateAccessibleName()
{
    QString name = m_caption->text() + QStringLiteral(": ") + m_value->text();
    if (!m_detail->text().isEmpty())
        name += QStringLiteral(" (") + m_detail->text() + QLatin1Char(')');
    setAccessibleName(name);
}

} // namespace cr::widgets
