#pragma once

#include <QStringList>
#include <QTextBrowser>

namespace cr::widgets {

class TextBlur;

/// Read-only view of a person's message, one paragraph per turn or sentence,
/// set slightly larger than body text for long reading sessions. Selectable
/// with mouse and keyboard. GUI thread only.
class MessageView final : public QTextBrowser {
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);

    QStringList turns() const { return m_turns; }
    void setTurns(const QStringList &turns);
    /// Shown (dimmed) when there are no turns.
    void setPlaceholder(const QString &text);

    /// Blurred until revealed (TextBlur: this view's own text, never a stale picture).
    bool isTextBlurred() const;
    void setTextBlurred(bool blurred);

private:
    void rebuild();

    QStringList m_turns;
    QString m_placeholder;
    TextBlur *m_blur;
};

} // namespace cr::widgets
