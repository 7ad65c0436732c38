#pragma once

// The storage tests run on both engines (issue 17): a test registered with
// cr_add_backend_test() runs once on SQLite files and once more (NAME_pg) with
// CR_TEST_BACKEND=postgres against the throwaway cluster of tests/pg, where every
// study location is a fresh database (never shared by two test cases or processes).

#include "storage/study.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QFile>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace cr::test {

/// True when this run tests the PostgreSQL backend.
inline bool onServer()
{
    return qEnvironmentVariable("CR_TEST_BACKEND") == QLatin1String("postgres");
}

/// One value of the cluster's env file (tests/pg/pgcluster.sh).
inline QString pgEnv(const QString &key)
{
    QFile f(qEnvironmentVariable("CR_PG_DIR") + QStringLiteral("/env"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString prefix = key + QLatin1Char('=');
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QString l = QString::fromUtf8(line);
        if (l.startsWith(prefix))
            return l.mid(prefix.size());
    }
    return {};
}

/// libpq conninfo for database `name` on the test cluster, as its superuser (the
/// password comes from the cluster's pgpass file through PGPASSFILE).
inline QString pgConninfo(const QString &name)
{
    qputenv("PGPASSFILE", pgEnv(QStringLiteral("CR_PG_PASSFILE")).toLocal8Bit());
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4")
        .arg(pgEnv(QStringLiteral("CR_PG_HOST")), pgEnv(QStringLiteral("CR_PG_PORT")),
            pgEnv(QStringLiteral("CR_PG_USER")), name);
}

/// Runs one statement on the cluster's maintenance database; false with a warning.
inline bool pgAdmin(const QString &sql)
{
    static QAtomicInteger<quint64> counter;
    const QString connection =
        QStringLiteral("cr-test-admin-%1").arg(counter.fetchAndAddRelaxed(1));
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(pgEnv(QStringLiteral("CR_PG_HOST")));
        db.setPort(pgEnv(QStringLiteral("CR_PG_PORT")).toInt());
        db.setUserName(pgEnv(QStringLiteral("CR_PG_USER")));
        db.setDatabaseName(QStringLiteral("postgres"));
        pgConninfo(QString()); // sets PGPASSFILE
        if (!db.open()) {
            qWarning("cannot reach the test cluster: %s", qPrintable(db.lastError().text()));
        } else {
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok)
                qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

/// The databases this process made, dropped when the application object goes (so a
/// suite run leaves the cluster small and its shutdown quick).
inline QStringList &createdDatabases()
{
    static QStringList names;
    return names;
}

inline void dropCreatedDatabases()
{
    for (const QString &name : std::as_const(createdDatabases()))
        pgAdmin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
    createdDatabases().clear();
}

/// A new empty database on the test cluster; returns its conninfo (empty on failure).
inline QString freshDatabase()
{
    static QAtomicInteger<quint64> counter;
    const QString name = QStringLiteral("crt_%1_%2_%3")
                             .arg(QCoreApplication::applicationName().toLower())
                             .arg(QCoreApplication::applicationPid())
                             .arg(counter.fetchAndAddRelaxed(1));
    if (!pgAdmin(QStringLiteral("CREATE DATABASE %1").arg(name)))
        return {};
    if (createdDatabases().isEmpty())
        qAddPostRoutine(dropCreatedDatabases);
    createdDatabases().append(name);
    return pgConninfo(name);
}

/// Study locations by name for one test case: `dir/name` on SQLite; on PostgreSQL a fresh
/// database per name, the same one while the case runs (clear() in init()).
class StudyLocations final {
public:
    QString at(const QTemporaryDir &dir, const QString &name)
    {
        if (!onServer())
            return dir.filePath(name);
        if (!m_databases.contains(name))
            m_databases.insert(name, freshDatabase());
        return m_databases.value(name);
    }
    void clear() { m_databases.clear(); }

private:
    QMap<QString, QString> m_databases;
};

/// Where a test's study lives: `dir/file` on SQLite, a fresh database on PostgreSQL.
inline QString studyLocation(const QTemporaryDir &dir, const QString &file)
{
    return onServer() ? freshDatabase() : dir.filePath(file);
}

/// The first column of SQL's first row on the study at URI (a file or a server URI),
/// through a connection of its own; -1 when it cannot be read.
inline qint64 queryInteger(const QString &uri, const QString &sql)
{
    storage::Error e;
    auto study = storage::Study::open(uri, &e);
    if (!study)
        return -1;
    QSqlQuery q(study->database());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace cr::test
