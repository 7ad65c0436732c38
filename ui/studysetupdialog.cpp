#include "ui/studysetupdialog.h"

#include "storage/repositories.h"
#include "storage/study.h"
#include "storage/studyinfo.h"
#include "ui/jobrunner.h"
#include "ui/raterstablemodel.h"
#include "widgets/messagebanner.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <limits>
#include <memory>

namespace cr::ui {

StudySetupDialog::StudySetupDialog(storage::Study *study, QWidget *parent)
    : QDialog(parent)
    , m_study(study)
    , m_raters(new RatersTableModel(this))
    , m_ratersView(new QTableView(this))
    , m_name(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_role(new QComboBox(this))
    , m_add(new QPushButton(tr("&Add Rater"), this))
    , m_assignees(new QListWidget(this))
    , m_perItem(new QSpinBox(this))
    , m_seed(new QSpinBox(this))
    , m_calibration(new QLineEdit(this))
    , m_assign(new QPushButton(tr("A&ssign Items"), this))
    , m_busy(new QProgressBar(this))
    , m_message(new widgets::MessageBanner(this))
    , m_assignment(new JobRunner<Assigned>(this))
{
    setWindowTitle(tr("Set Up Raters and Assignments"));
    connect(m_assignment, &JobRunnerBase::succeeded, this, [this] { finishAssignment({}); });
    connect(m_assignment, &JobRunnerBase::failed, this, &StudySetupDialog::finishAssignment);
    setAccessibleName(tr("Set up raters and assignments"));

    // Raters: who is in the study and how much each has been given.
    m_ratersView->setModel(m_raters);
    m_ratersView->setAccessibleName(tr("Raters and their assigned items"));
    m_ratersView->setSelectionMode(QAbstractItemView::NoSelection);
    m_ratersView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ratersView->verticalHeader()->hide();
    m_ratersView->setAlternatingRowColors(true);
    m_ratersView->setShowGrid(false);
    m_ratersView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ratersView->horizontalHeader()->setSectionResizeMode(
        RatersTableModel::NameColumn, QHeaderView::Stretch);

    m_name->setAccessibleName(tr("New rater name"));
    m_name->setPlaceholderText(tr("e.g. clinician-03"));
    m_kind->addItem(tr("Person"), int(storage::RaterKind::Human));
    m_kind->addItem(tr("LLM"), int(storage::RaterKind::Llm));
    m_kind->setAccessibleName(tr("New rater kind"));
    m_role->addItem(tr("Rater"), int(storage::RaterRole::Rater));
    m_role->addItem(tr("Adjudicator"), int(storage::RaterRole::Adjudicator));
    m_role->addItem(tr("Researcher"), int(storage::RaterRole::Researcher));
    m_role->setAccessibleName(tr("New rater role"));
    m_add->setAccessibleName(tr("Add rater"));
    connect(m_name, &QLineEdit::textChanged, this, &StudySetupDialog::updateButtons);
    connect(m_name, &QLineEdit::returnPressed, this, &StudySetupDialog::addRater);
    connect(m_add, &QPushButton::clicked, this, &StudySetupDialog::addRater);

    auto *ratersBox = new QGroupBox(tr("Raters"), this);
    auto *addRow = new QHBoxLayout;
    auto *nameLabel = new QLabel(tr("&Name:"), ratersBox);
    nameLabel->setBuddy(m_name);
    addRow->addWidget(nameLabel);
    addRow->addWidget(m_name, 1);
    addRow->addWidget(m_kind);
    addRow->addWidget(m_role);
    addRow->addWidget(m_add);
    auto *ratersLayout = new QVBoxLayout(ratersBox);
    ratersLayout->addWidget(m_ratersView, 1);
    ratersLayout->addLayout(addRow);

    // Assignment: which raters, how many per item, seed, calibration items.
    m_assignees->setAccessibleName(tr("Raters to assign items to"));
    m_assignees->setMaximumHeight(m_assignees->fontMetrics().lineSpacing() * 7);
    connect(m_assignees, &QListWidget::itemChanged, this, &StudySetupDialog::updateButtons);
    m_perItem->setMinimum(1);
    m_perItem->setAccessibleName(tr("Raters per item"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_seed->setAccessibleName(tr("Seed"));
    m_seed->setToolTip(tr("The same seed, raters and items give the same assignment."));
    m_calibration->setAccessibleName(tr("Calibration items"));
    m_calibration->setPlaceholderText(tr("item ids, comma-separated (optional)"));
    m_calibration->setToolTip(tr("Items every checked rater gets, to compare raters on."));
    m_assign->setAccessibleName(tr("Assign items"));
    connect(m_assign, &QPushButton::clicked, this, &StudySetupDialog::startAssignment);
    m_busy->setRange(0, 0);
    m_busy->setAccessibleName(tr("Assigning"));
    m_busy->hide();

    auto *assignBox = new QGroupBox(tr("Assign Items"), this);
    auto *form = new QFormLayout(assignBox);
    form->addRow(tr("&Raters:"), m_assignees);
    form->addRow(tr("Raters &per item:"), m_perItem);
    form->addRow(tr("S&eed:"), m_seed);
    form->addRow(tr("&Calibration items:"), m_calibration);
    auto *assignRow = new QHBoxLayout;
    assignRow->addWidget(m_assign);
    assignRow->addWidget(m_busy, 1);
    form->addRow(assignRow);

    m_message->setCloseButtonVisible(false);
    m_message->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(ratersBox, 1);
    layout->addWidget(assignBox);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(720, 640);
    refresh();
}

StudySetupDialog::~StudySetupDialog()
{
    delete m_assignment; // waits for a running assignment while this dialog still exists
    m_assignment = nullptr;
}

bool StudySetupDialog::isAssigning() const
{
    return m_assignment && m_assignment->isRunning();
}

QString StudySetupDialog::message() const
{
    return m_message->text();
}

void StudySetupDialog::showMessage(const QString &text, bool error)
{
    m_message->showMessage(
        error ? widgets::MessageBanner::Kind::Error : widgets::MessageBanner::Kind::Information,
        text);
}

void StudySetupDialog::refresh()
{
    const storage::StudyInfo info = storage::summarize(*m_study);
    m_raters->setRows(info.raterRows);
    // Keep the checks the researcher made; new people with role "rater" start checked.
    QHash<QString, bool> checked;
    for (int i = 0; i < m_assignees->count(); ++i)
        checked.insert(m_assignees->item(i)->data(Qt::UserRole + 1).toString(),
            m_assignees->item(i)->checkState() == Qt::Checked);
    const QSignalBlocker blocker(m_assignees);
    m_assignees->clear();
    for (const storage::Rater &rater : storage::RaterRepository(*m_study).all()) {
        auto *item = new QListWidgetItem(
            rater.kind == storage::RaterKind::Llm ? tr("%1 (LLM)").arg(rater.name) : rater.name,
            m_assignees);
        item->setData(Qt::UserRole, rater.id);
        item->setData(Qt::UserRole + 1, rater.name);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        const bool wanted = checked.contains(rater.name)
            ? checked.value(rater.name)
            : rater.kind == storage::RaterKind::Human && rater.role == storage::RaterRole::Rater;
        item->setCheckState(wanted ? Qt::Checked : Qt::Unchecked);
    }
    updateButtons();
}

void StudySetupDialog::updateButtons()
{
    int checked = 0;
    for (int i = 0; i < m_assignees->count(); ++i)
        checked += m_assignees->item(i)->checkState() == Qt::Checked ? 1 : 0;
    m_perItem->setMaximum(std::max(1, checked));
    const bool busy = isAssigning();
    m_add->setEnabled(!busy && !m_name->text().trimmed().isEmpty());
    m_assign->setEnabled(!busy && checked > 0);
    m_assignees->setEnabled(!busy);
}

bool StudySetupDialog::addRater()
{
    const QString name = m_name->text().trimmed();
    storage::Error error;
    const auto kind = storage::RaterKind(m_kind->currentData().toInt());
    const auto role = storage::RaterRole(m_role->currentData().toInt());
    const std::optional<storage::Rater> rater =
        storage::RaterRepository(*m_study).add(name, kind, role, &error);
    if (!rater) {
        showMessage(tr("Rater “%1” was not added: %2").arg(name, error.message), true);
        return false;
    }
    m_name->clear();
    refresh();
    showMessage(
        tr("Added %1 (%2, %3) as %4.")
            .arg(rater->name, m_kind->currentText(), m_role->currentText(), rater->pseudonym),
        false);
    emit studyChanged();
    return true;
}

bool StudySetupDialog::startAssignment()
{
    if (isAssigning())
        return false;
    QList<qint64> raterIds;
    for (int i = 0; i < m_assignees->count(); ++i)
        if (m_assignees->item(i)->checkState() == Qt::Checked)
            raterIds.append(m_assignees->item(i)->data(Qt::UserRole).toLongLong());
    if (raterIds.isEmpty()) {
        showMessage(tr("Check at least one rater to assign items to."), true);
        return false;
    }
    QList<qint64> calibration;
    const QStringList ids = m_calibration->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    const storage::ItemRepository items(*m_study);
    for (int i = 0; i < ids.size(); ++i) {
        const QString id = ids.at(i).trimmed();
        if (id.isEmpty())
            continue;
        const std::optional<storage::Item> item = items.byExternalId(id);
        if (!item) {
            showMessage(tr("Calibration items: “%1” (number %2 in the list) is not an item of this "
                           "study. Nothing was assigned.")
                            .arg(id)
                            .arg(i + 1),
                true);
            return false;
        }
        calibration.append(item->id);
    }
    const int perItem = m_perItem->value();
    const auto seed = quint64(m_seed->value());
    const QString actor = m_study->actor();
    m_assignment->start(m_study->path(),
        [actor, raterIds, perItem, seed, calibration](
            storage::Study &study, JobContext &, storage::Error *error) {
            study.setActor(actor);
            const int added = storage::AssignmentRepository(study).assign(
                raterIds, perItem, seed, calibration, error);
            if (added < 0 && !error->isError())
                *error = storage::Error::storage(QStringLiteral("the assignment failed"));
            return Assigned { added, perItem, raterIds.size() };
        });
    m_busy->show();
    showMessage(tr("Assigning…"), false);
    updateButtons();
    return true;
}

void StudySetupDialog::finishAssignment(const storage::Error &error)
{
    const Assigned &done = m_assignment->result();
    m_busy->hide();
    refresh();
    if (error.isError()) {
        showMessage(tr("Nothing was assigned: %1").arg(error.message), true);
        emit assignmentFinished(false);
        return;
    }
    showMessage(done.added == 0
            ? tr("Every item already has %1 of these raters; nothing was added.").arg(done.perItem)
            : tr("Assigned %1 new item(s) across %2 rater(s), %3 per item. The table "
                 "shows each rater's total.")
                  .arg(QLocale().toString(done.added))
                  .arg(done.raters)
                  .arg(done.perItem),
        false);
    emit studyChanged();
    emit assignmentFinished(true);
}

} // namespace cr::ui
