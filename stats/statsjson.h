#pragma once

#include "stats/results.h"

#include <QByteArray>
#include <QJsonObject>

namespace cr::stats {

/// The document of `crisis-review stats --json` (the JSON contract): sections
/// category_agreement, score_agreement, harm, score_distribution, llm_vs_human and,
/// when present, filters and confusion. Undefined values are null with a sibling
/// "<key>_note" giving the reason. The only place that knows the document's names.
QJsonObject toJson(const StatsResult &result);
/// toJson() as indented UTF-8 text, as `stats --json` prints it.
QByteArray toJsonText(const StatsResult &result);

/// The filter as the document's "filters" object (null members are open).
QJsonObject filterToJson(const storage::RatingFilter &filter);

} // namespace cr::stats
