#include "app/handlers.h"
#include "storage/study.h"
#include "storage/studyinfo.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cr::app {

namespace {

QJsonObject countsObject(const QList<storage::StudyInfo::Count> &counts)
{
    QJsonObject o;
    for (const auto &c : counts)
        o.insert(c.name, c.count);
    return o;
}

QJsonObject toJson(const storage::StudyInfo &info)
{
    QJsonArray models, raters, exposure, imports;
    for (const auto &i : info.imports)
        imports.append(QJsonObject { { QStringLiteral("id"), i.id }, { QStringLiteral("at"), i.at },
            { QStringLiteral("actor"), i.actor }, { QStringLiteral("format"), i.format },
            { QStringLiteral("files"), QJsonArray::fromStringList(i.files) },
            { QStringLiteral("summary"), QJsonDocument::fromJson(i.summaryJson.toUtf8()).object() },
            { QStringLiteral("skipped_rows"), i.skippedRows } });
    for (const auto &x : info.exposure)
        exposure.append(QJsonObject { { QStringLiteral("name"), x.name },
            { QStringLiteral("assigned"), x.assigned }, { QStringLiteral("done"), x.done },
            { QStringLiteral("skipped"), x.skipped },
            { QStringLiteral("distressing"), x.distressing },
            { QStringLiteral("sessions"), x.sessions },
            { QStringLiteral("shown_today"), x.shownToday },
            { QStringLiteral("shown_last_session"), x.shownLastSession },
            { QStringLiteral("max_shown_in_session"), x.maxShownInSession },
            { QStringLiteral("mean_shown_per_session"), x.shownPerSession } });
    for (const auto &m : info.modelRows)
        models.append(QJsonObject { { QStringLiteral("name"), m.name },
            { QStringLiteral("responses"), m.responses }, { QStringLiteral("runs"), m.runs } });
    for (const auto &r : info.raterRows)
        raters.append(
            QJsonObject { { QStringLiteral("name"), r.name }, { QStringLiteral("kind"), r.kind },
                { QStringLiteral("role"), r.role }, { QStringLiteral("pseudonym"), r.pseudonym },
                { QStringLiteral("assigned"), r.assigned }, { QStringLiteral("labels"), r.labels },
                { QStringLiteral("ratings"), r.ratings } });
    return QJsonObject { { QStringLiteral("path"), info.path },
        { QStringLiteral("title"), info.title }, { QStringLiteral("created_at"), info.createdAt },
        { QStringLiteral("app_version"), info.appVersion },
        { QStringLiteral("schema_version"), info.schemaVersion },
        { QStringLiteral("protocol"),
            QJsonObject { { QStringLiteral("name"), info.protocolName },
                { QStringLiteral("version"), info.protocolVersion },
                { QStringLiteral("hash"), info.protocolHash },
                { QStringLiteral("versions"), info.protocolVersions } } },
        { QStringLiteral("counts"),
            QJsonObject { { QStringLiteral("items"), info.items },
                { QStringLiteral("responses"), info.responses },
                { QStringLiteral("refusals"), info.refusals },
                { QStringLiteral("models"), info.models },
                { QStringLiteral("raters"), info.raters },
                { QStringLiteral("assignments"), info.assignments },
                { QStringLiteral("category_labels"), info.labels },
                { QStringLiteral("response_ratings"), info.ratings },
                { QStringLiteral("adjudications"), info.adjudications },
                { QStringLiteral("events"), info.events } } },
        { QStringLiteral("datasets"), countsObject(info.datasets) },
        { QStringLiteral("splits"), countsObject(info.splits) },
        { QStringLiteral("reference_labels"), countsObject(info.referenceLabels) },
        { QStringLiteral("models"), models }, { QStringLiteral("raters"), raters },
        { QStringLiteral("exposure"), exposure }, { QStringLiteral("imports"), imports } };
}

QString toText(const storage::StudyInfo &info)
{
    QString s;
    auto line = [&s](const QString &k, const QString &v) {
        s += k.leftJustified(16) + v + QLatin1Char('\n');
    };
    auto counts = [](const QList<storage::StudyInfo::Count> &list) {
        QStringList parts;
        for (const auto &c : list)
            parts.append(QStringLiteral("%1 %2")
                             .arg(c.name.isEmpty() ? QStringLiteral("(none)") : c.name)
                             .arg(c.count));
        return parts.join(QStringLiteral(", "));
    };
    line(QStringLiteral("Study"), info.title);
    line(QStringLiteral("File"), info.path);
    line(QStringLiteral("Created"), info.createdAt);
    line(QStringLiteral("Schema"), QString::number(info.schemaVersion));
    line(QStringLiteral("Protocol"),
        QStringLiteral("%1 %2 (%3)")
            .arg(info.protocolName, info.protocolVersion, info.protocolHash.left(12)));
    line(QStringLiteral("Items"), QString::number(info.items));
    line(QStringLiteral("  datasets"), counts(info.datasets));
    line(QStringLiteral("  splits"), counts(info.splits));
    line(QStringLiteral("  labels"), counts(info.referenceLabels));
    line(QStringLiteral("Responses"),
        QStringLiteral("%1 (%2 refusals)").arg(info.responses).arg(info.refusals));
    line(QStringLiteral("Models"), QString::number(info.models));
    for (const auto &m : info.modelRows)
        line(QStringLiteral("  ") + m.name,
            QStringLiteral("%1 responses, %2 run(s)").arg(m.responses).arg(m.runs));
    line(QStringLiteral("Raters"), QString::number(info.raters));
    for (const auto &r : info.raterRows)
        line(QStringLiteral("  ") + r.pseudonym,
            QStringLiteral("%1 (%2, %3): %4 assigned, %5 labels, %6 ratings")
                .arg(r.name, r.kind, r.role)
                .arg(r.assigned)
                .arg(r.labels)
                .arg(r.ratings));
    line(QStringLiteral("Exposure"),
        QStringLiteral("(human raters, for the supervising researcher)"));
    for (const auto &x : info.exposure)
        if (x.kind == QLatin1String("human"))
            line(QStringLiteral("  ") + x.name,
                QStringLiteral("%1 done, %2 skipped, %3 distressing; %4 session(s), %5 shown today,"
                               " %6 in the last session, mean %7 per session")
                    .arg(x.done)
                    .arg(x.skipped)
                    .arg(x.distressing)
                    .arg(x.sessions)
                    .arg(x.shownToday)
                    .arg(x.shownLastSession)
                    .arg(x.shownPerSession, 0, 'f', 1));
    line(QStringLiteral("Assignments"), QString::number(info.assignments));
    line(QStringLiteral("Labels"), QString::number(info.labels));
    line(QStringLiteral("Ratings"), QString::number(info.ratings));
    line(QStringLiteral("Adjudications"), QString::number(info.adjudications));
    line(QStringLiteral("Events"), QString::number(info.events));
    line(QStringLiteral("Imports"), QString::number(info.imports.size()));
    for (const auto &i : info.imports) {
        const QJsonObject c = QJsonDocument::fromJson(i.summaryJson.toUtf8()).object();
        QString what =
            QStringLiteral(
                "%1 %2, %3 file(s)%4: %5 item(s), %6 response(s), %7 label(s), %8 rating(s) added")
                .arg(i.at.left(19), i.format)
                .arg(i.files.size())
                .arg(i.files.isEmpty() ? QString()
                                       : QStringLiteral(" (%1%2)").arg(i.files.first(),
                                           i.files.size() > 1 ? QStringLiteral(", …") : QString()))
                .arg(c.value(QLatin1String("items_added")).toInteger())
                .arg(c.value(QLatin1String("responses_added")).toInteger())
                .arg(c.value(QLatin1String("labels_added")).toInteger())
                .arg(c.value(QLatin1String("ratings_added")).toInteger());
        // What the benchmark importer read differently (only the counts it recorded).
        const std::pair<const char *, const char *> readAs[] = { { "scores_from_strings",
                                                                     "score(s) given as strings" },
            { "scores_missing", "score(s) missing (NaN/empty)" },
            { "llm_labels_empty", "empty LLM label(s)" },
            { "labels_unknown", "unknown label(s) left out" },
            { "scores_on_identical_responses", "score(s) on identical responses" },
            { "cells_aligned_by_position", "cell(s) aligned by position" } };
        for (const auto &[key, text] : readAs) {
            if (const qint64 n = c.value(QLatin1String(key)).toInteger(); n > 0)
                what += QStringLiteral("; %1 %2").arg(n).arg(QLatin1String(text));
        }
        if (i.skippedRows > 0)
            what += QStringLiteral("; %1 invalid row(s) skipped (SELECT * FROM import_issue "
                                   "WHERE import_run_id = %2)")
                        .arg(i.skippedRows)
                        .arg(i.id);
        line(QStringLiteral("  #%1").arg(i.id), what);
    }
    return s;
}

} // namespace

int runInfo(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
    p.addOption(jsonOpt);
    int code = ExitOk;
    const auto study = call.parseAndOpenStudy(p, &code);
    if (!study)
        return code;
    const storage::StudyInfo info = storage::summarize(*study);
    if (p.isSet(jsonOpt))
        call.print(QString::fromUtf8(QJsonDocument(toJson(info)).toJson()));
    else
        call.print(toText(info));
    return ExitOk;
}

} // namespace cr::app
