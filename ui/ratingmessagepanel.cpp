#include "ui/ratingmessagepanel.h"

#include "widgets/categorypicker.h"
#include "widgets/messageview.h"
#include "widgets/pagehelpers.h"

#include <QLabel>
#include <QVBoxLayout>

namespace cr::ui {

RatingMessagePanel::RatingMessagePanel(QWidget *parent)
    : QWidget(parent)
    , m_message(new widgets::MessageView(this))
    , m_picker(new widgets::CategoryPicker(this))
{
    m_message->setAccessibleName(tr("Message"));
    m_message->setPlaceholder(tr("This item has no text."));
    auto *categoryTitle = widgets::heading(tr("Category"), this);
    categoryTitle->setToolTip(tr("Label the message first: press the key shown on a category"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(widgets::heading(tr("&Message"), this, m_message));
    layout->addWidget(m_message, 1);
    layout->addSpacing(6);
    layout->addWidget(categoryTitle);
    layout->addWidget(m_picker);
}

} // namespace cr::ui
