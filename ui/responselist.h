#pragma once

#include <QWidget>

class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace cr::widgets {
class LikertSelector;
class ResponseCard;
class ResponseNotes;
} // namespace cr::widgets

namespace cr::ui {

/// The rating page's column of candidate responses, blinded: cards titled "Response A",
/// "B"… by display position, each with a 1–5 selector and the checklist and rationale
/// (ResponseNotes). Cards are reused from item to item (only their texts change), and
/// a long response scrolls inside its card so one card never fills the column. The
/// list shows values and reports requests by display position; it stores nothing.
class ResponseList final : public QWidget {
    Q_OBJECT
public:
    explicit ResponseList(QWidget *parent = nullptr);
    ~ResponseList() override;

    /// The protocol's names of the score levels 1–5, on every selector.
    void setLevelNames(const QStringList &names);
    /// Shows `texts` in display order (position 0 is "Response A").
    void setResponses(const QStringList &texts);
    /// Empties and hides every card (nobody signed in).
    void clearResponses();
    int count() const { return m_count; }

    /// Shows the LikertSelector value (a score, NoValue or CannotAssess) at `position`.
    void setValue(int position, int value);
    /// Marks the card keyboard actions apply to (-1: none); `scroll` brings it into view.
    void setCurrent(int position, bool scroll);
    void setTextBlurred(bool blurred);
    /// Stores the rationales being typed (before the item changes).
    void commitNotes();

    widgets::ResponseCard *card(int position) const;
    widgets::ResponseNotes *notes(int position) const;
    widgets::LikertSelector *selector(int position) const;

signals:
    void valueRequested(int position, int value);
    void checklistRequested(int position, const QStringList &ids);
    void rationaleCommitted(int position, const QString &text);
    /// Esc in the rationale: back to the card.
    void escapePressed(int position);
    void rationaleFocused(int position);
    void checklistPinToggled(bool pinned);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    widgets::ResponseCard *ensureCard(int position);
    int cardTextHeight() const;

    int m_count = 0;
    bool m_blurred = false;
    QStringList m_levelNames;
    QLabel *m_title;
    QScrollArea *m_area;
    QVBoxLayout *m_cardsLayout;
    QLabel *m_noResponses;
    QList<widgets::ResponseCard *> m_cards;
    QList<widgets::ResponseNotes *> m_notes;
};

} // namespace cr::ui
