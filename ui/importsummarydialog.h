#pragma once

#include "storage/importer.h"

#include <QDialog>

class QPlainTextEdit;

namespace cr::ui {

/// After an import that has more to say than its counts (models × runs of a
/// benchmark folder, missing scores, skipped files, rows skipped as invalid,
/// notices): everything the command line prints, selectable and copyable.
/// GUI thread only.
class ImportSummaryDialog final : public QDialog {
    Q_OBJECT
public:
    ImportSummaryDialog(
        const QStringList &files, const storage::ImportReport &report, QWidget *parent = nullptr);

    /// Whether `report` has anything beyond the counts worth a dialog.
    static bool hasDetails(const storage::ImportReport &report);
    QString detailsText() const;

private:
    QPlainTextEdit *m_details;
};

} // namespace cr::ui
