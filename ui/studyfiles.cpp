#include "ui/studyfiles.h"

#include "ui/settings.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>

namespace cr::ui {

QString studyFileFilter()
{
    return QCoreApplication::translate(
        "cr::ui::MainWindow", "Crisis Review studies (*.crisis);;All files (*)");
}

QString studyDialogDirectory()
{
    const QFileInfo last(Settings().lastStudy);
    if (!last.filePath().isEmpty() && last.absoluteDir().exists())
        return last.absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

QString freshDemoStudyPath()
{
    const QDir directory(QStandardPaths::writableLocation(QStandardPaths::TempLocation));
    directory.mkpath(QStringLiteral("."));
    const QString stamp =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    QString path = directory.filePath(QStringLiteral("crisis-review-demo-%1.crisis").arg(stamp));
    for (int n = 2; QFileInfo::exists(path); ++n)
        path =
            directory.filePath(QStringLiteral("crisis-review-demo-%1-%2.crisis").arg(stamp).arg(n));
    return path;
}

QString demoLockPath(const QString &studyPath)
{
    return studyPath + QStringLiteral(".lock");
}

void removeStudyFileSet(const QString &path)
{
    for (const QString &suffix :
        { QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal") })
        QFile::remove(path + suffix);
}

int removeStaleDemoStudies(qint64 unlockedAgeSeconds)
{
    const QDir directory(QStandardPaths::writableLocation(QStandardPaths::TempLocation));
    const QDateTime now = QDateTime::currentDateTime();
    int removed = 0;
    const QStringList names = directory.entryList(
        { QStringLiteral("crisis-review-demo-*.crisis") }, QDir::Files | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const QString path = directory.filePath(name);
        const QString lockPath = demoLockPath(path);
        if (QFileInfo::exists(lockPath)) {
            QLockFile lock(lockPath);
            lock.setStaleLockTime(0); // stale only when its process is gone, never by age
            if (!lock.tryLock(0))
                continue; // a running app's demo
            removeStudyFileSet(path);
            lock.unlock(); // removes the lock file
            ++removed;
            continue;
        }
        // No lock (an older version, or a crash between copy and lock): by age.
        QDateTime touched = QFileInfo(path).lastModified();
        const QFileInfo wal(path + QStringLiteral("-wal"));
        if (wal.exists() && wal.lastModified() > touched)
            touched = wal.lastModified();
        if (touched.secsTo(now) < unlockedAgeSeconds)
            continue;
        removeStudyFileSet(path);
        ++removed;
    }
    return removed;
}

} // namespace cr::ui
