#pragma once

#include "storage/review.h"

#include <QHash>
#include <QWidget>
#include <optional>

class QLabel;
class QTableWidget;
class QVBoxLayout;

namespace cr::storage {
class Study;
}
namespace cr::widgets {
class MessageView;
}

namespace cr::ui {

/// The review page's view of one disagreement: its title and consensus (value and how
/// it was reached), the input, the disputed response (score rows) or the item's
/// responses (category rows; blinded like a rater's: in
/// storage::presentationOrder seeded per row, as "Response A", "B"…), and every
/// rater's value, checklist and rationale side by side with an "Adopt" button per
/// rater. Raters appear in the order and under the labels they are given ("Rater 1"…
/// when blind). Cells wrap and grow with their text (a long rationale is shown whole).
/// The page lays the decision out below this pane, outside its scroll area.
///
/// Threading: GUI thread only; reads the item's texts from the study when shown.
class ReviewDetailPane final : public QWidget {
    Q_OBJECT
public:
    explicit ReviewDetailPane(QWidget *parent = nullptr);
    ~ReviewDetailPane() override;

    /// Names for the values and the consensus: the protocol's category ids and names,
    /// its level names (1–5) and checklist texts by id.
    void setProtocol(const QStringList &categoryIds, const QStringList &categoryNames,
        const QStringList &levelNames, const QHash<QString, QString> &checklistTexts);

    /// Shows `d` with its raters in `shown` order (nothing when empty; "No disagreement
    /// selected." while a study is open). `study` is read, not kept.
    void showDisagreement(storage::Study *study, const std::optional<storage::Disagreement> &d,
        const QList<storage::RaterValue> &shown, bool blind);

    /// The column labels of the shown raters, in shown order.
    QStringList shownRaterLabels() const;
    QTableWidget *valuesTable() const { return m_values; }
    /// The shown row's consensus and how it was reached, as on the pane.
    QString consensusText() const;

signals:
    /// The Adopt button of the rater in shown column `column` was pressed.
    void adoptRequested(int column);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void clearShown();
    void addResponses(storage::Study &study, const storage::Disagreement &d);
    void fillValues(
        const storage::Disagreement &d, const QList<storage::RaterValue> &shown, bool blind);
    QString valueText(const storage::Disagreement &d, const storage::RaterValue &v) const;
    /// Rows as tall as their wrapped text at the current column widths; the table as
    /// tall as its rows (it never scrolls inside the pane).
    void fitValuesHeight();

    std::optional<storage::Disagreement> m_current;
    QStringList m_categoryIds;
    QStringList m_categoryNames;
    QStringList m_levelNames;
    QHash<QString, QString> m_checklistTexts;

    QVBoxLayout *m_layout;
    QLabel *m_title;
    QLabel *m_consensus;
    widgets::MessageView *m_message;
    QWidget *m_responsesAbove;
    QWidget *m_responsesBelow;
    QTableWidget *m_values;
    QWidget *m_adoptRow;
};

} // namespace cr::ui
