#pragma once

#include "storage/error.h"
#include "storage/importer.h"

#include <QDialog>

class QLabel;
class QListView;
class QStringListModel;

namespace cr::ui {

/// Tells the researcher that an import failed and changed nothing, with every
/// problem as FILE:LINE:FIELD: reason in a scrollable list (model/view; however many
/// there are) under their count, all copyable at once. GUI thread only.
class ImportErrorsDialog final : public QDialog {
    Q_OBJECT
public:
    /// `validCategories` ("id (Name)" per category of the study's protocol) are listed
    /// under the problems when one of them is about a category.
    ImportErrorsDialog(const QStringList &files, const storage::ImportReport &report,
        const storage::Error &error, QWidget *parent = nullptr,
        const QStringList &validCategories = {});

    /// Every problem, one per line.
    QString problemsText() const;
    /// The list (one row per problem), for tests.
    QListView *problemsView() const { return m_view; }
    /// "Valid categories: …" when shown, else empty.
    QString validCategoriesText() const;

signals:
    /// The researcher chose to import the valid rows only (`--skip-invalid`); the
    /// dialog closes itself.
    void importValidRowsRequested();

private:
    QStringListModel *m_problems;
    QListView *m_view;
    QLabel *m_categories = nullptr;
};

} // namespace cr::ui
