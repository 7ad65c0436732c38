#pragma once

// One native prepared statement on either engine (storage/backend.h), for the paths
// that move many rows: the importers' record writer, the audit log's writer and
// verifier, the long CSV export. SQLite goes through sqlite3 directly
// (storage/sqlitestatement.h); PostgreSQL through libpq on the connection QPSQL opened
// (same session, same transaction). SQL uses `?` placeholders on both.

#include "storage/sqlitestatement.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <memory>
#include <optional>

struct pg_conn;

namespace cr::storage {

/// The native handle behind a Qt connection: exactly one of the two is set.
struct NativeConnection {
    sqlite3 *sqlite = nullptr;
    pg_conn *pg = nullptr;
    bool isValid() const { return sqlite || pg; }
};

NativeConnection nativeConnection(const QSqlDatabase &db);

class PgStatement;

class Statement final {
public:
    Statement();
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepare(NativeConnection db, const char *sql, QString *error);
    bool isPrepared() const;
    /// PostgreSQL (after prepare()): rows arrive one at a time (libpq single-row mode)
    /// instead of the whole result held by the client; the connection runs nothing else
    /// until the last row was read or reset() is called. SQLite steps row by row anyway.
    void setStreamed(bool on);

    /// Binds UTF-8 text; a null QByteArray binds SQL NULL. The bytes must stay alive
    /// until step() has run.
    void bindText(int index, const QByteArray &utf8);
    void bindInt(int index, qint64 value);
    void bindInt(int index, std::optional<qint64> value);
    void bindDouble(int index, std::optional<double> value);

    /// Runs the statement (first call) or moves to its next row; true for a row or
    /// done. hasRow() tells which. On failure errorMessage() says why.
    bool step();
    bool hasRow() const;
    /// Clears bindings and resets for the next use.
    void reset();

    QByteArray columnText(int column) const;
    /// The column's UTF-8 bytes without a copy; valid until the next step() or reset().
    QByteArrayView columnView(int column) const;
    qint64 columnInt(int column) const;
    double columnDouble(int column) const;
    bool columnIsNull(int column) const;

    /// Rows changed by the last step of this statement.
    int changes() const;
    /// The id the last insert of this connection was given (rowid / lastval()).
    qint64 lastInsertRowId() const;
    QString errorMessage() const;
    /// PostgreSQL: the SQLSTATE of the last failed step() ("55P03", …; empty when the
    /// server sent none, e.g. the connection was lost). SQLite: empty.
    QString errorCode() const;

private:
    SqliteStatement m_sqlite;
    std::unique_ptr<PgStatement> m_pg;
};

/// A forward-only read of a query's rows for loops over many rows (a rater's assignments,
/// every score of a study), through the native Statement of either engine (no QVariant
/// per cell). Binds are text (UTF-8) or integers, in order.
class RowCursor final {
public:
    /// How PostgreSQL hands over the rows. WholeResult: the client holds the whole result
    /// (other queries may run on the connection while the loop reads it). RowByRow: one
    /// row in memory at a time (Statement::setStreamed), for reads whose result is larger
    /// than the memory they may take; nothing else may use the connection until the loop
    /// ends (SQLite reads row by row in both).
    enum class Fetch { WholeResult, RowByRow };
    explicit RowCursor(const QSqlDatabase &db, Fetch fetch = Fetch::WholeResult);

    bool prepare(const char *sql);
    void bindInt(int index, qint64 value);
    void bindText(int index, const QByteArray &utf8);
    /// Runs the query (first call) or moves to the next row; false at the end or on an
    /// error (then errorMessage() is not empty).
    bool next();
    qint64 integer(int column) const { return m_statement.columnInt(column); }
    double real(int column) const { return m_statement.columnDouble(column); }
    bool isNull(int column) const { return m_statement.columnIsNull(column); }
    /// UTF-8 text; valid until the next next().
    QByteArrayView text(int column) const { return m_statement.columnView(column); }
    QString errorMessage() const { return m_error; }

private:
    NativeConnection m_db;
    Fetch m_fetch;
    Statement m_statement;
    QList<QByteArray> m_binds; // kept alive until the statement ran
    QString m_error;
};

} // namespace cr::storage
