#include "ui/reviewpage.h"

#include "protocol/protocol.h"
#include "storage/consensus.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/adjudicationpanel.h"
#include "ui/adjudicationsession.h"
#include "ui/reviewdetailpane.h"
#include "ui/reviewqueuepane.h"
#include "widgets/messagebanner.h"
#include "widgets/pagehelpers.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>

namespace cr::ui {

ReviewPage::ReviewPage(QWidget *parent, bool withOverview)
    : QWidget(parent)
    , m_session(new AdjudicationSession(this))
    , m_nextAction(widgets::keyAction(tr("&Next Disagreement"),
          { QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter),
              QKeySequence(Qt::KeypadModifier | Qt::Key_Enter) },
          this))
    , m_recordAction(widgets::keyAction(tr("&Record Adjudication"),
          { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) },
          this))
    , m_overviewAction(withOverview ? widgets::keyAction(
                           tr("Study &Overview"), { QKeySequence(Qt::CTRL | Qt::Key_1) }, this)
                                    : nullptr)
    , m_banner(new widgets::MessageBanner(this))
    , m_rule(new QLabel(storage::consensusRuleText(), this))
    , m_showNames(new QCheckBox(tr("Show model and rater &names"), this))
    , m_queue(new ReviewQueuePane(this))
    , m_detail(new ReviewDetailPane(this))
    , m_panel(new AdjudicationPanel(this))
{
    setAccessibleName(tr("Review disagreements"));
    m_banner->hide();

    m_rule->setWordWrap(true);
    m_rule->setAccessibleName(tr("Consensus rule"));
    // One line at 1280 px (the evidence and the decision need the height); the whole
    // rule on hover.
    m_rule->setText(tr("<b>Consensus rule.</b> Latest adjudication, else the clinicians' "
                       "unanimous or majority value (categories; a tie uses the reference "
                       "label) or their mean (scores). Raw ratings never change."));
    m_rule->setToolTip(storage::consensusRuleText());
    m_showNames->setAccessibleName(tr("Show model and rater names"));
    m_showNames->setToolTip(tr("Blind adjudication hides which model wrote a response and who "
                               "gave which value; only researchers may reveal them (logged)."));
    connect(m_showNames, &QCheckBox::toggled, this, [this](bool on) { setBlind(!on); });

    connect(m_queue, &ReviewQueuePane::currentChanged, this, &ReviewPage::renderCurrent);
    connect(m_queue, &ReviewQueuePane::queueLoaded, this, [this] {
        m_banner->hide();
        emit queueLoaded();
    });
    connect(m_queue, &ReviewQueuePane::loadFailed, this, [this](const QString &message) {
        m_banner->showMessage(widgets::MessageBanner::Kind::Error, message);
    });
    connect(m_detail, &ReviewDetailPane::adoptRequested, this, &ReviewPage::adoptColumn);
    connect(m_panel, &AdjudicationPanel::recordRequested, this, &ReviewPage::recordAdjudication);
    connect(m_session, &AdjudicationSession::adjudicationWritten, this,
        [this](qint64 itemId, qint64 responseId) {
            showWritten(itemId, responseId,
                tr("Adjudication recorded. Enter: next disagreement; Ctrl+Z: undo."));
        });
    connect(m_session, &AdjudicationSession::adjudicationReverted, this,
        [this](qint64 itemId, qint64 responseId) {
            showWritten(
                itemId, responseId, tr("Adjudication undone (the revert is in the audit log)."));
        });
    connect(m_session, &AdjudicationSession::writeFailed, this,
        [this](const QString &message) { m_panel->setStatus(message, true); });

    buildLayout();
    createKeyActions();
    renderCurrent();
}

void ReviewPage::buildLayout()
{
    // The evidence (input, raters' values, responses) scrolls; the decision under it
    // (category or score, the reasons, the note and Record) does not, so every part of
    // it stays in view at 1280×720 without a scroll area inside a scroll area.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_detail);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *right = new QWidget(this);
    auto *r = new QVBoxLayout(right);
    r->setContentsMargins(0, 0, 0, 0);
    r->addWidget(scroll, 1);
    auto *decision = new QVBoxLayout;
    const QMargins inner = m_detail->layout()->contentsMargins(); // aligned with the detail
    decision->setContentsMargins(inner.left(), 0, inner.right(), 0);
    decision->addWidget(m_panel);
    decision->addWidget(m_panel->footer());
    r->addLayout(decision);

    auto *splitter = new QSplitter(this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_queue);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 470, 800 });

    auto *top = new QHBoxLayout;
    top->addWidget(widgets::heading(tr("Review Disagreements"), this));
    top->addStretch();
    top->addWidget(m_showNames);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_rule);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    auto *hints =
        new QLabel(tr("<b>Enter</b> next disagreement &nbsp;·&nbsp; <b>1</b>–<b>5</b> score "
                      "&nbsp;·&nbsp; category keys &nbsp;·&nbsp; <b>Ctrl+Enter</b> record "
                      "&nbsp;·&nbsp; <b>Ctrl+Z</b> undo"),
            this);
    hints->setAccessibleName(tr("Keyboard keys"));
    layout->addWidget(hints);
}

void ReviewPage::createKeyActions()
{
    // Same keys as the rating page: digits for scores (numpad too).
    for (int value = 1; value <= 5; ++value) {
        const auto digit = Qt::Key(Qt::Key_0 + value);
        QAction *action = widgets::keyAction(tr("Score %1").arg(value),
            { QKeySequence(digit), QKeySequence(Qt::KeypadModifier | digit) }, this);
        connect(action, &QAction::triggered, this, [this, value] { setPendingScore(value); });
        m_keyActions.append(action);
    }
    connect(m_nextAction, &QAction::triggered, this, &ReviewPage::showNextDisagreement);
    connect(m_recordAction, &QAction::triggered, this, &ReviewPage::recordAdjudication);
    if (m_overviewAction)
        connect(m_overviewAction, &QAction::triggered, this, &ReviewPage::overviewRequested);
}

ReviewPage::~ReviewPage()
{
    // Child objects go before this page's QObject part: their last signals must not
    // reach a half-destroyed page.
    for (QObject *child :
        std::initializer_list<QObject *> { m_queue, m_detail, m_panel, m_session, m_showNames })
        disconnect(child, nullptr, this, nullptr);
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
    m_session->start(study, adjudicator);
    m_blind = true;
    m_showNames->setChecked(false);
    m_showNames->setEnabled(adjudicator.role == storage::RaterRole::Researcher);
    m_showNames->setVisible(adjudicator.role == storage::RaterRole::Researcher);
    const protocol::Protocol protocol = study->currentProtocol();
    for (const protocol::Category &c : protocol.categories) {
        m_categoryIds.append(c.id);
        m_categoryNames.append(c.name);
        if (c.key.isNull())
            continue;
        QAction *action = widgets::keyAction(
            tr("Category %1").arg(c.name), { QKeySequence(QString(c.key.toUpper())) }, this);
        const QString id = c.id;
        connect(action, &QAction::triggered, this, [this, id] { setPendingCategory(id); });
        m_keyActions.append(action);
    }
    QHash<QString, QString> checklistTexts;
    for (const protocol::ChecklistItem &c : protocol.checklist)
        checklistTexts.insert(c.id, c.text);
    QStringList levelNames;
    for (const protocol::Level &l : protocol.levels)
        levelNames.append(l.name);
    m_detail->setProtocol(m_categoryIds, m_categoryNames, levelNames, checklistTexts);
    m_panel->setProtocol(protocol);
    m_queue->start(study, m_categoryIds, m_categoryNames, m_blind);
    updateActions();
    return true;
}

void ReviewPage::clear()
{
    m_queue->clear();
    m_session->clear();
    m_current.reset();
    m_categoryIds.clear();
    m_categoryNames.clear();
    m_detail->setProtocol({}, {}, {}, {});
    // Category key actions belong to one protocol; score keys stay.
    while (m_keyActions.size() > 5)
        delete m_keyActions.takeLast();
    m_panel->clearProtocol();
    m_panel->setStatus({}, false);
    renderCurrent();
    updateActions();
}

QString ReviewPage::adjudicatorName() const
{
    return m_session->adjudicator().name;
}

bool ReviewPage::isLoading() const
{
    return m_queue->isLoading();
}

void ReviewPage::reload()
{
    m_queue->reload();
}

DisagreementModel *ReviewPage::model() const
{
    return m_queue->model();
}

DisagreementFilterModel *ReviewPage::filterModel() const
{
    return m_queue->filterModel();
}

QTableView *ReviewPage::queueView() const
{
    return m_queue->view();
}

double ReviewPage::harmThreshold() const
{
    return m_queue->harmThreshold();
}

void ReviewPage::setHarmThreshold(double threshold)
{
    m_queue->setHarmThreshold(threshold);
}

QDoubleSpinBox *ReviewPage::thresholdBox() const
{
    return m_queue->thresholdBox();
}

void ReviewPage::setFilter(const storage::DisagreementFilter &filter)
{
    m_queue->setFilter(filter);
}

std::optional<storage::Disagreement> ReviewPage::currentDisagreement() const
{
    return m_current;
}

void ReviewPage::selectRow(int proxyRow)
{
    m_queue->selectRow(proxyRow);
}

void ReviewPage::showNextDisagreement()
{
    m_queue->showNextDisagreement();
}

bool ReviewPage::setBlind(bool blind)
{
    if (!blind && m_session->adjudicator().role != storage::RaterRole::Researcher) {
        m_showNames->setChecked(false);
        return false;
    }
    if (!blind && m_blind && m_session->study()) {
        // Revealing names is logged (who, when) in the study's audit trail.
        storage::Error error;
        if (!storage::recordNamesRevealed(*m_session->study(), &error)) {
            m_banner->showMessage(widgets::MessageBanner::Kind::Error, error.message);
            const QSignalBlocker block(m_showNames);
            m_showNames->setChecked(false);
            return false;
        }
    }
    m_blind = blind;
    {
        const QSignalBlocker block(m_showNames);
        m_showNames->setChecked(!blind);
    }
    m_queue->setBlind(blind); // shows the row again, then reloads
    return true;
}

QStringList ReviewPage::shownRaterLabels() const
{
    return m_detail->shownRaterLabels();
}

void ReviewPage::renderCurrent()
{
    storage::Study *study = m_session->study();
    m_current = m_queue->currentDisagreement();
    const bool has = m_current.has_value() && study;
    m_shownValues =
        has ? AdjudicationSession::shownValues(*m_current) : QList<storage::RaterValue>();
    m_panel->setSubject(has ? m_current : std::nullopt, has ? historyText(*m_current) : QString());
    m_detail->showDisagreement(study, m_current, m_shownValues, m_blind);
    updateActions();
}

QString ReviewPage::historyText(const storage::Disagreement &d) const
{
    if (!d.adjudication)
        return tr("Not adjudicated yet.");
    QString by = tr("an adjudicator");
    if (d.adjudication->adjudicatorId == m_session->adjudicator().id)
        by = tr("you");
    else if (!m_blind && m_session->study())
        if (const auto r =
                storage::RaterRepository(*m_session->study()).byId(d.adjudication->adjudicatorId))
            by = r->name;
    QStringList reasons;
    for (const QString &tag : d.adjudication->reasonTags)
        reasons.append(m_panel->reasonName(tag));
    QString value = d.adjudication->category;
    if (d.kind == storage::DisagreementKind::Category)
        value = m_categoryNames.value(m_categoryIds.indexOf(value), value);
    else if (d.adjudication->score)
        value = tr("score %1").arg(*d.adjudication->score);
    return tr("Adjudicated by %1: %2 (%3).").arg(by, value, QLocale().createSeparatedList(reasons));
}

QString ReviewPage::consensusText() const
{
    return m_detail->consensusText();
}

void ReviewPage::setPendingCategory(const QString &category)
{
    m_panel->setPendingCategory(category);
}

void ReviewPage::setPendingScore(int score)
{
    m_panel->setPendingScore(score);
}

void ReviewPage::adoptColumn(int column)
{
    if (!m_current || column < 0 || column >= m_shownValues.size())
        return;
    if (!m_panel->adopt(m_shownValues[column]))
        return;
    m_panel->setStatus(
        tr("Adopting the value of %1.").arg(shownRaterLabels().value(column)), false);
}

void ReviewPage::setReasonChecked(const QString &failureModeId, bool checked)
{
    m_panel->setReasonChecked(failureModeId, checked);
}

void ReviewPage::setNote(const QString &note)
{
    m_panel->setNote(note);
}

bool ReviewPage::recordAdjudication()
{
    if (!m_current || !m_session->study())
        return false;
    QString problem;
    std::optional<storage::Adjudication> a = m_panel->decision(&problem);
    if (!a) {
        m_panel->setStatus(problem, true);
        return false;
    }
    a->adjudicatorId = m_session->adjudicator().id;
    const storage::Disagreement subject = *m_current; // the write reloads the queue
    const qint64 id = m_session->record(subject, *a, m_panel->adoptedFrom());
    if (id == 0)
        return false;
    // Out of the note: Enter now moves on to the next disagreement, not a new line.
    m_queue->view()->setFocus(Qt::OtherFocusReason);
    emit adjudicationRecorded(id);
    return true;
}

void ReviewPage::showWritten(qint64 itemId, qint64 responseId, const QString &message)
{
    m_panel->setStatus(message, false);
    m_queue->keepRow(itemId, responseId);
    m_queue->reload();
}

QUndoStack *ReviewPage::undoStack() const
{
    return m_session->undoStack();
}

widgets::CategoryPicker *ReviewPage::categoryPicker() const
{
    return m_panel->categoryPicker();
}

widgets::LikertSelector *ReviewPage::scoreSelector() const
{
    return m_panel->scoreSelector();
}

QTableWidget *ReviewPage::valuesTable() const
{
    return m_detail->valuesTable();
}

QString ReviewPage::statusMessage() const
{
    return m_panel->statusMessage();
}

QString ReviewPage::positionBiasText() const
{
    return m_queue->positionBiasText();
}

void ReviewPage::updateActions()
{
    const bool active = isVisible() && m_session->study();
    m_nextAction->setEnabled(active);
    if (m_overviewAction)
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
