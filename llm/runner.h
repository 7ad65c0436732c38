#pragma once

#include "llm/endpoint.h"
#include "llm/prompts.h"
#include "storage/error.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace cr::storage {
class Study;
}

namespace cr::llm {

/// How a run goes: what it asks, of which endpoint, and its limits.
struct RunOptions {
    Task task = Task::Judge;
    EndpointProfile endpoint;
    int runs = 1;
    QStringList models; ///< judge: response models to score (empty: all)
    bool dryRun = false;
    int maxParseFailures = 3; ///< failed parses of one unit before it is given up
    int maxTransientFailures = 6; ///< 429/5xx/timeouts/dropped connections of one unit
    int backoffMs = 500; ///< first back-off after a 5xx or timeout; doubles, at most 30 s
    int maxRetryAfterSeconds = 120;
    /// Called on the run's thread about every 250 ms and at the end.
    std::function<void(const struct RunProgress &)> progress;
    /// Polled about every 100 ms: true stops the run (what is done is kept).
    std::function<bool()> cancelled;
};

struct RunProgress {
    qint64 total = 0; ///< units to do in this invocation
    qint64 done = 0;
    qint64 failedUnits = 0; ///< given up after the retry limits (no result stored)
    qint64 attempts = 0;
    qint64 failedAttempts = 0;
    double requestsPerSecond = 0;
};

struct RunSummary {
    RunProgress progress;
    qint64 alreadyDone = 0; ///< units with a result before this invocation
    qint64 skippedNoCategory = 0; ///< judge: responses whose item has no category
    qint64 promptTokensEstimate = 0; ///< dry run: about 4 characters a token
    qint64 completionTokensLimit = 0; ///< dry run: max_tokens × requests
    bool cancelled = false;
    /// Non-empty when the endpoint refused the run (a 4xx other than 429): why.
    QString stopReason;
    qint64 runId = 0;
};

/// Runs (or with dryRun only counts) an LLM task over a study, blocking with a local event
/// loop: requests to the endpoint at most `concurrency` at a time and `rpm` a minute, each
/// attempt stored with its raw reply, each parsed result written through the study's
/// audit-logged writers in batches. Resumable: units with a result are not asked again.
/// nullopt (`*error`) for a storage failure or an unusable setup (no key, bad template).
std::optional<RunSummary> runTask(
    storage::Study &study, const RunOptions &options, storage::Error *error);

} // namespace cr::llm
