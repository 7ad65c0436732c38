#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace cr::storage {
class Study;
struct PackageSummary;
} // namespace cr::storage

namespace cr::ui {

template<typename T> class JobRunner;

/// File ▸ Export ▸ Rater Package…: one human rater and a new file; the package
/// (storage::writeRaterPackage) is written on a worker thread (ui/jobrunner.h) with a
/// progress bar. GUI thread only; `study` is read in the constructor (its raters and
/// path) and not kept.
class PackageDialog final : public QDialog {
    Q_OBJECT
public:
    PackageDialog(storage::Study &study, QWidget *parent = nullptr);
    ~PackageDialog() override;

    QString rater() const;
    /// Chooses a rater the dialog offers (humans with assignments); others are ignored.
    void setRater(const QString &name);
    QString outputPath() const;
    void setOutputPath(const QString &path);
    bool isWriting() const;
    QString statusText() const;

    /// Starts writing (the Create button); false when the input is incomplete.
    bool startPackage();

signals:
    void packageFinished(bool ok);

private:
    void browse();
    void updateEnabled();
    void finish(bool ok, const QString &message);
    void showStatus(const QString &text, bool error);

    QString m_studyPath;
    QString m_actor;
    JobRunner<storage::PackageSummary> *m_job;
    QComboBox *m_rater;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_create;
};

} // namespace cr::ui
