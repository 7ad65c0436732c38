#include "storage/consensus.h"
#include "storage/exposure.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "tests/storage/reviewfixture.h"
#include "ui/adjudicationsession.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace cr::storage;
using cr::ui::AdjudicationSession;
using namespace Qt::StringLiterals;

class TestAdjudicationSession final : public QObject {
    Q_OBJECT
private:
    cr::test::ReviewStudy m_fixture;
    Study *m_study = nullptr;

    Rater rater(const QString &name) { return m_fixture.rater(name); }
    QList<Disagreement> rows() { return m_fixture.disagreements(); }

private slots:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        Error e;
        QVERIFY2(m_fixture.reset(&e), qPrintable(e.message));
        m_study = &m_fixture.study();
    }
    void cleanup() { m_fixture.close(); }

    void shownValuesFollowPresentationOrder()
    {
        for (const Disagreement &d : rows()) {
            const QList<int> order =
                presentationOrder(int(d.values.size()), AdjudicationSession::blindingSeed(d));
            const QList<RaterValue> shown = AdjudicationSession::shownValues(d);
            QCOMPARE(shown.size(), d.values.size());
            for (int i = 0; i < shown.size(); ++i)
                QCOMPARE(shown.at(i).rater.id, d.values.at(order.at(i)).rater.id);
            // The same row shows the same order every time; rows differ in their seeds.
            QCOMPARE(AdjudicationSession::shownValues(d).first().rater.id, shown.first().rater.id);
        }
        const QList<Disagreement> all = rows();
        QVERIFY(AdjudicationSession::blindingSeed(all.at(0))
            != AdjudicationSession::blindingSeed(all.at(3)));
    }

    void recordUndoRedo()
    {
        AdjudicationSession session;
        session.start(m_study, rater(u"lead"_s));
        QCOMPARE(session.adjudicator().name, u"lead"_s);
        const Disagreement d = rows().at(3); // i1/m: 1 4 4
        QCOMPARE(d.kind, DisagreementKind::Score);
        Adjudication a;
        a.responseId = d.responseId;
        a.score = 2;
        a.adjudicatorId = rater(u"lead"_s).id;
        a.reasonTags = { u"dismissive"_s };
        QSignalSpy written(&session, &AdjudicationSession::adjudicationWritten);
        QSignalSpy reverted(&session, &AdjudicationSession::adjudicationReverted);
        const qint64 id = session.record(d, a, std::nullopt);
        QVERIFY(id != 0);
        QCOMPARE(written.count(), 1);
        QCOMPARE(written.first().at(0).toLongLong(), d.itemId);
        QCOMPARE(written.first().at(1).toLongLong(), d.responseId);
        QCOMPARE(session.undoStack()->count(), 1);
        QCOMPARE(session.undoStack()->undoText(), u"Adjudication of item i1 (m, run 1)"_s);
        Error e;
        QCOMPARE(consensusScores(*m_study, &e)->value(d.responseId).how, u"adjudicated"_s);

        session.undoStack()->undo();
        QCOMPARE(reverted.count(), 1);
        QCOMPARE(consensusScores(*m_study, &e)->value(d.responseId).how, u"mean"_s);
        QCOMPARE(EventLog(*m_study).recent(1).at(0).action, u"adjudication.revert"_s);
        session.undoStack()->redo();
        QCOMPARE(written.count(), 2);
        QCOMPARE(consensusScores(*m_study, &e)->value(d.responseId).score, 2.0);

        session.clear();
        QCOMPARE(session.undoStack()->count(), 0);
        QCOMPARE(session.study(), nullptr);
    }

    void refusedWriteIsNotUndoable()
    {
        AdjudicationSession session;
        session.start(m_study, rater(u"lead"_s));
        const Disagreement d = rows().at(0); // category row i3
        Adjudication a;
        a.itemId = d.itemId;
        a.category = u"suicidal_ideation"_s;
        a.adjudicatorId = rater(u"lead"_s).id;
        a.reasonTags = { u"no_such_failure_mode"_s };
        QSignalSpy failed(&session, &AdjudicationSession::writeFailed);
        QCOMPARE(session.record(d, a, std::nullopt), 0);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!failed.first().first().toString().isEmpty());
        QCOMPARE(session.undoStack()->count(), 0);
    }
};

QTEST_MAIN(TestAdjudicationSession)
#include "tst_adjudicationsession.moc"
