#pragma once

#include "storage/types.h"

#include <QWidget>

class QAction;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QToolButton;
class QVBoxLayout;

namespace cr::storage {
class Study;
}
namespace cr::widgets {
class MessageBanner;
class MessageView;
class ResponseCard;
} // namespace cr::widgets

namespace cr::ui {

/// One rater's work, one assigned item at a time: the crisis message on the left,
/// the candidate responses on the right as cards labelled "Response A", "B"… in an
/// order shuffled by the assignment's seed. Blinded: nothing on this page ever
/// shows which model wrote a response. Scoring is added by the rating workspace.
///
/// Threading: GUI thread only; reads the study synchronously (one item per move).
class RatingPage final : public QWidget {
    Q_OBJECT
public:
    explicit RatingPage(QWidget *parent = nullptr);
    ~RatingPage() override;

    /// Signs `rater` in on `study` (not owned: it must outlive the page or be
    /// detached with clear()) and shows the rater's first assignment.
    void start(storage::Study *study, const storage::Rater &rater);
    void clear();

    QString raterName() const { return m_rater.name; }
    qint64 raterId() const { return m_rater.id; }
    /// Index of the shown assignment, -1 when the rater has none.
    int currentIndex() const { return m_index; }
    int itemCount() const { return int(m_assignments.size()); }
    /// Response ids in display order (position 0 is "Response A").
    QList<qint64> shownResponseIds() const { return m_shownResponseIds; }

    QAction *previousItemAction() const { return m_previousAction; }
    QAction *nextItemAction() const { return m_nextAction; }
    QAction *overviewAction() const { return m_overviewAction; }

    bool isTextBlurred() const { return m_blurred; }
    void setTextBlurred(bool blurred);

    void showItem(int index);
    void showNextItem();
    void showPreviousItem();

signals:
    void currentItemChanged(int index, int count);
    void overviewRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateActions();
    void applyBlur();
    widgets::ResponseCard *card(int position);
    int cardTextHeight() const;
    void showContentNoteIfNeeded();

    storage::Study *m_study = nullptr;
    storage::Rater m_rater;
    QList<storage::Assignment> m_assignments;
    QList<qint64> m_shownResponseIds;
    int m_index = -1;
    bool m_blurred = false;
    bool m_revealed = false;

    QAction *m_previousAction;
    QAction *m_nextAction;
    QAction *m_overviewAction;
    QAction *m_revealAction;
    widgets::MessageBanner *m_contentNote;
    QStackedWidget *m_stack;
    QLabel *m_position;
    QLabel *m_itemId;
    QLabel *m_calibration;
    QToolButton *m_revealButton;
    widgets::MessageView *m_message;
    QLabel *m_responsesTitle;
    QScrollArea *m_responsesArea;
    QVBoxLayout *m_cardsLayout;
    QList<widgets::ResponseCard *> m_cards;
    QLabel *m_noResponses;
    QLabel *m_emptyTitle;
    QLabel *m_status;
};

} // namespace cr::ui
