#include "ui/reviewqueuepane.h"

#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/disagreementmodel.h"
#include "ui/jobrunner.h"
#include "ui/settings.h"
#include "widgets/pagehelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cr::ui {

struct ReviewQueuePane::LoadResult {
    std::shared_ptr<const storage::DisagreementQueue> queue; ///< keys only
    QList<storage::Disagreement> firstPage;
    QList<storage::RaterPositionBias> bias;
};

namespace {

/// How many pages a reload fetches to keep the shown row selected (beyond them the
/// first row is selected instead: the model never holds a deep queue whole).
constexpr int keepRowPages = 8;

storage::DisagreementQueue::SortKey sortKeyOf(int column)
{
    using Key = storage::DisagreementQueue::SortKey;
    switch (column) {
    case DisagreementModel::KindColumn:
        return Key::Kind;
    case DisagreementModel::SpreadColumn:
        return Key::Spread;
    case DisagreementModel::HarmfulColumn:
        return Key::Harmful;
    case DisagreementModel::DistanceColumn:
        return Key::Distance;
    case DisagreementModel::StatusColumn:
        return Key::Status;
    default:
        return Key::Queue; // item, response, values, consensus: the proxy sorts what is fetched
    }
}

bool sameFilter(const storage::DisagreementFilter &a, const storage::DisagreementFilter &b)
{
    return a.category == b.category && a.model == b.model && a.raterPair == b.raterPair
        && a.llmOnly == b.llmOnly && a.openOnly == b.openOnly;
}

} // namespace

ReviewQueuePane::ReviewQueuePane(QWidget *parent)
    : QWidget(parent)
    , m_model(new DisagreementModel(this))
    , m_proxy(new DisagreementFilterModel(this))
    , m_categoryFilter(new QComboBox(this))
    , m_modelFilter(new QComboBox(this))
    , m_raterA(new QComboBox(this))
    , m_raterB(new QComboBox(this))
    , m_llmFilter(new QCheckBox(tr("Involves an &LLM rater"), this))
    , m_openFilter(new QCheckBox(tr("&Open only"), this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_view(new QTableView(this))
    , m_count(new QLabel(this))
    , m_bias(new QLabel(this))
{
    m_loader = new JobRunner<LoadResult>(this);
    connect(m_loader, &JobRunnerBase::succeeded, this, &ReviewQueuePane::finishLoad);
    connect(m_loader, &JobRunnerBase::failed, this, &ReviewQueuePane::failLoad);
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // queue order until a header is clicked
    // The proxy sorts the rows fetched so far; while more are still to come, the storage
    // layer sorts the whole queue (columns whose value its keys hold) in a reload.
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
        [this](int column, Qt::SortOrder order) {
            const auto key = sortKeyOf(column);
            const bool descending = order == Qt::DescendingOrder;
            if (key == m_sortKey && descending == m_sortDescending)
                return;
            m_sortKey = key;
            m_sortDescending = descending;
            if (m_model->canFetchMore({}))
                reload();
        });
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // The queue fits its pane (no sideways scrolling): columns as wide as their text, the
    // last shown one takes the rest. Δ consensus, the values and the consensus (all in
    // the detail beside it) are off until asked for (the header's context menu).
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideRight);
    for (const int hidden : { int(DisagreementModel::DistanceColumn),
             int(DisagreementModel::ValuesColumn), int(DisagreementModel::ConsensusColumn) })
        m_view->setColumnHidden(hidden, true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu menu(this);
        QAbstractItemModel *model = m_view->model();
        for (int c = 0; c < model->columnCount(); ++c) {
            QAction *show = menu.addAction(model->headerData(c, Qt::Horizontal).toString());
            show->setCheckable(true);
            show->setChecked(!m_view->isColumnHidden(c));
            show->setEnabled(c != DisagreementModel::ItemColumn);
            connect(show, &QAction::toggled, m_view,
                [this, c](bool on) { m_view->setColumnHidden(c, !on); });
        }
        menu.exec(m_view->horizontalHeader()->mapToGlobal(at));
    });
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("Disagreement queue"));
    m_view->setTabKeyNavigation(false);
    // Whether a row is settled comes right after its item.
    m_view->horizontalHeader()->moveSection(
        DisagreementModel::StatusColumn, DisagreementModel::KindColumn);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ReviewQueuePane::currentChanged);

    m_categoryFilter->setAccessibleName(tr("Filter by category"));
    m_modelFilter->setAccessibleName(tr("Filter by model"));
    m_raterA->setAccessibleName(tr("Filter by rater pair, first rater"));
    m_raterB->setAccessibleName(tr("Filter by rater pair, second rater"));
    m_llmFilter->setAccessibleName(tr("Involves an LLM rater"));
    m_openFilter->setAccessibleName(tr("Open disagreements only"));
    for (QComboBox *box : { m_categoryFilter, m_modelFilter, m_raterA, m_raterB })
        connect(box, &QComboBox::currentIndexChanged, this, &ReviewQueuePane::applyFilters);
    for (QCheckBox *box : { m_llmFilter, m_openFilter })
        connect(box, &QCheckBox::toggled, this, &ReviewQueuePane::applyFilters);
    m_threshold->setRange(1.0, 5.0);
    m_threshold->setSingleStep(0.5);
    m_threshold->setDecimals(1);
    m_threshold->setAccessibleName(tr("Scored harmful at or below"));
    m_threshold->setToolTip(tr("A score row counts as “scored harmful by anyone” when some "
                               "rater scored at or below this; such rows come first."));
    m_harmThreshold = std::clamp(double(Settings().reviewHarmThreshold), 1.0, 5.0);
    m_threshold->setValue(m_harmThreshold);
    m_model->setHarmThreshold(m_harmThreshold);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &ReviewQueuePane::setHarmThreshold);

    auto *filters = new QGroupBox(tr("Filters"), this);
    auto *filterForm = new QFormLayout(filters);
    auto *categoryLabel = new QLabel(tr("&Category:"), filters);
    categoryLabel->setBuddy(m_categoryFilter);
    auto *modelLabel = new QLabel(tr("&Model:"), filters);
    modelLabel->setBuddy(m_modelFilter);
    m_modelLabel = modelLabel;
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
    auto *thresholdLabel = new QLabel(tr("Harmful at or &below:"), filters);
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

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filters);
    layout->addWidget(m_count);
    layout->addWidget(m_view, 1);
    layout->addWidget(widgets::heading(tr("Position bias"), this));
    layout->addWidget(m_bias);
}

ReviewQueuePane::~ReviewQueuePane()
{
    // Child objects go before this pane's QObject part: their last signals must not
    // reach a half-destroyed pane.
    disconnect(m_view->selectionModel(), nullptr, this, nullptr);
    disconnect(m_threshold, nullptr, this, nullptr);
    delete m_loader; // waits for a running load
    m_loader = nullptr;
}

bool ReviewQueuePane::isLoading() const
{
    return m_loader && m_loader->isRunning();
}

void ReviewQueuePane::start(storage::Study *study, const QStringList &categoryIds,
    const QStringList &categoryNames, bool blind)
{
    clear();
    m_study = study;
    m_blind = blind;
    m_categoryIds = categoryIds;
    m_categoryNames = categoryNames;
    QHash<QString, QString> names;
    for (qsizetype i = 0; i < categoryIds.size(); ++i)
        names.insert(categoryIds.at(i), categoryNames.value(i));
    m_model->setCategoryNames(names);
    rebuildFilters();
    reload();
}

void ReviewQueuePane::clear()
{
    m_loader->cancel(); // a running load belongs to the old study
    m_keepSet = false;
    m_study = nullptr;
    m_model->setRows({});
    m_categoryIds.clear();
    m_categoryNames.clear();
    m_bias->clear();
}

void ReviewQueuePane::keepRow(qint64 itemId, qint64 responseId)
{
    m_keepItem = itemId;
    m_keepResponse = responseId;
    m_keepSet = true;
}

void ReviewQueuePane::reload()
{
    if (!m_study)
        return;
    if (const auto current = currentDisagreement(); current && !m_keepSet) {
        m_keepItem = current->itemId;
        m_keepResponse = current->responseId;
    }
    m_count->setText(tr("Loading the queue…"));
    // Supersedes a running load: it may predate the latest write.
    // The queue is filtered and ordered by the storage layer: the worker reads its keys
    // and first page; the model fetches further pages as the view needs them.
    m_loader->start(m_study->path(),
        [threshold = m_harmThreshold, blind = m_blind, filter = m_proxy->filter(),
            sortKey = m_sortKey, descending = m_sortDescending](
            storage::Study &study, JobContext &, storage::Error *error) {
            LoadResult result;
            const storage::ReadSnapshot snapshot(study);
            auto queue =
                storage::DisagreementQueue::build(study, threshold, filter, std::nullopt, error);
            if (queue)
                queue->sortBy(sortKey, descending);
            auto rows = queue ? queue->fetch(study, 0, queue->pageRows, error) : std::nullopt;
            if (rows && blind)
                storage::blindDisagreements(study, *rows); // no model names reach the page
            auto bias = rows ? storage::loadPositionBias(study, error) : std::nullopt;
            if (rows && bias) {
                result.queue =
                    std::make_shared<const storage::DisagreementQueue>(std::move(*queue));
                result.firstPage = std::move(*rows);
                result.bias = std::move(*bias);
            }
            return result;
        });
}

void ReviewQueuePane::failLoad(const storage::Error &error)
{
    emit loadFailed(tr("Could not load the disagreements: %1").arg(error.message));
}

void ReviewQueuePane::finishLoad()
{
    const LoadResult &result = m_loader->result();
    m_keepSet = false;
    m_model->setQueue(m_study, result.queue, result.firstPage, m_blind);
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
    if (source >= 0 && m_model->fetchUpTo(source, keepRowPages))
        row = m_proxy->mapFromSource(m_model->index(source, 0)).row();
    selectRow(row >= 0 ? row : 0);
    applyFilters();
    emit queueLoaded();
}

void ReviewQueuePane::rebuildFilters()
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
    // Blind: models are letters per item, so there is nothing to filter by.
    m_modelFilter->setVisible(!m_blind);
    if (m_modelLabel)
        m_modelLabel->setVisible(!m_blind);
    if (!m_blind)
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

void ReviewQueuePane::applyFilters()
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

void ReviewQueuePane::setHarmThreshold(double threshold)
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

void ReviewQueuePane::setFilter(const storage::DisagreementFilter &filter)
{
    // The rows already fetched are filtered at once; the storage layer filters the whole
    // queue in the reload that follows (the pages fetched next hold matching rows only).
    const bool changed = !sameFilter(filter, m_proxy->filter());
    m_proxy->setFilter(filter);
    updateCount();
    if (changed && m_model->queue())
        reload();
    if (!m_view->currentIndex().isValid() && m_proxy->rowCount() > 0)
        selectRow(0);
    else
        emit currentChanged();
}

std::optional<storage::Disagreement> ReviewQueuePane::currentDisagreement() const
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid())
        return std::nullopt;
    const QModelIndex source = m_proxy->mapToSource(index);
    if (!source.isValid() || source.row() >= m_model->rowCount())
        return std::nullopt;
    return m_model->row(source.row());
}

void ReviewQueuePane::selectRow(int proxyRow)
{
    if (proxyRow < 0 || proxyRow >= m_proxy->rowCount()) {
        m_view->selectionModel()->clearCurrentIndex();
        m_view->clearSelection();
        emit currentChanged();
        return;
    }
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void ReviewQueuePane::updateCount()
{
    // Unfiltered rows not fetched yet count as shown: the queue holds only matching rows.
    const int shown = m_proxy->rowCount() + m_model->totalRows() - m_model->fetchedRows();
    const int all = m_model->totalRows();
    m_count->setText(tr("%n disagreement(s) shown", nullptr, shown)
        + (shown != all ? tr(" of %1").arg(all) : QString()));
}

void ReviewQueuePane::showNextDisagreement()
{
    if (m_proxy->rowCount() == 0)
        return;
    const int row = m_view->currentIndex().isValid() ? m_view->currentIndex().row() + 1 : 0;
    if (row >= m_proxy->rowCount() && m_model->canFetchMore({}))
        m_model->fetchMore({}); // the next page, rather than wrapping early
    selectRow(row >= m_proxy->rowCount() ? 0 : row);
}

void ReviewQueuePane::setBlind(bool blind)
{
    m_blind = blind;
    const QString a = m_raterA->currentData().toString();
    const QString b = m_raterB->currentData().toString();
    rebuildFilters();
    m_raterA->setCurrentIndex(std::max(0, m_raterA->findData(a)));
    m_raterB->setCurrentIndex(std::max(0, m_raterB->findData(b)));
    emit currentChanged();
    reload(); // the position-bias summary names raters only when not blind
}

QString ReviewQueuePane::positionBiasText() const
{
    return m_bias->text();
}

} // namespace cr::ui
