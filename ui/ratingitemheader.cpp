#include "ui/ratingitemheader.h"

#include "widgets/pagehelpers.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <algorithm>

namespace cr::ui {

RatingItemHeader::RatingItemHeader(const Actions &actions, QWidget *parent)
    : QWidget(parent)
    , m_position(new QLabel(this))
    , m_itemId(new QLabel(this))
    , m_flagged(new QLabel(tr("Flagged for discussion"), this))
    , m_progress(new QProgressBar(this))
    , m_revealButton(widgets::actionButton(actions.reveal, this))
{
    widgets::scaleFont(m_position, widgets::TitleScale, true);
    m_position->setObjectName(QStringLiteral("itemPosition"));
    m_itemId->setForegroundRole(QPalette::PlaceholderText);
    m_itemId->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_itemId->setToolTip(tr("The item's number in this study: quote it when you discuss the item. "
                            "Where the message comes from is not shown to raters."));
    m_flagged->setFrameShape(QFrame::StyledPanel);
    m_flagged->setContentsMargins(6, 1, 6, 1);
    m_flagged->setToolTip(tr("You flagged this item for discussion; press F to remove the flag"));
    m_flagged->hide();
    m_progress->setAccessibleName(tr("Items finished"));
    m_progress->setFormat(tr("%v of %m done"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_revealButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    if (actions.overview) { // not for raters (RolePolicy)
        layout->addWidget(widgets::actionButton(actions.overview, this));
        layout->addSpacing(8);
    }
    layout->addWidget(m_position);
    layout->addWidget(m_itemId);
    layout->addWidget(m_flagged);
    layout->addStretch();
    layout->addWidget(m_progress);
    layout->addWidget(widgets::actionButton(actions.skip, this));
    layout->addWidget(widgets::actionButton(actions.distressing, this));
    layout->addWidget(m_revealButton);
    layout->addWidget(widgets::actionButton(actions.previous, this));
    layout->addWidget(widgets::actionButton(actions.next, this));
}

namespace {

/// Sets a label's text without laying out the whole window again at every item: the
/// label has a fixed size that only grows (a fixed-size widget's new text does not
/// propagate a layout request; the window's wrapped labels cost most of a relayout).
void setFittedText(QLabel *label, const QString &text)
{
    label->setText(text);
    const QSize hint = label->sizeHint();
    const bool fixed = label->minimumSize() == label->maximumSize();
    const QSize size(std::max(hint.width(), fixed ? label->maximumWidth() : 0), hint.height());
    if (!fixed || label->maximumSize() != size)
        label->setFixedSize(size);
}

} // namespace

void RatingItemHeader::setItem(int index, int count, std::optional<qint64> itemId, bool flagged)
{
    setFittedText(m_position, tr("Item %1 of %2").arg(index + 1).arg(count));
    m_position->setAccessibleName(m_position->text());
    setFittedText(m_itemId, itemId ? tr("#%1").arg(*itemId) : QString());
    m_itemId->setAccessibleName(tr("Item reference %1").arg(m_itemId->text()));
    m_flagged->setVisible(flagged);
}

void RatingItemHeader::setFlagged(bool flagged)
{
    m_flagged->setVisible(flagged);
}

void RatingItemHeader::setProgress(int done, int count)
{
    m_progress->setRange(0, std::max(1, count));
    m_progress->setValue(done);
    m_progress->setVisible(count > 0);
}

void RatingItemHeader::setRevealVisible(bool visible)
{
    m_revealButton->setVisible(visible);
}

} // namespace cr::ui
