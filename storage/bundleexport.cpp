// The per-rater bundle: ratings JSONL (FORMATS.md §1) with real rater names, which
// `crisis-review import` merges into a master study (items matched by item id).
#include "storage/exporter.h"
#include "storage/package.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

namespace {

/// A bundle exported from a rater package names the package on every line, so that
/// the master merges it through the package's key (storage/package.h).
bool writeLine(
    QIODevice &out, QJsonObject o, const std::optional<PackageInfo> &package, Error *error)
{
    if (package) {
        o.insert(QStringLiteral("package"), package->packageId);
        o.insert(QStringLiteral("package_master"), package->masterStudyId);
    }
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    if (out.write(line) == line.size())
        return true;
    *error = Error::storage(QStringLiteral("cannot write the bundle: ") + out.errorString());
    return false;
}

} // namespace

qint64 Exporter::writeBundle(QIODevice &out, const ExportOptions &options, Error *error)
{
    const RaterSelection all { RaterSelection::Kind::All, {} };
    ExportFilters filters = options.filters;
    if (!options.bundleRater.isEmpty())
        filters.raters = RaterSelection { RaterSelection::Kind::Named, { options.bundleRater } };
    const auto filter = ResolvedExportFilter::resolve(m_study, filters, all, error);
    if (!filter)
        return -1;
    QSqlQuery q(m_study.database());
    q.setForwardOnly(true);
    auto fail = [&] {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + q.lastError().text());
        return qint64(-1);
    };
    qint64 rows = 0;
    const std::optional<PackageInfo> package = packageInfo(m_study);
    // Category labels: one line per (rater, item).
    if (!q.exec(QStringLiteral(
            "SELECT rater.id, rater.name, rater.kind, item.id, item.external_id, item.split,"
            " l.category, l.note, l.updated_at FROM category_label l"
            " JOIN item ON item.id = l.item_id JOIN rater ON rater.id = l.rater_id"
            " ORDER BY item.id, rater.name")))
        return fail();
    while (q.next()) {
        if (!filter->keepRater(q.value(0).toLongLong())
            || !filter->keepItem(q.value(3).toLongLong(), q.value(5).toString().toUtf8()))
            continue;
        QJsonObject o { { QStringLiteral("rater"), q.value(1).toString() },
            { QStringLiteral("rater_kind"), q.value(2).toString() },
            { QStringLiteral("item_id"), q.value(4).toString() },
            { QStringLiteral("category"), q.value(6).toString() },
            { QStringLiteral("rated_at"), q.value(8).toString() } };
        if (!q.value(7).isNull())
            o.insert(QStringLiteral("note"), q.value(7).toString());
        if (!writeLine(out, o, package, error))
            return -1;
        ++rows;
    }
    // Response ratings: one line per (rater, response).
    if (!q.exec(QStringLiteral(
            "SELECT rater.id, rater.name, rater.kind, item.id, item.external_id, item.split,"
            " response.id, model.name, response.run, rr.score, rr.cannot_assess,"
            " rr.checklist, rr.rationale, rr.seconds_spent, rr.updated_at"
            " FROM response_rating rr JOIN response ON response.id = rr.response_id"
            " JOIN item ON item.id = response.item_id JOIN model ON model.id = response.model_id"
            " JOIN rater ON rater.id = rr.rater_id"
            " ORDER BY item.id, model.name, response.run, rater.name")))
        return fail();
    while (q.next()) {
        if (!filter->keepRater(q.value(0).toLongLong())
            || !filter->keepItem(q.value(3).toLongLong(), q.value(5).toString().toUtf8())
            || !filter->keepResponse(q.value(6).toLongLong(), q.value(7).toString().toUtf8()))
            continue;
        QJsonObject o { { QStringLiteral("rater"), q.value(1).toString() },
            { QStringLiteral("rater_kind"), q.value(2).toString() },
            { QStringLiteral("item_id"), q.value(4).toString() },
            { QStringLiteral("model"), q.value(7).toString() },
            { QStringLiteral("run"), q.value(8).toInt() },
            { QStringLiteral("score"),
                q.value(9).isNull() ? QJsonValue() : QJsonValue(q.value(9).toInt()) },
            { QStringLiteral("cannot_assess"), q.value(10).toInt() != 0 },
            { QStringLiteral("rated_at"), q.value(14).toString() } };
        if (!q.value(11).isNull())
            o.insert(QStringLiteral("checklist"),
                QJsonDocument::fromJson(q.value(11).toByteArray()).array());
        if (!q.value(12).isNull())
            o.insert(QStringLiteral("rationale"), q.value(12).toString());
        if (!q.value(13).isNull())
            o.insert(QStringLiteral("seconds_spent"), q.value(13).toDouble());
        if (!writeLine(out, o, package, error))
            return -1;
        if (++rows % 4096 == 0 && options.progress)
            options.progress(rows, -1);
    }
    if (options.progress)
        options.progress(rows, rows);
    return rows;
}

} // namespace cr::storage
