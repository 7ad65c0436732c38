#pragma once

#include "storage/review.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <cstdio>

namespace cr::app {

/// `crisis-review disagreements --json`: one object per queue row (raters by pseudonym).
QJsonObject disagreementToJson(const storage::Disagreement &row);
QJsonArray disagreementsToJson(const QList<storage::Disagreement> &rows);
/// The plain-text table of the same rows.
QString disagreementsToText(const QList<storage::Disagreement> &rows);

/// What the command writes: the bytes of QJsonDocument(disagreementsToJson(rows)).toJson()
/// and of disagreementsToText(rows), written a row at a time (no whole document in memory).
void writeDisagreementsJson(const QList<storage::Disagreement> &rows, std::FILE *out);
void writeDisagreementsText(const QList<storage::Disagreement> &rows, std::FILE *out);

} // namespace cr::app
