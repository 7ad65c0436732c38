#include "ui/adjudicationsession.h"

#include "storage/exposure.h"
#include "storage/study.h"

#include <QUndoCommand>
#include <QUndoStack>

namespace cr::ui {

/// One recorded adjudication of the disagreement `subject`: undo is a logged revert,
/// redo records the same decision again.
class AdjudicateCommand final : public QUndoCommand {
public:
    AdjudicateCommand(AdjudicationSession *session, const storage::Disagreement &subject,
        const storage::Adjudication &a, std::optional<qint64> adoptedFrom, qint64 id)
        : QUndoCommand(subject.kind == storage::DisagreementKind::Category
                ? AdjudicationSession::tr("Adjudication of item %1").arg(subject.itemExternalId)
                : !subject.responseLetter.isEmpty() // blind: the response's letter
                ? AdjudicationSession::tr("Adjudication of item %1 (Response %2)")
                      .arg(subject.itemExternalId, subject.responseLetter)
                : AdjudicationSession::tr("Adjudication of item %1 (%2, run %3)")
                      .arg(subject.itemExternalId, subject.model)
                      .arg(subject.run))
        , m_session(session)
        , m_itemId(subject.itemId)
        , m_responseId(subject.responseId)
        , m_adjudication(a)
        , m_adoptedFrom(adoptedFrom)
        , m_id(id)
    {
    }
    void redo() override
    {
        if (m_id != 0) // the first redo is the write that created the command
            return;
        m_id = m_session->write(m_adjudication, m_adoptedFrom, m_itemId, m_responseId);
        setObsolete(m_id == 0);
    }
    void undo() override
    {
        const bool reverted = m_id != 0 && m_session->revert(m_id, m_itemId, m_responseId);
        if (reverted)
            m_id = 0;
        setObsolete(!reverted);
    }

private:
    AdjudicationSession *m_session;
    qint64 m_itemId;
    qint64 m_responseId;
    storage::Adjudication m_adjudication;
    std::optional<qint64> m_adoptedFrom;
    qint64 m_id;
};

AdjudicationSession::AdjudicationSession(QObject *parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
{
}

AdjudicationSession::~AdjudicationSession() = default;

void AdjudicationSession::start(storage::Study *study, const storage::Rater &adjudicator)
{
    clear();
    m_study = study;
    m_adjudicator = adjudicator;
}

void AdjudicationSession::clear()
{
    m_undoStack->clear();
    m_study = nullptr;
    m_adjudicator = {};
}

qint64 AdjudicationSession::record(const storage::Disagreement &subject,
    const storage::Adjudication &decision, std::optional<qint64> adoptedFrom)
{
    const qint64 id = write(decision, adoptedFrom, subject.itemId, subject.responseId);
    if (id != 0)
        m_undoStack->push(new AdjudicateCommand(this, subject, decision, adoptedFrom, id));
    return id;
}

quint64 AdjudicationSession::blindingSeed(const storage::Disagreement &d)
{
    return quint64(d.itemId) * 1000003ULL + quint64(d.responseId);
}

QList<storage::RaterValue> AdjudicationSession::shownValues(const storage::Disagreement &d)
{
    QList<storage::RaterValue> shown;
    for (const int i : storage::presentationOrder(int(d.values.size()), blindingSeed(d)))
        shown.append(d.values.at(i));
    return shown;
}

qint64 AdjudicationSession::write(const storage::Adjudication &a, std::optional<qint64> adoptedFrom,
    qint64 itemId, qint64 responseId)
{
    if (!m_study)
        return 0;
    storage::Error e;
    const qint64 id = storage::adjudicate(*m_study, a, adoptedFrom, &e);
    if (id == 0) {
        emit writeFailed(e.message);
        return 0;
    }
    emit adjudicationWritten(itemId, responseId);
    return id;
}

bool AdjudicationSession::revert(qint64 id, qint64 itemId, qint64 responseId)
{
    if (!m_study)
        return false;
    storage::Error e;
    if (!storage::revertAdjudication(*m_study, id, &e)) {
        emit writeFailed(e.message);
        return false;
    }
    emit adjudicationReverted(itemId, responseId);
    return true;
}

} // namespace cr::ui
