#include "ui/researchpanels.h"

#include "stats/planning.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
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

QTableView *tableView(QStandardItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setAccessibleName(name);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setWordWrap(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setMinimumHeight(160);
    return view;
}

void addRow(QStandardItemModel *model, const QStringList &cells, int firstNumeric)
{
    QList<QStandardItem *> row;
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QStandardItem(cells[c]);
        if (c >= firstNumeric)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row.append(item);
    }
    model->appendRow(row);
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
    layout->addWidget(title);
    layout->addWidget(help);
    layout->addWidget(m_empty);
    layout->addWidget(m_view, 2);
    layout->addWidget(m_biasView, 1);
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
                3);
        }
        for (const stats::BiasGroup &g : c.byPosition)
            addRow(m_bias,
                { c.llm, tr("position %1").arg(g.group), QString::number(g.n), number(g.llmMean),
                    number(g.clinicianMean), number(g.difference) },
                2);
        for (const stats::BiasGroup &g : c.byLength)
            addRow(m_bias,
                { c.llm, tr("%1 responses").arg(g.group), QString::number(g.n), number(g.llmMean),
                    number(g.clinicianMean), number(g.difference) },
                2);
        if (c.family)
            addRow(m_bias,
                { c.llm,
                    c.family->sameFamilyModels.isEmpty()
                        ? tr("family %1: scores none of its own").arg(c.family->family)
                        : tr("own family (%1)")
                              .arg(c.family->sameFamilyModels.join(QStringLiteral(", "))),
                    QString::number(c.family->nSame), QString(), QString(),
                    number(c.family->differenceSame) },
                2);
    }
    m_empty->setText(list.isEmpty()
            ? tr("No LLM rater shares items with two or more clinicians in this selection.")
            : QString());
    m_empty->setVisible(list.isEmpty());
    m_view->setVisible(!list.isEmpty());
    m_biasView->setVisible(m_bias->rowCount() > 0);
    m_view->resizeColumnsToContents();
    m_biasView->resizeColumnsToContents();
}

PlanningPanel::PlanningPanel(QWidget *parent)
    : QWidget(parent)
    , m_width(new QDoubleSpinBox(this))
    , m_model(new QStandardItemModel(this))
{
    setAccessibleName(tr("Planning"));
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Planning</b>: items needed for a 95% interval of width"), this);
    m_width->setRange(0.02, 0.5);
    m_width->setSingleStep(0.01);
    m_width->setDecimals(2);
    m_width->setValue(0.10);
    m_width->setAccessibleName(tr("Target interval width"));
    title->setBuddy(m_width);
    row->addWidget(title);
    row->addWidget(m_width);
    row->addStretch(1);
    layout->addLayout(row);
    auto *help = new QLabel(tr("Harm rates: Wilson interval, responses per model and category "
                               "(at the rate now, and at any rate). Agreement: the bootstrap "
                               "interval's width now scaled with 1/√n (an approximation)."),
        this);
    help->setWordWrap(true);
    layout->addWidget(help);
    layout->addWidget(tableView(m_model, tr("Planning table"), this), 1);
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

void PlanningPanel::refresh()
{
    m_model->clear();
    m_model->setHorizontalHeaderLabels(
        { tr("For"), tr("Now"), tr("Value now"), tr("Needed"), tr("Needed at any rate") });
    if (!m_stats)
        return;
    const stats::Planning plan = stats::planStudy(*m_stats, m_width->value());
    for (const stats::HarmPlanRow &r : plan.harm)
        addRow(m_model,
            { tr("Harm rate, %1 (per model)").arg(m_names.value(r.category, r.category)),
                QString::number(r.responsesPerModel),
                r.rate.value ? fixed(*r.rate.value * 100, 1) + QLatin1Char('%') : QString(),
                QString::number(r.needed), QString::number(r.neededWorstCase) },
            1);
    for (const stats::AgreementPlanRow &r : plan.agreement)
        addRow(m_model,
            { r.label, QString::number(r.units),
                r.width.value ? tr("width %1").arg(fixed(*r.width.value)) : QString(),
                r.needed > 0 ? QString::number(r.needed) : QStringLiteral("—"), QString() },
            1);
}

} // namespace cr::ui
