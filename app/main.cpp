#include "app/cli.h"
#include "app/gui.h"
#include "app/usage.h"

#include <QCoreApplication>
#include <cstdio>

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))
        || args.contains(QLatin1String("--version"))) {
        QCoreApplication app(argc, argv);
        const bool version = args.contains(QLatin1String("--version"));
        std::fputs(
            (version ? QStringLiteral("crisis-review " CR_VERSION "\n") : cr::app::usageText())
                .toUtf8()
                .constData(),
            stdout);
        return 0;
    }
    if (cr::app::isCliCommand(args)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("CrisisReview"));
        QCoreApplication::setApplicationName(QStringLiteral("crisis-review"));
        QCoreApplication::setApplicationVersion(QStringLiteral(CR_VERSION));
        return cr::app::runCli(args);
    }
    return cr::app::runGui(argc, argv);
}
