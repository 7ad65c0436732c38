#include "app/handlers.h"
#include "protocol/protocol.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cr::app {

using storage::Error;

int parseInitOptions(
    const Invocation &call, QStringList *pos, protocol::Protocol *proto, QString *title)
{
    QCommandLineParser p;
    const QCommandLineOption protocolOpt(
        QStringLiteral("protocol"), QStringLiteral("Protocol JSON"), QStringLiteral("FILE"));
    const QCommandLineOption titleOpt(
        QStringLiteral("title"), QStringLiteral("Study title"), QStringLiteral("TEXT"));
    p.addOptions({ protocolOpt, titleOpt });
    if (!call.parse(p, 1, 1, pos))
        return ExitUsage;
    *proto = protocol::defaultProtocol();
    if (p.isSet(protocolOpt)) {
        QString problem;
        auto loaded = protocol::loadProtocolFile(p.value(protocolOpt), &problem);
        if (!loaded) {
            call.message(QStringLiteral("crisis-review: ") + problem);
            return ExitInvalidInput;
        }
        *proto = *loaded;
    }
    *title = p.isSet(titleOpt) ? p.value(titleOpt) : QString();
    return ExitOk;
}

int runInit(const Invocation &call)
{
    QStringList pos;
    protocol::Protocol proto;
    QString given;
    if (const int code = parseInitOptions(call, &pos, &proto, &given); code != ExitOk)
        return code;
    const QString title = given.isNull() ? QFileInfo(pos[0]).completeBaseName() : given;
    Error e;
    auto study = storage::Study::create(pos[0], proto, title, &e);
    if (!study)
        return call.fail(e);
    call.print(QStringLiteral("Created %1 (protocol %2 %3)\n")
                   .arg(pos[0], proto.version, proto.contentHash().left(12)));
    return ExitOk;
}

int runRaterAdd(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption kindOpt(QStringLiteral("kind"), QStringLiteral("human or llm"),
        QStringLiteral("KIND"), QStringLiteral("human"));
    const QCommandLineOption roleOpt(QStringLiteral("role"), QStringLiteral("Role"),
        QStringLiteral("ROLE"), QStringLiteral("rater"));
    p.addOptions({ kindOpt, roleOpt });
    QStringList pos;
    if (!call.parse(p, 2, 2, &pos))
        return ExitUsage;
    const auto kind = storage::raterKindFromString(p.value(kindOpt));
    const auto role = storage::raterRoleFromString(p.value(roleOpt));
    if (!kind || !role) {
        call.message(QStringLiteral("crisis-review: --kind must be human or llm and --role "
                                    "rater, adjudicator or researcher"));
        return ExitUsage;
    }
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    Error e;
    const auto r = storage::RaterRepository(*study).add(pos[1], *kind, *role, &e);
    if (!r)
        return call.fail(e);
    call.print(
        QStringLiteral("Added rater %1 (%2, %3) as %4\n")
            .arg(r->name, storage::toString(r->kind), storage::toString(r->role), r->pseudonym));
    return ExitOk;
}

int runRaterList(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
    p.addOption(jsonOpt);
    int code = ExitOk;
    const auto study = call.parseAndOpenStudy(p, &code);
    if (!study)
        return code;
    const auto raters = storage::RaterRepository(*study).all();
    if (p.isSet(jsonOpt)) {
        QJsonArray array;
        for (const auto &r : raters)
            array.append(QJsonObject { { QStringLiteral("name"), r.name },
                { QStringLiteral("kind"), storage::toString(r.kind) },
                { QStringLiteral("role"), storage::toString(r.role) },
                { QStringLiteral("pseudonym"), r.pseudonym } });
        call.print(QString::fromUtf8(QJsonDocument(array).toJson()));
    } else {
        for (const auto &r : raters)
            call.print(QStringLiteral("%1\t%2\t%3\t%4\n")
                           .arg(r.pseudonym, r.name, storage::toString(r.kind),
                               storage::toString(r.role)));
    }
    return ExitOk;
}

namespace {

/// The raters `--raters` names, by id; an unknown name is invalid input, a repeated one a
/// usage error.
int raterIds(const Invocation &call, storage::Study &study, const QString &names,
    const QString &studyPath, QList<qint64> *ids)
{
    storage::RaterRepository raters(study);
    for (const QString &name : names.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto r = raters.byName(name.trimmed());
        if (!r) {
            call.message(QStringLiteral(
                "crisis-review: no rater '%1' in %2 (add it with `crisis-review rater add`)")
                             .arg(name.trimmed(), studyPath));
            return ExitInvalidInput;
        }
        if (ids->contains(r->id)) {
            call.message(QStringLiteral("crisis-review: rater '%1' is listed twice").arg(r->name));
            return ExitUsage;
        }
        ids->append(r->id);
    }
    return ExitOk;
}

/// The items `--calibration` names, by id; an unknown one is invalid input.
int calibrationIds(const Invocation &call, storage::Study &study, const QString &externalIds,
    const QString &studyPath, QList<qint64> *ids)
{
    storage::ItemRepository items(study);
    for (const QString &id : externalIds.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto item = items.byExternalId(id.trimmed());
        if (!item) {
            call.message(
                QStringLiteral("crisis-review: no item '%1' in %2").arg(id.trimmed(), studyPath));
            return ExitInvalidInput;
        }
        ids->append(item->id);
    }
    return ExitOk;
}

} // namespace

int runAssign(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption ratersOpt(
        QStringLiteral("raters"), QStringLiteral("Raters"), QStringLiteral("NAMES"));
    const QCommandLineOption perItemOpt(
        QStringLiteral("per-item"), QStringLiteral("Raters per item"), QStringLiteral("K"));
    const QCommandLineOption seedOpt(
        QStringLiteral("seed"), QStringLiteral("Seed"), QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption calibrationOpt(QStringLiteral("calibration"),
        QStringLiteral("Items every rater gets"), QStringLiteral("IDS"));
    p.addOptions({ ratersOpt, perItemOpt, seedOpt, calibrationOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    bool okK = false, okSeed = false;
    const int perItem = p.value(perItemOpt).toInt(&okK);
    const quint64 seed = p.value(seedOpt).toULongLong(&okSeed);
    if (!p.isSet(ratersOpt) || !okK || !okSeed)
        return call.usageError();
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    QList<qint64> ids, calibration;
    code = raterIds(call, *study, p.value(ratersOpt), pos[0], &ids);
    if (code == ExitOk)
        code = calibrationIds(call, *study, p.value(calibrationOpt), pos[0], &calibration);
    if (code != ExitOk)
        return code;
    Error e;
    const int added =
        storage::AssignmentRepository(*study).assign(ids, perItem, seed, calibration, &e);
    if (added < 0)
        return call.fail(e);
    call.print(QStringLiteral("Assigned %1 new item(s) across %2 rater(s), %3 per item\n")
                   .arg(added)
                   .arg(ids.size())
                   .arg(perItem));
    return ExitOk;
}

} // namespace cr::app
