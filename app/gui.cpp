#include "app/handlers.h"
#include "storage/backend.h"
#include "storage/demo.h"
#include "ui/mainwindow.h"
#include "ui/settings.h"
#include "ui/studypage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

namespace cr::app {

int runGui(const Invocation &call)
{
    const QCommandLineOption demoOpt(
        QStringLiteral("demo"), QStringLiteral("Open a fresh copy of the demo study."));
    const QCommandLineOption raterOpt(
        QStringLiteral("rater"), QStringLiteral("Sign in as this rater."), QStringLiteral("NAME"));
    // The screenshot command's options, refused here with a message that says so.
    const QCommandLineOption viewOpt(QStringLiteral("view"),
        QStringLiteral("Page to render (screenshot)."), QStringLiteral("VIEW"));
    const QCommandLineOption outOpt(QStringLiteral("out"),
        QStringLiteral("PNG file to write (screenshot)."), QStringLiteral("FILE"));
    const QCommandLineOption sizeOpt(
        QStringLiteral("size"), QStringLiteral("Window size (screenshot)."), QStringLiteral("WxH"));
    const QCommandLineOption darkOpt(
        QStringLiteral("dark"), QStringLiteral("Render with a dark palette (screenshot)."));
    QCommandLineParser parser;
    parser.addOptions({ demoOpt, raterOpt, viewOpt, outOpt, sizeOpt, darkOpt });
    if (!parser.parse(QStringList { QStringLiteral("crisis-review") } + call.args()))
        return call.usageError(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    for (const QCommandLineOption *only : { &viewOpt, &outOpt, &sizeOpt })
        if (parser.isSet(*only))
            return call.usageError(QStringLiteral("--%1 is only for the screenshot command")
                                       .arg(only->names().constFirst()));
    if (positional.size() > 1)
        return call.usageError(QStringLiteral("unexpected argument '%1'").arg(positional.at(1)));
    const bool demo = parser.isSet(demoOpt);
    if (demo && !positional.isEmpty())
        return call.usageError(QStringLiteral("give either STUDY or --demo, not both"));

    ui::MainWindow window;
    const QString rater = parser.isSet(raterOpt) ? parser.value(raterOpt)
        : demo                                   ? storage::demoRaterName()
                                                 : QString();
    bool opened = false;
    QString path;
    if (demo) {
        opened = window.openDemoStudy();
    } else if (!positional.isEmpty()) {
        path = positional.first();
    } else if (const ui::Settings settings; settings.reopenLastStudy) {
        // Only when the user asked for it (Edit ▸ Preferences…); else the welcome screen.
        const QString last = settings.lastStudy;
        if (!last.isEmpty()
            && (storage::isServerUri(last)
                || QFileInfo(last).isFile())) // a vanished last study is not worth an alarm
            path = last;
    }
    if (!path.isEmpty()) {
        // With --rater the person is signed in at once (a refusal shows on the overview).
        window.openStudyAs(path, rater);
    } else if (opened && !rater.isEmpty()) {
        storage::Error error;
        if (!window.signIn(rater, &error) && window.studyPage())
            window.studyPage()->showError(error.message);
    }
    window.show();
    return QApplication::exec();
}

} // namespace cr::app
