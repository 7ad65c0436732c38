// A study on the PostgreSQL test cluster end to end through the real binary (issue 17):
// server init, publish, the commands on a URI, snapshot. `stats --json` must be the
// same on the local file, on the server and on its snapshot.
#include "storage/demo.h"
#include "storage/study.h"
#include "tests/storage/backendfixture.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

class TestServer final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_local;

    struct Run {
        int code = -1;
        QByteArray out;
        QString err;
    };

    Run run(const QStringList &args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        Run r;
        if (!p.waitForFinished(120000))
            return r;
        r.code = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = QString::fromUtf8(p.readAllStandardError());
        if (r.code != 0)
            qWarning("%s: %s", qPrintable(args.join(QLatin1Char(' '))), qPrintable(r.err));
        return r;
    }

    /// `stats --json` of `study`, without its "study" member (the argument echoed back,
    /// which names the file or the URI).
    QJsonObject statsJson(const QString &study)
    {
        const Run r = run({ QStringLiteral("stats"), study, QStringLiteral("--json") });
        if (r.code != 0)
            return {};
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        if (o.value(QLatin1String("study")).toString() != study)
            return {};
        o.remove(QLatin1String("study"));
        return o;
    }

    qint64 count(const QString &uri, const QString &sql)
    {
        return cr::test::queryInteger(uri, sql);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY2(!test::pgEnv(QStringLiteral("CR_PG_HOST")).isEmpty(), "no test cluster");
        m_local = m_dir.filePath(QStringLiteral("local.crisis"));
        storage::Error e;
        QVERIFY2(storage::createDemoStudy(m_local, &e), qPrintable(e.message));
    }

    void publishThenSnapshotGiveTheSameStats()
    {
        const QString uri = test::freshDatabase();
        QVERIFY(!uri.isEmpty());
        const Run init = run({ QStringLiteral("server"), QStringLiteral("init"), uri,
            QStringLiteral("--title"), QStringLiteral("Multi-site") });
        QCOMPARE(init.code, 0);
        // The study's own groups, named after its database (not cluster-wide ones).
        const QString database =
            uri.section(QStringLiteral("dbname="), 1).section(QLatin1Char(' '), 0, 0);
        QVERIFY(!database.isEmpty());
        QVERIFY2(init.out.contains(QStringLiteral("\"%1:rater\"").arg(database).toUtf8()),
            init.out.constData());
        QVERIFY(!init.out.contains("cr_rater"));
        const Run publish = run({ QStringLiteral("publish"), m_local, uri });
        QCOMPARE(publish.code, 0);
        QVERIFY2(publish.err.contains(QLatin1String("publish: response_rating")),
            qPrintable(publish.err)); // progress on stderr
        // Every row arrived with its id.
        for (const QString &table :
            { QStringLiteral("item"), QStringLiteral("response"), QStringLiteral("rater"),
                QStringLiteral("assignment"), QStringLiteral("category_label"),
                QStringLiteral("response_rating"), QStringLiteral("protocol") }) {
            const QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(table);
            QCOMPARE(count(uri, sql), count(m_local, sql));
            const QString sum = QStringLiteral("SELECT coalesce(sum(id), 0) FROM %1").arg(table);
            QCOMPARE(count(uri, sum), count(m_local, sum));
        }
        // The event log came across whole and goes on: one study.publish event more.
        QCOMPARE(count(uri, QStringLiteral("SELECT count(*) FROM event")),
            count(m_local, QStringLiteral("SELECT count(*) FROM event")) + 1);
        const QJsonObject local = statsJson(m_local);
        QVERIFY(!local.isEmpty());
        const QJsonObject onServer = statsJson(uri);
        QCOMPARE(onServer, local);
        const Run verify = run({ QStringLiteral("verify"), uri });
        QCOMPARE(verify.code, 0);

        const QString copy = m_dir.filePath(QStringLiteral("snapshot.crisis"));
        const Run snapshot = run({ QStringLiteral("snapshot"), uri, copy });
        QCOMPARE(snapshot.code, 0);
        QVERIFY2(snapshot.err.contains(QLatin1String("snapshot: event")), qPrintable(snapshot.err));
        QCOMPARE(statsJson(copy), onServer);
        QCOMPARE(run({ QStringLiteral("verify"), copy }).code, 0);
        // export gives the same bytes on both.
        const QString fromServer = m_dir.filePath(QStringLiteral("server.csv"));
        const QString fromCopy = m_dir.filePath(QStringLiteral("copy.csv"));
        QCOMPARE(run({ QStringLiteral("export"), uri, QStringLiteral("--format"),
                         QStringLiteral("long-csv"), QStringLiteral("--out"), fromServer })
                     .code,
            0);
        QCOMPARE(run({ QStringLiteral("export"), copy, QStringLiteral("--format"),
                         QStringLiteral("long-csv"), QStringLiteral("--out"), fromCopy })
                     .code,
            0);
        QFile a(fromServer), b(fromCopy);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray csv = a.readAll();
        QVERIFY(csv.count('\n') > 10);
        QCOMPARE(csv, b.readAll());
        QCOMPARE(count(copy, QStringLiteral("SELECT count(*) FROM event")),
            count(uri, QStringLiteral("SELECT count(*) FROM event")));
        // A snapshot never overwrites a file.
        QVERIFY(run({ QStringLiteral("snapshot"), uri, copy }).code != 0);
    }

    /// The cluster's roles as psql's `\du` lists them: name → attributes.
    QMap<QString, QString> clusterRoles()
    {
        QProcess p;
        test::pgConninfo(QString()); // sets PGPASSFILE
        p.start(test::pgEnv(QStringLiteral("CR_PG_BIN")) + QStringLiteral("/psql"),
            { QStringLiteral("-X"), QStringLiteral("-At"), QStringLiteral("-h"),
                test::pgEnv(QStringLiteral("CR_PG_HOST")), QStringLiteral("-p"),
                test::pgEnv(QStringLiteral("CR_PG_PORT")), QStringLiteral("-U"),
                test::pgEnv(QStringLiteral("CR_PG_USER")), QStringLiteral("-d"),
                QStringLiteral("postgres"), QStringLiteral("-c"), QStringLiteral("\\du") });
        QMap<QString, QString> roles;
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            qWarning("psql \\du: %s", p.readAllStandardError().constData());
            return roles;
        }
        for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
            const QList<QByteArray> field = line.split('|');
            if (field.size() >= 2)
                roles.insert(QString::fromUtf8(field.at(0)), QString::fromUtf8(field.at(1)));
        }
        return roles;
    }

    void initMakesOnlyTheStudysOwnRoles()
    {
        const QString uri = test::freshDatabase();
        QVERIFY(!uri.isEmpty());
        const QString database =
            uri.section(QStringLiteral("dbname="), 1).section(QLatin1Char(' '), 0, 0);
        const QMap<QString, QString> before = clusterRoles();
        QVERIFY(before.contains(test::pgEnv(QStringLiteral("CR_PG_USER"))));
        QCOMPARE(run({ QStringLiteral("server"), QStringLiteral("init"), uri,
                         QStringLiteral("--title"), QStringLiteral("Roles") })
                     .code,
            0);
        const QMap<QString, QString> after = clusterRoles();
        // The study's own three groups, which cannot log in …
        QStringList own;
        for (const char *group : { "rater", "adjudicator", "researcher" }) {
            const QString name = database + QLatin1Char(':') + QLatin1String(group);
            QVERIFY2(!before.contains(name), qPrintable(name));
            QVERIFY2(after.value(name).contains(QLatin1String("Cannot login")), qPrintable(name));
            own.append(name);
        }
        // … and no cluster-wide group: no role of the set-up of earlier versions.
        for (const char *old : { "cr_rater", "cr_adjudicator", "cr_researcher" })
            QVERIFY2(!after.contains(QLatin1String(old)), old);
        // Nothing else: tests running at the same time add their own studies' groups
        // ("THEIRDB:rater") and people's logins; any other new role that cannot log in, or
        // any other of this database, was made by this init.
        static const QRegularExpression studyGroup(
            QStringLiteral("^[a-z0-9_]+:(rater|adjudicator|researcher)$"));
        for (auto it = after.cbegin(); it != after.cend(); ++it) {
            if (before.contains(it.key()) || own.contains(it.key()))
                continue;
            QVERIFY2(!it.key().startsWith(database), qPrintable(it.key()));
            if (it.value().contains(QLatin1String("Cannot login")))
                QVERIFY2(studyGroup.match(it.key()).hasMatch(), qPrintable(it.key()));
        }
        // The groups go with the database (roles outlive it: the cluster stays clean).
        test::pgAdmin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(database));
        for (const QString &name : own)
            test::pgAdmin(QStringLiteral("DROP ROLE IF EXISTS \"%1\"").arg(name));
    }

    void publishIntoAnEmptyDatabaseSetsItUp()
    {
        const QString uri = test::freshDatabase();
        QCOMPARE(run({ QStringLiteral("publish"), m_local, uri }).code, 0);
        QCOMPARE(statsJson(uri), statsJson(m_local));
        const Run info = run({ QStringLiteral("info"), uri });
        QCOMPARE(info.code, 0);
    }

    void publishRefusesAStudyWithDataAndChangesNothing()
    {
        const QString uri = test::freshDatabase();
        QCOMPARE(run({ QStringLiteral("publish"), m_local, uri }).code, 0);
        const qint64 events = count(uri, QStringLiteral("SELECT count(*) FROM event"));
        const Run again = run({ QStringLiteral("publish"), m_local, uri });
        QVERIFY(again.code != 0);
        QVERIFY2(
            again.err.contains(QLatin1String("already holds study data")), qPrintable(again.err));
        QCOMPARE(count(uri, QStringLiteral("SELECT count(*) FROM event")), events);
    }

    void serverInitRefusesADatabaseWithAStudy()
    {
        const QString uri = test::freshDatabase();
        const QStringList init { QStringLiteral("server"), QStringLiteral("init"), uri,
            QStringLiteral("--title"), QStringLiteral("T") };
        QCOMPARE(run(init).code, 0);
        const Run again = run(init);
        QVERIFY(again.code != 0);
        QVERIFY2(again.err.contains(QLatin1String("already holds a study")), qPrintable(again.err));
    }

    void writesThroughTheUri()
    {
        const QString uri = test::freshDatabase();
        QCOMPARE(run({ QStringLiteral("server"), QStringLiteral("init"), uri,
                         QStringLiteral("--title"), QStringLiteral("T") })
                     .code,
            0);
        QCOMPARE(
            run({ QStringLiteral("rater"), QStringLiteral("add"), uri, QStringLiteral("dr-ana") })
                .code,
            0);
        const Run list = run({ QStringLiteral("rater"), QStringLiteral("list"), uri });
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.contains("dr-ana"));
        QCOMPARE(run({ QStringLiteral("verify"), uri }).code, 0);
    }
};

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
