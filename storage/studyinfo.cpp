#include "storage/studyinfo.h"

#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <atomic>

namespace cr::storage {

namespace {

std::atomic<qint64> summaries { 0 };

qint64 scalar(const QSqlDatabase &db, const char *sql)
{
    QSqlQuery q(db);
    if (q.exec(QString::fromLatin1(sql)) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

QList<StudyInfo::Count> counts(const QSqlDatabase &db, const char *sql)
{
    QList<StudyInfo::Count> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (q.exec(QString::fromLatin1(sql)))
        while (q.next())
            out.append({ q.value(0).toString(), q.value(1).toLongLong() });
    return out;
}

} // namespace

qint64 summarizeCount()
{
    return summaries.load();
}

StudyInfo summarize(Study &study)
{
    ++summaries;
    const QSqlDatabase db = study.database();
    StudyInfo info;
    info.path = study.path();
    info.title = study.title();
    info.createdAt = study.metaValue(QStringLiteral("created_at"));
    info.appVersion = study.metaValue(QStringLiteral("app_version"));
    info.schemaVersion = study.schemaVersion();
    {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT name, version, hash, (SELECT count(*) FROM protocol)"
                                  " FROM protocol ORDER BY id DESC LIMIT 1"))
            && q.next()) {
            info.protocolName = q.value(0).toString();
            info.protocolVersion = q.value(1).toString();
            info.protocolHash = q.value(2).toString();
            info.protocolVersions = q.value(3).toInt();
        }
    }
    // Counts come from the tally tables the schema's triggers keep (schema step 10): a
    // few rows per dataset/split/label, model × run and rater, whatever the study's size.
    info.items = scalar(db, "SELECT coalesce(sum(n), 0) FROM tally_item");
    info.responses = scalar(db, "SELECT coalesce(sum(n), 0) FROM tally_response");
    info.refusals = scalar(db, "SELECT coalesce(sum(refusals), 0) FROM tally_response");
    info.models = scalar(db, "SELECT count(*) FROM model");
    info.raters = scalar(db, "SELECT count(*) FROM rater");
    info.assignments = scalar(db, "SELECT coalesce(sum(assigned), 0) FROM tally_rater");
    info.labels = scalar(db, "SELECT coalesce(sum(labels), 0) FROM tally_rater");
    info.ratings = scalar(db, "SELECT coalesce(sum(ratings), 0) FROM tally_rater");
    info.adjudications = scalar(db, "SELECT adjudications FROM tally_study");
    info.events = scalar(db, "SELECT events FROM tally_study");
    info.datasets = counts(db,
        "SELECT coalesce(dataset.name, ''), sum(n) FROM tally_item"
        " LEFT JOIN dataset ON dataset.id = tally_item.dataset_id"
        " GROUP BY 1 ORDER BY 1");
    info.splits = counts(db, "SELECT split, sum(n) FROM tally_item GROUP BY 1 ORDER BY 1");
    info.referenceLabels =
        counts(db, "SELECT reference_label, sum(n) FROM tally_item GROUP BY 1 ORDER BY 1");
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral("SELECT model.name, coalesce(sum(t.n), 0), count(t.run)"
                                  " FROM model LEFT JOIN tally_response t ON t.model_id = model.id"
                                  " GROUP BY model.id ORDER BY model.name")))
            while (q.next())
                info.modelRows.append(
                    { q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toInt() });
    }
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral(
                "SELECT name, kind, role, pseudonym, coalesce(t.assigned, 0),"
                " coalesce(t.labels, 0), coalesce(t.ratings, 0)"
                " FROM rater LEFT JOIN tally_rater t ON t.rater_id = rater.id ORDER BY rater.id")))
            while (q.next())
                info.raterRows.append({ q.value(0).toString(), q.value(1).toString(),
                    q.value(2).toString(), q.value(3).toString(), q.value(4).toLongLong(),
                    q.value(5).toLongLong(), q.value(6).toLongLong() });
    }
    info.exposure = ExposureRepository(study).summary();
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral(
                "SELECT id, at, coalesce(actor, ''), format, files, summary,"
                " (SELECT count(*) FROM import_issue i WHERE i.import_run_id = import_run.id)"
                " FROM import_run ORDER BY id")))
            while (q.next()) {
                QStringList files;
                for (const auto &f : QJsonDocument::fromJson(q.value(4).toByteArray()).array())
                    files.append(f.toString());
                info.imports.append({ q.value(0).toLongLong(), q.value(1).toString(),
                    q.value(2).toString(), q.value(3).toString(), files, q.value(5).toString(),
                    q.value(6).toLongLong() });
            }
    }
    return info;
}

} // namespace cr::storage
