#pragma once

#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// What a signed-in rater is given for one assigned item, and nothing more: the
/// study's number of the item, its text, and its responses (id and text) in the
/// rater's shown order (presentationOrder of the assignment's seed). No external id,
/// dataset, split, reference label, metadata, model, run, token count or anyone
/// else's values: the rating page is built from this, so it cannot show them.
struct RaterItem {
    qint64 itemId = 0;
    QStringList turns;
    QList<qint64> responseIds; ///< position 0 is "Response A"
    QStringList responseTexts;
};

/// Loads `assignment`'s item for its rater; nullopt with `error` when it is gone.
std::optional<RaterItem> loadRaterItem(Study &study, const Assignment &assignment, Error *error);

} // namespace cr::storage
