#pragma once

#include "stats/results.h"
#include "storage/error.h"
#include "storage/ratingdata.h"

namespace cr::storage {
class Study;
}

namespace cr::stats {

struct StatsOptions {
    storage::RaterSelection raters;
    double harmThreshold = 2.0;
    int bootstrap = 1000;
    quint64 seed = 1;
    int threads = 0; ///< 0 = all cores
    /// Adds llm_vs_human.fleiss_all: one Fleiss' kappa over all human and LLM raters.
    bool fleissAll = false;
    storage::RatingFilter filter; ///< applied when the ratings are loaded
    /// When both are set, the result gets a confusion section: reference vs
    /// predicted category per item. Each is "consensus" (consensusCategories()) or a
    /// rater selection ("human", "llm", "all", "NAME,NAME"); a selection with several
    /// raters contributes its unique most frequent label per item (ties are left out).
    QString confusionReference;
    QString confusionPredicted;
    /// Score band cut points (`--bands 2.3,3.6`): adds per model the share of consensus
    /// scores in each band ([1, c1], (c1, c2], …, (ck, 5], Wilson 95%) and the mean
    /// per-response SD of the selected raters' scores. Empty = neither.
    QList<double> bands;
    /// Where harm by category takes an item's category from (`--category-source`):
    /// empty = the consensus category, unechoed (today's output); otherwise
    /// storage::CategorySource syntax ("consensus", "reference" or "RATER,RATER…").
    QString categorySource;
    /// Counts empty LLM labels (storage kEmptyCategory) as a category of their own in the
    /// category statistics (`--empty-label-as-category`); off = missing, as by default.
    bool emptyLabelAsCategory = false;
    /// Target 95% interval width for planning (`--plan-width W`, e.g. 0.1); 0 = no planning.
    double planWidth = 0.0;
};

/// "consensus" as a confusion side.
inline constexpr auto kConsensus = "consensus";

/// Computes the study's agreement and harm statistics (issue "statistics engine").
/// Undefined values carry the reason (Maybe::reason). toJson() (statsjson.h) gives
/// the document of `crisis-review stats --json`, statsToText() (statstext.h) its tables.
std::optional<StatsResult> computeStats(
    storage::Study &study, const StatsOptions &options, storage::Error *error);

} // namespace cr::stats
