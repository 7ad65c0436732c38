#include "storage/backend.h"

#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <QStringList>
#include <libpq-fe.h>

namespace cr::storage {

bool isServerUri(const QString &study)
{
    if (study.startsWith(QLatin1String("postgresql://"))
        || study.startsWith(QLatin1String("postgres://")))
        return true;
    // libpq key=value conninfo: "host=… dbname=…"
    static const QRegularExpression conninfo(
        QStringLiteral("^\\s*(host|hostaddr|port|dbname|user|service|sslmode)\\s*="));
    return conninfo.match(study).hasMatch();
}

Engine engineOf(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL") ? Engine::Postgres : Engine::Sqlite;
}

namespace {

// Passwords the GUI asked for, by serverLoginKey(): process memory only.
QMutex sessionPasswordsMutex;
QHash<QString, QString> sessionPasswords;

QString sessionPassword(const QString &key)
{
    const QMutexLocker locker(&sessionPasswordsMutex);
    return sessionPasswords.value(key);
}

} // namespace

QString serverLoginKey(const QString &uri)
{
    if (!isServerUri(uri))
        return {};
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(uri.toUtf8().constData(), &message);
    PQfreemem(message);
    if (!options)
        return {};
    QHash<QString, QString> given;
    for (PQconninfoOption *o = options; o->keyword; ++o)
        if (o->val && *o->val)
            given.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    PQconninfoFree(options);
    // What libpq would use for the fields the URI leaves out (PGUSER, the OS user, …).
    if (PQconninfoOption *defaults = PQconndefaults()) {
        for (PQconninfoOption *o = defaults; o->keyword; ++o) {
            const QString key = QString::fromUtf8(o->keyword);
            if (!given.contains(key) && o->val && *o->val)
                given.insert(key, QString::fromUtf8(o->val));
        }
        PQconninfoFree(defaults);
    }
    const QString user = given.value(QStringLiteral("user"));
    const QString host = given.value(QStringLiteral("host"),
        given.value(QStringLiteral("hostaddr"), QStringLiteral("localhost")));
    const QString port = given.value(QStringLiteral("port"), QStringLiteral("5432"));
    const QString db = given.value(QStringLiteral("dbname"), user);
    return QStringLiteral("%1@%2:%3/%4").arg(user, host, port, db);
}

void setSessionPassword(const QString &uri, const QString &password)
{
    const QString key = serverLoginKey(uri);
    if (key.isEmpty())
        return;
    const QMutexLocker locker(&sessionPasswordsMutex);
    if (password.isEmpty())
        sessionPasswords.remove(key);
    else
        sessionPasswords.insert(key, password);
}

void clearSessionPasswords()
{
    const QMutexLocker locker(&sessionPasswordsMutex);
    sessionPasswords.clear();
}

LoginProblem loginProblem(const QString &connectError)
{
    // libpq's own text (the client's "no password supplied") and the server's
    // invalid_password message; both are what PQerrorMessage says in the C locale.
    if (connectError.contains(QLatin1String("no password supplied")))
        return LoginProblem::NoPassword;
    if (connectError.contains(QLatin1String("password authentication failed")))
        return LoginProblem::WrongPassword;
    return LoginProblem::None;
}

bool configureServerConnection(QSqlDatabase &db, const QString &uri, QString *error)
{
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(uri.toUtf8().constData(), &message);
    if (!options) {
        *error = message ? QString::fromUtf8(message).trimmed()
                         : QStringLiteral("cannot parse the connection string");
        PQfreemem(message);
        return false;
    }
    QStringList extra;
    bool hasPassword = false;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString key = QString::fromUtf8(o->keyword);
        const QString value = QString::fromUtf8(o->val);
        if (key == QLatin1String("host"))
            db.setHostName(value);
        else if (key == QLatin1String("port"))
            db.setPort(value.toInt());
        else if (key == QLatin1String("dbname"))
            db.setDatabaseName(value);
        else if (key == QLatin1String("user"))
            db.setUserName(value);
        else if (key == QLatin1String("password")) {
            db.setPassword(value);
            hasPassword = true;
        } else {
            QString quoted = value;
            quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
            quoted.replace(QLatin1Char('\''), QStringLiteral("\\'"));
            extra.append(key + QStringLiteral("='") + quoted + QLatin1Char('\''));
        }
    }
    PQconninfoFree(options);
    db.setConnectOptions(extra.join(QLatin1Char(';')));
    if (!hasPassword) {
        const QString asked = sessionPassword(serverLoginKey(uri));
        if (!asked.isEmpty())
            db.setPassword(asked);
    }
    return true;
}

QString displayUri(const QString &uri)
{
    QString out = uri;
    static const QRegularExpression userinfo(
        QStringLiteral("^(postgres(?:ql)?://[^:@/]*):[^@/]*@"));
    out.replace(userinfo, QStringLiteral("\\1@"));
    static const QRegularExpression password(QStringLiteral("password\\s*=\\s*('[^']*'|\\S+)"));
    out.replace(password, QStringLiteral("password=***"));
    static const QRegularExpression query(QStringLiteral("([?&]password=)[^&]*"));
    out.replace(query, QStringLiteral("\\1***"));
    return out;
}

namespace dialect {

const char *writeLockKey()
{
    return "4851555852838468";
}

QStringList beginWrite(Engine engine, bool wait)
{
    const QLatin1String lockKey(writeLockKey());
    if (engine == Engine::Sqlite)
        return { QStringLiteral("BEGIN IMMEDIATE") };
    return { QStringLiteral("BEGIN ISOLATION LEVEL READ COMMITTED"),
        wait ? QStringLiteral("SELECT true FROM (SELECT pg_advisory_xact_lock(%1)) AS l")
                   .arg(lockKey)
             : QStringLiteral("SELECT pg_try_advisory_xact_lock(%1)").arg(lockKey) };
}

bool isBusy(Engine engine, const QString &code)
{
    if (engine == Engine::Sqlite) // SQLITE_BUSY (5) / SQLITE_LOCKED (6)
        return code == QLatin1String("5") || code == QLatin1String("6");
    // lock_not_available, serialization_failure, deadlock_detected
    return code == QLatin1String("55P03") || code == QLatin1String("40001")
        || code == QLatin1String("40P01");
}

QString syncSetting(Engine engine, bool full)
{
    if (engine == Engine::Sqlite)
        return full ? QStringLiteral("PRAGMA synchronous = FULL")
                    : QStringLiteral("PRAGMA synchronous = NORMAL");
    return full ? QStringLiteral("SET synchronous_commit = on")
                : QStringLiteral("SET synchronous_commit = off");
}

const char *eventSequence(Engine engine)
{
    return engine == Engine::Sqlite ? "SELECT seq FROM sqlite_sequence WHERE name = 'event'"
                                    : "SELECT last_id FROM event_sequence";
}

QString beginReadSnapshot(Engine engine)
{
    return engine == Engine::Postgres
        ? QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        : QStringLiteral("BEGIN");
}

QString idList(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return QStringLiteral("(NULL)");
    QString out = QStringLiteral("(");
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            out += QLatin1Char(',');
        out += QString::number(ids[i]);
    }
    return out + QLatin1Char(')');
}

} // namespace dialect
} // namespace cr::storage
