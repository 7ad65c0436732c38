#include "ui/serverlogin.h"

#include "storage/backend.h"
#include "storage/study.h"
#include "ui/passwordstore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cr::ui {

ServerPasswordDialog::ServerPasswordDialog(const QString &login, QWidget *parent)
    : QDialog(parent)
    , m_message(new QLabel(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember in the system keyring"), this))
    , m_rememberNote(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Server Password"));
    setAccessibleName(tr("Server password"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_remember->setToolTip(tr("Kept by the system keyring, never in the app's settings"));
    m_rememberNote->setWordWrap(true);
    m_rememberNote->setTextFormat(Qt::PlainText);
    m_rememberNote->hide();

    auto *loginLabel = new QLabel(tr("Password for %1:").arg(login), this);
    loginLabel->setTextFormat(Qt::PlainText);
    loginLabel->setBuddy(m_password);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(loginLabel);
    layout->addWidget(m_password);
    layout->addWidget(m_remember);
    layout->addWidget(m_rememberNote);
    layout->addWidget(m_buttons);

    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Connect"));
    ok->setEnabled(false);
    connect(m_password, &QLineEdit::textChanged, ok,
        [ok](const QString &text) { ok->setEnabled(!text.isEmpty()); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_password->setFocus();
}

void ServerPasswordDialog::setMessage(const QString &message)
{
    m_message->setText(message);
}

QString ServerPasswordDialog::message() const
{
    return m_message->text();
}

void ServerPasswordDialog::setRememberAvailable(bool available, const QString &why)
{
    m_remember->setEnabled(available);
    if (!available)
        m_remember->setChecked(false);
    m_rememberNote->setText(available ? QString() : why);
    m_rememberNote->setVisible(!available);
}

void ServerPasswordDialog::setRemember(bool remember)
{
    m_remember->setChecked(remember && m_remember->isEnabled());
}

QString ServerPasswordDialog::password() const
{
    return m_password->text();
}

bool ServerPasswordDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

QString ServerPasswordDialog::rememberNote() const
{
    return m_remember->isEnabled() ? QString() : m_rememberNote->text();
}

std::unique_ptr<storage::Study> openServerStudy(QWidget *parent, const QString &uri,
    PasswordStore &store, storage::Error *error, bool *cancelled)
{
    if (cancelled)
        *cancelled = false;
    storage::Error e;
    std::unique_ptr<storage::Study> study = storage::Study::open(uri, &e);
    if (study)
        return study;
    const storage::LoginProblem first = storage::loginProblem(e.message);
    if (first == storage::LoginProblem::None) {
        *error = e;
        return nullptr;
    }
    storage::setSessionPassword(uri, {}); // one this process kept may be the refused one
    const QString key = storage::serverLoginKey(uri);
    QString message;
    bool keptFailed = false;
    QString keyringError;
    if (const std::optional<QString> kept = store.read(key, &keyringError)) {
        storage::setSessionPassword(uri, *kept);
        study = storage::Study::open(uri, &e);
        if (study)
            return study;
        storage::setSessionPassword(uri, {});
        if (storage::loginProblem(e.message) != storage::LoginProblem::WrongPassword) {
            *error = e;
            return nullptr;
        }
        keptFailed = true;
        message = ServerPasswordDialog::tr(
            "The server refused the password kept in the system keyring for %1 (it may have "
            "been changed). Enter the current password; it replaces the kept one.")
                      .arg(key);
    } else if (first == storage::LoginProblem::WrongPassword) {
        message = ServerPasswordDialog::tr(
            "The server refused the password from ~/.pgpass or PGPASSWORD for %1. Enter the "
            "password.")
                      .arg(key);
    } else {
        message = ServerPasswordDialog::tr(
            "%1 needs a password (none in ~/.pgpass, PGPASSWORD or the system keyring).")
                      .arg(key);
    }
    if (!keyringError.isEmpty())
        message += QLatin1Char(' ')
            + ServerPasswordDialog::tr("The keyring could not be read: %1").arg(keyringError);

    QString why;
    const bool canRemember = store.isAvailable(&why);
    bool remember = keptFailed;
    for (;;) {
        ServerPasswordDialog dialog(key, parent);
        dialog.setMessage(message);
        dialog.setRememberAvailable(canRemember, why);
        dialog.setRemember(remember);
        if (dialog.exec() != QDialog::Accepted) {
            if (cancelled)
                *cancelled = true;
            *error = storage::Error::invalid(storage::displayUri(uri)
                + ServerPasswordDialog::tr(": not opened (no password given)"));
            return nullptr;
        }
        remember = dialog.remember();
        const QString password = dialog.password();
        storage::setSessionPassword(uri, password);
        study = storage::Study::open(uri, &e);
        if (!study) {
            storage::setSessionPassword(uri, {});
            if (storage::loginProblem(e.message) == storage::LoginProblem::WrongPassword) {
                message = ServerPasswordDialog::tr(
                    "The server refused that password for %1. Check it (and Caps Lock) and "
                    "try again.")
                              .arg(key);
                continue;
            }
            *error = e;
            return nullptr;
        }
        QString storeError;
        if (remember) {
            if (!store.write(key, password, &storeError))
                qWarning("crisis-review: the password could not be kept in the keyring: %s",
                    qPrintable(storeError));
        } else if (keptFailed) {
            store.remove(key, &storeError); // the refused one is no use to anybody
        }
        return study;
    }
}

} // namespace cr::ui
