#include "ui/studypage.h"

#include "protocol/protocol.h"
#include "stats/stats.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "storage/studyinfo.h"
#include "ui/jobrunner.h"
#include "ui/modelstablemodel.h"
#include "ui/raterexposuremodel.h"
#include "ui/raterstablemodel.h"
#include "ui/researchpanels.h"
#include "ui/signinpanel.h"
#include "widgets/messagebanner.h"
#include "widgets/pagehelpers.h"
#include "widgets/stattile.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cr::ui {

struct StudyPage::PlanningResult {
    std::optional<stats::StatsResult> stats;
};

namespace {

enum Tile {
    Items,
    Responses,
    Models,
    Raters,
    Assignments,
    Labels,
    Ratings,
    Adjudications,
    TileCount
};

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setAccessibleName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setShowGrid(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    return view;
}

QString countList(
    const QList<storage::StudyInfo::Count> &counts, const QHash<QString, QString> &names = {})
{
    const QLocale locale;
    QStringList parts;
    for (const auto &c : counts)
        parts.append((c.name.isEmpty() ? StudyPage::tr("(none)") : names.value(c.name, c.name))
                         .toHtmlEscaped()
            + QStringLiteral("&nbsp;") + locale.toString(c.count));
    return parts.isEmpty() ? StudyPage::tr("—") : parts.join(QStringLiteral(", "));
}

/// Datasets, splits and reference labels (by the protocol's category names).
QString contentsHtml(const storage::StudyInfo &info, const protocol::Protocol &protocol)
{
    QHash<QString, QString> names;
    for (const protocol::Category &c : protocol.categories)
        names.insert(c.id, c.name);
    if (info.items == 0)
        return StudyPage::tr("No items yet.");
    return StudyPage::tr("<p><b>Datasets</b><br>%1</p><p><b>Splits</b><br>%2</p><p><b>Reference "
                         "labels</b><br>%3</p>")
        .arg(countList(info.datasets), countList(info.splits),
            countList(info.referenceLabels, names));
}

} // namespace

StudyPage::StudyPage(QWidget *parent, bool withSignIn)
    : QWidget(parent)
    , m_models(new ModelsTableModel(this))
    , m_raters(new RatersTableModel(this))
    , m_exposure(new RaterExposureModel(this))
    , m_exposureView(makeTable(m_exposure, tr("Rater care"), this))
    , m_banner(new widgets::MessageBanner(this))
    , m_title(new QLabel(this))
    , m_path(new QLabel(this))
    , m_protocol(new QLabel(this))
    , m_modelsView(makeTable(m_models, tr("Models"), this))
    , m_ratersView(makeTable(m_raters, tr("Raters"), this))
    , m_signIn(withSignIn ? new SignInPanel(this) : nullptr)
    , m_contents(new QLabel(this))
    , m_setupButton(new QPushButton(tr("Set &Up Raters and Assignments…"), this))
    , m_summary(new JobRunner<storage::StudyInfo>(this))
{
    setAccessibleName(tr("Study overview"));
    connect(m_summary, &JobRunnerBase::succeeded, this, [this] {
        if (m_study)
            showSummary(m_summary->result());
        emit summaryShown();
    });
    connect(m_summary, &JobRunnerBase::failed, this, [this](const storage::Error &error) {
        showError(tr("The study's counts could not be read: %1").arg(error.message));
        emit summaryShown();
    });

    widgets::scaleFont(m_title, widgets::BigScale, true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_path->setTextFormat(Qt::PlainText);
    m_path->setForegroundRole(QPalette::PlaceholderText);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_protocol->setTextFormat(Qt::PlainText);
    m_protocol->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setCloseButtonVisible(true);

    const QStringList captions = { tr("Items"), tr("Responses"), tr("Models"), tr("Raters"),
        tr("Assignments"), tr("Labels"), tr("Scores"), tr("Adjudications") };
    auto *tiles = new QHBoxLayout;
    tiles->setSpacing(8);
    for (const QString &caption : captions) {
        auto *tile = new widgets::StatTile(caption, this);
        m_tiles.append(tile);
        tiles->addWidget(tile, 1);
    }

    if (m_signIn) {
        connect(m_signIn, &SignInPanel::ratingRequested, this, &StudyPage::ratingRequested);
        connect(m_signIn, &SignInPanel::importRequested, this, &StudyPage::importRequested);
    }
    m_setupButton->setAccessibleName(tr("Set up raters and assignments"));
    connect(m_setupButton, &QPushButton::clicked, this, &StudyPage::setupRequested);

    // Raters, care and models; planning for the researcher on a tab of its own.
    m_tabs = new QTabWidget(this);
    m_tabs->setAccessibleName(tr("Study overview sections"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildTables(), tr("Raters and models"));
    m_tabs->addTab(buildPlanning(), tr("Pla&nning"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { updatePlanning(); });

    auto *body = new QHBoxLayout;
    body->setSpacing(16);
    body->addWidget(m_tabs, 1);
    body->addWidget(buildSide());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    layout->addWidget(m_title);
    layout->addWidget(m_protocol);
    layout->addWidget(m_path);
    layout->addSpacing(6);
    layout->addLayout(tiles);
    layout->addSpacing(6);
    layout->addLayout(body, 1);

    if (m_signIn)
        setFocusProxy(m_signIn);
}

QWidget *StudyPage::buildSide()
{
    // What the items are: datasets, splits, reference labels.
    auto *contentsBox = new QGroupBox(tr("Items"), this);
    contentsBox->setAccessibleName(tr("Items in this study"));
    m_contents->setParent(contentsBox);
    m_contents->setTextFormat(Qt::RichText);
    m_contents->setWordWrap(true);
    m_contents->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_contents->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *contentsLayout = new QVBoxLayout(contentsBox);
    contentsLayout->addWidget(m_contents);
    contentsLayout->addStretch();

    auto *side = new QWidget(this);
    auto *layout = new QVBoxLayout(side);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    if (m_signIn)
        layout->addWidget(m_signIn);
    layout->addWidget(contentsBox, 1);
    side->setMinimumWidth(300);
    side->setMaximumWidth(380);
    return side;
}

QWidget *StudyPage::buildTables()
{
    auto *tables = new QWidget(this);
    auto *layout = new QVBoxLayout(tables);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(widgets::heading(tr("&Raters"), tables, m_ratersView));
    layout->addWidget(m_ratersView, 3);
    layout->addWidget(m_setupButton, 0, Qt::AlignLeft);
    layout->addSpacing(8);
    // The study overview is the researcher's view; the rating page never shows these.
    m_care = new QWidget(tables);
    QLabel *careTitle =
        widgets::heading(tr("Rater &care (supervising researcher only)"), m_care, m_exposureView);
    careTitle->setToolTip(tr("Skips, \"pause — this was distressing\" and items shown per "
                             "session and per day. Raters never see these counts."));
    m_exposureView->setParent(m_care);
    auto *careLayout = new QVBoxLayout(m_care);
    careLayout->setContentsMargins(0, 0, 0, 0);
    careLayout->setSpacing(4);
    careLayout->addWidget(careTitle);
    careLayout->addWidget(m_exposureView, 1);
    layout->addWidget(m_care, 2);
    layout->addSpacing(8);
    layout->addWidget(widgets::heading(tr("&Models"), tables, m_modelsView));
    layout->addWidget(m_modelsView, 2);
    return tables;
}

QWidget *StudyPage::buildPlanning()
{
    m_planning = new PlanningPanel;
    m_planning->setStatus(tr("Computed when this tab is shown."));
    m_planningJob = new JobRunner<PlanningResult>(this);
    const auto names = [this] {
        QHash<QString, QString> out;
        if (m_study)
            for (const protocol::Category &c : m_study->currentProtocol().categories)
                out.insert(c.id, c.name);
        return out;
    };
    connect(m_planningJob, &JobRunnerBase::succeeded, this, [this, names] {
        const PlanningResult &r = m_planningJob->result();
        if (r.stats)
            m_planning->setData(*r.stats, names());
        m_planning->setStatus(
            tr("The whole study, human raters' scores and labels (harm: consensus score ≤ 2), "
               "1,000 bootstrap replicates. The dashboard's Planning panel follows its filters."));
        emit planningFinished();
    });
    connect(m_planningJob, &JobRunnerBase::failed, this, [this](const storage::Error &error) {
        m_planning->setStatus(tr("Could not compute the planning figures: %1").arg(error.message));
        emit planningFinished();
    });
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Planning"));
    auto *inner = new QWidget;
    auto *layout = new QVBoxLayout(inner);
    layout->setContentsMargins(0, 8, 8, 0);
    layout->addWidget(m_planning);
    scroll->setWidget(inner);
    return scroll;
}

void StudyPage::updatePlanning()
{
    if (!m_study || !m_careVisible || m_tabs->currentIndex() != 1 || !m_planningStale)
        return;
    m_planningStale = false;
    m_planning->setStatus(tr("Computing…"));
    stats::StatsOptions options;
    options.raters = storage::RaterSelection::fromString(QStringLiteral("human"));
    options.bootstrap = 1000;
    options.seed = 1;
    m_planningJob->start(
        m_study->path(), [options](storage::Study &study, JobContext &, storage::Error *error) {
            return PlanningResult { stats::computeStats(study, options, error) };
        });
}

bool StudyPage::isPlanningComputing() const
{
    return m_planningJob->isRunning();
}

StudyPage::~StudyPage()
{
    delete m_planningJob; // waits for a running computation
    m_planningJob = nullptr;
    delete m_summary; // waits for a running summary (it has a Study of its own)
    m_summary = nullptr;
}

void StudyPage::setStudy(storage::Study *study)
{
    if (study != m_study) { // nothing of another study's stays while this one's is read
        m_summary->cancel();
        m_assigned.clear();
        clearView();
    }
    m_study = study;
    m_banner->hide();
    refresh();
}

void StudyPage::clearView()
{
    m_title->clear();
    m_path->clear();
    m_protocol->clear();
    m_models->setRows({});
    m_raters->setRows({});
    m_exposure->setRows({});
    m_contents->clear();
    for (widgets::StatTile *tile : std::as_const(m_tiles)) {
        tile->setValue(QStringLiteral("0"));
        tile->setDetail({});
    }
    if (m_signIn)
        m_signIn->setRaters(nullptr, {}, m_preferredRater);
}

void StudyPage::refresh()
{
    // The planning figures follow the study's content: recomputed when next looked at.
    m_planningJob->cancel();
    m_planningStale = true;
    if (!m_study) {
        m_summary->cancel();
        m_planning->setData({}, {});
        m_planning->setStatus(tr("Computed when this tab is shown."));
        clearView();
        return;
    }
    // The people to sign in as at once (a few rows); their counts with the summary.
    if (m_signIn)
        m_signIn->setRaters(m_study, m_assigned, m_preferredRater);
    // On a worker with a Study of its own: a large study's overview never blocks the
    // window (a newer refresh supersedes this one).
    m_summary->start(m_study->path(), [](storage::Study &study, JobContext &, storage::Error *) {
        return storage::summarize(study);
    });
}

bool StudyPage::isSummarizing() const
{
    return m_summary->isRunning();
}

void StudyPage::showSummary(const storage::StudyInfo &info)
{
    const QLocale locale;
    m_title->setText(info.title.isEmpty() ? QFileInfo(info.path).completeBaseName() : info.title);
    const QString created = QLocale().toString(
        QDateTime::fromString(info.createdAt, Qt::ISODateWithMs).toLocalTime().date(),
        QLocale::ShortFormat);
    m_path->setText(
        tr("%1 · created %2")
            .arg(QDir::toNativeSeparators(QFileInfo(info.path).absoluteFilePath()), created));
    m_path->setToolTip(QDir::toNativeSeparators(QFileInfo(info.path).absoluteFilePath()));
    m_contents->setText(contentsHtml(info, m_study->currentProtocol()));
    QString protocol =
        tr("Protocol: %1 %2 · %3")
            .arg(info.protocolName, info.protocolVersion, info.protocolHash.left(12));
    if (info.protocolVersions > 1)
        protocol += tr(" · %1 protocol versions").arg(info.protocolVersions);
    m_protocol->setText(protocol);

    const qint64 values[TileCount] = { info.items, info.responses, info.models, info.raters,
        info.assignments, info.labels, info.ratings, info.adjudications };
    for (int i = 0; i < TileCount; ++i)
        m_tiles[i]->setValue(locale.toString(values[i]));
    // Once a rater has signed in, other raters' work is not shown (counts included).
    for (const int hidden : { Labels, Ratings, Adjudications })
        m_tiles[hidden]->setVisible(m_careVisible);
    m_tiles[Responses]->setDetail(info.refusals > 0
            ? (info.refusals == 1 ? tr("1 refusal")
                                  : tr("%1 refusals").arg(locale.toString(info.refusals)))
            : QString());

    m_models->setRows(info.modelRows);
    QList<storage::StudyInfo::RaterRow> raterRows = info.raterRows;
    if (!m_careVisible)
        for (auto &row : raterRows)
            row.labels = row.ratings = 0; // the columns are hidden too; nothing to read out
    m_raters->setRows(raterRows);
    for (const int column : { RatersTableModel::LabelsColumn, RatersTableModel::RatingsColumn })
        m_ratersView->setColumnHidden(column, !m_careVisible);
    m_setupButton->setVisible(m_careVisible);
    m_exposure->setRows(m_careVisible ? info.exposure : QList<storage::RaterExposure>());

    // Human raters only: LLM raters are imported, never signed in.
    m_assigned.clear();
    for (const auto &row : info.raterRows)
        m_assigned.insert(row.name, row.assigned);
    if (m_signIn) {
        m_signIn->setRaters(m_study, m_assigned, m_preferredRater);
        m_signIn->setEmptyStudy(info.items == 0);
    }
    updatePlanning();
}

void StudyPage::setPreferredRater(const QString &name)
{
    m_preferredRater = name;
    if (m_signIn)
        m_signIn->selectRater(name);
}

QString StudyPage::selectedRaterName() const
{
    return m_signIn ? m_signIn->selectedRaterName() : QString();
}

QComboBox *StudyPage::raterPicker() const
{
    return m_signIn ? m_signIn->raterPicker() : nullptr;
}

void StudyPage::showError(const QString &message)
{
    m_banner->showMessage(widgets::MessageBanner::Kind::Error, message);
}

void StudyPage::setCareVisible(bool visible)
{
    if (visible == m_careVisible)
        return;
    m_careVisible = visible;
    m_care->setVisible(visible);
    // Planning is the researcher's too.
    if (!visible)
        m_tabs->setCurrentIndex(0);
    m_tabs->setTabVisible(1, visible);
    refresh();
}

} // namespace cr::ui
