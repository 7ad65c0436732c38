#pragma once

#include <QKeySequence>
#include <QList>
#include <QString>

class QAbstractButton;
class QAction;
class QLabel;
class QToolButton;
class QWidget;

namespace cr::widgets {

/// How much larger than the page's text a page title (1.35: "Item 3 of 30", the pause
/// and empty screens) or a big figure (1.8: the study title, a tile's value) is drawn.
inline constexpr qreal TitleScale = 1.35;
inline constexpr qreal BigScale = 1.8;

/// A bold section title; `buddy` (optional) takes the focus for its mnemonic.
QLabel *heading(const QString &text, QWidget *parent, QWidget *buddy = nullptr);

/// Scales `widget`'s font by `factor`, bold when asked.
void scaleFont(QWidget *widget, qreal factor, bool bold = false);

/// A checked (stored) choice stands out: highlight colours and bold text. The button's
/// parent widget gives the normal palette and font.
void markChosen(QAbstractButton *button, bool chosen);

/// A window-wide shortcut of a page: added to `parent`, disabled until the page
/// enables it (a hidden page's keys must not act).
QAction *keyAction(const QString &text, const QList<QKeySequence> &keys, QWidget *parent);

/// A tool button showing `action` with its icon and text, named for screen readers.
QToolButton *actionButton(QAction *action, QWidget *parent);

} // namespace cr::widgets
