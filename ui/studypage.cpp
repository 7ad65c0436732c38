#include "ui/studypage.h"

#include "storage/repositories.h"
#include "storage/study.h"
#include "storage/studyinfo.h"
#include "ui/modelstablemodel.h"
#include "ui/raterexposuremodel.h"
#include "ui/raterstablemodel.h"
#include "widgets/messagebanner.h"
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
#include <QTableView>
#include <QVBoxLayout>

namespace cr::ui {

namespace {

constexpr int RaterNameRole = Qt::UserRole + 1;

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

QLabel *sectionTitle(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setBuddy(buddy);
    return label;
}

QString countList(const QList<storage::StudyInfo::Count> &counts)
{
    const QLocale locale;
    QStringList parts;
    for (const auto &c : counts)
        parts.append((c.name.isEmpty() ? StudyPage::tr("(none)") : c.name).toHtmlEscaped()
            + QStringLiteral("&nbsp;") + locale.toString(c.count));
    return parts.isEmpty() ? StudyPage::tr("—") : parts.join(QStringLiteral(", "));
}

QString contentsHtml(const storage::StudyInfo &info)
{
    if (info.items == 0)
        return StudyPage::tr("No items yet.");
    return StudyPage::tr("<p><b>Datasets</b><br>%1</p><p><b>Splits</b><br>%2</p><p><b>Reference "
                         "labels</b><br>%3</p>")
        .arg(countList(info.datasets), countList(info.splits), countList(info.referenceLabels));
}

} // namespace

StudyPage::StudyPage(QWidget *parent)
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
    , m_raterPicker(new QComboBox(this))
    , m_startButton(new QPushButton(tr("&Start Rating"), this))
    , m_rateHint(new QLabel(this))
    , m_contents(new QLabel(this))
    , m_emptyHint(new QLabel(this))
    , m_importButton(new QPushButton(tr("&Import Items and Responses…"), this))
    , m_setupButton(new QPushButton(tr("Set &Up Raters and Assignments…"), this))
{
    setAccessibleName(tr("Study overview"));

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
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

    // Empty study: say what to do next instead of showing blank tables.
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setText(
        tr("This study has no items yet. Import a JSONL or CSV file of crisis inputs "
           "and model responses to get started, then add raters and assign items "
           "(Study ▸ Set Up Raters and Assignments…)."));
    m_importButton->setAccessibleName(tr("Import items and responses"));
    connect(m_importButton, &QPushButton::clicked, this, &StudyPage::importRequested);
    m_setupButton->setAccessibleName(tr("Set up raters and assignments"));
    connect(m_setupButton, &QPushButton::clicked, this, &StudyPage::setupRequested);

    // Start rating.
    auto *rateBox = new QGroupBox(tr("Rate"), this);
    rateBox->setAccessibleName(tr("Start rating"));
    auto *pickerLabel = new QLabel(tr("Sign in &as:"), rateBox);
    pickerLabel->setBuddy(m_raterPicker);
    m_raterPicker->setParent(rateBox);
    m_raterPicker->setAccessibleName(tr("Rater"));
    m_raterPicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_startButton->setParent(rateBox);
    m_startButton->setAccessibleName(tr("Start rating"));
    m_startButton->setDefault(true);
    m_startButton->setAutoDefault(true);
    m_rateHint->setParent(rateBox);
    m_rateHint->setWordWrap(true);
    m_rateHint->setForegroundRole(QPalette::PlaceholderText);
    connect(m_raterPicker, &QComboBox::currentIndexChanged, this, &StudyPage::updateStartButton);
    connect(m_startButton, &QPushButton::clicked, this, [this] {
        const QVariant id = m_raterPicker->currentData();
        if (id.isValid())
            emit ratingRequested(id.toLongLong());
    });
    auto *rateLayout = new QVBoxLayout(rateBox);
    auto *pickerRow = new QHBoxLayout;
    pickerRow->addWidget(pickerLabel);
    pickerRow->addWidget(m_raterPicker, 1);
    rateLayout->addLayout(pickerRow);
    rateLayout->addWidget(m_startButton);
    rateLayout->addWidget(m_rateHint);
    auto *emptyBox = new QWidget(rateBox);
    auto *emptyLayout = new QVBoxLayout(emptyBox);
    emptyLayout->setContentsMargins(0, 0, 0, 0);
    emptyLayout->addWidget(m_emptyHint);
    emptyLayout->addWidget(m_importButton, 0, Qt::AlignLeft);
    rateLayout->addWidget(emptyBox);

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

    auto *side = new QVBoxLayout;
    side->setSpacing(12);
    side->addWidget(rateBox);
    side->addWidget(contentsBox, 1);
    auto *sideWidget = new QWidget(this);
    sideWidget->setLayout(side);
    side->setContentsMargins(0, 0, 0, 0);
    sideWidget->setMinimumWidth(300);
    sideWidget->setMaximumWidth(380);

    auto *tables = new QVBoxLayout;
    tables->setSpacing(4);
    tables->addWidget(sectionTitle(tr("&Raters"), m_ratersView, this));
    tables->addWidget(m_ratersView, 3);
    tables->addWidget(m_setupButton, 0, Qt::AlignLeft);
    tables->addSpacing(8);
    // The study overview is the researcher's view; the rating page never shows these.
    m_care = new QWidget(this);
    QLabel *careTitle =
        sectionTitle(tr("Rater &care (supervising researcher only)"), m_exposureView, m_care);
    careTitle->setToolTip(tr("Skips, \"pause — this was distressing\" and items shown per "
                             "session and per day. Raters never see these counts."));
    m_exposureView->setParent(m_care);
    auto *careLayout = new QVBoxLayout(m_care);
    careLayout->setContentsMargins(0, 0, 0, 0);
    careLayout->setSpacing(4);
    careLayout->addWidget(careTitle);
    careLayout->addWidget(m_exposureView, 1);
    tables->addWidget(m_care, 2);
    tables->addSpacing(8);
    tables->addWidget(sectionTitle(tr("&Models"), m_modelsView, this));
    tables->addWidget(m_modelsView, 2);

    auto *body = new QHBoxLayout;
    body->setSpacing(16);
    body->addLayout(tables, 1);
    body->addWidget(sideWidget);

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

    setFocusProxy(m_raterPicker);
    updateStartButton();
}

StudyPage::~StudyPage() = default;

void StudyPage::setStudy(storage::Study *study)
{
    m_study = study;
    m_banner->hide();
    refresh();
}

void StudyPage::refresh()
{
    if (!m_study) {
        m_title->clear();
        m_path->clear();
        m_protocol->clear();
        m_models->setRows({});
        m_raters->setRows({});
        m_exposure->setRows({});
        m_raterPicker->clear();
        m_contents->clear();
        for (widgets::StatTile *tile : std::as_const(m_tiles)) {
            tile->setValue(QStringLiteral("0"));
            tile->setDetail({});
        }
        updateStartButton();
        return;
    }
    const storage::StudyInfo info = storage::summarize(*m_study);
    const QLocale locale;
    m_title->setText(info.title.isEmpty() ? QFileInfo(info.path).completeBaseName() : info.title);
    const QString created = QLocale().toString(
        QDateTime::fromString(info.createdAt, Qt::ISODateWithMs).toLocalTime().date(),
        QLocale::ShortFormat);
    m_path->setText(
        tr("%1 · created %2")
            .arg(QDir::toNativeSeparators(QFileInfo(info.path).absoluteFilePath()), created));
    m_path->setToolTip(QDir::toNativeSeparators(QFileInfo(info.path).absoluteFilePath()));
    m_contents->setText(contentsHtml(info));
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
    QHash<QString, qint64> assigned;
    for (const auto &row : info.raterRows)
        assigned.insert(row.name, row.assigned);
    const QString keep = selectedRaterName().isEmpty() ? m_preferredRater : selectedRaterName();
    const QSignalBlocker blocker(m_raterPicker);
    m_raterPicker->clear();
    for (const storage::Rater &rater : storage::RaterRepository(*m_study).all()) {
        if (rater.kind != storage::RaterKind::Human)
            continue;
        const qint64 n = assigned.value(rater.name);
        const QString work = n == 1 ? tr("1 item") : tr("%1 items").arg(locale.toString(n));
        m_raterPicker->addItem(rater.name + QStringLiteral(" — ") + work, rater.id);
        m_raterPicker->setItemData(m_raterPicker->count() - 1, rater.name, RaterNameRole);
    }
    const int preferred = m_raterPicker->findData(keep, RaterNameRole);
    m_raterPicker->setCurrentIndex(
        preferred >= 0 ? preferred : (m_raterPicker->count() > 0 ? 0 : -1));
    m_emptyHint->parentWidget()->setVisible(info.items == 0);
    updateStartButton();
}

void StudyPage::setPreferredRater(const QString &name)
{
    m_preferredRater = name;
    const int index = m_raterPicker->findData(name, RaterNameRole);
    if (index >= 0)
        m_raterPicker->setCurrentIndex(index);
}

QString StudyPage::selectedRaterName() const
{
    return m_raterPicker->currentData(RaterNameRole).toString();
}

void StudyPage::showError(const QString &message)
{
    m_banner->showMessage(widgets::MessageBanner::Kind::Error, message);
}

void StudyPage::updateStartButton()
{
    const bool hasRaters = m_raterPicker->count() > 0;
    m_raterPicker->setEnabled(hasRaters);
    m_startButton->setEnabled(hasRaters && m_raterPicker->currentIndex() >= 0);
    if (!hasRaters)
        m_rateHint->setText(tr("No people are registered as raters in this study yet. Add one with "
                               "crisis-review rater add STUDY NAME, then assign items with "
                               "crisis-review assign."));
    else
        m_rateHint->setText(
            tr("Raters see one crisis message at a time with its responses, blinded "
               "and shuffled, and only their own work."));
}

void StudyPage::setCareVisible(bool visible)
{
    if (visible == m_careVisible)
        return;
    m_careVisible = visible;
    m_care->setVisible(visible);
    refresh();
}

} // namespace cr::ui
