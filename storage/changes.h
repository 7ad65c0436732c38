#pragma once

#include <QString>

namespace cr::storage {

class Study;

/// Live refresh (issue 17 item 4): how a window learns that others wrote to the study.
namespace changes {

/// The notification channel a server study's statement triggers send on (pgsecurity).
inline const QString channel = QStringLiteral("cr_change");

/// Subscribes `study`'s connection to `channel` when its driver has notifications (a
/// server); false for a file, which is polled with stamp() instead.
bool subscribe(Study &study);
/// A number that grows with every write anyone commits to the study: the last id of
/// the audit log (a primary-key lookup). -1 when it cannot be read.
qint64 stamp(Study &study);

} // namespace changes

} // namespace cr::storage
