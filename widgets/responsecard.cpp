#include "widgets/responsecard.h"

#include "widgets/textblur.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cr::widgets {

ResponseCard::ResponseCard(QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_text(new QTextBrowser(this))
    , m_blur(new TextBlur(m_text))
{
    setFrameShape(QFrame::StyledPanel);
    setFrameShadow(QFrame::Plain);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::NoTextInteraction);

    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);

    QFont reading = m_text->font();
    reading.setPointSizeF(reading.pointSizeF() * 1.1);
    // Fifteen responses are laid out per item: skip the cosmetic shaping (ligatures,
    // kerning) that Latin text does not need; scripts that need shaping keep it.
    reading.setStyleStrategy(QFont::PreferNoShaping);
    m_text->setFont(reading);
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setReadOnly(true);
    m_text->setOpenLinks(false);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_text->setSizeAdjustPolicy(QAbstractScrollArea::AdjustIgnored);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_text->viewport()->setBackgroundRole(QPalette::Base);
    m_text->document()->setDocumentMargin(2);
    m_text->document()->setUndoRedoEnabled(false); // read-only: no undo history to rebuild
    connect(m_text->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
        this, &ResponseCard::updateTextHeight);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(6);
    layout->addWidget(m_title);
    layout->addWidget(rule);
    layout->addWidget(m_text);
    updateTextHeight();
}

QString ResponseCard::title() const
{
    return m_title->text();
}

void ResponseCard::setTitle(const QString &title)
{
    m_title->setText(title);
    setAccessibleName(title);
    m_text->setAccessibleName(tr("%1 text").arg(title));
}

QString ResponseCard::text() const
{
    return m_text->toPlainText();
}

void ResponseCard::setText(const QString &text)
{
    // Lay the new text out once, at the full width: a scroll bar left over from the
    // previous (longer) text would narrow the view, and its coming and going while the
    // height adapts would lay the document out two more times.
    // The old text goes first, so that dropping its scroll bar lays out an empty document.
    if (m_text->verticalScrollBarPolicy() != Qt::ScrollBarAlwaysOff) {
        m_text->clear();
        m_text->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    }
    m_text->setPlainText(text);
    m_text->verticalScrollBar()->setValue(0);
    updateTextHeight();
}

void ResponseCard::setMaximumTextHeight(int height)
{
    m_maximumTextHeight = std::max(height, fontMetrics().lineSpacing() * 3);
    updateTextHeight();
}

void ResponseCard::setTextBlurred(bool blurred)
{
    m_blurred = blurred;
    m_blur->setBlurred(blurred);
}

void ResponseCard::setFooter(QWidget *widget)
{
    if (widget == m_footer)
        return;
    delete m_footer;
    m_footer = widget;
    if (widget) {
        widget->setParent(this);
        auto *box = static_cast<QVBoxLayout *>(layout());
        const int at = m_details ? box->indexOf(m_details) : box->count();
        box->insertWidget(at, widget);
        widget->show();
    }
}

void ResponseCard::setDetails(QWidget *widget)
{
    if (widget == m_details)
        return;
    delete m_details;
    m_details = widget;
    if (widget) {
        widget->setParent(this);
        static_cast<QVBoxLayout *>(layout())->addWidget(widget);
        widget->show();
    }
}

void ResponseCard::setCurrent(bool current)
{
    if (current == m_current)
        return;
    m_current = current;
    QFont titleFont = m_title->font();
    titleFont.setUnderline(current);
    m_title->setFont(titleFont);
    update();
}

void ResponseCard::paintEvent(QPaintEvent *event)
{
    QFrame::paintEvent(event);
    if (!m_current)
        return;
    QPainter painter(this);
    QPen pen(palette().color(QPalette::Highlight));
    pen.setWidth(3);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(rect().adjusted(1, 1, -2, -2));
}

void ResponseCard::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateTextHeight();
}

void ResponseCard::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    updateTextHeight();
}

void ResponseCard::updateTextHeight()
{
    // The text view lays its document out to the viewport width; size the view to
    // the laid-out height so short responses take little room and long ones scroll.
    const int frame = 2 * m_text->frameWidth();
    const int documentHeight = int(std::ceil(m_text->document()->size().height()));
    const int minimum = m_text->fontMetrics().lineSpacing() + frame + 4;
    const int height =
        std::clamp(documentHeight + frame, minimum, std::max(minimum, m_maximumTextHeight));
    if (m_text->height() != height || m_text->minimumHeight() != height)
        m_text->setFixedHeight(height);
    // Only text taller than the card allows scrolls (and shows a scroll bar).
    const bool overflows = documentHeight + frame > height;
    const Qt::ScrollBarPolicy policy = overflows ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff;
    if (m_text->verticalScrollBarPolicy() != policy)
        m_text->setVerticalScrollBarPolicy(policy);
}

} // namespace cr::widgets
