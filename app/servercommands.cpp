#include "app/handlers.h"
#include "protocol/protocol.h"
#include "storage/backend.h"
#include "storage/pgsecurity.h"
#include "storage/server.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QElapsedTimer>

namespace cr::app {

namespace {

/// Progress of publish / snapshot on stderr: one line per table when it is done, and
/// a line every 10,000 rows of a long one.
storage::server::Progress progressLines(const Invocation &call, const QString &verb)
{
    return [&call, verb](const QString &table, qint64 done, qint64 total) {
        if (done == 0)
            return;
        const QString line = total > 0
            ? QStringLiteral("%1: %2 %3 rows\n").arg(verb, table).arg(total)
            : QStringLiteral("%1: %2 %3 rows…\n").arg(verb, table).arg(done);
        std::fputs(line.toUtf8().constData(), call.err());
        std::fflush(call.err());
    };
}

} // namespace

int runServerInit(const Invocation &call)
{
    QStringList pos;
    protocol::Protocol proto;
    QString title;
    if (const int code = parseInitOptions(call, &pos, &proto, &title); code != ExitOk)
        return code;
    if (title.isEmpty())
        return call.usageError(QStringLiteral("server init needs --title"));
    storage::Error e;
    if (!storage::server::init(pos[0], title, proto, &e))
        return call.fail(e);
    // The study's own group roles (the database enforces them): `server add-person` makes
    // each person a member of one.
    QString database;
    if (const auto study = storage::Study::open(pos[0], &e))
        database = study->database().databaseName();
    using storage::RaterRole;
    call.print(database.isEmpty()
            ? QStringLiteral("Created the study \"%1\" on %2\n")
                  .arg(title, storage::displayUri(pos[0]))
            : QStringLiteral("Created the study \"%1\" on %2 (group roles %3, %4, %5)\n")
                  .arg(title, storage::displayUri(pos[0]),
                      storage::pgsecurity::groupRole(RaterRole::Rater, database),
                      storage::pgsecurity::groupRole(RaterRole::Adjudicator, database),
                      storage::pgsecurity::groupRole(RaterRole::Researcher, database)));
    return ExitOk;
}

namespace {

/// `publish FROM TO` / `snapshot FROM TO`: one job, timed, progress on stderr.
int runTransfer(const Invocation &call, const QString &verb,
    bool (*job)(
        const QString &, const QString &, const storage::server::Progress &, storage::Error *),
    const QString &done)
{
    QCommandLineParser p;
    QStringList pos;
    if (!call.parse(p, 2, 2, &pos))
        return ExitUsage;
    QElapsedTimer timer;
    timer.start();
    storage::Error e;
    if (!job(pos[0], pos[1], progressLines(call, verb), &e))
        return call.fail(e);
    call.print(done.arg(storage::displayUri(pos[0]), storage::displayUri(pos[1]))
                   .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));
    return ExitOk;
}

} // namespace

int runPublish(const Invocation &call)
{
    return runTransfer(call, QStringLiteral("publish"), storage::server::publish,
        QStringLiteral("Published %1 to %2 in %3 s\n"));
}

int runSnapshot(const Invocation &call)
{
    return runTransfer(call, QStringLiteral("snapshot"), storage::server::snapshot,
        QStringLiteral("Wrote a snapshot of %1 to %2 in %3 s\n"));
}

} // namespace cr::app
