#pragma once

#include "protocol/protocol.h"
#include "storage/backend.h"
#include "storage/error.h"

#include <QSqlDatabase>
#include <QString>
#include <memory>

namespace cr::storage {

class EventWriter;
class Statement;

/// One study: a file (a plain SQLite database, DESIGN.md "Data model") or a PostgreSQL
/// database named by a `postgresql://…` URI or libpq conninfo (storage/backend.h;
/// docs/POSTGRES-SCHEMA.md). Every API below works the same on both.
///
/// Threading: a Study and the repositories built on it are used from the thread
/// that opened it. Other threads (or processes) open their own Study on the same
/// path; WAL mode plus a busy timeout lets them read and write concurrently.
///
/// Durability: the connection runs with synchronous=FULL, so every committed
/// write API call is on disk before it returns.
class Study final {
public:
    ~Study();
    Study(const Study &) = delete;
    Study &operator=(const Study &) = delete;

    /// Creates a new study file (fails if `path` exists) with owner-only permissions,
    /// the current schema and `protocol` as its first protocol version.
    static std::unique_ptr<Study> create(const QString &path, const protocol::Protocol &protocol,
        const QString &title, Error *error);
    /// Opens an existing study, migrating an older schema step by step (in one
    /// transaction that rolls back on failure).
    static std::unique_ptr<Study> open(const QString &path, Error *error);
    /// Writes a consistent copy of the study file at `from` to `to` (which must not
    /// exist) through a read-only connection: the original is never written, not even
    /// migrated. Used to render screenshots of a real study without touching it.
    static bool copyFile(const QString &from, const QString &to, Error *error);

    /// The file path or server URI the study was opened with.
    QString path() const { return m_path; }
    Engine engine() const { return m_engine; }
    /// The connection of this study (fetched by name, never stored; STYLE.md).
    QSqlDatabase database() const;
    int schemaVersion() const;
    QString title() const;
    QString metaValue(const QString &key) const;

    /// Who is acting, recorded in the event log (a rater name, or "cli").
    QString actor() const { return m_actor; }
    void setActor(const QString &actor) { m_actor = actor; }

    /// The protocol version new ratings are recorded under (the latest added).
    qint64 currentProtocolId() const;
    protocol::Protocol currentProtocol() const;
    /// Stores `protocol` as a new version unless the same content is stored already;
    /// returns its id (0 on error).
    qint64 addProtocol(const protocol::Protocol &protocol, Error *error);

    /// BEGIN IMMEDIATE with retry while another connection holds the write lock (or,
    /// with setWaitForLock(false), one attempt that fails at once; see lastWriteWasBusy()).
    bool beginWrite(Error *error);
    /// Whether writes wait for another connection's write lock (default true: the busy
    /// timeout, retried). The GUI's rating writes turn it off so they never block.
    void setWaitForLock(bool wait);
    bool waitsForLock() const { return m_waitForLock; }
    /// True when the last beginWrite() failed because another connection held the lock.
    bool lastWriteWasBusy() const { return m_lastWriteBusy; }
    bool commit(Error *error);
    void rollback();

    /// Whether writes that have a one-statement form on the server use it (PostgreSQL,
    /// unless writeInOneStatement() found the server without it).
    bool hasOneStatementWrites() const
    {
        return m_engine == Engine::Postgres && !m_noOneStatementWrites;
    }
    enum class OneStatementWrite { Done, Unsupported, Failed };
    /// PostgreSQL: runs `statement` (prepared on this connection and bound) as a write of
    /// its own: one statement outside a transaction block, which the server commits before
    /// it answers (synchronous_commit on), so one round trip. Like beginWrite() it fails
    /// at once under simulateUnreachable(), runs again while another writer holds the
    /// study's lock and writes wait (setWaitForLock()), and sets lastWriteWasBusy().
    /// Unsupported (and hasOneStatementWrites() false from then on) when the server lacks
    /// the function the statement calls: a study set up by an older version.
    OneStatementWrite writeInOneStatement(Statement &statement, Error *error);
    /// How long the last committed write held the study's write lock, in microseconds:
    /// from beginWrite() to the end of commit(), measured here; for a one-statement write,
    /// from the server taking the lock to the end of the statement, the value of its first
    /// column (measured on the server; the commit follows). For benches and tests.
    double lastWriteLockMicros() const { return m_lastLockMicros; }

    /// Whether the study cannot be reached at the moment: its server is down or the
    /// connection was lost (a local file only under simulateUnreachable()). Asked after
    /// a failed write to tell "send it later" from a write the study refused.
    bool isUnreachable() const;
    /// Opens the connection again (after isUnreachable(); a no-op for a local file).
    bool reconnect(Error *error);
    /// Tests: every Study in this process acts as if its server were unreachable
    /// (writes fail at beginWrite(), isUnreachable() is true) until switched off.
    static void simulateUnreachable(bool on);
    static bool isSimulatedUnreachable();
    /// Whether `location` names a study on a server (a postgresql:// URI), not a file.
    static bool isServerLocation(const QString &location);

    /// Appends an audit event inside the current transaction (hash-chained; see
    /// storage/auditlog.h). A null before/after is stored as NULL; entityId 0 as NULL.
    bool appendEvent(const QString &action, const QString &entity, qint64 entityId,
        const QString &before, const QString &after, Error *error);
    /// The chain writer behind appendEvent(), for bulk writers (the importers) that
    /// append many events in one transaction. Call invalidate() on it after rolling
    /// back to a savepoint.
    EventWriter &events();

    /// Current time as stored in the study (UTC, ISO 8601 with milliseconds).
    static QString now();

private:
    Study(const QString &path, const QString &connection);
    static std::unique_ptr<Study> createOnServer(
        const QString &uri, const protocol::Protocol &protocol, const QString &title, Error *error);
    bool configure(Error *error);
    bool configureServer(Error *error);
    /// The session settings of a server connection (after every connect).
    bool applyServerSettings(Error *error);
    bool enableWal(Error *error);
    /// Schema, meta rows, first protocol and the study.create event, in one transaction.
    bool initialize(const QString &title, const protocol::Protocol &protocol, Error *error);

    QString m_path;
    QString m_connection;
    Engine m_engine;
    QString m_actor = QStringLiteral("cli");
    std::unique_ptr<EventWriter> m_events;
    bool m_waitForLock = true;
    bool m_lastWriteBusy = false;
    bool m_noOneStatementWrites = false;
    qint64 m_lockTakenNs = 0; ///< steady clock when beginWrite() got the lock
    double m_lastLockMicros = 0;
};

/// RAII write transaction: rolls back unless commit() succeeded.
class WriteTransaction final {
public:
    WriteTransaction(Study &study, Error *error)
        : m_study(study)
        , m_active(study.beginWrite(error))
    {
    }
    ~WriteTransaction()
    {
        if (m_active)
            m_study.rollback();
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    bool isActive() const { return m_active; }
    bool commit(Error *error)
    {
        const bool ok = m_study.commit(error);
        m_active = !ok && m_active;
        return ok;
    }

private:
    Study &m_study;
    bool m_active;
};

/// For a first bulk import into a study without items: the file uses a rollback journal
/// (journal_mode DELETE) instead of the WAL for the scope's lifetime, then WAL again. Pages
/// appended to the file need no journal, so the import is written once instead of into a
/// WAL as large as the import and then checkpointed; the transaction stays all-or-nothing
/// (a crash leaves a hot journal that the next open rolls back) and durable
/// (synchronous = FULL). Inactive (WAL kept) when the study has items, when another
/// connection has the file open, or outside of a transaction's reach (call it before the
/// WriteTransaction begins).
class BulkLoadJournal final {
public:
    explicit BulkLoadJournal(Study &study);
    ~BulkLoadJournal();
    BulkLoadJournal(const BulkLoadJournal &) = delete;
    BulkLoadJournal &operator=(const BulkLoadJournal &) = delete;
    bool isActive() const { return m_active; }

private:
    Study &m_study;
    bool m_active = false;
};

} // namespace cr::storage
