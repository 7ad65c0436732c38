#pragma once

#include <QFileDevice>
#include <QString>

namespace cr::storage {

/// Why `path` cannot be read as an import input, or an empty string when it can: it
/// must exist and be a regular file (a folder too when `folderAllowed`, for the
/// benchmark layout). A FIFO, socket or device is refused before anything opens it,
/// so an import never blocks on one; a missing path, a symbolic link loop and an
/// unreadable file each get their own message. Checked with stat(), which follows
/// symbolic links (a link to a regular file is fine); a Qt resource path (":/...") only
/// has to exist.
QString inputFileProblem(const QString &path, bool folderAllowed);

/// Opens `file` (a QFile or QSaveFile) for writing, truncating, and makes it owner-only
/// (0600, like the study file) before the first byte is written, whatever the umask.
/// Every file the app exports goes through here: CSV, JSONL, bundles, manifests, the
/// PDF report, chart tables. On failure returns false with `error` naming the path.
bool openOwnerOnly(QFileDevice &file, QString *error);

/// The permissions openOwnerOnly gives.
constexpr QFileDevice::Permissions ownerOnlyPermissions =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner;

} // namespace cr::storage
