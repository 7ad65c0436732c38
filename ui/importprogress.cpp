#include "ui/importprogress.h"

#include "ui/jobrunner.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace cr::ui {

ImportProgress::ImportProgress(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
{
    m_bar->setMaximumWidth(220);
    m_bar->setAccessibleName(tr("Import progress"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    hide();
}

void ImportProgress::track(const JobRunnerBase *job)
{
    connect(job, &JobRunnerBase::progressed, this, &ImportProgress::setProgress);
    connect(job, &JobRunnerBase::succeeded, this, &QWidget::hide);
    connect(job, &JobRunnerBase::failed, this, &QWidget::hide);
}

void ImportProgress::start(const QStringList &files)
{
    m_label->setText(files.size() == 1
            ? tr("Importing %1…").arg(QFileInfo(files.first()).fileName())
            : tr("Importing %1 files…").arg(files.size()));
    m_bar->setRange(0, 0); // busy until the first report
    show();
}

int ImportProgress::percent() const
{
    return m_bar->maximum() > 0 ? m_bar->value() * 100 / m_bar->maximum() : 0;
}

void ImportProgress::setProgress(qint64 done, qint64 total)
{
    if (total <= 0)
        return;
    m_bar->setRange(0, 1000);
    m_bar->setValue(int(done * 1000 / total));
}

} // namespace cr::ui
