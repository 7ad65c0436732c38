#pragma once

#include "storage/error.h"

#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace cr::storage {

class Study;

/// A response's consensus score and how it was reached: "adjudicated" (the latest
/// adjudication of the response), else over the human raters of role "rater":
/// "unanimous" (every score equal) or "mean" (their mean). `n` = human scores.
struct ScoreConsensus {
    double score = 0;
    QString how;
    int n = 0;
};

/// Consensus scores of every response that has one (responses without human
/// scores and without an adjudication are absent); with `only`, of those responses only.
std::optional<QHash<qint64, ScoreConsensus>> consensusScores(
    Study &study, Error *error, const QList<qint64> *only = nullptr);

/// The consensus rules, as shown on the review page and recorded in export manifests.
QString consensusRuleText();

} // namespace cr::storage
