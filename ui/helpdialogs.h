#pragma once

#include "protocol/protocol.h"

#include <QDialog>

class QLineEdit;
class QTextBrowser;
class QLabel;

namespace cr::ui {

/// Help ▸ Keyboard Shortcuts: every key of the rating and review pages and of the
/// window's menus, grouped by where it works. Read-only. GUI thread only.
class KeyboardShortcutsDialog final : public QDialog {
    Q_OBJECT
public:
    /// `menuActions`: the window's menu actions; those with a shortcut are listed too.
    explicit KeyboardShortcutsDialog(
        const QList<QAction *> &menuActions, QWidget *parent = nullptr);

    /// The shown page as plain text (for tests).
    QString plainText() const;

private:
    QTextBrowser *m_text;
};

/// Help ▸ Protocol: the study's clinical protocol — its categories with definitions and
/// the anchors of every score level, the response checklist and the failure modes —
/// read-only and searchable (the search field highlights and jumps to matches).
class ProtocolViewerDialog final : public QDialog {
    Q_OBJECT
public:
    explicit ProtocolViewerDialog(const protocol::Protocol &protocol, QWidget *parent = nullptr);

    /// Highlights every match of `text` (case-insensitive) and shows the first;
    /// returns how many matches there are.
    int search(const QString &text);
    QString plainText() const;
    QLineEdit *searchField() const { return m_search; }

    /// The protocol as one HTML page.
    static QString html(const protocol::Protocol &protocol);

private:
    QLineEdit *m_search;
    QTextBrowser *m_text;
    QLabel *m_matches;
};

} // namespace cr::ui
