#include "ui/ratingpage.h"

#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/presentation.h"
#include "ui/settings.h"
#include "widgets/messagebanner.h"
#include "widgets/messageview.h"
#include "widgets/responsecard.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

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

QToolButton *actionButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAccessibleName(action->text().remove(QLatin1Char('&')));
    return button;
}

} // namespace

RatingPage::RatingPage(QWidget *parent)
    : QWidget(parent)
    , m_previousAction(new QAction(tr("&Previous Item"), this))
    , m_nextAction(new QAction(tr("&Next Item"), this))
    , m_overviewAction(new QAction(tr("Study &Overview"), this))
    , m_revealAction(new QAction(tr("&Reveal Text"), this))
    , m_contentNote(new widgets::MessageBanner(this))
    , m_stack(new QStackedWidget(this))
    , m_position(new QLabel(this))
    , m_itemId(new QLabel(this))
    , m_calibration(new QLabel(tr("Calibration item"), this))
    , m_message(new widgets::MessageView(this))
    , m_responsesTitle(heading(tr("Responses"), this))
    , m_responsesArea(new QScrollArea(this))
    , m_cardsLayout(nullptr)
    , m_noResponses(new QLabel(tr("This item has no responses to rate."), this))
    , m_emptyTitle(new QLabel(this))
    , m_status(new QLabel(this))
{
    setAccessibleName(tr("Rating"));

    m_previousAction->setShortcut(QKeySequence(Qt::Key_PageUp));
    m_previousAction->setIcon(style()->standardIcon(QStyle::SP_ArrowBack, nullptr, this));
    m_previousAction->setToolTip(tr("Previous item (Page Up)"));
    m_nextAction->setShortcut(QKeySequence(Qt::Key_PageDown));
    m_nextAction->setIcon(style()->standardIcon(QStyle::SP_ArrowForward, nullptr, this));
    m_nextAction->setToolTip(tr("Next item (Page Down)"));
    m_overviewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_overviewAction->setToolTip(tr("Back to the study overview (Ctrl+1)"));
    m_revealAction->setCheckable(true);
    m_revealAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_revealAction->setToolTip(tr("Show the blurred text of this item (Ctrl+R)"));
    for (QAction *action : { m_previousAction, m_nextAction, m_overviewAction, m_revealAction }) {
        action->setShortcutContext(Qt::WindowShortcut);
        action->setEnabled(false);
        addAction(action);
    }
    connect(m_previousAction, &QAction::triggered, this, &RatingPage::showPreviousItem);
    connect(m_nextAction, &QAction::triggered, this, &RatingPage::showNextItem);
    connect(m_overviewAction, &QAction::triggered, this, &RatingPage::overviewRequested);
    connect(m_revealAction, &QAction::toggled, this, [this](bool on) {
        m_revealed = on;
        applyBlur();
    });

    // Content note, until the rater acknowledges it once.
    m_contentNote->setCloseButtonVisible(false);
    QPushButton *understood = m_contentNote->addButton(tr("I &Understand"));
    connect(understood, &QPushButton::clicked, this, [this] {
        Settings().contentNoteAcknowledged = true;
        m_contentNote->hide();
    });

    // Header: where am I, and how to move.
    QFont positionFont = m_position->font();
    positionFont.setPointSizeF(positionFont.pointSizeF() * 1.35);
    positionFont.setBold(true);
    m_position->setFont(positionFont);
    m_position->setObjectName(QStringLiteral("itemPosition"));
    m_itemId->setForegroundRole(QPalette::PlaceholderText);
    m_itemId->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_calibration->setFrameShape(QFrame::StyledPanel);
    m_calibration->setBackgroundRole(QPalette::AlternateBase);
    m_calibration->setAutoFillBackground(true);
    m_calibration->setContentsMargins(6, 1, 6, 1);
    m_calibration->setToolTip(tr("Every rater rates this item, to compare raters with each other"));
    m_revealButton = actionButton(m_revealAction, this);
    m_revealButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto *header = new QHBoxLayout;
    header->setSpacing(10);
    header->addWidget(actionButton(m_overviewAction, this));
    header->addSpacing(8);
    header->addWidget(m_position);
    header->addWidget(m_itemId);
    header->addWidget(m_calibration);
    header->addStretch();
    header->addWidget(m_revealButton);
    header->addWidget(actionButton(m_previousAction, this));
    header->addWidget(actionButton(m_nextAction, this));

    // Left: the person's message.
    auto *messagePanel = new QWidget(this);
    auto *messageLayout = new QVBoxLayout(messagePanel);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    auto *messageTitle = heading(tr("&Message"), messagePanel);
    messageTitle->setBuddy(m_message);
    m_message->setAccessibleName(tr("Message"));
    m_message->setPlaceholder(tr("This item has no text."));
    messageLayout->addWidget(messageTitle);
    messageLayout->addWidget(m_message, 1);

    // Right: the responses, blinded.
    auto *cards = new QWidget(m_responsesArea);
    cards->setBackgroundRole(QPalette::Window);
    m_cardsLayout = new QVBoxLayout(cards);
    m_cardsLayout->setContentsMargins(0, 0, 6, 0);
    m_cardsLayout->setSpacing(10);
    m_noResponses->setParent(cards);
    m_noResponses->setForegroundRole(QPalette::PlaceholderText);
    m_cardsLayout->addWidget(m_noResponses);
    m_cardsLayout->addStretch(1);
    m_responsesArea->setWidget(cards);
    m_responsesArea->setWidgetResizable(true);
    m_responsesArea->setFrameShape(QFrame::NoFrame);
    m_responsesArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_responsesArea->setAccessibleName(tr("Responses"));
    m_responsesArea->viewport()->installEventFilter(this);
    m_responsesTitle->setBuddy(m_responsesArea);
    auto *responsesPanel = new QWidget(this);
    auto *responsesLayout = new QVBoxLayout(responsesPanel);
    responsesLayout->setContentsMargins(0, 0, 0, 0);
    responsesLayout->addWidget(m_responsesTitle);
    responsesLayout->addWidget(m_responsesArea, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setAccessibleName(tr("Message and responses"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(messagePanel);
    splitter->addWidget(responsesPanel);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 520, 780 });

    auto *work = new QWidget(m_stack);
    auto *workLayout = new QVBoxLayout(work);
    workLayout->setContentsMargins(0, 0, 0, 0);
    workLayout->setSpacing(10);
    workLayout->addLayout(header);
    workLayout->addWidget(splitter, 1);

    // Nothing assigned.
    auto *empty = new QWidget(m_stack);
    QFont emptyFont = m_emptyTitle->font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.35);
    m_emptyTitle->setFont(emptyFont);
    m_emptyTitle->setWordWrap(true);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    auto *emptyHint = new QLabel(tr("A researcher assigns items to raters, for example with "
                                    "crisis-review assign STUDY --raters NAME --per-item 1."),
        empty);
    emptyHint->setWordWrap(true);
    emptyHint->setAlignment(Qt::AlignCenter);
    emptyHint->setForegroundRole(QPalette::PlaceholderText);
    auto *emptyBack = new QPushButton(tr("Back to the Study &Overview"), empty);
    emptyBack->setAccessibleName(tr("Back to the study overview"));
    connect(emptyBack, &QPushButton::clicked, this, &RatingPage::overviewRequested);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(emptyHint);
    emptyLayout->addSpacing(12);
    emptyLayout->addWidget(emptyBack, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();

    m_stack->addWidget(work);
    m_stack->addWidget(empty);

    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 10, 16, 8);
    layout->setSpacing(8);
    layout->addWidget(m_contentNote);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_status);

    setFocusProxy(m_message);
}

RatingPage::~RatingPage() = default;

void RatingPage::start(storage::Study *study, const storage::Rater &rater)
{
    m_study = study;
    m_rater = rater;
    m_assignments = study ? storage::AssignmentRepository(*study).forRater(rater.id)
                          : QList<storage::Assignment>();
    m_index = -1;
    m_blurred = Settings().blurText;
    m_status->setText(tr("Signed in as %1. This is a read-only preview of your items: scoring "
                         "arrives with the rating workspace.")
                          .arg(rater.name));
    m_emptyTitle->setText(tr("No items are assigned to %1 yet.").arg(rater.name));
    showContentNoteIfNeeded();
    if (m_assignments.isEmpty()) {
        m_status->setText(tr("Signed in as %1.").arg(rater.name));
        m_stack->setCurrentIndex(1);
        m_shownResponseIds.clear();
        updateActions();
        emit currentItemChanged(-1, 0);
        return;
    }
    m_stack->setCurrentIndex(0);
    showItem(0);
}

void RatingPage::clear()
{
    m_study = nullptr;
    m_rater = {};
    m_assignments.clear();
    m_shownResponseIds.clear();
    m_index = -1;
    m_message->setTurns({});
    for (widgets::ResponseCard *c : std::as_const(m_cards)) {
        c->setText({});
        c->hide();
    }
    updateActions();
}

void RatingPage::setTextBlurred(bool blurred)
{
    m_blurred = blurred;
    m_revealAction->setChecked(false);
    applyBlur();
    updateActions();
}

void RatingPage::showItem(int index)
{
    if (!m_study || index < 0 || index >= m_assignments.size())
        return;
    m_index = index;
    const storage::Assignment &assignment = m_assignments.at(index);
    const storage::ItemRepository items(*m_study);
    const std::optional<storage::Item> item = items.item(assignment.itemId);

    m_position->setText(tr("Item %1 of %2").arg(index + 1).arg(m_assignments.size()));
    m_position->setAccessibleName(m_position->text());
    m_itemId->setText(item ? item->externalId : QString());
    m_itemId->setAccessibleName(tr("Item id %1").arg(m_itemId->text()));
    m_calibration->setVisible(assignment.calibration);
    m_message->setTurns(item ? item->turns : QStringList());

    const QList<storage::Response> responses = items.responses(assignment.itemId);
    const QList<int> order = presentationOrder(int(responses.size()), assignment.seed);
    m_shownResponseIds.clear();
    for (int position = 0; position < order.size(); ++position) {
        const storage::Response &response = responses.at(order.at(position));
        widgets::ResponseCard *c = card(position);
        c->setTitle(tr("Response %1").arg(presentationLabel(position)));
        c->setText(response.text);
        c->show();
        m_shownResponseIds.append(response.id);
    }
    for (qsizetype i = order.size(); i < m_cards.size(); ++i)
        m_cards.at(i)->hide();
    m_noResponses->setVisible(responses.isEmpty());
    m_responsesTitle->setText(
        responses.isEmpty() ? tr("Responses") : tr("Responses (%1)").arg(responses.size()));
    m_responsesArea->verticalScrollBar()->setValue(0);

    m_revealAction->setChecked(false);
    m_revealed = false;
    applyBlur();
    updateActions();
    emit currentItemChanged(m_index, itemCount());
}

void RatingPage::showNextItem()
{
    if (m_index + 1 < m_assignments.size())
        showItem(m_index + 1);
}

void RatingPage::showPreviousItem()
{
    if (m_index > 0)
        showItem(m_index - 1);
}

void RatingPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateActions();
}

void RatingPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateActions();
}

bool RatingPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_responsesArea->viewport() && event->type() == QEvent::Resize) {
        // Long responses scroll inside their card: one card never fills the whole column.
        for (widgets::ResponseCard *c : std::as_const(m_cards))
            c->setMaximumTextHeight(cardTextHeight());
    }
    return QWidget::eventFilter(watched, event);
}

void RatingPage::updateActions()
{
    const bool active = isVisible() && m_study;
    m_previousAction->setEnabled(active && m_index > 0);
    m_nextAction->setEnabled(active && m_index >= 0 && m_index + 1 < m_assignments.size());
    m_overviewAction->setEnabled(active);
    m_revealAction->setEnabled(active && m_blurred && m_index >= 0);
    m_revealButton->setVisible(m_blurred);
}

void RatingPage::applyBlur()
{
    const bool blur = m_blurred && !m_revealed;
    m_message->setTextBlurred(blur);
    for (widgets::ResponseCard *c : std::as_const(m_cards))
        c->setTextBlurred(blur);
}

int RatingPage::cardTextHeight() const
{
    return std::max(160, m_responsesArea->viewport()->height() * 3 / 4);
}

widgets::ResponseCard *RatingPage::card(int position)
{
    while (m_cards.size() <= position) {
        auto *c = new widgets::ResponseCard(m_responsesArea->widget());
        c->setMaximumTextHeight(cardTextHeight());
        c->setTextBlurred(m_blurred && !m_revealed);
        // Before the stretch at the end of the column.
        m_cardsLayout->insertWidget(m_cardsLayout->count() - 1, c);
        m_cards.append(c);
    }
    return m_cards.at(position);
}

void RatingPage::showContentNoteIfNeeded()
{
    if (Settings().contentNoteAcknowledged) {
        m_contentNote->hide();
        return;
    }
    m_contentNote->showMessage(widgets::MessageBanner::Kind::Information,
        tr("Content note: these messages come from people in crisis and mention suicide, "
           "self-harm, "
           "violence and substance use. Take a break whenever you need one."));
}

} // namespace cr::ui
