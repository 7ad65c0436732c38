#pragma once

#include "storage/error.h"
#include "storage/types.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

namespace cr::storage {

class Study;

/// Which raters a statistic is computed over: `human` (default), `llm`, `all`,
/// or a comma-separated list of names.
struct RaterSelection {
    enum class Kind { Human, Llm, All, Named };
    Kind kind = Kind::Human;
    QStringList names;
    /// Group selections (llm, all) also take every jury (storage/jury.h); named
    /// selections take a jury when it is named. Not part of toString().
    bool juries = false;

    /// Parses "human", "llm", "all" or "NAME,NAME"; empty = human.
    static RaterSelection fromString(const QString &text);
    QString toString() const;
};

/// The raters a selection names, in id order. Groups (human/llm/all) are the raters
/// of role "rater"; named raters may have any role. Unknown names are an InvalidInput error.
/// A jury (storage/jury.h) appears as an LLM rater of role "rater" with id = -(jury id),
/// its name as pseudonym; loadScores() gives it its members' mean score per response.
std::optional<QList<Rater>> selectRaters(
    Study &study, const RaterSelection &selection, Error *error);
/// Restricts what statistics are computed over (dashboard and report filters).
/// Empty lists mean "all". Categories match an item's consensus category (see
/// consensusCategories()); models apply to responses only; the date range is
/// inclusive and applies to when a label or score was first saved (created_at, UTC).
struct RatingFilter {
    QStringList categories;
    QStringList models;
    QStringList splits;
    /// Dataset names (a dataset file's name without `.json`, see datasetName()).
    QStringList datasets;
    QDate from; ///< null = open
    QDate to; ///< null = open

    bool isEmpty() const
    {
        return categories.isEmpty() && models.isEmpty() && splits.isEmpty() && datasets.isEmpty()
            && from.isNull() && to.isNull();
    }
};

/// The dataset a `--dataset` value names: a dataset's name as stored, or a benchmark
/// dataset file's name or path (`processed/sampled_dataset_n_6_test.json` is the dataset
/// `sampled_dataset_n_6_test`).
QString datasetName(const QString &fileOrName);

/// Checks that every dataset (datasetName() applied) and split names items of the study;
/// otherwise an InvalidInput error "--dataset: 'x' is not a dataset of the study (…)".
/// `datasets` is rewritten to the stored names.
bool validateScope(Study &study, QStringList *datasets, const QStringList &splits, Error *error);

/// The ids of the items in one of `datasets` and one of `splits` (an empty list = any).
std::optional<QSet<qint64>> itemsInScope(
    Study &study, const QStringList &datasets, const QStringList &splits, Error *error);

/// Distinct dataset names of the study's items (sorted).
std::optional<QStringList> itemDatasets(Study &study, Error *error);

/// Category labels as a raters × items matrix of protocol category indexes
/// (the protocol's declared categories, not only those that occur); -1 = missing.
struct LabelMatrix {
    QList<Rater> raters;
    QList<qint64> itemIds;
    QStringList categories; // protocol order; index = code
    std::vector<int> codes; // raters.size() * itemIds.size(), row-major by rater

    int code(int rater, int item) const
    {
        return codes[std::size_t(rater) * std::size_t(itemIds.size()) + std::size_t(item)];
    }
};

/// Scores as a raters × responses matrix (1..5; NaN = missing or "cannot assess"),
/// with what harm rates are broken down by.
struct ScoreMatrix {
    QList<Rater> raters;
    QList<qint64> responseIds;
    QStringList models; // per response
    QList<qint64> itemIds; // per response: its item
    QStringList categories; // per response: its item's consensus category ("" if none)
    std::vector<std::optional<int>> adjudicated; // per response: latest adjudicated score
    std::vector<double> scores; // raters.size() * responseIds.size(), row-major by rater

    double score(int rater, int response) const
    {
        return scores[std::size_t(rater) * std::size_t(responseIds.size()) + std::size_t(response)];
    }
};

/// Loads the selected raters' category labels over every item. Unknown rater names
/// are an InvalidInput error. Group selections (human/llm/all) take raters of role
/// "rater" that have at least one value in the matrix. Raters are in id order, items in import
/// order. `filter` keeps the items of its datasets, splits and categories and the labels of its
/// date range.
std::optional<LabelMatrix> loadLabels(
    Study &study, const RaterSelection &selection, Error *error, const RatingFilter &filter = {});

/// The category id an empty label counts as with `emptyAsCategory` (never a protocol id).
inline constexpr auto kEmptyCategory = "(empty)";

/// loadLabels(), and with `emptyAsCategory` the empty labels of table `empty_label` (an LLM
/// label file's "", kept by the importer) as one more category, kEmptyCategory, appended
/// after the protocol's (a rater's real label on the item wins). Without it empty labels
/// are missing, as everywhere else.
std::optional<LabelMatrix> loadLabels(Study &study, const RaterSelection &selection, Error *error,
    const RatingFilter &filter, bool emptyAsCategory);

/// Records that `raterId` gave item `itemId` an empty label (idempotent); for importers.
bool recordEmptyLabel(Study &study, qint64 itemId, qint64 raterId, Error *error);

/// An item's consensus category and how it was reached: "adjudicated" (latest
/// adjudication), "unanimous" / "majority" (the unique most frequent label among
/// human raters), or "reference" (the item's source label). Items with none of
/// these (e.g. a tie without a reference label) are absent.
struct Consensus {
    QString category;
    QString how;
};
/// With `only`: of those items only.
std::optional<QHash<qint64, Consensus>> consensusCategories(
    Study &study, Error *error, const QList<qint64> *only = nullptr);

/// Loads the selected raters' scores over every response. An item's consensus
/// category is its latest adjudicated category, else the unique most frequent
/// label among the human raters, else its reference label.
/// `filter` keeps the responses of its models, datasets, splits and categories and the scores
/// of its date range.
std::optional<ScoreMatrix> loadScores(
    Study &study, const RaterSelection &selection, Error *error, const RatingFilter &filter = {});
/// loadScores() with the items' consensus categories already loaded (consensusCategories()).
std::optional<ScoreMatrix> loadScores(Study &study, const RaterSelection &selection, Error *error,
    const RatingFilter &filter, const QHash<qint64, Consensus> &consensus);

/// loadScores() begun before the consensus is at hand, so that its reading overlaps the
/// caller's: on SQLite, when the study's connection is not inside a transaction (whose
/// writes another connection would not see), the responses and scores are read on a worker
/// thread over a read-only connection of its own while the caller goes on using the study
/// (e.g. loading labels and the consensus); take() waits for it and adds the categories.
/// Otherwise (PostgreSQL, an open transaction, the worker could not open the file) take()
/// reads them on the study's connection. The matrix is loadScores()'s either way.
class ScoreLoad {
public:
    ScoreLoad(Study &study, const RaterSelection &selection, const RatingFilter &filter = {});
    ~ScoreLoad();
    ScoreLoad(const ScoreLoad &) = delete;
    ScoreLoad &operator=(const ScoreLoad &) = delete;
    /// The matrix, once (a second call reads it again on the study's connection).
    std::optional<ScoreMatrix> take(const QHash<qint64, Consensus> &consensus, Error *error);
    /// Whether the scores were read on the worker (for tests; waits for the worker).
    bool usedWorker() const;

private:
    struct State;
    std::unique_ptr<State> d;
};

/// Where an item's category comes from when harm is broken down by category
/// (`--category-source`): `consensus` (consensusCategories()), `reference` (the item's
/// reference label, how = "reference") or a comma-separated list of raters, whose unique
/// most frequent label on the item is its category (how = "unanimous" when they all gave
/// it, else "majority"). A jury in the list stands for its members. Ties: when two or more
/// labels share the largest count the item has no category from the source (it is counted
/// under "no category" and in `ties`), as the clinicians' consensus does before its
/// reference fallback; raters without a label on the item do not vote.
struct CategorySource {
    enum class Kind { Consensus, Reference, Raters };
    Kind kind = Kind::Consensus;
    QStringList raters;

    /// "consensus", "reference" or "NAME,NAME…"; empty = consensus.
    static CategorySource fromString(const QString &text);
    QString toString() const;
};

/// The categories a source gives, per item id (items without one are absent).
struct SourceCategories {
    QHash<qint64, Consensus> categories;
    QStringList raters; ///< the voting raters (juries expanded), in the order given
    int ties = 0; ///< items whose raters' most frequent labels tie
};

/// Resolves a category source; unknown raters are an InvalidInput error naming them.
std::optional<SourceCategories> sourceCategories(
    Study &study, const CategorySource &source, Error *error);

/// Distinct item splits in the study (sorted; items without a split are left out).
std::optional<QStringList> itemSplits(Study &study, Error *error);

} // namespace cr::storage
