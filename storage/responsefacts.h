#pragma once

#include "storage/error.h"

#include <QHash>
#include <optional>

namespace cr::storage {

class Study;

/// What judge bias checks group responses by (issue 21).
struct ResponseFacts {
    int position = 0; ///< 0-based place of the response among its item's responses (id order)
    int length = 0; ///< characters of the response text
};

/// Per response id, its position in the item and its length. One query over `response`.
std::optional<QHash<qint64, ResponseFacts>> loadResponseFacts(Study &study, Error *error);

} // namespace cr::storage
