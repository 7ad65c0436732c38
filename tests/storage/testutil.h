#pragma once

// Small helpers shared by the storage and command-line tests (header only).

#include "storage/error.h"
#include "storage/types.h"

#include <QAtomicInteger>
#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QTest>
#include <cstdio>

// Lets QCOMPARE print ErrorKind. (RaterKind/RaterRole cannot get one: ADL finds
// cr::storage::toString(), which returns QString; compare their toString() instead.)
namespace QTest {
template<> inline char *toString(const cr::storage::ErrorKind &kind)
{
    switch (kind) {
    case cr::storage::ErrorKind::InvalidInput:
        return qstrdup("InvalidInput");
    case cr::storage::ErrorKind::Storage:
        return qstrdup("Storage");
    case cr::storage::ErrorKind::None:
        break;
    }
    return qstrdup("None");
}
} // namespace QTest

namespace cr::test {

/// The source tree (set by cr_add_test through the environment).
inline QString sourceDir()
{
    return qEnvironmentVariable("CR_SOURCE_DIR");
}
inline QString binaryDir()
{
    return qEnvironmentVariable("CR_BINARY_DIR");
}

inline QString importData(const QString &name)
{
    return sourceDir() + QStringLiteral("/tests/data/import/") + name;
}

inline QString malformedData(const QString &name)
{
    return importData(QStringLiteral("malformed/") + name);
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

/// SHA-256 of a file's bytes (hex); empty when it cannot be read.
inline QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex();
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// Everything written to a FILE* so far (e.g. a std::tmpfile() given to a writer).
inline QByteArray readBack(std::FILE *f)
{
    std::fflush(f);
    std::rewind(f);
    QByteArray bytes;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        bytes.append(buf, qsizetype(n));
    return bytes;
}

/// Row count of every table of the database (sqlite_master), by table name.
inline QMap<QString, qint64> tableCounts(const QSqlDatabase &db)
{
    QMap<QString, qint64> out;
    QStringList tables;
    if (db.driverName() == QLatin1String("QPSQL")) {
        tables = db.tables(QSql::Tables);
        tables.sort();
    } else {
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
        while (q.next())
            tables.append(q.value(0).toString());
    }
    for (const QString &t : std::as_const(tables)) {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(t)) && q.next())
            out.insert(t, q.value(0).toLongLong());
    }
    return out;
}

/// A raw QSQLITE connection on a file, closed and removed when destroyed.
class RawDb final {
public:
    /// `path`: a study file, or the "host=… port=… user=… dbname=…" conninfo of a test
    /// database (tests/storage/backendfixture.h).
    explicit RawDb(const QString &path)
        : m_name(QStringLiteral("cr-test-raw-%1").arg(counter().fetchAndAddRelaxed(1)))
    {
        if (path.startsWith(QLatin1String("host="))) {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
            for (const QString &pair : path.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                const QString key = pair.section(QLatin1Char('='), 0, 0);
                const QString value = pair.section(QLatin1Char('='), 1);
                if (key == QLatin1String("host"))
                    db.setHostName(value);
                else if (key == QLatin1String("port"))
                    db.setPort(value.toInt());
                else if (key == QLatin1String("user"))
                    db.setUserName(value);
                else if (key == QLatin1String("dbname"))
                    db.setDatabaseName(value);
            }
            m_open = db.open();
            return;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_open = db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_open; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    /// First column of the first row of `sql`, or an invalid QVariant.
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(db());
        if (q.exec(sql) && q.next())
            return q.value(0);
        return {};
    }

private:
    static QAtomicInteger<quint64> &counter()
    {
        static QAtomicInteger<quint64> c;
        return c;
    }

    QString m_name;
    bool m_open = false;
};

} // namespace cr::test
