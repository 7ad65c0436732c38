#include "storage/exporter.h"
#include "storage/repositories.h"
#include "teststudy.h"
#include "ui/ratingsession.h"

#include <QBuffer>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using cr::ui::RatingSession;
namespace storage = cr::storage;

class TestRatingSession : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_study = crtest::createStudy(m_dir->path(), 3, &m_path);
        QVERIFY(m_study);
        m_ana = *storage::RaterRepository(*m_study).byName(QStringLiteral("ana"));
    }
    void cleanup()
    {
        m_study.reset();
        m_dir.reset();
    }

    void startsAtFirstUnfinishedAssignment()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        QCOMPARE(session.itemCount(), 3);
        QCOMPARE(session.firstUnfinishedIndex(), 0);
        storage::Error error;
        const auto assignments = storage::AssignmentRepository(*m_study).forRater(m_ana.id);
        QVERIFY(storage::AssignmentRepository(*m_study).setStatus(
            assignments.at(0).id, QStringLiteral("done"), &error));
        session.start(m_study.get(), m_ana);
        QCOMPARE(session.firstUnfinishedIndex(), 1);
    }

    void itemsRatedElsewhereCountAsDone()
    {
        // Ana's work on the first two items arrives from elsewhere (a bundle import):
        // the first fully (label + every response), the second without one score.
        const auto assignments = storage::AssignmentRepository(*m_study).forRater(m_ana.id);
        storage::RatingRepository ratings(*m_study);
        storage::Error error;
        for (int a = 0; a < 2; ++a) {
            const qint64 item = assignments.at(a).itemId;
            QVERIFY(ratings.setCategoryLabel(
                { item, m_ana.id, QStringLiteral("self-harm"), {} }, &error));
            const auto responses = storage::ItemRepository(*m_study).responses(item);
            for (int r = 0; r < responses.size() - a; ++r) {
                storage::ResponseRating rating;
                rating.responseId = responses.at(r).id;
                rating.raterId = m_ana.id;
                rating.score = 4;
                QVERIFY2(ratings.setResponseRating(rating, &error), qPrintable(error.message));
            }
        }
        RatingSession session;
        session.start(m_study.get(), m_ana);
        QCOMPARE(session.finishedCount(), 1);
        QCOMPARE(session.firstUnfinishedIndex(), 1);
        QCOMPARE(storage::AssignmentRepository(*m_study).forRater(m_ana.id).at(0).status,
            QStringLiteral("done"));
        QCOMPARE(storage::AssignmentRepository(*m_study).forRater(m_ana.id).at(1).status,
            QStringLiteral("pending"));
        // Starting again changes nothing more.
        QCOMPARE(
            storage::AssignmentRepository(*m_study).completeFromStoredRatings(m_ana.id, &error), 0);
    }

    void scoreIsStoredAndUndoRestoresThePreviousValue()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        QSignalSpy saved(&session, &RatingSession::ratingSaved);
        session.setCurrentIndex(0);
        const qint64 response = session.responseIds().at(1);
        const storage::RatingRepository ratings(*m_study);
        const qint64 events = storage::EventLog(*m_study).count();

        QVERIFY(session.setScore(response, 2));
        QCOMPARE(ratings.responseRating(response, m_ana.id)->score, std::optional<int>(2));
        QVERIFY(ratings.responseRating(response, m_ana.id)->secondsSpent.has_value());
        QVERIFY(session.setScore(response, 4));
        QCOMPARE(ratings.responseRating(response, m_ana.id)->score, std::optional<int>(4));
        QCOMPARE(saved.count(), 2);
        QCOMPARE(session.undoStack()->count(), 2);

        session.undoStack()->undo();
        QCOMPARE(ratings.responseRating(response, m_ana.id)->score, std::optional<int>(2));
        QCOMPARE(session.rating(response)->score, std::optional<int>(2));
        session.undoStack()->undo();
        QVERIFY(!ratings.responseRating(response, m_ana.id));
        QVERIFY(!session.rating(response));
        session.undoStack()->redo();
        QCOMPARE(ratings.responseRating(response, m_ana.id)->score, std::optional<int>(2));
        // Every write, undo and redo included, is in the audit log (with status changes).
        QVERIFY(storage::EventLog(*m_study).count() >= events + 5);

        QVERIFY(session.setCannotAssess(response));
        QVERIFY(ratings.responseRating(response, m_ana.id)->cannotAssess);
        QVERIFY(!ratings.responseRating(response, m_ana.id)->score);
        session.undoStack()->undo();
        QCOMPARE(ratings.responseRating(response, m_ana.id)->score, std::optional<int>(2));
    }

    void categoryUndoAndStatus()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        session.setCurrentIndex(0);
        const qint64 item = session.currentItemId();
        const storage::RatingRepository ratings(*m_study);
        QVERIFY(session.setCategory(QStringLiteral("self-harm")));
        QVERIFY(session.setCategory(QStringLiteral("anxiety_crisis")));
        QCOMPARE(ratings.categoryLabel(item, m_ana.id)->category, QStringLiteral("anxiety_crisis"));
        for (qint64 response : session.responseIds())
            QVERIFY(session.setScore(response, 3));
        QVERIFY(session.isCurrentItemComplete());
        QCOMPARE(storage::AssignmentRepository(*m_study).forRater(m_ana.id).at(0).status,
            QStringLiteral("done"));

        // Undo from another item goes back to the item it changes.
        session.setCurrentIndex(2);
        QSignalSpy changed(&session, &RatingSession::itemChanged);
        session.undoStack()->undo();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(session.currentIndex(), 0);
        QCOMPARE(storage::AssignmentRepository(*m_study).forRater(m_ana.id).at(0).status,
            QStringLiteral("in_progress"));
        session.undoStack()->undo();
        session.undoStack()->undo();
        session.undoStack()->undo();
        QCOMPARE(ratings.categoryLabel(item, m_ana.id)->category, QStringLiteral("self-harm"));
        session.undoStack()->undo();
        QVERIFY(!ratings.categoryLabel(item, m_ana.id));
        QVERIFY(!session.label());
    }

    void failedWriteKeepsTheOldValueAndSaysWhy()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        session.setCurrentIndex(0);
        QSignalSpy failed(&session, &RatingSession::writeFailed);
        QSignalSpy saved(&session, &RatingSession::labelSaved);
        QVERIFY(session.setCategory(QStringLiteral("self-harm")));
        QVERIFY(!session.setCategory(QStringLiteral("no-such-category")));
        QCOMPARE(failed.count(), 1);
        QVERIFY(!session.errorString().isEmpty());
        QCOMPARE(saved.count(), 1);
        QCOMPARE(session.label()->category, QStringLiteral("self-harm"));
        QCOMPARE(session.undoStack()->count(), 1); // the failed action is not undoable
        QVERIFY(!session.setScore(987654, 3)); // no such response
        QCOMPARE(failed.count(), 2);
        QCOMPARE(session.undoStack()->count(), 1);
    }

    void neverLoadsAnotherRatersValues()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        session.setCurrentIndex(0);
        const auto judge = storage::RaterRepository(*m_study).byName(QStringLiteral("judge"));
        storage::Error error;
        storage::ResponseRating other;
        other.responseId = session.responseIds().first();
        other.raterId = judge->id;
        other.score = 1;
        QVERIFY2(storage::RatingRepository(*m_study).setResponseRating(other, &error),
            qPrintable(error.message));
        QVERIFY(storage::RatingRepository(*m_study).setCategoryLabel(
            { session.currentItemId(), judge->id, QStringLiteral("no_crisis"), {} }, &error));
        session.setCurrentIndex(0);
        QVERIFY(!session.rating(other.responseId));
        QVERIFY(!session.label());
        QCOMPARE(session.unratedCount(), int(session.responseIds().size()));
    }

    void checklistAndRationaleNeedAScoreAndUndo()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        session.setCurrentIndex(0);
        const qint64 response = session.responseIds().at(0);
        const storage::RatingRepository ratings(*m_study);
        const QStringList ticks { QStringLiteral("empathy"), QStringLiteral("no_unsafe_info") };

        // Stored with the rating: without a score nothing is written.
        QVERIFY(!session.setChecklist(response, ticks));
        QVERIFY(!session.setRationale(response, QStringLiteral("why")));
        QVERIFY(!ratings.responseRating(response, m_ana.id));
        QCOMPARE(session.undoStack()->count(), 0);

        QVERIFY(session.setCannotAssess(response));
        QVERIFY(session.setChecklist(response, ticks));
        QVERIFY(session.setRationale(response, QStringLiteral("Too short to judge.")));
        auto stored = ratings.responseRating(response, m_ana.id);
        QVERIFY(stored && stored->cannotAssess);
        QCOMPARE(stored->checklist, ticks);
        QCOMPARE(stored->rationale, QStringLiteral("Too short to judge."));
        QCOMPARE(session.undoStack()->count(), 3);

        QVERIFY(!session.setChecklist(response, { QStringLiteral("not_an_item") }));
        QCOMPARE(ratings.responseRating(response, m_ana.id)->checklist, ticks);

        session.undoStack()->undo();
        stored = ratings.responseRating(response, m_ana.id);
        QCOMPARE(stored->rationale, QString());
        QCOMPARE(stored->checklist, ticks);
        session.undoStack()->undo();
        QCOMPARE(ratings.responseRating(response, m_ana.id)->checklist, QStringList());
        QVERIFY(ratings.responseRating(response, m_ana.id)->cannotAssess);
    }

    void showingAnItemRecordsWhatTheRaterSawAndTheExportHasIt()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        QVERIFY(session.sessionId() > 0);
        session.setCurrentIndex(1);
        const QList<qint64> shown = session.responseIds();
        QCOMPARE(shown.size(), 3);
        QCOMPARE(session.responseTexts().size(), 3);
        session.setCurrentIndex(0);
        session.setCurrentIndex(1); // again: recorded once, counted once per session
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT response_id, position, label FROM presentation"
                                      " WHERE rater_id = %1 ORDER BY rowid")
                           .arg(m_ana.id)));
        QList<qint64> recorded;
        QStringList labels;
        while (q.next()) {
            recorded.append(q.value(0).toLongLong());
            QCOMPARE(q.value(1).toInt(), int(recorded.size() - 1) % 3 + 1);
            labels.append(q.value(2).toString());
        }
        QCOMPARE(recorded.size(), 6);
        QCOMPARE(recorded.mid(0, 3), shown);
        QCOMPARE(labels.mid(0, 3),
            (QStringList { QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C") }));
        QVERIFY(q.exec(QStringLiteral("SELECT items_shown FROM rating_session WHERE id = %1")
                           .arg(session.sessionId())));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 2);

        // The export's shown_position column carries it: rate Response B of item 2.
        session.setCurrentIndex(1);
        QVERIFY(session.setScore(shown.at(1), 4));
        QBuffer out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        storage::Error error;
        QCOMPARE(storage::Exporter(*m_study).write(out, {}, &error), 1);
        const QList<QByteArray> lines = out.data().split('\n');
        const QList<QByteArray> header = lines.at(0).split(',');
        const int column = int(header.indexOf("shown_position"));
        QVERIFY(column >= 0);
        QCOMPARE(lines.at(1).split(',').at(column), QByteArray("2"));
    }

    void skipStoresStatusAndCountsDistressing()
    {
        RatingSession session;
        session.start(m_study.get(), m_ana);
        session.setCurrentIndex(0);
        QVERIFY(session.skipCurrent(false));
        session.setCurrentIndex(1);
        QSignalSpy skipped(&session, &RatingSession::itemSkipped);
        QVERIFY(session.skipCurrent(true));
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.at(0).at(1).toBool(), true);
        const auto stored = storage::AssignmentRepository(*m_study).forRater(m_ana.id);
        QCOMPARE(stored.at(0).status, QStringLiteral("skipped"));
        QVERIFY(!stored.at(0).flagged);
        QCOMPARE(stored.at(0).skipReason, QStringLiteral("skipped"));
        QCOMPARE(stored.at(1).status, QStringLiteral("skipped"));
        QCOMPARE(stored.at(1).skipReason, QStringLiteral("distressing"));
        QVERIFY(!stored.at(1).flagged); // a pause is not a flag for discussion
        QCOMPARE(session.skippedCount(), 2);
        QCOMPARE(session.distressingCount(), 1);
        session.start(m_study.get(), m_ana); // counted from storage, not the session
        QCOMPARE(session.distressingCount(), 1);
        QCOMPARE(session.firstUnfinishedIndex(), 2);
    }

    void longQueueIsReadAWindowAtATime()
    {
        // More assignments than one window (256): the session holds the queue (item ids)
        // and reads assignments around the item shown; order, jumps, back, skips,
        // resume and counts are those of the stored assignments.
        QTemporaryDir dir;
        QString path;
        auto study = crtest::createStudy(dir.path(), 700, &path);
        QVERIFY(study);
        const storage::Rater ana = *storage::RaterRepository(*study).byName(QStringLiteral("ana"));
        storage::AssignmentRepository repository(*study);
        storage::Error error;
        QVERIFY(repository.ensureOrderSeed(&error));
        QList<storage::Assignment> stored = repository.forRater(ana.id);
        QCOMPARE(stored.size(), 700);
        QStringList done;
        for (int i = 0; i < 300; ++i)
            done.append(QString::number(stored.at(i).id));
        QSqlQuery q(study->database());
        QVERIFY(q.exec(QStringLiteral("UPDATE assignment SET status = 'done' WHERE id IN (%1)")
                           .arg(done.join(QLatin1Char(',')))));
        stored = repository.forRater(ana.id);

        RatingSession session;
        session.start(study.get(), ana);
        QCOMPARE(session.itemCount(), 700);
        QList<qint64> ids;
        for (const storage::Assignment &a : std::as_const(stored))
            ids.append(a.itemId);
        QCOMPARE(session.queue(), ids);
        QCOMPARE(session.finishedCount(), 300);
        QCOMPARE(session.firstUnfinishedIndex(), 300); // past the first window
        for (int index : { 300, 301, 0, 699, 698, 255, 256, 400, 100, 300 }) {
            session.setCurrentIndex(index);
            QCOMPARE(session.currentIndex(), index);
            const storage::Assignment *a = session.currentAssignment();
            QVERIFY(a);
            QCOMPARE(a->id, stored.at(index).id);
            QCOMPARE(a->itemId, stored.at(index).itemId);
            QCOMPARE(a->seed, stored.at(index).seed);
            QCOMPARE(a->status, stored.at(index).status);
            QCOMPARE(session.currentItemId(), stored.at(index).itemId);
            QCOMPARE(session.responseIds().size(),
                qsizetype(storage::ItemRepository(*study).responses(a->itemId).size()));
        }
        QVERIFY(session.skipCurrent(true)); // index 300, distressing
        session.setCurrentIndex(650);
        QVERIFY(session.skipCurrent(false));
        QVERIFY(session.setFlagged(true));
        session.setCurrentIndex(10); // far away, then back: the window is read again
        QCOMPARE(session.currentAssignment()->status, QStringLiteral("done"));
        session.setCurrentIndex(650);
        QCOMPARE(session.currentAssignment()->status, QStringLiteral("skipped"));
        QVERIFY(session.currentAssignment()->flagged);
        // Completing an item counts it.
        session.setCurrentIndex(500);
        QVERIFY(session.setCategory(QStringLiteral("self-harm")));
        for (qint64 response : session.responseIds())
            QVERIFY(session.setScore(response, 3));
        QCOMPARE(session.currentAssignment()->status, QStringLiteral("done"));
        QCOMPARE(session.finishedCount(), 301);
        QCOMPARE(session.skippedCount(), 2);
        QCOMPARE(session.distressingCount(), 1);
        const auto counts = repository.progress(ana.id);
        QVERIFY(counts);
        QCOMPARE(counts->done, 301);
        QCOMPARE(counts->skipped, 2);
        QCOMPARE(counts->distressing, 1);
        session.start(study.get(), ana);
        QCOMPARE(session.finishedCount(), 301);
        QCOMPARE(session.skippedCount(), 2);
        QCOMPARE(session.distressingCount(), 1);
        QCOMPARE(session.firstUnfinishedIndex(), 301);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<storage::Study> m_study;
    storage::Rater m_ana;
};

QTEST_MAIN(TestRatingSession)
#include "tst_ratingsession.moc"
