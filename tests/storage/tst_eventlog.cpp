#include "protocol/protocol.h"
#include "storage/demo.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "tests/storage/backendfixture.h"
#include "tests/storage/sqlitesteps.h"
#include "tests/storage/testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

QJsonObject json(const QString &text)
{
    QJsonParseError pe {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("not a JSON object: %s", qPrintable(text));
    return doc.object();
}

enum class Op {
    UnknownCategory,
    EmptyCategory,
    Score7,
    Score0,
    ScoreAndCannotAssess,
    NeitherScoreNorCannotAssess,
    UnknownChecklist,
    AdjudicationNeither,
    AdjudicationBoth,
    AdjudicationUnknownCategory,
    AdjudicationScore6,
    AdjudicationResponseWithoutScore,
    RaterComma,
    RaterEmpty,
    RaterSpaces,
    RaterDuplicate,
    AssignPerItemZero,
    AssignPerItemTooMany,
    AssignNoRaters,
    AssignUnknownCalibrationItem,
    AssignmentUnknownStatus,
    AssignmentUnknownId,
    LabelForMissingItem,
    RatingForMissingResponse,
};

} // namespace

Q_DECLARE_METATYPE(Op)

class TestEventLog final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Study> m_study;
    qint64 m_item1 = 0, m_item2 = 0; // it-001 (two responses), it-002 (none)
    qint64 m_responseA = 0, m_responseB = 0;
    qint64 m_rater = 0, m_adjudicator = 0;

    Event lastEvent() const { return EventLog(*m_study).recent(1).value(0); }

    /// Counts of the data tables (not event), to prove a rejected call changed nothing.
    QMap<QString, qint64> counts() const { return test::tableCounts(m_study->database()); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        Error e;
        m_study = Study::create(test::studyLocation(*m_dir, QStringLiteral("s.crs")),
            cr::protocol::defaultProtocol(), QStringLiteral("Log"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
        ImportReport report;
        QVERIFY2(Importer(*m_study).run(
                     { test::importData(QStringLiteral("items_turns.jsonl")) }, {}, &report, &e),
            qPrintable(e.message));
        ItemRepository items(*m_study);
        m_item1 = items.byExternalId(QStringLiteral("it-001"))->id;
        m_item2 = items.byExternalId(QStringLiteral("it-002"))->id;
        const QList<Response> responses = items.responses(m_item1);
        QCOMPARE(responses.size(), 2);
        m_responseA = responses[0].id;
        m_responseB = responses[1].id;
        RaterRepository raters(*m_study);
        m_rater = raters.add(QStringLiteral("clin-1"), RaterKind::Human, RaterRole::Rater, &e)->id;
        m_adjudicator =
            raters.add(QStringLiteral("adj-1"), RaterKind::Human, RaterRole::Adjudicator, &e)->id;
        m_study->setActor(QStringLiteral("tester"));
    }

    void cleanup()
    {
        m_study.reset();
        m_dir.reset();
    }

    void eventIsAppendOnly_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("update all") << QStringLiteral("UPDATE event SET action = 'forged'");
        QTest::newRow("update one") << QStringLiteral("UPDATE event SET after = NULL WHERE id = 1");
        QTest::newRow("delete all") << QStringLiteral("DELETE FROM event");
        QTest::newRow("delete one") << QStringLiteral("DELETE FROM event WHERE id = 1");
        if (test::onServer()) // PostgreSQL has no INSERT OR REPLACE, but TRUNCATE
            QTest::newRow("truncate") << QStringLiteral("TRUNCATE event");
        else
            QTest::newRow("replace one")
                << QStringLiteral("INSERT OR REPLACE INTO event(id, at, action, entity)"
                                  " VALUES (1, 'now', 'forged', 'study')");
        QTest::newRow("upsert one") << QStringLiteral(
            "INSERT INTO event(id, at, action, entity, hash) VALUES (1, 'now', 'forged',"
            " 'study', '%1') ON CONFLICT(id) DO UPDATE SET action = excluded.action")
                                           .arg(QString(64, QLatin1Char('0')));
    }

    void eventIsAppendOnly()
    {
        QFETCH(QString, sql);
        const qint64 before = EventLog(*m_study).count();
        QVERIFY(before > 0);
        const QString firstAction = EventLog(*m_study).recent(int(before)).last().action;
        QSqlQuery q(m_study->database());
        QVERIFY(!q.exec(sql));
        QVERIFY2(q.lastError().text().contains(QLatin1String("append-only")),
            qPrintable(q.lastError().text()));
        QCOMPARE(EventLog(*m_study).count(), before);
        QCOMPARE(EventLog(*m_study).recent(int(before)).last().action, firstAction);
    }

    void raterAddIsLogged()
    {
        Error e;
        const qint64 before = EventLog(*m_study).count();
        const auto r = RaterRepository(*m_study).add(
            QStringLiteral("Dr. Zoë Ångström"), RaterKind::Llm, RaterRole::Researcher, &e);
        QVERIFY2(r, qPrintable(e.message));
        QCOMPARE(EventLog(*m_study).count(), before + 1);
        const Event ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("rater.add"));
        QCOMPARE(ev.entity, QStringLiteral("rater"));
        QCOMPARE(ev.entityId, r->id);
        QCOMPARE(ev.actor, QStringLiteral("tester"));
        QVERIFY(ev.before.isEmpty());
        const QJsonObject after = json(ev.after);
        QCOMPARE(
            after.value(QStringLiteral("name")).toString(), QStringLiteral("Dr. Zoë Ångström"));
        QCOMPARE(after.value(QStringLiteral("kind")).toString(), QStringLiteral("llm"));
        QCOMPARE(after.value(QStringLiteral("role")).toString(), QStringLiteral("researcher"));
        QCOMPARE(after.value(QStringLiteral("pseudonym")).toString(), r->pseudonym);

        // Read back.
        const auto byName = RaterRepository(*m_study).byName(QStringLiteral("Dr. Zoë Ångström"));
        QVERIFY(byName);
        QCOMPARE(byName->id, r->id);
        QCOMPARE(toString(byName->kind), QStringLiteral("llm"));
        QCOMPARE(toString(byName->role), QStringLiteral("researcher"));
        QCOMPARE(byName->pseudonym, QStringLiteral("R003"));
        QCOMPARE(RaterRepository(*m_study).byId(r->id)->name, QStringLiteral("Dr. Zoë Ångström"));
        QCOMPARE(RaterRepository(*m_study).all().size(), 3);
    }

    void assignIsLogged()
    {
        Error e;
        const qint64 before = EventLog(*m_study).count();
        const int added = AssignmentRepository(*m_study).assign(
            { m_rater, m_adjudicator }, 1, 7, { m_item2 }, &e);
        QVERIFY2(added > 0, qPrintable(e.message));
        QCOMPARE(EventLog(*m_study).count(), before + 1);
        const Event ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("assignment.plan"));
        const QJsonObject after = json(ev.after);
        QCOMPARE(after.value(QStringLiteral("per_item")).toInt(), 1);
        QCOMPARE(after.value(QStringLiteral("added")).toInt(), added);
        QCOMPARE(after.value(QStringLiteral("seed")).toString(), QStringLiteral("7"));
        QCOMPARE(after.value(QStringLiteral("calibration_items")).toInt(), 1);
        QCOMPARE(after.value(QStringLiteral("raters")).toArray().size(), 2);

        // 3 items, 1 per item, plus the calibration item for both: 2 + 2 = 4.
        QCOMPARE(added, 4);
        const QList<Assignment> mine = AssignmentRepository(*m_study).forRater(m_rater);
        const QList<Assignment> theirs = AssignmentRepository(*m_study).forRater(m_adjudicator);
        QCOMPARE(mine.size() + theirs.size(), 4);
        QVERIFY(!mine.isEmpty() && !theirs.isEmpty());
        // The calibration item is in the rater's shuffled order like any other (issue 16).
        const auto calibration = std::find_if(mine.cbegin(), mine.cend(),
            [this](const Assignment &a) { return a.itemId == m_item2; });
        QVERIFY(calibration != mine.cend());
        QVERIFY(calibration->calibration);
        QCOMPARE(calibration->status, QStringLiteral("pending"));

        // Status changes are logged with the old and new value.
        QVERIFY(
            AssignmentRepository(*m_study).setStatus(mine.first().id, QStringLiteral("done"), &e));
        Event status = lastEvent();
        QCOMPARE(status.action, QStringLiteral("assignment.status"));
        QCOMPARE(status.entityId, mine.first().id);
        QCOMPARE(status.before, QStringLiteral("pending"));
        QCOMPARE(status.after, QStringLiteral("done"));
        QCOMPARE(AssignmentRepository(*m_study).forRater(m_rater).first().status,
            QStringLiteral("done"));

        // Assigning again adds nothing (already complete) but is still logged.
        QCOMPARE(AssignmentRepository(*m_study).assign(
                     { m_rater, m_adjudicator }, 1, 7, { m_item2 }, &e),
            0);
        QCOMPARE(json(lastEvent().after).value(QStringLiteral("added")).toInt(), 0);
    }

    void labelSetAndClearAreLogged()
    {
        Error e;
        RatingRepository ratings(*m_study);
        const qint64 start = EventLog(*m_study).count();

        // First label: no "before".
        QVERIFY2(ratings.setCategoryLabel({ m_item1, m_rater, QStringLiteral("suicidal"),
                                              QStringLiteral("note “1” 🙂") },
                     &e),
            qPrintable(e.message));
        QCOMPARE(EventLog(*m_study).count(), start + 1);
        Event ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("label.set"));
        QCOMPARE(ev.entity, QStringLiteral("category_label"));
        QCOMPARE(ev.entityId, m_item1);
        QVERIFY(ev.before.isEmpty());
        QJsonObject after = json(ev.after);
        QCOMPARE(after.value(QStringLiteral("category")).toString(),
            QStringLiteral("suicidal_ideation"));
        QCOMPARE(after.value(QStringLiteral("item")).toInteger(), m_item1);
        QCOMPARE(after.value(QStringLiteral("rater")).toInteger(), m_rater);
        QCOMPARE(
            after.value(QStringLiteral("note")).toString(), QStringLiteral("note “1” 🙂"));
        auto stored = ratings.categoryLabel(m_item1, m_rater);
        QVERIFY(stored);
        QCOMPARE(stored->category, QStringLiteral("suicidal_ideation")); // alias → canonical id
        QCOMPARE(stored->note, QStringLiteral("note “1” 🙂"));

        // Changing it: before = the old value.
        QVERIFY(
            ratings.setCategoryLabel({ m_item1, m_rater, QStringLiteral("self-harm"), {} }, &e));
        QCOMPARE(EventLog(*m_study).count(), start + 2);
        ev = lastEvent();
        QCOMPARE(json(ev.before).value(QStringLiteral("category")).toString(),
            QStringLiteral("suicidal_ideation"));
        QCOMPARE(json(ev.after).value(QStringLiteral("category")).toString(),
            QStringLiteral("self-harm"));
        QVERIFY(!json(ev.after).contains(QStringLiteral("note")));
        stored = ratings.categoryLabel(m_item1, m_rater);
        QCOMPARE(stored->category, QStringLiteral("self-harm"));
        QCOMPARE(stored->note, QString());
        QCOMPARE(test::tableCounts(m_study->database()).value(QStringLiteral("category_label")), 1);

        // Clearing: after is empty, before holds what was removed.
        QVERIFY(ratings.clearCategoryLabel(m_item1, m_rater, &e));
        QCOMPARE(EventLog(*m_study).count(), start + 3);
        ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("label.clear"));
        QCOMPARE(json(ev.before).value(QStringLiteral("category")).toString(),
            QStringLiteral("self-harm"));
        QVERIFY(ev.after.isEmpty());
        QVERIFY(!ratings.categoryLabel(m_item1, m_rater));

        // Clearing nothing logs nothing.
        QVERIFY(ratings.clearCategoryLabel(m_item1, m_rater, &e));
        QCOMPARE(EventLog(*m_study).count(), start + 3);
    }

    void ratingSetAndClearAreLogged()
    {
        Error e;
        RatingRepository ratings(*m_study);
        const qint64 start = EventLog(*m_study).count();
        ResponseRating r;
        r.responseId = m_responseA;
        r.raterId = m_rater;
        r.score = 4;
        r.checklist = { QStringLiteral("empathy"), QStringLiteral("risk_check") };
        r.rationale = QStringLiteral("Warm.\nBut: no “988” 🙂");
        r.secondsSpent = 12.25;
        QVERIFY2(ratings.setResponseRating(r, &e), qPrintable(e.message));
        QCOMPARE(EventLog(*m_study).count(), start + 1);
        Event ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("rating.set"));
        QCOMPARE(ev.entity, QStringLiteral("response_rating"));
        QCOMPARE(ev.entityId, m_responseA);
        QVERIFY(ev.before.isEmpty());
        QJsonObject after = json(ev.after);
        QCOMPARE(after.value(QStringLiteral("score")).toInt(), 4);
        QCOMPARE(after.value(QStringLiteral("rater")).toInteger(), m_rater);
        QCOMPARE(after.value(QStringLiteral("checklist")).toArray().size(), 2);
        QCOMPARE(after.value(QStringLiteral("rationale")).toString(), r.rationale);
        QCOMPARE(after.value(QStringLiteral("seconds_spent")).toDouble(), 12.25);

        auto stored = ratings.responseRating(m_responseA, m_rater);
        QVERIFY(stored);
        QCOMPARE(stored->score, std::optional<int>(4));
        QCOMPARE(stored->cannotAssess, false);
        QCOMPARE(stored->checklist, r.checklist);
        QCOMPARE(stored->rationale, r.rationale);
        QCOMPARE(stored->secondsSpent, std::optional<double>(12.25));

        // Changing to "cannot assess": before = the old score.
        ResponseRating cannot;
        cannot.responseId = m_responseA;
        cannot.raterId = m_rater;
        cannot.cannotAssess = true;
        QVERIFY2(ratings.setResponseRating(cannot, &e), qPrintable(e.message));
        QCOMPARE(EventLog(*m_study).count(), start + 2);
        ev = lastEvent();
        QCOMPARE(json(ev.before).value(QStringLiteral("score")).toInt(), 4);
        after = json(ev.after);
        QVERIFY(after.value(QStringLiteral("score")).isNull());
        QCOMPARE(after.value(QStringLiteral("cannot_assess")).toBool(), true);
        stored = ratings.responseRating(m_responseA, m_rater);
        QVERIFY(!stored->score);
        QVERIFY(stored->cannotAssess);
        QVERIFY(stored->checklist.isEmpty());
        QVERIFY(stored->rationale.isEmpty());
        QVERIFY(!stored->secondsSpent);

        // Another response of the same item; ratingsForItem returns this rater's only.
        ResponseRating other = r;
        other.responseId = m_responseB;
        other.score = 1;
        QVERIFY(ratings.setResponseRating(other, &e));
        ResponseRating foreign = r;
        foreign.raterId = m_adjudicator;
        QVERIFY(ratings.setResponseRating(foreign, &e));
        const QList<ResponseRating> mine = ratings.ratingsForItem(m_item1, m_rater);
        QCOMPARE(mine.size(), 2);
        for (const ResponseRating &x : mine)
            QCOMPARE(x.raterId, m_rater);

        // Clearing.
        const qint64 beforeClear = EventLog(*m_study).count();
        QVERIFY(ratings.clearResponseRating(m_responseA, m_rater, &e));
        QCOMPARE(EventLog(*m_study).count(), beforeClear + 1);
        ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("rating.clear"));
        QCOMPARE(json(ev.before).value(QStringLiteral("cannot_assess")).toBool(), true);
        QVERIFY(ev.after.isEmpty());
        QVERIFY(!ratings.responseRating(m_responseA, m_rater));
        QVERIFY(ratings.responseRating(m_responseA, m_adjudicator)); // other rater's untouched
        QVERIFY(ratings.clearResponseRating(m_responseA, m_rater, &e));
        QCOMPARE(EventLog(*m_study).count(), beforeClear + 1);
    }

    void adjudicationIsLogged()
    {
        Error e;
        AdjudicationRepository adj(*m_study);
        const qint64 start = EventLog(*m_study).count();
        Adjudication itemDecision;
        itemDecision.itemId = m_item1;
        itemDecision.category = QStringLiteral("nssi"); // alias of self-harm
        itemDecision.adjudicatorId = m_adjudicator;
        itemDecision.reasonTags = { QStringLiteral("ambiguous"), QStringLiteral("missed_risk") };
        itemDecision.note = QStringLiteral("Consensus “after” discussion 🙂");
        const qint64 first = adj.add(itemDecision, &e);
        QVERIFY2(first > 0, qPrintable(e.message));
        QCOMPARE(EventLog(*m_study).count(), start + 1);
        Event ev = lastEvent();
        QCOMPARE(ev.action, QStringLiteral("adjudication.add"));
        QCOMPARE(ev.entity, QStringLiteral("adjudication"));
        QCOMPARE(ev.entityId, first);
        QVERIFY(ev.before.isEmpty());
        QJsonObject after = json(ev.after);
        QCOMPARE(after.value(QStringLiteral("item")).toInteger(), m_item1);
        QCOMPARE(after.value(QStringLiteral("category")).toString(), QStringLiteral("self-harm"));
        QCOMPARE(after.value(QStringLiteral("adjudicator")).toInteger(), m_adjudicator);

        Adjudication responseDecision;
        responseDecision.responseId = m_responseB;
        responseDecision.score = 2;
        responseDecision.adjudicatorId = m_adjudicator;
        const qint64 second = adj.add(responseDecision, &e);
        QVERIFY2(second > first, qPrintable(e.message));
        after = json(lastEvent().after);
        QCOMPARE(after.value(QStringLiteral("response")).toInteger(), m_responseB);
        QCOMPARE(after.value(QStringLiteral("score")).toInt(), 2);

        const QList<Adjudication> all = adj.forItem(m_item1);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].id, first);
        QCOMPARE(all[0].itemId, std::optional<qint64>(m_item1));
        QVERIFY(!all[0].responseId);
        QCOMPARE(all[0].category, QStringLiteral("self-harm"));
        QCOMPARE(all[0].reasonTags, itemDecision.reasonTags);
        QCOMPARE(all[0].note, itemDecision.note);
        QCOMPARE(all[0].adjudicatorId, m_adjudicator);
        QVERIFY(!all[0].createdAt.isEmpty());
        QCOMPARE(all[1].responseId, std::optional<qint64>(m_responseB));
        QCOMPARE(all[1].score, std::optional<int>(2));
        QVERIFY(adj.forItem(m_item2).isEmpty());
    }

    void valuesSurviveReopen()
    {
        Error e;
        ResponseRating r;
        r.responseId = m_responseB;
        r.raterId = m_rater;
        r.score = 5;
        r.checklist = { QStringLiteral("safety_plan") };
        r.rationale = QStringLiteral("日本語 rationale");
        QVERIFY(RatingRepository(*m_study).setResponseRating(r, &e));
        QVERIFY(RatingRepository(*m_study).setCategoryLabel(
            { m_item2, m_rater, QStringLiteral("panic"), {} }, &e));
        const QString file = m_study->path();
        m_study.reset();
        m_study = Study::open(file, &e);
        QVERIFY2(m_study, qPrintable(e.message));
        const auto stored = RatingRepository(*m_study).responseRating(m_responseB, m_rater);
        QVERIFY(stored);
        QCOMPARE(stored->score, std::optional<int>(5));
        QCOMPARE(stored->checklist, r.checklist);
        QCOMPARE(stored->rationale, r.rationale);
        QCOMPARE(RatingRepository(*m_study).categoryLabel(m_item2, m_rater)->category,
            QStringLiteral("anxiety_crisis"));
    }

    void invalidInputChangesNothing_data()
    {
        QTest::addColumn<Op>("op");
        QTest::addColumn<bool>("invalidInput"); // else: any error kind will do
        QTest::newRow("unknown category") << Op::UnknownCategory << true;
        QTest::newRow("empty category") << Op::EmptyCategory << true;
        QTest::newRow("score 7") << Op::Score7 << true;
        QTest::newRow("score 0") << Op::Score0 << true;
        QTest::newRow("score + cannot_assess") << Op::ScoreAndCannotAssess << true;
        QTest::newRow("neither score nor cannot_assess") << Op::NeitherScoreNorCannotAssess << true;
        QTest::newRow("unknown checklist id") << Op::UnknownChecklist << true;
        QTest::newRow("adjudication of nothing") << Op::AdjudicationNeither << true;
        QTest::newRow("adjudication of item and response") << Op::AdjudicationBoth << true;
        QTest::newRow("adjudication unknown category") << Op::AdjudicationUnknownCategory << true;
        QTest::newRow("adjudication score 6") << Op::AdjudicationScore6 << true;
        QTest::newRow("adjudication response without score")
            << Op::AdjudicationResponseWithoutScore << true;
        QTest::newRow("rater name with comma") << Op::RaterComma << true;
        QTest::newRow("rater name empty") << Op::RaterEmpty << true;
        QTest::newRow("rater name padded") << Op::RaterSpaces << true;
        QTest::newRow("rater duplicate") << Op::RaterDuplicate << true;
        QTest::newRow("assign per-item 0") << Op::AssignPerItemZero << true;
        QTest::newRow("assign per-item > raters") << Op::AssignPerItemTooMany << true;
        QTest::newRow("assign no raters") << Op::AssignNoRaters << true;
        QTest::newRow("assign unknown calibration item")
            << Op::AssignUnknownCalibrationItem << true;
        QTest::newRow("assignment unknown status") << Op::AssignmentUnknownStatus << true;
        QTest::newRow("assignment unknown id") << Op::AssignmentUnknownId << true;
        QTest::newRow("label for missing item") << Op::LabelForMissingItem << false;
        QTest::newRow("rating for missing response") << Op::RatingForMissingResponse << false;
    }

    void invalidInputChangesNothing()
    {
        QFETCH(Op, op);
        QFETCH(bool, invalidInput);
        Error e;
        // A label, a rating and an assignment to stay untouched.
        QVERIFY(RatingRepository(*m_study).setCategoryLabel(
            { m_item1, m_rater, QStringLiteral("self-harm"), {} }, &e));
        ResponseRating existing;
        existing.responseId = m_responseA;
        existing.raterId = m_rater;
        existing.score = 3;
        QVERIFY(RatingRepository(*m_study).setResponseRating(existing, &e));
        QVERIFY(AssignmentRepository(*m_study).assign({ m_rater }, 1, 1, {}, &e) > 0);
        const qint64 assignmentId = AssignmentRepository(*m_study).forRater(m_rater).first().id;

        const qint64 events = EventLog(*m_study).count();
        const QMap<QString, qint64> before = counts();

        ResponseRating r;
        r.responseId = m_responseA;
        r.raterId = m_rater;
        Adjudication a;
        a.adjudicatorId = m_adjudicator;
        bool ok = true;
        switch (op) {
        case Op::UnknownCategory:
            ok = RatingRepository(*m_study).setCategoryLabel(
                { m_item1, m_rater, QStringLiteral("sadness"), {} }, &e);
            break;
        case Op::EmptyCategory:
            ok = RatingRepository(*m_study).setCategoryLabel(
                { m_item1, m_rater, QString(), {} }, &e);
            break;
        case Op::Score7:
            r.score = 7;
            ok = RatingRepository(*m_study).setResponseRating(r, &e);
            break;
        case Op::Score0:
            r.score = 0;
            ok = RatingRepository(*m_study).setResponseRating(r, &e);
            break;
        case Op::ScoreAndCannotAssess:
            r.score = 2;
            r.cannotAssess = true;
            ok = RatingRepository(*m_study).setResponseRating(r, &e);
            break;
        case Op::NeitherScoreNorCannotAssess:
            ok = RatingRepository(*m_study).setResponseRating(r, &e);
            break;
        case Op::UnknownChecklist:
            r.score = 2;
            r.checklist = { QStringLiteral("empathy"), QStringLiteral("hugs") };
            ok = RatingRepository(*m_study).setResponseRating(r, &e);
            break;
        case Op::AdjudicationNeither:
            a.category = QStringLiteral("self-harm");
            a.score = 3;
            ok = AdjudicationRepository(*m_study).add(a, &e) != 0;
            break;
        case Op::AdjudicationBoth:
            a.itemId = m_item1;
            a.responseId = m_responseA;
            a.category = QStringLiteral("self-harm");
            a.score = 3;
            ok = AdjudicationRepository(*m_study).add(a, &e) != 0;
            break;
        case Op::AdjudicationUnknownCategory:
            a.itemId = m_item1;
            a.category = QStringLiteral("sadness");
            ok = AdjudicationRepository(*m_study).add(a, &e) != 0;
            break;
        case Op::AdjudicationScore6:
            a.responseId = m_responseA;
            a.score = 6;
            ok = AdjudicationRepository(*m_study).add(a, &e) != 0;
            break;
        case Op::AdjudicationResponseWithoutScore:
            a.responseId = m_responseA;
            ok = AdjudicationRepository(*m_study).add(a, &e) != 0;
            break;
        case Op::RaterComma:
            ok = RaterRepository(*m_study)
                     .add(QStringLiteral("Smith, J"), RaterKind::Human, RaterRole::Rater, &e)
                     .has_value();
            break;
        case Op::RaterEmpty:
            ok = RaterRepository(*m_study)
                     .add(QStringLiteral("  "), RaterKind::Human, RaterRole::Rater, &e)
                     .has_value();
            break;
        case Op::RaterSpaces:
            ok = RaterRepository(*m_study)
                     .add(QStringLiteral(" ann "), RaterKind::Human, RaterRole::Rater, &e)
                     .has_value();
            break;
        case Op::RaterDuplicate:
            ok = RaterRepository(*m_study)
                     .add(QStringLiteral("clin-1"), RaterKind::Llm, RaterRole::Rater, &e)
                     .has_value();
            break;
        case Op::AssignPerItemZero:
            ok = AssignmentRepository(*m_study).assign({ m_rater, m_adjudicator }, 0, 1, {}, &e)
                >= 0;
            break;
        case Op::AssignPerItemTooMany:
            ok = AssignmentRepository(*m_study).assign({ m_rater, m_adjudicator }, 3, 1, {}, &e)
                >= 0;
            break;
        case Op::AssignNoRaters:
            ok = AssignmentRepository(*m_study).assign({}, 1, 1, {}, &e) >= 0;
            break;
        case Op::AssignUnknownCalibrationItem:
            ok = AssignmentRepository(*m_study).assign(
                     { m_rater, m_adjudicator }, 1, 1, { 999999 }, &e)
                >= 0;
            break;
        case Op::AssignmentUnknownStatus:
            ok = AssignmentRepository(*m_study).setStatus(
                assignmentId, QStringLiteral("finished"), &e);
            break;
        case Op::AssignmentUnknownId:
            ok = AssignmentRepository(*m_study).setStatus(999999, QStringLiteral("done"), &e);
            break;
        case Op::LabelForMissingItem:
            ok = RatingRepository(*m_study).setCategoryLabel(
                { 999999, m_rater, QStringLiteral("self-harm"), {} }, &e);
            break;
        case Op::RatingForMissingResponse:
            r.responseId = 999999;
            r.score = 3;
            ok = RatingRepository(*m_study).setResponseRating(r, &e);
            break;
        }
        QVERIFY(!ok);
        QVERIFY(e.isError());
        QVERIFY(!e.message.isEmpty());
        if (invalidInput)
            QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QCOMPARE(EventLog(*m_study).count(), events);
        QCOMPARE(counts(), before);
        QCOMPARE(RatingRepository(*m_study).categoryLabel(m_item1, m_rater)->category,
            QStringLiteral("self-harm"));
        QCOMPARE(RatingRepository(*m_study).responseRating(m_responseA, m_rater)->score,
            std::optional<int>(3));
        QCOMPARE(AssignmentRepository(*m_study).forRater(m_rater).first().status,
            QStringLiteral("pending"));
        // The connection is usable afterwards (no transaction left open).
        QVERIFY2(RaterRepository(*m_study).add(
                     QStringLiteral("after"), RaterKind::Human, RaterRole::Rater, &e),
            qPrintable(e.message));
    }
    void ratingsForItemReadsTheItemsRatingsOnly()
    {
        // The rating page reads one item's ratings by a rater at every item: the work is
        // that item's few responses, not all the rater's ratings (millions at 100×).
        if (test::onServer())
            QSKIP("counts SQLite's virtual-machine steps");
        QTemporaryDir dir;
        Error e;
        auto study = createDemoStudy(dir.filePath(QStringLiteral("demo.crisis")), &e);
        QVERIFY2(study, qPrintable(e.message));
        QSqlQuery q(study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT rr.rater_id, r.item_id, (SELECT count(*) FROM"
                                      " response_rating x WHERE x.rater_id = rr.rater_id)"
                                      " FROM response_rating rr JOIN response r"
                                      " ON r.id = rr.response_id ORDER BY 3 DESC, 2 LIMIT 1")));
        QVERIFY(q.next());
        const qint64 busy = q.value(0).toLongLong();
        const qint64 item = q.value(1).toLongLong();
        QVERIFY2(q.value(2).toLongLong() >= 100, "the demo's busiest rater rates many responses");
        // A rater who rated this item only, the same way.
        const std::optional<Rater> added = RaterRepository(*study).add(
            QStringLiteral("fresh"), RaterKind::Human, RaterRole::Rater, &e);
        QVERIFY2(added, qPrintable(e.message));
        const qint64 fresh = added->id;
        RatingRepository ratings(*study);
        for (ResponseRating r : ratings.ratingsForItem(item, busy)) {
            r.raterId = fresh;
            QVERIFY2(ratings.setResponseRating(r, &e), qPrintable(e.message));
        }
        const auto steps = [&](qint64 rater, qsizetype *rows) {
            return test::sqliteSteps(
                study->database(), [&] { *rows = ratings.ratingsForItem(item, rater).size(); });
        };
        qsizetype busyRows = 0, freshRows = 0;
        const qint64 busySteps = steps(busy, &busyRows);
        const qint64 freshSteps = steps(fresh, &freshRows);
        QVERIFY(busyRows > 0);
        QCOMPARE(busyRows, freshRows);
        QVERIFY2(busySteps < freshSteps + 20,
            qPrintable(QStringLiteral("%1 steps for the busy rater, %2 for one with this item only")
                           .arg(busySteps)
                           .arg(freshSteps)));
    }

    /// Imports `count` more items (one response each) named `prefix`-N.
    void importItems(const QString &prefix, int count)
    {
        const QString file = m_dir->filePath(prefix + QStringLiteral(".jsonl"));
        QByteArray lines;
        for (int i = 0; i < count; ++i)
            lines += QStringLiteral("{\"item_id\": \"%1-%2\", \"text\": \"message %2\","
                                    " \"responses\": [{\"model\": \"m\", \"text\": \"r\"}]}\n")
                         .arg(prefix)
                         .arg(i)
                         .toUtf8();
        QVERIFY(test::writeFile(file, lines));
        Error e;
        ImportReport report;
        QVERIFY2(Importer(*m_study).run({ file }, {}, &report, &e), qPrintable(e.message));
    }

    static void compareAssignments(const QList<Assignment> &got, const QList<Assignment> &want)
    {
        QCOMPARE(got.size(), want.size());
        for (qsizetype i = 0; i < got.size(); ++i) {
            QCOMPARE(got.at(i).id, want.at(i).id);
            QCOMPARE(got.at(i).itemId, want.at(i).itemId);
            QCOMPARE(got.at(i).raterId, want.at(i).raterId);
            QCOMPARE(got.at(i).seed, want.at(i).seed);
            QCOMPARE(got.at(i).status, want.at(i).status);
            QCOMPARE(got.at(i).skipReason, want.at(i).skipReason);
            QCOMPARE(got.at(i).flagged, want.at(i).flagged);
            QCOMPARE(got.at(i).calibration, want.at(i).calibration);
        }
    }

    void queueAndWindowsFollowTheRatersOrder()
    {
        // The rating page reads the rater's queue (item ids in order) at sign-in and the
        // assignments a window at a time: both exactly as forRater() lists them, before
        // and after the study records its order seed (calibration items first without
        // one, shuffled with it), and the counts as the assignments say.
        importItems(QStringLiteral("q"), 700);
        Error e;
        const QList<qint64> items = ItemRepository(*m_study).ids();
        const QList<qint64> calibration { items.at(5), items.at(400), items.at(650) };
        AssignmentRepository assignments(*m_study);
        QVERIFY(assignments.assign({ m_rater }, 1, 7, calibration, &e) > 0);
        const auto check = [&] {
            const QList<Assignment> all = assignments.forRater(m_rater);
            QList<qint64> ids;
            for (const Assignment &a : all)
                ids.append(a.itemId);
            QCOMPARE(ids.size(), items.size());
            QCOMPARE(assignments.queueForRater(m_rater), ids);
            for (const auto &[from, size] : { std::pair { 0, 256 }, std::pair { 300, 256 },
                     std::pair { 640, 256 }, std::pair { 17, 1 } }) {
                QList<Assignment> window;
                QVERIFY2(assignments.forRaterItems(m_rater, ids.mid(from, size), &window, &e),
                    qPrintable(e.message));
                compareAssignments(window, all.mid(from, size));
            }
            // Another rater's items are not in this rater's windows.
            QList<Assignment> none;
            QVERIFY(assignments.forRaterItems(m_adjudicator, ids.mid(0, 10), &none, &e));
            QVERIFY(none.isEmpty());
            const auto counts = assignments.progress(m_rater);
            QVERIFY(counts);
            const auto countOf = [&](auto pred) {
                return qint64(std::count_if(all.cbegin(), all.cend(), pred));
            };
            QCOMPARE(counts->assigned, qint64(all.size()));
            QCOMPARE(
                counts->done, countOf([](const Assignment &a) { return a.status == u"done"; }));
            QCOMPARE(counts->skipped,
                countOf([](const Assignment &a) { return a.status == u"skipped"; }));
            QCOMPARE(counts->distressing,
                countOf([](const Assignment &a) { return a.skipReason == u"distressing"; }));
        };
        check(); // seeded (assign() records the seed)
        // A study from before order seeds: calibration items first, then by item id.
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(QStringLiteral("DELETE FROM meta WHERE key = 'rater_order_seed'")));
        QVERIFY(!assignments.orderSeed());
        check();
        QCOMPARE(assignments.queueForRater(m_rater).mid(0, 4),
            (QList<qint64> {
                calibration.at(0), calibration.at(1), calibration.at(2), items.at(0) }));
        QVERIFY(assignments.ensureOrderSeed(&e));
        check();
        QVERIFY(assignments.queueForRater(m_rater).at(0) != calibration.at(0)
            || assignments.queueForRater(m_rater).at(1) != calibration.at(1));
        const QList<Assignment> all = assignments.forRater(m_rater);
        for (int i : { 0, 3, 299, 699 })
            QVERIFY(assignments.setStatus(all.at(i).id, QStringLiteral("done"), &e));
        QVERIFY(assignments.setStatus(all.at(5).id, QStringLiteral("skipped"), &e));
        QVERIFY(q.exec(QStringLiteral("UPDATE assignment SET skip_reason = 'distressing',"
                                      " status = 'skipped', flagged = 1 WHERE id = %1")
                           .arg(all.at(6).id)));
        check();
    }

    void windowReadsDoNotGrowWithTheQueue()
    {
        // At sign-in the queue is read from the (rater_id, item_id) index, not the rows;
        // a window of the queue costs the same for a rater with 60 assignments as for
        // one with 1,200 (a rater may have 200,000).
        if (test::onServer())
            QSKIP("counts SQLite's virtual-machine steps");
        importItems(QStringLiteral("few"), 60);
        Error e;
        AssignmentRepository assignments(*m_study);
        QVERIFY(assignments.assign({ m_rater }, 1, 3, {}, &e) > 0);
        importItems(QStringLiteral("many"), 1140);
        const qint64 many = RaterRepository(*m_study)
                                .add(QStringLiteral("many"), RaterKind::Human, RaterRole::Rater, &e)
                                ->id;
        QVERIFY(assignments.assign({ many }, 1, 3, {}, &e) > 0);
        QVERIFY(assignments.ensureOrderSeed(&e));
        const QList<qint64> fewQueue = assignments.queueForRater(m_rater);
        const QList<qint64> manyQueue = assignments.queueForRater(many);
        QVERIFY(fewQueue.size() >= 60 && fewQueue.size() < 100);
        QCOMPARE(manyQueue.size(), qsizetype(ItemRepository(*m_study).count()));
        const auto windowSteps = [&](qint64 rater, const QList<qint64> &queue) {
            QList<Assignment> window;
            const qint64 steps = test::sqliteSteps(m_study->database(),
                [&] { QVERIFY(assignments.forRaterItems(rater, queue.mid(20, 32), &window, &e)); });
            return window.size() == 32 ? steps : -1;
        };
        const qint64 fewSteps = windowSteps(m_rater, fewQueue);
        const qint64 manySteps = windowSteps(many, manyQueue);
        QVERIFY(fewSteps > 0);
        QVERIFY2(manySteps > 0 && manySteps < fewSteps + 40,
            qPrintable(QStringLiteral("window of 32: %1 steps of 1,200 assignments, %2 of 60")
                           .arg(manySteps)
                           .arg(fewSteps)));
        // The queue reads one column of the index per assignment: well under the rows'
        // read (forRater), which the old sign-in did.
        qsizetype rows = 0;
        const qint64 queueSteps = test::sqliteSteps(
            m_study->database(), [&] { rows = assignments.queueForRater(many).size(); });
        const qint64 rowSteps = test::sqliteSteps(
            m_study->database(), [&] { rows -= assignments.forRater(many).size(); });
        QCOMPARE(rows, qsizetype(0));
        QVERIFY2(queueSteps * 2 < rowSteps,
            qPrintable(QStringLiteral("queue %1 steps, rows %2").arg(queueSteps).arg(rowSteps)));
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
