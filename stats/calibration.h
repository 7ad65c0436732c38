#pragma once

#include "stats/results.h"
#include "storage/ratingdata.h"
#include "storage/responsefacts.h"

#include <QHash>

namespace cr::stats {

/// Judge calibration (issue 21), `llm_vs_human.calibration[]` of `stats --json`:
/// for every LLM rater, "as good as a second clinician?" on the units (items for
/// labels, responses for scores) that the LLM and at least two clinicians rated:
/// - kind "category": Cohen's kappa of crisis categories; per category c the
///   one-vs-rest kappa of "is c" (codes 1/0) over the same items;
/// - kind "score": quadratic-weighted kappa of the 1–5 scores; per category the
///   responses of the items whose consensus category is c;
/// each cell with judge = mean kappa(LLM, clinician) over the clinicians,
/// clinicians = mean kappa over the clinician pairs, and their difference, each
/// with a seeded percentile bootstrap over the cell's units (same resamples for the
/// three, analysis::calibrate()). For scores also the bias checks: the LLM's and the
/// clinicians' mean score by response position in the item (A = first response by
/// id) and by response length tercile (characters), and the LLM's mean score minus
/// the clinicians' on responses of models of its own family (modelFamily()) and of
/// the others. `labels` and `scores` hold every rater (selection "all").
QList<JudgeCalibration> judgeCalibration(const storage::LabelMatrix &labels,
    const storage::ScoreMatrix &scores, const QHash<qint64, storage::ResponseFacts> &facts,
    const BootstrapSettings &bootstrap);
/// The same, appending to `out` in place; the intervals are registered with `plan` and
/// set by plan.run(), before which `out` must not move.
void judgeCalibration(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scores,
    const QHash<qint64, storage::ResponseFacts> &facts, IntervalPlan &plan,
    QList<JudgeCalibration> *out);

/// The model family of a model or LLM rater name (runs "name#2" count as "name"):
/// a known vendor ("openai" for gpt-*/o1/o3/o4, "anthropic" for claude, "google" for
/// gemini/gemma, "meta" for llama, "mistral" for mistral/mixtral, "microsoft" for phi),
/// else the name's first run of letters, lower case.
QString modelFamily(const QString &name);

} // namespace cr::stats
