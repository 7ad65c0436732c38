#pragma once

#include "storage/error.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {
class Study;
}

namespace cr::llm {

/// `crisis-review sample`: a stratified, seeded draw of items from a pool study.
struct SampleOptions {
    QString poolPath;
    QString per = QStringLiteral("dataset"); ///< "dataset" or "category"
    std::optional<int> n; ///< per stratum (every stratum)
    QMap<QString, int> sizes; ///< per named stratum (only those)
    quint64 seed = 0;
    QStringList exclude; ///< study files whose items are never drawn
    QString split; ///< the drawn items' split (empty: as in the pool)
    /// per category: "classifier" (majority of MODEL:classify#N raters) or a rater's name.
    QString categorySource = QStringLiteral("classifier");
};

struct StratumCount {
    qint64 available = 0; ///< pool items of the stratum
    qint64 requested = 0;
    qint64 drawn = 0;
};

struct SampleReport {
    QMap<QString, StratumCount> strata;
    qint64 duplicates = 0; ///< skipped: same normalised text as an item drawn before
    qint64 excluded = 0; ///< skipped: in an excluded study (same id or normalised text)
    qint64 inStudy = 0; ///< skipped: already in the target study
    qint64 noCategory = 0; ///< per category: pool items without a category in the source
    qint64 added = 0;
    QString poolHash;
    QStringList drawnIds; ///< in draw order
};

/// The text an item is compared by for duplicates: its turns joined by a newline,
/// NFKC-normalised, case-folded, whitespace runs collapsed to one space, trimmed.
QString normalizedText(const QByteArray &turnsJson);

/// Draws the sample into `target` and records its recipe. The same pool, options and
/// seed draw the same items: each stratum is ordered by a seeded hash of the external
/// ids, so the draw does not depend on the pool's row order.
std::optional<SampleReport> drawSample(
    storage::Study &target, const SampleOptions &options, storage::Error *error);

} // namespace cr::llm
