#pragma once

#include "storage/review.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace cr::protocol {
struct Protocol;
}
namespace cr::widgets {
class CategoryPicker;
class LikertSelector;
} // namespace cr::widgets

namespace cr::ui {

/// The decision being prepared on one disagreement: a category (category rows) or a
/// score 1–5 (chosen, or adopted from a rater), at least one failure-mode reason of the
/// protocol and an optional note. The panel itself holds the choice and the reasons;
/// footer() (the note, the Record button, the row's adjudication history and the
/// status line) is laid out by the page where it stays in view.
///
/// Threading: GUI thread only.
class AdjudicationPanel final : public QWidget {
    Q_OBJECT
public:
    explicit AdjudicationPanel(QWidget *parent = nullptr);
    ~AdjudicationPanel() override;

    /// The categories, levels and failure modes (reasons) of `protocol`.
    void setProtocol(const protocol::Protocol &protocol);
    void clearProtocol();

    /// Starts a decision on `subject`: nothing chosen, or, on an adjudicated row, its
    /// recorded value, reasons and note; `history` says who adjudicated the row last.
    /// Hidden without a subject.
    void setSubject(const std::optional<storage::Disagreement> &subject, const QString &history);

    void setPendingCategory(const QString &category);
    void setPendingScore(int score);
    /// Takes `value` (the rater `raterId`'s) as the decision; false when it gives none.
    bool adopt(const storage::RaterValue &value);
    void setReasonChecked(const QString &failureModeId, bool checked);
    /// The protocol's name of a failure mode (the id itself when unknown).
    QString reasonName(const QString &failureModeId) const;
    void setNote(const QString &note);

    /// The prepared adjudication of the subject, with adjudicatorId left 0; nothing
    /// (with the reason in `problem`) while a value or a reason is missing.
    std::optional<storage::Adjudication> decision(QString *problem) const;
    /// The rater whose value was adopted, unless the choice was changed since.
    std::optional<qint64> adoptedFrom() const { return m_adoptedFrom; }

    void setStatus(const QString &text, bool error);
    QString statusMessage() const;

    QWidget *footer() const { return m_footer; }
    widgets::CategoryPicker *categoryPicker() const { return m_picker; }
    widgets::LikertSelector *scoreSelector() const { return m_selector; }

signals:
    void recordRequested();

private:
    void renderChoice();

    std::optional<storage::Disagreement> m_subject;
    QString m_pendingCategory;
    int m_pendingScore = 0;
    std::optional<qint64> m_adoptedFrom;

    QLabel *m_title;
    widgets::CategoryPicker *m_picker;
    widgets::LikertSelector *m_selector;
    QGroupBox *m_reasonsBox;
    QList<QCheckBox *> m_reasons;
    QWidget *m_footer;
    QPlainTextEdit *m_note;
    QPushButton *m_record;
    QLabel *m_history;
    QLabel *m_status;
};

} // namespace cr::ui
