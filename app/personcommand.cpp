#include "app/command.h"
#include "app/handlers.h"
#include "storage/pgsecurity.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QFile>

namespace cr::app {

using storage::Error;

// `server add-person URI NAME --role R [--password-file F]` (issue 17 item 3): a login
// role for one person on a study server, linked to their study rater (added when
// missing), with the database's row-level security and column privileges re-applied.
int runServerAddPerson(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption roleOpt(QStringLiteral("role"),
        QStringLiteral("rater, adjudicator or researcher"), QStringLiteral("ROLE"));
    const QCommandLineOption passwordOpt(QStringLiteral("password-file"),
        QStringLiteral("File whose first line is the password"), QStringLiteral("FILE"));
    p.addOptions({ roleOpt, passwordOpt });
    QStringList pos;
    if (!call.parse(p, 2, 2, &pos))
        return ExitUsage;
    const auto role = storage::raterRoleFromString(p.value(roleOpt));
    if (!p.isSet(roleOpt) || !role)
        return call.usageError(QStringLiteral("--role must be rater, adjudicator or researcher"));
    if (!storage::Study::isServerLocation(pos[0]))
        return call.usageError(pos[0] + QStringLiteral(": add-person needs a postgresql:// URI"));
    const QString name = pos[1];
    if (const QString problem = storage::pgsecurity::validateLogin(name); !problem.isEmpty()) {
        call.message(QStringLiteral("crisis-review: %1: %2").arg(name, problem));
        return ExitInvalidInput;
    }
    QString password;
    const bool fromFile = p.isSet(passwordOpt);
    if (fromFile) {
        QFile file(p.value(passwordOpt));
        if (!file.open(QIODevice::ReadOnly)) {
            call.message(QStringLiteral("crisis-review: %1: %2")
                             .arg(p.value(passwordOpt), file.errorString()));
            return ExitInvalidInput;
        }
        password = QString::fromUtf8(file.readLine()).trimmed();
        if (password.size() < 12) {
            call.message(QStringLiteral("crisis-review: %1:1: password: at least 12 characters")
                             .arg(p.value(passwordOpt)));
            return ExitInvalidInput;
        }
    } else {
        password = storage::pgsecurity::generatePassword();
    }
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    Error e;
    storage::RaterRepository raters(*study);
    std::optional<storage::Rater> rater = raters.byName(name);
    if (rater && rater->role != *role) {
        call.message(QStringLiteral("crisis-review: %1 is a %2 in this study, not a %3")
                         .arg(name, storage::toString(rater->role), storage::toString(*role)));
        return ExitInvalidInput;
    }
    if (rater && rater->kind != storage::RaterKind::Human) {
        call.message(QStringLiteral("crisis-review: %1 is an LLM rater").arg(name));
        return ExitInvalidInput;
    }
    const bool newRater = !rater;
    if (!rater)
        rater = raters.add(name, storage::RaterKind::Human, *role, &e);
    if (!rater)
        return call.fail(e);
    QSqlDatabase db = study->database();
    bool created = false;
    if (!storage::pgsecurity::apply(db, &e)
        || !storage::pgsecurity::addLogin(
            db, name, *role, rater->id, password, fromFile, &created, &e))
        return call.fail(e);
    call.message(QStringLiteral("%1 login %2 (%3)%4")
                     .arg(created ? QStringLiteral("Created") : QStringLiteral("Updated"), name,
                         storage::toString(*role),
                         newRater ? QStringLiteral(", added as study rater ") + rater->pseudonym
                                  : QString()));
    if (!fromFile && created) {
        // Shown once, never stored: hand it to the person, who changes it (ALTER ROLE … PASSWORD).
        call.message(QStringLiteral("One-time password (shown once; not stored anywhere):"));
        call.print(password + QLatin1Char('\n'));
    } else if (!fromFile) {
        call.message(QStringLiteral("The existing login keeps its password (use --password-file "
                                    "to set a new one)."));
    }
    return ExitOk;
}

} // namespace cr::app
