#include "storage/studyinfo.h"

#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace cr::storage {

namespace {

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

StudyInfo summarize(Study &study)
{
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
    info.items = scalar(db, "SELECT count(*) FROM item");
    info.responses = scalar(db, "SELECT count(*) FROM response");
    info.refusals = scalar(db, "SELECT count(*) FROM response WHERE refusal <> 0");
    info.models = scalar(db, "SELECT count(*) FROM model");
    info.raters = scalar(db, "SELECT count(*) FROM rater");
    info.assignments = scalar(db, "SELECT count(*) FROM assignment");
    info.labels = scalar(db, "SELECT count(*) FROM category_label");
    info.ratings = scalar(db, "SELECT count(*) FROM response_rating");
    info.adjudications = scalar(db, "SELECT count(*) FROM adjudication");
    info.events = scalar(db, "SELECT count(*) FROM event");
    info.datasets = counts(db,
        "SELECT coalesce(dataset.name, ''), count(*) FROM item"
        " LEFT JOIN dataset ON dataset.id = item.dataset_id"
        " GROUP BY 1 ORDER BY 1");
    info.splits =
        counts(db, "SELECT coalesce(split, ''), count(*) FROM item GROUP BY 1 ORDER BY 1");
    info.referenceLabels = counts(db,
        "SELECT coalesce(reference_label, ''), count(*) FROM item"
        " GROUP BY 1 ORDER BY 1");
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral("SELECT model.name, count(response.id), count(DISTINCT run)"
                                  " FROM model LEFT JOIN response ON response.model_id = model.id"
                                  " GROUP BY model.id ORDER BY model.name")))
            while (q.next())
                info.modelRows.append(
                    { q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toInt() });
    }
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral(
                "SELECT name, kind, role, pseudonym,"
                " (SELECT count(*) FROM assignment a WHERE a.rater_id = rater.id),"
                " (SELECT count(*) FROM category_label l WHERE l.rater_id = rater.id),"
                " (SELECT count(*) FROM response_rating r WHERE r.rater_id = rater.id)"
                " FROM rater ORDER BY id")))
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
