#include "ui/auditbanner.h"

#include "ui/jobrunner.h"
#include "widgets/messagebanner.h"

#include <QVBoxLayout>

namespace cr::ui {

AuditBanner::AuditBanner(QWidget *parent)
    : QWidget(parent)
    , m_banner(new widgets::MessageBanner(this))
    , m_runner(new JobRunner<storage::VerifyResult>(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    m_banner->setCloseButtonVisible(false);
    m_banner->hide();
    hide();
    connect(m_runner, &JobRunnerBase::succeeded, this, &AuditBanner::finish);
    connect(m_runner, &JobRunnerBase::failed, this, [this](const storage::Error &error) {
        // Not tampering, but the log could not be read: say so just as plainly.
        m_banner->showMessage(widgets::MessageBanner::Kind::Warning,
            tr("The audit log of this study could not be checked: %1").arg(error.message));
        show();
        emit checked(false);
    });
}

void AuditBanner::check(const QString &studyPath)
{
    clear();
    m_runner->start(studyPath, [](storage::Study &study, JobContext &, storage::Error *error) {
        storage::VerifyResult result;
        if (storage::verifyAuditLog(study, storage::VerifyScope::Incremental, &result, error)
            && result.ok) {
            storage::Error ignored; // a busy file only means the next check starts earlier
            storage::recordVerified(study, result, &ignored);
        }
        return result;
    });
}

void AuditBanner::clear()
{
    m_runner->cancel();
    m_banner->hide();
    hide();
}

bool AuditBanner::isChecking() const
{
    return m_runner->isRunning();
}

QString AuditBanner::text() const
{
    return isHidden() ? QString() : m_banner->text();
}

void AuditBanner::finish()
{
    const storage::VerifyResult &r = m_runner->result();
    if (r.ok) {
        emit checked(true);
        return;
    }
    const QString where = r.broken
        ? tr(" at event #%1 (%2, %3)").arg(r.broken->id).arg(r.broken->at, r.broken->action)
        : QString();
    m_banner->showMessage(widgets::MessageBanner::Kind::Error,
        tr("The audit log of this study is broken%1: %2. The file was changed outside Crisis "
           "Review; its ratings may not be what the raters gave. Run \"crisis-review verify\" "
           "for details.")
            .arg(where, r.problem));
    show();
    emit checked(false);
}

} // namespace cr::ui
