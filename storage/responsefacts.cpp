#include "storage/responsefacts.h"

#include "storage/study.h"

#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

std::optional<QHash<qint64, ResponseFacts>> loadResponseFacts(Study &study, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT id, item_id, length(text) FROM response ORDER BY item_id, id"))) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    }
    QHash<qint64, ResponseFacts> out;
    qint64 item = -1;
    int position = 0;
    while (q.next()) {
        const qint64 itemId = q.value(1).toLongLong();
        position = itemId == item ? position + 1 : 0;
        item = itemId;
        out.insert(q.value(0).toLongLong(), { position, q.value(2).toInt() });
    }
    return out;
}

} // namespace cr::storage
