#include "widgets/categorypicker.h"

#include "widgets/pagehelpers.h"

#include <QAbstractButton>
#include <QEvent>
#include <QGridLayout>
#include <QPushButton>
#include <algorithm>

namespace cr::widgets {

CategoryPicker::CategoryPicker(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    setAccessibleName(tr("Crisis category"));
}

void CategoryPicker::setEntries(const QList<Entry> &entries)
{
    qDeleteAll(m_buttons);
    m_buttons.clear();
    m_entries = entries;
    for (int i = 0; i < entries.size(); ++i) {
        const Entry &entry = entries.at(i);
        auto *button = new QPushButton(this);
        const QString key = entry.key.isNull() ? QString() : QString(entry.key.toUpper());
        // "&&" keeps names with an ampersand literal; the key hint is part of the text.
        QString name = entry.name;
        name.replace(QLatin1Char('&'), QStringLiteral("&&"));
        button->setText(key.isEmpty() ? name : tr("%1   %2").arg(key, name));
        button->setCheckable(true);
        button->setFocusPolicy(Qt::NoFocus);
        button->setToolTip(entry.description);
        button->setAccessibleName(
            key.isEmpty() ? entry.name : tr("%1 (key %2)").arg(entry.name, key));
        button->setAccessibleDescription(entry.description);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        const QString id = entry.id;
        connect(button, &QPushButton::clicked, this, [this, id] {
            syncButtons(); // the owner decides, through setCategory()
            emit categoryRequested(id);
        });
        m_buttons.append(button);
    }
    placeButtons();
    reserveChosenWidth();
    syncButtons();
}

void CategoryPicker::setColumnCount(int columns)
{
    columns = std::max(1, columns);
    if (columns == m_columns)
        return;
    m_columns = columns;
    placeButtons();
}

void CategoryPicker::placeButtons()
{
    auto *grid = static_cast<QGridLayout *>(layout());
    for (QAbstractButton *b : std::as_const(m_buttons))
        grid->removeWidget(b);
    for (int i = 0; i < m_buttons.size(); ++i)
        grid->addWidget(m_buttons.at(i), i / m_columns, i % m_columns);
}

void CategoryPicker::reserveChosenWidth()
{
    for (QAbstractButton *b : std::as_const(m_buttons)) {
        b->setMinimumWidth(0);
        const bool chosen = b->isChecked();
        markChosen(b, true);
        const int bold = b->sizeHint().width();
        markChosen(b, false);
        const int plain = b->sizeHint().width();
        markChosen(b, chosen);
        b->setMinimumWidth(std::max(bold, plain));
    }
}

void CategoryPicker::setCategory(const QString &id)
{
    m_category = id;
    syncButtons();
}

QAbstractButton *CategoryPicker::button(const QString &id) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).id == id)
            return m_buttons.at(i);
    return nullptr;
}

void CategoryPicker::syncButtons()
{
    for (int i = 0; i < m_buttons.size(); ++i)
        markChosen(m_buttons.at(i), m_entries.at(i).id == m_category);
}

void CategoryPicker::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The chosen button carries its own palette: follow light/dark switches.
    if (event->type() == QEvent::FontChange)
        reserveChosenWidth();
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        syncButtons();
}

} // namespace cr::widgets
