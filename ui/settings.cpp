#include "ui/settings.h"

#include "storage/backend.h"

#include <QDir>
#include <QFileInfo>

namespace cr::ui {

namespace {

QString normalizedPath(const QString &path)
{
    // A server study is remembered by its URI without a password (never in settings).
    if (storage::isServerUri(path))
        return storage::displayUri(path);
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

} // namespace

Settings::Settings()
    : mainWindowGeometry(QStringLiteral("MainWindow/geometry"))
    , mainWindowState(QStringLiteral("MainWindow/state"))
    , lastStudy(QStringLiteral("Session/lastStudy"))
    , lastRater(QStringLiteral("Session/lastRater"))
    , contentNoteAcknowledged(QStringLiteral("Rating/contentNoteAcknowledged"), false)
    , contentNoteEachSession(QStringLiteral("Rating/contentNoteEachSession"), true)
    , blurText(QStringLiteral("Rating/blurText"), false)
    , breakAfterItems(QStringLiteral("Rating/breakAfterItems"), 25)
    , breakAfterMinutes(QStringLiteral("Rating/breakAfterMinutes"), 45)
    , lastExportFolder(QStringLiteral("Export/lastFolder"))
    , lastDataset(QStringLiteral("Filters/lastDataset"))
    , exportRawCells(QStringLiteral("Export/rawCells"), false)
    , reviewHarmThreshold(QStringLiteral("Review/harmThreshold"), 2.0)
    , dashboardCategorySource(
          QStringLiteral("Dashboard/categorySource"), QStringLiteral("consensus"))
    , checklistPinned(QStringLiteral("Rating/checklistPinned"), false)
    , reopenLastStudy(QStringLiteral("Session/reopenLastStudy"), false)
    , m_recentStudies(QStringLiteral("Session/recentStudies"))
{
}

QStringList Settings::recentStudies() const
{
    QStringList list = m_recentStudies.value();
    list.removeAll(QString());
    list.removeDuplicates();
    while (list.size() > maxRecentStudies)
        list.removeLast();
    return list;
}

void Settings::addRecentStudy(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString normalized = normalizedPath(path);
    QStringList list = recentStudies();
    list.removeAll(normalized);
    list.prepend(normalized);
    while (list.size() > maxRecentStudies)
        list.removeLast();
    m_recentStudies.setValue(list);
}

void Settings::removeRecentStudy(const QString &path)
{
    QStringList list = recentStudies();
    list.removeAll(path);
    list.removeAll(normalizedPath(path));
    m_recentStudies.setValue(list);
}

void Settings::clearRecentStudies()
{
    m_recentStudies.reset();
}

} // namespace cr::ui
