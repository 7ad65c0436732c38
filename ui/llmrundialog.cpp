#include "ui/llmrundialog.h"

#include "llm/endpoint.h"
#include "storage/study.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace cr::ui {

LlmRunner::Work llmRunJob(llm::RunOptions options, std::shared_ptr<LlmLiveCounts> live)
{
    return [options, live](storage::Study &study, JobContext &context, storage::Error *error) {
        llm::RunOptions o = options;
        o.cancelled = [&context] { return context.isCancelled(); };
        o.progress = [&context, live](const llm::RunProgress &p) {
            live->attempts = p.attempts;
            live->failedAttempts = p.failedAttempts;
            live->failedUnits = p.failedUnits;
            context.reportProgress(p.done + p.failedUnits, p.total);
        };
        study.setActor(QStringLiteral("gui:llm"));
        LlmJobResult result;
        result.summary = llm::runTask(study, o, error);
        return result;
    };
}

LlmRunDialog::LlmRunDialog(storage::Study *study, QWidget *parent)
    : QDialog(parent)
    , m_study(study)
    , m_task(new QComboBox(this))
    , m_endpoint(new QComboBox(this))
    , m_runs(new QSpinBox(this))
    , m_models(new QLineEdit(this))
    , m_endpoints(new QPushButton(tr("&Endpoints…"), this))
    , m_dryRun(new QPushButton(tr("&Count Requests"), this))
    , m_start(new QPushButton(tr("&Start"), this))
    , m_cancel(new QPushButton(tr("Cancel Run"), this))
    , m_progress(new QProgressBar(this))
    , m_rate(new QLabel(this))
    , m_status(new QLabel(this))
    , m_runner(new LlmRunner(this))
    , m_live(std::make_shared<LlmLiveCounts>())
{
    setWindowTitle(tr("Run LLM"));
    m_task->addItem(tr("Respond: the endpoint's model answers each message"),
        llm::taskName(llm::Task::Respond));
    m_task->addItem(tr("Classify: an LLM rater labels each message's category"),
        llm::taskName(llm::Task::Classify));
    m_task->addItem(
        tr("Judge: an LLM rater scores each response 1–5"), llm::taskName(llm::Task::Judge));
    m_task->setCurrentIndex(2);
    m_runs->setRange(1, 20);
    m_models->setPlaceholderText(tr("all response models (comma-separated names)"));
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *endpointRow = new QHBoxLayout;
    endpointRow->addWidget(m_endpoint, 1);
    endpointRow->addWidget(m_endpoints);
    auto *form = new QFormLayout;
    form->addRow(tr("&Kind:"), m_task);
    form->addRow(tr("E&ndpoint:"), endpointRow);
    form->addRow(tr("&Models judged:"), m_models);
    form->addRow(tr("&Runs:"), m_runs);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_dryRun, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_rate);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_task, &QComboBox::currentIndexChanged, this, [this] {
        m_models->setEnabled(m_task->currentData().toString() == llm::taskName(llm::Task::Judge));
    });
    connect(m_endpoints, &QPushButton::clicked, this, [this] {
        EndpointsDialog dialog(this);
        dialog.exec();
        reloadEndpoints();
    });
    connect(m_start, &QPushButton::clicked, this, [this] { start(false); });
    connect(m_dryRun, &QPushButton::clicked, this, [this] { start(true); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_runner->cancel();
        finished(false, tr("Cancelled. What was done is kept; Start resumes the run."));
    });
    connect(m_runner, &JobRunnerBase::progressed, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, int(std::max<qint64>(1, total)));
        m_progress->setValue(int(done));
        showCounts();
    });
    connect(m_runner, &JobRunnerBase::succeeded, this, [this] { finished(true, QString()); });
    connect(m_runner, &JobRunnerBase::failed, this,
        [this](const storage::Error &error) { finished(false, error.message); });
    auto *timer = new QTimer(this);
    timer->setInterval(500);
    connect(timer, &QTimer::timeout, this, [this] {
        if (m_runner->isRunning())
            showCounts();
    });
    timer->start();
    reloadEndpoints();
}

bool LlmRunDialog::isRunning() const
{
    return m_runner->isRunning();
}

void LlmRunDialog::reloadEndpoints()
{
    const QString current = m_endpoint->currentText();
    m_endpoint->clear();
    for (const llm::EndpointProfile &e : llm::EndpointStore::all())
        m_endpoint->addItem(e.name);
    m_endpoint->setCurrentText(current);
    const bool any = m_endpoint->count() > 0;
    m_start->setEnabled(any && !isRunning());
    m_dryRun->setEnabled(any && !isRunning());
    if (!any)
        m_status->setText(tr("No endpoint profile yet: add one with Endpoints…"));
}

void LlmRunDialog::start(bool dryRun)
{
    const auto endpoint = llm::EndpointStore::find(m_endpoint->currentText());
    if (!m_study || !endpoint) {
        m_status->setText(tr("Choose an endpoint profile."));
        return;
    }
    llm::RunOptions options;
    options.task = *llm::taskFromName(m_task->currentData().toString());
    options.endpoint = *endpoint;
    options.runs = m_runs->value();
    options.dryRun = dryRun;
    if (options.task == llm::Task::Judge)
        for (const QString &m : m_models->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            options.models.append(m.trimmed());
    m_live->attempts = 0;
    m_live->failedAttempts = 0;
    m_live->failedUnits = 0;
    m_dryRunning = dryRun;
    m_clock.start();
    m_progress->setRange(0, 0); // busy until the first progress report
    m_rate->clear();
    m_status->setText(dryRun ? tr("Counting…") : tr("Running against %1…").arg(endpoint->name));
    m_start->setEnabled(false);
    m_dryRun->setEnabled(false);
    m_cancel->setEnabled(!dryRun);
    m_runner->start(m_study->path(), llmRunJob(options, m_live));
}

void LlmRunDialog::showCounts()
{
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    const qint64 attempts = m_live->attempts;
    m_rate->setText(tr("%1 requests/s · %2 failed attempts · %3 given up")
                        .arg(seconds > 0 ? double(attempts) / seconds : 0.0, 0, 'f', 1)
                        .arg(m_live->failedAttempts.load())
                        .arg(m_live->failedUnits.load()));
}

void LlmRunDialog::finished(bool ok, const QString &error)
{
    m_cancel->setEnabled(false);
    m_start->setEnabled(m_endpoint->count() > 0);
    m_dryRun->setEnabled(m_endpoint->count() > 0);
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    if (!ok) {
        m_status->setText(error);
        if (!m_dryRunning)
            emit studyChanged();
        return;
    }
    const std::optional<llm::RunSummary> &s = m_runner->result().summary;
    if (!s)
        return;
    const llm::RunProgress &p = s->progress;
    if (m_dryRunning) {
        m_status->setText(tr("%1 requests to send (%2 already done); about %3 prompt tokens + up "
                             "to %4 completion tokens.")
                              .arg(p.total)
                              .arg(s->alreadyDone)
                              .arg(s->promptTokensEstimate)
                              .arg(s->completionTokensLimit));
        return;
    }
    showCounts();
    m_progress->setRange(0, int(std::max<qint64>(1, p.total)));
    m_progress->setValue(int(p.total == 0 ? 1 : p.done + p.failedUnits));
    QString text = tr("Done: %1 of %2 (%3 already before); %4 given up.")
                       .arg(p.done)
                       .arg(p.total)
                       .arg(s->alreadyDone)
                       .arg(p.failedUnits);
    if (s->skippedNoCategory > 0)
        text += QLatin1Char(' ')
            + tr("%1 skipped: their item has no category.").arg(s->skippedNoCategory);
    if (!s->stopReason.isEmpty())
        text = s->stopReason;
    m_status->setText(text);
    emit studyChanged();
}

EndpointsDialog::EndpointsDialog(QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_model(new QLineEdit(this))
    , m_keyEnv(new QLineEdit(this))
    , m_concurrency(new QSpinBox(this))
    , m_rpm(new QSpinBox(this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_maxTokens(new QSpinBox(this))
    , m_timeout(new QDoubleSpinBox(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("LLM Endpoints"));
    m_table->setColumnCount(6);
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("URL"), tr("Model"), tr("Key from"),
        tr("Concurrency"), tr("Per minute") });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080/v1"));
    m_keyEnv->setPlaceholderText(
        tr("environment variable holding the key (none for a local server)"));
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(4);
    m_rpm->setRange(0, 1000000);
    m_rpm->setSpecialValueText(tr("no limit"));
    m_temperature->setRange(0, 2);
    m_temperature->setSingleStep(0.1);
    m_maxTokens->setRange(1, 1000000);
    m_maxTokens->setValue(256);
    m_timeout->setRange(1, 3600);
    m_timeout->setValue(60);
    m_timeout->setSuffix(tr(" s"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Model:"), m_model);
    form->addRow(tr("&Key variable:"), m_keyEnv);
    form->addRow(tr("&Concurrency:"), m_concurrency);
    form->addRow(tr("Requests per &minute:"), m_rpm);
    form->addRow(tr("&Temperature:"), m_temperature);
    form->addRow(tr("Max &tokens:"), m_maxTokens);
    form->addRow(tr("T&imeout:"), m_timeout);
    auto *save = new QPushButton(tr("&Save"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(save, QDialogButtonBox::ActionRole);
    buttons->addButton(remove, QDialogButtonBox::ActionRole);
    auto *note = new QLabel(tr("Keys are never stored: a profile names the environment variable "
                               "that holds its key."),
        this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save, &QPushButton::clicked, this, [this] { saveForm(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (llm::EndpointStore::remove(m_name->text()))
            m_message->setText(tr("Removed %1.").arg(m_name->text()));
        reload();
    });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { fillForm(row); });
    reload();
}

bool EndpointsDialog::saveForm()
{
    llm::EndpointProfile e;
    e.name = m_name->text().trimmed();
    e.url = m_url->text().trimmed();
    e.model = m_model->text().trimmed();
    e.keyEnv = m_keyEnv->text().trimmed();
    e.concurrency = m_concurrency->value();
    e.rpm = m_rpm->value();
    e.temperature = m_temperature->value();
    e.maxTokens = m_maxTokens->value();
    e.timeoutSeconds = m_timeout->value();
    if (const auto old = llm::EndpointStore::find(e.name))
        e.seed = old->seed;
    if (const QString problem = e.problem(); !problem.isEmpty()) {
        m_message->setText(problem);
        return false;
    }
    llm::EndpointStore::save(e);
    m_message->setText(tr("Saved %1.").arg(e.name));
    reload();
    return true;
}

void EndpointsDialog::reload()
{
    const QList<llm::EndpointProfile> all = llm::EndpointStore::all();
    m_table->setRowCount(int(all.size()));
    for (int r = 0; r < all.size(); ++r) {
        const llm::EndpointProfile &e = all.at(r);
        const QStringList cells { e.name, e.url, e.model,
            e.keyEnv.isEmpty() ? tr("none") : QStringLiteral("$") + e.keyEnv,
            QString::number(e.concurrency), e.rpm ? QString::number(e.rpm) : tr("no limit") };
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(r, c, new QTableWidgetItem(cells.at(c)));
    }
}

void EndpointsDialog::fillForm(int row)
{
    const auto e = row >= 0 && m_table->item(row, 0)
        ? llm::EndpointStore::find(m_table->item(row, 0)->text())
        : std::nullopt;
    if (!e)
        return;
    m_name->setText(e->name);
    m_url->setText(e->url);
    m_model->setText(e->model);
    m_keyEnv->setText(e->keyEnv);
    m_concurrency->setValue(e->concurrency);
    m_rpm->setValue(e->rpm);
    m_temperature->setValue(e->temperature);
    m_maxTokens->setValue(e->maxTokens);
    m_timeout->setValue(e->timeoutSeconds);
}

} // namespace cr::ui
