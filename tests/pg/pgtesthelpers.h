#pragma once

// Small helpers for the GUI tests against the shared test cluster (tests/pg/pgcluster.sh):
// its env file, psql as the cluster's superuser, the crisis-review binary.

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace cr::pgtest {

/// KEY's value in DIR/env (the shell fragment pgcluster.sh writes).
inline QString env(const QString &dir, const QString &key)
{
    QFile file(dir + QStringLiteral("/env"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith(QByteArray(key.toUtf8() + "=")))
            return QString::fromUtf8(line.mid(key.size() + 1));
    return {};
}

/// crisis-review ARGS (with `environment` when given); its exit code, stdout in `out`.
inline int runApp(
    const QStringList &args, QByteArray *out = nullptr, const QProcessEnvironment &environment = {})
{
    QProcess p;
    if (!environment.isEmpty())
        p.setProcessEnvironment(environment);
    p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
    if (!p.waitForFinished(120000))
        return -1;
    if (out)
        *out = p.readAllStandardOutput();
    if (p.exitCode() != 0)
        qWarning("crisis-review %s: %s", qPrintable(args.join(QLatin1Char(' '))),
            p.readAllStandardError().constData());
    return p.exitCode();
}

/// Writes `count` items ("PREFIX-1"…, dataset "src") with a response of models "m-one"
/// and "m-two" each, as JSONL at `path`; false when it cannot.
inline bool writeItems(const QString &path, const QString &prefix, int count)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    for (int i = 1; i <= count; ++i)
        file.write(QStringLiteral("{\"item_id\":\"%2-%1\",\"text\":\"message %1\",\"dataset\":"
                                  "\"src\",\"responses\":[{\"model\":\"m-one\",\"text\":\"one "
                                  "%1\"},{\"model\":\"m-two\",\"text\":\"two %1\"}]}\n")
                       .arg(i)
                       .arg(prefix)
                       .toUtf8());
    return true;
}

/// The shared cluster (CR_PG_DIR): port and the superuser's password file.
struct Cluster {
    QString dir = qEnvironmentVariable("CR_PG_DIR");
    QString port = env(dir, QStringLiteral("CR_PG_PORT"));
    QString passfile = env(dir, QStringLiteral("CR_PG_PASSFILE"));

    bool isValid() const { return !port.isEmpty() && !passfile.isEmpty(); }
    /// `user` on `db` over loopback; `withPassfile` names the cluster's password file in
    /// the URI itself (libpq's passfile), so the test process's PGPASSFILE stays its own.
    QString uri(const QString &user, const QString &db, bool withPassfile = false) const
    {
        QString u = QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user, port, db);
        if (withPassfile)
            u += QStringLiteral("?passfile=") + passfile;
        return u;
    }
    QProcessEnvironment adminEnvironment() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("PGPASSFILE"), passfile);
        e.remove(QStringLiteral("PGPASSWORD"));
        return e;
    }
    /// Runs `sql` with psql as cr_admin on `db`; true when it exited 0.
    bool psql(const QString &db, const QString &sql, QByteArray *out = nullptr) const
    {
        QProcess p;
        p.setProcessEnvironment(adminEnvironment());
        p.start(QStringLiteral("psql"),
            { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-At"),
                QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"),
                QStringLiteral("127.0.0.1"), QStringLiteral("-p"), port, QStringLiteral("-U"),
                QStringLiteral("cr_admin"), QStringLiteral("-d"), db, QStringLiteral("-c"), sql });
        if (!p.waitForFinished(60000))
            return false;
        if (out)
            *out = p.readAllStandardOutput();
        if (p.exitCode() != 0)
            qWarning("psql %s: %s", qPrintable(sql), p.readAllStandardError().constData());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }
    /// Drops the login roles `logins` and the group roles of the study in `db` (roles
    /// are the cluster's, not the database's; run after the database is dropped).
    void dropRoles(const QString &db, const QStringList &logins) const
    {
        QStringList roles = logins;
        for (const char *group : { "rater", "adjudicator", "researcher" })
            roles.append(db + QLatin1Char(':') + QLatin1String(group));
        for (const QString &role : roles)
            psql(
                QStringLiteral("postgres"), QStringLiteral("DROP ROLE IF EXISTS \"%1\"").arg(role));
    }
    /// crisis-review ARGS with the superuser's password file; its exit code.
    int app(const QStringList &args, QByteArray *out = nullptr) const
    {
        return runApp(args, out, adminEnvironment());
    }
};

} // namespace cr::pgtest
