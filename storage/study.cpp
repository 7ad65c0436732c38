#include "storage/study.h"

#include "storage/auditlog.h"
#include "storage/backend.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <atomic>
#include <chrono>
#include <libpq-fe.h>

namespace cr::storage {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("cr-study-%1").arg(counter.fetchAndAddRelaxed(1));
}

std::atomic<bool> g_simulateUnreachable { false };

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text();
}

bool isBusy(const QSqlDatabase &db, const QSqlError &e)
{
    return dialect::isBusy(engineOf(db), e.nativeErrorCode());
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

Study::Study(const QString &path, const QString &connection)
    : m_path(path)
    , m_connection(connection)
    , m_engine(isServerUri(path) ? Engine::Postgres : Engine::Sqlite)
{
}

Study::~Study()
{
    m_events.reset(); // finalizes its statements before the connection closes
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool Study::enableWal(Error *error)
{
    if (m_engine == Engine::Postgres)
        return true;
    // The one setting that writes to the file: only for files known to be studies.
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL"))) {
        *error = Error::storage(m_path + QStringLiteral(": ") + sqlError(q));
        return false;
    }
    return true;
}

QSqlDatabase Study::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

bool Study::configure(Error *error)
{
    if (m_engine == Engine::Postgres)
        return configureServer(error);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        *error = Error::storage(m_path + QStringLiteral(": cannot open: ") + db.lastError().text());
        return false;
    }
    QSqlQuery q(db);
    const char *const pragmas[] = {
        "PRAGMA foreign_keys = ON",
        "PRAGMA synchronous = FULL",
        "PRAGMA temp_store = MEMORY",
        "PRAGMA cache_size = -65536",
    };
    for (const char *pragma : pragmas) {
        if (!q.exec(QString::fromLatin1(pragma))) {
            *error = Error::storage(m_path + QStringLiteral(": ") + sqlError(q));
            return false;
        }
    }
    return true;
}

bool Study::configureServer(Error *error)
{
    // libpq parses the URI / conninfo (storage/backend.h); without a password in it,
    // libpq reads ~/.pgpass (or PGPASSFILE) or PGPASSWORD.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connection);
    QString message;
    if (!configureServerConnection(db, m_path, &message)) {
        *error = Error::invalid(displayUri(m_path) + QStringLiteral(": ") + message);
        return false;
    }
    if (!db.open()) {
        *error = Error::storage(
            displayUri(m_path) + QStringLiteral(": cannot connect: ") + db.lastError().text());
        return false;
    }
    return applyServerSettings(error);
}

bool Study::applyServerSettings(Error *error)
{
    QSqlQuery q(database());
    const char *const settings[] = {
        "SET synchronous_commit = on",
        "SET lock_timeout = '10s'",
        "SET client_min_messages = warning",
        // No JIT: the study's queries are short or stream rows; the planner's estimate for
        // the exposure summary's correlated count (never executed unless a rater has open
        // assignments and labels) passes jit_above_cost at 10x, and compiling it took
        // 26 ms of `info`'s ~0.1 s on the server (docs/PERFORMANCE.md, issue 22 on PG).
        "SET jit = off",
    };
    for (const char *setting : settings) {
        if (!q.exec(QString::fromLatin1(setting))) {
            *error = Error::storage(displayUri(m_path) + QStringLiteral(": ") + sqlError(q));
            return false;
        }
    }
    return true;
}

std::unique_ptr<Study> Study::create(
    const QString &path, const protocol::Protocol &protocol, const QString &title, Error *error)
{
    if (isServerUri(path))
        return createOnServer(path, protocol, title, error);
    {
        // Create the file ourselves so it is owner-only from its first byte;
        // SQLite gives the -wal and -shm files the same permissions.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            *error = Error::storage(path
                + (QFileInfo::exists(path)
                        ? QStringLiteral(": already exists")
                        : QStringLiteral(": cannot create: ") + file.errorString()));
            return nullptr;
        }
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    std::unique_ptr<Study> study(new Study(path, nextConnectionName()));
    auto fail = [&] {
        study.reset();
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        return nullptr;
    };
    if (!study->configure(error) || !study->enableWal(error)
        || !study->initialize(title, protocol, error))
        return fail();
    return study;
}

std::unique_ptr<Study> Study::createOnServer(
    const QString &uri, const protocol::Protocol &protocol, const QString &title, Error *error)
{
    std::unique_ptr<Study> study(new Study(uri, nextConnectionName()));
    if (!study->configure(error))
        return nullptr;
    if (study->database().tables().contains(QStringLiteral("meta"))) {
        *error = Error::storage(displayUri(uri) + QStringLiteral(": already holds a study"));
        return nullptr;
    }
    if (!study->initialize(title, protocol, error))
        return nullptr;
    return study;
}

bool Study::initialize(const QString &title, const protocol::Protocol &protocol, Error *error)
{
    QSqlDatabase db = database();
    if (!beginWrite(error))
        return false;
    QString message;
    if (!schema::migrate(db, 0, schema::currentVersion, &message)) {
        rollback();
        *error = Error::storage(displayUri(m_path) + QStringLiteral(": ") + message);
        return false;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?)"));
    const std::pair<QString, QString> meta[] = {
        { QStringLiteral("application"), QStringLiteral("crisis-review") },
        { QStringLiteral("title"), title },
        { QStringLiteral("created_at"), now() },
        { QStringLiteral("app_version"), QStringLiteral(CR_VERSION) },
    };
    for (const auto &[key, value] : meta) {
        q.addBindValue(key);
        q.addBindValue(value);
        if (!q.exec()) {
            rollback();
            *error = Error::storage(displayUri(m_path) + QStringLiteral(": ") + sqlError(q));
            return false;
        }
    }
    if (addProtocol(protocol, error) == 0
        || !appendEvent(
            QStringLiteral("study.create"), QStringLiteral("study"), 0, {}, title, error)
        || !commit(error)) {
        rollback();
        return false;
    }
    return true;
}

bool Study::copyFile(const QString &from, const QString &to, Error *error)
{
    if (!QFileInfo(from).isFile()) {
        *error = Error::storage(from + QStringLiteral(": no such study file"));
        return false;
    }
    if (QFileInfo::exists(to)) {
        *error = Error::storage(to + QStringLiteral(": already exists"));
        return false;
    }
    const QString connection = nextConnectionName();
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(from);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            *error = Error::storage(from + QStringLiteral(": ") + db.lastError().text());
        } else {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("VACUUM INTO ?"));
            q.addBindValue(to);
            if (!q.exec())
                *error = Error::storage(from + QStringLiteral(": cannot copy to ") + to
                    + QStringLiteral(": ") + sqlError(q));
            else
                ok = true;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

std::unique_ptr<Study> Study::open(const QString &path, Error *error)
{
    if (!isServerUri(path) && !QFileInfo(path).isFile()) {
        *error = Error::storage(path + QStringLiteral(": no such study file"));
        return nullptr;
    }
    std::unique_ptr<Study> study(new Study(path, nextConnectionName()));
    if (!study->configure(error))
        return nullptr;
    QSqlDatabase db = study->database();
    const int version = schema::readVersion(db);
    if (version == 0
        || study->metaValue(QStringLiteral("application")) != QLatin1String("crisis-review")) {
        *error = Error::invalid(displayUri(path) + QStringLiteral(": not a Crisis Review study"));
        return nullptr;
    }
    if (version > schema::currentVersion) {
        *error = Error::storage(path
            + QStringLiteral(": schema version %1 is newer than this app "
                             "supports (%2); update Crisis Review")
                  .arg(version)
                  .arg(schema::currentVersion));
        return nullptr;
    }
    if (!study->enableWal(error))
        return nullptr;
    if (version < schema::currentVersion) {
        WriteTransaction tx(*study, error);
        if (!tx.isActive())
            return nullptr;
        QString message;
        if (schema::readVersion(db) == version) { // another process may have migrated meanwhile
            if (!schema::migrate(db, version, schema::currentVersion, &message)) {
                *error = Error::storage(path + QStringLiteral(": migration failed: ") + message);
                return nullptr;
            }
            if (!study->appendEvent(QStringLiteral("study.migrate"), QStringLiteral("study"), 0,
                    QString::number(version), QString::number(schema::currentVersion), error))
                return nullptr;
        }
        if (!tx.commit(error))
            return nullptr;
    }
    return study;
}

int Study::schemaVersion() const
{
    return schema::readVersion(database());
}

QString Study::metaValue(const QString &key) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    q.addBindValue(key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

QString Study::title() const
{
    return metaValue(QStringLiteral("title"));
}

qint64 Study::currentProtocolId() const
{
    QSqlQuery q(database());
    if (q.exec(QStringLiteral("SELECT max(id) FROM protocol")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

protocol::Protocol Study::currentProtocol() const
{
    QSqlQuery q(database());
    if (q.exec(QStringLiteral("SELECT json FROM protocol ORDER BY id DESC LIMIT 1")) && q.next()) {
        QString message;
        if (auto p = protocol::parseProtocol(q.value(0).toByteArray(), &message))
            return *p;
    }
    return protocol::defaultProtocol();
}

qint64 Study::addProtocol(const protocol::Protocol &p, Error *error)
{
    const QString hash = p.contentHash();
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT id FROM protocol WHERE hash = ?"));
    q.addBindValue(hash);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    q.prepare(QStringLiteral("INSERT INTO protocol(name, version, hash, json, created_at)"
                             " VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(p.name);
    q.addBindValue(p.version);
    q.addBindValue(hash);
    q.addBindValue(QString::fromUtf8(p.toJson()));
    q.addBindValue(now());
    if (!q.exec()) {
        *error = Error::storage(m_path + QStringLiteral(": ") + sqlError(q));
        return 0;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    if (!appendEvent(QStringLiteral("protocol.add"), QStringLiteral("protocol"), id, {},
            p.version + QLatin1Char(' ') + hash, error))
        return 0;
    return id;
}

EventWriter &Study::events()
{
    if (!m_events)
        m_events = std::make_unique<EventWriter>(database());
    return *m_events;
}

bool Study::beginWrite(Error *error)
{
    events().invalidate(); // another connection may have appended since
    QSqlQuery q(database());
    // The busy timeout handles most contention; retry a few times beyond it so two
    // app instances on one file never lose an update.
    m_lastWriteBusy = false;
    if (g_simulateUnreachable) {
        *error = Error::storage(m_path
            + QStringLiteral(": cannot start a write: the server "
                             "cannot be reached (simulated)"));
        return false;
    }
    for (int attempt = 0; attempt < (m_waitForLock ? 20 : 1); ++attempt) {
        if (m_engine == Engine::Postgres) {
            // BEGIN, then the study's write lock (storage/backend.h).
            const QStringList begin = dialect::beginWrite(m_engine, m_waitForLock);
            if (!q.exec(begin.at(0)))
                break;
            if (q.exec(begin.at(1)) && q.next() && q.value(0).toBool()) {
                m_lockTakenNs = steadyNs();
                return true;
            }
            m_lastWriteBusy =
                q.lastError().type() == QSqlError::NoError || isBusy(database(), q.lastError());
            const QString message = m_lastWriteBusy
                ? QStringLiteral("another connection holds the study's write lock")
                : sqlError(q);
            QSqlQuery(database()).exec(QStringLiteral("ROLLBACK"));
            if (!m_lastWriteBusy || !m_waitForLock) {
                *error = Error::storage(
                    displayUri(m_path) + QStringLiteral(": cannot start a write: ") + message);
                return false;
            }
            QThread::msleep(50);
            continue;
        }
        if (q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
            m_lockTakenNs = steadyNs();
            return true;
        }
        m_lastWriteBusy = isBusy(database(), q.lastError());
        if (!m_lastWriteBusy)
            break;
        if (m_waitForLock)
            QThread::msleep(50);
    }
    *error = Error::storage(m_path + QStringLiteral(": cannot start a write: ") + sqlError(q));
    return false;
}

BulkLoadJournal::BulkLoadJournal(Study &study)
    : m_study(study)
{
    QSqlQuery q(study.database());
    // tally_item holds the item count (schema step 10): no scan of the item table.
    if (!q.exec(QStringLiteral("SELECT NOT EXISTS (SELECT 1 FROM tally_item)"
                               " AND NOT EXISTS (SELECT 1 FROM response)"))
        || !q.next() || !q.value(0).toBool())
        return;
    // Leaving WAL needs the file to ourselves: do not wait for other connections.
    const QString timeout = q.exec(QStringLiteral("PRAGMA busy_timeout")) && q.next()
        ? q.value(0).toString()
        : QStringLiteral("10000");
    q.exec(QStringLiteral("PRAGMA busy_timeout = 0"));
    m_active = q.exec(QStringLiteral("PRAGMA journal_mode = DELETE")) && q.next()
        && q.value(0).toString().compare(QLatin1String("delete"), Qt::CaseInsensitive) == 0;
    q.finish();
    q.exec(QStringLiteral("PRAGMA busy_timeout = ") + timeout);
}

BulkLoadJournal::~BulkLoadJournal()
{
    if (!m_active)
        return;
    QSqlQuery q(m_study.database());
    q.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
}

void Study::setWaitForLock(bool wait)
{
    if (!wait)
        m_lastWriteBusy = false; // a write refused before beginWrite() is not "busy"
    if (wait == m_waitForLock)
        return;
    m_waitForLock = wait;
    if (m_engine == Engine::Postgres)
        return; // beginWrite() tries the lock instead of waiting for it
    QSqlQuery q(database());
    q.exec(wait ? QStringLiteral("PRAGMA busy_timeout = 10000")
                : QStringLiteral("PRAGMA busy_timeout = 0"));
}

bool Study::commit(Error *error)
{
    events().invalidate();
    QSqlQuery q(database());
    if (m_engine == Engine::Postgres) {
        // COMMIT of a failed transaction "succeeds" as a ROLLBACK: refuse it instead.
        const NativeConnection native = nativeConnection(database());
        if (native.pg && PQtransactionStatus(native.pg) == PQTRANS_INERROR) {
            q.exec(QStringLiteral("ROLLBACK"));
            *error = Error::storage(
                displayUri(m_path) + QStringLiteral(": cannot commit: the transaction failed"));
            return false;
        }
    }
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (q.exec(QStringLiteral("COMMIT"))) {
            m_lastLockMicros = double(steadyNs() - m_lockTakenNs) / 1000.0;
            return true;
        }
        if (!isBusy(database(), q.lastError()))
            break;
        QThread::msleep(50);
    }
    *error = Error::storage(m_path + QStringLiteral(": cannot commit: ") + sqlError(q));
    return false;
}

Study::OneStatementWrite Study::writeInOneStatement(Statement &statement, Error *error)
{
    m_lastWriteBusy = false;
    if (g_simulateUnreachable) {
        *error = Error::storage(
            m_path + QStringLiteral(": cannot write: the server cannot be reached (simulated)"));
        return OneStatementWrite::Failed;
    }
    for (int attempt = 0; attempt < (m_waitForLock ? 20 : 1); ++attempt) {
        if (statement.step()) {
            m_lastLockMicros = statement.hasRow() ? statement.columnDouble(0) : 0.0;
            statement.reset();
            return OneStatementWrite::Done;
        }
        const QString state = statement.errorCode();
        // undefined_function: the server's security step predates the statement's function.
        if (state == QLatin1String("42883")) {
            m_noOneStatementWrites = true;
            return OneStatementWrite::Unsupported;
        }
        m_lastWriteBusy = dialect::isBusy(m_engine, state);
        if (!m_lastWriteBusy)
            break;
        if (m_waitForLock)
            QThread::msleep(50);
    }
    *error = Error::storage(displayUri(m_path) + QStringLiteral(": cannot write: ")
        + (m_lastWriteBusy ? QStringLiteral("another connection holds the study's write lock")
                           : statement.errorMessage()));
    return OneStatementWrite::Failed;
}

bool Study::isUnreachable() const
{
    if (g_simulateUnreachable)
        return true;
    if (m_engine == Engine::Sqlite)
        return false;
    QSqlDatabase db = database();
    QSqlQuery q(db);
    return !db.isOpen() || !q.exec(QStringLiteral("SELECT 1"));
}

bool Study::reconnect(Error *error)
{
    if (m_engine == Engine::Sqlite)
        return true;
    QSqlDatabase db = database();
    m_events.reset();
    db.close();
    if (!db.open()) {
        *error = Error::storage(
            displayUri(m_path) + QStringLiteral(": cannot reconnect: ") + db.lastError().text());
        return false;
    }
    return applyServerSettings(error);
}

void Study::simulateUnreachable(bool on)
{
    g_simulateUnreachable = on;
}

bool Study::isSimulatedUnreachable()
{
    return g_simulateUnreachable;
}

bool Study::isServerLocation(const QString &location)
{
    return isServerUri(location);
}

void Study::rollback()
{
    events().invalidate();
    QSqlQuery q(database());
    q.exec(QStringLiteral("ROLLBACK"));
}

bool Study::appendEvent(const QString &action, const QString &entity, qint64 entityId,
    const QString &before, const QString &after, Error *error)
{
    QString message;
    if (!events().append({ 0, now().toUtf8(), audit::utf8OrNull(m_actor), action.toUtf8(),
                             entity.toUtf8(), entityId ? std::optional(entityId) : std::nullopt,
                             audit::utf8OrNull(before), audit::utf8OrNull(after) },
            &message)) {
        *error = Error::storage(m_path + QStringLiteral(": cannot log event: ") + message);
        return false;
    }
    return true;
}

QString Study::now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace cr::storage
