#include "ui/packagedialog.h"

#include "storage/package.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/jobrunner.h"
#include "ui/settings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace cr::ui {

PackageDialog::PackageDialog(storage::Study &study, QWidget *parent)
    : QDialog(parent)
    , m_studyPath(study.path())
    , m_actor(study.actor())
    , m_job(new JobRunner<storage::PackageSummary>(this))
    , m_rater(new QComboBox)
    , m_path(new QLineEdit)
    , m_browse(new QPushButton(tr("&Browse…")))
    , m_progress(new QProgressBar)
    , m_status(new QLabel)
{
    setWindowTitle(tr("Rater Package"));
    m_rater->setAccessibleName(tr("Rater"));
    for (const storage::Rater &r : storage::RaterRepository(study).all())
        if (r.kind == storage::RaterKind::Human
            && !storage::AssignmentRepository(study).forRater(r.id).isEmpty())
            m_rater->addItem(r.name);
    m_path->setAccessibleName(tr("Package file"));
    m_progress->setAccessibleName(tr("Package progress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status->setAccessibleName(tr("Package status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *hint = new QLabel(
        tr("A rater package is a study file for one rater: the protocol, their items and the "
           "responses under opaque ids, and their own earlier work — no model or dataset names, "
           "no source ids, nothing of other raters. Merge it back with File ▸ Import…."));
    hint->setWordWrap(true);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("&Rater:"), m_rater);
    form->addRow(tr("&File:"), fileRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_create = buttons->addButton(tr("&Create Package"), QDialogButtonBox::AcceptRole);
    m_create->setAccessibleName(tr("Create Package"));
    m_create->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_browse, &QPushButton::clicked, this, &PackageDialog::browse);
    connect(m_path, &QLineEdit::textChanged, this, &PackageDialog::updateEnabled);
    connect(m_rater, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        const QFileInfo current(outputPath());
        setOutputPath(current.dir().filePath(name + QStringLiteral(".crisis")));
    });
    connect(m_create, &QPushButton::clicked, this, [this] { startPackage(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_job, &JobRunnerBase::progressed, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(total > 0 ? int(qMin<qint64>(1000, done * 1000 / total)) : 0);
    });
    connect(m_job, &JobRunnerBase::succeeded, this, [this] { finish(true, {}); });
    connect(m_job, &JobRunnerBase::failed, this,
        [this](const storage::Error &error) { finish(false, error.message); });

    const QString folder = Settings().lastExportFolder.value();
    m_path->setText(QDir(folder.isEmpty() ? QFileInfo(m_studyPath).absolutePath() : folder)
                        .filePath(m_rater->currentText() + QStringLiteral(".crisis")));
    if (m_rater->count() == 0)
        showStatus(tr("No rater of this study has assignments yet."), true);
    updateEnabled();
}

PackageDialog::~PackageDialog() = default;

QString PackageDialog::rater() const
{
    return m_rater->currentText();
}

void PackageDialog::setRater(const QString &name)
{
    if (const int index = m_rater->findText(name); index >= 0)
        m_rater->setCurrentIndex(index);
}

QString PackageDialog::outputPath() const
{
    return m_path->text().trimmed();
}

void PackageDialog::setOutputPath(const QString &path)
{
    m_path->setText(path);
}

bool PackageDialog::isWriting() const
{
    return m_job->isRunning();
}

QString PackageDialog::statusText() const
{
    return m_status->text();
}

void PackageDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Rater Package"), outputPath(), tr("Rater packages (*.crisis)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void PackageDialog::updateEnabled()
{
    const bool busy = isWriting();
    m_rater->setEnabled(!busy);
    m_path->setEnabled(!busy);
    m_browse->setEnabled(!busy);
    m_create->setEnabled(!busy && m_rater->count() > 0 && !outputPath().isEmpty());
}

bool PackageDialog::startPackage()
{
    if (isWriting() || rater().isEmpty())
        return false;
    const QString path = outputPath();
    if (path.isEmpty() || !QFileInfo(path).dir().exists()) {
        showStatus(tr("Choose a file in an existing folder."), true);
        return false;
    }
    if (QFileInfo::exists(path)) {
        showStatus(
            tr("%1 exists already; choose a new file.").arg(QDir::toNativeSeparators(path)), true);
        return false;
    }
    m_progress->setRange(0, 0);
    showStatus(tr("Writing the package…"), false);
    m_job->start(m_studyPath,
        [rater = rater(), path, actor = m_actor](
            storage::Study &study, JobContext &context, storage::Error *error) {
            study.setActor(actor);
            return storage::writeRaterPackage(study, rater, path, context.progressCallback(), error)
                .value_or(storage::PackageSummary {});
        });
    updateEnabled();
    return true;
}

void PackageDialog::finish(bool ok, const QString &message)
{
    m_progress->setRange(0, 1);
    m_progress->setValue(ok ? 1 : 0);
    if (ok) {
        const storage::PackageSummary &s = m_job->result();
        Settings().lastExportFolder = QFileInfo(outputPath()).absolutePath();
        showStatus(tr("Wrote the package for %1 to %2: %3 item(s), %4 response(s), %5 earlier "
                      "label(s), %6 earlier rating(s).")
                       .arg(s.rater, QDir::toNativeSeparators(outputPath()))
                       .arg(s.items)
                       .arg(s.responses)
                       .arg(s.labels)
                       .arg(s.ratings),
            false);
    } else {
        showStatus(tr("The package was not written: %1").arg(message), true);
    }
    updateEnabled();
    emit packageFinished(ok);
}

void PackageDialog::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(
        error ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
}

} // namespace cr::ui
