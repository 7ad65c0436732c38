#pragma once

#include <QWidget>
#include <optional>

class QAction;
class QLabel;
class QProgressBar;
class QToolButton;

namespace cr::ui {

/// The rating page's top row: where the rater is ("Item 3 of 30", the item's number in
/// the study, the flag badge), how much is done, and the buttons of the page's actions
/// (overview when the role has one, skip, pause, reveal text, previous/next item).
/// Blinded: only the study's own item number, never the external id (it names the
/// source), and no calibration badge: a rater cannot tell a check item from another.
class RatingItemHeader final : public QWidget {
    Q_OBJECT
public:
    /// The page's actions shown as buttons (not owned).
    struct Actions {
        QAction *overview; ///< nullptr: no overview button
        QAction *skip;
        QAction *distressing;
        QAction *reveal;
        QAction *previous;
        QAction *next;
    };
    explicit RatingItemHeader(const Actions &actions, QWidget *parent = nullptr);

    /// Item `index` (0-based) of `count`; `itemId` is the study's number of the item.
    void setItem(int index, int count, std::optional<qint64> itemId, bool flagged);
    void setFlagged(bool flagged);
    /// `done` of `count` items finished; hidden without items.
    void setProgress(int done, int count);
    /// The "Reveal Text" button exists only while text is blurred.
    void setRevealVisible(bool visible);

    QLabel *positionLabel() const { return m_position; }

private:
    QLabel *m_position;
    QLabel *m_itemId;
    QLabel *m_flagged;
    QProgressBar *m_progress;
    QToolButton *m_revealButton;
};

} // namespace cr::ui
