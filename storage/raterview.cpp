#include "storage/raterview.h"

#include "storage/exposure.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

std::optional<RaterItem> loadRaterItem(Study &study, const Assignment &assignment, Error *error)
{
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("SELECT turns FROM item WHERE id = ?"));
    q.addBindValue(assignment.itemId);
    if (!q.exec() || !q.next()) {
        if (error)
            *error = q.lastError().isValid()
                ? Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text())
                : Error::invalid(
                    QStringLiteral("item %1 is not in the study").arg(assignment.itemId));
        return std::nullopt;
    }
    RaterItem out;
    out.itemId = assignment.itemId;
    for (const QJsonValue &turn : QJsonDocument::fromJson(q.value(0).toByteArray()).array())
        out.turns.append(turn.toString());
    // The order responses are listed in for presentationOrder (ItemRepository::responses):
    // by model and run, which are sorted on here and never read out.
    QSqlQuery r(study.database());
    r.prepare(QStringLiteral("SELECT response.id, response.text FROM response"
                             " JOIN model ON model.id = response.model_id"
                             " WHERE item_id = ? ORDER BY model.name, run"));
    r.addBindValue(assignment.itemId);
    bool ok = r.exec();
    if (!ok && Study::isServerLocation(study.path())) {
        // A rater's server login may not read models at all (docs/POSTGRES-SECURITY.md):
        // its view has the same order as a number, base_order.
        r.prepare(QStringLiteral("SELECT id, text FROM my_response WHERE item_id = ?"
                                 " ORDER BY base_order"));
        r.addBindValue(assignment.itemId);
        ok = r.exec();
    }
    if (!ok) {
        if (error)
            *error = Error::storage(study.path() + QStringLiteral(": ") + r.lastError().text());
        return std::nullopt;
    }
    QList<qint64> ids;
    QStringList texts;
    while (r.next()) {
        ids.append(r.value(0).toLongLong());
        texts.append(r.value(1).toString());
    }
    for (const int position : presentationOrder(int(ids.size()), assignment.seed)) {
        out.responseIds.append(ids.at(position));
        out.responseTexts.append(texts.at(position));
    }
    return out;
}

} // namespace cr::storage
