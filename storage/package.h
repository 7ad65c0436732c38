#pragma once

#include "storage/error.h"
#include "storage/importer.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace cr::storage {

class Study;

/// What marks a study file as a rater package (its meta rows). A package is a study
/// for exactly one rater, of role rater: the app signs that rater in and offers no
/// other sign-in (see packageInfo()).
struct PackageInfo {
    QString packageId;
    QString rater;
    QString masterStudyId;
};

/// The single check whether an open study is a rater package, and for whom.
std::optional<PackageInfo> packageInfo(const Study &study);

/// What writeRaterPackage() put in the package.
struct PackageSummary {
    QString packageId;
    QString rater;
    qint64 items = 0;
    qint64 responses = 0;
    qint64 labels = 0;
    qint64 ratings = 0;
    qint64 skipped = 0;
};

/// Writes a new study file at `outPath` (which must not exist; owner-only) holding only
/// what rater `raterName` may see: the protocol, their assigned items' turns under
/// opaque ids (no external id, dataset, split, reference label or metadata), the
/// responses of those items under opaque ids, one per position of the rater's
/// presentation order (no model, run, tokens, refusal flag or metadata), their own
/// labels, ratings, skips, flags and presentation records, and nothing of anyone else.
/// The master keeps the key (tables `package` and `package_key`) and logs
/// `package.create`. `progress(done, total)` counts items. Nothing changes on failure.
std::optional<PackageSummary> writeRaterPackage(Study &master, const QString &raterName,
    const QString &outPath, const std::function<void(qint64, qint64)> &progress, Error *error);

/// True when `path` is a rater package or a bundle exported from one: the files
/// Importer::run hands to mergeRaterPackages().
bool isRaterPackageFile(const QString &path);

/// Merges rater packages (study files) and the bundles exported from them into
/// `master`, all in one transaction, through the master's key. A file made for another
/// master, an unknown package, a package whose items or responses were changed
/// (seal), an unknown opaque id, another rater's row, or a conflicting value (changed
/// both in the package and in the master since the package was made or last merged,
/// to different values) refuses the whole merge: `report->errors` names each problem
/// and nothing changes. Values unchanged in the package are left alone; re-merging
/// the same package changes nothing. Every applied change is logged, with one
/// `package.merge` event per package.
bool mergeRaterPackages(Study &master, const QStringList &files, const ImportOptions &options,
    ImportReport *report, Error *error);

} // namespace cr::storage
