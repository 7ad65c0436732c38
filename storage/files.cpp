#include "storage/files.h"

#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace cr::storage {

QString inputFileProblem(const QString &path, bool folderAllowed)
{
    if (path.startsWith(QLatin1Char(':'))) { // a Qt resource (the embedded demo study's data)
        const QFileInfo info(path);
        if (info.isDir() && !folderAllowed)
            return QStringLiteral("is a folder: only the benchmark layout is read from folders");
        return info.exists() ? QString() : QStringLiteral("cannot read: no such file or folder");
    }
    const QByteArray native = QFile::encodeName(path);
    struct stat st { };
    if (::stat(native.constData(), &st) != 0) {
        const int code = errno;
        if (code == ENOENT) {
            struct stat link { };
            if (::lstat(native.constData(), &link) == 0 && S_ISLNK(link.st_mode))
                return QStringLiteral("cannot read: a symbolic link to nothing (dangling)");
            return QStringLiteral("cannot read: no such file or folder");
        }
        if (code == ELOOP)
            return QStringLiteral("cannot read: a loop of symbolic links");
        if (code == ENOTDIR)
            return QStringLiteral(
                "cannot read: no such file or folder (a part of the path is not a folder)");
        return QStringLiteral("cannot read: ") + QString::fromLocal8Bit(std::strerror(code));
    }
    if (S_ISDIR(st.st_mode)) {
        if (folderAllowed)
            return {};
        return QStringLiteral("is a folder: only the benchmark layout is read from folders "
                              "(--format auto or benchmark)");
    }
    if (S_ISREG(st.st_mode))
        return {};
    const char *what = S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
        : S_ISSOCK(st.st_mode)              ? "a socket"
        : S_ISCHR(st.st_mode)               ? "a character device"
        : S_ISBLK(st.st_mode)               ? "a block device"
                                            : "a special file";
    return QStringLiteral("not a regular file but %1: refused").arg(QLatin1String(what));
}

bool openOwnerOnly(QFileDevice &file, QString *error)
{
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("%1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    // A QSaveFile applies this to its temporary file, which is renamed over the target.
    if (!file.setPermissions(ownerOnlyPermissions)) {
        *error = QStringLiteral("%1: cannot make it owner-only: %2")
                     .arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

} // namespace cr::storage
