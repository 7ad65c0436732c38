// fake-llm-server: the tests' OpenAI-compatible server as a program, for benchmarks and by
// hand. Listens on 127.0.0.1 (--port, default a free one), prints its base URL on stdout,
// serves GET /stats ({"requests", "max_concurrency", "faults"}) and quits after --seconds.
#include "tests/llm/fakellmserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTimer>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    const QCommandLineOption portOpt(
        QStringLiteral("port"), QStringLiteral("port"), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption scriptOpt(
        QStringLiteral("script"), QStringLiteral("fault script (JSON)"), QStringLiteral("FILE"));
    const QCommandLineOption delayOpt(QStringLiteral("delay-ms"), QStringLiteral("reply delay"),
        QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"),
        QStringLiteral("quit after this long"), QStringLiteral("S"), QStringLiteral("600"));
    p.addOptions({ portOpt, scriptOpt, delayOpt, secondsOpt });
    p.process(app);
    cr::test::FakeLlmServer server;
    server.setDelayMs(p.value(delayOpt).toInt());
    if (p.isSet(scriptOpt)) {
        QFile file(p.value(scriptOpt));
        QString error;
        if (!file.open(QIODevice::ReadOnly) || !server.loadScript(file.readAll(), &error)) {
            std::fprintf(stderr, "fake-llm-server: %s\n", qPrintable(error));
            return 1;
        }
    }
    if (!server.listen(quint16(p.value(portOpt).toUInt()))) {
        std::fprintf(stderr, "fake-llm-server: cannot listen\n");
        return 1;
    }
    std::printf("%s\n", qPrintable(server.baseUrl()));
    std::fflush(stdout);
    QTimer::singleShot(p.value(secondsOpt).toInt() * 1000, &app, &QCoreApplication::quit);
    return app.exec();
}
