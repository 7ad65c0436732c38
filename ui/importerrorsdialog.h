#pragma once

#include "storage/error.h"
#include "storage/importer.h"

#include <QDialog>

class QPlainTextEdit;

namespace cr::ui {

/// Tells the researcher that an import failed and changed nothing, with every
/// problem as FILE:LINE:FIELD: reason (selectable, copyable). GUI thread only.
class ImportErrorsDialog final : public QDialog {
    Q_OBJECT
public:
    ImportErrorsDialog(const QStringList &files, const storage::ImportReport &report,
        const storage::Error &error, QWidget *parent = nullptr);

    QString problemsText() const;

signals:
    /// The researcher chose to import the valid rows only (`--skip-invalid`); the
    /// dialog closes itself.
    void importValidRowsRequested();

private:
    QPlainTextEdit *m_problems;
};

} // namespace cr::ui
