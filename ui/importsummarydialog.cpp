#include "ui/importsummarydialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cr::ui {

ImportSummaryDialog::ImportSummaryDialog(
    const QStringList &files, const storage::ImportReport &report, QWidget *parent)
    : QDialog(parent)
    , m_details(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Import Complete"));
    setAccessibleName(tr("Import complete"));
    QStringList names;
    for (const QString &file : files)
        names.append(QFileInfo(file).fileName());
    const storage::ImportCounts &c = report.counts;
    const QLocale locale;
    auto *headline =
        new QLabel(tr("Imported %1: %2 items, %3 responses, %4 labels and %5 ratings added.")
                       .arg(names.join(QStringLiteral(", ")), locale.toString(c.itemsAdded),
                           locale.toString(c.responsesAdded), locale.toString(c.labelsAdded),
                           locale.toString(c.ratingsAdded)),
            this);
    headline->setWordWrap(true);
    QFont bold = headline->font();
    bold.setBold(true);
    headline->setFont(bold);
    auto *explanation = new QLabel(report.skipped.isEmpty()
            ? tr("Check the models and runs below against the files you meant to import.")
            : tr("%n invalid row(s) were skipped and are listed below; they are also stored in the "
                 "study "
                 "(table import_issue; crisis-review info lists every import).",
                nullptr, int(report.skipped.size())),
        this);
    explanation->setWordWrap(true);

    QStringList lines = report.details();
    if (!report.skipped.isEmpty()) {
        lines.append(QString());
        lines.append(tr("Skipped rows:"));
        for (const storage::ImportIssue &issue : report.skipped)
            lines.append(issue.toString());
    }
    if (!report.skippedFiles.isEmpty()) {
        lines.append(QString());
        lines.append(tr("Skipped files:"));
        lines += report.skippedFiles;
    }
    m_details->setPlainText(lines.join(QLatin1Char('\n')));
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setAccessibleName(tr("Import details"));
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy Details"), QDialogButtonBox::ActionRole);
    copy->setAccessibleName(tr("Copy details"));
    connect(copy, &QPushButton::clicked, this,
        [this] { QApplication::clipboard()->setText(m_details->toPlainText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(headline);
    layout->addWidget(explanation);
    layout->addWidget(m_details, 1);
    layout->addWidget(buttons);
    resize(720, 420);
}

bool ImportSummaryDialog::hasDetails(const storage::ImportReport &report)
{
    return !report.details().isEmpty() || !report.skipped.isEmpty();
}

QString ImportSummaryDialog::detailsText() const
{
    return m_details->toPlainText();
}

} // namespace cr::ui
