#pragma once

#include "storage/auditlog.h"

#include <QWidget>

namespace cr::widgets {
class MessageBanner;
}

namespace cr::ui {

template<typename T> class JobRunner;

/// The main window's warning that the open study's audit log is broken. check() runs
/// the incremental chain check (storage::VerifyScope::Incremental) on a worker; an ok
/// result is recorded as verified, a broken one shows the warning, which has no close
/// button: it stays until the study is opened again (or another one). GUI thread only.
class AuditBanner final : public QWidget {
    Q_OBJECT
public:
    explicit AuditBanner(QWidget *parent = nullptr);

    /// Hides the warning and checks the study at `studyPath` in the background.
    void check(const QString &studyPath);
    /// Hides the warning and drops a running check (the study was closed).
    void clear();
    bool isChecking() const;
    /// The warning's text (empty while hidden).
    QString text() const;

signals:
    /// A check finished: `ok` false when the warning is now shown.
    void checked(bool ok);

private:
    void finish();

    widgets::MessageBanner *m_banner;
    JobRunner<storage::VerifyResult> *m_runner;
};

} // namespace cr::ui
