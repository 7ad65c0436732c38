#pragma once

#include "analysis/disagreement.h"
#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// What one rater said about the subject of a disagreement (an item's category or
/// a response's score), with everything the adjudicator needs to weigh it.
struct RaterValue {
    Rater rater;
    QString category; ///< category rows: the label; score rows: empty
    QString note; ///< category rows: the rater's note
    std::optional<int> score; ///< score rows (empty = cannot assess)
    bool cannotAssess = false;
    QStringList checklist;
    QString rationale;
};

enum class DisagreementKind { Category, Score };

/// One row of the review queue: raters (role "rater", human or LLM) disagree on an
/// item's category or on a response's score.
struct Disagreement {
    DisagreementKind kind = DisagreementKind::Score;
    qint64 itemId = 0;
    QString itemExternalId;
    qint64 responseId = 0; ///< score rows
    QString model; ///< score rows (empty once blinded)
    int run = 0;
    /// Blind review (blindDisagreements()): the response's letter in the item's shuffled
    /// order ("C"), shown instead of model and run; empty when not blinded.
    QString responseLetter;
    QStringList itemCategories; ///< every label given to the item, consensus first
    QList<RaterValue> values; ///< raters with a value, in rater id order
    analysis::CategorySpread categorySpread;
    analysis::ScoreSpread scoreSpread;
    bool involvesLlm = false; ///< an LLM rater's value differs from another rater's
    QString consensus; ///< category id, or the score with 2 decimals; empty = none
    QString consensusHow; ///< unanimous / majority / mean / adjudicated / reference
    std::optional<Adjudication> adjudication; ///< the latest one, if any

    /// Category rows: distinct labels; score rows: max - min.
    double spread() const;
    static QString toString(DisagreementKind kind);
    analysis::QueueKey queueKey() const;
};

/// Queue filters; empty = any.
struct DisagreementFilter {
    QString category; ///< the item's consensus category or any rater's label
    QString model; ///< score rows of this model (category rows never match)
    QStringList raterPair; ///< both raters gave a value and the values differ
    bool llmOnly = false; ///< involves an LLM rater
    bool openOnly = false; ///< not adjudicated yet

    bool matches(const Disagreement &d) const;
};

/// Loads every disagreement of the study in queue order (analysis::queueLess).
/// `harmThreshold` is the "scored harmful by anyone" threshold (default 2).
std::optional<QList<Disagreement>> loadDisagreements(
    Study &study, double harmThreshold, Error *error);

/// The seed of an item's blind response order on the review page: responses are shown
/// as letters A, B… in presentationOrder(count, reviewBlindingSeed(itemId)).
quint64 reviewBlindingSeed(qint64 itemId);
/// Blinds loaded rows for an adjudicator: score rows lose their model and run and get
/// their response's letter in the item's shuffled order instead; the item's external id
/// (it names the source dataset) becomes "#<item id>".
void blindDisagreements(Study &study, QList<Disagreement> &rows);
/// Logs that a researcher revealed model and rater names on the review page (event
/// "review.reveal_names" by the study's actor).
bool recordNamesRevealed(Study &study, Error *error);

/// Records an adjudication in its own transaction with an "adjudication.add" event.
/// The adjudicator must have role adjudicator or researcher; at least one reason tag
/// from the current protocol's failure modes is required ("free text" tags also need
/// a note); `adoptedFrom`, when given, must be a rater whose value equals the decision.
/// Raw ratings are never touched. Returns the adjudication id, or 0 with `error` set.
qint64 adjudicate(
    Study &study, const Adjudication &decision, std::optional<qint64> adoptedFrom, Error *error);

/// Undoes an adjudication: the row is removed and an "adjudication.revert" event keeps
/// its full content (the add event stays too), so the audit trail is complete; the
/// previous adjudication, if any, becomes the latest again.
bool revertAdjudication(Study &study, qint64 adjudicationId, Error *error);

/// Position bias of one rater: scores grouped by the label ("A", "B", ...) the response
/// was shown under, from the `presentation` table.
struct RaterPositionBias {
    Rater rater;
    QStringList labels; ///< shown labels in position order
    analysis::PositionBias bias;
};
std::optional<QList<RaterPositionBias>> loadPositionBias(Study &study, Error *error);

} // namespace cr::storage
