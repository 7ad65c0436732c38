#include "storage/statement.h"

#include <QLocale>
#include <QSqlDriver>
#include <QVariant>
#include <cstdlib>
#include <cstring>
#include <libpq-fe.h>
#include <vector>

namespace cr::storage {

NativeConnection nativeConnection(const QSqlDatabase &db)
{
    NativeConnection c;
    c.sqlite = nativeHandle(db);
    if (c.sqlite)
        return c;
    const QVariant v = db.driver() ? db.driver()->handle() : QVariant();
    // Qt 6 names the metatype after the compiler's spelling (struct pg_conn).
    if (v.isValid()
        && (std::strcmp(v.typeName(), "PGconn*") == 0
            || std::strcmp(v.typeName(), "pg_conn*") == 0))
        c.pg = *static_cast<PGconn *const *>(v.constData());
    return c;
}

/// The libpq side: PQexecParams with text parameters and text results. `?`
/// placeholders (outside quotes) become $1, $2, …
class PgStatement final {
public:
    ~PgStatement() { clear(); }

    bool prepare(PGconn *conn, const char *sql, QString *error)
    {
        m_conn = conn;
        m_sql.clear();
        int n = 0;
        char quote = 0;
        for (const char *p = sql; *p; ++p) {
            const char c = *p;
            if (quote) {
                if (c == quote)
                    quote = 0;
                m_sql += c;
            } else if (c == '\'' || c == '"') {
                quote = c;
                m_sql += c;
            } else if (c == '?') {
                m_sql += '$' + QByteArray::number(++n);
            } else {
                m_sql += c;
            }
        }
        m_values.assign(std::size_t(n), QByteArray());
        if (!conn) {
            *error = QStringLiteral("not a PostgreSQL connection");
            return false;
        }
        m_prepared = true;
        return true;
    }

    bool isPrepared() const { return m_prepared; }

    /// Single-row mode (PQsetSingleRowMode): step() receives the rows one at a time
    /// instead of the whole result at once; the connection is busy until the last row.
    void setStreamed(bool on) { m_streamed = on; }

    void bind(int index, const QByteArray &value)
    {
        if (index >= 1 && std::size_t(index) <= m_values.size())
            m_values[std::size_t(index - 1)] = value;
    }

    bool step()
    {
        if (m_streaming)
            return nextStreamedRow();
        if (m_result) {
            ++m_row;
            return true;
        }
        m_error.clear();
        m_state.clear();
        std::vector<const char *> values;
        values.reserve(m_values.size());
        for (const QByteArray &v : m_values)
            values.push_back(v.isNull() ? nullptr : v.constData());
        if (m_streamed) {
            if (!PQsendQueryParams(m_conn, m_sql.constData(), int(values.size()), nullptr,
                    values.data(), nullptr, nullptr, 0)) {
                m_error = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
                return false;
            }
            PQsetSingleRowMode(m_conn);
            m_streaming = true;
            return nextStreamedRow();
        }
        m_result = PQexecParams(m_conn, m_sql.constData(), int(values.size()), nullptr,
            values.data(), nullptr, nullptr, 0);
        m_row = 0;
        const ExecStatusType status = PQresultStatus(m_result);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            m_error = QString::fromUtf8(PQresultErrorMessage(m_result)).trimmed();
            const char *state = m_result ? PQresultErrorField(m_result, PG_DIAG_SQLSTATE) : nullptr;
            m_state = state ? QString::fromLatin1(state) : QString();
            m_changes = 0;
            PQclear(m_result);
            m_result = nullptr;
            return false;
        }
        m_changes = std::atoi(PQcmdTuples(m_result));
        return true;
    }

    bool hasRow() const { return m_result && m_row < PQntuples(m_result); }

    void reset()
    {
        clear();
        for (QByteArray &v : m_values)
            v = QByteArray();
    }

    QByteArrayView view(int column) const
    {
        if (!hasRow() || PQgetisnull(m_result, m_row, column))
            return {};
        return QByteArrayView(
            PQgetvalue(m_result, m_row, column), PQgetlength(m_result, m_row, column));
    }

    qint64 integer(int column) const
    {
        const QByteArrayView v = view(column);
        if (v == "t")
            return 1; // a boolean column
        if (v.isEmpty() || v == "f")
            return 0;
        return std::strtoll(v.data(), nullptr, 10);
    }

    double real(int column) const
    {
        const QByteArrayView v = view(column);
        return v.isEmpty() ? 0.0 : std::strtod(v.toByteArray().constData(), nullptr);
    }

    bool isNull(int column) const { return !hasRow() || PQgetisnull(m_result, m_row, column); }

    int changes() const { return m_changes; }

    qint64 lastInsertId() const
    {
        PGresult *r = PQexec(m_conn, "SELECT lastval()");
        qint64 id = 0;
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
        PQclear(r);
        return id;
    }

    QString errorCode() const { return m_state; }

    QString errorMessage() const
    {
        if (!m_error.isEmpty())
            return m_error;
        return m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()
                      : QStringLiteral("no connection");
    }

private:
    /// Single-row mode: the next row (a one-row result), or the end (an empty result).
    bool nextStreamedRow()
    {
        if (m_result)
            PQclear(m_result);
        m_row = 0;
        m_result = PQgetResult(m_conn);
        const ExecStatusType status = m_result ? PQresultStatus(m_result) : PGRES_TUPLES_OK;
        if (status == PGRES_SINGLE_TUPLE)
            return true;
        bool ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
        if (!ok) {
            m_error = QString::fromUtf8(PQresultErrorMessage(m_result)).trimmed();
            const char *state = m_result ? PQresultErrorField(m_result, PG_DIAG_SQLSTATE) : nullptr;
            m_state = state ? QString::fromLatin1(state) : QString();
        }
        drain();
        return ok;
    }

    /// Reads what is left of a streamed query so the connection is free again.
    void drain()
    {
        if (m_result)
            PQclear(m_result);
        m_result = nullptr;
        m_row = 0;
        if (!m_streaming)
            return;
        while (PGresult *r = PQgetResult(m_conn))
            PQclear(r);
        m_streaming = false;
    }

    void clear()
    {
        drain();
        m_error.clear();
        m_state.clear();
    }

    PGconn *m_conn = nullptr;
    QByteArray m_sql;
    std::vector<QByteArray> m_values;
    PGresult *m_result = nullptr;
    int m_row = 0;
    int m_changes = 0;
    bool m_prepared = false;
    bool m_streamed = false; ///< setStreamed()
    bool m_streaming = false; ///< a streamed query is running
    QString m_error;
    QString m_state; ///< SQLSTATE of the last failure
};

Statement::Statement() = default;
Statement::~Statement() = default;

bool Statement::prepare(NativeConnection db, const char *sql, QString *error)
{
    if (db.pg) {
        m_pg = std::make_unique<PgStatement>();
        return m_pg->prepare(db.pg, sql, error);
    }
    return m_sqlite.prepare(db.sqlite, sql, error);
}

void Statement::setStreamed(bool on)
{
    if (m_pg)
        m_pg->setStreamed(on);
}

bool Statement::isPrepared() const
{
    return m_pg ? m_pg->isPrepared() : m_sqlite.isPrepared();
}

void Statement::bindText(int index, const QByteArray &utf8)
{
    if (!m_pg)
        return m_sqlite.bindText(index, utf8);
    // PostgreSQL text cannot hold NUL; an empty (non-null) value stays ''.
    m_pg->bind(index, utf8.isNull() ? QByteArray() : QByteArray(utf8.constData(), utf8.size()));
}

void Statement::bindInt(int index, qint64 value)
{
    if (!m_pg)
        return m_sqlite.bindInt(index, value);
    m_pg->bind(index, QByteArray::number(value));
}

void Statement::bindInt(int index, std::optional<qint64> value)
{
    if (!m_pg)
        return m_sqlite.bindInt(index, value);
    m_pg->bind(index, value ? QByteArray::number(*value) : QByteArray());
}

void Statement::bindDouble(int index, std::optional<double> value)
{
    const QByteArray text =
        value ? QByteArray::number(*value, 'g', QLocale::FloatingPointShortest) : QByteArray();
    if (m_pg)
        m_pg->bind(index, text);
    else
        m_sqlite.bindText(index, text); // SQLite's REAL affinity converts it
}

bool Statement::step()
{
    return m_pg ? m_pg->step() : m_sqlite.step();
}

bool Statement::hasRow() const
{
    return m_pg ? m_pg->hasRow() : m_sqlite.hasRow();
}

void Statement::reset()
{
    if (m_pg)
        m_pg->reset();
    else
        m_sqlite.reset();
}

QByteArray Statement::columnText(int column) const
{
    if (!m_pg)
        return m_sqlite.columnText(column);
    if (m_pg->isNull(column))
        return {};
    const QByteArrayView v = m_pg->view(column);
    QByteArray out(v.data(), v.size());
    if (out.isNull())
        out = QByteArray("", 0); // '' is not NULL
    return out;
}

QByteArrayView Statement::columnView(int column) const
{
    return m_pg ? m_pg->view(column) : m_sqlite.columnView(column);
}

qint64 Statement::columnInt(int column) const
{
    return m_pg ? m_pg->integer(column) : m_sqlite.columnInt(column);
}

double Statement::columnDouble(int column) const
{
    return m_pg ? m_pg->real(column) : m_sqlite.columnDouble(column);
}

bool Statement::columnIsNull(int column) const
{
    return m_pg ? m_pg->isNull(column) : m_sqlite.columnIsNull(column);
}

int Statement::changes() const
{
    return m_pg ? m_pg->changes() : m_sqlite.changes();
}

qint64 Statement::lastInsertRowId() const
{
    return m_pg ? m_pg->lastInsertId() : m_sqlite.lastInsertRowId();
}

QString Statement::errorMessage() const
{
    return m_pg ? m_pg->errorMessage() : m_sqlite.errorMessage();
}

QString Statement::errorCode() const
{
    return m_pg ? m_pg->errorCode() : QString();
}

RowCursor::RowCursor(const QSqlDatabase &db, Fetch fetch)
    : m_db(nativeConnection(db))
    , m_fetch(fetch)
{
}

bool RowCursor::prepare(const char *sql)
{
    m_error.clear();
    m_binds.clear();
    if (!m_db.isValid()) {
        m_error = QStringLiteral("no native connection (SQLite or PostgreSQL)");
        return false;
    }
    if (!m_statement.prepare(m_db, sql, &m_error))
        return false;
    m_statement.setStreamed(m_fetch == Fetch::RowByRow);
    return true;
}

void RowCursor::bindInt(int index, qint64 value)
{
    m_statement.bindInt(index, value);
}

void RowCursor::bindText(int index, const QByteArray &utf8)
{
    m_binds.append(utf8);
    m_statement.bindText(index, m_binds.last());
}

bool RowCursor::next()
{
    if (!m_statement.step()) {
        m_error = m_statement.errorMessage();
        return false;
    }
    return m_statement.hasRow();
}

} // namespace cr::storage
