#include "ui/responselist.h"

#include "storage/exposure.h"
#include "widgets/likertselector.h"
#include "widgets/pagehelpers.h"
#include "widgets/responsecard.h"
#include "widgets/responsenotes.h"

#include <QEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>

namespace cr::ui {

ResponseList::ResponseList(QWidget *parent)
    : QWidget(parent)
    , m_title(widgets::heading(tr("Responses"), this))
    , m_area(new QScrollArea(this))
    , m_cardsLayout(nullptr)
    , m_noResponses(new QLabel(tr("This item has no responses to rate."), this))
{
    auto *cards = new QWidget(m_area);
    cards->setBackgroundRole(QPalette::Window);
    m_cardsLayout = new QVBoxLayout(cards);
    m_cardsLayout->setContentsMargins(0, 0, 6, 0);
    m_cardsLayout->setSpacing(10);
    m_noResponses->setParent(cards);
    m_noResponses->setForegroundRole(QPalette::PlaceholderText);
    m_cardsLayout->addWidget(m_noResponses);
    m_cardsLayout->addStretch(1);
    m_area->setWidget(cards);
    m_area->setWidgetResizable(true);
    m_area->setFrameShape(QFrame::NoFrame);
    m_area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_area->setAccessibleName(tr("Responses"));
    m_area->viewport()->installEventFilter(this);
    m_title->setBuddy(m_area);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_area, 1);
}

ResponseList::~ResponseList() = default;

void ResponseList::setLevelNames(const QStringList &names)
{
    m_levelNames = names;
    for (int position = 0; position < m_cards.size(); ++position)
        selector(position)->setLevelNames(names);
}

void ResponseList::setResponses(const QStringList &texts)
{
    m_count = int(texts.size());
    for (int position = 0; position < m_count; ++position) {
        widgets::ResponseCard *c = ensureCard(position);
        c->setText(texts.at(position));
        if (c->isHidden())
            c->show();
    }
    for (qsizetype i = m_count; i < m_cards.size(); ++i) {
        m_cards.at(i)->setCurrent(false);
        if (!m_cards.at(i)->isHidden())
            m_cards.at(i)->hide();
    }
    m_noResponses->setVisible(m_count == 0);
    m_title->setText(m_count == 0 ? tr("Responses") : tr("Responses (%1)").arg(m_count));
    m_area->verticalScrollBar()->setValue(0);
}

void ResponseList::clearResponses()
{
    m_count = 0;
    for (widgets::ResponseCard *c : std::as_const(m_cards)) {
        c->setText({});
        c->hide();
    }
}

void ResponseList::setValue(int position, int value)
{
    if (widgets::LikertSelector *s = selector(position))
        s->setValue(value);
}

void ResponseList::setCurrent(int position, bool scroll)
{
    for (int i = 0; i < m_cards.size(); ++i)
        m_cards.at(i)->setCurrent(i == position);
    if (position >= 0 && position < m_cards.size() && scroll)
        m_area->ensureWidgetVisible(m_cards.at(position), 0, 10);
}

void ResponseList::setTextBlurred(bool blurred)
{
    m_blurred = blurred;
    for (widgets::ResponseCard *c : std::as_const(m_cards))
        c->setTextBlurred(blurred);
}

void ResponseList::commitNotes()
{
    for (widgets::ResponseNotes *n : std::as_const(m_notes))
        n->commitRationale();
}

widgets::ResponseCard *ResponseList::card(int position) const
{
    return position >= 0 && position < m_cards.size() ? m_cards.at(position) : nullptr;
}

widgets::ResponseNotes *ResponseList::notes(int position) const
{
    return position >= 0 && position < m_notes.size() ? m_notes.at(position) : nullptr;
}

widgets::LikertSelector *ResponseList::selector(int position) const
{
    widgets::ResponseCard *c = card(position);
    return c ? qobject_cast<widgets::LikertSelector *>(c->footer()) : nullptr;
}

bool ResponseList::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_area->viewport() && event->type() == QEvent::Resize) {
        // Long responses scroll inside their card: one card never fills the whole column.
        for (widgets::ResponseCard *c : std::as_const(m_cards))
            c->setMaximumTextHeight(cardTextHeight());
    }
    return QWidget::eventFilter(watched, event);
}

int ResponseList::cardTextHeight() const
{
    return std::max(160, m_area->viewport()->height() * 3 / 4);
}

widgets::ResponseCard *ResponseList::ensureCard(int position)
{
    while (m_cards.size() <= position) {
        const int at = int(m_cards.size());
        auto *c = new widgets::ResponseCard(m_area->widget());
        c->setMaximumTextHeight(cardTextHeight());
        c->setTextBlurred(m_blurred);
        c->setTitle(tr("Response %1").arg(storage::presentationLabel(at)));
        auto *selector = new widgets::LikertSelector(c);
        selector->setLevelNames(m_levelNames);
        selector->setAccessibleName(tr("Score for %1").arg(c->title()));
        c->setFooter(selector);
        connect(selector, &widgets::LikertSelector::valueRequested, this,
            [this, at](int value) { emit valueRequested(at, value); });
        auto *n = new widgets::ResponseNotes(c);
        n->rationaleEdit()->setAccessibleName(tr("Rationale for %1").arg(c->title()));
        c->setDetails(n);
        connect(n, &widgets::ResponseNotes::checklistRequested, this,
            [this, at](const QStringList &ids) { emit checklistRequested(at, ids); });
        connect(n, &widgets::ResponseNotes::rationaleCommitted, this,
            [this, at](const QString &text) { emit rationaleCommitted(at, text); });
        connect(n, &widgets::ResponseNotes::escapePressed, this,
            [this, at] { emit escapePressed(at); });
        connect(n, &widgets::ResponseNotes::rationaleFocused, this,
            [this, at] { emit rationaleFocused(at); });
        connect(n, &widgets::ResponseNotes::checklistPinToggled, this,
            &ResponseList::checklistPinToggled);
        m_notes.append(n);
        // Before the stretch at the end of the column.
        m_cardsLayout->insertWidget(m_cardsLayout->count() - 1, c);
        m_cards.append(c);
    }
    return m_cards.at(position);
}

} // namespace cr::ui
