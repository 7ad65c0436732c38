#pragma once

#include "storage/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// What an LLM run does and under which settings (stored in llm_run; no URL, no key).
struct LlmRunRecipe {
    QString task; ///< "respond", "classify" or "judge"
    QString endpoint; ///< the profile's name
    QString model; ///< the profile's model: classify/judge raters are MODEL:TASK#N
    int runs = 1;
    QStringList models; ///< judge: the response models scored (empty: all)
    QByteArray paramsJson; ///< temperature, max_tokens, seed, timeout (compact JSON)
    QString templateHash;
};

/// One unit of work: an item (classify, respond) or a response (judge), for one run.
struct LlmUnit {
    qint64 itemId = 0;
    QString externalId;
    QStringList turns;
    QString category; ///< judge: the item's category (reference label, else human majority)
    qint64 responseId = 0;
    QString responseModel;
    int responseRun = 1;
    QString responseText;
    int run = 1;
    /// The rater (classify, judge) or model (respond) the result is stored under.
    QString target;
};

/// The units a recipe asks for, split into those still to do and those done.
struct LlmPlan {
    QList<LlmUnit> pending;
    qint64 done = 0;
    /// judge: responses whose item has no category (no reference label, no human label).
    qint64 skippedNoCategory = 0;
};

/// One request sent for a unit, with what came back.
struct LlmAttempt {
    qint64 itemId = 0;
    qint64 responseId = 0;
    int run = 1;
    QString target;
    int attempt = 1;
    QString promptHash;
    QByteArray promptJson;
    int httpStatus = 0; ///< 0: no HTTP reply (timeout, dropped connection)
    QByteArray rawReply;
    QString serverModel;
    QString finishReason;
    std::optional<qint64> promptTokens;
    std::optional<qint64> completionTokens;
    double latencyMs = 0;
    QString error; ///< empty when the attempt gave a result
    QString result; ///< the parsed value (category id, score, or "response")
};

/// A unit's parsed result, stored through the audit-logged record writer.
struct LlmResult {
    LlmUnit unit;
    QString category; ///< classify
    int score = 0; ///< judge
    QString text; ///< respond
    std::optional<qint64> tokens; ///< respond
};

/// The study side of `crisis-review llm` (all its SQL).
class LlmRunStore {
public:
    explicit LlmRunStore(Study &study);

    /// The units of the recipe; a unit is done when its result is stored.
    std::optional<LlmPlan> plan(const LlmRunRecipe &recipe, Error *error);
    /// Records the run's recipe (llm_run, event llm.run); returns its id.
    qint64 startRun(const LlmRunRecipe &recipe, Error *error);
    /// Writes attempts and results in one transaction (labels and ratings through the
    /// record writer, with their audit events; responses as model `target`, run `run`).
    bool write(qint64 runId, const QList<LlmAttempt> &attempts, const QList<LlmResult> &results,
        Error *error);
    /// Stores the run's final summary (JSON) on its llm_run row.
    bool finishRun(qint64 runId, const QByteArray &summaryJson, Error *error);

private:
    Study &m_study;
};

} // namespace cr::storage
