#include "ui/exportdialog.h"

#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/exportjob.h"
#include "ui/settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cr::ui {

namespace {

QListWidget *checkList(
    const QStringList &labels, const QStringList &ids, const QString &accessibleName)
{
    auto *list = new QListWidget;
    list->setAccessibleName(accessibleName);
    for (qsizetype i = 0; i < labels.size(); ++i) {
        auto *item = new QListWidgetItem(labels[i], list);
        item->setData(Qt::UserRole, ids[i]);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    list->setMaximumHeight(110);
    return list;
}

QString suffixFor(storage::ExportFormat format)
{
    return format == storage::ExportFormat::LongCsv || format == storage::ExportFormat::WideCsv
        ? QStringLiteral("csv")
        : QStringLiteral("jsonl");
}

} // namespace

ExportDialog::ExportDialog(storage::Study &study, QWidget *parent)
    : QDialog(parent)
    , m_studyPath(study.path())
    , m_job(new ExportRunner(this))
{
    setWindowTitle(tr("Export Ratings"));
    setAccessibleName(tr("Export ratings"));

    QFormLayout *form = buildForm(study);

    m_progress = new QProgressBar;
    m_progress->setAccessibleName(tr("Export progress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status = new QLabel;
    m_status->setAccessibleName(tr("Export status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_exportButton = m_buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setAccessibleName(tr("Export"));
    m_exportButton->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    auto *hint =
        new QLabel(tr("Leave a filter empty to export everything. A manifest (.manifest.json) is "
                      "written beside the file."));
    hint->setWordWrap(true);
    layout->addWidget(hint);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        // Keep the file's extension in step with the format.
        const QString path = m_path->text();
        if (!path.isEmpty()) {
            const QFileInfo info(path);
            m_path->setText(info.dir().filePath(
                info.completeBaseName() + QLatin1Char('.') + suffixFor(options().format)));
        }
    });
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateEnabled);
    connect(m_exportButton, &QPushButton::clicked, this, [this] { startExport(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_job, &JobRunnerBase::progressed, this, &ExportDialog::showProgress);
    connect(m_job, &JobRunnerBase::succeeded, this, [this] { finish({}); });
    connect(m_job, &JobRunnerBase::failed, this, &ExportDialog::finish);

    const QString folder = Settings().lastExportFolder.value();
    const QString base = QFileInfo(m_studyPath).completeBaseName() + QStringLiteral("-ratings.csv");
    m_path->setText(
        QDir(folder.isEmpty() ? QFileInfo(m_studyPath).absolutePath() : folder).filePath(base));
    updateEnabled();
}

QFormLayout *ExportDialog::buildForm(storage::Study &study)
{
    m_format = new QComboBox;
    m_format->setAccessibleName(tr("Format"));
    m_format->addItem(tr("Long CSV — one row per rating"), QStringLiteral("long-csv"));
    m_format->addItem(tr("Wide CSV — one row per response"), QStringLiteral("wide-csv"));
    m_format->addItem(tr("Labelled set (JSONL) — one object per item"), QStringLiteral("jsonl"));
    m_format->addItem(
        tr("Rater bundle (JSONL) — one rater's ratings, for import"), QStringLiteral("bundle"));

    QStringList categoryLabels, categoryIds;
    for (const auto &c : study.currentProtocol().categories) {
        categoryLabels.append(c.name);
        categoryIds.append(c.id);
    }
    m_categories = checkList(categoryLabels, categoryIds, tr("Consensus categories to export"));
    QStringList models;
    for (const storage::Model &m : storage::ItemRepository(study).models())
        models.append(m.name);
    m_models = checkList(models, models, tr("Models to export"));

    m_split = new QLineEdit;
    m_split->setAccessibleName(tr("Split"));
    m_split->setPlaceholderText(tr("all splits"));
    m_dataset = new QComboBox;
    m_dataset->setAccessibleName(tr("Dataset"));
    m_dataset->addItem(tr("All datasets"), QString());
    storage::Error datasetError;
    for (const QString &d : storage::itemDatasets(study, &datasetError).value_or(QStringList()))
        m_dataset->addItem(d, d);
    m_dataset->setCurrentIndex(std::max(0, m_dataset->findData(Settings().lastDataset.value())));

    auto *provenance = new QHBoxLayout;
    const QStringList hows { QStringLiteral("unanimous"), QStringLiteral("majority"),
        QStringLiteral("adjudicated"), QStringLiteral("reference") };
    const QStringList howLabels { tr("&Unanimous"), tr("&Majority"), tr("A&djudicated"),
        tr("Re&ference label") };
    for (qsizetype i = 0; i < hows.size(); ++i) {
        auto *box = new QCheckBox(howLabels[i]);
        box->setProperty("provenance", hows[i]);
        box->setAccessibleName(tr("Consensus reached: %1").arg(hows[i]));
        m_provenance.append(box);
        provenance->addWidget(box);
    }
    provenance->addStretch();

    m_minRaters = new QSpinBox;
    m_minRaters->setRange(0, 10000);
    m_minRaters->setAccessibleName(tr("Minimum raters per response"));
    m_minRaters->setSpecialValueText(tr("no minimum"));

    m_raters = new QComboBox;
    m_raters->setAccessibleName(tr("Raters"));
    m_raters->addItem(tr("Format default"), QString());
    m_raters->addItem(tr("Human raters"), QStringLiteral("human"));
    m_raters->addItem(tr("LLM raters"), QStringLiteral("llm"));
    m_raters->addItem(tr("All raters"), QStringLiteral("all"));
    m_bundleRater = new QComboBox;
    m_bundleRater->setAccessibleName(tr("Bundle rater"));
    for (const storage::Rater &r : storage::RaterRepository(study).all()) {
        m_raters->addItem(r.name, r.name);
        m_bundleRater->addItem(r.name, r.name);
    }
    m_realNames = new QCheckBox(tr("Use real rater &names (default: pseudonyms)"));
    m_realNames->setAccessibleName(tr("Use real rater names"));

    m_path = new QLineEdit;
    m_path->setAccessibleName(tr("Output file"));
    m_browse = new QPushButton(tr("&Browse…"));
    m_browse->setAccessibleName(tr("Choose the output file"));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&Categories:"), m_categories);
    form->addRow(tr("M&odels:"), m_models);
    form->addRow(tr("&Split:"), m_split);
    form->addRow(tr("Data&set:"), m_dataset);
    form->addRow(tr("Consensus:"), provenance);
    form->addRow(tr("Mi&nimum raters:"), m_minRaters);
    form->addRow(tr("&Raters:"), m_raters);
    form->addRow(tr("Bundle ra&ter:"), m_bundleRater);
    form->addRow(QString(), m_realNames);
    auto *pathLabel = new QLabel(tr("Output &file:"));
    pathLabel->setBuddy(m_path);
    form->addRow(pathLabel, pathRow);
    return form;
}

ExportDialog::~ExportDialog()
{
    delete m_job; // waits for a running export while this dialog still exists
    m_job = nullptr;
}

QStringList ExportDialog::checked(const QListWidget *list)
{
    QStringList ids;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            ids.append(list->item(i)->data(Qt::UserRole).toString());
    return ids;
}

storage::ExportOptions ExportDialog::options() const
{
    storage::ExportOptions o;
    o.format = storage::Exporter::formatFromString(m_format->currentData().toString())
                   .value_or(storage::ExportFormat::LongCsv);
    o.filters.categories = checked(m_categories);
    o.filters.models = checked(m_models);
    o.filters.split = m_split->text().trimmed();
    o.filters.dataset = m_dataset->currentData().toString();
    for (const QCheckBox *box : m_provenance)
        if (box->isChecked())
            o.filters.provenance.append(box->property("provenance").toString());
    o.filters.minRaters = m_minRaters->value();
    if (const QString sel = m_raters->currentData().toString();
        !sel.isEmpty() && o.format != storage::ExportFormat::Bundle)
        o.filters.raters = storage::RaterSelection::fromString(sel);
    o.realNames = m_realNames->isChecked();
    if (o.format == storage::ExportFormat::Bundle)
        o.bundleRater = m_bundleRater->currentData().toString();
    return o;
}

QString ExportDialog::outputPath() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setOutputPath(const QString &path)
{
    m_path->setText(path);
}

bool ExportDialog::isExporting() const
{
    return m_job && m_job->isRunning();
}

void ExportDialog::browse()
{
    const QString suffix = suffixFor(options().format);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export To"), outputPath(),
        suffix == QLatin1String("csv") ? tr("CSV files (*.csv)")
                                       : tr("JSON Lines files (*.jsonl)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ExportDialog::updateEnabled()
{
    const bool busy = isExporting();
    const bool bundle = options().format == storage::ExportFormat::Bundle;
    for (QWidget *w : std::initializer_list<QWidget *> {
             m_format, m_categories, m_models, m_split, m_dataset, m_minRaters, m_path, m_browse })
        w->setEnabled(!busy);
    for (QCheckBox *box : m_provenance)
        box->setEnabled(!busy);
    m_raters->setEnabled(!busy && !bundle);
    m_bundleRater->setEnabled(!busy && bundle && m_bundleRater->count() > 0);
    m_realNames->setEnabled(!busy && !bundle);
    m_exportButton->setEnabled(
        !busy && !outputPath().isEmpty() && (!bundle || m_bundleRater->count() > 0));
}

bool ExportDialog::startExport()
{
    if (isExporting())
        return false;
    const QString path = outputPath();
    if (path.isEmpty()) {
        showStatus(tr("Choose an output file."), true);
        return false;
    }
    if (!QFileInfo(path).dir().exists()) {
        showStatus(tr("The folder %1 does not exist.")
                       .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath())),
            true);
        return false;
    }
    m_progress->setRange(0, 0);
    showStatus(tr("Exporting…"), false);
    m_job->start(m_studyPath, exportJob(path, options()));
    updateEnabled();
    return true;
}

void ExportDialog::showProgress(qint64 done, qint64 total)
{
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(qMin<qint64>(1000, done * 1000 / total)));
    } else {
        m_progress->setRange(0, 0); // busy indicator: total unknown
    }
}

void ExportDialog::finish(const storage::Error &error)
{
    const bool ok = !error.isError();
    m_progress->setRange(0, 1);
    m_progress->setValue(ok ? 1 : 0);
    if (ok) {
        const ExportResult &done = m_job->result();
        Settings().lastExportFolder = QFileInfo(done.outPath).absolutePath();
        Settings().lastDataset = m_dataset->currentData().toString();
        showStatus(tr("Exported %n row(s) to %1 (manifest: %2).", nullptr, int(done.rows))
                       .arg(QDir::toNativeSeparators(done.outPath),
                           QFileInfo(done.manifestPath).fileName()),
            false);
    } else {
        showStatus(tr("Export failed: %1").arg(error.message), true);
    }
    updateEnabled();
    emit exportFinished(ok);
}

void ExportDialog::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(
        error ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
}

} // namespace cr::ui
