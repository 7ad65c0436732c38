#include "widgets/textblur.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QTextDocument>
#include <QTextEdit>
#include <algorithm>

namespace cr::widgets {

namespace {

/// How far the text is shrunk: at 1/12 a line of body text is one or two pixels high.
constexpr int Shrink = 12;

} // namespace

TextBlur::TextBlur(QTextEdit *edit)
    : QObject(edit)
    , m_edit(edit)
{
    edit->viewport()->installEventFilter(this);
    const auto invalidate = [this] {
        m_stale = true;
        if (m_blurred)
            m_edit->viewport()->update();
    };
    connect(edit->document(), &QTextDocument::contentsChanged, this, invalidate);
    connect(edit->verticalScrollBar(), &QScrollBar::valueChanged, this, invalidate);
}

void TextBlur::setBlurred(bool blurred)
{
    if (blurred == m_blurred)
        return;
    m_blurred = blurred;
    m_stale = true;
    m_edit->setTextInteractionFlags(
        blurred ? Qt::NoTextInteraction : Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_edit->viewport()->update();
}

bool TextBlur::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit->viewport()) {
        if (event->type() == QEvent::Resize)
            m_stale = true;
        if (event->type() == QEvent::Paint && m_blurred) {
            QPainter painter(m_edit->viewport());
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            painter.drawPixmap(0, 0, blurredPixmap());
            return true; // the readable text is never painted
        }
    }
    return QObject::eventFilter(watched, event);
}

QPixmap TextBlur::blurredPixmap()
{
    QWidget *viewport = m_edit->viewport();
    if (!m_stale && m_cache.size() == viewport->size())
        return m_cache;
    const QSize size = viewport->size().expandedTo(QSize(1, 1));
    QImage sharp(size, QImage::Format_ARGB32_Premultiplied);
    sharp.fill(viewport->palette().color(viewport->backgroundRole()));
    {
        QPainter p(&sharp);
        p.translate(0, -m_edit->verticalScrollBar()->value());
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = m_edit->palette();
        context.clip = QRectF(0, m_edit->verticalScrollBar()->value(), size.width(), size.height());
        m_edit->document()->documentLayout()->draw(&p, context);
    }
    const QImage small = sharp.scaled(std::max(1, size.width() / Shrink),
        std::max(1, size.height() / Shrink), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    m_cache =
        QPixmap::fromImage(small.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    m_stale = false;
    return m_cache;
}

} // namespace cr::widgets
