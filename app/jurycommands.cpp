#include "app/handlers.h"
#include "storage/jury.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cr::app {

namespace {

QStringList memberNames(const storage::Jury &jury)
{
    QStringList names;
    for (const storage::Rater &r : jury.members)
        names.append(r.name);
    return names;
}

} // namespace

int runJuryAdd(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption ratersOpt(
        QStringLiteral("raters"), QStringLiteral("LLM raters"), QStringLiteral("NAMES"));
    p.addOption(ratersOpt);
    QStringList pos;
    if (!call.parse(p, 2, 2, &pos))
        return ExitUsage;
    if (!p.isSet(ratersOpt))
        return call.usageError(QStringLiteral("--raters is required"));
    QStringList members;
    for (const QString &n : p.value(ratersOpt).split(QLatin1Char(','), Qt::SkipEmptyParts))
        members.append(n.trimmed());
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::Error e;
    const auto jury = storage::JuryRepository(*study).add(pos[1], members, &e);
    if (!jury)
        return call.fail(e);
    call.print(QStringLiteral("Added jury %1 (mean of %2)\n")
                   .arg(jury->name, memberNames(*jury).join(QLatin1Char(','))));
    return ExitOk;
}

int runJuryList(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
    p.addOption(jsonOpt);
    int code = ExitOk;
    const auto study = call.parseAndOpenStudy(p, &code);
    if (!study)
        return code;
    storage::Error e;
    const auto juries = storage::JuryRepository(*study).all(&e);
    if (!juries)
        return call.fail(e);
    if (p.isSet(jsonOpt)) {
        QJsonArray array;
        for (const storage::Jury &j : *juries)
            array.append(QJsonObject { { QStringLiteral("name"), j.name },
                { QStringLiteral("raters"), QJsonArray::fromStringList(memberNames(j)) } });
        call.print(QString::fromUtf8(QJsonDocument(array).toJson()));
    } else {
        for (const storage::Jury &j : *juries)
            call.print(
                QStringLiteral("%1\t%2\n").arg(j.name, memberNames(j).join(QLatin1Char(','))));
    }
    return ExitOk;
}

int runJuryRemove(const Invocation &call)
{
    QCommandLineParser p;
    QStringList pos;
    if (!call.parse(p, 2, 2, &pos))
        return ExitUsage;
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::Error e;
    if (!storage::JuryRepository(*study).remove(pos[1], &e))
        return call.fail(e);
    call.print(QStringLiteral("Removed jury %1\n").arg(pos[1]));
    return ExitOk;
}

} // namespace cr::app
