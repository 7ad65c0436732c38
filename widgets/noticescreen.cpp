#include "widgets/noticescreen.h"

#include "widgets/pagehelpers.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cr::widgets {

NoticeScreen::NoticeScreen(const QString &buttonText, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_button(buttonText.isEmpty() ? nullptr : new QPushButton(buttonText, this))
{
    scaleFont(m_title, TitleScale);
    m_title->setWordWrap(true);
    m_title->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    if (m_button) {
        layout->addSpacing(12);
        layout->addWidget(m_button, 0, Qt::AlignHCenter);
    }
    layout->addStretch();
}

void NoticeScreen::setTitle(const QString &text)
{
    m_title->setText(text);
}

QString NoticeScreen::title() const
{
    return m_title->text();
}

void NoticeScreen::setHint(const QString &text)
{
    m_hint->setText(text);
}

} // namespace cr::widgets
