#include "protocol/protocol.h"
#include "storage/repositories.h"
#include "storage/schema.h"
#include "storage/study.h"
#include "tests/storage/backendfixture.h"
#include "tests/storage/testutil.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

constexpr QFileDevice::Permissions groupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
    | QFileDevice::ExeOther;

QVariant pragma(const Study &study, const QString &name)
{
    QSqlQuery q(study.database());
    if (q.exec(QStringLiteral("PRAGMA ") + name) && q.next())
        return q.value(0);
    return {};
}

} // namespace

class TestStudy final : public QObject {
    Q_OBJECT

private:
    /// Where the study `name` lives (tests/storage/backendfixture.h).
    QString path(const QString &name) { return m_locations.at(*m_dir, name); }
    test::StudyLocations m_locations;

    std::unique_ptr<Study> create(
        const QString &file, const QString &title = QStringLiteral("Pilot"))
    {
        Error e;
        auto study = Study::create(path(file), cr::protocol::defaultProtocol(), title, &e);
        if (!study)
            qWarning("create failed: %s", qPrintable(e.message));
        return study;
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_locations.clear();
    }

    void cleanup() { m_dir.reset(); }

    void createMakesOwnerOnlyFile()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        const QFileDevice::Permissions perms = QFile::permissions(path(QStringLiteral("s.crs")));
        QCOMPARE(perms & groupOrOther, QFileDevice::Permissions());
        QVERIFY(perms.testFlag(QFileDevice::ReadOwner));
        QVERIFY(perms.testFlag(QFileDevice::WriteOwner));
        // The WAL (and shared-memory) files of the open study must not leak either.
        const QStringList siblings { QStringLiteral("s.crs-wal"), QStringLiteral("s.crs-shm") };
        for (const QString &name : siblings) {
            if (QFileInfo::exists(path(name)))
                QCOMPARE(QFile::permissions(path(name)) & groupOrOther, QFileDevice::Permissions());
        }
        study.reset();
        QCOMPARE(QFile::permissions(path(QStringLiteral("s.crs"))) & groupOrOther,
            QFileDevice::Permissions());
    }

    void createFailsOnExistingPath()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        const QString file = path(QStringLiteral("existing.crs"));
        QVERIFY(test::writeFile(file, "precious bytes"));
        Error e;
        auto study = Study::create(file, cr::protocol::defaultProtocol(), QStringLiteral("x"), &e);
        QVERIFY(!study);
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        QVERIFY2(e.message.contains(QLatin1String("exists")), qPrintable(e.message));
        QCOMPARE(test::readAll(file), QByteArray("precious bytes"));

        // Also when the existing file is a study: it is left as it was.
        auto first = create(QStringLiteral("study.crs"));
        QVERIFY(first);
        first.reset();
        const QByteArray before = test::sha256(path(QStringLiteral("study.crs")));
        Error e2;
        QVERIFY(!Study::create(path(QStringLiteral("study.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("again"), &e2));
        QVERIFY(e2.isError());
        QCOMPARE(test::sha256(path(QStringLiteral("study.crs"))), before);
    }

    void createFailsInMissingDirectory()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        Error e;
        const QString file = path(QStringLiteral("no/such/dir/s.crs"));
        QVERIFY(!Study::create(file, cr::protocol::defaultProtocol(), QStringLiteral("x"), &e));
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        QVERIFY(!QFileInfo::exists(file));
    }

    void openMissingFileFails()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        Error e;
        const QString file = path(QStringLiteral("missing.crs"));
        QVERIFY(!Study::open(file, &e));
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        QVERIFY(!QFileInfo::exists(file)); // opening must not create it
    }

    void openNonStudySqliteFails()
    {
        const QString file = path(QStringLiteral("other.db"));
        {
            test::RawDb raw(file);
            QVERIFY(raw.isOpen());
            QSqlQuery q(raw.db());
            QVERIFY(
                q.exec(QStringLiteral("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO notes(id, body) VALUES (1, 'hello')")));
        }
        Error e;
        QVERIFY(!Study::open(file, &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        QVERIFY2(
            e.message.contains(QLatin1String("not a Crisis Review study")), qPrintable(e.message));
    }

    void openSqliteWithForeignMetaFails()
    {
        // A database that happens to have a meta table with a version is still not ours.
        const QString file = path(QStringLiteral("foreign.db"));
        {
            test::RawDb raw(file);
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO meta VALUES ('schema_version', '1'), ('application', 'other-app')")));
        }
        Error e;
        QVERIFY(!Study::open(file, &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
    }

    // Bad input files change nothing (DESIGN.md): rejecting a file must not rewrite it.
    void openNonStudyLeavesFileUnchanged_data()
    {
        QTest::addColumn<QByteArray>("kind");
        QTest::newRow("sqlite database of another app") << QByteArray("sqlite");
        QTest::newRow("empty file") << QByteArray("empty");
    }

    void openNonStudyLeavesFileUnchanged()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        QFETCH(QByteArray, kind);
        const QString file = path(QStringLiteral("other.db"));
        if (kind == "sqlite") {
            test::RawDb raw(file);
            QSqlQuery q(raw.db());
            QVERIFY(
                q.exec(QStringLiteral("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")));
        } else {
            QVERIFY(test::writeFile(file, {}));
        }
        const QByteArray before = test::sha256(file);
        const qint64 sizeBefore = QFileInfo(file).size();
        Error e;
        QVERIFY(!Study::open(file, &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QCOMPARE(QFileInfo(file).size(), sizeBefore);
        QCOMPARE(test::sha256(file), before);
    }

    void openGarbageFileFails()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        const QString file = path(QStringLiteral("notes.txt"));
        QVERIFY(
            test::writeFile(file, QByteArray("This is not a database at all.\n").repeated(200)));
        const QByteArray before = test::sha256(file);
        Error e;
        QVERIFY(!Study::open(file, &e));
        QVERIFY(e.isError());
        QVERIFY2(e.message.contains(file), qPrintable(e.message));
        QCOMPARE(test::sha256(file), before);
    }

    void pragmas_data()
    {
        QTest::addColumn<bool>("reopen");
        QTest::newRow("created") << false;
        QTest::newRow("reopened") << true;
    }

    void pragmas()
    {
        QFETCH(bool, reopen);
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        if (reopen) {
            study.reset();
            Error e;
            study = Study::open(path(QStringLiteral("s.crs")), &e);
            QVERIFY2(study, qPrintable(e.message));
        }
        if (test::onServer()) {
            // Every commit waits for the server's WAL flush; writers wait 10 s for a lock.
            QSqlQuery q(study->database());
            QVERIFY(q.exec(QStringLiteral("SHOW synchronous_commit")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("on"));
            QVERIFY(q.exec(QStringLiteral("SHOW lock_timeout")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("10s"));
            return;
        }
        QCOMPARE(pragma(*study, QStringLiteral("journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(pragma(*study, QStringLiteral("foreign_keys")).toInt(), 1);
        QCOMPARE(pragma(*study, QStringLiteral("synchronous")).toInt(), 2); // FULL
    }

    void createOnADatabaseWithAStudyFails()
    {
        if (!test::onServer())
            QSKIP("the file case is createFailsOnExistingPath");
        auto first = create(QStringLiteral("study"));
        QVERIFY(first);
        const qint64 events = EventLog(*first).count();
        Error e;
        QVERIFY(!Study::create(path(QStringLiteral("study")), cr::protocol::defaultProtocol(),
            QStringLiteral("again"), &e));
        QVERIFY2(e.message.contains(QLatin1String("already holds a study")), qPrintable(e.message));
        QCOMPARE(EventLog(*first).count(), events);
        QCOMPARE(first->title(), QStringLiteral("Pilot"));
    }

    void openEmptyDatabaseFails()
    {
        if (!test::onServer())
            QSKIP("the file case is openNonStudyLeavesFileUnchanged");
        Error e;
        QVERIFY(!Study::open(path(QStringLiteral("empty")), &e));
        QCOMPARE(e.kind, ErrorKind::InvalidInput);
        QVERIFY2(
            e.message.contains(QLatin1String("not a Crisis Review study")), qPrintable(e.message));
        test::RawDb raw(path(QStringLiteral("empty")));
        QVERIFY(raw.isOpen());
        QVERIFY(raw.db().tables().isEmpty()); // opening created nothing
    }

    void metaValues()
    {
        const QString title = QStringLiteral("Étude pilote – “crisis” 🙂");
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        auto study = create(QStringLiteral("s.crs"), title);
        QVERIFY(study);
        QCOMPARE(study->path(), path(QStringLiteral("s.crs")));
        QCOMPARE(study->title(), title);
        QCOMPARE(study->metaValue(QStringLiteral("title")), title);
        QCOMPARE(study->metaValue(QStringLiteral("application")), QStringLiteral("crisis-review"));
        QCOMPARE(study->metaValue(QStringLiteral("schema_version")),
            QString::number(schema::currentVersion));
        QCOMPARE(study->schemaVersion(), schema::currentVersion);
        QCOMPARE(study->metaValue(QStringLiteral("app_version")), QStringLiteral(CR_VERSION));
        const QDateTime created = QDateTime::fromString(
            study->metaValue(QStringLiteral("created_at")), Qt::ISODateWithMs);
        QVERIFY(created.isValid());
        QVERIFY(created >= before);
        QVERIFY(created <= QDateTime::currentDateTimeUtc().addSecs(1));
        QCOMPARE(study->metaValue(QStringLiteral("no-such-key")), QString());

        // Creation is logged; values survive a reopen.
        const QList<Event> events = EventLog(*study).recent(10);
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last().action, QStringLiteral("protocol.add"));
        QCOMPARE(events.first().action, QStringLiteral("study.create"));
        QCOMPARE(events.first().after, title);
        study.reset();
        Error e;
        study = Study::open(path(QStringLiteral("s.crs")), &e);
        QVERIFY2(study, qPrintable(e.message));
        QCOMPARE(study->title(), title);
        QCOMPARE(study->schemaVersion(), schema::currentVersion);
    }

    void protocolStored()
    {
        const cr::protocol::Protocol &p = cr::protocol::defaultProtocol();
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        QSqlQuery q(study->database());
        QVERIFY(q.exec(QStringLiteral("SELECT id, name, version, hash, json FROM protocol")));
        QVERIFY(q.next());
        const qint64 id = q.value(0).toLongLong();
        QCOMPARE(q.value(1).toString(), p.name);
        QCOMPARE(q.value(2).toString(), p.version);
        QCOMPARE(q.value(3).toString(), p.contentHash());
        QCOMPARE(q.value(4).toByteArray(), p.toJson());
        QVERIFY(!q.next()); // exactly one version
        QCOMPARE(study->currentProtocolId(), id);
        QCOMPARE(study->currentProtocol().contentHash(), p.contentHash());
        QCOMPARE(study->currentProtocol(), p);
    }

    void addProtocolSameContentReturnsSameId()
    {
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        const qint64 first = study->currentProtocolId();
        QVERIFY(first > 0);
        const qint64 events = EventLog(*study).count();
        Error e;
        QCOMPARE(study->addProtocol(cr::protocol::defaultProtocol(), &e), first);
        QVERIFY(!e.isError());
        QCOMPARE(test::RawDb(study->path())
                     .scalar(QStringLiteral("SELECT count(*) FROM protocol"))
                     .toInt(),
            1);
        QCOMPARE(EventLog(*study).count(), events); // nothing new to log
    }

    void addProtocolNewVersion()
    {
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        const qint64 first = study->currentProtocolId();
        cr::protocol::Protocol changed = cr::protocol::defaultProtocol();
        changed.version = QStringLiteral("9.9.9-test");
        QVERIFY(changed.contentHash() != cr::protocol::defaultProtocol().contentHash());
        Error e;
        const qint64 second = study->addProtocol(changed, &e);
        QVERIFY2(second > first, qPrintable(e.message));
        QCOMPARE(study->currentProtocolId(), second);
        QCOMPARE(study->currentProtocol().version, QStringLiteral("9.9.9-test"));
        const Event last = EventLog(*study).recent(1).value(0);
        QCOMPARE(last.action, QStringLiteral("protocol.add"));
        QCOMPARE(last.entityId, second);
        QVERIFY(last.after.contains(changed.contentHash()));
        // Adding the old content again finds it instead of duplicating it.
        QCOMPARE(study->addProtocol(cr::protocol::defaultProtocol(), &e), first);
    }

    void closeCheckpointsWal()
    {
        if (test::onServer())
            QSKIP("a property of study files");
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        Error e;
        QVERIFY(RaterRepository(*study).add(
            QStringLiteral("ann"), RaterKind::Human, RaterRole::Rater, &e));
        study.reset();
        // Closing the last connection checkpoints the WAL into the main file.
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("s.crs-wal")))
            || QFileInfo(path(QStringLiteral("s.crs-wal"))).size() == 0);
        test::RawDb raw(path(QStringLiteral("s.crs")));
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT name FROM rater")).toString(), QStringLiteral("ann"));
    }

    void twoConnectionsSeeEachOthersWrites()
    {
        auto a = create(QStringLiteral("s.crs"));
        QVERIFY(a);
        Error e;
        auto b = Study::open(path(QStringLiteral("s.crs")), &e);
        QVERIFY2(b, qPrintable(e.message));
        QVERIFY(RaterRepository(*a).add(
            QStringLiteral("from-a"), RaterKind::Human, RaterRole::Rater, &e));
        QVERIFY(RaterRepository(*b).byName(QStringLiteral("from-a")));
        QVERIFY(RaterRepository(*b).add(
            QStringLiteral("from-b"), RaterKind::Llm, RaterRole::Rater, &e));
        const auto seen = RaterRepository(*a).byName(QStringLiteral("from-b"));
        QVERIFY(seen);
        QCOMPARE(toString(seen->kind), QStringLiteral("llm"));
        QCOMPARE(RaterRepository(*a).all().size(), 2);
    }

    void writeTransactionRollsBackUnlessCommitted()
    {
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        const qint64 events = EventLog(*study).count();
        {
            Error e;
            WriteTransaction tx(*study, &e);
            QVERIFY(tx.isActive());
            QVERIFY(study->appendEvent(QStringLiteral("test.event"), QStringLiteral("test"), 1, {},
                QStringLiteral("x"), &e));
            QCOMPARE(EventLog(*study).count(), events + 1);
        } // destroyed without commit
        QCOMPARE(EventLog(*study).count(), events);
        {
            Error e;
            WriteTransaction tx(*study, &e);
            QVERIFY(study->appendEvent(QStringLiteral("test.event"), QStringLiteral("test"), 1, {},
                QStringLiteral("x"), &e));
            QVERIFY(tx.commit(&e));
        }
        QCOMPARE(EventLog(*study).count(), events + 1);
        const Event last = EventLog(*study).recent(1).value(0);
        QCOMPARE(last.action, QStringLiteral("test.event"));
        QCOMPARE(last.actor, QStringLiteral("cli"));
        QVERIFY(QDateTime::fromString(last.at, Qt::ISODateWithMs).isValid());
    }

    void actorIsRecorded()
    {
        auto study = create(QStringLiteral("s.crs"));
        QVERIFY(study);
        study->setActor(QStringLiteral("Dr. Zoë"));
        Error e;
        QVERIFY(RaterRepository(*study).add(
            QStringLiteral("x"), RaterKind::Human, RaterRole::Rater, &e));
        QCOMPARE(EventLog(*study).recent(1).value(0).actor, QStringLiteral("Dr. Zoë"));
    }
};

QTEST_GUILESS_MAIN(TestStudy)
#include "tst_study.moc"
