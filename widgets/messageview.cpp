#include "widgets/messageview.h"

#include "widgets/textblur.h"

#include <QScrollBar>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QTextCursor>

namespace cr::widgets {

MessageView::MessageView(QWidget *parent)
    : QTextBrowser(parent)
    , m_blur(new TextBlur(this))
{
    setReadOnly(true);
    setOpenLinks(false);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.1);
    setFont(f);
    document()->setDocumentMargin(12);
}

void MessageView::setTurns(const QStringList &turns)
{
    m_turns = turns;
    rebuild();
}

void MessageView::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    if (m_turns.isEmpty())
        rebuild();
}

void MessageView::setTextBlurred(bool blurred)
{
    m_blur->setBlurred(blurred);
}

bool MessageView::isTextBlurred() const
{
    return m_blur->isBlurred();
}

void MessageView::rebuild()
{
    clear();
    QTextCursor cursor(document());
    // One edit: the document is laid out once, not after every block and text inserted.
    cursor.beginEditBlock();
    QTextBlockFormat paragraph;
    paragraph.setBottomMargin(fontMetrics().lineSpacing() * 0.6);
    paragraph.setLineHeight(115, QTextBlockFormat::ProportionalHeight);
    if (m_turns.isEmpty()) {
        QTextCharFormat dim;
        dim.setForeground(palette().brush(QPalette::PlaceholderText));
        cursor.setBlockFormat(paragraph);
        cursor.insertText(m_placeholder, dim);
    } else {
        for (qsizetype i = 0; i < m_turns.size(); ++i) {
            if (i > 0)
                cursor.insertBlock();
            cursor.setBlockFormat(paragraph);
            cursor.insertText(m_turns.at(i), QTextCharFormat());
        }
    }
    cursor.endEditBlock();
    verticalScrollBar()->setValue(0);
}

} // namespace cr::widgets
