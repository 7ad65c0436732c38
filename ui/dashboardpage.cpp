#include "ui/dashboardpage.h"

#include "protocol/protocol.h"
#include "report/pdfreport.h"
#include "storage/files.h"
#include "storage/jury.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/jobrunner.h"
#include "ui/researchpanels.h"
#include "ui/settings.h"
#include "widgets/dashboardchart.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QTimer>
#include <algorithm>

namespace cr::ui {

namespace {

QComboBox *labelledCombo(QGridLayout *grid, int row, int column, const QString &label,
    const QString &accessible, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setAccessibleName(accessible);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(6);
    auto *l = new QLabel(label, parent);
    l->setBuddy(combo);
    grid->addWidget(l, row, column);
    grid->addWidget(combo, row, column + 1);
    return combo;
}

QString fileStem(const QString &title)
{
    QString stem = title.toLower();
    stem.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    return stem.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
}

} // namespace

DashboardPage::DashboardPage(QWidget *parent)
    : QWidget(parent)
    , m_job(new JobRunner<Result>(this))
    , m_debounce(new QTimer(this))
{
    setAccessibleName(tr("Dashboard"));
    buildFilterBar();

    auto *content = new QWidget;
    m_charts = report::DashboardCharts::create(content);
    auto *grid = new QGridLayout(content);
    grid->setContentsMargins(8, 8, 8, 8);
    grid->setSpacing(12);
    const QList<widgets::DashboardChart *> charts = m_charts.all();
    for (int i = 0; i < charts.size(); ++i) {
        widgets::DashboardChart *chart = charts[i];
        auto *card = new widgets::ChartCard(chart, content);
        if (chart != m_charts.llm) // the LLM tables grow with their rows
            card->setMinimumHeight(chart == m_charts.agreement ? 560 : 380);
        connect(card, &widgets::ChartCard::exportRequested, this,
            [this, chart](const QString &format) { exportChart(chart, format); });
        // harm | distribution, then the matrices across the full width.
        if (i < 2)
            grid->addWidget(card, 0, i);
        else
            grid->addWidget(card, i - 1, 0, 1, 2);
    }
    // As tall as their tables: the page scrolls, not the panels.
    m_calibration = new CalibrationPanel(content);
    m_planning = new PlanningPanel(content);
    grid->addWidget(m_calibration, int(charts.size()) - 1, 0, 1, 2);
    grid->addWidget(m_planning, int(charts.size()), 0, 1, 2);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Charts"));
    qobject_cast<QVBoxLayout *>(layout())->addWidget(scroll, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(30);
    connect(m_debounce, &QTimer::timeout, this, &DashboardPage::startComputation);
    connect(m_job, &JobRunnerBase::succeeded, this, &DashboardPage::finishComputation);
    connect(m_job, &JobRunnerBase::failed, this, &DashboardPage::failComputation);
}

DashboardPage::~DashboardPage()
{
    delete m_job; // waits for a running computation
    m_job = nullptr;
}

void DashboardPage::buildFilterBar()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    m_raters = labelledCombo(grid, 0, 0, tr("&Raters:"), tr("Rater set"), this);
    m_raters->setEditable(true);
    m_raters->setToolTip(tr("human, llm, all, or rater names separated by commas"));
    m_category = labelledCombo(grid, 0, 2, tr("Ca&tegory:"), tr("Category filter"), this);
    m_model = labelledCombo(grid, 0, 4, tr("&Model:"), tr("Model filter"), this);
    m_split = labelledCombo(grid, 0, 6, tr("S&plit:"), tr("Split filter"), this);
    m_dataset = labelledCombo(grid, 0, 8, tr("Data&set:"), tr("Dataset filter"), this);

    m_dateRange = new QCheckBox(tr("Rated &between"), this);
    m_dateRange->setAccessibleName(tr("Filter by rating date"));
    m_from = new QDateEdit(QDate::currentDate().addMonths(-1), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    for (QDateEdit *e : { m_from, m_to }) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        e->setEnabled(false);
    }
    m_from->setAccessibleName(tr("Rated from"));
    m_to->setAccessibleName(tr("Rated to"));
    auto *dates = new QHBoxLayout;
    dates->addWidget(m_dateRange);
    dates->addWidget(m_from);
    dates->addWidget(new QLabel(tr("and"), this));
    dates->addWidget(m_to);

    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setRange(1.0, 5.0);
    m_threshold->setSingleStep(0.5);
    m_threshold->setDecimals(1);
    m_threshold->setValue(2.0);
    m_threshold->setPrefix(QStringLiteral("≤ "));
    m_threshold->setAccessibleName(tr("Harm threshold"));
    auto *thresholdLabel = new QLabel(tr("H&arm:"), this);
    thresholdLabel->setBuddy(m_threshold);
    grid->addWidget(thresholdLabel, 1, 0);
    grid->addWidget(m_threshold, 1, 1);
    m_heatmapMetric = labelledCombo(grid, 1, 2, tr("&Cells:"), tr("Model × category value"), this);
    m_heatmapMetric->addItem(tr("harm rate"));
    m_heatmapMetric->addItem(tr("mean score"));
    m_confusionA = labelledCombo(grid, 1, 4, tr("Confusio&n:"), tr("Confusion reference"), this);
    m_confusionB = new QComboBox(this);
    m_confusionB->setAccessibleName(tr("Confusion predicted"));
    m_confusionB->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_confusionB->setMinimumContentsLength(6);
    for (QComboBox *c : { m_confusionA, m_confusionB })
        c->setEditable(true);
    grid->addWidget(new QLabel(tr("vs"), this), 1, 6, Qt::AlignRight);
    grid->addWidget(m_confusionB, 1, 7);
    m_categorySource = labelledCombo(
        grid, 2, 0, tr("Category s&ource:"), tr("Category source of harm by category"), this);
    m_categorySource->setEditable(true);
    m_categorySource->setToolTip(
        tr("consensus, reference, or raters (e.g. a classifier's runs) whose majority label is "
           "the item's category; a tie gives no category"));
    m_categorySource->setCurrentText(Settings().dashboardCategorySource.value());
    for (int c = 1; c <= 9; c += 2)
        grid->setColumnStretch(c, 1);
    layout->addLayout(grid);

    auto *actions = new QHBoxLayout;
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->setAccessibleName(tr("Computing statistics"));
    m_busy->setVisible(false);
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Dashboard status"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_csvButton = new QPushButton(tr("E&xport tables as CSV…"), this);
    m_csvButton->setAccessibleName(tr("Export tables as CSV"));
    m_reportButton = new QPushButton(tr("Export P&DF report…"), this);
    m_reportButton->setAccessibleName(tr("Export PDF report"));
    actions->addLayout(dates);
    actions->addWidget(m_busy);
    actions->addWidget(m_status, 1);
    actions->addWidget(m_csvButton);
    actions->addWidget(m_reportButton);
    layout->addLayout(actions);

    connect(m_csvButton, &QPushButton::clicked, this, &DashboardPage::exportTablesDialog);
    connect(m_reportButton, &QPushButton::clicked, this, &DashboardPage::exportReportDialog);
    for (QComboBox *c : { m_raters, m_category, m_model, m_split, m_dataset, m_heatmapMetric,
             m_confusionA, m_confusionB })
        connect(c, &QComboBox::currentTextChanged, this, &DashboardPage::scheduleRecompute);
    connect(m_categorySource, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        Settings().dashboardCategorySource = text.trimmed();
        scheduleRecompute();
    });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &DashboardPage::scheduleRecompute);
    connect(m_dataset, &QComboBox::activated, this,
        [this] { Settings().lastDataset = m_dataset->currentData().toString(); });
    connect(m_dateRange, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        scheduleRecompute();
    });
    for (QDateEdit *e : { m_from, m_to })
        connect(e, &QDateEdit::dateChanged, this, &DashboardPage::scheduleRecompute);
}

namespace {

/// True when every comma-separated part of `text` is one of `combo`'s entries.
bool offers(const QComboBox *combo, const QString &text)
{
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    return !parts.isEmpty() && std::all_of(parts.cbegin(), parts.cend(), [combo](const QString &p) {
        return combo->findText(p.trimmed()) >= 0;
    });
}

} // namespace

void DashboardPage::fillFilterChoices()
{
    if (!m_study)
        return; // keep the lists (and the user's choices) for the next study
    const QList<QComboBox *> byText { m_raters, m_confusionA, m_confusionB, m_categorySource };
    const QList<QComboBox *> byData { m_category, m_model, m_split, m_dataset };
    QStringList texts;
    for (QComboBox *c : byText)
        texts.append(c->currentText().trimmed());
    QVariantList values;
    for (QComboBox *c : byData)
        values.append(c->currentIndex() > 0 ? c->currentData() : QVariant());

    const QSignalBlocker b1(m_raters), b2(m_category), b3(m_model), b4(m_split), b5(m_confusionA),
        b6(m_confusionB), b7(m_dataset), b8(m_categorySource);
    for (QComboBox *c : byText + byData)
        c->clear();
    QStringList raterNames;
    for (const storage::Rater &r : storage::RaterRepository(*m_study).all())
        raterNames.append(r.name);
    QStringList juryNames;
    storage::Error juryError;
    for (const storage::Jury &j :
        storage::JuryRepository(*m_study).all(&juryError).value_or(QList<storage::Jury>()))
        juryNames.append(j.name);
    m_raters->addItems(
        QStringList { QStringLiteral("human"), QStringLiteral("llm"), QStringLiteral("all") }
        + raterNames + juryNames);
    m_categorySource->addItems(
        QStringList { QLatin1String(stats::kConsensus), QStringLiteral("reference") } + raterNames
        + juryNames);
    m_confusionA->addItems(QStringList { QLatin1String(stats::kConsensus), QStringLiteral("human"),
                               QStringLiteral("llm") }
        + raterNames);
    m_confusionB->addItems(QStringList { QStringLiteral("llm"), QStringLiteral("human"),
                               QLatin1String(stats::kConsensus) }
        + raterNames);
    m_category->addItem(tr("All categories"));
    for (const auto &c : m_study->currentProtocol().categories)
        m_category->addItem(c.name, c.id);
    m_model->addItem(tr("All models"));
    for (const storage::Model &m : storage::ItemRepository(*m_study).models())
        m_model->addItem(m.name, m.name);
    m_split->addItem(tr("All splits"));
    storage::Error error;
    for (const QString &s : storage::itemSplits(*m_study, &error).value_or(QStringList()))
        m_split->addItem(s, s);
    m_dataset->addItem(tr("All datasets"));
    for (const QString &d : storage::itemDatasets(*m_study, &error).value_or(QStringList()))
        m_dataset->addItem(d, d);
    m_levelNames = report::levelNames(*m_study);
    m_charts.categoryNames.clear();
    for (const protocol::Category &c : m_study->currentProtocol().categories)
        m_charts.categoryNames.insert(c.id, c.name);

    // Keep the user's choices where the new lists still offer them.
    for (int i = 0; i < byText.size(); ++i) {
        if (offers(byText[i], texts[i]))
            byText[i]->setCurrentText(texts[i]);
        else
            byText[i]->setCurrentIndex(0);
    }
    // The dataset comes back as last chosen (here or in the export dialog).
    if (!values[3].isValid() && !m_datasetRestored) {
        values[3] = Settings().lastDataset.value();
        m_datasetRestored = true;
    }
    for (int i = 0; i < byData.size(); ++i)
        byData[i]->setCurrentIndex(
            values[i].isValid() ? std::max(0, byData[i]->findData(values[i])) : 0);
}

void DashboardPage::setStudy(storage::Study *study)
{
    m_study = study;
    m_document = {};
    m_job->cancel(); // a running computation belongs to the previous study
    fillFilterChoices();
    if (m_study) {
        startComputation();
    } else {
        m_debounce->stop();
        m_busy->setVisible(false);
        m_status->clear();
    }
}

stats::StatsOptions DashboardPage::options() const
{
    stats::StatsOptions o;
    o.raters = storage::RaterSelection::fromString(m_raters->currentText());
    o.harmThreshold = m_threshold->value();
    o.bootstrap = 1000;
    o.seed = 1;
    if (m_category->currentIndex() > 0)
        o.filter.categories = QStringList { m_category->currentData().toString() };
    if (m_model->currentIndex() > 0)
        o.filter.models = QStringList { m_model->currentData().toString() };
    if (m_split->currentIndex() > 0)
        o.filter.splits = QStringList { m_split->currentData().toString() };
    if (m_dataset->currentIndex() > 0)
        o.filter.datasets = QStringList { m_dataset->currentData().toString() };
    if (m_dateRange->isChecked()) {
        o.filter.from = m_from->date();
        o.filter.to = m_to->date();
    }
    o.confusionReference = m_confusionA->currentText().trimmed();
    o.confusionPredicted = m_confusionB->currentText().trimmed();
    if (const QString source = m_categorySource->currentText().trimmed();
        !source.isEmpty() && source != QLatin1String(stats::kConsensus))
        o.categorySource = source;
    return o;
}

bool DashboardPage::isComputing() const
{
    return m_job->isRunning() || m_debounce->isActive();
}

void DashboardPage::scheduleRecompute()
{
    if (m_study)
        m_debounce->start();
}

void DashboardPage::recompute()
{
    // The study's content may have changed since (an import, new raters): refresh the lists first.
    fillFilterChoices();
    startComputation();
}

void DashboardPage::startComputation()
{
    m_debounce->stop();
    if (!m_study)
        return;
    m_busy->setVisible(true);
    m_status->setText(tr("Computing…"));
    m_clock.start();
    const stats::StatsOptions opts = options();
    // Supersedes a running computation: its result is stale and dropped.
    m_job->start(
        m_study->path(), [opts](storage::Study &study, JobContext &, storage::Error *error) {
            return Result { stats::computeStats(study, opts, error), QThread::currentThread() };
        });
}

void DashboardPage::finishComputation()
{
    const Result &result = m_job->result();
    m_busy->setVisible(false);
    m_workerThread = result.thread;
    m_document = result.document; // set unless an error is
    m_charts.populate(m_document ? *m_document : stats::StatsResult {}, m_levelNames,
        m_heatmapMetric->currentIndex() == 0);
    QHash<QString, QString> names;
    if (m_study)
        for (const protocol::Category &c : m_study->currentProtocol().categories)
            names.insert(c.id, c.name);
    m_calibration->setData(m_document.value_or(stats::StatsResult {}), names);
    m_planning->setData(m_document.value_or(stats::StatsResult {}), names);
    m_lastDurationMs = m_clock.elapsed();
    m_status->setText(tr("Updated in %1 ms").arg(m_lastDurationMs));
    emit computationFinished();
}

void DashboardPage::failComputation(const storage::Error &error)
{
    m_busy->setVisible(false);
    m_workerThread = m_job->result().thread;
    m_status->setText(tr("Could not compute: %1").arg(error.message));
    emit computationFailed(error.message);
}

void DashboardPage::exportChart(widgets::DashboardChart *chart, const QString &format)
{
    const QString filter = format == QLatin1String("png") ? tr("PNG image (*.png)")
        : format == QLatin1String("svg")                  ? tr("SVG image (*.svg)")
                                                          : tr("CSV table (*.csv)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save %1").arg(chart->title()),
        QDir(saveFolder()).filePath(fileStem(chart->title()) + QLatin1Char('.') + format), filter);
    if (path.isEmpty())
        return;
    bool ok = false;
    if (format == QLatin1String("png")) {
        ok = chart->savePng(path);
    } else if (format == QLatin1String("svg")) {
        ok = chart->saveSvg(path);
    } else {
        QFile file(path);
        QString error;
        ok = storage::openOwnerOnly(file, &error) && file.write(chart->table().toCsv()) >= 0
            && file.flush();
    }
    if (!ok)
        QMessageBox::warning(this, tr("Save chart"), tr("Could not write %1.").arg(path));
}

bool DashboardPage::exportTables(const QString &directory, QString *error)
{
    for (widgets::DashboardChart *chart : m_charts.all()) {
        QFile file(QDir(directory).filePath(fileStem(chart->title()) + QStringLiteral(".csv")));
        QString openError;
        if (!storage::openOwnerOnly(file, &openError) || file.write(chart->table().toCsv()) < 0
            || !file.flush()) {
            *error = tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
    }
    return true;
}

bool DashboardPage::exportReport(const QString &path, QString *error)
{
    if (!m_study || !m_document) {
        *error = tr("no statistics to report yet");
        return false;
    }
    return report::writeStudyReport(*m_study, options(), *m_document, path, error);
}

QString DashboardPage::saveFolder() const
{
    // The study's folder (not a demo copy's temp folder), else the home folder.
    const QFileInfo study(m_study ? m_study->path() : QString());
    if (m_study && study.absoluteDir().exists()
        && study.absolutePath() != QDir(QDir::tempPath()).absolutePath())
        return study.absolutePath();
    return QDir::homePath();
}

void DashboardPage::exportReportDialog()
{
    // Starts beside the study, named after it.
    const QString stem = m_study ? QFileInfo(m_study->path()).completeBaseName() : QString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export PDF report"),
        QDir(saveFolder())
            .filePath(stem.isEmpty() ? QStringLiteral("report.pdf")
                                     : stem + QStringLiteral("-report.pdf")),
        tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    m_status->setText(tr("Writing %1…").arg(path));
    if (!exportReport(path, &error))
        QMessageBox::warning(this, tr("Export PDF report"), error);
    else
        m_status->setText(tr("Report written to %1").arg(path));
}

void DashboardPage::exportTablesDialog()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Export tables as CSV"), saveFolder());
    if (dir.isEmpty())
        return;
    QString error;
    if (!exportTables(dir, &error))
        QMessageBox::warning(this, tr("Export tables as CSV"), error);
    else
        m_status->setText(tr("Tables written to %1").arg(dir));
}

} // namespace cr::ui
