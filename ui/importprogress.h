#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace cr::ui {

class ImportJob;

/// Status-bar indicator for a running ImportJob: what is being imported and how
/// far along it is. Hidden when no import runs. GUI thread only.
class ImportProgress final : public QWidget {
    Q_OBJECT
public:
    explicit ImportProgress(QWidget *parent = nullptr);

    /// Shows progress of `job` until it finishes (the job is not owned).
    void track(ImportJob *job);
    int percent() const;

private:
    void setProgress(qint64 done, qint64 total);

    QLabel *m_label;
    QProgressBar *m_bar;
};

} // namespace cr::ui
