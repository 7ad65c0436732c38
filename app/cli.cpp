#include "app/cli.h"

#include "app/commandtable.h"

#include <QApplication>
#include <QCoreApplication>
#include <algorithm>

namespace cr::app {

namespace {

void setUpApplication(Application application)
{
    QCoreApplication::setOrganizationName(QStringLiteral("CrisisReview"));
    QCoreApplication::setApplicationName(QStringLiteral("crisis-review"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CR_VERSION));
    if (application != Application::Core) {
        QGuiApplication::setApplicationDisplayName(QStringLiteral("Crisis Review"));
        QGuiApplication::setDesktopFileName(QStringLiteral("crisis-review"));
    }
}

int runCommand(const Command &command, const QStringList &args, std::FILE *out, std::FILE *err)
{
    const qsizetype words = command.name.isEmpty() ? 0 : command.name.count(QLatin1Char(' ')) + 1;
    return command.run(Invocation(command, args.mid(words), out, err));
}

/// `--version`, or `--help`/`-h`: the usage of the command (or group) the arguments name,
/// else the whole command list.
int printHelp(const QStringList &args)
{
    QString text;
    if (args.contains(QLatin1String("--version"))) {
        text = QStringLiteral("crisis-review " CR_VERSION "\n");
    } else {
        const Command *command = findCommand(args);
        const QList<const Command *> group =
            command ? QList<const Command *> { command } : commandGroup(args.value(0));
        text = group.isEmpty() ? helpText() : usageBlock(group) + QLatin1Char('\n');
    }
    std::fputs(text.toUtf8().constData(), stdout);
    return ExitOk;
}

} // namespace

bool isCliCommand(const QStringList &args)
{
    if (const Command *command = findCommand(args))
        return command->application == Application::Core;
    const QList<const Command *> group = commandGroup(args.value(0));
    return !group.isEmpty() && std::all_of(group.cbegin(), group.cend(), [](const Command *c) {
        return c->application == Application::Core;
    });
}

int runCli(const QStringList &args, std::FILE *out, std::FILE *err)
{
    const auto message = [err](const QString &line) {
        std::fputs((line + QLatin1Char('\n')).toUtf8().constData(), err);
    };
    if (const Command *command = findCommand(args)) {
        if (command->application == Application::Core)
            return runCommand(*command, args, out, err);
        message(QStringLiteral("crisis-review: '%1' needs a GUI application").arg(command->name));
        return ExitUsage;
    }
    const QList<const Command *> group = commandGroup(args.value(0));
    if (!group.isEmpty()) {
        message(usageBlock(group)); // e.g. `rater` without add or list
        return ExitUsage;
    }
    message(QStringLiteral("crisis-review: unknown command '%1'").arg(args.value(0)));
    return ExitUsage;
}

int run(int argc, char **argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))
        || args.contains(QLatin1String("--version")))
        return printHelp(args);

    if (isCliCommand(args)) {
        QCoreApplication app(argc, argv);
        setUpApplication(Application::Core);
        return runCli(args);
    }
    const Command *found = findCommand(args);
    const Command &command = found ? *found : guiCommand();
    if (command.application == Application::Offscreen
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // renders headless, with or without a display
    QApplication app(argc, argv);
    setUpApplication(command.application);
    // QApplication has taken out the options that are Qt's own (-platform, -style, ...).
    return runCommand(command, QCoreApplication::arguments().mid(1), stdout, stderr);
}

} // namespace cr::app
