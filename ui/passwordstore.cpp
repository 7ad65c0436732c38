#include "ui/passwordstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>

namespace cr::ui {

namespace {

const QString service = QStringLiteral("crisis-review");

/// Runs `job` to its end (QtKeychain jobs are asynchronous; the keyring may ask the
/// person to unlock it, so the wait is long but bounded).
QKeychain::Error run(QKeychain::Job &job, QString *error)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false); // never a plain-text file instead of the keyring
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(120000);
    job.start();
    if (!done)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!done) {
        if (error)
            *error = QCoreApplication::translate("PasswordStore", "the keyring did not answer");
        return QKeychain::OtherError;
    }
    if (job.error() != QKeychain::NoError && error)
        *error = job.errorString();
    return job.error();
}

} // namespace

bool KeyringPasswordStore::isAvailable(QString *why)
{
    if (!m_available) {
        // A read of a key nobody writes: "not found" means the keyring answers.
        QKeychain::ReadPasswordJob probe(service);
        probe.setKey(QStringLiteral("availability-probe"));
        QString error;
        const QKeychain::Error result = run(probe, &error);
        m_available = result == QKeychain::NoError || result == QKeychain::EntryNotFound;
        if (!*m_available)
            m_why = QCoreApplication::translate("PasswordStore",
                "No system keyring is available (%1), so the password cannot be remembered; "
                "it is used for this session only.")
                        .arg(error.isEmpty() ? QStringLiteral("no keyring daemon") : error);
    }
    if (why)
        *why = m_why;
    return *m_available;
}

std::optional<QString> KeyringPasswordStore::read(const QString &key, QString *error)
{
    if (!isAvailable(nullptr))
        return std::nullopt;
    QKeychain::ReadPasswordJob job(service);
    job.setKey(key);
    QString message;
    const QKeychain::Error result = run(job, &message);
    if (result == QKeychain::NoError)
        return job.textData();
    if (result != QKeychain::EntryNotFound && error)
        *error = message;
    return std::nullopt;
}

bool KeyringPasswordStore::write(const QString &key, const QString &password, QString *error)
{
    if (!isAvailable(error))
        return false;
    QKeychain::WritePasswordJob job(service);
    job.setKey(key);
    job.setTextData(password);
    return run(job, error) == QKeychain::NoError;
}

bool KeyringPasswordStore::remove(const QString &key, QString *error)
{
    if (!isAvailable(nullptr))
        return true; // nothing can be kept there
    QKeychain::DeletePasswordJob job(service);
    job.setKey(key);
    const QKeychain::Error result = run(job, error);
    return result == QKeychain::NoError || result == QKeychain::EntryNotFound;
}

bool MemoryPasswordStore::isAvailable(QString *why)
{
    if (why)
        *why = m_unavailable;
    return m_unavailable.isEmpty();
}

std::optional<QString> MemoryPasswordStore::read(const QString &key, QString *)
{
    if (!m_unavailable.isEmpty() || !m_entries.contains(key))
        return std::nullopt;
    return m_entries.value(key);
}

bool MemoryPasswordStore::write(const QString &key, const QString &password, QString *error)
{
    if (!isAvailable(error))
        return false;
    m_entries.insert(key, password);
    return true;
}

bool MemoryPasswordStore::remove(const QString &key, QString *)
{
    m_entries.remove(key);
    return true;
}

} // namespace cr::ui
