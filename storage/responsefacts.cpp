#include "storage/responsefacts.h"

#include "storage/statement.h"
#include "storage/study.h"

namespace cr::storage {

std::optional<QHash<qint64, ResponseFacts>> loadResponseFacts(Study &study, Error *error)
{
    // Native statement (RowCursor): one row per response.
    RowCursor q(study.database());
    if (!q.prepare("SELECT id, item_id, length(text) FROM response ORDER BY item_id, id")) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.errorMessage());
        return std::nullopt;
    }
    QHash<qint64, ResponseFacts> out;
    qint64 item = -1;
    int position = 0;
    while (q.next()) {
        const qint64 itemId = q.integer(1);
        position = itemId == item ? position + 1 : 0;
        item = itemId;
        out.insert(q.integer(0), { position, int(q.integer(2)) });
    }
    if (!q.errorMessage().isEmpty()) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.errorMessage());
        return std::nullopt;
    }
    return out;
}

} // namespace cr::storage
