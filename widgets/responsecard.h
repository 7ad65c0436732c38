#pragma once

#include <QFrame>

class QLabel;
class QTextBrowser;

namespace cr::widgets {

class TextBlur;

/// A read-only card for one candidate response: a header ("Response A") over
/// the response text, which is selectable and grows with its content up to
/// maximumTextHeight(), then scrolls. Knows nothing about studies. GUI thread only.
class ResponseCard final : public QFrame {
    Q_OBJECT
public:
    explicit ResponseCard(QWidget *parent = nullptr);

    QString title() const;
    void setTitle(const QString &title);
    QString text() const;
    void setText(const QString &text);

    int maximumTextHeight() const { return m_maximumTextHeight; }
    void setMaximumTextHeight(int height);

    /// Blurs the text (for raters who prefer to reveal distressing content deliberately).
    bool isTextBlurred() const { return m_blurred; }
    void setTextBlurred(bool blurred);

    QTextBrowser *textView() const { return m_text; }

    /// Puts `widget` (for example a score selector) below the text; the card owns it.
    void setFooter(QWidget *widget);
    QWidget *footer() const { return m_footer; }
    /// Puts `widget` (for example a checklist and rationale) below the footer; owned.
    void setDetails(QWidget *widget);
    QWidget *details() const { return m_details; }

    /// Marks the card as the one keyboard actions apply to (drawn highlighted).
    bool isCurrent() const { return m_current; }
    void setCurrent(bool current);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void updateTextHeight();

    QLabel *m_title;
    QTextBrowser *m_text;
    QWidget *m_footer = nullptr;
    QWidget *m_details = nullptr;
    int m_maximumTextHeight = 360;
    bool m_blurred = false;
    TextBlur *m_blur;
    bool m_current = false;
};

} // namespace cr::widgets
