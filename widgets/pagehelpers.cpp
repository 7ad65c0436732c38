#include "widgets/pagehelpers.h"

#include <QAbstractButton>
#include <QAction>
#include <QLabel>
#include <QToolButton>

namespace cr::widgets {

QLabel *heading(const QString &text, QWidget *parent, QWidget *buddy)
{
    auto *label = new QLabel(text, parent);
    scaleFont(label, 1.0, true);
    if (buddy)
        label->setBuddy(buddy);
    return label;
}

void scaleFont(QWidget *widget, qreal factor, bool bold)
{
    QFont font = widget->font();
    if (factor != 1.0)
        font.setPointSizeF(font.pointSizeF() * factor);
    if (bold)
        font.setBold(true);
    widget->setFont(font);
}

void markChosen(QAbstractButton *button, bool chosen)
{
    button->setChecked(chosen);
    QPalette palette = button->parentWidget()->palette();
    QFont font = button->parentWidget()->font();
    if (chosen) {
        palette.setColor(QPalette::Button, palette.color(QPalette::Highlight));
        palette.setColor(QPalette::ButtonText, palette.color(QPalette::HighlightedText));
        font.setBold(true);
    }
    button->setPalette(palette);
    button->setFont(font);
}

QAction *keyAction(const QString &text, const QList<QKeySequence> &keys, QWidget *parent)
{
    auto *action = new QAction(text, parent);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WindowShortcut);
    action->setEnabled(false);
    parent->addAction(action);
    return action;
}

QToolButton *actionButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAccessibleName(action->text().remove(QLatin1Char('&')));
    return button;
}

} // namespace cr::widgets
