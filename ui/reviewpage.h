#pragma once

#include "storage/review.h"
#include "storage/types.h"

#include <QHash>
#include <QWidget>
#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QUndoStack;
class QVBoxLayout;

namespace cr::widgets {
class CategoryPicker;
class LikertSelector;
class MessageBanner;
class MessageView;
} // namespace cr::widgets

namespace cr::ui {

class DisagreementFilterModel;
template<typename T> class JobRunner;
class DisagreementModel;

/// Where raters disagree, and settling it (issue 6). On the left the queue
/// (DisagreementModel) with filters; on the right the selected disagreement: the
/// input, the response(s) and every rater's value, checklist and rationale side by
/// side. Blind by default: raters appear as "Rater 1", "Rater 2"… in an order
/// shuffled per row; only a researcher may show names. The adjudicator adopts a
/// rater's value or sets a new one (the rating page's keys: category letters, 1–5),
/// ticks at least one failure-mode reason, may add a note, and records it
/// (Ctrl+Enter); Enter moves to the next disagreement. Every adjudication is one
/// command on undoStack(): undo is a logged revert, redo records it again (logged);
/// the main window's Edit ▸ Undo/Redo act on it while the page is shown. The shown
/// row's consensus (value and how it was reached) sits under its title; the queue's
/// "scored harmful" threshold is chosen on the page and remembered in Settings.
/// Raw ratings are never changed.
///
/// Threading: GUI thread only. The queue is loaded as a job (JobRunner) on a worker
/// thread with its own study connection (queueLoaded() arrives when the view is updated); the
/// selected row's texts and every write run on the GUI thread (one short transaction each).
class ReviewPage final : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPage(QWidget *parent = nullptr);
    ~ReviewPage() override;

    /// Opens the queue of `study` (not owned; detach with clear()) for `adjudicator`,
    /// who must have role adjudicator or researcher.
    bool start(
        storage::Study *study, const storage::Rater &adjudicator, storage::Error *error = nullptr);
    void clear();
    QString adjudicatorName() const { return m_adjudicator.name; }
    bool isLoading() const;
    /// Reloads the queue in the background (after every adjudication and undo).
    void reload();

    DisagreementModel *model() const { return m_model; }
    DisagreementFilterModel *filterModel() const { return m_proxy; }
    QTableView *queueView() const { return m_view; }
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
    double harmThreshold() const { return m_harmThreshold; }
    void setHarmThreshold(double threshold);
    QDoubleSpinBox *thresholdBox() const { return m_threshold; }

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
    QUndoStack *undoStack() const { return m_undoStack; }
    QAction *nextAction() const { return m_nextAction; }
    QAction *recordAction() const { return m_recordAction; }
    widgets::CategoryPicker *categoryPicker() const { return m_picker; }
    widgets::LikertSelector *scoreSelector() const { return m_selector; }
    QTableWidget *valuesTable() const { return m_values; }
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
    friend class AdjudicateCommand;
    void finishLoad();
    void failLoad(const storage::Error &error);
    void renderCurrent();
    void renderDecision();
    void rebuildFilters();
    void applyFilters();
    void updateActions();
    void setStatus(const QString &text, bool error);
    /// Writes an adjudication (used by the undo command) and reloads showing its row;
    /// 0 on failure with the status set.
    qint64 write(const storage::Adjudication &a, std::optional<qint64> adoptedFrom, qint64 itemId,
        qint64 responseId);
    bool revert(qint64 id, qint64 itemId, qint64 responseId);
    /// The next load shows this row (category rows: responseId 0) when it is in the queue.
    void keepRow(qint64 itemId, qint64 responseId);

    storage::Study *m_study = nullptr;
    storage::Rater m_adjudicator;
    bool m_blind = true;
    double m_harmThreshold = 2.0;
    QStringList m_categoryIds;
    QStringList m_categoryNames;
    QStringList m_levelNames;
    QHash<QString, QString> m_checklistTexts;

    DisagreementModel *m_model;
    DisagreementFilterModel *m_proxy;
    struct LoadResult;
    JobRunner<LoadResult> *m_loader = nullptr;
    qint64 m_keepItem = 0;
    qint64 m_keepResponse = -1;
    bool m_keepSet = false; ///< keepRow() chose the row, not the selection

    // Shown row: raters in shown order and the pending decision.
    std::optional<storage::Disagreement> m_current;
    QList<storage::RaterValue> m_shownValues;
    QString m_pendingCategory;
    int m_pendingScore = 0;
    std::optional<qint64> m_adoptedFrom;

    QUndoStack *m_undoStack;
    QAction *m_nextAction;
    QAction *m_recordAction;
    QAction *m_overviewAction;
    QList<QAction *> m_keyActions;

    widgets::MessageBanner *m_banner;
    QLabel *m_rule;
    QCheckBox *m_showNames;
    QComboBox *m_categoryFilter;
    QComboBox *m_modelFilter;
    QComboBox *m_raterA;
    QComboBox *m_raterB;
    QCheckBox *m_llmFilter;
    QCheckBox *m_openFilter;
    QDoubleSpinBox *m_threshold;
    QTableView *m_view;
    QLabel *m_count;
    QLabel *m_bias;
    QLabel *m_title;
    QLabel *m_consensus;
    widgets::MessageView *m_message;
    QWidget *m_responsesAbove = nullptr;
    QWidget *m_responsesBelow = nullptr;
    QTableWidget *m_values;
    QWidget *m_adoptRow;
    QLabel *m_decisionTitle;
    widgets::CategoryPicker *m_picker;
    widgets::LikertSelector *m_selector;
    QList<QCheckBox *> m_reasons;
    QPlainTextEdit *m_note;
    QPushButton *m_record;
    QLabel *m_history;
    QLabel *m_status;
};

} // namespace cr::ui
