#pragma once

#include "storage/error.h"

#include <QDialog>
#include <memory>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class PasswordStore;

/// Asks for the password of a server login (issue 17 item 1): why it is asked (none
/// found, the one given or kept was refused), the password (never shown), and "Remember
/// in the system keyring" — disabled, with the reason under it, when no keyring is
/// available. GUI thread only.
class ServerPasswordDialog final : public QDialog {
    Q_OBJECT
public:
    /// `login` is storage::serverLoginKey() of the study ("user@host:port/dbname").
    explicit ServerPasswordDialog(const QString &login, QWidget *parent = nullptr);

    void setMessage(const QString &message);
    QString message() const;
    /// Whether the checkbox can be ticked; `why` is shown under it when not.
    void setRememberAvailable(bool available, const QString &why);
    void setRemember(bool remember);

    QString password() const;
    /// Ticked and available.
    bool remember() const;

    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }
    /// The reason "remember" is unavailable (empty when it is available).
    QString rememberNote() const;

private:
    QLabel *m_message;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_rememberNote;
    QDialogButtonBox *m_buttons;
};

/// Opens the server study `uri` for the GUI. libpq first tries what it finds itself (a
/// password in the URI, ~/.pgpass, PGPASSWORD); when that is no password or a refused
/// one, the password kept in `store` for this login is tried, and when there is none or
/// the server refuses it, ServerPasswordDialog asks — again, saying so, after each
/// refused password — until a password works or the person cancels (`*cancelled`, and
/// nullptr). A working password is kept for this process's other connections
/// (storage::setSessionPassword) and, when "remember" is ticked, in `store` (replacing a
/// kept one that failed; a failed kept one is removed when "remember" is unticked). It
/// is never written to the settings or any file. Other failures return nullptr with
/// `error`.
std::unique_ptr<storage::Study> openServerStudy(QWidget *parent, const QString &uri,
    PasswordStore &store, storage::Error *error, bool *cancelled = nullptr);

} // namespace cr::ui
