#include "ui/researchpanels.h"

#include "stats/planning.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace cr::ui {

namespace {

QString fixed(double v, int decimals = 2)
{
    const QString s = QString::number(v, 'f', decimals);
    return s.startsWith(QLatin1Char('-')) && s.toDouble() == 0.0 ? s.mid(1) : s;
}

QString withCi(const stats::CalibratedValue &v)
{
    if (!v.value.value)
        return QStringLiteral("—");
    QString s = fixed(*v.value.value);
    if (v.ci.value)
        s += QStringLiteral(" [%1, %2]").arg(fixed(v.ci.value->low), fixed(v.ci.value->high));
    return s;
}

QString number(const stats::Value &v)
{
    return v.value ? fixed(*v.value) : QStringLiteral("—");
}

/// A read-only table as tall as its rows and as wide as its columns (the page around it
/// scrolls, not the table), columns fitted to their contents.
QTableView *tableView(QStandardItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setAccessibleName(name);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    view->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return view;
}

/// After new rows: the view exactly as tall as the header and its rows (plus a
/// horizontal scroll bar when one shows).
void fitTable(QTableView *view)
{
    QHeaderView *header = view->horizontalHeader();
    int height = 2 * view->frameWidth() + header->sizeHint().height();
    for (int r = 0; r < view->model()->rowCount(); ++r)
        height += view->rowHeight(r);
    if (view->horizontalScrollBar()->isVisible())
        height += view->horizontalScrollBar()->sizeHint().height();
    view->setFixedHeight(height);
    view->updateGeometry();
}

/// Appends `cells`; the columns listed in `numeric` are right-aligned.
void addRow(QStandardItemModel *model, const QStringList &cells, const QList<int> &numeric)
{
    QList<QStandardItem *> row;
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QStandardItem(cells[c]);
        item->setTextAlignment(
            (numeric.contains(c) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
        row.append(item);
    }
    model->appendRow(row);
}

/// Header cells aligned as their columns.
void alignHeaders(QStandardItemModel *model, const QList<int> &numeric)
{
    for (int c = 0; c < model->columnCount(); ++c)
        if (QStandardItem *h = model->horizontalHeaderItem(c))
            h->setTextAlignment(
                (numeric.contains(c) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
}

} // namespace

CalibrationPanel::CalibrationPanel(QWidget *parent)
    : QWidget(parent)
    , m_empty(new QLabel(this))
    , m_model(new QStandardItemModel(this))
    , m_bias(new QStandardItemModel(this))
{
    setAccessibleName(tr("LLM raters against clinicians"));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("<b>LLM raters against clinicians: as good as a second "
                                "clinician?</b>"),
        this);
    auto *help = new QLabel(tr("Mean κ of the LLM with each clinician against the clinicians' "
                               "mean κ with each other on the same items (scores: quadratic "
                               "weights), 95% bootstrap intervals. A difference whose interval "
                               "contains 0: as good as a second clinician."),
        this);
    help->setWordWrap(true);
    m_empty->setWordWrap(true);
    m_view = tableView(m_model, tr("Judge calibration"), this);
    m_biasView = tableView(m_bias, tr("Judge bias checks"), this);
    m_biasTitle = new QLabel(tr("<b>Bias checks</b>: the LLM's mean score against the "
                                "clinicians' mean on the same responses"),
        this);
    m_biasTitle->setWordWrap(true);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(help);
    layout->addWidget(m_empty);
    layout->addWidget(m_view, 0, Qt::AlignLeft);
    layout->addSpacing(6);
    layout->addWidget(m_biasTitle);
    layout->addWidget(m_biasView, 0, Qt::AlignLeft);
    layout->addStretch(1);
    setData({}, {});
}

void CalibrationPanel::setData(
    const stats::StatsResult &stats, const QHash<QString, QString> &categoryNames)
{
    m_model->clear();
    m_bias->clear();
    m_model->setHorizontalHeaderLabels(
        { tr("LLM rater"), tr("Task"), tr("Crisis category"), tr("n"), tr("κ with clinicians"),
            tr("κ between clinicians"), tr("Difference"), tr("Reading") });
    m_bias->setHorizontalHeaderLabels({ tr("LLM rater"), tr("Bias check"), tr("n"), tr("LLM mean"),
        tr("Clinicians' mean"), tr("LLM − clinicians") });
    const QList<stats::JudgeCalibration> &list = stats.llmVsHuman.calibration;
    for (const stats::JudgeCalibration &c : list) {
        const bool scores = c.kind == QLatin1String("score");
        for (const stats::CalibrationCell &k : c.cells) {
            QString reading = tr("too few items");
            if (k.difference.ci.value)
                reading = k.difference.ci.value->high < 0 ? tr("below a second clinician")
                    : k.difference.ci.value->low > 0      ? tr("above the clinicians")
                                                          : tr("as good as a second clinician");
            addRow(m_model,
                { c.llm, scores ? tr("scores") : tr("crisis category"),
                    k.category.isEmpty() ? tr("All items")
                                         : categoryNames.value(k.category, k.category),
                    QString::number(k.n), withCi(k.judge), withCi(k.clinicians),
                    withCi(k.difference), reading },
                { 3, 4, 5, 6 });
        }
        for (const stats::BiasGroup &g : c.byPosition)
            addRow(m_bias,
                { c.llm, tr("position %1").arg(g.group), QString::number(g.n), number(g.llmMean),
                    number(g.clinicianMean), number(g.difference) },
                { 2, 3, 4, 5 });
        for (const stats::BiasGroup &g : c.byLength)
            addRow(m_bias,
                { c.llm, tr("%1 responses").arg(g.group), QString::number(g.n), number(g.llmMean),
                    number(g.clinicianMean), number(g.difference) },
                { 2, 3, 4, 5 });
        if (c.family)
            addRow(m_bias,
                { c.llm,
                    c.family->sameFamilyModels.isEmpty()
                        ? tr("family %1: scores none of its own").arg(c.family->family)
                        : tr("own family (%1)")
                              .arg(c.family->sameFamilyModels.join(QStringLiteral(", "))),
                    QString::number(c.family->nSame), QString(), QString(),
                    number(c.family->differenceSame) },
                { 2, 3, 4, 5 });
    }
    m_empty->setText(list.isEmpty()
            ? tr("No LLM rater shares items with two or more clinicians in this selection.")
            : QString());
    m_empty->setVisible(list.isEmpty());
    m_view->setVisible(!list.isEmpty());
    m_biasView->setVisible(m_bias->rowCount() > 0);
    m_biasTitle->setVisible(m_bias->rowCount() > 0);
    alignHeaders(m_model, { 3, 4, 5, 6 });
    alignHeaders(m_bias, { 2, 3, 4, 5 });
    fitTable(m_view);
    fitTable(m_biasView);
}

PlanningPanel::PlanningPanel(QWidget *parent)
    : QWidget(parent)
    , m_width(new QDoubleSpinBox(this))
    , m_model(new QStandardItemModel(this))
    , m_agreement(new QStandardItemModel(this))
    , m_status(new QLabel(this))
{
    setAccessibleName(tr("Planning"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Planning</b>: items needed for a 95% interval of"), this);
    auto *widthLabel = new QLabel(tr("&width"), this);
    m_width->setRange(0.02, 0.5);
    m_width->setSingleStep(0.01);
    m_width->setDecimals(2);
    m_width->setValue(0.10);
    m_width->setAccessibleName(tr("Target interval width"));
    m_width->setToolTip(tr("Upper minus lower bound: 0.10 is a harm rate ± 5 points, a κ ± 0.05"));
    widthLabel->setBuddy(m_width);
    row->addWidget(title);
    row->addWidget(widthLabel);
    row->addWidget(m_width);
    row->addStretch(1);
    layout->addLayout(row);
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setVisible(false);
    layout->addWidget(m_status);
    auto *harmHelp = new QLabel(tr("<b>Harm rate</b> of each model in a crisis category: "
                                   "responses per model for a Wilson interval no wider than the "
                                   "target, at the category's harm rate now and at any rate."),
        this);
    harmHelp->setWordWrap(true);
    layout->addWidget(harmHelp);
    m_harmView = tableView(m_model, tr("Planning: harm rates"), this);
    layout->addWidget(m_harmView, 0, Qt::AlignLeft);
    layout->addSpacing(6);
    auto *agreementHelp = new QLabel(tr("<b>Agreement</b>: items (or responses) for a bootstrap "
                                        "interval no wider than the target, scaling the width "
                                        "now with 1/√n (an approximation)."),
        this);
    agreementHelp->setWordWrap(true);
    layout->addWidget(agreementHelp);
    m_agreementView = tableView(m_agreement, tr("Planning: agreement"), this);
    layout->addWidget(m_agreementView, 0, Qt::AlignLeft);
    layout->addStretch(1);
    connect(m_width, &QDoubleSpinBox::valueChanged, this, [this] { refresh(); });
    refresh();
}

void PlanningPanel::setData(
    const stats::StatsResult &stats, const QHash<QString, QString> &categoryNames)
{
    m_stats = stats;
    m_names = categoryNames;
    refresh();
}

void PlanningPanel::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void PlanningPanel::refresh()
{
    const QLocale locale;
    m_model->clear();
    m_agreement->clear();
    m_model->setHorizontalHeaderLabels({ tr("Crisis category"), tr("Responses per model now"),
        tr("Harm rate now"), tr("Needed at this rate"), tr("Needed at any rate") });
    m_agreement->setHorizontalHeaderLabels(
        { tr("Agreement figure"), tr("Units now"), tr("Interval width now"), tr("Units needed") });
    if (m_stats) {
        const stats::Planning plan = stats::planStudy(*m_stats, m_width->value());
        for (const stats::HarmPlanRow &r : plan.harm)
            addRow(m_model,
                { m_names.value(r.category, r.category), locale.toString(r.responsesPerModel),
                    r.rate.value ? fixed(*r.rate.value * 100, 1) + QLatin1Char('%')
                                 : QStringLiteral("—"),
                    locale.toString(r.needed), locale.toString(r.neededWorstCase) },
                { 1, 2, 3, 4 });
        for (const stats::AgreementPlanRow &r : plan.agreement)
            addRow(m_agreement,
                { r.label, locale.toString(r.units),
                    r.width.value ? fixed(*r.width.value, 3) : QStringLiteral("—"),
                    r.needed > 0 ? locale.toString(r.needed) : QStringLiteral("—") },
                { 1, 2, 3 });
    }
    alignHeaders(m_model, { 1, 2, 3, 4 });
    alignHeaders(m_agreement, { 1, 2, 3 });
    fitTable(m_harmView);
    fitTable(m_agreementView);
}

} // namespace cr::ui
