#pragma once

#include "storage/exporter.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace cr::storage {
class Study;
}

namespace cr::ui {

struct ExportResult;
template<typename T> class JobRunner;

/// File ▸ Export…: format, filters and output file; the export runs on a worker
/// thread (an export job) with a progress bar and writes the manifest beside the file.
/// Remembers the last export folder in Settings. GUI thread only; `study` is read
/// in the constructor (categories, models, raters) and not kept.
class ExportDialog final : public QDialog {
    Q_OBJECT
public:
    ExportDialog(storage::Study &study, QWidget *parent = nullptr);
    ~ExportDialog() override;

    /// The options the controls describe (no progress callback).
    storage::ExportOptions options() const;
    QString outputPath() const;
    void setOutputPath(const QString &path);
    bool isExporting() const;

    /// Starts the export (the Export button); false when the input is incomplete.
    bool startExport();

signals:
    void exportFinished(bool ok);

private:
    /// The format, filter and output-file rows, filled from `study`.
    QFormLayout *buildForm(storage::Study &study);
    void browse();
    void updateEnabled();
    void showProgress(qint64 done, qint64 total);
    void finish(const storage::Error &error);
    void showStatus(const QString &text, bool error);
    static QStringList checked(const QListWidget *list);

    QString m_studyPath;
    JobRunner<ExportResult> *m_job;
    QComboBox *m_format;
    QListWidget *m_categories;
    QListWidget *m_models;
    QLineEdit *m_split;
    QComboBox *m_dataset;
    QList<QCheckBox *> m_provenance;
    QSpinBox *m_minRaters;
    QComboBox *m_raters;
    QComboBox *m_bundleRater;
    QCheckBox *m_realNames;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QProgressBar *m_progress;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_exportButton;
};

} // namespace cr::ui
