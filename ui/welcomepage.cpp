#include "ui/welcomepage.h"

#include "widgets/messagebanner.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace cr::ui {

namespace {

constexpr int PathRole = Qt::UserRole + 1;

QLabel *paragraph(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_error(new widgets::MessageBanner(this))
    , m_recent(new QTreeWidget(this))
    , m_recentBox(new QWidget(this))
    , m_newButton(new QPushButton(tr("&New Study…"), this))
{
    setAccessibleName(tr("Welcome"));

    auto *title = new QLabel(tr("Crisis Review"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAccessibleName(tr("Crisis Review"));

    auto *tagline = paragraph(tr("How well do chatbots respond to people in crisis?"), this);
    QFont taglineFont = tagline->font();
    taglineFont.setPointSizeF(taglineFont.pointSizeF() * 1.3);
    tagline->setFont(taglineFont);

    auto *about = paragraph(
        tr("Clinicians read messages from people in mental-health crisis and rate, blinded and in "
           "shuffled order, how well each chatbot response handles them, following a clinical "
           "protocol. Researchers import inputs and model responses, assign the work, and measure "
           "agreement, harm rates and disagreements."),
        this);
    about->setForegroundRole(QPalette::WindowText);

    m_error->setCloseButtonVisible(true);

    m_newButton->setAccessibleName(tr("New study"));
    m_newButton->setToolTip(tr("Create an empty study file (Ctrl+N)"));
    auto *openButton = new QPushButton(tr("&Open Study…"), this);
    openButton->setAccessibleName(tr("Open study"));
    openButton->setToolTip(tr("Open an existing study file (Ctrl+O)"));
    auto *demoButton = new QPushButton(tr("Open &Demo Study"), this);
    demoButton->setAccessibleName(tr("Open demo study"));
    demoButton->setToolTip(tr("Try the app on a fresh copy of the built-in demo study"));
    m_newButton->setIcon(style()->standardIcon(QStyle::SP_FileIcon, nullptr, this));
    openButton->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton, nullptr, this));
    demoButton->setIcon(style()->standardIcon(QStyle::SP_FileDialogContentsView, nullptr, this));
    for (QPushButton *button : { m_newButton, openButton, demoButton })
        button->setMinimumHeight(button->sizeHint().height() * 5 / 4);
    connect(m_newButton, &QPushButton::clicked, this, &WelcomePage::newStudyRequested);
    connect(openButton, &QPushButton::clicked, this, &WelcomePage::openStudyRequested);
    connect(demoButton, &QPushButton::clicked, this, &WelcomePage::demoStudyRequested);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(12);
    buttons->addWidget(m_newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    buttons->addStretch();

    auto *recentTitle = new QLabel(tr("&Recent studies"), m_recentBox);
    QFont bold = recentTitle->font();
    bold.setBold(true);
    recentTitle->setFont(bold);
    recentTitle->setBuddy(m_recent);
    m_recent->setParent(m_recentBox);
    m_recent->setAccessibleName(tr("Recent studies"));
    m_recent->setAccessibleDescription(
        tr("Press Enter or double-click to open a study; Delete removes it from the list"));
    m_recent->setColumnCount(2);
    m_recent->setHeaderLabels({ tr("Study file"), tr("Folder") });
    m_recent->setRootIsDecorated(false);
    m_recent->setUniformRowHeights(true);
    m_recent->setAllColumnsShowFocus(true);
    m_recent->setSelectionMode(QAbstractItemView::SingleSelection);
    m_recent->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_recent->header()->setStretchLastSection(true);
    m_recent->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_recent->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *remove = new QAction(tr("&Remove from List"), m_recent);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    m_recent->addAction(remove);
    connect(remove, &QAction::triggered, this, &WelcomePage::removeSelectedRecent);
    connect(m_recent, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        emit recentStudyActivated(item->data(0, PathRole).toString());
    });
    auto *recentLayout = new QVBoxLayout(m_recentBox);
    recentLayout->setContentsMargins(0, 12, 0, 0);
    recentLayout->addWidget(recentTitle);
    recentLayout->addWidget(m_recent);

    auto *column = new QVBoxLayout;
    column->setSpacing(10);
    column->addStretch(1);
    column->addWidget(title);
    column->addWidget(tagline);
    column->addSpacing(4);
    column->addWidget(about);
    column->addSpacing(8);
    column->addWidget(m_error);
    column->addLayout(buttons);
    column->addWidget(m_recentBox);
    column->addStretch(1);

    auto *centred = new QWidget(this);
    centred->setLayout(column);
    centred->setMaximumWidth(760);
    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(32, 24, 32, 24);
    outer->addStretch();
    outer->addWidget(centred, 10);
    outer->addStretch();

    setFocusProxy(m_newButton);
    setRecentStudies({});
}

void WelcomePage::setRecentStudies(const QStringList &paths)
{
    m_recent->clear();
    for (const QString &path : paths) {
        const QFileInfo info(path);
        const bool exists = info.isFile();
        auto *item = new QTreeWidgetItem(m_recent);
        item->setText(0, exists ? info.fileName() : tr("%1 (not found)").arg(info.fileName()));
        item->setText(1, QDir::toNativeSeparators(info.absolutePath()));
        item->setData(0, PathRole, path);
        item->setToolTip(0, QDir::toNativeSeparators(path));
        item->setToolTip(1, QDir::toNativeSeparators(path));
        if (!exists)
            for (int column = 0; column < 2; ++column)
                item->setForeground(column, palette().brush(QPalette::Disabled, QPalette::Text));
    }
    if (m_recent->topLevelItemCount() > 0)
        m_recent->setCurrentItem(m_recent->topLevelItem(0));
    m_recentBox->setVisible(!paths.isEmpty());
    fitRecentList();
}

QStringList WelcomePage::recentStudies() const
{
    QStringList paths;
    for (int i = 0; i < m_recent->topLevelItemCount(); ++i)
        paths.append(m_recent->topLevelItem(i)->data(0, PathRole).toString());
    return paths;
}

void WelcomePage::showError(const QString &message)
{
    m_error->showMessage(widgets::MessageBanner::Kind::Error, message);
}

void WelcomePage::clearError()
{
    m_error->hide();
}

QString WelcomePage::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void WelcomePage::removeSelectedRecent()
{
    QTreeWidgetItem *item = m_recent->currentItem();
    if (!item)
        return;
    const QString path = item->data(0, PathRole).toString();
    delete item;
    m_recentBox->setVisible(m_recent->topLevelItemCount() > 0);
    fitRecentList();
    emit recentStudyRemoved(path);
}

void WelcomePage::fitRecentList()
{
    // As tall as the list (up to the ten a list holds), so the page stays centred.
    const int rows = std::clamp(m_recent->topLevelItemCount(), 3, 10);
    const int row = std::max(m_recent->sizeHintForRow(0), m_recent->fontMetrics().height() + 6);
    m_recent->setFixedHeight(
        m_recent->header()->sizeHint().height() + rows * row + 2 * m_recent->frameWidth());
}

} // namespace cr::ui
