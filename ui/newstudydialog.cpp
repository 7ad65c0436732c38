#include "ui/newstudydialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

namespace cr::ui {

namespace {

QString fileNameFor(const QString &title)
{
    QString base = title.trimmed().toLower();
    static const QRegularExpression unsafe(QStringLiteral("[^a-z0-9]+"));
    base.replace(unsafe, QStringLiteral("-"));
    while (base.startsWith(QLatin1Char('-')))
        base.remove(0, 1);
    while (base.endsWith(QLatin1Char('-')))
        base.chop(1);
    return (base.isEmpty() ? QStringLiteral("study") : base) + QStringLiteral(".crisis");
}

} // namespace

NewStudyDialog::NewStudyDialog(const QString &directory, QWidget *parent)
    : QDialog(parent)
    , m_directory(directory)
    , m_title(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_protocolChoice(new QComboBox(this))
    , m_protocolPath(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New Study"));
    setAccessibleName(tr("New study"));
    m_title->setAccessibleName(tr("Study title"));
    m_title->setPlaceholderText(tr("e.g. Crisis responses, spring round"));
    m_path->setAccessibleName(tr("Study file"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setAccessibleName(tr("Choose the study file"));
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));

    connect(m_title, &QLineEdit::textChanged, this, [this](const QString &title) {
        if (!m_pathEdited)
            m_path->setText(
                QDir::toNativeSeparators(QDir(m_directory).filePath(fileNameFor(title))));
        validate();
    });
    connect(m_path, &QLineEdit::textEdited, this, [this] { m_pathEdited = true; });
    connect(m_path, &QLineEdit::textChanged, this, &NewStudyDialog::validate);
    connect(browse, &QPushButton::clicked, this, &NewStudyDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // The protocol: the bundled default, or a protocol file of the researcher's own.
    m_protocolChoice->setAccessibleName(tr("Protocol"));
    m_protocolChoice->addItem(
        tr("Bundled default protocol (%1, version %2)")
            .arg(protocol::defaultProtocol().name, protocol::defaultProtocol().version));
    m_protocolChoice->addItem(tr("From a file…"));
    m_protocolPath->setAccessibleName(tr("Protocol file"));
    m_protocolPath->setPlaceholderText(tr("protocol.json"));
    auto *browseProtocol = new QPushButton(tr("Br&owse…"), this);
    browseProtocol->setAccessibleName(tr("Choose the protocol file"));
    connect(browseProtocol, &QPushButton::clicked, this, &NewStudyDialog::browseProtocol);
    connect(m_protocolChoice, &QComboBox::currentIndexChanged, this, [this, browseProtocol](int i) {
        m_protocolPath->setVisible(i == 1);
        browseProtocol->setVisible(i == 1);
        validate();
    });
    connect(m_protocolPath, &QLineEdit::textChanged, this, &NewStudyDialog::validate);
    m_protocolPath->hide();
    browseProtocol->hide();

    // A label with a buddy (a QFormLayout row label for a layout would show the "&").
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    auto *protocolRow = new QHBoxLayout;
    protocolRow->addWidget(m_protocolPath, 1);
    protocolRow->addWidget(browseProtocol);
    auto *protocolLabel = new QLabel(tr("&Protocol:"), this);
    protocolLabel->setBuddy(m_protocolChoice);
    auto *form = new QFormLayout;
    form->addRow(tr("&Title:"), m_title);
    form->addRow(fileLabel, fileRow);
    form->addRow(protocolLabel, m_protocolChoice);
    form->addRow(QString(), protocolRow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    setMinimumWidth(520);
    m_path->setText(QDir::toNativeSeparators(QDir(m_directory).filePath(fileNameFor({}))));
    validate();
}

QString NewStudyDialog::title() const
{
    return m_title->text().trimmed();
}

QString NewStudyDialog::path() const
{
    return QDir::fromNativeSeparators(m_path->text().trimmed());
}

void NewStudyDialog::browse()
{
    QFileDialog dialog(this, tr("New Study File"), path());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setNameFilters({ tr("Crisis Review studies (*.crisis)"), tr("All files (*)") });
    dialog.setDefaultSuffix(QStringLiteral("crisis"));
    // Existing files are refused below rather than overwritten.
    dialog.setOption(QFileDialog::DontConfirmOverwrite);
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty()) {
        m_pathEdited = true;
        m_path->setText(QDir::toNativeSeparators(dialog.selectedFiles().constFirst()));
    }
}

std::optional<protocol::Protocol> NewStudyDialog::protocol(QString *problem) const
{
    if (m_protocolChoice->currentIndex() == 0)
        return protocol::defaultProtocol();
    const QString file = QDir::fromNativeSeparators(m_protocolPath->text().trimmed());
    if (file.isEmpty()) {
        if (problem)
            *problem = tr("Choose the protocol file.");
        return std::nullopt;
    }
    QString error;
    std::optional<protocol::Protocol> loaded = protocol::loadProtocolFile(file, &error);
    if (!loaded && problem)
        *problem = tr("The protocol file cannot be used: %1").arg(error);
    return loaded;
}

void NewStudyDialog::browseProtocol()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Protocol File"),
        m_protocolPath->text().isEmpty() ? m_directory : m_protocolPath->text(),
        tr("Protocols (*.json);;All files (*)"));
    if (!file.isEmpty())
        m_protocolPath->setText(QDir::toNativeSeparators(file));
}

void NewStudyDialog::validate()
{
    QString problem;
    const QFileInfo file(path());
    if (title().isEmpty())
        problem = tr("Give the study a title.");
    else if (path().isEmpty())
        problem = tr("Choose where to save the study.");
    else if (file.exists())
        problem = tr("%1 already exists; choose another file name.").arg(file.fileName());
    else if (!file.absoluteDir().exists())
        problem =
            tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(file.absolutePath()));
    else
        protocol(&problem);
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace cr::ui
