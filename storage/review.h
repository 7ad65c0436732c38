#pragma once

#include "analysis/disagreement.h"
#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

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

/// Loads every disagreement of the study in queue order (analysis::queueLess), the whole
/// queue in memory: for small studies and as the reference the streamed queue
/// (DisagreementQueue) is tested against. `harmThreshold` is the "scored harmful by
/// anyone" threshold (default 2).
std::optional<QList<Disagreement>> loadDisagreements(
    Study &study, double harmThreshold, Error *error);

/// The review queue without its rows: one compact key per disagreement (about 40 bytes:
/// ids and what the order depends on), filtered and in queue order, from one streamed
/// read of the labels and one of the scores (RowCursor, row by row on both engines).
/// The rows themselves are fetched a page at a time (fetch()), so a caller holds at most
/// the keys and one page; the rows equal those of loadDisagreements() that pass the
/// filter, in the same order.
class DisagreementQueue final {
public:
    /// What the queue keeps of a row (32 bytes).
    struct Entry {
        qint64 itemId = 0;
        qint64 responseId = 0; ///< 0 = the item's category row
        double distance = 0; ///< score rows
        float range = 0; ///< score rows (a difference of 1-5 scores: exact)
        qint16 distinct = 0; ///< category rows
        bool adjudicated = false;
        bool harmfulByAnyone = false;
        bool category() const { return responseId == 0; }
    };

    /// Reads the keys of the rows that pass `filter` (model and rater pair by name, as
    /// DisagreementFilter::matches) and, when `items` is given, belong to those items.
    static std::optional<DisagreementQueue> build(Study &study, double harmThreshold,
        const DisagreementFilter &filter, const std::optional<QSet<qint64>> &items, Error *error);

    /// The rows a streamed reader fetches at a time.
    static constexpr qsizetype pageRows = 256;

    qsizetype size() const { return qsizetype(m_entries.size()); }
    const Entry &entry(qsizetype index) const { return m_entries[std::size_t(index)]; }
    double harmThreshold() const { return m_harmThreshold; }
    /// The row of an item's category (responseId 0) or a response's score; -1 if absent.
    qsizetype indexOf(qint64 itemId, qint64 responseId) const;
    /// Over the rows, in UTF-16 units: the longest item external id, response id ("-" for
    /// category rows), kind and spread (QString::number) — the text table's widths.
    QList<int> widest() const { return m_widest; }

    /// What the queue can be sorted by besides its own order (the review page's columns
    /// whose sort value the keys hold).
    enum class SortKey { Queue, Kind, Spread, Harmful, Distance, Status };
    /// Reorders the rows by `key` (Kind: category rows first; Status: open first;
    /// `descending` reverses), ties in queue order (a stable sort of the queue order).
    void sortBy(SortKey key, bool descending);

    /// Rows [from, from + count) in queue order, read from the study (a few queries
    /// restricted to their items and responses); the same rows loadDisagreements() gives.
    std::optional<QList<Disagreement>> fetch(
        Study &study, qsizetype from, qsizetype count, Error *error) const;
    /// Rows fetch() built so far, and the most one call returned (the page the caller
    /// holds): what the streamed paths keep in memory besides the keys.
    qsizetype rowsFetched() const { return m_rowsFetched; }
    qsizetype largestFetch() const { return m_largestFetch; }

private:
    std::vector<Entry> m_entries;
    double m_harmThreshold = 2.0;
    QList<int> m_widest { 0, 0, 0, 0 };
    mutable qsizetype m_rowsFetched = 0;
    mutable qsizetype m_largestFetch = 0;
};

/// A read transaction: every read until it ends sees one snapshot of the study (a
/// streamed queue's keys and its pages agree). Does nothing inside a transaction.
class ReadSnapshot final {
public:
    explicit ReadSnapshot(Study &study);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    Study &m_study;
    bool m_active = false;
};

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
