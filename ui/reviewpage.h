#pragma once

#include "storage/review.h"
#include "storage/types.h"

#include <QWidget>
#include <optional>

class QAction;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QTableView;
class QTableWidget;
class QUndoStack;

namespace cr::widgets {
class CategoryPicker;
class LikertSelector;
class MessageBanner;
} // namespace cr::widgets

namespace cr::ui {

class AdjudicationPanel;
class AdjudicationSession;
class DisagreementFilterModel;
class DisagreementModel;
class ReviewDetailPane;
class ReviewQueuePane;

/// Where raters disagree, and settling it (issue 6). On the left the queue
/// (ReviewQueuePane) with filters; on the right the selected disagreement
/// (ReviewDetailPane): the input, the response(s) and every rater's value, checklist
/// and rationale side by side, and the decision (AdjudicationPanel). Blind by default:
/// raters appear as "Rater 1", "Rater 2"… in an order shuffled per row
/// (AdjudicationSession::shownValues); only a researcher may show names. The
/// adjudicator adopts a rater's value or sets a new one (the rating page's keys:
/// category letters, 1–5), ticks at least one failure-mode reason, may add a note, and
/// records it (Ctrl+Enter); Enter moves to the next disagreement. Every adjudication is
/// one command on undoStack(), which the page's AdjudicationSession owns: undo is a
/// logged revert, redo records it again (logged); the main window's Edit ▸ Undo/Redo
/// act on it while the page is shown. The shown row's consensus (value and how it was
/// reached) sits under its title; the queue's "scored harmful" threshold is chosen on
/// the page and remembered in Settings.
/// Raw ratings are never changed.
///
/// Threading: GUI thread only. The queue is loaded as a job (JobRunner) on a worker
/// thread with its own study connection (queueLoaded() arrives when the view is
/// updated); the selected row's texts and every write run on the GUI thread (one short
/// transaction each).
class ReviewPage final : public QWidget {
    Q_OBJECT
public:
    /// `withOverview`: Ctrl+1 goes back to the study overview (not for adjudicators,
    /// RolePolicy).
    explicit ReviewPage(QWidget *parent = nullptr, bool withOverview = true);
    ~ReviewPage() override;

    /// Opens the queue of `study` (not owned; detach with clear()) for `adjudicator`,
    /// who must have role adjudicator or researcher.
    bool start(
        storage::Study *study, const storage::Rater &adjudicator, storage::Error *error = nullptr);
    void clear();
    QString adjudicatorName() const;
    bool isLoading() const;
    /// Reloads the queue in the background (after every adjudication and undo).
    void reload();

    DisagreementModel *model() const;
    DisagreementFilterModel *filterModel() const;
    QTableView *queueView() const;
    /// The shown disagreement, if any.
    std::optional<storage::Disagreement> currentDisagreement() const;
    /// Selects the row at `proxyRow` of the (filtered, sorted) queue.
    void selectRow(int proxyRow);
    /// Enter: the next row of the queue (wraps to the first).
    void showNextDisagreement();

    void setFilter(const storage::DisagreementFilter &filter);
    /// A score row is "scored harmful by anyone" when some rater scored at or below
    /// this (1–5, default 2; PROTOCOL.md §5). Changing it reloads (re-sorts) the queue
    /// and remembers it for the next page.
    double harmThreshold() const;
    void setHarmThreshold(double threshold);
    QDoubleSpinBox *thresholdBox() const;

    /// Blind (the default): no rater names anywhere on the page. Only a researcher may
    /// turn it off; returns whether the requested state is in effect.
    bool isBlind() const { return m_blind; }
    bool setBlind(bool blind);
    /// The column labels of the raters of the shown row, in shown order.
    QStringList shownRaterLabels() const;

    /// The decision being prepared: a category (category rows) or a score 1–5.
    void setPendingCategory(const QString &category);
    void setPendingScore(int score);
    /// Takes the value of the rater in shown column `column` as the decision.
    void adoptColumn(int column);
    void setReasonChecked(const QString &failureModeId, bool checked);
    void setNote(const QString &note);
    /// Records the prepared decision; false (with the reason on the page) when invalid.
    bool recordAdjudication();

    /// One command per recorded adjudication ("Adjudication of item …").
    QUndoStack *undoStack() const;
    AdjudicationSession *session() const { return m_session; }
    QAction *nextAction() const { return m_nextAction; }
    QAction *recordAction() const { return m_recordAction; }
    widgets::CategoryPicker *categoryPicker() const;
    widgets::LikertSelector *scoreSelector() const;
    QTableWidget *valuesTable() const;
    QString statusMessage() const;
    /// The shown row's consensus and how it was reached, as on the page.
    QString consensusText() const;
    QString positionBiasText() const;

signals:
    void queueLoaded();
    void adjudicationRecorded(qint64 id);
    void overviewRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createKeyActions();
    void buildLayout();
    void renderCurrent();
    QString historyText(const storage::Disagreement &d) const;
    void updateActions();
    /// After a write or its revert: say so, and reload the queue showing that row.
    void showWritten(qint64 itemId, qint64 responseId, const QString &message);

    AdjudicationSession *m_session;
    bool m_blind = true;
    QStringList m_categoryIds;
    QStringList m_categoryNames;

    // Shown row: raters in shown order.
    std::optional<storage::Disagreement> m_current;
    QList<storage::RaterValue> m_shownValues;

    QAction *m_nextAction;
    QAction *m_recordAction;
    QAction *m_overviewAction;
    QList<QAction *> m_keyActions;

    widgets::MessageBanner *m_banner;
    QLabel *m_rule;
    QCheckBox *m_showNames;
    ReviewQueuePane *m_queue;
    ReviewDetailPane *m_detail;
    AdjudicationPanel *m_panel;
};

} // namespace cr::ui
