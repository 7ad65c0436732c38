#include "ui/ratingpage.h"

#include "protocol/protocol.h"
#include "storage/exposure.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/ratingitemheader.h"
#include "ui/ratingmessagepanel.h"
#include "ui/ratingsession.h"
#include "ui/responselist.h"
#include "ui/settings.h"
#include "widgets/categorypicker.h"
#include "widgets/likertselector.h"
#include "widgets/messagebanner.h"
#include "widgets/messageview.h"
#include "widgets/noticescreen.h"
#include "widgets/pagehelpers.h"
#include "widgets/protocolpanel.h"
#include "widgets/responsecard.h"
#include "widgets/responsenotes.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>
#include <algorithm>

namespace cr::ui {

namespace {

/// LikertSelector's value for a stored rating.
int selectorValue(const std::optional<storage::ResponseRating> &rating)
{
    if (!rating)
        return widgets::LikertSelector::NoValue;
    if (rating->cannotAssess)
        return widgets::LikertSelector::CannotAssess;
    return rating->score.value_or(widgets::LikertSelector::NoValue);
}

using widgets::keyAction;

} // namespace

RatingPage::RatingPage(QWidget *parent, bool withOverview)
    : QWidget(parent)
    , m_session(new RatingSession(this))
    , m_previousAction(new QAction(tr("&Previous Item"), this))
    , m_nextAction(new QAction(tr("&Next Item"), this))
    , m_overviewAction(withOverview ? new QAction(tr("Study &Overview"), this) : nullptr)
    , m_revealAction(new QAction(tr("&Reveal Text"), this))
    , m_finishAction(keyAction(tr("&Finish Item"),
          { QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter),
              QKeySequence(Qt::KeypadModifier | Qt::Key_Enter) },
          this))
    , m_flagAction(keyAction(tr("F&lag for Discussion"), { QKeySequence(Qt::Key_F) }, this))
    , m_nextResponseAction(keyAction(
          tr("Next Response"), { QKeySequence(Qt::Key_J), QKeySequence(Qt::Key_Tab) }, this))
    , m_previousResponseAction(keyAction(tr("Previous Response"),
          { QKeySequence(Qt::Key_K), QKeySequence(Qt::SHIFT | Qt::Key_Backtab),
              QKeySequence(Qt::SHIFT | Qt::Key_Tab) },
          this))
    , m_clearAction(keyAction(tr("Clear Score"), { QKeySequence(Qt::Key_Delete) }, this))
    , m_skipAction(keyAction(tr("&Skip Item"), { QKeySequence(Qt::CTRL | Qt::Key_S) }, this))
    , m_distressingAction(keyAction(
          tr("Pause — This Was &Distressing"), { QKeySequence(Qt::CTRL | Qt::Key_P) }, this))
    , m_errorBanner(new widgets::MessageBanner(this))
    , m_pendingBanner(new widgets::MessageBanner(this))
    , m_contentNote(new widgets::MessageBanner(this))
    , m_header(nullptr)
    , m_messagePanel(new RatingMessagePanel(this))
    , m_responses(new ResponseList(this))
    , m_protocolPanel(new widgets::ProtocolPanel(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyPage(new widgets::NoticeScreen(
          withOverview ? tr("Back to the Study &Overview") : QString(), m_stack))
    , m_breakPage(new widgets::NoticeScreen(tr("&Resume"), m_stack))
    , m_hints(new QLabel(this))
    , m_status(new QLabel(this))
{
    setAccessibleName(tr("Rating"));
    createActions();
    m_header = new RatingItemHeader({ m_overviewAction, m_skipAction, m_distressingAction,
                                        m_revealAction, m_previousAction, m_nextAction },
        this);
    connectSession();
    connectResponses();
    buildLayout();
    setFocusProxy(m_messagePanel->message());
}

void RatingPage::createActions()
{
    m_previousAction->setShortcuts(
        { QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::Key_Backspace) });
    m_previousAction->setIcon(style()->standardIcon(QStyle::SP_ArrowBack, nullptr, this));
    m_previousAction->setToolTip(tr("Previous item (Page Up or Backspace)"));
    m_nextAction->setShortcut(QKeySequence(Qt::Key_PageDown));
    m_nextAction->setIcon(style()->standardIcon(QStyle::SP_ArrowForward, nullptr, this));
    m_nextAction->setToolTip(tr("Next item (Page Down)"));
    if (m_overviewAction) {
        m_overviewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
        m_overviewAction->setToolTip(tr("Back to the study overview (Ctrl+1)"));
        connect(m_overviewAction, &QAction::triggered, this, &RatingPage::overviewRequested);
    }
    m_revealAction->setCheckable(true);
    m_revealAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_revealAction->setToolTip(tr("Show the blurred text of this item (Ctrl+R)"));
    for (QAction *action : { m_previousAction, m_nextAction, m_overviewAction, m_revealAction }) {
        if (!action)
            continue;
        action->setShortcutContext(Qt::WindowShortcut);
        action->setEnabled(false);
        addAction(action);
    }
    connect(m_previousAction, &QAction::triggered, this, &RatingPage::showPreviousItem);
    connect(m_nextAction, &QAction::triggered, this, &RatingPage::showNextItem);
    connect(m_revealAction, &QAction::toggled, this, [this](bool on) {
        m_revealed = on;
        applyBlur();
    });

    // Rating keys. Digits also arrive from the numpad (with Qt::KeypadModifier).
    for (int value = 0; value <= 5; ++value) {
        const auto digit = Qt::Key(Qt::Key_0 + value);
        QAction *action = keyAction(value == 0 ? tr("Cannot Assess") : tr("Score %1").arg(value),
            { QKeySequence(digit), QKeySequence(Qt::KeypadModifier | digit) }, this);
        connect(action, &QAction::triggered, this, [this, value] { scoreCurrent(value); });
        m_scoreActions.append(action);
    }
    connect(m_nextResponseAction, &QAction::triggered, this, [this] { moveResponse(1); });
    connect(m_previousResponseAction, &QAction::triggered, this, [this] { moveResponse(-1); });
    connect(m_finishAction, &QAction::triggered, this, &RatingPage::finishItem);
    connect(m_clearAction, &QAction::triggered, this, [this] {
        if (const qint64 id = responseAt(m_currentResponse))
            m_session->clearRating(id);
    });
    m_flagAction->setCheckable(true);
    m_flagAction->setToolTip(tr("Flag this item for discussion (F)"));
    connect(m_flagAction, &QAction::triggered, this, [this](bool on) {
        if (!m_session->setFlagged(on)) // keep showing the stored state
            m_flagAction->setChecked(!on);
    });

    m_skipAction->setIconText(tr("Skip"));
    m_distressingAction->setIconText(tr("Pause"));
    m_skipAction->setToolTip(tr("Skip this item and move on (Ctrl+S)"));
    m_distressingAction->setToolTip(tr("Skip this item without penalty and take a pause (Ctrl+P). "
                                       "Only the supervising researcher sees how often."));
    connect(m_skipAction, &QAction::triggered, this, [this] { skipItem(false); });
    connect(m_distressingAction, &QAction::triggered, this, [this] { skipItem(true); });
}

void RatingPage::connectSession()
{
    connect(m_session, &RatingSession::itemChanged, this, &RatingPage::renderItem);
    connect(m_session, &RatingSession::labelSaved, this, [this] {
        m_errorBanner->hide();
        renderValues();
        refreshMissingWarning();
    });
    connect(m_session, &RatingSession::ratingSaved, this, [this] {
        m_errorBanner->hide();
        renderValues();
        refreshMissingWarning();
    });
    // Undo / redo: back to the response whose value changed, with the keyboard there.
    connect(m_session, &RatingSession::historyApplied, this, [this](qint64 responseId) {
        const int position = int(m_shownResponseIds.indexOf(responseId));
        if (position >= 0 && !isOnBreak())
            focusCard(position);
    });
    connect(m_session, &RatingSession::statusSaved, this, &RatingPage::updateProgress);
    connect(m_session, &RatingSession::flagSaved, this, [this](bool flagged) {
        m_header->setFlagged(flagged);
        m_flagAction->setChecked(flagged);
        m_status->setText(flagged ? tr("Flagged for discussion.") : tr("Flag removed."));
    });
    connect(m_session, &RatingSession::writeFailed, this, &RatingPage::showError);
    connect(m_session, &RatingSession::pendingChanged, this, &RatingPage::showPending);
    connect(m_session, &RatingSession::offlineChanged, this,
        [this] { showPending(m_session->pendingWrites()); });
    connect(m_session, &RatingSession::pendingWriteFailed, this, [this](const QString &message) {
        m_pendingBanner->showMessage(widgets::MessageBanner::Kind::Error,
            tr("%1 Your values are kept here and are not lost; press Retry to save them "
               "(they are also tried again with your next change).")
                .arg(message));
        m_retryButton->show();
    });
    connect(m_messagePanel->picker(), &widgets::CategoryPicker::categoryRequested, this,
        [this](const QString &id) { m_session->setCategory(id); });
}

void RatingPage::connectResponses()
{
    connect(m_responses, &ResponseList::valueRequested, this, &RatingPage::scoreResponse);
    connect(m_responses, &ResponseList::checklistRequested, this,
        [this](int position, const QStringList &ids) {
            if (const qint64 id = responseAt(position))
                m_session->setChecklist(id, ids);
        });
    connect(m_responses, &ResponseList::rationaleCommitted, this,
        [this](int position, const QString &text) {
            if (const qint64 id = responseAt(position))
                m_session->setRationale(id, text);
        });
    connect(m_responses, &ResponseList::escapePressed, this, &RatingPage::focusCard);
    connect(m_responses, &ResponseList::checklistPinToggled, this, [this](bool pinned) {
        Settings().checklistPinned = pinned;
        for (int position = 0; position < m_shownResponseIds.size(); ++position)
            if (widgets::ResponseNotes *n = notes(position))
                n->setChecklistPinned(pinned);
    });
    connect(m_responses, &ResponseList::rationaleFocused, this,
        [this](int position) { markCurrentResponse(position, false); });
}

void RatingPage::buildLayout()
{
    // Content note before each session (or, if the rater prefers, until acknowledged once).
    m_contentNote->setCloseButtonVisible(false);
    QPushButton *understood = m_contentNote->addButton(tr("I &Understand"));
    connect(understood, &QPushButton::clicked, this, [this] {
        Settings().contentNoteAcknowledged = true;
        m_contentNote->hide();
    });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setAccessibleName(tr("Message and responses"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_messagePanel);
    splitter->addWidget(m_responses);
    splitter->addWidget(m_protocolPanel);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 5);
    splitter->setStretchFactor(2, 3);
    splitter->setSizes({ 360, 620, 340 });

    auto *work = new QWidget(m_stack);
    auto *workLayout = new QVBoxLayout(work);
    workLayout->setContentsMargins(0, 0, 0, 0);
    workLayout->setSpacing(10);
    workLayout->addWidget(m_header);
    workLayout->addWidget(splitter, 1);

    // Nothing assigned.
    m_emptyPage->setHint(tr("A researcher assigns items to raters: on the study overview, "
                            "Study ▸ Set Up Raters and Assignments…, then Assign."));
    if (QPushButton *back = m_emptyPage->button()) {
        back->setAccessibleName(tr("Back to the study overview"));
        connect(back, &QPushButton::clicked, this, &RatingPage::overviewRequested);
    }

    // A short pause: the break reminder, or after a distressing item.
    m_breakPage->titleLabel()->setAccessibleName(tr("Break"));
    m_breakPage->setHint(tr("Step away from the screen for a few minutes: stretch, "
                            "drink some water, look out of a window. Your work is saved."));
    m_breakPage->button()->setAccessibleName(tr("Resume rating"));
    m_breakPage->button()->setAutoDefault(true); // Enter resumes
    connect(m_breakPage->button(), &QPushButton::clicked, this, &RatingPage::resumeFromBreak);

    m_stack->addWidget(work);
    m_stack->addWidget(m_emptyPage);
    m_stack->addWidget(m_breakPage);

    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Status"));
    m_hints->setWordWrap(true);
    m_hints->setTextFormat(Qt::RichText);
    m_hints->setAccessibleName(tr("Keyboard keys"));
    m_errorBanner->hide();
    m_pendingBanner->setObjectName(QStringLiteral("pendingBanner"));
    m_pendingBanner->setCloseButtonVisible(false);
    m_retryButton = m_pendingBanner->addButton(tr("&Retry"));
    m_retryButton->hide();
    connect(m_retryButton, &QPushButton::clicked, this, [this] {
        m_retryButton->hide();
        m_session->retryPendingWrites();
        showPending(m_session->pendingWrites());
    });
    m_pendingBanner->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 10, 16, 8);
    layout->setSpacing(8);
    layout->addWidget(m_contentNote);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_pendingBanner);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_hints);
    layout->addWidget(m_status);
}

RatingPage::~RatingPage() = default;

void RatingPage::start(storage::Study *study, const storage::Rater &rater)
{
    m_study = study;
    m_rater = rater;
    m_session->start(study, rater);
    m_index = -1;
    m_itemsSinceBreak = 0;
    m_sinceBreak.start();
    m_warnedIndex = -1;
    m_blurred = Settings().blurText;
    m_errorBanner->hide();
    m_emptyPage->setTitle(tr("No items are assigned to %1 yet.").arg(rater.name));
    setupProtocol();
    showContentNoteIfNeeded();
    updateProgress();
    if (itemCount() == 0) {
        m_status->setText(tr("Signed in as %1.").arg(rater.name));
        m_stack->setCurrentIndex(1);
        m_shownResponseIds.clear();
        updateActions();
        emit currentItemChanged(-1, 0);
        return;
    }
    m_status->setText(tr("Signed in as %1.").arg(rater.name));
    m_stack->setCurrentIndex(0);
    showItem(m_session->firstUnfinishedIndex());
}

void RatingPage::clear()
{
    m_session->clear();
    m_study = nullptr;
    m_rater = {};
    m_shownResponseIds.clear();
    m_index = -1;
    m_currentResponse = -1;
    m_messagePanel->message()->setTurns({});
    m_responses->clearResponses();
    updateActions();
}

int RatingPage::itemCount() const
{
    return m_session->itemCount();
}

QString RatingPage::statusMessage() const
{
    return m_status->text();
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
    m_responses->commitNotes();
    m_session->setCurrentIndex(index);
}

void RatingPage::showNextItem()
{
    if (m_index + 1 < itemCount())
        showItem(m_index + 1);
}

void RatingPage::showPreviousItem()
{
    if (m_index > 0)
        showItem(m_index - 1);
}

void RatingPage::renderItem(int index)
{
    if (!m_study || index < 0 || index >= itemCount())
        return;
    const storage::Assignment *current = m_session->currentAssignment();
    if (!current)
        return;
    m_index = index;
    const storage::Assignment &assignment = *current;

    // Blinding: the session loaded only what the rater may see (storage::loadRaterItem):
    // not the external id, which names the source dataset of benchmark items
    // (`…:hugg_3`, `…:red_7`), but the study's own number, to quote when discussing it.
    m_header->setItem(index, itemCount(), assignment.itemId, assignment.flagged);
    m_flagAction->setChecked(assignment.flagged);
    m_messagePanel->message()->setTurns(m_session->turns());

    // The session loaded the texts with the ids, in the rater's seeded order. Cards
    // are reused between items: only their text changes (titles are per position).
    m_shownResponseIds = m_session->responseIds();
    QStringList texts;
    for (int position = 0; position < m_shownResponseIds.size(); ++position)
        texts.append(m_session->responseTexts().value(position));
    m_responses->setResponses(texts);

    // Start at the first unscored response.
    int first = m_shownResponseIds.isEmpty() ? -1 : 0;
    for (int position = 0; position < m_shownResponseIds.size(); ++position) {
        if (!m_session->rating(m_shownResponseIds.at(position))) {
            first = position;
            break;
        }
    }
    m_currentResponse = -1;
    setCurrentResponse(first); // renders the values
    // Each item starts with its checklists closed, unless the rater pinned them open.
    const bool pinned = Settings().checklistPinned;
    for (int position = 0; position < m_shownResponseIds.size(); ++position)
        if (widgets::ResponseNotes *n = notes(position)) {
            n->setChecklistPinned(pinned);
            n->setChecklistExpanded(pinned);
        }

    m_revealAction->setChecked(false);
    m_revealed = false;
    applyBlur();
    updateActions();
    emit currentItemChanged(m_index, itemCount());
}

void RatingPage::renderValues()
{
    const std::optional<storage::CategoryLabel> label = m_session->label();
    const QString category = label ? label->category : QString();
    m_messagePanel->picker()->setCategory(category);
    const int categoryIndex = int(m_categoryIds.indexOf(category));
    if (categoryIndex >= 0)
        m_protocolPanel->setCategory(
            m_categoryNames.at(categoryIndex), m_categoryAnchors.at(categoryIndex));
    else
        m_protocolPanel->setCategory({}, {});
    for (int position = 0; position < m_shownResponseIds.size(); ++position) {
        const auto rating = m_session->rating(m_shownResponseIds.at(position));
        m_responses->setValue(position, selectorValue(rating));
        renderNotes(position, rating);
    }
    int level = 0;
    if (m_currentResponse >= 0 && m_currentResponse < m_shownResponseIds.size()) {
        const auto rating = m_session->rating(m_shownResponseIds.at(m_currentResponse));
        level = rating && rating->score ? *rating->score : 0;
    }
    m_protocolPanel->setHighlightedLevel(level);
}

void RatingPage::setCurrentResponse(int position)
{
    markCurrentResponse(position, true);
}

void RatingPage::markCurrentResponse(int position, bool scroll)
{
    if (position < -1 || position >= m_shownResponseIds.size())
        return;
    m_currentResponse = position;
    m_responses->setCurrent(position, scroll);
    renderValues();
}

void RatingPage::moveResponse(int delta)
{
    const int count = int(m_shownResponseIds.size());
    if (count == 0)
        return;
    setCurrentResponse(((std::max(m_currentResponse, 0) + delta) % count + count) % count);
}

void RatingPage::scoreCurrent(int value)
{
    scoreResponse(m_currentResponse, value);
}

void RatingPage::scoreResponse(int position, int value)
{
    if (position < 0 || position >= m_shownResponseIds.size())
        return;
    if (position != m_currentResponse)
        setCurrentResponse(position);
    const qint64 responseId = m_shownResponseIds.at(position);
    const bool stored = value == widgets::LikertSelector::CannotAssess
        ? m_session->setCannotAssess(responseId)
        : m_session->setScore(responseId, value);
    if (!stored)
        return;
    // On to the next unscored response, if any.
    const int count = int(m_shownResponseIds.size());
    for (int step = 1; step < count; ++step) {
        const int next = (position + step) % count;
        if (!m_session->rating(m_shownResponseIds.at(next))) {
            setCurrentResponse(next);
            return;
        }
    }
}

QStringList RatingPage::missingParts() const
{
    QStringList missing;
    if (!m_session->label())
        missing << tr("the category");
    for (int position = 0; position < m_shownResponseIds.size(); ++position)
        if (!m_session->rating(m_shownResponseIds.at(position)))
            missing << tr("Response %1").arg(storage::presentationLabel(position));
    return missing;
}

void RatingPage::refreshMissingWarning()
{
    // The "not rated yet" warning follows what is still missing, and goes once nothing is.
    if (m_warnedIndex < 0 || m_warnedIndex != m_index)
        return;
    const QStringList missing = missingParts();
    if (missing.isEmpty()) {
        m_warnedIndex = -1;
        m_status->setText(tr("Everything on this item is rated. Enter: next item."));
        return;
    }
    m_status->setText(tr("Not rated yet: %1. Press Enter again to move on anyway.")
                          .arg(QLocale().createSeparatedList(missing)));
}

void RatingPage::finishItem()
{
    if (m_index < 0)
        return;
    if (!m_session->isCurrentItemComplete() && m_warnedIndex != m_index) {
        m_warnedIndex = m_index;
        m_status->setText(tr("Not rated yet: %1. Press Enter again to move on anyway.")
                              .arg(QLocale().createSeparatedList(missingParts())));
        return;
    }
    if (m_index + 1 < itemCount()) {
        m_status->setText(tr("Signed in as %1.").arg(m_rater.name));
        showItem(m_index + 1);
        countItemForBreak();
    } else {
        m_status->setText(tr("That was your last item. %1 of %2 are done.")
                              .arg(m_session->finishedCount())
                              .arg(itemCount()));
    }
}

void RatingPage::skipItem(bool distressing)
{
    if (m_index < 0)
        return;
    m_responses->commitNotes();
    if (!m_session->skipCurrent(distressing))
        return;
    const int skipped = m_index;
    updateProgress();
    if (m_index + 1 < itemCount())
        showItem(m_index + 1);
    m_status->setText(distressing ? tr("Item %1 skipped without penalty.").arg(skipped + 1)
                                  : tr("Item %1 skipped.").arg(skipped + 1));
    if (distressing)
        showBreak(tr("That one was hard. Take a moment before you go on."));
    else
        countItemForBreak();
}

void RatingPage::countItemForBreak()
{
    ++m_itemsSinceBreak;
    const Settings settings;
    const int items = settings.breakAfterItems;
    const int minutes = settings.breakAfterMinutes;
    // Plurals spelt out: without a translation loaded, "%n item(s)" reads "1 items".
    const int elapsed = m_sinceBreak.isValid() ? int(m_sinceBreak.elapsed() / 60000) : 0;
    if (items > 0 && m_itemsSinceBreak >= items)
        showBreak(m_itemsSinceBreak == 1
                ? tr("You have rated 1 item. Time for a short break.")
                : tr("You have rated %1 items in a row. Time for a short break.")
                      .arg(m_itemsSinceBreak));
    else if (minutes > 0 && m_sinceBreak.isValid() && m_sinceBreak.elapsed() >= minutes * 60000LL)
        showBreak(elapsed == 1
                ? tr("You have been rating for 1 minute. Time for a short break.")
                : tr("You have been rating for %1 minutes. Time for a short break.").arg(elapsed));
}

QString RatingPage::breakMessage() const
{
    return m_breakPage->title();
}

bool RatingPage::isOnBreak() const
{
    return m_stack->currentWidget() == m_breakPage;
}

void RatingPage::showBreak(const QString &reason)
{
    m_responses->commitNotes();
    m_breakPage->setTitle(reason);
    m_stack->setCurrentWidget(m_breakPage);
    m_hints->hide(); // no keys apply during the pause
    updateActions();
    m_breakPage->button()->setFocus();
}

void RatingPage::resumeFromBreak()
{
    m_itemsSinceBreak = 0;
    m_sinceBreak.start();
    m_stack->setCurrentIndex(itemCount() > 0 ? 0 : 1);
    m_hints->show();
    updateActions();
    setFocus();
}

widgets::ResponseNotes *RatingPage::notes(int position) const
{
    return m_responses->notes(position);
}

qint64 RatingPage::responseAt(int position) const
{
    return position >= 0 && position < m_shownResponseIds.size() ? m_shownResponseIds.at(position)
                                                                 : 0;
}

void RatingPage::focusCard(int position)
{
    setCurrentResponse(position);
    if (widgets::ResponseCard *c = m_responses->card(position))
        c->setFocus(Qt::ShortcutFocusReason);
}

void RatingPage::renderNotes(int position, const std::optional<storage::ResponseRating> &rating)
{
    widgets::ResponseNotes *n = notes(position);
    if (!n)
        return;
    const std::optional<storage::CategoryLabel> label = m_session->label();
    QList<widgets::ResponseNotes::Entry> entries;
    for (const ChecklistEntry &item : std::as_const(m_checklist)) {
        // Category-specific items (such as "does not over-react" for no crisis) only
        // once the message carries that category.
        if (item.categories.isEmpty() || (label && item.categories.contains(label->category)))
            entries.append({ item.id, item.text });
    }
    n->setEntries(entries);
    n->setEditable(rating.has_value());
    n->setChecked(rating ? rating->checklist : QStringList());
    n->setRationale(rating ? rating->rationale : QString());
}

void RatingPage::setupProtocol()
{
    m_categoryIds.clear();
    m_categoryNames.clear();
    m_categoryAnchors.clear();
    qDeleteAll(m_categoryActions);
    m_categoryActions.clear();
    QList<widgets::CategoryPicker::Entry> entries;
    QStringList levelNames;
    QStringList keys;
    if (m_study) {
        const protocol::Protocol protocol = m_study->currentProtocol();
        for (const protocol::Level &level : protocol.levels)
            levelNames << level.name;
        m_checklist.clear();
        for (const protocol::ChecklistItem &item : protocol.checklist)
            m_checklist.append({ item.id, item.text, item.categories });
        for (const protocol::Category &category : protocol.categories) {
            entries.append({ category.id, category.name, category.description, category.key });
            m_categoryIds << category.id;
            m_categoryNames << category.name;
            m_categoryAnchors << category.anchors;
            if (category.key.isNull())
                continue;
            keys << QString(category.key.toUpper());
            QAction *action = keyAction(tr("Category %1").arg(category.name),
                { QKeySequence(QString(category.key.toUpper())) }, this);
            const QString id = category.id;
            connect(action, &QAction::triggered, this, [this, id] { m_session->setCategory(id); });
            m_categoryActions.append(action);
        }
    }
    m_messagePanel->picker()->setEntries(entries);
    m_protocolPanel->setLevelNames(levelNames);
    m_protocolPanel->setPlaceholder(
        tr("Choose the message's category (%1) to see the protocol's anchors for it.")
            .arg(keys.join(QStringLiteral(", "))));
    m_responses->setLevelNames(levelNames);
    m_hints->setText(tr("<b>%1</b> category &nbsp;·&nbsp; <b>1</b>–<b>5</b> score &nbsp;·&nbsp; "
                        "<b>0</b> cannot assess &nbsp;·&nbsp; <b>J</b>/<b>K</b> or "
                        "<b>Tab</b> response &nbsp;·&nbsp; <b>Enter</b> next item "
                        "&nbsp;·&nbsp; <b>Backspace</b> previous item &nbsp;·&nbsp; <b>F</b> flag "
                        "&nbsp;·&nbsp; <b>Ctrl+S</b> skip &nbsp;·&nbsp; <b>Ctrl+P</b> pause "
                        "&nbsp;·&nbsp; <b>Esc</b> leave text &nbsp;·&nbsp; <b>Ctrl+Z</b> undo")
                         .arg(keys.join(QLatin1Char(' '))));
}

void RatingPage::showError(const QString &message)
{
    m_errorBanner->showMessage(widgets::MessageBanner::Kind::Error,
        tr("Your last change was not saved, and the previous value is kept. %1").arg(message));
}

void RatingPage::showPending(int count)
{
    if (count == 0) {
        m_pendingBanner->hide();
        m_retryButton->hide();
        return;
    }
    if (m_session->hasFailedWrites())
        return; // the failure stays on screen until Retry
    if (m_session->isOffline()) {
        const int waiting = m_session->pendingRatingWrites();
        m_pendingBanner->showMessage(widgets::MessageBanner::Kind::Warning,
            (waiting == 1 ? tr("Offline — 1 rating waiting, will send when the server returns.")
                          : tr("Offline — %1 ratings waiting, will send when the server returns.")
                                .arg(waiting))
                + QLatin1Char(' ')
                + tr("Kept on this computer and sent in order; you can go on rating."));
        return;
    }
    m_pendingBanner->showMessage(widgets::MessageBanner::Kind::Warning,
        tr("Waiting for the study file… another program is writing to it. %n change(s) "
           "pending: kept here and saved in order as soon as the file is free.",
            nullptr, count));
}

QString RatingPage::pendingText() const
{
    return m_pendingBanner->isHidden() ? QString() : m_pendingBanner->text();
}

void RatingPage::updateProgress()
{
    m_header->setProgress(m_session->finishedCount(), itemCount());
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

void RatingPage::updateActions()
{
    const bool active = isVisible() && m_study;
    const bool rating = active && m_index >= 0 && !isOnBreak();
    for (QAction *action : std::as_const(m_scoreActions))
        action->setEnabled(rating);
    for (QAction *action : std::as_const(m_categoryActions))
        action->setEnabled(rating);
    for (QAction *action : { m_finishAction, m_flagAction, m_nextResponseAction,
             m_previousResponseAction, m_clearAction, m_skipAction, m_distressingAction })
        action->setEnabled(rating);
    m_previousAction->setEnabled(rating && m_index > 0);
    m_nextAction->setEnabled(rating && m_index + 1 < itemCount());
    if (m_overviewAction)
        m_overviewAction->setEnabled(active);
    m_revealAction->setEnabled(active && m_blurred && m_index >= 0);
    m_header->setRevealVisible(m_blurred);
}

void RatingPage::applyBlur()
{
    const bool blur = m_blurred && !m_revealed;
    m_messagePanel->message()->setTextBlurred(blur);
    m_responses->setTextBlurred(blur);
}

void RatingPage::showContentNoteIfNeeded()
{
    const Settings settings;
    if (!settings.contentNoteEachSession && settings.contentNoteAcknowledged) {
        m_contentNote->hide();
        return;
    }
    m_contentNote->showMessage(widgets::MessageBanner::Kind::Information,
        tr("Content note: these messages come from people in crisis and mention suicide, "
           "self-harm, "
           "violence and substance use. Take a break whenever you need one."));
}

} // namespace cr::ui
