#pragma once

#include "stats/results.h"
#include "storage/ratingdata.h"

#include <QHash>

namespace cr::stats {

/// LLM raters measured against the clinicians (issue 7), the `llm_vs_human`
/// section of `crisis-review stats --json` (named here as in the JSON):
/// - `categories[]`: each LLM classifier against each human rater and against the
///   clinicians' consensus (`human: "consensus"`: adjudicated, unanimous or
///   majority human label; reference labels are not clinicians and are left out):
///   n, cohen_kappa, percent_agreement, accuracy, macro_f1, confusion (rows = human,
///   columns = LLM, in `category_ids` order);
/// - `scores[]`: each LLM judge against each human rater and against the humans'
///   mean score: n, mae, rmse, within_one, kappa_quadratic, krippendorff_alpha_ordinal
///   and _interval; a judge run several times (`judge#1`, `judge#2`…) also as
///   `judge#mean`, the mean of its runs per response, with `run_raters`;
/// - `scores_over_clinicians[]`: per `scores[]` llm (raters, `judge#mean` rows, juries),
///   mae, rmse and within_one against each clinician averaged over the clinicians it
///   shares responses with (`clinicians`), each as {n, mean, min, max, sd} (sd: n - 1);
/// - `judge_consistency[]`: LLM raters named `judge#1`, `judge#2`… grouped by the
///   part before `#`, their runs taken as raters;
/// - `fleiss_all` (only when `fleissAll`): one Fleiss' kappa over every human and
///   LLM rater's category labels.
/// `labels` and `scores` must hold all raters (selection "all"). Undefined values
/// carry their reason. Pure computation, any thread.
/// Every cohen_kappa and kappa_quadratic also gets a seeded bootstrap interval
/// (`cohen_kappa_ci`, `kappa_quadratic_ci`) over the row's units.
LlmVsHuman llmVsHuman(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scores,
    const QHash<qint64, storage::Consensus> &consensus, bool fleissAll,
    const BootstrapSettings &bootstrap = {});
/// The same, filling `out` in place; its intervals are registered with `plan` and set by
/// plan.run(), before which `out` must not move.
void llmVsHuman(const storage::LabelMatrix &labels, const storage::ScoreMatrix &scores,
    const QHash<qint64, storage::Consensus> &consensus, bool fleissAll, IntervalPlan &plan,
    LlmVsHuman *out);

} // namespace cr::stats
