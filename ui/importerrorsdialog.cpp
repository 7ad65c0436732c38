#include "ui/importerrorsdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QStringListModel>
#include <QStyle>
#include <QVBoxLayout>

namespace cr::ui {

ImportErrorsDialog::ImportErrorsDialog(const QStringList &files,
    const storage::ImportReport &report, const storage::Error &error, QWidget *parent,
    const QStringList &validCategories)
    : QDialog(parent)
    , m_problems(new QStringListModel(this))
    , m_view(new QListView(this))
{
    setWindowTitle(tr("Import Failed"));
    setAccessibleName(tr("Import failed"));

    QStringList names;
    for (const QString &file : files)
        names.append(QFileInfo(file).fileName());

    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(
        style()->standardIcon(QStyle::SP_MessageBoxCritical, nullptr, this).pixmap(size, size));
    auto *headline = new QLabel(tr("Nothing was imported: the study is unchanged."), this);
    QFont bold = headline->font();
    bold.setBold(true);
    headline->setFont(bold);
    QString detail;
    if (!report.errors.isEmpty())
        detail =
            (report.errors.size() == 1 ? tr("1 problem found in %2.")
                                       : tr("%1 problems found in %2.").arg(report.errors.size()))
                .arg(names.join(QStringLiteral(", ")))
            + QLatin1Char(' ')
            + tr("Fix the files and import again, or import only the valid rows: every skipped row "
                 "is listed afterwards and stored in the study.");
    else
        detail =
            tr("The import of %1 could not be completed.").arg(names.join(QStringLiteral(", ")));
    auto *explanation = new QLabel(detail, this);
    explanation->setWordWrap(true);

    QStringList lines;
    for (const storage::ImportIssue &issue : report.errors)
        lines.append(issue.toString());
    if (error.isError() && (report.errors.isEmpty() || error.kind == storage::ErrorKind::Storage))
        lines.append(error.message);
    m_problems->setStringList(lines);
    m_view->setModel(m_problems);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Long problems wrap, so the bad value at the end of a line is in view; a very long
    // list keeps one line per row (uniform sizes) to stay fast.
    const bool wrap = lines.size() <= 2000;
    m_view->setWordWrap(wrap);
    m_view->setUniformItemSizes(!wrap);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->setHorizontalScrollBarPolicy(wrap ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    m_view->setAccessibleName(tr("Problems"));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *count = new QLabel(tr("%n problem(s):", nullptr, int(lines.size())), this);
    count->setAccessibleName(tr("Number of problems"));
    count->setBuddy(m_view);

    bool aboutCategories = false;
    for (const storage::ImportIssue &issue : report.errors)
        aboutCategories |= issue.field.contains(QLatin1String("category"), Qt::CaseInsensitive)
            || issue.reason.contains(QLatin1String("category"), Qt::CaseInsensitive);
    if (aboutCategories && !validCategories.isEmpty()) {
        m_categories = new QLabel(
            tr("Valid categories: %1.").arg(validCategories.join(QStringLiteral(", "))), this);
        m_categories->setWordWrap(true);
        m_categories->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_categories->setAccessibleName(tr("Valid categories"));
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy Problems"), QDialogButtonBox::ActionRole);
    copy->setAccessibleName(tr("Copy problems"));
    connect(copy, &QPushButton::clicked, this,
        [this] { QApplication::clipboard()->setText(problemsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (!report.errors.isEmpty() && error.kind == storage::ErrorKind::InvalidInput) {
        QPushButton *valid =
            buttons->addButton(tr("Import &Valid Rows Only"), QDialogButtonBox::AcceptRole);
        valid->setAccessibleName(tr("Import valid rows only"));
        valid->setToolTip(
            tr("Import again, skipping the rows listed here (as import --skip-invalid does)"));
        connect(valid, &QPushButton::clicked, this, [this] {
            accept();
            emit importValidRowsRequested();
        });
    }

    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    auto *texts = new QVBoxLayout;
    texts->addWidget(headline);
    texts->addWidget(explanation);
    top->addLayout(texts, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(count);
    layout->addWidget(m_view, 1);
    if (m_categories)
        layout->addWidget(m_categories);
    layout->addWidget(buttons);
    resize(720, 420);
}

QString ImportErrorsDialog::validCategoriesText() const
{
    return m_categories ? m_categories->text() : QString();
}

QString ImportErrorsDialog::problemsText() const
{
    return m_problems->stringList().join(QLatin1Char('\n'));
}

} // namespace cr::ui
