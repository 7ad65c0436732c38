#include "ui/adjudicationpanel.h"

#include "protocol/protocol.h"
#include "widgets/categorypicker.h"
#include "widgets/likertselector.h"
#include "widgets/pagehelpers.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cr::ui {

AdjudicationPanel::AdjudicationPanel(QWidget *parent)
    : QWidget(parent)
    , m_title(widgets::heading(tr("Decision"), this))
    , m_picker(new widgets::CategoryPicker(this))
    , m_selector(new widgets::LikertSelector(this))
    , m_reasonsBox(new QGroupBox(tr("Reasons (at least one failure mode)"), this))
    , m_footer(new QWidget(this))
    , m_note(new QPlainTextEdit(m_footer))
    , m_record(new QPushButton(tr("Record Adjudication"), m_footer))
    , m_history(new QLabel(m_footer))
    , m_status(new QLabel(m_footer))
{
    m_picker->setAccessibleName(tr("Adjudicated category"));
    m_picker->setColumnCount(4); // a compact decision: it stays in view under the evidence
    m_selector->setAccessibleName(tr("Adjudicated score"));
    connect(m_picker, &widgets::CategoryPicker::categoryRequested, this,
        &AdjudicationPanel::setPendingCategory);
    connect(m_selector, &widgets::LikertSelector::valueRequested, this, [this](int v) {
        if (v >= 1)
            setPendingScore(v);
    });
    if (QAbstractButton *cannot = m_selector->button(widgets::LikertSelector::CannotAssess))
        cannot->hide(); // a decision is a score
    m_reasonsBox->setObjectName(QStringLiteral("reasons"));
    m_reasonsBox->setAccessibleName(tr("Reasons"));
    m_reasonsBox->setLayout(new QGridLayout);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_picker);
    layout->addWidget(m_selector);
    layout->addWidget(m_reasonsBox);

    m_note->setAccessibleName(tr("Adjudication note"));
    m_note->setPlaceholderText(tr("Note (optional; required for “Other”)"));
    m_note->setMaximumHeight(m_note->fontMetrics().lineSpacing() * 2 + 14);
    m_note->setTabChangesFocus(true);
    m_record->setAccessibleName(tr("Record adjudication"));
    m_record->setToolTip(tr("Record the decision (Ctrl+Enter)"));
    connect(m_record, &QPushButton::clicked, this, &AdjudicationPanel::recordRequested);
    m_history->setWordWrap(true);
    m_history->setAccessibleName(tr("Adjudication history"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Status"));
    auto *footer = new QVBoxLayout(m_footer);
    footer->setContentsMargins(0, 0, 0, 0);
    // The note beside the Record button: one row of height less for the evidence.
    auto *recordRow = new QHBoxLayout;
    recordRow->addWidget(m_note, 1);
    recordRow->addWidget(m_record, 0, Qt::AlignTop);
    footer->addLayout(recordRow);
    footer->addWidget(m_history);
    footer->addWidget(m_status);
}

AdjudicationPanel::~AdjudicationPanel() = default;

void AdjudicationPanel::setProtocol(const protocol::Protocol &protocol)
{
    clearProtocol();
    QList<widgets::CategoryPicker::Entry> entries;
    for (const protocol::Category &c : protocol.categories)
        entries.append({ c.id, c.name, c.description, c.key });
    m_picker->setEntries(entries);
    QStringList levels;
    for (const protocol::Level &l : protocol.levels)
        levels.append(l.name);
    m_selector->setLevelNames(levels);
    auto *grid = qobject_cast<QGridLayout *>(m_reasonsBox->layout());
    for (const protocol::FailureMode &mode : protocol.failureModes) {
        auto *check = new QCheckBox(mode.name, m_reasonsBox);
        check->setObjectName(mode.id);
        check->setAccessibleName(tr("Reason: %1").arg(mode.name));
        grid->addWidget(check, int(m_reasons.size()) / 2, int(m_reasons.size()) % 2);
        m_reasons.append(check);
    }
    // A hidden page settles a changed layout only once shown, one level per event-loop
    // pass; say now that this panel's hints changed, so the detail around it is laid out
    // at its final size at once.
    for (QWidget *w : std::initializer_list<QWidget *> { m_picker, m_selector, m_reasonsBox, this })
        w->updateGeometry();
}

QString AdjudicationPanel::reasonName(const QString &failureModeId) const
{
    for (const QCheckBox *c : std::as_const(m_reasons))
        if (c->objectName() == failureModeId)
            return c->text();
    return failureModeId;
}

void AdjudicationPanel::clearProtocol()
{
    qDeleteAll(m_reasons);
    m_reasons.clear();
}

void AdjudicationPanel::setSubject(
    const std::optional<storage::Disagreement> &subject, const QString &history)
{
    // The same row shown again (the queue reloads after a write): its status stays.
    const bool same = subject && m_subject && subject->itemId == m_subject->itemId
        && subject->responseId == m_subject->responseId && subject->kind == m_subject->kind;
    m_subject = subject;
    m_pendingCategory.clear();
    m_pendingScore = 0;
    m_adoptedFrom.reset();
    // An adjudicated row shows its recorded decision: value, reasons and note.
    const std::optional<storage::Adjudication> recorded =
        subject ? subject->adjudication : std::nullopt;
    if (recorded) {
        m_pendingCategory = recorded->category;
        m_pendingScore = recorded->score.value_or(0);
    }
    for (QCheckBox *c : std::as_const(m_reasons))
        c->setChecked(recorded && recorded->reasonTags.contains(c->objectName()));
    if (recorded)
        m_note->setPlainText(recorded->note);
    else
        m_note->clear();
    if (!same)
        m_status->clear();
    const bool has = m_subject.has_value();
    for (QWidget *w :
        std::initializer_list<QWidget *> { m_title, m_reasonsBox, m_note, m_record, m_history })
        w->setVisible(has);
    m_picker->setVisible(has && m_subject->kind == storage::DisagreementKind::Category);
    m_selector->setVisible(has && m_subject->kind == storage::DisagreementKind::Score);
    m_history->setText(history);
    renderChoice();
}

void AdjudicationPanel::renderChoice()
{
    if (!m_subject)
        return;
    m_picker->setCategory(m_pendingCategory);
    m_selector->setValue(m_pendingScore >= 1 ? m_pendingScore : widgets::LikertSelector::NoValue);
}

void AdjudicationPanel::setPendingCategory(const QString &category)
{
    if (!m_subject || m_subject->kind != storage::DisagreementKind::Category)
        return;
    m_pendingCategory = category;
    m_adoptedFrom.reset();
    renderChoice();
}

void AdjudicationPanel::setPendingScore(int score)
{
    if (!m_subject || m_subject->kind != storage::DisagreementKind::Score || score < 1 || score > 5)
        return;
    m_pendingScore = score;
    m_adoptedFrom.reset();
    renderChoice();
}

bool AdjudicationPanel::adopt(const storage::RaterValue &value)
{
    if (!m_subject)
        return false;
    if (m_subject->kind == storage::DisagreementKind::Category) {
        setPendingCategory(value.category);
    } else {
        if (!value.score)
            return false;
        setPendingScore(*value.score);
    }
    m_adoptedFrom = value.rater.id;
    return true;
}

void AdjudicationPanel::setReasonChecked(const QString &failureModeId, bool checked)
{
    for (QCheckBox *c : std::as_const(m_reasons))
        if (c->objectName() == failureModeId)
            c->setChecked(checked);
}

void AdjudicationPanel::setNote(const QString &note)
{
    m_note->setPlainText(note);
}

std::optional<storage::Adjudication> AdjudicationPanel::decision(QString *problem) const
{
    if (!m_subject)
        return std::nullopt;
    storage::Adjudication a;
    if (m_subject->kind == storage::DisagreementKind::Category) {
        if (m_pendingCategory.isEmpty()) {
            *problem = tr("Choose a category first (its key, a button, or adopt a rater's value).");
            return std::nullopt;
        }
        a.itemId = m_subject->itemId;
        a.category = m_pendingCategory;
    } else {
        if (m_pendingScore < 1) {
            *problem = tr("Choose a score first (1–5, or adopt a rater's value).");
            return std::nullopt;
        }
        a.responseId = m_subject->responseId;
        a.score = m_pendingScore;
    }
    for (const QCheckBox *c : std::as_const(m_reasons))
        if (c->isChecked())
            a.reasonTags.append(c->objectName());
    a.note = m_note->toPlainText().trimmed();
    if (a.reasonTags.isEmpty()) {
        *problem = tr("Pick at least one reason.");
        return std::nullopt;
    }
    return a;
}

void AdjudicationPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(
        error ? QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()) : text.toHtmlEscaped());
}

QString AdjudicationPanel::statusMessage() const
{
    return m_status->text();
}

} // namespace cr::ui
