#include "app/handlers.h"
#include "storage/auditlog.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

namespace cr::app {

QJsonValue brokenEventJson(const storage::VerifyResult &r)
{
    if (!r.broken)
        return QJsonValue();
    return QJsonObject { { QStringLiteral("id"), r.broken->id },
        { QStringLiteral("at"), r.broken->at }, { QStringLiteral("action"), r.broken->action } };
}

namespace {

QJsonObject toJson(const storage::VerifyResult &r)
{
    QJsonObject o { { QStringLiteral("ok"), r.ok }, { QStringLiteral("events"), r.events },
        { QStringLiteral("head"),
            r.headId ? QJsonValue(QJsonObject {
                { QStringLiteral("id"), r.headId }, { QStringLiteral("hash"), r.headHash } })
                     : QJsonValue() },
        { QStringLiteral("replay_checked"), r.replayChecked },
        { QStringLiteral("problem"), r.ok ? QJsonValue() : QJsonValue(r.problem) } };
    o.insert(QStringLiteral("broken_event"), brokenEventJson(r));
    return o;
}

QString brokenText(const storage::VerifyResult &r)
{
    if (!r.broken)
        return QStringLiteral("broken: %1\n").arg(r.problem);
    return QStringLiteral("broken at event #%1 %2 %3: %4\n")
        .arg(r.broken->id)
        .arg(r.broken->at, r.broken->action, r.problem);
}

} // namespace

int runVerify(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
    const QCommandLineOption headOpt(
        QStringLiteral("head"), QStringLiteral("Print the chain head (hash, event count)"));
    p.addOptions({ jsonOpt, headOpt });
    int code = ExitOk;
    const auto study = call.parseAndOpenStudy(p, &code);
    if (!study)
        return code;
    storage::VerifyResult result;
    storage::Error e;
    if (!storage::verifyAuditLog(*study, storage::VerifyScope::Full, &result, &e))
        return call.fail(e);
    if (result.ok) {
        // Best effort: the app's check on open starts here next time.
        storage::Error ignored;
        storage::recordVerified(*study, result, &ignored);
    }
    if (p.isSet(jsonOpt))
        call.print(QString::fromUtf8(QJsonDocument(toJson(result)).toJson()));
    else if (!result.ok)
        call.print(brokenText(result));
    else if (p.isSet(headOpt))
        call.print(QStringLiteral("%1 #%2, %3 events\n")
                       .arg(result.headHash)
                       .arg(result.headId)
                       .arg(result.events));
    else
        call.print(QStringLiteral("ok, %1 events\n").arg(result.events));
    return result.ok ? ExitOk : ExitBrokenAuditLog;
}

} // namespace cr::app
