#pragma once

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QToolButton;

namespace cr::widgets {

/// An inline message above a page's content (cf. KDE's KMessageWidget): an icon,
/// wrapped text, optional action buttons and a close button. Colours come from
/// the palette. GUI thread only.
class MessageBanner final : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString text() const;
    /// Sets the message and shows the banner.
    void showMessage(Kind kind, const QString &text);
    /// Adds an action button (e.g. "I understand") before the close button.
    QPushButton *addButton(const QString &text);
    void setCloseButtonVisible(bool visible);

signals:
    /// The close button was pressed (the banner has hidden itself).
    void dismissed();

private:
    void updateIcon();

    Kind m_kind = Kind::Information;
    QLabel *m_icon;
    QLabel *m_text;
    QHBoxLayout *m_buttons;
    QToolButton *m_close;
};

} // namespace cr::widgets
