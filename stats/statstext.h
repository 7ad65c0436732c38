#pragma once

#include "stats/results.h"

#include <QString>

namespace cr::stats {

/// The human-readable tables of `crisis-review stats` (without --json).
QString statsToText(const StatsResult &stats);
/// The tables of the LLM-vs-clinicians section alone.
QString llmVsHumanToText(const LlmVsHuman &section);

} // namespace cr::stats
