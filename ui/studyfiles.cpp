#include "ui/studyfiles.h"

#include "ui/settings.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
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

} // namespace cr::ui
