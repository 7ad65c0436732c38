#pragma once

#include "storage/review.h"

#include <QJsonArray>
#include <QString>

namespace cr::app {

/// `crisis-review disagreements --json`: one object per queue row (raters by pseudonym).
QJsonArray disagreementsToJson(const QList<storage::Disagreement> &rows);
/// The plain-text table of the same rows.
QString disagreementsToText(const QList<storage::Disagreement> &rows);

} // namespace cr::app
