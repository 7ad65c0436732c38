#include "ui/recentstudiesmenu.h"

#include "storage/backend.h"
#include "ui/settings.h"

#include <QDir>
#include <QFileInfo>

namespace cr::ui {

RecentStudiesMenu::RecentStudiesMenu(QWidget *parent)
    : QMenu(tr("Open &Recent"), parent)
{
    connect(this, &QMenu::aboutToShow, this, &RecentStudiesMenu::rebuild);
    rebuild();
}

void RecentStudiesMenu::rebuild()
{
    clear();
    const QStringList recent = Settings().recentStudies();
    for (qsizetype i = 0; i < recent.size(); ++i) {
        const QString &path = recent.at(i);
        const QString name =
            storage::isServerUri(path) ? storage::displayUri(path) : QFileInfo(path).fileName();
        QAction *action = addAction(i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(name) : name);
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] { emit studyActivated(path); });
    }
    if (recent.isEmpty()) {
        addAction(tr("No Recent Studies"))->setEnabled(false);
        return;
    }
    addSeparator();
    addAction(tr("&Clear List"), this, [this] {
        Settings().clearRecentStudies();
        emit listCleared();
    });
}

} // namespace cr::ui
