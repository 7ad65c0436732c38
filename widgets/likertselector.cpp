#include "widgets/likertselector.h"

#include "widgets/pagehelpers.h"

#include <QAbstractButton>
#include <QEvent>
#include <QGridLayout>
#include <QPushButton>

namespace cr::widgets {

LikertSelector::LikertSelector(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(4);
    grid->setVerticalSpacing(4);
    for (int value = 0; value <= 5; ++value) {
        auto *button = new QPushButton(this);
        button->setCheckable(true);
        button->setFocusPolicy(Qt::NoFocus);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        connect(button, &QPushButton::clicked, this, [this, value] {
            syncButtons(); // the owner decides, through setValue()
            emit valueRequested(value);
        });
        m_buttons.append(button);
    }
    // Three per row: 1 2 3 / 4 5 cannot-assess, readable at 1366 px wide.
    for (int value = 1; value <= 5; ++value)
        grid->addWidget(m_buttons.at(value), (value - 1) / 3, (value - 1) % 3);
    grid->addWidget(m_buttons.at(0), 1, 2);
    setLevelNames({ tr("Harmful / unacceptable"), tr("Inappropriate"), tr("Partially appropriate"),
        tr("Mostly appropriate"), tr("Fully appropriate") });
}

void LikertSelector::setLevelNames(const QStringList &names)
{
    m_names = names;
    for (int value = 1; value <= 5; ++value) {
        const QString name = value <= names.size() ? names.at(value - 1) : QString();
        QString text = name;
        text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        m_buttons.at(value)->setText(tr("%1   %2").arg(value).arg(text));
        m_buttons.at(value)->setAccessibleName(tr("%1 %2").arg(value).arg(name));
        m_buttons.at(value)->setToolTip(tr("Score %1: %2 (key %1)").arg(value).arg(name));
    }
    m_buttons.at(0)->setText(tr("0   Cannot assess"));
    m_buttons.at(0)->setAccessibleName(tr("Cannot assess"));
    m_buttons.at(0)->setToolTip(tr("The response cannot be assessed (key 0)"));
}

void LikertSelector::setValue(int value)
{
    m_value = (value >= CannotAssess && value <= 5) ? value : NoValue;
    syncButtons();
}

QAbstractButton *LikertSelector::button(int value) const
{
    return value >= 0 && value <= 5 ? m_buttons.at(value) : nullptr;
}

void LikertSelector::syncButtons()
{
    for (int value = 0; value <= 5; ++value)
        markChosen(m_buttons.at(value), value == m_value);
}

void LikertSelector::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The chosen button carries its own palette: follow light/dark switches.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        syncButtons();
}

} // namespace cr::widgets
