#include "widgets/protocolpanel.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace cr::widgets {

ProtocolPanel::ProtocolPanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_placeholderLabel(new QLabel(this))
{
    setAccessibleName(tr("Protocol"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_placeholderLabel->setWordWrap(true);
    m_placeholderLabel->setForegroundRole(QPalette::PlaceholderText);

    auto *area = new QScrollArea(this);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *content = new QWidget(area);
    content->setBackgroundRole(QPalette::Window);
    auto *anchors = new QVBoxLayout(content);
    anchors->setContentsMargins(0, 0, 4, 0);
    anchors->setSpacing(4);
    anchors->addWidget(m_placeholderLabel);
    for (int level = 1; level <= 5; ++level) {
        auto *label = new QLabel(content);
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
        label->setContentsMargins(6, 4, 6, 4);
        label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        anchors->addWidget(label);
        m_labels.append(label);
    }
    anchors->addStretch(1);
    area->setWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_title);
    layout->addWidget(area, 1);
    m_placeholder = tr("Choose a category to see its anchors.");
    updateLabels();
}

void ProtocolPanel::setLevelNames(const QStringList &names)
{
    m_names = names;
    updateLabels();
}

void ProtocolPanel::setCategory(const QString &name, const QStringList &anchors)
{
    if (name == m_category && anchors == m_anchors)
        return; // unchanged: no relabelling or relayout on every item
    m_category = name;
    m_anchors = anchors;
    updateLabels();
}

void ProtocolPanel::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    updateLabels();
}

void ProtocolPanel::setHighlightedLevel(int level)
{
    const int highlighted = level >= 1 && level <= 5 ? level : 0;
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    updateLabels();
}

QLabel *ProtocolPanel::anchorLabel(int level) const
{
    return level >= 1 && level <= 5 ? m_labels.at(level - 1) : nullptr;
}

void ProtocolPanel::updateLabels()
{
    const bool empty = m_category.isEmpty();
    m_title->setText(empty ? tr("Protocol") : tr("Protocol: %1").arg(m_category));
    m_placeholderLabel->setText(m_placeholder);
    m_placeholderLabel->setVisible(empty);
    for (int level = 1; level <= 5; ++level) {
        QLabel *label = m_labels.at(level - 1);
        label->setVisible(!empty);
        const QString name = level <= m_names.size() ? m_names.at(level - 1) : QString();
        const QString anchor = level <= m_anchors.size() ? m_anchors.at(level - 1) : QString();
        label->setText(QStringLiteral("<b>%1 %2</b><br>%3")
                           .arg(level)
                           .arg(name.toHtmlEscaped(), anchor.toHtmlEscaped()));
        label->setAccessibleName(tr("Level %1 %2: %3").arg(level).arg(name, anchor));
        const bool on = level == m_highlighted;
        label->setAutoFillBackground(on);
        label->setBackgroundRole(on ? QPalette::Highlight : QPalette::Window);
        label->setForegroundRole(on ? QPalette::HighlightedText : QPalette::WindowText);
    }
}

} // namespace cr::widgets
