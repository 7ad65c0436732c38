// Opening a server study in the GUI without a usable ~/.pgpass entry or PGPASSWORD
// (issue 17 item 1), against the shared test cluster: the window asks for the password,
// asks again after a refused one saying so, keeps it in the keyring when told to (an
// in-memory one here: the offscreen session has no Secret Service) and never in the
// settings or any other file; a kept password the server refuses is offered for
// replacement; without a keyring the prompt still works and says why it cannot remember.

#include "pgtesthelpers.h"
#include "storage/backend.h"
#include "ui/mainwindow.h"
#include "ui/passwordstore.h"
#include "ui/serverlogin.h"
#include "ui/settings.h"

#include <QApplication>
#include <QCheckBox>
#include <QDirIterator>
#include <QLineEdit>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <optional>

using namespace cr;

namespace {

/// Answers each ServerPasswordDialog that opens with the next scripted password (or
/// cancels when it is empty), noting what the dialog said.
class DialogAnswerer final : public QObject {
public:
    struct Seen {
        QString message;
        bool rememberEnabled = false;
        bool rememberChecked = false;
        QString rememberNote;
    };
    struct Answer {
        QString password; // empty: Cancel
        std::optional<bool> remember;
    };

    explicit DialogAnswerer(QList<Answer> answers)
        : m_answers(std::move(answers))
    {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, &DialogAnswerer::poll);
        m_timer.start();
    }
    QList<Seen> seen;

private:
    void poll()
    {
        auto *dialog = qobject_cast<ui::ServerPasswordDialog *>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isVisible() || dialog == m_last)
            return;
        m_last = dialog;
        seen.append({ dialog->message(), dialog->rememberBox()->isEnabled(),
            dialog->rememberBox()->isChecked(), dialog->rememberNote() });
        if (m_answers.isEmpty() || m_answers.first().password.isEmpty()) {
            if (!m_answers.isEmpty())
                m_answers.removeFirst();
            dialog->reject();
            return;
        }
        const Answer answer = m_answers.takeFirst();
        dialog->passwordEdit()->setText(answer.password);
        if (answer.remember)
            dialog->rememberBox()->setChecked(*answer.remember);
        dialog->accept();
    }

    QTimer m_timer;
    QList<Answer> m_answers;
    QPointer<ui::ServerPasswordDialog> m_last;
};

/// Every file under `dir` whose bytes contain `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.size() < 64 * 1024 * 1024 && file.open(QIODevice::ReadOnly)
            && file.readAll().contains(needle))
            found.append(file.fileName());
    }
    return found;
}

} // namespace

class TestServerLogin final : public QObject {
    Q_OBJECT

private:
    pgtest::Cluster m_pg;
    QTemporaryDir m_work;
    QString m_db;
    QString m_login;
    QString m_password = QStringLiteral("first-Password-4-tests");
    QString m_uri;

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CrisisReview"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_serverlogin"));
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_pg.isValid(), "no test cluster (CR_PG_DIR)");
        QVERIFY(m_work.isValid());
        const QString pid = QString::number(QCoreApplication::applicationPid());
        m_db = QStringLiteral("login_") + pid;
        m_login = QStringLiteral("login-lead-") + pid;
        QVERIFY(m_pg.psql(QStringLiteral("postgres"),
            QStringLiteral("CREATE DATABASE %1 LOCALE 'C.UTF-8' TEMPLATE template0").arg(m_db)));
        const QString admin = m_pg.uri(QStringLiteral("cr_admin"), m_db);
        QCOMPARE(m_pg.app({ QStringLiteral("server"), QStringLiteral("init"), admin,
                     QStringLiteral("--title"), QStringLiteral("Login") }),
            0);
        const QString passwordFile = m_work.filePath(QStringLiteral("lead.pass"));
        QFile pass(passwordFile);
        QVERIFY(pass.open(QIODevice::WriteOnly));
        pass.write(m_password.toUtf8() + '\n');
        pass.close();
        QCOMPARE(m_pg.app({ QStringLiteral("server"), QStringLiteral("add-person"), admin, m_login,
                     QStringLiteral("--role"), QStringLiteral("researcher"),
                     QStringLiteral("--password-file"), passwordFile }),
            0);
        m_uri = m_pg.uri(m_login, m_db);
        // This process has no usable password: no ~/.pgpass entry, no PGPASSWORD.
        qputenv("PGPASSFILE", m_work.filePath(QStringLiteral("no-such-pgpass")).toLocal8Bit());
        qunsetenv("PGPASSWORD");
    }

    void cleanupTestCase()
    {
        storage::clearSessionPasswords();
        m_pg.psql(QStringLiteral("postgres"),
            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_db));
        m_pg.dropRoles(m_db, { m_login });
    }

    void init() { storage::clearSessionPasswords(); }

    void aWrongPasswordAsksAgainAndTheRightOneIsKeptInTheKeyringOnly()
    {
        auto *store = new ui::MemoryPasswordStore;
        std::unique_ptr<ui::MemoryPasswordStore> keep(store);
        QList<DialogAnswerer::Seen> seen;
        storage::Error e;
        {
            ui::MainWindow window;
            window.setPasswordStore(std::move(keep));
            DialogAnswerer answerer(
                { { QStringLiteral("not-the-password"), true }, { m_password, true } });
            QVERIFY2(window.openStudy(m_uri, &e), qPrintable(e.message));
            seen = answerer.seen;
            QVERIFY(window.study());
            // Remembered under the login, in the keyring only.
            auto *kept = static_cast<ui::MemoryPasswordStore *>(window.passwordStore());
            QCOMPARE(kept->entries().value(storage::serverLoginKey(m_uri)), m_password);
            QCOMPARE(kept->entries().size(), 1);
            window.close();
        }
        QCOMPARE(seen.size(), 2);
        QVERIFY2(seen.at(0).message.contains(QLatin1String("needs a password")),
            qPrintable(seen.at(0).message));
        QVERIFY(seen.at(0).rememberEnabled);
        QVERIFY2(seen.at(1).message.contains(QLatin1String("refused that password")),
            qPrintable(seen.at(1).message));
        // The settings remember the study (by its URI) and nothing under HOME holds the
        // password: not the settings, the recent list, the outbox or anything else.
        {
            QSettings settings;
            settings.sync();
            QFile file(settings.fileName());
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
            const QByteArray text = file.readAll();
            QVERIFY2(text.contains(m_login.toUtf8()), text.constData());
            QVERIFY(!text.contains(m_password.toUtf8()));
        }
        QCOMPARE(filesContaining(QDir::homePath(), m_password.toUtf8()), QStringList());
        QCOMPARE(filesContaining(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
                     m_password.toUtf8()),
            QStringList());
    }

    void aKeptPasswordOpensWithoutAsking()
    {
        auto store = std::make_unique<ui::MemoryPasswordStore>();
        QString error;
        store->write(storage::serverLoginKey(m_uri), m_password, &error);
        ui::MainWindow window;
        window.setPasswordStore(std::move(store));
        DialogAnswerer answerer({});
        storage::Error e;
        QVERIFY2(window.openStudy(m_uri, &e), qPrintable(e.message));
        QCOMPARE(answerer.seen.size(), 0);
    }

    void aRefusedKeptPasswordIsOfferedForReplacement()
    {
        const QString changed = QStringLiteral("second-Password-4-tests");
        QVERIFY(m_pg.psql(
            m_db, QStringLiteral("ALTER ROLE \"%1\" PASSWORD '%2'").arg(m_login, changed)));
        auto store = std::make_unique<ui::MemoryPasswordStore>();
        QString error;
        store->write(storage::serverLoginKey(m_uri), m_password, &error); // the old one
        ui::MainWindow window;
        window.setPasswordStore(std::move(store));
        DialogAnswerer answerer({ { changed, std::nullopt } });
        storage::Error e;
        QVERIFY2(window.openStudy(m_uri, &e), qPrintable(e.message));
        QCOMPARE(answerer.seen.size(), 1);
        QVERIFY2(answerer.seen.at(0).message.contains(QLatin1String("kept in the system keyring")),
            qPrintable(answerer.seen.at(0).message));
        QVERIFY(answerer.seen.at(0).rememberChecked); // replacing it is the default
        auto *kept = static_cast<ui::MemoryPasswordStore *>(window.passwordStore());
        QCOMPARE(kept->entries().value(storage::serverLoginKey(m_uri)), changed);
        QVERIFY(m_pg.psql(
            m_db, QStringLiteral("ALTER ROLE \"%1\" PASSWORD '%2'").arg(m_login, m_password)));
    }

    void withoutAKeyringThePromptStillWorksAndSaysWhyItCannotRemember()
    {
        auto store = std::make_unique<ui::MemoryPasswordStore>();
        store->setUnavailable(QStringLiteral("No system keyring is available (test)."));
        ui::MainWindow window;
        window.setPasswordStore(std::move(store));
        DialogAnswerer answerer({ { m_password, true } });
        storage::Error e;
        QVERIFY2(window.openStudy(m_uri, &e), qPrintable(e.message));
        QCOMPARE(answerer.seen.size(), 1);
        QVERIFY(!answerer.seen.at(0).rememberEnabled);
        QVERIFY(!answerer.seen.at(0).rememberChecked);
        QCOMPARE(answerer.seen.at(0).rememberNote,
            QStringLiteral("No system keyring is available (test)."));
        auto *kept = static_cast<ui::MemoryPasswordStore *>(window.passwordStore());
        QVERIFY(kept->entries().isEmpty());
    }

    void cancellingOpensNothingAndSaysSo()
    {
        ui::MainWindow window;
        window.setPasswordStore(std::make_unique<ui::MemoryPasswordStore>());
        DialogAnswerer answerer({ { QString(), std::nullopt } });
        storage::Error e;
        QVERIFY(!window.openStudy(m_uri, &e));
        QCOMPARE(answerer.seen.size(), 1);
        QVERIFY(!window.study());
        QVERIFY2(e.message.contains(QLatin1String("no password given")), qPrintable(e.message));
        QVERIFY(!e.message.contains(m_password));
    }

    void theSystemKeyringSaysWhyWhenItIsMissing()
    {
        // The real store: in this session there is usually no keyring daemon; then it
        // is unavailable with a reason, never a silent plain-text fallback.
        ui::KeyringPasswordStore keyring;
        QString why;
        if (keyring.isAvailable(&why))
            QSKIP("a system keyring is available here");
        QVERIFY2(why.contains(QLatin1String("No system keyring")), qPrintable(why));
        QString error;
        QVERIFY(!keyring.write(QStringLiteral("probe@nowhere:1/x"), QStringLiteral("x"), &error));
    }
};

QTEST_MAIN(TestServerLogin)
#include "tst_serverlogin.moc"
