#include "storage/auditlog.h"
#include "storage/demo.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "storage/schema.h"
#include "storage/study.h"
#include "tests/storage/backendfixture.h"
#include "tests/storage/sqlitesteps.h"
#include "tests/storage/testutil.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

/// Runs `sql` on a connection of its own (behind the app's back).
bool raw(const QString &path, const QStringList &sql)
{
    test::RawDb db(path);
    if (!db.isOpen())
        return false;
    QSqlQuery q(db.db());
    for (const QString &s : sql) {
        if (!q.exec(s)) {
            qWarning("%s: %s", qPrintable(s), qPrintable(q.lastError().text()));
            return false;
        }
    }
    return true;
}

QString triggerSql(const QString &name)
{
    for (const QString &sql : schema::eventTriggerSql())
        if (sql.section(QLatin1Char(' '), 2, 2) == name)
            return sql;
    return {};
}

/// SQL that drops `trigger`, runs `sql`, and puts the exact trigger back (on
/// PostgreSQL: the table owner disables and re-enables it).
QStringList behindTheTrigger(const QString &trigger, const QString &sql)
{
    if (test::onServer())
        return { QStringLiteral("ALTER TABLE event DISABLE TRIGGER ") + trigger, sql,
            QStringLiteral("ALTER TABLE event ENABLE TRIGGER ") + trigger };
    return { QStringLiteral("DROP TRIGGER ") + trigger, sql, triggerSql(trigger) };
}

/// DROP TRIGGER on the event table, in the engine's words.
QString dropTrigger(const QString &trigger)
{
    return QStringLiteral("DROP TRIGGER ") + trigger
        + (test::onServer() ? QStringLiteral(" ON event") : QString());
}

} // namespace

class TestAuditLog final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Study> m_study;
    QString m_path;

    VerifyResult verify(VerifyScope scope = VerifyScope::Full)
    {
        VerifyResult result;
        Error error;
        if (!verifyAuditLog(*m_study, scope, &result, &error))
            qWarning("verify failed: %s", qPrintable(error.message));
        return result;
    }

    qint64 scalar(const QString &sql)
    {
        QSqlQuery q(m_study->database());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

    qint64 raterId(const QString &name) { return RaterRepository(*m_study).byName(name)->id; }

    /// Appends `n` events in one transaction.
    void appendEvents(int n)
    {
        Error e;
        WriteTransaction tx(*m_study, &e);
        QVERIFY2(tx.isActive(), qPrintable(e.message));
        for (int i = 0; i < n; ++i)
            QVERIFY2(m_study->appendEvent(QStringLiteral("test.note"), QStringLiteral("study"), i,
                         {}, QString::number(i), &e),
                qPrintable(e.message));
        QVERIFY2(tx.commit(&e), qPrintable(e.message));
    }

    /// SQLite virtual-machine steps an incremental check takes (the work it does in the
    /// study file, whatever the machine's speed): after recording the head as verified
    /// and appending a tail of 3 events.
    qint64 incrementalSteps()
    {
        Error e;
        VerifyResult r = verify(VerifyScope::Incremental);
        if (!r.ok || !recordVerified(*m_study, r, &e))
            return -1;
        appendEvents(3);
        const qint64 steps =
            test::sqliteSteps(m_study->database(), [&] { r = verify(VerifyScope::Incremental); });
        return r.ok ? steps : -1;
    }

    /// GUI-style writes on top of the imported demo: set, change and clear a label and
    /// ratings, adjudicate, revert, adjudicate again.
    void writeLikeTheApp()
    {
        Error e;
        const qint64 rater = raterId(QStringLiteral("demo-clinician"));
        const qint64 lead = raterId(QStringLiteral("lead-researcher"));
        const qint64 item = ItemRepository(*m_study).ids().first();
        const QList<Response> responses = ItemRepository(*m_study).responses(item);
        RatingRepository ratings(*m_study);
        QVERIFY(ratings.setCategoryLabel({ item, rater, QStringLiteral("self-harm"), {} }, &e));
        QVERIFY(ratings.setCategoryLabel(
            { item, rater, QStringLiteral("suicidal_ideation"), QStringLiteral("note “1”") }, &e));
        ResponseRating r { responses[0].id, rater, 4, false, { QStringLiteral("empathy") },
            QStringLiteral("line\nbreak \"q\""), 12.25 };
        QVERIFY(ratings.setResponseRating(r, &e));
        r.score = std::nullopt;
        r.cannotAssess = true;
        QVERIFY(ratings.setResponseRating(r, &e));
        QVERIFY(ratings.setResponseRating({ responses[1].id, rater, 2, false, {}, {}, 3.0 }, &e));
        QVERIFY(ratings.clearResponseRating(responses[1].id, rater, &e));
        QVERIFY(ratings.clearCategoryLabel(item, raterId(QStringLiteral("clinician-1")), &e));
        Adjudication a;
        a.itemId = item;
        a.category = QStringLiteral("self-harm");
        a.adjudicatorId = lead;
        a.reasonTags = { QStringLiteral("missed_signal") };
        a.note = QStringLiteral("agreed");
        const qint64 first = adjudicate(*m_study, a, std::nullopt, &e);
        QVERIFY2(first > 0, qPrintable(e.message));
        QVERIFY(revertAdjudication(*m_study, first, &e));
        QVERIFY(adjudicate(*m_study, a, std::nullopt, &e) > 0);
        Adjudication s;
        s.responseId = responses[2].id;
        s.score = 1;
        s.adjudicatorId = lead;
        QVERIFY(AdjudicationRepository(*m_study).add(s, &e) > 0);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_path = test::studyLocation(*m_dir, QStringLiteral("s.crisis"));
        Error e;
        m_study = createDemoStudy(m_path, &e);
        QVERIFY2(m_study, qPrintable(e.message));
        writeLikeTheApp();
    }

    void cleanup()
    {
        m_study.reset();
        m_dir.reset();
    }

    void cleanStudyVerifies()
    {
        const VerifyResult r = verify();
        QVERIFY2(r.ok, qPrintable(r.problem));
        QVERIFY(r.replayChecked);
        QCOMPARE(r.events, scalar(QStringLiteral("SELECT count(*) FROM event")));
        QCOMPARE(r.headId, scalar(QStringLiteral("SELECT max(id) FROM event")));
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT hash FROM event ORDER BY id DESC LIMIT 1")));
        QVERIFY(q.next());
        QCOMPARE(r.headHash, q.value(0).toString());
        QVERIFY(!r.broken);
    }

    void importWritesOneEventPerLabelAndRating()
    {
        // Every imported row is in the log with its values (the replay needs them).
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.import'")),
            scalar(QStringLiteral("SELECT count(*) FROM response_rating rr JOIN rater r"
                                  " ON r.id = rr.rater_id WHERE r.name <> 'demo-clinician'")));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM event WHERE action = 'label.import'")),
            scalar(QStringLiteral("SELECT count(*) FROM category_label l JOIN rater r"
                                  " ON r.id = l.rater_id WHERE r.name <> 'demo-clinician'"))
                + 1); // the label cleared in writeLikeTheApp
        QVERIFY(verify().ok);
    }

    void encodingIsTheDocumentedOne()
    {
        // Event 1 recomputed here from the README's description, not with eventHash().
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT id, at, actor, action, entity, entity_id, before, after, hash FROM event"
            " WHERE id IN (1, 2) ORDER BY id")));
        QByteArray previous(64, '0');
        while (q.next()) {
            QByteArray message = previous;
            for (int i = 0; i < 8; ++i) {
                const QVariant v = q.value(i);
                if (v.isNull()) {
                    message += '~';
                } else {
                    const QByteArray bytes = v.toString().toUtf8();
                    message += QByteArray::number(bytes.size()) + ':' + bytes;
                }
            }
            const QByteArray expected =
                QCryptographicHash::hash(message, QCryptographicHash::Sha256).toHex();
            QCOMPARE(q.value(8).toByteArray(), expected);
            previous = expected;
        }
    }

    void droppedTriggerIsCaught()
    {
        QVERIFY(raw(m_path, { dropTrigger(QStringLiteral("event_append_only_delete")) }));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY2(
            r.problem.contains(QLatin1String("event_append_only_delete")), qPrintable(r.problem));
        QVERIFY(!verify(VerifyScope::Incremental).ok);
    }

    void changedTriggerIsCaught()
    {
        QVERIFY(raw(m_path,
            { dropTrigger(QStringLiteral("event_append_only_update")),
                test::onServer()
                    ? QStringLiteral("CREATE TRIGGER event_append_only_update BEFORE UPDATE ON"
                                     " event FOR EACH ROW WHEN (false) EXECUTE FUNCTION"
                                     " event_append_only()")
                    : QStringLiteral("CREATE TRIGGER event_append_only_update BEFORE UPDATE ON "
                                     "event WHEN 0 BEGIN SELECT RAISE(ABORT, 'event log is "
                                     "append-only'); END") }));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY2(r.problem.contains(QLatin1String("changed")), qPrintable(r.problem));
    }

    void editedEventIsCaught()
    {
        QVERIFY(raw(m_path,
            behindTheTrigger(QStringLiteral("event_append_only_update"),
                QStringLiteral("UPDATE event SET actor = 'someone-else' WHERE id = 5"))));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY(r.broken);
        QCOMPARE(r.broken->id, 5);
        QVERIFY(!r.broken->action.isEmpty());
        QVERIFY(!r.broken->at.isEmpty());
    }

    void deletedEventIsCaught()
    {
        QVERIFY(raw(m_path,
            behindTheTrigger(QStringLiteral("event_append_only_delete"),
                QStringLiteral("DELETE FROM event WHERE id = 7"))));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY(r.broken);
        QCOMPARE(r.broken->id, 8);
        QVERIFY2(r.problem.contains(QLatin1String("#7 was deleted")), qPrintable(r.problem));
    }

    void deletedLastEventIsCaughtAndItsIdNotReused()
    {
        const qint64 last = scalar(QStringLiteral("SELECT max(id) FROM event"));
        QVERIFY(raw(m_path,
            behindTheTrigger(QStringLiteral("event_append_only_delete"),
                QStringLiteral("DELETE FROM event WHERE id = %1").arg(last))));
        QVERIFY(!verify().ok);
        Error e;
        QVERIFY(RaterRepository(*m_study).add(
            QStringLiteral("late"), RaterKind::Human, RaterRole::Rater, &e));
        QCOMPARE(scalar(QStringLiteral("SELECT max(id) FROM event")), last + 1);
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY(r.broken);
        QCOMPARE(r.broken->id, last + 1);
    }

    void insertedForgedEventIsCaught()
    {
        const qint64 last = scalar(QStringLiteral("SELECT max(id) FROM event"));
        QVERIFY(raw(m_path,
            { QStringLiteral("INSERT INTO event(id, at, actor, action, entity, entity_id, after,"
                             " hash) SELECT max(id) + 1, '2026-01-01T00:00:00.000Z', 'cli',"
                             " 'rater.add', 'rater', 99, '{}', '%1' FROM event")
                    .arg(QString(64, QLatin1Char('a'))) }));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY(r.broken);
        QCOMPARE(r.broken->id, last + 1);
        QCOMPARE(r.broken->action, QStringLiteral("rater.add"));
    }

    void forgedEventWithAValidHashFailsTheReplay()
    {
        // Someone who knows the encoding can extend the chain, but the log then says
        // something the ratings do not.
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT response_id, rater_id FROM response_rating WHERE score = 4 LIMIT 1")));
        QVERIFY(q.next());
        const qint64 response = q.value(0).toLongLong(), rater = q.value(1).toLongLong();
        q.finish();
        Error e;
        WriteTransaction tx(*m_study, &e);
        QVERIFY(m_study->appendEvent(QStringLiteral("rating.set"),
            QStringLiteral("response_rating"), response, {},
            QString::fromUtf8(audit::ratingPayload(response, rater, 1, false, {}, {}, {})), &e));
        QVERIFY(tx.commit(&e));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY(r.broken);
        QCOMPARE(r.broken->action, QStringLiteral("rating.set"));
        QVERIFY2(r.problem.contains(QStringLiteral("rating of response %1").arg(response)),
            qPrintable(r.problem));
        QVERIFY(verify(VerifyScope::Incremental).ok); // the chain itself is intact
    }

    void editedRatingIsCaught()
    {
        QVERIFY(raw(m_path,
            { QStringLiteral("UPDATE response_rating SET score = 1 WHERE id = (SELECT min(id)"
                             " FROM response_rating WHERE score = 5)") }));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY2(r.problem.contains(QLatin1String("differs from what the log says")),
            qPrintable(r.problem));
        QVERIFY(r.broken);
        QCOMPARE(r.broken->action, QStringLiteral("rating.import"));
    }

    void editedLabelAndAdjudicationAreCaught()
    {
        QVERIFY(raw(m_path,
            { QStringLiteral("UPDATE category_label SET note = 'x' WHERE id = (SELECT min(id) FROM "
                             "category_label)") }));
        QVERIFY(!verify().ok);
        QVERIFY(raw(m_path,
            { QStringLiteral("UPDATE category_label SET note = NULL WHERE id = (SELECT min(id) "
                             "FROM category_label)") }));
        QVERIFY2(verify().ok, qPrintable(verify().problem));
        QVERIFY(
            raw(m_path, { QStringLiteral("UPDATE adjudication SET score = 2 WHERE score = 1") }));
        const VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY2(r.problem.contains(QLatin1String("adjudication")), qPrintable(r.problem));
    }

    void insertedAndDeletedRatingsAreCaught()
    {
        QVERIFY(raw(m_path,
            { QStringLiteral("DELETE FROM response_rating WHERE id = (SELECT max(id) FROM "
                             "response_rating)") }));
        VerifyResult r = verify();
        QVERIFY(!r.ok);
        QVERIFY2(
            r.problem.contains(QLatin1String("missing from the study")), qPrintable(r.problem));
        QVERIFY(raw(m_path,
            { QStringLiteral("INSERT INTO response_rating(response_id, rater_id, score,"
                             " cannot_assess, created_at, updated_at) SELECT id, 1, 3, 0, 'now',"
                             " 'now' FROM response WHERE id NOT IN (SELECT response_id FROM"
                             " response_rating WHERE rater_id = 1) LIMIT 1") }));
        r = verify();
        QVERIFY(!r.ok);
    }

    void incrementalCheckStartsAtTheRecordedEvent()
    {
        VerifyResult r = verify(VerifyScope::Incremental);
        QVERIFY(r.ok);
        QCOMPARE(r.checkedFrom, 0);
        Error e;
        QVERIFY(recordVerified(*m_study, r, &e));
        const qint64 mark = r.headId;
        QVERIFY(RaterRepository(*m_study).add(
            QStringLiteral("late"), RaterKind::Human, RaterRole::Rater, &e));
        r = verify(VerifyScope::Incremental);
        QVERIFY(r.ok);
        QCOMPARE(r.checkedFrom, mark - 1); // the mark event itself is hashed again
        QCOMPARE(r.headId, mark + 1);
        // An edit after the mark is caught incrementally...
        QVERIFY(raw(m_path,
            behindTheTrigger(QStringLiteral("event_append_only_update"),
                QStringLiteral("UPDATE event SET after = 'x' WHERE id = %1").arg(mark + 1))));
        r = verify(VerifyScope::Incremental);
        QVERIFY(!r.ok);
        QCOMPARE(r.broken->id, mark + 1);
    }

    void incrementalCheckReadsOnlyTheTail()
    {
        if (test::onServer())
            QSKIP("counts SQLite's virtual-machine steps");
        // The same tail after 50 or after 5,000 more verified events: the same work (the
        // event count comes from tally_study, the baseline is looked for in the tail).
        const qint64 small = incrementalSteps();
        QVERIFY(small > 0);
        appendEvents(5000);
        const qint64 large = incrementalSteps();
        QVERIFY(large > 0);
        QVERIFY2(large < small + 100,
            qPrintable(QStringLiteral("%1 steps after 5,000 more events, %2 before")
                           .arg(large)
                           .arg(small)));
    }

    void incrementalCheckCountsEventsFromTheTally()
    {
        if (test::onServer())
            QSKIP("tally_study is a view over the event table on a server");
        Error e;
        VerifyResult r = verify(VerifyScope::Incremental);
        QVERIFY(recordVerified(*m_study, r, &e));
        const qint64 events = scalar(QStringLiteral("SELECT count(*) FROM event"));
        QCOMPARE(verify(VerifyScope::Incremental).events, events);
        // A count the trigger did not keep (by hand) shows: the incremental check never
        // counts the table; the full one does.
        QVERIFY(raw(m_path, { QStringLiteral("UPDATE tally_study SET events = events + 1000") }));
        QCOMPARE(verify(VerifyScope::Incremental).events, events + 1000);
        QCOMPARE(verify(VerifyScope::Full).events, events);
    }

    void incrementalCheckCatchesAChangedMarkAndFullCatchesEarlierEdits()
    {
        VerifyResult r = verify(VerifyScope::Incremental);
        Error e;
        QVERIFY(recordVerified(*m_study, r, &e));
        QVERIFY(raw(m_path,
            behindTheTrigger(QStringLiteral("event_append_only_update"),
                QStringLiteral("UPDATE event SET actor = 'x' WHERE id = 3"))));
        QVERIFY(verify(VerifyScope::Incremental).ok); // before the mark: only a full check sees it
        QVERIFY(!verify(VerifyScope::Full).ok);
        QVERIFY(raw(m_path,
            behindTheTrigger(QStringLiteral("event_append_only_update"),
                QStringLiteral("UPDATE event SET actor = 'x' WHERE id = %1").arg(r.headId))));
        const qint64 mark = r.headId;
        r = verify(VerifyScope::Incremental);
        QVERIFY(!r.ok);
        QVERIFY(r.broken);
        QCOMPARE(r.broken->id, mark);
    }
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
