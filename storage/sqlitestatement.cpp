#include "storage/sqlitestatement.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <cstring>
#include <sqlite3.h>

namespace cr::storage {

sqlite3 *nativeHandle(const QSqlDatabase &db)
{
    const QVariant v = db.driver() ? db.driver()->handle() : QVariant();
    if (!v.isValid() || std::strcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

SqliteStatement::~SqliteStatement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

bool SqliteStatement::prepare(sqlite3 *db, const char *sql, QString *error)
{
    m_db = db;
    if (!db) {
        *error = QStringLiteral("not an SQLite connection");
        return false;
    }
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        *error = errorMessage();
        return false;
    }
    return true;
}

void SqliteStatement::bindText(int index, const QByteArray &utf8)
{
    if (utf8.isNull())
        sqlite3_bind_null(m_stmt, index);
    else
        sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

void SqliteStatement::bindInt(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bindInt(int index, std::optional<qint64> value)
{
    if (value)
        sqlite3_bind_int64(m_stmt, index, *value);
    else
        sqlite3_bind_null(m_stmt, index);
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    m_row = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_row = false;
}

QByteArray SqliteStatement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!text)
        return {};
    return QByteArray(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArrayView SqliteStatement::columnView(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return text ? QByteArrayView(text, sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

qint64 SqliteStatement::columnInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteStatement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

bool SqliteStatement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

int SqliteStatement::changes() const
{
    return sqlite3_changes(m_db);
}

qint64 SqliteStatement::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

QString SqliteStatement::errorMessage() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("no connection");
}

struct RowCursor::Fallback {
    explicit Fallback(const QSqlDatabase &db)
        : query(db)
    {
    }
    QSqlQuery query;
    mutable QByteArray text; // the current row's text column, for text()
};

RowCursor::RowCursor(const QSqlDatabase &db)
    : m_db(db)
{
}

RowCursor::~RowCursor() = default;

bool RowCursor::prepare(const char *sql)
{
    m_started = false;
    m_error.clear();
    if (sqlite3 *native = nativeHandle(m_db))
        return m_native.prepare(native, sql, &m_error);
    m_fallback = std::make_unique<Fallback>(m_db);
    m_fallback->query.setForwardOnly(true);
    if (m_fallback->query.prepare(QString::fromUtf8(sql)))
        return true;
    m_error = m_fallback->query.lastError().text();
    return false;
}

void RowCursor::bindInt(int index, qint64 value)
{
    if (m_fallback)
        m_fallback->query.bindValue(index - 1, value);
    else
        m_native.bindInt(index, value);
}

void RowCursor::bindText(int index, const QByteArray &utf8)
{
    if (m_fallback) {
        m_fallback->query.bindValue(index - 1, QString::fromUtf8(utf8));
        return;
    }
    m_binds.append(utf8);
    m_native.bindText(index, m_binds.last());
}

bool RowCursor::next()
{
    if (m_fallback) {
        QSqlQuery &q = m_fallback->query;
        if (!m_started) {
            m_started = true;
            if (!q.exec()) {
                m_error = q.lastError().text();
                return false;
            }
        }
        if (q.next())
            return true;
        if (q.lastError().isValid())
            m_error = q.lastError().text();
        return false;
    }
    m_started = true;
    if (!m_native.step()) {
        m_error = m_native.errorMessage();
        return false;
    }
    return m_native.hasRow();
}

qint64 RowCursor::integer(int column) const
{
    return m_fallback ? m_fallback->query.value(column).toLongLong() : m_native.columnInt(column);
}

double RowCursor::real(int column) const
{
    return m_fallback ? m_fallback->query.value(column).toDouble() : m_native.columnDouble(column);
}

bool RowCursor::isNull(int column) const
{
    return m_fallback ? m_fallback->query.value(column).isNull() : m_native.columnIsNull(column);
}

QByteArrayView RowCursor::text(int column) const
{
    if (!m_fallback)
        return m_native.columnView(column);
    m_fallback->text = m_fallback->query.value(column).toString().toUtf8();
    return m_fallback->text;
}

} // namespace cr::storage
