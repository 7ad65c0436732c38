// Rating writes on a study server (issue 17, "Rating write latency"): one rating is one
// statement and one round trip (RatingRepository::setResponseRating → cr_set_rating,
// storage/pgsecurity.cpp), its own transaction, the study's write lock taken on the
// server for the event only; row-level security still holds inside it; the audit chain
// verifies; a server without the function still takes ratings the old way. Round trips
// are counted with libpq's own protocol trace (PQtrace) of the connection: every
// ReadyForQuery the server sends ends one round trip.
#include "storage/auditlog.h"
#include "storage/demo.h"
#include "storage/pgsecurity.h"
#include "storage/repositories.h"
#include "storage/server.h"
#include "storage/statement.h"
#include "storage/study.h"
#include "tests/storage/backendfixture.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <functional>
#include <libpq-fe.h>

using namespace cr;
using storage::ResponseRating;

class TestPgWrite final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_local;
    QString m_nameA, m_nameB;
    QString m_password = QStringLiteral("pgwrite-test-password-1");
    QStringList m_databases;

    /// One server study per test case: the local study published, both raters with
    /// logins. Returns the owner's conninfo.
    struct Server {
        QString owner;
        QString database;
        qint64 raterA = 0, raterB = 0;
        QList<qint64> responsesA, responsesB; // of the items assigned to each
    };

    Server makeServer()
    {
        Server s;
        s.owner = test::freshDatabase();
        if (s.owner.isEmpty())
            return {};
        s.database = s.owner.section(QStringLiteral("dbname="), 1).section(QLatin1Char(' '), 0, 0);
        m_databases.append(s.database);
        storage::Error e;
        if (!storage::server::init(
                s.owner, QStringLiteral("pgwrite"), protocol::defaultProtocol(), &e)
            || !storage::server::publish(m_local, s.owner, {}, &e)) {
            qWarning("%s", qPrintable(e.message));
            return {};
        }
        auto study = storage::Study::open(s.owner, &e);
        if (!study)
            return {};
        QSqlDatabase db = study->database();
        const storage::RaterRepository raters(*study);
        s.raterA = raters.byName(m_nameA)->id;
        s.raterB = raters.byName(m_nameB)->id;
        bool created = false;
        if (!storage::pgsecurity::apply(db, &e)
            || !storage::pgsecurity::addLogin(
                db, m_nameA, storage::RaterRole::Rater, s.raterA, m_password, true, &created, &e)
            || !storage::pgsecurity::addLogin(
                db, m_nameB, storage::RaterRole::Rater, s.raterB, m_password, true, &created, &e)) {
            qWarning("%s", qPrintable(e.message));
            return {};
        }
        const storage::ItemRepository items(*study);
        const storage::AssignmentRepository assignments(*study);
        for (const auto &a : assignments.forRater(s.raterA))
            for (const auto &r : items.responses(a.itemId))
                s.responsesA.append(r.id);
        for (const auto &a : assignments.forRater(s.raterB))
            for (const auto &r : items.responses(a.itemId))
                s.responsesB.append(r.id);
        return s;
    }

    QString loginUri(const Server &s, const QString &login) const
    {
        return QStringLiteral("host=%1 port=%2 user=%3 password=%4 dbname=%5")
            .arg(test::pgEnv(QStringLiteral("CR_PG_HOST")),
                test::pgEnv(QStringLiteral("CR_PG_PORT")), login, m_password, s.database);
    }

    /// Round trips `work` makes on `study`'s connection (libpq's protocol trace: one
    /// ReadyForQuery per round trip); the statements sent go to `sent`.
    int roundTrips(storage::Study &study, const std::function<void()> &work, QStringList *sent)
    {
        PGconn *conn = storage::nativeConnection(study.database()).pg;
        if (!conn)
            return -1;
        const QString path = m_dir.filePath(QStringLiteral("trace.txt"));
        std::FILE *out = std::fopen(QFile::encodeName(path).constData(), "w");
        if (!out)
            return -1;
        PQtrace(conn, out);
        PQsetTraceFlags(conn, PQTRACE_SUPPRESS_TIMESTAMPS);
        work();
        PQuntrace(conn);
        std::fclose(out);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        int trips = 0;
        for (const QByteArray &line : f.readAll().split('\n')) {
            const QList<QByteArray> field = line.split('\t');
            if (field.size() < 3)
                continue;
            if (field.at(0) == "B" && field.at(2) == "ReadyForQuery")
                ++trips;
            if (field.at(0) == "F" && (field.at(2) == "Query" || field.at(2) == "Parse"))
                sent->append(QString::fromUtf8(field.value(3)).left(120));
        }
        return trips;
    }

    qint64 scalar(const QString &uri, const QString &sql)
    {
        return cr::test::queryInteger(uri, sql);
    }

    QString text(const QString &uri, const QString &sql)
    {
        storage::Error e;
        auto study = storage::Study::open(uri, &e);
        if (!study)
            return QStringLiteral("(cannot open)");
        QSqlQuery q(study->database());
        return q.exec(sql) && q.next() ? q.value(0).toString() : QStringLiteral("(no row)");
    }

    bool verifies(const QString &uri)
    {
        storage::Error e;
        auto study = storage::Study::open(uri, &e);
        storage::VerifyResult result;
        if (!study || !storage::verifyAuditLog(*study, storage::VerifyScope::Full, &result, &e))
            return false;
        if (!result.ok)
            qWarning("verify: %s", qPrintable(result.problem));
        return result.ok;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!test::pgEnv(QStringLiteral("CR_PG_HOST")).isEmpty(), "no test cluster");
        // Logins are cluster-wide: names of this process only.
        const QString tag = QString::number(QCoreApplication::applicationPid());
        m_nameA = QStringLiteral("pgw%1-a").arg(tag);
        m_nameB = QStringLiteral("pgw%1-b").arg(tag);
        m_local = m_dir.filePath(QStringLiteral("local.crisis"));
        storage::Error e;
        auto local = storage::createDemoStudy(m_local, &e);
        QVERIFY2(local, qPrintable(e.message));
        storage::RaterRepository raters(*local);
        const auto a =
            raters.add(m_nameA, storage::RaterKind::Human, storage::RaterRole::Rater, &e);
        const auto b =
            raters.add(m_nameB, storage::RaterKind::Human, storage::RaterRole::Rater, &e);
        QVERIFY(a && b);
        // Each item to one of the two: A and B have different items.
        QVERIFY(storage::AssignmentRepository(*local).assign({ a->id, b->id }, 1, 7, {}, &e) > 0);
    }

    void cleanupTestCase()
    {
        test::dropCreatedDatabases();
        for (const QString &db : std::as_const(m_databases))
            for (const char *g : { "rater", "adjudicator", "researcher" })
                test::pgAdmin(
                    QStringLiteral("DROP ROLE IF EXISTS \"%1:%2\"").arg(db, QLatin1String(g)));
        test::pgAdmin(QStringLiteral("DROP ROLE IF EXISTS \"%1\"").arg(m_nameA));
        test::pgAdmin(QStringLiteral("DROP ROLE IF EXISTS \"%1\"").arg(m_nameB));
    }

    void aRatersWriteIsOneRoundTrip()
    {
        const Server s = makeServer();
        QVERIFY(!s.responsesA.isEmpty());
        storage::Error e;
        auto study = storage::Study::open(loginUri(s, m_nameA), &e);
        QVERIFY2(study, qPrintable(e.message));
        study->setActor(QStringLiteral("sent-by-the-client"));
        const qint64 response = s.responsesA.first();
        const qint64 eventsBefore = scalar(s.owner, QStringLiteral("SELECT count(*) FROM event"));

        ResponseRating first { response, s.raterA, 4, false, {}, QStringLiteral("says \"call\"\n"),
            12.5 };
        bool ok = false;
        QStringList sent;
        int trips = roundTrips(
            *study, [&] { ok = storage::RatingRepository(*study).setResponseRating(first, &e); },
            &sent);
        QVERIFY2(ok, qPrintable(e.message));
        QVERIFY2(trips == 1,
            qPrintable(QStringLiteral("%1 round trips: %2")
                           .arg(trips)
                           .arg(sent.join(QStringLiteral(" | ")))));
        QVERIFY(sent.first().contains(QLatin1String("cr_set_rating")));
        QVERIFY(study->lastWriteLockMicros() > 0);

        // A change of the same rating: one round trip too; `before` is the first value in
        // the client's own JSON (what the statements one by one would have logged).
        ResponseRating second { response, s.raterA, std::nullopt, true,
            { QStringLiteral("risk_check") }, {}, std::nullopt };
        sent.clear();
        trips = roundTrips(
            *study, [&] { ok = storage::RatingRepository(*study).setResponseRating(second, &e); },
            &sent);
        QVERIFY2(ok, qPrintable(e.message));
        QCOMPARE(trips, 2); // the checklist tick reads the protocol (outside the write)
        QVERIFY(sent.last().contains(QLatin1String("cr_set_rating")));

        QCOMPARE(scalar(s.owner, QStringLiteral("SELECT count(*) FROM event")), eventsBefore + 2);
        const QString where =
            QStringLiteral(" FROM event WHERE action = 'rating.set' AND entity_id = %1"
                           " ORDER BY id DESC LIMIT 1")
                .arg(response);
        QCOMPARE(text(s.owner, QStringLiteral("SELECT before") + where),
            QStringLiteral("{\"rater\":%1,\"rationale\":\"says \\\"call\\\"\\n\",\"response\":%2,"
                           "\"score\":4,\"seconds_spent\":12.5}")
                .arg(s.raterA)
                .arg(response));
        QCOMPARE(text(s.owner, QStringLiteral("SELECT after") + where),
            QStringLiteral("{\"cannot_assess\":true,\"checklist\":[\"risk_check\"],"
                           "\"rater\":%1,\"response\":%2,\"score\":null}")
                .arg(s.raterA)
                .arg(response));
        // The server names the actor from the login, whatever the client sent.
        QCOMPARE(text(s.owner, QStringLiteral("SELECT actor") + where), m_nameA);
        QCOMPARE(
            scalar(s.owner,
                QStringLiteral("SELECT cannot_assess FROM response_rating WHERE response_id = %1"
                               " AND rater_id = %2")
                    .arg(response)
                    .arg(s.raterA)),
            1);
        QVERIFY(verifies(s.owner));
    }

    void theOwnersWriteIsOneRoundTripAndKeepsItsActor()
    {
        const Server s = makeServer();
        storage::Error e;
        auto study = storage::Study::open(s.owner, &e);
        QVERIFY2(study, qPrintable(e.message));
        study->setActor(QStringLiteral("cli-owner"));
        const ResponseRating r { s.responsesB.first(), s.raterB, 2, false, {}, {}, {} };
        bool ok = false;
        QStringList sent;
        const int trips = roundTrips(
            *study, [&] { ok = storage::RatingRepository(*study).setResponseRating(r, &e); },
            &sent);
        QVERIFY2(ok, qPrintable(e.message));
        QVERIFY2(trips == 1, qPrintable(sent.join(QStringLiteral(" | "))));
        QCOMPARE(text(s.owner,
                     QStringLiteral("SELECT actor FROM event WHERE action = 'rating.set'"
                                    " ORDER BY id DESC LIMIT 1")),
            QStringLiteral("cli-owner"));
        // Events the owner's client chains itself and events the trigger chains mix.
        QVERIFY(storage::RaterRepository(*study).add(
            QStringLiteral("pgw-extra"), storage::RaterKind::Human, storage::RaterRole::Rater, &e));
        QVERIFY(storage::RatingRepository(*study).setResponseRating(
            { s.responsesB.first(), s.raterB, 3, false, {}, {}, {} }, &e));
        QVERIFY(verifies(s.owner));
    }

    void rowLevelSecurityHoldsInsideTheWrite()
    {
        const Server s = makeServer();
        storage::Error e;
        auto study = storage::Study::open(loginUri(s, m_nameA), &e);
        QVERIFY2(study, qPrintable(e.message));
        const qint64 events = scalar(s.owner, QStringLiteral("SELECT count(*) FROM event"));
        const qint64 ratings =
            scalar(s.owner, QStringLiteral("SELECT count(*) FROM response_rating"));
        storage::RatingRepository repository(*study);
        // B's row on B's response; A's row on B's (unassigned) response; B's row on A's.
        const ResponseRating forged[] = {
            { s.responsesB.first(), s.raterB, 1, false, {}, {}, {} },
            { s.responsesB.first(), s.raterA, 1, false, {}, {}, {} },
            { s.responsesA.first(), s.raterB, 1, false, {}, {}, {} },
        };
        for (const ResponseRating &r : forged) {
            storage::Error refused;
            QVERIFY(!repository.setResponseRating(r, &refused));
            QVERIFY2(refused.message.contains(QLatin1String("row-level security")),
                qPrintable(refused.message));
            QVERIFY(!study->lastWriteWasBusy());
        }
        // B's rating, written by B, is invisible to A and stays as B wrote it.
        auto asB = storage::Study::open(loginUri(s, m_nameB), &e);
        QVERIFY(asB);
        QVERIFY(storage::RatingRepository(*asB).setResponseRating(
            { s.responsesB.first(), s.raterB, 5, false, {}, {}, {} }, &e));
        QVERIFY(!repository.setResponseRating(
            { s.responsesB.first(), s.raterB, 1, false, {}, {}, {} }, &e));
        QCOMPARE(scalar(s.owner, QStringLiteral("SELECT count(*) FROM event")), events + 1);
        QCOMPARE(
            scalar(s.owner, QStringLiteral("SELECT count(*) FROM response_rating")), ratings + 1);
        QCOMPARE(scalar(s.owner,
                     QStringLiteral("SELECT score FROM response_rating WHERE response_id = %1 AND"
                                    " rater_id = %2")
                         .arg(s.responsesB.first())
                         .arg(s.raterB)),
            5);
        QVERIFY(verifies(s.owner));
    }

    void aNonWaitingWriteIsBusyWhileTheLockIsHeldAndWritesNothing()
    {
        const Server s = makeServer();
        storage::Error e;
        auto holder = storage::Study::open(s.owner, &e);
        QVERIFY(holder);
        QVERIFY(holder->beginWrite(&e)); // holds the study's write lock
        auto study = storage::Study::open(loginUri(s, m_nameA), &e);
        QVERIFY(study);
        const ResponseRating r { s.responsesA.first(), s.raterA, 3, false, {}, {}, {} };
        study->setWaitForLock(false);
        QVERIFY(!storage::RatingRepository(*study).setResponseRating(r, &e));
        QVERIFY(study->lastWriteWasBusy());
        holder->rollback();
        QCOMPARE(scalar(s.owner,
                     QStringLiteral("SELECT count(*) FROM response_rating WHERE"
                                    " rater_id = %1")
                         .arg(s.raterA)),
            0); // the upsert went with the refused transaction
        QVERIFY2(storage::RatingRepository(*study).setResponseRating(r, &e), qPrintable(e.message));
        QVERIFY(!study->lastWriteWasBusy());
        QVERIFY(verifies(s.owner));
    }

    void aRatersWritesKeepTheTallies()
    {
        // Schema step 12: the counts `info` reads are tables kept by statement triggers
        // that run as the owner, so a rater's login, which may not read them, keeps them
        // through its own writes (new and changed ratings, a label, a skip), and they
        // equal the rows.
        const Server s = makeServer();
        QVERIFY(s.responsesA.size() >= 2);
        storage::Error e;
        auto study = storage::Study::open(loginUri(s, m_nameA), &e);
        QVERIFY2(study, qPrintable(e.message));
        storage::RatingRepository ratings(*study);
        const auto tally = [&](const char *column) {
            return scalar(s.owner,
                QStringLiteral("SELECT %1 FROM tally_rater WHERE rater_id = %2")
                    .arg(QLatin1String(column))
                    .arg(s.raterA));
        };
        const auto rows = [&](const QString &sql) { return scalar(s.owner, sql.arg(s.raterA)); };
        QCOMPARE(tally("ratings"), 0);
        const qint64 assigned = tally("assigned");
        QVERIFY(assigned > 1);
        QVERIFY2(ratings.setResponseRating({ s.responsesA[0], s.raterA, 4, false, {}, {}, {} }, &e),
            qPrintable(e.message));
        QVERIFY2(ratings.setResponseRating({ s.responsesA[0], s.raterA, 2, false, {}, {}, {} }, &e),
            qPrintable(e.message)); // a changed score: no new rating
        QVERIFY2(ratings.setResponseRating({ s.responsesA[1], s.raterA, 5, false, {}, {}, {} }, &e),
            qPrintable(e.message));
        QCOMPARE(tally("ratings"), 2);
        const QList<storage::Assignment> mine =
            storage::AssignmentRepository(*study).forRater(s.raterA);
        QVERIFY(mine.size() > 1);
        QVERIFY2(ratings.setCategoryLabel(
                     { mine[0].itemId, s.raterA, QStringLiteral("no_crisis"), {} }, &e),
            qPrintable(e.message));
        QVERIFY2(storage::AssignmentRepository(*study).setStatus(
                     mine[1].id, QStringLiteral("skipped"), &e),
            qPrintable(e.message));
        QSqlQuery q(study->database());
        QVERIFY(!q.exec(QStringLiteral("SELECT ratings FROM tally_rater"))); // not theirs to read
        QCOMPARE(tally("ratings"),
            rows(QStringLiteral("SELECT count(*) FROM response_rating WHERE rater_id = %1")));
        QCOMPARE(tally("labels"),
            rows(QStringLiteral("SELECT count(*) FROM category_label WHERE rater_id = %1")));
        QCOMPARE(tally("labels"), 1);
        QCOMPARE(tally("skipped"),
            rows(QStringLiteral(
                "SELECT count(*) FROM assignment WHERE rater_id = %1 AND status = 'skipped'")));
        QCOMPARE(tally("skipped"), 1);
        QCOMPARE(tally("assigned"), assigned);
        QCOMPARE(scalar(s.owner, QStringLiteral("SELECT events FROM tally_study")),
            scalar(s.owner, QStringLiteral("SELECT count(*) FROM event")));
        QVERIFY(verifies(s.owner));
    }

    void aServerWithoutTheFunctionStillTakesRatings()
    {
        // A study set up by an earlier version: its security step had no cr_set_rating.
        const Server s = makeServer();
        {
            storage::Error e;
            auto owner = storage::Study::open(s.owner, &e);
            QSqlQuery q(owner->database());
            QVERIFY(q.exec(QStringLiteral("DROP FUNCTION cr_set_rating")));
        }
        storage::Error e;
        auto study = storage::Study::open(loginUri(s, m_nameA), &e);
        QVERIFY(study);
        const ResponseRating r { s.responsesA.first(), s.raterA, 3, false, {}, {}, {} };
        bool ok = false;
        QStringList sent;
        const int first = roundTrips(
            *study, [&] { ok = storage::RatingRepository(*study).setResponseRating(r, &e); },
            &sent);
        QVERIFY2(ok, qPrintable(e.message));
        QVERIFY(!study->hasOneStatementWrites());
        sent.clear();
        const int classic = roundTrips(
            *study, [&] { ok = storage::RatingRepository(*study).setResponseRating(r, &e); },
            &sent);
        QVERIFY(ok);
        qInfo("statements one by one (a server without cr_set_rating): %d round trips per rating"
              " (%d for the first, which tried the function): %s",
            classic, first, qPrintable(sent.join(QStringLiteral(" | "))));
        QVERIFY(classic > 1);
        QVERIFY(first > classic); // it tried the function first, once
        QVERIFY(verifies(s.owner));
    }
};

QTEST_GUILESS_MAIN(TestPgWrite)
#include "tst_pgwrite.moc"
