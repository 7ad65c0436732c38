#pragma once

#include <QHash>
#include <QString>
#include <optional>

namespace cr::ui {

/// Where the GUI keeps a server login's password when the person asks it to remember it
/// (issue 17 item 1): the system keyring, never the settings or any file of ours. The
/// key is storage::serverLoginKey() ("user@host:port/dbname"). Calls may wait for the
/// keyring (it can ask the person to unlock it); GUI thread only.
class PasswordStore {
public:
    virtual ~PasswordStore() = default;
    /// Whether passwords can be kept; otherwise `why` says what is missing (no keyring
    /// daemon, …) in words for the person.
    virtual bool isAvailable(QString *why) = 0;
    /// The password kept for `key`, or nothing (none kept, or the keyring failed: `error`).
    virtual std::optional<QString> read(const QString &key, QString *error) = 0;
    virtual bool write(const QString &key, const QString &password, QString *error) = 0;
    virtual bool remove(const QString &key, QString *error) = 0;
};

/// The system keyring through QtKeychain (Secret Service / KWallet on Linux, the macOS
/// Keychain, Windows Credential Manager), service "crisis-review". Never falls back to
/// plain-text storage: without a keyring daemon it is unavailable and says why.
class KeyringPasswordStore final : public PasswordStore {
public:
    bool isAvailable(QString *why) override;
    std::optional<QString> read(const QString &key, QString *error) override;
    bool write(const QString &key, const QString &password, QString *error) override;
    bool remove(const QString &key, QString *error) override;

private:
    std::optional<bool> m_available; // probed once
    QString m_why;
};

/// A keyring in memory (tests: the offscreen session has no Secret Service). It can be
/// told to act as an unavailable keyring.
class MemoryPasswordStore final : public PasswordStore {
public:
    bool isAvailable(QString *why) override;
    std::optional<QString> read(const QString &key, QString *error) override;
    bool write(const QString &key, const QString &password, QString *error) override;
    bool remove(const QString &key, QString *error) override;

    void setUnavailable(const QString &why) { m_unavailable = why; }
    QHash<QString, QString> entries() const { return m_entries; }

private:
    QHash<QString, QString> m_entries;
    QString m_unavailable;
};

} // namespace cr::ui
