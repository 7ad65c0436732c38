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

/// Every item of a study in id order; with `categories`, each one's category under that
/// source. `*contentHash` (if given) is a SHA-256 over the items' ids, datasets, splits,
/// turns and labels: it identifies the pool a recipe was drawn from.
std::optional<QList<PoolItem>> readPoolItems(Study &study,
    const std::optional<CategorySourceSpec> &categories, QString *contentHash, Error *error);

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
