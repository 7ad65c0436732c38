#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace cr::ui {

class JobRunnerBase;

/// Status-bar indicator for a running import job: what is being imported and how
/// far along it is. Hidden when no import runs. GUI thread only.
class ImportProgress final : public QWidget {
    Q_OBJECT
public:
    explicit ImportProgress(QWidget *parent = nullptr);

    /// Follows the progress of `job`'s requests (the runner is not owned).
    void track(const JobRunnerBase *job);
    /// Shows that `files` are being imported, until the tracked job delivers.
    void start(const QStringList &files);
    int percent() const;

private:
    void setProgress(qint64 done, qint64 total);

    QLabel *m_label;
    QProgressBar *m_bar;
};

} // namespace cr::ui
