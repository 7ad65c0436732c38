#pragma once

// The SQLite-specific fast path used by bulk imports: prepared statements on the
// connection's native handle, binding UTF-8 directly (no UTF-16 round trip through
// QVariant/QString). Everything dialect-specific about bulk writes lives here.

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <memory>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace cr::storage {

/// The sqlite3* behind a QSQLITE connection, or nullptr for another driver.
sqlite3 *nativeHandle(const QSqlDatabase &db);

class SqliteStatement final {
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    /// Prepares `sql`, finalizing the statement prepared before (one statement at a time).
    bool prepare(sqlite3 *db, const char *sql, QString *error);
    bool isPrepared() const { return m_stmt != nullptr; }

    /// Binds UTF-8 text; a null QByteArray binds SQL NULL. The bytes must stay
    /// alive until step() has run.
    void bindText(int index, const QByteArray &utf8);
    void bindInt(int index, qint64 value);
    void bindInt(int index, std::optional<qint64> value);

    /// Runs the statement once; true for a row (SQLITE_ROW) or done (SQLITE_DONE).
    /// hasRow() tells which. On failure errorMessage() says why.
    bool step();
    bool hasRow() const { return m_row; }
    /// Clears bindings and resets for the next use.
    void reset();

    QByteArray columnText(int column) const;
    /// The column's UTF-8 bytes without a copy; valid until the next step() or reset().
    QByteArrayView columnView(int column) const;
    qint64 columnInt(int column) const;
    double columnDouble(int column) const;
    bool columnIsNull(int column) const;

    /// Rows changed by the last step of this connection.
    int changes() const;
    qint64 lastInsertRowId() const;
    QString errorMessage() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_row = false;
};

} // namespace cr::storage
