#pragma once

#include "storage/error.h"

#include <QString>
#include <memory>

namespace cr::storage {

class Study;

/// Name of the demo rater who has assigned work left (used by `--demo`).
QString demoRaterName();

/// Creates a fresh copy of the embedded demo study at `path` (which must not exist):
/// default protocol, the demo items/responses and ratings from resources, and a
/// demo rater with assigned, unrated items.
std::unique_ptr<Study> createDemoStudy(const QString &path, Error *error);

} // namespace cr::storage
