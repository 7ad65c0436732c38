#include "storage/exporter.h"
#include "storage/files.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace cr::storage {

QString Exporter::manifestPathFor(const QString &path)
{
    const QFileInfo info(path);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral(".manifest.json"));
}

qint64 Exporter::writeFile(
    const QString &path, const ExportOptions &options, Error *error, QString *manifestPath)
{
    QSaveFile out(path);
    QString openError;
    if (!openOwnerOnly(out, &openError)) {
        *error = Error::storage(openError);
        return -1;
    }
    const qint64 rows = write(out, options, error);
    if (rows < 0)
        return -1; // the QSaveFile is discarded: the target is untouched
    if (!out.commit()) {
        *error = Error::storage(QStringLiteral("%1: %2").arg(path, out.errorString()));
        return -1;
    }
    const QString mPath = manifestPathFor(path);
    QSaveFile manifestFile(mPath);
    if (!openOwnerOnly(manifestFile, &openError)) {
        *error = Error::storage(openError);
        return -1;
    }
    if (manifestFile.write(QJsonDocument(manifest(options, rows)).toJson()) < 0
        || !manifestFile.commit()) {
        *error = Error::storage(QStringLiteral("%1: %2").arg(mPath, manifestFile.errorString()));
        return -1;
    }
    if (manifestPath)
        *manifestPath = mPath;
    return rows;
}

} // namespace cr::storage
