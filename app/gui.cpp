#include "app/gui.h"

#include "app/cli.h"
#include "app/reportcommand.h"
#include "storage/demo.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"
#include "ui/reviewpage.h"
#include "ui/settings.h"
#include "ui/studypage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QPalette>
#include <QPixmap>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <cstdio>

namespace cr::app {

namespace {

constexpr auto screenshotUsage =
    "usage: crisis-review screenshot STUDY|--demo --view welcome|study|rating|review|dashboard\n"
    "                                --out FILE.png [--rater NAME] [--size WxH] [--dark]";

struct Options {
    QCommandLineOption demo { QStringLiteral("demo"),
        QStringLiteral("Open a fresh copy of the demo study.") };
    QCommandLineOption rater { QStringLiteral("rater"), QStringLiteral("Sign in as this rater."),
        QStringLiteral("NAME") };
    QCommandLineOption view { QStringLiteral("view"),
        QStringLiteral("Page to render (screenshot)."), QStringLiteral("VIEW") };
    QCommandLineOption out { QStringLiteral("out"),
        QStringLiteral("PNG file to write (screenshot)."), QStringLiteral("FILE") };
    QCommandLineOption size { QStringLiteral("size"), QStringLiteral("Window size (screenshot)."),
        QStringLiteral("WxH"), QStringLiteral("1366x768") };
    QCommandLineOption dark { QStringLiteral("dark"),
        QStringLiteral("Render with a dark palette (screenshot).") };
};

/// A dark Fusion palette, to check the pages under a dark system theme.
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2e), base(0x1e, 0x1e, 0x20), text(0xe8, 0xe8, 0xea);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4e));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::Mid, QColor(0x26, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x16, 0x16, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x86));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x86));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x86));
    return p;
}

void printError(const QString &text)
{
    std::fputs((QStringLiteral("crisis-review: ") + text + QLatin1Char('\n')).toUtf8().constData(),
        stderr);
}

int usageError(const QString &text, const char *usage)
{
    printError(text);
    std::fputs(usage, stderr);
    std::fputs("\n", stderr);
    return ExitUsage;
}

int exitCodeFor(const storage::Error &error)
{
    return error.kind == storage::ErrorKind::InvalidInput ? ExitInvalidInput : ExitStorage;
}

void removeStudyFiles(const QString &path)
{
    for (const char *suffix : { "", "-wal", "-shm", "-journal" })
        QFile::remove(path + QLatin1String(suffix));
}

/// The first human rater with assigned items, for `--view rating` without `--rater`.
QString defaultRater(storage::Study &study)
{
    const storage::AssignmentRepository assignments(study);
    for (const storage::Rater &rater : storage::RaterRepository(study).all())
        if (rater.kind == storage::RaterKind::Human && !assignments.forRater(rater.id).isEmpty())
            return rater.name;
    return {};
}

int runScreenshot(const QCommandLineParser &parser, const Options &o, const QStringList &positional)
{
    const bool demo = parser.isSet(o.demo);
    if (positional.size() > 1)
        return usageError(QStringLiteral("screenshot takes one STUDY"), screenshotUsage);
    if (demo == !positional.isEmpty())
        return usageError(
            QStringLiteral("screenshot needs either STUDY or --demo"), screenshotUsage);
    const QString view = parser.value(o.view);
    if (view != QLatin1String("welcome") && view != QLatin1String("study")
        && view != QLatin1String("rating") && view != QLatin1String("review")
        && view != QLatin1String("dashboard"))
        return usageError(view.isEmpty()
                ? QStringLiteral("screenshot needs --view")
                : QStringLiteral("unknown view '%1' (welcome, study, rating, review or dashboard)")
                      .arg(view),
            screenshotUsage);
    const QString out = parser.value(o.out);
    if (out.isEmpty())
        return usageError(QStringLiteral("screenshot needs --out FILE.png"), screenshotUsage);
    static const QRegularExpression sizePattern(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$"));
    const QRegularExpressionMatch size = sizePattern.match(parser.value(o.size));
    const int width = size.captured(1).toInt();
    const int height = size.captured(2).toInt();
    if (!size.hasMatch() || width < 320 || height < 240 || width > 7680 || height > 4320)
        return usageError(
            QStringLiteral("--size must be WxH between 320x240 and 7680x4320, got '%1'")
                .arg(parser.value(o.size)),
            screenshotUsage);

    // Render from a clean slate: the user's own settings are neither read nor changed.
    QTemporaryDir settingsDir;
    if (!settingsDir.isValid()) {
        printError(
            QStringLiteral("cannot create a temporary folder: ") + settingsDir.errorString());
        return ExitStorage;
    }
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    if (parser.isSet(o.dark)) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(darkPalette());
    }
    ui::MainWindow window;
    window.setAttribute(Qt::WA_DontShowOnScreen);
    storage::Error error;
    // A real study is rendered from a private copy: signing in to show the rating
    // page records a session and what was shown, and none of that belongs in the study.
    bool opened = false;
    if (demo) {
        opened = window.openDemoStudy(&error);
    } else {
        const QString copy = settingsDir.filePath(QFileInfo(positional.first()).fileName());
        opened = storage::Study::copyFile(positional.first(), copy, &error)
            && window.openStudy(copy, &error);
    }
    if (!opened) {
        printError(error.message);
        return exitCodeFor(error);
    }
    const QString demoPath = demo ? window.study()->path() : QString();
    const QString studyName = demo ? demoPath : positional.first(); // for messages
    int code = ExitOk;
    QString rater = parser.value(o.rater);
    if (!rater.isEmpty() && !storage::RaterRepository(*window.study()).byName(rater)) {
        printError(QStringLiteral("no rater '%1' in %2").arg(rater, studyName));
        code = ExitInvalidInput;
    } else if (view == QLatin1String("rating")) {
        if (rater.isEmpty())
            rater = demo ? storage::demoRaterName() : defaultRater(*window.study());
        const auto person = rater.isEmpty()
            ? std::nullopt
            : storage::RaterRepository(*window.study()).byName(rater);
        if (rater.isEmpty()) {
            printError(QStringLiteral("no person in %1 has items assigned; pass --rater NAME")
                           .arg(studyName));
            code = ExitInvalidInput;
        } else if (person && person->role != storage::RaterRole::Rater) {
            // Signing in as an adjudicator or researcher opens the review page instead.
            printError(QStringLiteral("'%1' is %2, not a rater: use --view review")
                           .arg(rater,
                               person->role == storage::RaterRole::Adjudicator
                                   ? QStringLiteral("an adjudicator")
                                   : QStringLiteral("a researcher")));
            code = ExitInvalidInput;
        } else if (!window.signIn(rater, &error)) {
            printError(error.message);
            code = exitCodeFor(error);
        }
    } else if (view == QLatin1String("review")) {
        std::optional<storage::Rater> reviewer;
        for (const storage::Rater &r : storage::RaterRepository(*window.study()).all())
            if (rater.isEmpty()
                    ? r.kind == storage::RaterKind::Human && r.role != storage::RaterRole::Rater
                    : r.name == rater) {
                reviewer = r;
                break;
            }
        if (!reviewer) {
            printError(QStringLiteral("no adjudicator or researcher in %1; pass --rater NAME")
                           .arg(studyName));
            code = ExitInvalidInput;
        } else if (!window.openReview(reviewer->id, &error)) {
            printError(error.message);
            code = exitCodeFor(error);
        } else {
            while (window.reviewPage()->isLoading()) // the queue loads on a worker thread
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        }
    } else if (view == QLatin1String("dashboard")) {
        window.resize(width, height);
        // The statistics are computed on a worker thread; grab once the charts are drawn.
        QEventLoop loop;
        QObject::connect(window.dashboardPage(), &ui::DashboardPage::computationFinished, &loop,
            &QEventLoop::quit);
        QObject::connect(window.dashboardPage(), &ui::DashboardPage::computationFailed, &loop,
            [&loop, &code](const QString &message) {
                printError(message);
                code = ExitStorage;
                loop.quit();
            });
        window.showPage(ui::MainWindow::Page::Dashboard);
        if (window.dashboardPage()->isComputing())
            loop.exec();
    } else if (view == QLatin1String("study")) {
        if (!rater.isEmpty())
            window.studyPage()->setPreferredRater(rater);
    } else {
        window.closeStudy();
    }

    if (code == ExitOk) {
        window.resize(width, height);
        window.show();
        for (int i = 0; i < 3; ++i)
            QCoreApplication::processEvents();
        const QPixmap shot = window.grab();
        if (shot.isNull() || !shot.save(out, "PNG")) {
            printError(QStringLiteral("cannot write %1").arg(out));
            code = ExitStorage;
        }
    }
    if (demo) {
        window.closeStudy();
        removeStudyFiles(demoPath);
    }
    return code;
}

} // namespace

int runGui(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "report") == 0)
        return runReportCommand(argc, argv);
    // The screenshot command renders headless, with or without a display.
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "screenshot") == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CrisisReview"));
    QApplication::setApplicationName(QStringLiteral("crisis-review"));
    QApplication::setApplicationDisplayName(QStringLiteral("Crisis Review"));
    QApplication::setApplicationVersion(QStringLiteral(CR_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("crisis-review"));

    const Options o;
    QCommandLineParser parser;
    parser.addOptions({ o.demo, o.rater, o.view, o.out, o.size, o.dark });
    parser.addPositionalArgument(QStringLiteral("STUDY"), QStringLiteral("Study file to open."));
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText(),
            "usage: crisis-review [STUDY | --demo] [--rater NAME]\n"
            "       crisis-review --help");
    QStringList positional = parser.positionalArguments();
    if (positional.value(0) == QLatin1String("screenshot"))
        return runScreenshot(parser, o, positional.mid(1));

    const char *usage = "usage: crisis-review [STUDY | --demo] [--rater NAME]";
    for (const QCommandLineOption *only : { &o.view, &o.out, &o.size })
        if (parser.isSet(*only))
            return usageError(QStringLiteral("--%1 is only for the screenshot command")
                                  .arg(only->names().constFirst()),
                usage);
    if (positional.size() > 1)
        return usageError(QStringLiteral("unexpected argument '%1'").arg(positional.at(1)), usage);
    const bool demo = parser.isSet(o.demo);
    if (demo && !positional.isEmpty())
        return usageError(QStringLiteral("give either STUDY or --demo, not both"), usage);

    ui::MainWindow window;
    bool opened = false;
    if (demo) {
        opened = window.openDemoStudy();
    } else if (!positional.isEmpty()) {
        opened = window.openStudy(positional.first());
    } else {
        const QString last = ui::Settings().lastStudy;
        if (!last.isEmpty()
            && QFileInfo(last).isFile()) // a vanished last study is not worth an alarm
            opened = window.openStudy(last);
    }
    const QString rater = parser.isSet(o.rater) ? parser.value(o.rater)
        : demo                                  ? storage::demoRaterName()
                                                : QString();
    if (opened && !rater.isEmpty()) {
        storage::Error error;
        if (!window.signIn(rater, &error))
            window.studyPage()->showError(error.message);
    }
    window.show();
    return app.exec();
}

} // namespace cr::app
