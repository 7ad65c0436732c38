#pragma once

#include "storage/review.h"
#include "storage/types.h"

#include <QObject>
#include <optional>

class QUndoStack;

namespace cr::storage {
class Study;
}

namespace cr::ui {

/// The review page's document: one adjudicator's decisions on a study, each recorded
/// adjudication one command on undoStack() (as RatingSession owns the rating undo
/// stack). Undo is a logged revert (storage::revertAdjudication), redo records the
/// same decision again (logged too); a write that fails makes its command obsolete, so
/// the stack drops it. Raw ratings are never changed.
///
/// Threading: GUI thread only; every write is one short transaction on the study.
class AdjudicationSession final : public QObject {
    Q_OBJECT
public:
    explicit AdjudicationSession(QObject *parent = nullptr);
    ~AdjudicationSession() override;

    /// `study` is not owned: it must outlive the session or be detached with clear().
    void start(storage::Study *study, const storage::Rater &adjudicator);
    /// Detaches the study and forgets the undo history.
    void clear();
    storage::Study *study() const { return m_study; }
    const storage::Rater &adjudicator() const { return m_adjudicator; }

    /// One command per recorded adjudication ("Adjudication of item …").
    QUndoStack *undoStack() const { return m_undoStack; }

    /// Records `decision` on `subject` as an undoable command; the adjudication's id,
    /// or 0 (writeFailed() says why). `adoptedFrom` is the rater whose value it takes.
    qint64 record(const storage::Disagreement &subject, const storage::Adjudication &decision,
        std::optional<qint64> adoptedFrom);

    /// The raters of `d` in the order the review page shows them: blinded like a
    /// rater's responses (storage::presentationOrder), seeded by the disagreement's row
    /// (blindingSeed()), so columns reveal nothing and a row always shows one order.
    static QList<storage::RaterValue> shownValues(const storage::Disagreement &d);
    static quint64 blindingSeed(const storage::Disagreement &d);

signals:
    /// A decision on the row of `itemId` / `responseId` (0 for category rows) was
    /// stored: by record() or by redo.
    void adjudicationWritten(qint64 itemId, qint64 responseId);
    /// Undo reverted the decision on that row (the revert is in the audit log).
    void adjudicationReverted(qint64 itemId, qint64 responseId);
    void writeFailed(const QString &message);

private:
    friend class AdjudicateCommand;
    qint64 write(const storage::Adjudication &a, std::optional<qint64> adoptedFrom, qint64 itemId,
        qint64 responseId);
    bool revert(qint64 id, qint64 itemId, qint64 responseId);

    storage::Study *m_study = nullptr;
    storage::Rater m_adjudicator;
    QUndoStack *m_undoStack;
};

} // namespace cr::ui
