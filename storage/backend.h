#pragma once

// The two storage engines behind one Study API (issue 17): an SQLite file (the embedded
// default) and a PostgreSQL database named by a libpq URI or conninfo. Everything that
// differs between them — how to connect, how a write transaction starts, the SQL that
// is not common to both — is answered here, so repositories stay engine-independent.

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace cr::storage {

enum class Engine { Sqlite, Postgres };

/// True for `postgresql://…` / `postgres://…` URIs and libpq key=value conninfo strings
/// (`host=… dbname=…`); everything else is a study file path.
bool isServerUri(const QString &study);

/// The engine of an open connection (by its Qt driver).
Engine engineOf(const QSqlDatabase &db);

/// How QPSQL is told to connect to `uri`: libpq parses the URI / conninfo
/// (PQconninfoParse); host, port, database, user and password go to the Qt fields, every
/// other keyword (sslmode, sslrootcert, connect_timeout, …) to the connect options.
/// False with `error` when libpq cannot parse it.
bool configureServerConnection(QSqlDatabase &db, const QString &uri, QString *error);

/// `uri` without its password (for messages and the event log).
QString displayUri(const QString &uri);

/// Who logs in where: "user@host:port/dbname" of `uri` (libpq's defaults filled in), the
/// key a password is kept under (session memory, the GUI's system keyring). Empty when
/// `uri` is not a server URI libpq can parse.
QString serverLoginKey(const QString &uri);

/// A password the GUI asked for (issue 17 item 1), kept in this process's memory only
/// and given to every connection to the same login (serverLoginKey()) whose URI carries
/// no password of its own: the worker threads' connections (rating writer, jobs, the
/// watcher) then log in as the window did. An empty `password` forgets it.
void setSessionPassword(const QString &uri, const QString &password);
/// Forgets every session password (tests; signing out of the app).
void clearSessionPasswords();

/// Why a connection attempt failed, from libpq's message: no password was available
/// (none in the URI, ~/.pgpass, PGPASSWORD or the session), or the server refused the
/// one given (SQLSTATE 28P01 "password authentication failed").
enum class LoginProblem { None, NoPassword, WrongPassword };
LoginProblem loginProblem(const QString &connectError);

namespace dialect {

/// The key of the study's write lock on PostgreSQL (a transaction-level advisory lock,
/// pg_advisory_xact_lock): "CRSTUDY" in ASCII, as decimal text. The audit trigger and
/// the one-statement rating write (storage/pgsecurity.cpp) take the same lock.
const char *writeLockKey();
/// Starts a write transaction. SQLite: BEGIN IMMEDIATE (one writer per file).
/// PostgreSQL: BEGIN, then the study's write lock (writeLockKey()), so writers are
/// serialised as on SQLite (the event chain head stays consistent).
/// With `wait` false the lock is only tried; the statements then return false/busy.
QStringList beginWrite(Engine engine, bool wait);
/// Whether a driver error means "another connection holds the lock" (retry / say busy).
bool isBusy(Engine engine, const QString &nativeErrorCode);
/// Durable commits (`full`: synchronous=FULL / synchronous_commit=on) or relaxed ones
/// (NORMAL in WAL mode / synchronous_commit=off) for bookkeeping writes.
QString syncSetting(Engine engine, bool full);
/// The highest event id ever used (the append-only high-water mark), one row.
const char *eventSequence(Engine engine);
/// Starts a read-only transaction whose reads all see one snapshot of the study
/// (SQLite: a deferred BEGIN in WAL mode; PostgreSQL: REPEATABLE READ READ ONLY).
QString beginReadSnapshot(Engine engine);
/// `(1,2,3)` for `column IN …` (`(NULL)`, matching nothing, for no ids), on both engines.
QString idList(const QList<qint64> &ids);

} // namespace dialect
} // namespace cr::storage
