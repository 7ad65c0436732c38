#pragma once

#include <QObject>
#include <QPixmap>

class QTextEdit;

namespace cr::widgets {

/// Blurs the text of a QTextEdit (or QTextBrowser) until revealed, by painting its
/// viewport itself: the edit's own document, laid out as shown, drawn into an image that
/// is shrunk far below legibility and scaled back up. No QGraphicsEffect: an effect on a
/// widget inside a scroll area can show a stale or foreign picture (other widgets' text
/// from the previous item); this draws nothing but the current document, and the image
/// is rebuilt whenever the document, the size or the scroll position changes.
/// GUI thread only.
class TextBlur final : public QObject {
    Q_OBJECT
public:
    /// Attaches to `edit` (which owns this object).
    explicit TextBlur(QTextEdit *edit);

    bool isBlurred() const { return m_blurred; }
    void setBlurred(bool blurred);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QPixmap blurredPixmap();

    QTextEdit *m_edit;
    bool m_blurred = false;
    QPixmap m_cache;
    bool m_stale = true;
};

} // namespace cr::widgets
