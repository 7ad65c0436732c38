#include "widgets/responsenotes.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace cr::widgets {

ResponseNotes::ResponseNotes(QWidget *parent)
    : QWidget(parent)
    , m_toggle(new QToolButton(this))
    , m_pin(new QToolButton(this))
    , m_checks(new QWidget(this))
    , m_checksLayout(new QVBoxLayout(m_checks))
    , m_rationale(new QPlainTextEdit(this))
    , m_idle(new QTimer(this))
{
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toggle->setFocusPolicy(Qt::NoFocus);
    m_toggle->setToolTip(tr("Optional checklist: what this response does"));
    connect(m_toggle, &QToolButton::toggled, this, [this](bool on) {
        m_checks->setVisible(on);
        m_pin->setVisible(on);
        updateToggleText();
    });
    m_pin->setCheckable(true);
    m_pin->setAutoRaise(true);
    m_pin->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_pin->setFocusPolicy(Qt::NoFocus);
    m_pin->setText(tr("Keep open"));
    m_pin->setAccessibleName(tr("Keep the checklist open on every item"));
    m_pin->setToolTip(tr("Keep the checklists open from item to item (remembered); otherwise "
                         "they start closed on each new item."));
    m_pin->hide();
    connect(m_pin, &QToolButton::clicked, this, &ResponseNotes::checklistPinToggled);
    m_checksLayout->setContentsMargins(12, 0, 0, 0);
    m_checksLayout->setSpacing(0);
    m_checks->hide();

    m_rationale->setAccessibleName(tr("Rationale"));
    m_rationale->setTabChangesFocus(true);
    m_rationale->setFocusPolicy(Qt::ClickFocus);
    m_rationale->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    const int lines = 2;
    m_rationale->setFixedHeight(
        m_rationale->fontMetrics().lineSpacing() * lines + 2 * m_rationale->frameWidth() + 10);
    m_rationale->installEventFilter(this);
    m_idle->setSingleShot(true);
    m_idle->setInterval(1500);
    connect(m_idle, &QTimer::timeout, this, &ResponseNotes::commitRationale);
    connect(m_rationale, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_settingText)
            m_idle->start();
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *toggleRow = new QHBoxLayout;
    toggleRow->setContentsMargins(0, 0, 0, 0);
    toggleRow->addWidget(m_toggle);
    toggleRow->addWidget(m_pin);
    toggleRow->addStretch();
    layout->addLayout(toggleRow);
    layout->addWidget(m_checks);
    layout->addWidget(m_rationale);
    setEditable(true);
    updateToggleText();
}

void ResponseNotes::setEntries(const QList<Entry> &entries)
{
    if (entries == m_entries)
        return;
    m_entries = entries;
    renderChecks();
}

void ResponseNotes::setChecked(const QStringList &ids)
{
    if (ids == m_checked)
        return;
    m_checked = ids;
    renderChecks();
}

void ResponseNotes::renderChecks()
{
    // Ticked items stay visible even when they no longer apply to the category.
    QList<Entry> shown = m_entries;
    for (const QString &id : std::as_const(m_checked)) {
        const bool listed =
            std::any_of(shown.cbegin(), shown.cend(), [&](const Entry &e) { return e.id == id; });
        if (!listed)
            shown.append({ id, id });
    }
    while (m_boxes.size() > shown.size()) {
        QCheckBox *box = m_boxes.takeLast();
        box->hide();
        box->deleteLater(); // may be the box whose click is being handled
    }
    while (m_boxes.size() < shown.size()) {
        auto *box = new QCheckBox(m_checks);
        box->setFocusPolicy(Qt::NoFocus); // keyboard focus stays with the rating keys
        connect(box, &QCheckBox::clicked, this, [this, box](bool on) {
            const QString id = box->property("checklistId").toString();
            QStringList wanted = m_checked;
            wanted.removeAll(id);
            if (on)
                wanted.append(id);
            box->setChecked(m_checked.contains(id)); // shown once stored
            emit checklistRequested(wanted);
        });
        m_checksLayout->addWidget(box);
        m_boxes.append(box);
    }
    for (int i = 0; i < shown.size(); ++i) {
        QCheckBox *box = m_boxes.at(i);
        box->setText(shown.at(i).text);
        box->setAccessibleName(shown.at(i).text);
        box->setProperty("checklistId", shown.at(i).id);
        box->setChecked(m_checked.contains(shown.at(i).id));
        box->setEnabled(m_editable);
    }
    updateToggleText();
}

QString ResponseNotes::rationale() const
{
    return m_rationale->toPlainText();
}

void ResponseNotes::setRationale(const QString &text)
{
    const bool editing = m_rationale->hasFocus() && m_rationale->toPlainText() != m_committed;
    m_committed = text;
    if (editing || m_rationale->toPlainText() == text)
        return;
    m_idle->stop();
    m_settingText = true;
    m_rationale->setPlainText(text);
    m_settingText = false;
}

void ResponseNotes::commitRationale()
{
    m_idle->stop();
    const QString text = m_rationale->toPlainText();
    if (!m_editable || text == m_committed)
        return;
    emit rationaleCommitted(text);
}

void ResponseNotes::setEditable(bool editable)
{
    m_editable = editable;
    m_rationale->setEnabled(editable);
    m_rationale->setPlaceholderText(editable
            ? tr("Rationale (optional): why this score?")
            : tr("Score this response first, then add ticks or a rationale."));
    for (QCheckBox *box : std::as_const(m_boxes))
        box->setEnabled(editable);
}

bool ResponseNotes::isChecklistExpanded() const
{
    return m_toggle->isChecked();
}

bool ResponseNotes::isChecklistPinned() const
{
    return m_pin->isChecked();
}

void ResponseNotes::setChecklistPinned(bool pinned)
{
    m_pin->setChecked(pinned);
}

void ResponseNotes::setChecklistExpanded(bool expanded)
{
    m_toggle->setChecked(expanded);
}

int ResponseNotes::idleMilliseconds() const
{
    return m_idle->interval();
}

void ResponseNotes::setIdleMilliseconds(int ms)
{
    m_idle->setInterval(ms);
}

void ResponseNotes::updateToggleText()
{
    const QString arrow = m_toggle->isChecked() ? QStringLiteral("▾") : QStringLiteral("▸");
    m_toggle->setText(m_checked.isEmpty()
            ? tr("Checklist %1").arg(arrow)
            : tr("Checklist %1  %2 ticked").arg(arrow).arg(m_checked.size()));
    m_toggle->setAccessibleName(tr("Checklist, %n ticked", nullptr, int(m_checked.size())));
}

bool ResponseNotes::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_rationale) {
        if (event->type() == QEvent::ShortcutOverride) {
            // Typing must never label, score or move: plain keys belong to the field.
            auto *key = static_cast<QKeyEvent *>(event);
            const auto mods = key->modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier);
            if (mods == Qt::NoModifier && key->key() != Qt::Key_Escape) {
                event->accept();
                return true;
            }
        } else if (event->type() == QEvent::KeyPress
            && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            commitRationale();
            emit escapePressed();
            return true;
        } else if (event->type() == QEvent::FocusOut) {
            commitRationale();
        } else if (event->type() == QEvent::FocusIn) {
            emit rationaleFocused();
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace cr::widgets
