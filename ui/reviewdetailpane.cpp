#include "ui/reviewdetailpane.h"

#include "storage/exposure.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/adjudicationsession.h"
#include "widgets/messageview.h"
#include "widgets/pagehelpers.h"
#include "widgets/responsecard.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

namespace cr::ui {

namespace {

QWidget *responsesBox(const QString &title, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *l = new QVBoxLayout(box);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(widgets::heading(title, box));
    return box;
}

} // namespace

ReviewDetailPane::ReviewDetailPane(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
    , m_title(widgets::heading(QString(), this))
    , m_consensus(new QLabel(this))
    , m_message(new widgets::MessageView(this))
    // The disputed response sits above the raters' scores; an item's responses (context
    // for a category) below the decision, so the decision stays in view.
    , m_responsesAbove(responsesBox(tr("Response"), this))
    , m_responsesBelow(responsesBox(tr("The item's responses"), this))
    , m_values(new QTableWidget(this))
    , m_adoptRow(new QWidget(this))
{
    m_title->setAccessibleName(tr("Selected disagreement"));
    m_title->setWordWrap(true);
    m_consensus->setWordWrap(true);
    m_consensus->setTextFormat(Qt::RichText);
    m_consensus->setAccessibleName(tr("Current consensus"));
    m_message->setAccessibleName(tr("Input message"));
    m_message->setMinimumHeight(90);
    m_message->setMaximumHeight(130);
    m_values->setAccessibleName(tr("Raters' values side by side"));
    m_values->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_values->setWordWrap(true);
    m_values->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_values->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_values->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_values->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_values->setTextElideMode(Qt::ElideNone);
    // Column widths follow the pane: the wrapped rows are measured again each time.
    connect(m_values->horizontalHeader(), &QHeaderView::sectionResized, this,
        [this] { fitValuesHeight(); });
    auto *adoptLayout = new QHBoxLayout(m_adoptRow);
    adoptLayout->setContentsMargins(0, 0, 0, 0);

    m_layout->addWidget(m_title);
    m_layout->addWidget(m_consensus);
    m_layout->addWidget(widgets::heading(tr("Input"), this));
    m_layout->addWidget(m_message);
    m_layout->addWidget(m_responsesAbove);
    m_layout->addWidget(widgets::heading(tr("Raters"), this));
    m_layout->addWidget(m_values);
    m_layout->addWidget(m_adoptRow);
    m_layout->addWidget(m_responsesBelow);
    m_layout->addStretch();
}

ReviewDetailPane::~ReviewDetailPane() = default;

void ReviewDetailPane::setProtocol(const QStringList &categoryIds, const QStringList &categoryNames,
    const QStringList &levelNames, const QHash<QString, QString> &checklistTexts)
{
    m_categoryIds = categoryIds;
    m_categoryNames = categoryNames;
    m_levelNames = levelNames;
    m_checklistTexts = checklistTexts;
}

void ReviewDetailPane::clearShown()
{
    qDeleteAll(m_responsesAbove->findChildren<widgets::ResponseCard *>(
        QString(), Qt::FindDirectChildrenOnly));
    qDeleteAll(m_responsesBelow->findChildren<widgets::ResponseCard *>(
        QString(), Qt::FindDirectChildrenOnly));
    qDeleteAll(m_adoptRow->findChildren<QPushButton *>(QString(), Qt::FindDirectChildrenOnly));
    m_values->clear();
    m_values->setColumnCount(0);
    m_values->setRowCount(0);
}

void ReviewDetailPane::showDisagreement(storage::Study *study,
    const std::optional<storage::Disagreement> &d, const QList<storage::RaterValue> &shown,
    bool blind)
{
    m_current = study ? d : std::nullopt;
    clearShown();
    const bool has = m_current.has_value();
    for (QWidget *w :
        std::initializer_list<QWidget *> { m_consensus, m_message, m_values, m_adoptRow })
        w->setVisible(has);
    m_responsesAbove->setVisible(has && m_current->kind == storage::DisagreementKind::Score);
    m_responsesBelow->setVisible(has && m_current->kind == storage::DisagreementKind::Category);
    if (!has) {
        m_title->setText(study ? tr("No disagreement selected.") : QString());
        m_message->setTurns({});
        return;
    }
    addResponses(*study, *m_current);
    // "#N" is how raters see the item (its source hidden), e.g. when they flag it; a
    // blinded row has no external id (storage::blindDisagreements).
    const QString hash = QStringLiteral("#%1").arg(d->itemId);
    const QString itemName =
        d->itemExternalId == hash ? hash : tr("%1 (#%2)").arg(d->itemExternalId).arg(d->itemId);
    m_title->setText(d->kind == storage::DisagreementKind::Score
            ? tr("Item %1 · scores of one response disagree (range %2)")
                  .arg(itemName)
                  .arg(d->scoreSpread.range)
            : tr("Item %1 · %n different categories", nullptr, d->categorySpread.distinct)
                  .arg(itemName));
    fillValues(*m_current, shown, blind);
    m_consensus->setText(consensusText());
}

void ReviewDetailPane::addResponses(storage::Study &study, const storage::Disagreement &d)
{
    // The disputed response, or all of the item's for a category.
    const bool score = d.kind == storage::DisagreementKind::Score;
    storage::ItemRepository items(study);
    const auto item = items.item(d.itemId);
    m_message->setTurns(item ? item->turns : QStringList());
    m_message->verticalScrollBar()->setValue(0);
    const QList<storage::Response> responses = items.responses(d.itemId);
    // An item's responses are blinded like a rater's: shuffled per row, labelled A, B….
    const QList<int> order = score
        ? QList<int>()
        : storage::presentationOrder(int(responses.size()), AdjudicationSession::blindingSeed(d));
    for (int position = 0; position < (score ? responses.size() : order.size()); ++position) {
        const storage::Response &r = responses.at(score ? position : order.at(position));
        if (score && r.id != d.responseId)
            continue;
        auto *card = new widgets::ResponseCard;
        // Blind rows carry the response's letter instead of its model.
        card->setTitle(!score ? tr("Response %1").arg(storage::presentationLabel(position))
                : d.responseLetter.isEmpty()
                ? tr("Response (%1, run %2)").arg(r.modelName).arg(r.run)
                : tr("Response %1").arg(d.responseLetter));
        card->setText(r.text);
        card->setMaximumTextHeight(score ? 200 : 90);
        card->setAccessibleName(card->title());
        (score ? m_responsesAbove : m_responsesBelow)->layout()->addWidget(card);
        card->show(); // added to a visible page
    }
}

void ReviewDetailPane::fillValues(
    const storage::Disagreement &d, const QList<storage::RaterValue> &shown, bool blind)
{
    const bool score = d.kind == storage::DisagreementKind::Score;
    const QStringList rows = score ? QStringList { tr("Score"), tr("Checklist"), tr("Rationale") }
                                   : QStringList { tr("Category"), tr("Note") };
    m_values->setRowCount(int(rows.size()));
    m_values->setColumnCount(int(shown.size()));
    m_values->setVerticalHeaderLabels(rows);
    auto *adoptLayout = qobject_cast<QHBoxLayout *>(m_adoptRow->layout());
    for (int c = 0; c < shown.size(); ++c) {
        const storage::RaterValue &v = shown[c];
        QString label =
            blind ? tr("Rater %1").arg(c + 1) : tr("%1 (%2)").arg(v.rater.name, v.rater.pseudonym);
        if (v.rater.kind == storage::RaterKind::Llm)
            label += tr(" · LLM");
        m_values->setHorizontalHeaderItem(c, new QTableWidgetItem(label));
        const QString value = valueText(d, v);
        QStringList ticks;
        for (const QString &id : v.checklist)
            ticks.append(m_checklistTexts.value(id, id));
        const QStringList cells = score
            ? QStringList { value, ticks.join(QStringLiteral("; ")), v.rationale }
            : QStringList { value, v.note };
        for (int r = 0; r < cells.size(); ++r) {
            auto *cell = new QTableWidgetItem(cells[r]);
            cell->setToolTip(cells[r]);
            cell->setData(Qt::AccessibleTextRole, tr("%1, %2: %3").arg(label, rows[r], cells[r]));
            m_values->setItem(r, c, cell);
        }
        auto *adopt = new QPushButton(tr("Adopt %1").arg(label), m_adoptRow);
        adopt->setAccessibleName(tr("Adopt the value of %1").arg(label));
        adopt->setToolTip(tr("Take %1 as the decision").arg(value));
        adopt->setEnabled(!score || v.score.has_value());
        connect(adopt, &QPushButton::clicked, this, [this, c] { emit adoptRequested(c); });
        adoptLayout->addWidget(adopt);
        adopt->show();
    }
    fitValuesHeight();
}

void ReviewDetailPane::fitValuesHeight()
{
    m_values->resizeRowsToContents();
    int height = m_values->horizontalHeader()->sizeHint().height() + 2 * m_values->frameWidth();
    for (int r = 0; r < m_values->rowCount(); ++r)
        height += m_values->rowHeight(r);
    m_values->setFixedHeight(height);
}

void ReviewDetailPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitValuesHeight();
}

QString ReviewDetailPane::valueText(
    const storage::Disagreement &d, const storage::RaterValue &v) const
{
    if (d.kind == storage::DisagreementKind::Category) {
        const qsizetype i = m_categoryIds.indexOf(v.category);
        return i >= 0 ? m_categoryNames.at(i) : v.category;
    }
    return v.score ? QString::number(*v.score) : tr("cannot assess");
}

QStringList ReviewDetailPane::shownRaterLabels() const
{
    QStringList out;
    for (int c = 0; c < m_values->columnCount(); ++c)
        out.append(m_values->horizontalHeaderItem(c) ? m_values->horizontalHeaderItem(c)->text()
                                                     : QString());
    return out;
}

QString ReviewDetailPane::consensusText() const
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

} // namespace cr::ui
