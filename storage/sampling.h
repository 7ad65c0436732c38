#pragma once

#include "storage/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// An item of a pool study as `sample` draws it (copied field for field).
struct PoolItem {
    QByteArray externalId;
    QByteArray dataset;
    QByteArray split;
    QByteArray turnsJson;
    QByteArray label;
    QByteArray metadataJson;
    /// Under a category source: the item's category (empty: none).
    QString category;
};

/// Where a category stratum comes from: one rater's labels, or the majority of the LLM
/// classifier raters (`MODEL:classify#N`; ties go to the smallest category id).
struct CategorySourceSpec {
    bool classifierMajority = true;
    QString rater;
};

/// An item of a pool as the draw first sees it: what strata and seeded order need.
struct PoolEntry {
    qint64 id = 0;
    QByteArray externalId;
    QByteArray dataset;
    QString category; ///< under a category source; empty: none
};

/// Every item of a study in id order (light: no text); with `categories`, each one's
/// category under that source. `*contentHash` (if given) is a SHA-256 over the items' ids,
/// datasets, splits, turns and labels: it identifies the pool a recipe was drawn from.
std::optional<QList<PoolEntry>> readPoolEntries(Study &study,
    const std::optional<CategorySourceSpec> &categories, QString *contentHash, Error *error);

/// Reads pool items one at a time by row id (prepared once).
class PoolItemReader {
public:
    explicit PoolItemReader(Study &study);
    ~PoolItemReader();
    PoolItemReader(const PoolItemReader &) = delete;
    PoolItemReader &operator=(const PoolItemReader &) = delete;
    std::optional<PoolItem> read(qint64 id, Error *error);

private:
    Study &m_study;
    struct Statement;
    Statement *m_statement = nullptr;
};

/// Every item of a study, whole, in id order (for excluded and target studies).
std::optional<QList<PoolItem>> readPoolItems(Study &study, Error *error);

/// The recipe of one draw, stored in sample_recipe (JSON columns as compact text).
struct SampleRecipeRow {
    QString pool;
    QString poolHash;
    QString per;
    QByteArray sizesJson;
    qint64 seed = 0;
    QByteArray excludedJson;
    QString split;
    QString categorySource;
    QByteArray countsJson;
};

/// Adds the drawn items to `study` (as an import would: existing equal items count as
/// unchanged, a contradicting one is invalid input) and records the recipe with an event
/// `sample.draw`, all in one transaction. Returns how many items were added.
std::optional<qint64> writeSample(
    Study &study, const QList<PoolItem> &items, const SampleRecipeRow &recipe, Error *error);

} // namespace cr::storage
