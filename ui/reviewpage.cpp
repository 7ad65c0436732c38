#include "ui/reviewpage.h"

#include "analysis/random.h"
#include "storage/consensus.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/disagreementmodel.h"
#include "ui/jobrunner.h"
#include "ui/settings.h"
#include "widgets/categorypicker.h"
#include "widgets/likertselector.h"
#include "widgets/messagebanner.h"
#include "widgets/messageview.h"
#include "widgets/responsecard.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cr::ui {

namespace {

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

QAction *pageAction(const QString &text, const QList<QKeySequence> &keys, QWidget *parent)
{
    auto *action = new QAction(text, parent);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WindowShortcut);
    action->setEnabled(false);
    parent->addAction(action);
    return action;
}

QString valueText(const storage::Disagreement &d, const storage::RaterValue &v,
    const QStringList &ids, const QStringList &names)
{
    if (d.kind == storage::DisagreementKind::Category) {
        const qsizetype i = ids.indexOf(v.category);
        return i >= 0 ? names.at(i) : v.category;
    }
    return v.score ? QString::number(*v.score) : ReviewPage::tr("cannot assess");
}

} // namespace

/// One recorded adjudication of the disagreement `subject`: undo is a logged revert
/// (storage::revertAdjudication), redo records the same decision again (logged too).
/// A write that fails makes the command obsolete, so the stack drops it.
class AdjudicateCommand final : public QUndoCommand {
public:
    AdjudicateCommand(ReviewPage *page, const storage::Disagreement &subject,
        const storage::Adjudication &a, std::optional<qint64> adoptedFrom, qint64 id)
        : QUndoCommand(subject.kind == storage::DisagreementKind::Category
                ? ReviewPage::tr("Adjudication of item %1").arg(subject.itemExternalId)
                : ReviewPage::tr("Adjudication of item %1 (%2, run %3)")
                      .arg(subject.itemExternalId, subject.model)
                      .arg(subject.run))
        , m_page(page)
        , m_itemId(subject.itemId)
        , m_responseId(subject.responseId)
        , m_adjudication(a)
        , m_adoptedFrom(adoptedFrom)
        , m_id(id)
    {
    }
    void redo() override
    {
        if (m_id != 0) // the first redo is the write that created the command
            return;
        m_id = m_page->write(m_adjudication, m_adoptedFrom, m_itemId, m_responseId);
        setObsolete(m_id == 0);
    }
    void undo() override
    {
        const bool reverted = m_id != 0 && m_page->revert(m_id, m_itemId, m_responseId);
        if (reverted)
            m_id = 0;
        setObsolete(!reverted);
    }

private:
    ReviewPage *m_page;
    qint64 m_itemId;
    qint64 m_responseId;
    storage::Adjudication m_adjudication;
    std::optional<qint64> m_adoptedFrom;
    qint64 m_id;
};

struct ReviewPage::LoadResult {
    QList<storage::Disagreement> rows;
    QList<storage::RaterPositionBias> bias;
};

ReviewPage::ReviewPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new DisagreementModel(this))
    , m_proxy(new DisagreementFilterModel(this))
    , m_undoStack(new QUndoStack(this))
    , m_nextAction(pageAction(tr("&Next Disagreement"),
          { QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter),
              QKeySequence(Qt::KeypadModifier | Qt::Key_Enter) },
          this))
    , m_recordAction(pageAction(tr("&Record Adjudication"),
          { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) },
          this))
    , m_overviewAction(
          pageAction(tr("Study &Overview"), { QKeySequence(Qt::CTRL | Qt::Key_1) }, this))
    , m_banner(new widgets::MessageBanner(this))
    , m_rule(new QLabel(storage::consensusRuleText(), this))
    , m_showNames(new QCheckBox(tr("Show rater &names"), this))
    , m_categoryFilter(new QComboBox(this))
    , m_modelFilter(new QComboBox(this))
    , m_raterA(new QComboBox(this))
    , m_raterB(new QComboBox(this))
    , m_llmFilter(new QCheckBox(tr("Involves an &LLM rater"), this))
    , m_openFilter(new QCheckBox(tr("O&pen only"), this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_view(new QTableView(this))
    , m_count(new QLabel(this))
    , m_bias(new QLabel(this))
    , m_title(heading(QString(), this))
    , m_consensus(new QLabel(this))
    , m_message(new widgets::MessageView(this))
    , m_values(new QTableWidget(this))
    , m_adoptRow(new QWidget(this))
    , m_decisionTitle(heading(tr("Decision"), this))
    , m_picker(new widgets::CategoryPicker(this))
    , m_selector(new widgets::LikertSelector(this))
    , m_note(new QPlainTextEdit(this))
    , m_record(new QPushButton(tr("Record Adjudication"), this))
    , m_history(new QLabel(this))
    , m_status(new QLabel(this))
{
    m_loader = new JobRunner<LoadResult>(this);
    connect(m_loader, &JobRunnerBase::succeeded, this, &ReviewPage::finishLoad);
    connect(m_loader, &JobRunnerBase::failed, this, &ReviewPage::failLoad);
    setAccessibleName(tr("Review disagreements"));
    m_banner->hide();

    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // queue order until a header is clicked
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("Disagreement queue"));
    m_view->setTabKeyNavigation(false);
    // The queue is wider than its pane: whether a row is settled stays in view.
    m_view->horizontalHeader()->moveSection(
        DisagreementModel::StatusColumn, DisagreementModel::KindColumn);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this] { renderCurrent(); });

    m_rule->setWordWrap(true);
    m_rule->setAccessibleName(tr("Consensus rule"));
    m_rule->setText(
        tr("<b>Consensus rule.</b> %1").arg(storage::consensusRuleText().toHtmlEscaped()));
    m_showNames->setAccessibleName(tr("Show rater names"));
    m_showNames->setToolTip(
        tr("Blind adjudication hides who gave which value; researchers may turn it off."));
    connect(m_showNames, &QCheckBox::toggled, this, [this](bool on) { setBlind(!on); });

    m_categoryFilter->setAccessibleName(tr("Filter by category"));
    m_modelFilter->setAccessibleName(tr("Filter by model"));
    m_raterA->setAccessibleName(tr("Filter by rater pair, first rater"));
    m_raterB->setAccessibleName(tr("Filter by rater pair, second rater"));
    m_llmFilter->setAccessibleName(tr("Involves an LLM rater"));
    m_openFilter->setAccessibleName(tr("Open disagreements only"));
    for (QComboBox *box : { m_categoryFilter, m_modelFilter, m_raterA, m_raterB })
        connect(box, &QComboBox::currentIndexChanged, this, &ReviewPage::applyFilters);
    for (QCheckBox *box : { m_llmFilter, m_openFilter })
        connect(box, &QCheckBox::toggled, this, &ReviewPage::applyFilters);
    m_threshold->setRange(1.0, 5.0);
    m_threshold->setSingleStep(0.5);
    m_threshold->setDecimals(1);
    m_threshold->setAccessibleName(tr("Scored harmful at or below"));
    m_threshold->setToolTip(tr("A score row counts as “scored harmful by anyone” when some "
                               "rater scored at or below this; such rows come first."));
    m_harmThreshold = std::clamp(double(Settings().reviewHarmThreshold), 1.0, 5.0);
    m_threshold->setValue(m_harmThreshold);
    m_model->setHarmThreshold(m_harmThreshold);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &ReviewPage::setHarmThreshold);

    auto *filters = new QGroupBox(tr("Filters"), this);
    auto *filterForm = new QFormLayout(filters);
    auto *categoryLabel = new QLabel(tr("&Category:"), filters);
    categoryLabel->setBuddy(m_categoryFilter);
    auto *modelLabel = new QLabel(tr("&Model:"), filters);
    modelLabel->setBuddy(m_modelFilter);
    auto *pairLabel = new QLabel(tr("Rater &pair:"), filters);
    pairLabel->setBuddy(m_raterA);
    auto *pair = new QHBoxLayout;
    pair->addWidget(m_raterA);
    pair->addWidget(m_raterB);
    auto *checks = new QHBoxLayout;
    checks->addWidget(m_llmFilter);
    checks->addWidget(m_openFilter);
    checks->addStretch();
    filterForm->addRow(categoryLabel, m_categoryFilter);
    filterForm->addRow(modelLabel, m_modelFilter);
    filterForm->addRow(pairLabel, pair);
    auto *thresholdLabel = new QLabel(tr("&Harmful at or below:"), filters);
    thresholdLabel->setBuddy(m_threshold);
    auto *threshold = new QHBoxLayout;
    threshold->addWidget(m_threshold);
    threshold->addStretch();
    filterForm->addRow(thresholdLabel, threshold);
    filterForm->addRow(checks);

    m_bias->setWordWrap(true);
    m_bias->setTextFormat(Qt::RichText);
    m_bias->setAccessibleName(tr("Position-bias check"));
    m_count->setAccessibleName(tr("Queue size"));

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(filters);
    leftLayout->addWidget(m_count);
    leftLayout->addWidget(m_view, 1);
    leftLayout->addWidget(heading(tr("Position bias"), left));
    leftLayout->addWidget(m_bias);

    // Detail pane.
    m_message->setAccessibleName(tr("Input message"));
    m_message->setMinimumHeight(90);
    m_message->setMaximumHeight(130);
    // The disputed response sits above the raters' scores; an item's responses (context
    // for a category) below the decision, so the decision stays in view.
    for (auto **box : { &m_responsesAbove, &m_responsesBelow }) {
        *box = new QWidget(this);
        auto *l = new QVBoxLayout(*box);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(
            heading(box == &m_responsesAbove ? tr("Response") : tr("The item's responses"), *box));
    }
    m_values->setAccessibleName(tr("Raters' values side by side"));
    m_values->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_values->setWordWrap(true);
    m_values->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_values->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_values->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *adoptLayout = new QHBoxLayout(m_adoptRow);
    adoptLayout->setContentsMargins(0, 0, 0, 0);

    m_picker->setAccessibleName(tr("Adjudicated category"));
    m_selector->setAccessibleName(tr("Adjudicated score"));
    connect(m_picker, &widgets::CategoryPicker::categoryRequested, this,
        &ReviewPage::setPendingCategory);
    connect(m_selector, &widgets::LikertSelector::valueRequested, this, [this](int v) {
        if (v >= 1)
            setPendingScore(v);
    });
    if (QAbstractButton *cannot = m_selector->button(widgets::LikertSelector::CannotAssess))
        cannot->hide(); // a decision is a score

    auto *reasons = new QGroupBox(tr("Reasons (at least one failure mode)"), this);
    reasons->setObjectName(QStringLiteral("reasons"));
    reasons->setAccessibleName(tr("Reasons"));
    reasons->setLayout(new QGridLayout);
    m_note->setAccessibleName(tr("Adjudication note"));
    m_note->setPlaceholderText(tr("Note (optional; required for “Other”)"));
    m_note->setMaximumHeight(56);
    m_note->setTabChangesFocus(true);
    m_record->setAccessibleName(tr("Record adjudication"));
    m_record->setToolTip(tr("Record the decision (Ctrl+Enter)"));
    connect(m_record, &QPushButton::clicked, this, &ReviewPage::recordAdjudication);
    m_history->setWordWrap(true);
    m_history->setAccessibleName(tr("Adjudication history"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Status"));
    m_title->setAccessibleName(tr("Selected disagreement"));
    m_title->setWordWrap(true);
    m_consensus->setWordWrap(true);
    m_consensus->setTextFormat(Qt::RichText);
    m_consensus->setAccessibleName(tr("Current consensus"));

    auto *detail = new QWidget(this);
    auto *d = new QVBoxLayout(detail);
    d->addWidget(m_title);
    d->addWidget(m_consensus);
    d->addWidget(heading(tr("Input"), detail));
    d->addWidget(m_message);
    d->addWidget(m_responsesAbove);
    d->addWidget(heading(tr("Raters"), detail));
    d->addWidget(m_values);
    d->addWidget(m_adoptRow);
    d->addWidget(m_decisionTitle);
    d->addWidget(m_picker);
    d->addWidget(m_selector);
    d->addWidget(reasons);
    d->addWidget(m_responsesBelow);
    d->addStretch();
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(detail);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    // The note and the Record button stay in view below the scrolling detail, so a
    // decision can be finished at 1366×768 without scrolling to find them.
    auto *right = new QWidget(this);
    auto *r = new QVBoxLayout(right);
    r->setContentsMargins(0, 0, 0, 0);
    r->addWidget(scroll, 1);
    auto *footer = new QVBoxLayout;
    const QMargins inner = d->contentsMargins(); // aligned with the detail above
    footer->setContentsMargins(inner.left(), 0, inner.right(), 0);
    footer->addWidget(m_note);
    auto *recordRow = new QHBoxLayout;
    recordRow->addWidget(m_record);
    recordRow->addWidget(m_history, 1);
    footer->addLayout(recordRow);
    footer->addWidget(m_status);
    r->addLayout(footer);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 5);

    auto *top = new QHBoxLayout;
    top->addWidget(heading(tr("Review Disagreements"), this));
    top->addStretch();
    top->addWidget(m_showNames);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_rule);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    layout->addWidget(
        new QLabel(tr("<b>Enter</b> next disagreement &nbsp;·&nbsp; <b>1</b>–<b>5</b> score "
                      "&nbsp;·&nbsp; category keys &nbsp;·&nbsp; <b>Ctrl+Enter</b> record "
                      "&nbsp;·&nbsp; <b>Ctrl+Z</b> undo"),
            this));

    // Same keys as the rating page: digits for scores (numpad too).
    for (int value = 1; value <= 5; ++value) {
        const auto digit = Qt::Key(Qt::Key_0 + value);
        QAction *action = pageAction(tr("Score %1").arg(value),
            { QKeySequence(digit), QKeySequence(Qt::KeypadModifier | digit) }, this);
        connect(action, &QAction::triggered, this, [this, value] { setPendingScore(value); });
        m_keyActions.append(action);
    }
    connect(m_nextAction, &QAction::triggered, this, &ReviewPage::showNextDisagreement);
    connect(m_recordAction, &QAction::triggered, this, &ReviewPage::recordAdjudication);
    connect(m_overviewAction, &QAction::triggered, this, &ReviewPage::overviewRequested);
    renderCurrent();
}

ReviewPage::~ReviewPage()
{
    // Child objects go before this page's QObject part: their last signals must not
    // reach a half-destroyed page.
    disconnect(m_view->selectionModel(), nullptr, this, nullptr);
    disconnect(m_threshold, nullptr, this, nullptr);
    delete m_loader; // waits for a running load
    m_loader = nullptr;
}

bool ReviewPage::isLoading() const
{
    return m_loader && m_loader->isRunning();
}

bool ReviewPage::start(
    storage::Study *study, const storage::Rater &adjudicator, storage::Error *error)
{
    if (adjudicator.role == storage::RaterRole::Rater) {
        if (error)
            *error = storage::Error::invalid(
                tr("%1 has role “rater”; only adjudicators and researchers review disagreements.")
                    .arg(adjudicator.name));
        return false;
    }
    clear();
    m_study = study;
    m_adjudicator = adjudicator;
    m_blind = true;
    m_showNames->setChecked(false);
    m_showNames->setEnabled(adjudicator.role == storage::RaterRole::Researcher);
    const protocol::Protocol protocol = study->currentProtocol();
    QList<widgets::CategoryPicker::Entry> entries;
    QHash<QString, QString> names;
    for (const protocol::Category &c : protocol.categories)
        names.insert(c.id, c.name);
    m_model->setCategoryNames(names);
    for (const protocol::Category &c : protocol.categories) {
        entries.append({ c.id, c.name, c.description, c.key });
        m_categoryIds.append(c.id);
        m_categoryNames.append(c.name);
        if (c.key.isNull())
            continue;
        QAction *action = pageAction(
            tr("Category %1").arg(c.name), { QKeySequence(QString(c.key.toUpper())) }, this);
        const QString id = c.id;
        connect(action, &QAction::triggered, this, [this, id] { setPendingCategory(id); });
        m_keyActions.append(action);
    }
    m_picker->setEntries(entries);
    for (const protocol::ChecklistItem &c : protocol.checklist)
        m_checklistTexts.insert(c.id, c.text);
    for (const protocol::Level &l : protocol.levels)
        m_levelNames.append(l.name);
    m_selector->setLevelNames(m_levelNames);
    auto *box = findChild<QGroupBox *>(QStringLiteral("reasons"));
    for (const protocol::FailureMode &mode : protocol.failureModes) {
        auto *check = new QCheckBox(mode.name, box);
        check->setObjectName(mode.id);
        check->setAccessibleName(tr("Reason: %1").arg(mode.name));
        auto *grid = qobject_cast<QGridLayout *>(box->layout());
        grid->addWidget(check, int(m_reasons.size()) / 2, int(m_reasons.size()) % 2);
        m_reasons.append(check);
    }
    rebuildFilters();
    reload();
    updateActions();
    return true;
}

void ReviewPage::clear()
{
    m_loader->cancel(); // a running load belongs to the old study
    m_undoStack->clear();
    m_keepSet = false;
    m_study = nullptr;
    m_adjudicator = {};
    m_model->setRows({});
    m_current.reset();
    m_categoryIds.clear();
    m_categoryNames.clear();
    m_levelNames.clear();
    m_checklistTexts.clear();
    // Category key actions belong to one protocol; score keys stay.
    while (m_keyActions.size() > 5)
        delete m_keyActions.takeLast();
    qDeleteAll(m_reasons);
    m_reasons.clear();
    m_bias->clear();
    m_status->clear();
    renderCurrent();
    updateActions();
}

void ReviewPage::reload()
{
    if (!m_study)
        return;
    if (m_current && !m_keepSet) {
        m_keepItem = m_current->itemId;
        m_keepResponse = m_current->responseId;
    }
    m_count->setText(tr("Loading the queue…"));
    // Supersedes a running load: it may predate the latest write.
    m_loader->start(m_study->path(),
        [threshold = m_harmThreshold](storage::Study &study, JobContext &, storage::Error *error) {
            LoadResult result;
            auto rows = storage::loadDisagreements(study, threshold, error);
            auto bias = rows ? storage::loadPositionBias(study, error) : std::nullopt;
            if (rows && bias) {
                result.rows = std::move(*rows);
                result.bias = std::move(*bias);
            }
            return result;
        });
}

void ReviewPage::failLoad(const storage::Error &error)
{
    m_banner->showMessage(widgets::MessageBanner::Kind::Error,
        tr("Could not load the disagreements: %1").arg(error.message));
}

void ReviewPage::finishLoad()
{
    const LoadResult &result = m_loader->result();
    m_banner->hide();
    m_keepSet = false;
    m_model->setRows(result.rows);
    // Position bias, under pseudonyms (never names) in blind mode.
    QStringList lines;
    for (const storage::RaterPositionBias &b : result.bias) {
        QStringList means;
        for (qsizetype i = 0; i < b.labels.size(); ++i) {
            const double mean = b.bias.meanByPosition[std::size_t(i)];
            means.append(
                QStringLiteral("%1 %2 (n=%3)")
                    .arg(b.labels[i],
                        std::isnan(mean) ? QStringLiteral("–") : QString::number(mean, 'f', 2))
                    .arg(b.bias.nByPosition[std::size_t(i)]));
        }
        const QString who = m_blind ? b.rater.pseudonym : b.rater.name;
        const QString test = b.bias.test.tested
            ? tr("Kruskal–Wallis H = %1, %2")
                  .arg(b.bias.test.h, 0, 'f', 2)
                  .arg(b.bias.test.p < 0.001 ? tr("p &lt; 0.001")
                                             : tr("p = %1").arg(b.bias.test.p, 0, 'f', 3))
            : tr("too few scores per position to test");
        lines.append(QStringLiteral("%1%2: %3 — %4%5")
                         .arg(b.bias.flagged ? QStringLiteral("<b>") : QString(),
                             who.toHtmlEscaped(), means.join(QStringLiteral(" · ")), test,
                             b.bias.flagged ? tr(" — flagged (p &lt; 0.05)</b>") : QString()));
    }
    m_bias->setText(lines.isEmpty()
            ? tr("No presentation records yet: the check needs the positions at which "
                 "raters saw the responses.")
            : lines.join(QStringLiteral("<br>")));
    // Keep the shown row when it is still in the queue.
    int row = -1;
    const int source = m_model->rowOf(m_keepItem, m_keepResponse);
    if (source >= 0)
        row = m_proxy->mapFromSource(m_model->index(source, 0)).row();
    selectRow(row >= 0 ? row : 0);
    applyFilters();
    emit queueLoaded();
}

void ReviewPage::rebuildFilters()
{
    const QSignalBlocker b1(m_categoryFilter), b2(m_modelFilter), b3(m_raterA), b4(m_raterB);
    m_categoryFilter->clear();
    m_categoryFilter->addItem(tr("Any category"), QString());
    for (qsizetype i = 0; i < m_categoryIds.size(); ++i)
        m_categoryFilter->addItem(m_categoryNames[i], m_categoryIds[i]);
    m_modelFilter->clear();
    m_modelFilter->addItem(tr("Any model"), QString());
    m_raterA->clear();
    m_raterB->clear();
    m_raterA->addItem(tr("Any rater"), QString());
    m_raterB->addItem(tr("Any rater"), QString());
    if (!m_study)
        return;
    for (const storage::Model &m : storage::ItemRepository(*m_study).models())
        m_modelFilter->addItem(m.name, m.name);
    for (const storage::Rater &r : storage::RaterRepository(*m_study).all()) {
        if (r.role != storage::RaterRole::Rater)
            continue;
        // Blind: pseudonyms only.
        const QString label = m_blind ? r.pseudonym : tr("%1 (%2)").arg(r.name, r.pseudonym);
        m_raterA->addItem(label, r.name);
        m_raterB->addItem(label, r.name);
    }
}

void ReviewPage::applyFilters()
{
    storage::DisagreementFilter f;
    f.category = m_categoryFilter->currentData().toString();
    f.model = m_modelFilter->currentData().toString();
    const QString a = m_raterA->currentData().toString();
    const QString b = m_raterB->currentData().toString();
    if (!a.isEmpty() && !b.isEmpty() && a != b)
        f.raterPair = { a, b };
    f.llmOnly = m_llmFilter->isChecked();
    f.openOnly = m_openFilter->isChecked();
    setFilter(f);
}

void ReviewPage::setHarmThreshold(double threshold)
{
    threshold = std::clamp(threshold, 1.0, 5.0);
    if (threshold != m_threshold->value()) {
        m_threshold->setValue(threshold); // comes back here through valueChanged
        return;
    }
    if (threshold == m_harmThreshold)
        return;
    m_harmThreshold = threshold;
    m_model->setHarmThreshold(threshold);
    Settings().reviewHarmThreshold = threshold;
    reload();
}

void ReviewPage::setFilter(const storage::DisagreementFilter &filter)
{
    m_proxy->setFilter(filter);
    m_count->setText(tr("%n disagreement(s) shown", nullptr, m_proxy->rowCount())
        + (m_proxy->rowCount() != m_model->rowCount() ? tr(" of %1").arg(m_model->rowCount())
                                                      : QString()));
    if (!m_view->currentIndex().isValid() && m_proxy->rowCount() > 0)
        selectRow(0);
    else
        renderCurrent();
}

std::optional<storage::Disagreement> ReviewPage::currentDisagreement() const
{
    return m_current;
}

void ReviewPage::selectRow(int proxyRow)
{
    if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) {
        m_view->selectionModel()->clearCurrentIndex();
        m_view->clearSelection();
        renderCurrent();
        return;
    }
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void ReviewPage::showNextDisagreement()
{
    if (m_proxy->rowCount() == 0)
        return;
    const int row = m_view->currentIndex().isValid() ? m_view->currentIndex().row() + 1 : 0;
    selectRow(row >= m_proxy->rowCount() ? 0 : row);
}

bool ReviewPage::setBlind(bool blind)
{
    if (!blind && m_adjudicator.role != storage::RaterRole::Researcher) {
        m_showNames->setChecked(false);
        return false;
    }
    m_blind = blind;
    {
        const QSignalBlocker block(m_showNames);
        m_showNames->setChecked(!blind);
    }
    const QString a = m_raterA->currentData().toString();
    const QString b = m_raterB->currentData().toString();
    rebuildFilters();
    m_raterA->setCurrentIndex(std::max(0, m_raterA->findData(a)));
    m_raterB->setCurrentIndex(std::max(0, m_raterB->findData(b)));
    renderCurrent();
    reload(); // the position-bias summary names raters only when not blind
    return true;
}

QStringList ReviewPage::shownRaterLabels() const
{
    QStringList out;
    for (int c = 0; c < m_values->columnCount(); ++c)
        out.append(m_values->horizontalHeaderItem(c) ? m_values->horizontalHeaderItem(c)->text()
                                                     : QString());
    return out;
}

void ReviewPage::renderCurrent()
{
    const QModelIndex index = m_view->currentIndex();
    m_current.reset();
    if (index.isValid()) {
        const QModelIndex source = m_proxy->mapToSource(index);
        m_current = m_model->row(source.row());
    }
    m_pendingCategory.clear();
    m_pendingScore = 0;
    m_adoptedFrom.reset();
    for (QCheckBox *c : std::as_const(m_reasons))
        c->setChecked(false);
    m_note->clear();
    m_status->clear();

    // Responses: the disputed one, or all of the item's for a category.
    qDeleteAll(m_responsesAbove->findChildren<widgets::ResponseCard *>(
        QString(), Qt::FindDirectChildrenOnly));
    qDeleteAll(m_responsesBelow->findChildren<widgets::ResponseCard *>(
        QString(), Qt::FindDirectChildrenOnly));
    qDeleteAll(m_adoptRow->findChildren<QPushButton *>(QString(), Qt::FindDirectChildrenOnly));
    m_values->clear();
    m_values->setColumnCount(0);
    m_values->setRowCount(0);
    m_shownValues.clear();

    const bool has = m_current.has_value() && m_study;
    for (QWidget *w : std::initializer_list<QWidget *> { m_consensus, m_message, m_values,
             m_adoptRow, m_decisionTitle, m_note, m_record, m_history })
        w->setVisible(has);
    m_responsesAbove->setVisible(has && m_current->kind == storage::DisagreementKind::Score);
    m_responsesBelow->setVisible(has && m_current->kind == storage::DisagreementKind::Category);
    if (auto *box = findChild<QGroupBox *>(QStringLiteral("reasons")))
        box->setVisible(has);
    m_picker->setVisible(has && m_current->kind == storage::DisagreementKind::Category);
    m_selector->setVisible(has && m_current->kind == storage::DisagreementKind::Score);
    if (!has) {
        m_title->setText(m_study ? tr("No disagreement selected.") : QString());
        m_message->setTurns({});
        updateActions();
        return;
    }
    const storage::Disagreement &d = *m_current;
    const bool score = d.kind == storage::DisagreementKind::Score;
    storage::ItemRepository items(*m_study);
    const auto item = items.item(d.itemId);
    m_message->setTurns(item ? item->turns : QStringList());
    m_message->verticalScrollBar()->setValue(0);
    int n = 0;
    for (const storage::Response &r : items.responses(d.itemId)) {
        ++n;
        if (score && r.id != d.responseId)
            continue;
        auto *card = new widgets::ResponseCard;
        card->setTitle(score ? tr("Response (%1, run %2)").arg(r.modelName).arg(r.run)
                             : tr("Response %1").arg(n));
        card->setText(r.text);
        card->setMaximumTextHeight(score ? 200 : 90);
        card->setAccessibleName(card->title());
        (score ? m_responsesAbove : m_responsesBelow)->layout()->addWidget(card);
        card->show(); // added to a visible page
    }
    // "#N" is how raters see the item (its source hidden), e.g. when they flag it.
    const QString itemName = tr("%1 (#%2)").arg(d.itemExternalId).arg(d.itemId);
    m_title->setText(score
            ? tr("Item %1 · scores of one response disagree (range %2)")
                  .arg(itemName)
                  .arg(d.scoreSpread.range)
            : tr("Item %1 · %n different categories", nullptr, d.categorySpread.distinct)
                  .arg(itemName));

    // Raters side by side, shuffled per row so column order reveals nothing either.
    std::vector<int> order(std::size_t(d.values.size()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    analysis::Rng rng(quint64(d.itemId) * 1000003ULL + quint64(d.responseId));
    rng.shuffle(order);
    for (int i : order)
        m_shownValues.append(d.values[i]);
    const QStringList rows = score ? QStringList { tr("Score"), tr("Checklist"), tr("Rationale") }
                                   : QStringList { tr("Category"), tr("Note") };
    m_values->setRowCount(int(rows.size()));
    m_values->setColumnCount(int(m_shownValues.size()));
    m_values->setVerticalHeaderLabels(rows);
    auto *adoptLayout = qobject_cast<QHBoxLayout *>(m_adoptRow->layout());
    for (int c = 0; c < m_shownValues.size(); ++c) {
        const storage::RaterValue &v = m_shownValues[c];
        QString label = m_blind ? tr("Rater %1").arg(c + 1)
                                : tr("%1 (%2)").arg(v.rater.name, v.rater.pseudonym);
        if (v.rater.kind == storage::RaterKind::Llm)
            label += tr(" · LLM");
        m_values->setHorizontalHeaderItem(c, new QTableWidgetItem(label));
        const QString value = valueText(d, v, m_categoryIds, m_categoryNames);
        QStringList ticks;
        for (const QString &id : v.checklist)
            ticks.append(m_checklistTexts.value(id, id));
        const QStringList cells = score
            ? QStringList { value, ticks.join(QStringLiteral("; ")), v.rationale }
            : QStringList { value, v.note };
        for (int r = 0; r < cells.size(); ++r) {
            auto *cell = new QTableWidgetItem(cells[r]);
            cell->setData(Qt::AccessibleTextRole, tr("%1, %2: %3").arg(label, rows[r], cells[r]));
            m_values->setItem(r, c, cell);
        }
        auto *adopt = new QPushButton(tr("Adopt %1").arg(label), m_adoptRow);
        adopt->setAccessibleName(tr("Adopt the value of %1").arg(label));
        adopt->setToolTip(tr("Take %1 as the decision").arg(value));
        adopt->setEnabled(!score || v.score.has_value());
        connect(adopt, &QPushButton::clicked, this, [this, c] { adoptColumn(c); });
        adoptLayout->addWidget(adopt);
        adopt->show();
    }
    m_values->resizeRowsToContents();
    int height = m_values->horizontalHeader()->height() + 2 * m_values->frameWidth();
    for (int r = 0; r < m_values->rowCount(); ++r)
        height += m_values->rowHeight(r);
    m_values->setFixedHeight(height);
    renderDecision();
    updateActions();
}

void ReviewPage::renderDecision()
{
    if (!m_current)
        return;
    m_picker->setCategory(m_pendingCategory);
    m_selector->setValue(m_pendingScore >= 1 ? m_pendingScore : widgets::LikertSelector::NoValue);
    const storage::Disagreement &d = *m_current;
    m_consensus->setText(consensusText());
    QString history = tr("Not adjudicated yet.");
    if (d.adjudication) {
        QString by = tr("an adjudicator");
        if (d.adjudication->adjudicatorId == m_adjudicator.id)
            by = tr("you");
        else if (!m_blind && m_study)
            if (const auto r =
                    storage::RaterRepository(*m_study).byId(d.adjudication->adjudicatorId))
                by = r->name;
        history = tr("Latest adjudication by %1 (%2).")
                      .arg(by, d.adjudication->reasonTags.join(QStringLiteral(", ")));
    }
    m_history->setText(history);
}

QString ReviewPage::consensusText() const
{
    if (!m_current)
        return {};
    const storage::Disagreement &d = *m_current;
    if (d.consensus.isEmpty())
        return tr("<b>Consensus:</b> none — a tie; an adjudication settles it.");
    QString value;
    if (d.kind == storage::DisagreementKind::Category) {
        value = m_categoryNames.value(m_categoryIds.indexOf(d.consensus), d.consensus);
    } else {
        const double score = d.consensus.toDouble();
        const int whole = int(std::lround(score));
        value = std::abs(score - whole) < 1e-9
            ? tr("%1 (%2)").arg(whole).arg(m_levelNames.value(whole - 1))
            : QString::number(score, 'f', 2);
        if (value.endsWith(QStringLiteral(" ()")))
            value.chop(3);
    }
    return tr("<b>Consensus:</b> %1 · %2").arg(value.toHtmlEscaped(), d.consensusHow);
}

void ReviewPage::setPendingCategory(const QString &category)
{
    if (!m_current || m_current->kind != storage::DisagreementKind::Category)
        return;
    m_pendingCategory = category;
    m_adoptedFrom.reset();
    renderDecision();
}

void ReviewPage::setPendingScore(int score)
{
    if (!m_current || m_current->kind != storage::DisagreementKind::Score || score < 1 || score > 5)
        return;
    m_pendingScore = score;
    m_adoptedFrom.reset();
    renderDecision();
}

void ReviewPage::adoptColumn(int column)
{
    if (!m_current || column < 0 || column >= m_shownValues.size())
        return;
    const storage::RaterValue &v = m_shownValues[column];
    if (m_current->kind == storage::DisagreementKind::Category) {
        setPendingCategory(v.category);
    } else {
        if (!v.score)
            return;
        setPendingScore(*v.score);
    }
    m_adoptedFrom = v.rater.id;
    m_status->setText(
        tr("Adopting the value of %1.").arg(m_values->horizontalHeaderItem(column)->text()));
}

void ReviewPage::setReasonChecked(const QString &failureModeId, bool checked)
{
    for (QCheckBox *c : std::as_const(m_reasons))
        if (c->objectName() == failureModeId)
            c->setChecked(checked);
}

void ReviewPage::setNote(const QString &note)
{
    m_note->setPlainText(note);
}

bool ReviewPage::recordAdjudication()
{
    if (!m_current || !m_study)
        return false;
    storage::Adjudication a;
    a.adjudicatorId = m_adjudicator.id;
    if (m_current->kind == storage::DisagreementKind::Category) {
        if (m_pendingCategory.isEmpty()) {
            setStatus(
                tr("Choose a category first (its key, a button, or adopt a rater's value)."), true);
            return false;
        }
        a.itemId = m_current->itemId;
        a.category = m_pendingCategory;
    } else {
        if (m_pendingScore < 1) {
            setStatus(tr("Choose a score first (1–5, or adopt a rater's value)."), true);
            return false;
        }
        a.responseId = m_current->responseId;
        a.score = m_pendingScore;
    }
    for (const QCheckBox *c : std::as_const(m_reasons))
        if (c->isChecked())
            a.reasonTags.append(c->objectName());
    a.note = m_note->toPlainText().trimmed();
    if (a.reasonTags.isEmpty()) {
        setStatus(tr("Pick at least one reason."), true);
        return false;
    }
    const qint64 id = write(a, m_adoptedFrom, m_current->itemId, m_current->responseId);
    if (id == 0)
        return false;
    m_undoStack->push(new AdjudicateCommand(this, *m_current, a, m_adoptedFrom, id));
    emit adjudicationRecorded(id);
    return true;
}

void ReviewPage::keepRow(qint64 itemId, qint64 responseId)
{
    m_keepItem = itemId;
    m_keepResponse = responseId;
    m_keepSet = true;
}

qint64 ReviewPage::write(const storage::Adjudication &a, std::optional<qint64> adoptedFrom,
    qint64 itemId, qint64 responseId)
{
    if (!m_study)
        return 0;
    storage::Error e;
    const qint64 id = storage::adjudicate(*m_study, a, adoptedFrom, &e);
    if (id == 0) {
        setStatus(e.message, true);
        return 0;
    }
    setStatus(tr("Adjudication recorded. Enter: next disagreement; Ctrl+Z: undo."), false);
    keepRow(itemId, responseId);
    reload();
    return id;
}

bool ReviewPage::revert(qint64 id, qint64 itemId, qint64 responseId)
{
    if (!m_study)
        return false;
    storage::Error e;
    if (!storage::revertAdjudication(*m_study, id, &e)) {
        setStatus(e.message, true);
        return false;
    }
    setStatus(tr("Adjudication undone (the revert is in the audit log)."), false);
    keepRow(itemId, responseId);
    reload();
    return true;
}

void ReviewPage::setStatus(const QString &text, bool error)
{
    m_status->setText(
        error ? QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()) : text.toHtmlEscaped());
}

QString ReviewPage::statusMessage() const
{
    return m_status->text();
}

QString ReviewPage::positionBiasText() const
{
    return m_bias->text();
}

void ReviewPage::updateActions()
{
    const bool active = isVisible() && m_study;
    m_nextAction->setEnabled(active);
    m_overviewAction->setEnabled(active);
    m_recordAction->setEnabled(active && m_current.has_value());
    for (QAction *a : std::as_const(m_keyActions))
        a->setEnabled(active && m_current.has_value());
}

void ReviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateActions();
}

void ReviewPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateActions();
}

} // namespace cr::ui
