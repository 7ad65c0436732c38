#include "ui/helpdialogs.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

namespace cr::ui {

namespace {

QString row(const QString &keys, const QString &what)
{
    return QStringLiteral("<tr><td style='padding:2px 16px 2px 0'><b>%1</b></td><td>%2</td></tr>")
        .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
}

QString section(const QString &title, const QStringList &rows)
{
    return QStringLiteral("<h3>%1</h3><table>%2</table>")
        .arg(title.toHtmlEscaped(), rows.join(QString()));
}

} // namespace

KeyboardShortcutsDialog::KeyboardShortcutsDialog(
    const QList<QAction *> &menuActions, QWidget *parent)
    : QDialog(parent)
    , m_text(new QTextBrowser(this))
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    setAccessibleName(tr("Keyboard shortcuts"));
    m_text->setAccessibleName(tr("Keyboard shortcuts"));
    m_text->setOpenLinks(false);
    QString html;
    html += section(tr("Rating page"),
        { row(tr("category key (S, H, A, V, D, R, N…)"), tr("Choose the message's category")),
            row(tr("1 – 5"), tr("Score the current response")),
            row(tr("0"), tr("Cannot assess the current response")),
            row(tr("Delete"), tr("Clear the current response's score")),
            row(tr("J / Tab"), tr("Next response")),
            row(tr("K / Shift+Tab"), tr("Previous response")),
            row(tr("Enter"),
                tr("Finish the item and go to the next (twice if something is missing)")),
            row(tr("Page Down"), tr("Next item")),
            row(tr("Page Up / Backspace"), tr("Previous item")),
            row(tr("F"), tr("Flag the item for discussion")),
            row(tr("Ctrl+S"), tr("Skip the item")),
            row(tr("Ctrl+P"), tr("Pause — this was distressing (skip without penalty)")),
            row(tr("Ctrl+R"), tr("Reveal blurred text")),
            row(tr("Esc"), tr("Leave the rationale field")),
            row(tr("Ctrl+Z / Ctrl+Shift+Z"), tr("Undo / redo the last change")) });
    html += section(tr("Review page"),
        { row(tr("Enter"), tr("Next disagreement")),
            row(tr("category key"), tr("Choose the adjudicated category")),
            row(tr("1 – 5"), tr("Choose the adjudicated score")),
            row(tr("Ctrl+Enter"), tr("Record the adjudication")),
            row(tr("Ctrl+Z / Ctrl+Shift+Z"), tr("Undo / redo the last adjudication")) });
    QStringList menuRows;
    for (const QAction *action : menuActions) {
        if (!action || action->shortcut().isEmpty())
            continue;
        QString text = action->text();
        text.remove(QLatin1Char('&'));
        text.remove(QStringLiteral("…"));
        menuRows.append(row(action->shortcut().toString(QKeySequence::NativeText), text));
    }
    if (!menuRows.isEmpty())
        html += section(tr("Menus"), menuRows);
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("Alt with an underlined letter opens that menu or presses that button.")
                         .toHtmlEscaped());
    m_text->setHtml(html);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(560, 620);
}

QString KeyboardShortcutsDialog::plainText() const
{
    return m_text->toPlainText();
}

ProtocolViewerDialog::ProtocolViewerDialog(const protocol::Protocol &protocol, QWidget *parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_text(new QTextBrowser(this))
    , m_matches(new QLabel(this))
{
    setWindowTitle(tr("Protocol — %1").arg(protocol.name));
    setAccessibleName(tr("Protocol"));
    m_search->setPlaceholderText(tr("Search the protocol"));
    m_search->setAccessibleName(tr("Search the protocol"));
    m_search->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Protocol text"));
    m_text->setOpenLinks(false);
    m_text->setHtml(html(protocol));
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) { search(text); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        // Enter: the next match (from the top again after the last).
        if (!m_text->find(m_search->text())) {
            m_text->moveCursor(QTextCursor::Start);
            m_text->find(m_search->text());
        }
    });
    auto *searchLabel = new QLabel(tr("&Find:"), this);
    searchLabel->setBuddy(m_search);
    auto *top = new QHBoxLayout;
    top->addWidget(searchLabel);
    top->addWidget(m_search, 1);
    top->addWidget(m_matches);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(720, 680);
}

QString ProtocolViewerDialog::html(const protocol::Protocol &protocol)
{
    QString out = QStringLiteral("<h2>%1</h2><p>%2</p>")
                      .arg(protocol.name.toHtmlEscaped(),
                          tr("Version %1").arg(protocol.version).toHtmlEscaped());
    out += QStringLiteral("<h3>%1</h3><table>").arg(tr("Scale").toHtmlEscaped());
    for (const protocol::Level &l : protocol.levels)
        out += row(QString::number(l.value), l.name);
    out += QStringLiteral("</table><h3>%1</h3>").arg(tr("Crisis categories").toHtmlEscaped());
    for (const protocol::Category &c : protocol.categories) {
        out += QStringLiteral("<h4>%1%2</h4><p>%3</p>")
                   .arg(c.name.toHtmlEscaped(),
                       c.key.isNull() ? QString()
                                      : QStringLiteral(" <small>(%1)</small>")
                                            .arg(tr("key %1").arg(c.key.toUpper()).toHtmlEscaped()),
                       c.description.toHtmlEscaped());
        out += QStringLiteral("<table>");
        for (qsizetype i = 0; i < c.anchors.size(); ++i) {
            const QString level = i < protocol.levels.size()
                ? QStringLiteral("%1 %2").arg(i + 1).arg(protocol.levels.at(i).name)
                : QString::number(i + 1);
            out += row(level, c.anchors.at(i));
        }
        out += QStringLiteral("</table>");
    }
    QHash<QString, QString> names;
    for (const protocol::Category &c : protocol.categories)
        names.insert(c.id, c.name);
    out += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Response checklist").toHtmlEscaped());
    for (const protocol::ChecklistItem &item : protocol.checklist) {
        QStringList only;
        for (const QString &id : item.categories)
            only.append(names.value(id, id));
        out += QStringLiteral("<li>%1%2</li>")
                   .arg(item.text.toHtmlEscaped(),
                       only.isEmpty() ? QString()
                                      : QStringLiteral(" <i>(%1)</i>")
                                            .arg(tr("only for %1")
                                                     .arg(only.join(QStringLiteral(", ")))
                                                     .toHtmlEscaped()));
    }
    out += QStringLiteral("</ul><h3>%1</h3><ul>")
               .arg(tr("Failure modes (reasons when adjudicating)").toHtmlEscaped());
    for (const protocol::FailureMode &m : protocol.failureModes)
        out += QStringLiteral("<li>%1</li>").arg(m.name.toHtmlEscaped());
    out += QStringLiteral("</ul>");
    return out;
}

int ProtocolViewerDialog::search(const QString &text)
{
    QList<QTextEdit::ExtraSelection> marks;
    QTextDocument *document = m_text->document();
    if (!text.trimmed().isEmpty()) {
        QTextCharFormat format;
        format.setBackground(palette().color(QPalette::Highlight));
        format.setForeground(palette().color(QPalette::HighlightedText));
        for (QTextCursor at = document->find(text); !at.isNull(); at = document->find(text, at))
            marks.append({ at, format });
    }
    m_text->setExtraSelections(marks);
    if (!marks.isEmpty()) {
        QTextCursor first = marks.constFirst().cursor;
        m_text->setTextCursor(first);
        m_text->ensureCursorVisible();
    }
    m_matches->setText(text.trimmed().isEmpty() ? QString()
            : marks.isEmpty()                   ? tr("no match")
            : marks.size() == 1                 ? tr("1 match")
                                                : tr("%1 matches").arg(marks.size()));
    return int(marks.size());
}

QString ProtocolViewerDialog::plainText() const
{
    return m_text->toPlainText();
}

} // namespace cr::ui
