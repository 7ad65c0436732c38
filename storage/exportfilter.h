#pragma once

#include "storage/error.h"
#include "storage/ratingdata.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// What `crisis-review export` keeps (all empty = everything).
struct ExportFilters {
    QStringList categories; ///< the item's consensus category is one of these
    QStringList models; ///< the response's model is one of these
    QString split; ///< the item's split
    QString dataset; ///< the item's dataset (a name or dataset file, see datasetName())
    QStringList provenance; ///< how the consensus category was reached:
                            ///< unanimous|majority|adjudicated|reference
    int minRaters = 0; ///< responses rated by at least this many of the selected raters
    /// Whose ratings: unset = the format's default (every rater for the CSVs,
    /// the human raters for the labelled JSONL's consensus).
    std::optional<RaterSelection> raters;
    /// Where the item's category (`category_consensus`, the labelled set's `category`, and
    /// what `categories` and `provenance` match) comes from; unset = the consensus
    /// (consensusCategories()). See CategorySource.
    std::optional<CategorySource> categorySource;

    bool isEmpty() const;
    /// Checks ids and values against the study (unknown category, model, provenance,
    /// rater...); an InvalidInput error names the option and the value.
    bool validate(Study &study, Error *error) const;
    /// As recorded in the manifest.
    QJsonObject toJson() const;
};

/// The filters resolved against one study, for fast per-row checks while streaming.
/// Not thread-safe; use from the thread that owns the study connection.
class ResolvedExportFilter final {
public:
    /// Loads the consensus categories (or those of the category source), selected raters and (with
    /// minRaters) the per-response rater counts. Returns nothing with `error` set on failure.
    static std::optional<ResolvedExportFilter> resolve(Study &study, const ExportFilters &filters,
        const RaterSelection &defaultRaters, Error *error);

    const QHash<qint64, Consensus> &consensus() const { return m_consensus; }
    const QList<Rater> &raters() const { return m_raters; }
    bool keepItem(qint64 itemId, const QByteArray &split) const;
    bool keepResponse(qint64 responseId, const QByteArray &model) const;
    bool keepRater(qint64 raterId) const { return m_raterIds.contains(raterId); }

private:
    ExportFilters m_filters;
    QHash<qint64, Consensus> m_consensus;
    QList<Rater> m_raters;
    QSet<qint64> m_raterIds;
    QList<QByteArray> m_models;
    QByteArray m_split;
    std::optional<QSet<qint64>> m_datasetItems; ///< with a dataset filter: its items
    QHash<qint64, int> m_ratersPerResponse;
};

} // namespace cr::storage
