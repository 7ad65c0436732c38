#pragma once

#include <QString>

namespace cr::ui {

/// File-dialog filter for study files: ".crisis" first, any file accepted.
QString studyFileFilter();
/// Where file dialogs start: the last study's folder, else Documents.
QString studyDialogDirectory();
/// A path that does not exist yet for a fresh demo study in the temp folder.
QString freshDemoStudyPath();
/// The lock file a running app holds beside its demo copy (`path` + ".lock").
QString demoLockPath(const QString &studyPath);
/// Removes a study file and its SQLite companions (-wal, -shm, -journal).
void removeStudyFileSet(const QString &path);
/// Removes demo copies left in the temp folder by runs that ended without cleaning up
/// (crashed, killed): those whose lock's process is gone, and unlocked ones not touched
/// for `unlockedAgeSeconds`. A copy another running app holds is kept. Returns how many
/// copies were removed.
int removeStaleDemoStudies(qint64 unlockedAgeSeconds = 3600);

} // namespace cr::ui
