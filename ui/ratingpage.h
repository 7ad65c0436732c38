#pragma once

#include "storage/types.h"

#include <QElapsedTimer>
#include <QWidget>
#include <optional>

class QAction;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace cr::storage {
class Study;
}
namespace cr::widgets {
class CategoryPicker;
class MessageBanner;
class MessageView;
class NoticeScreen;
class ProtocolPanel;
class ResponseNotes;
} // namespace cr::widgets

namespace cr::ui {

class RatingItemHeader;
class RatingMessagePanel;
class RatingSession;
class ResponseList;

/// One rater's work, one assigned item at a time: the item header (RatingItemHeader),
/// the crisis message on the left (RatingMessagePanel), the candidate responses
/// (ResponseList) as cards labelled "Response A", "B"… in an order shuffled by the
/// assignment's seed (storage::presentationOrder). Blinded: nothing on this page ever
/// shows which model wrote a response. The rater labels the message's category and
/// scores each response 1–5 (or "cannot assess"), keyboard first; every value is shown
/// only once the RatingSession has stored it. The protocol's anchors for the chosen
/// category sit beside the responses.
///
/// Threading: GUI thread only; reads the study synchronously (one item per move).
class RatingPage final : public QWidget {
    Q_OBJECT
public:
    /// `withOverview`: the page has a way back to the study overview (Ctrl+1, the
    /// header's button, the "nothing assigned" screen's button). A rater's session has
    /// none (RolePolicy): overviewAction() is then nullptr.
    explicit RatingPage(QWidget *parent = nullptr, bool withOverview = true);
    ~RatingPage() override;

    /// Signs `rater` in on `study` (not owned: it must outlive the page or be
    /// detached with clear()) and shows the rater's first unfinished assignment.
    void start(storage::Study *study, const storage::Rater &rater);
    void clear();

    QString raterName() const { return m_rater.name; }
    qint64 raterId() const { return m_rater.id; }
    /// Index of the shown assignment, -1 when the rater has none.
    int currentIndex() const { return m_index; }
    int itemCount() const;
    /// Response ids in display order (position 0 is "Response A").
    QList<qint64> shownResponseIds() const { return m_shownResponseIds; }
    /// Display position of the response keyboard actions apply to; -1 when none.
    int currentResponse() const { return m_currentResponse; }
    void setCurrentResponse(int position);

    RatingSession *session() const { return m_session; }
    /// The "waiting for the study file…" message (empty while every change is saved).
    QString pendingText() const;
    /// The last status message (warnings such as "Response B is not rated yet").
    QString statusMessage() const;

    QAction *previousItemAction() const { return m_previousAction; }
    QAction *nextItemAction() const { return m_nextAction; }
    QAction *overviewAction() const { return m_overviewAction; }
    /// Enter: next item, marking this one done; warns once when something is unrated.
    QAction *finishItemAction() const { return m_finishAction; }
    QAction *flagAction() const { return m_flagAction; }
    /// Ctrl+S: skip this item (status 'skipped') and move on.
    QAction *skipAction() const { return m_skipAction; }
    /// Skip without penalty because the item was distressing, then take a pause.
    QAction *distressingAction() const { return m_distressingAction; }

    /// The checklist and rationale of the card at display `position`, or nullptr.
    widgets::ResponseNotes *notes(int position) const;

    /// The pause screen is shown (after the break reminder or a distressing item).
    bool isOnBreak() const;
    /// What the pause screen says ("You have rated 1 item…").
    QString breakMessage() const;
    void showBreak(const QString &reason);
    void resumeFromBreak();

    bool isTextBlurred() const { return m_blurred; }
    void setTextBlurred(bool blurred);

    void showItem(int index);
    void showNextItem();
    void showPreviousItem();
    /// Enter: moves on when the item is complete, or after one warning.
    void finishItem();
    /// Skips the current item and moves on; `distressing` pauses afterwards.
    void skipItem(bool distressing);

signals:
    void currentItemChanged(int index, int count);
    void overviewRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createActions();
    void connectSession();
    void connectResponses();
    void buildLayout();
    void renderItem(int index);
    void renderValues();
    void scoreCurrent(int value);
    void scoreResponse(int position, int value);
    void moveResponse(int delta);
    void setupProtocol();
    void showError(const QString &message);
    void showPending(int count);
    void updateProgress();
    void updateActions();
    void applyBlur();
    void showContentNoteIfNeeded();
    void renderNotes(int position, const std::optional<storage::ResponseRating> &rating);
    /// Counts one item done or skipped; shows the pause screen when a break is due.
    void countItemForBreak();
    /// What the item still lacks ("the category", "Response B"…), in shown order.
    QStringList missingParts() const;
    void refreshMissingWarning();
    void focusCard(int position);
    void markCurrentResponse(int position, bool scroll);
    /// The response shown at display `position`, 0 when none.
    qint64 responseAt(int position) const;

    storage::Study *m_study = nullptr;
    storage::Rater m_rater;
    RatingSession *m_session;
    QList<qint64> m_shownResponseIds;
    QStringList m_categoryIds;
    QList<QStringList> m_categoryAnchors;
    struct ChecklistEntry {
        QString id;
        QString text;
        QStringList categories;
    };
    QList<ChecklistEntry> m_checklist;
    int m_itemsSinceBreak = 0;
    QElapsedTimer m_sinceBreak;
    QStringList m_categoryNames;
    int m_index = -1;
    int m_currentResponse = -1;
    int m_warnedIndex = -1;
    bool m_blurred = false;
    bool m_revealed = false;

    QAction *m_previousAction;
    QAction *m_nextAction;
    QAction *m_overviewAction;
    QAction *m_revealAction;
    QAction *m_finishAction;
    QAction *m_flagAction;
    QAction *m_nextResponseAction;
    QAction *m_previousResponseAction;
    QAction *m_clearAction;
    QAction *m_skipAction;
    QAction *m_distressingAction;
    QList<QAction *> m_scoreActions;
    QList<QAction *> m_categoryActions;
    widgets::MessageBanner *m_errorBanner;
    widgets::MessageBanner *m_pendingBanner; // "waiting for the study file…"
    QPushButton *m_retryButton = nullptr;
    widgets::MessageBanner *m_contentNote;
    RatingItemHeader *m_header;
    RatingMessagePanel *m_messagePanel;
    ResponseList *m_responses;
    widgets::ProtocolPanel *m_protocolPanel;
    QStackedWidget *m_stack;
    widgets::NoticeScreen *m_emptyPage;
    widgets::NoticeScreen *m_breakPage;
    QLabel *m_hints;
    QLabel *m_status;
};

} // namespace cr::ui
