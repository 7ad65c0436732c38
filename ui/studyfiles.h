#pragma once

#include <QString>

namespace cr::ui {

/// File-dialog filter for study files: ".crisis" first, any file accepted.
QString studyFileFilter();
/// Where file dialogs start: the last study's folder, else Documents.
QString studyDialogDirectory();
/// A path that does not exist yet for a fresh demo study in the temp folder.
QString freshDemoStudyPath();

} // namespace cr::ui
