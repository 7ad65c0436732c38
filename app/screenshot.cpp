#include "app/handlers.h"
#include "storage/demo.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/dashboardpage.h"
#include "ui/exportdialog.h"
#include "ui/helpdialogs.h"
#include "ui/llmrundialog.h"
#include "ui/mainwindow.h"
#include "ui/newstudydialog.h"
#include "ui/packagedialog.h"
#include "ui/preferencesdialog.h"
#include "ui/reviewpage.h"
#include "ui/studypage.h"
#include "ui/studysetupdialog.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

namespace cr::app {

namespace {

using storage::Error;

/// What `screenshot` was asked to render.
struct Request {
    bool demo = false;
    QString study; ///< the user's file (empty with --demo)
    QString view;
    QString out;
    QString rater;
    int width = 0;
    int height = 0;
    bool dark = false;
    bool full = false; ///< grow the window until no scroll area of the page scrolls
    int scroll = 0; ///< scroll the page's largest scroll area down this far
    QString dialog; ///< a dialog to open over the page, drawn centred on the window
};

const QStringList &dialogNames()
{
    static const QStringList names { QStringLiteral("shortcuts"), QStringLiteral("protocol"),
        QStringLiteral("preferences"), QStringLiteral("setup"), QStringLiteral("llm"),
        QStringLiteral("package"), QStringLiteral("newstudy"), QStringLiteral("export") };
    return names;
}

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

/// Reads the arguments into `*r`; a usage error (returned) when they do not make one.
int readRequest(const Invocation &call, Request *r)
{
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Render the demo study."));
    const QCommandLineOption rater(
        QStringLiteral("rater"), QStringLiteral("Sign in as this rater."), QStringLiteral("NAME"));
    const QCommandLineOption view(
        QStringLiteral("view"), QStringLiteral("Page to render."), QStringLiteral("VIEW"));
    const QCommandLineOption out(
        QStringLiteral("out"), QStringLiteral("PNG file to write."), QStringLiteral("FILE"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size."),
        QStringLiteral("WxH"), QStringLiteral("1366x768"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Dark palette."));
    const QCommandLineOption full(
        QStringLiteral("full"), QStringLiteral("Whole page: no scroll area scrolls."));
    const QCommandLineOption scroll(QStringLiteral("scroll"),
        QStringLiteral("Scroll the page's largest scroll area down Y pixels."),
        QStringLiteral("Y"));
    const QCommandLineOption dialog(QStringLiteral("dialog"),
        QStringLiteral("Open a dialog over the page."), QStringLiteral("NAME"));
    QCommandLineParser parser;
    parser.addOptions({ demo, rater, view, out, size, dark, full, scroll, dialog });
    if (!parser.parse(QStringList { QStringLiteral("crisis-review") } + call.args()))
        return call.usageError(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    r->demo = parser.isSet(demo);
    if (positional.size() > 1)
        return call.usageError(QStringLiteral("screenshot takes one STUDY"));
    if (r->demo == !positional.isEmpty())
        return call.usageError(QStringLiteral("screenshot needs either STUDY or --demo"));
    r->study = positional.value(0);
    r->view = parser.value(view);
    static const QStringList views { QStringLiteral("welcome"), QStringLiteral("study"),
        QStringLiteral("planning"), QStringLiteral("rating"), QStringLiteral("review"),
        QStringLiteral("dashboard") };
    if (!views.contains(r->view))
        return call.usageError(r->view.isEmpty()
                ? QStringLiteral("screenshot needs --view")
                : QStringLiteral("unknown view '%1' (welcome, study, planning, rating, review or "
                                 "dashboard)")
                      .arg(r->view));
    r->out = parser.value(out);
    if (r->out.isEmpty())
        return call.usageError(QStringLiteral("screenshot needs --out FILE.png"));
    static const QRegularExpression sizePattern(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$"));
    const QRegularExpressionMatch match = sizePattern.match(parser.value(size));
    r->width = match.captured(1).toInt();
    r->height = match.captured(2).toInt();
    if (!match.hasMatch() || r->width < 320 || r->height < 240 || r->width > 7680
        || r->height > 4320)
        return call.usageError(
            QStringLiteral("--size must be WxH between 320x240 and 7680x4320, got '%1'")
                .arg(parser.value(size)));
    r->rater = parser.value(rater);
    r->dark = parser.isSet(dark);
    r->full = parser.isSet(full);
    bool scrollOk = true;
    r->scroll = parser.isSet(scroll) ? parser.value(scroll).toInt(&scrollOk) : 0;
    if (!scrollOk || r->scroll < 0)
        return call.usageError(QStringLiteral("--scroll must be a number of pixels, got '%1'")
                                   .arg(parser.value(scroll)));
    r->dialog = parser.value(dialog);
    if (!r->dialog.isEmpty() && !dialogNames().contains(r->dialog))
        return call.usageError(QStringLiteral("unknown dialog '%1' (%2)")
                                   .arg(r->dialog, dialogNames().join(QStringLiteral(", "))));
    if (r->full && r->scroll > 0)
        return call.usageError(QStringLiteral("--full and --scroll do not go together"));
    return ExitOk;
}

/// Signs in for the rating page: `rater`, else the demo's rater or the first person with
/// items; an adjudicator or researcher has no rating page.
int showRating(
    const Invocation &call, ui::MainWindow &window, const Request &r, const QString &studyName)
{
    QString rater = r.rater;
    if (rater.isEmpty())
        rater = r.demo ? storage::demoRaterName() : defaultRater(*window.study());
    if (rater.isEmpty())
        return call.fail(
            Error::invalid(QStringLiteral("no person in %1 has items assigned; pass --rater NAME")
                               .arg(studyName)));
    const auto person = storage::RaterRepository(*window.study()).byName(rater);
    if (person && person->role != storage::RaterRole::Rater) {
        // Signing in as an adjudicator or researcher opens the review page instead.
        return call.fail(Error::invalid(QStringLiteral("'%1' is %2, not a rater: use --view review")
                                            .arg(rater,
                                                person->role == storage::RaterRole::Adjudicator
                                                    ? QStringLiteral("an adjudicator")
                                                    : QStringLiteral("a researcher"))));
    }
    Error error;
    return window.signIn(rater, &error) ? ExitOk : call.fail(error);
}

/// Opens the review queue as `rater`, else the first human adjudicator or researcher, and
/// waits for it to load.
int showReview(
    const Invocation &call, ui::MainWindow &window, const Request &r, const QString &studyName)
{
    std::optional<storage::Rater> reviewer;
    for (const storage::Rater &person : storage::RaterRepository(*window.study()).all())
        if (r.rater.isEmpty() ? person.kind == storage::RaterKind::Human
                    && person.role != storage::RaterRole::Rater
                              : person.name == r.rater) {
            reviewer = person;
            break;
        }
    if (!reviewer)
        return call.fail(
            Error::invalid(QStringLiteral("no adjudicator or researcher in %1; pass --rater NAME")
                               .arg(studyName)));
    Error error;
    if (!window.openReview(reviewer->id, &error))
        return call.fail(error);
    while (window.reviewPage()->isLoading()) // the queue loads on a worker thread
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return ExitOk;
}

/// Shows the dashboard and waits until its charts are drawn.
int showDashboard(const Invocation &call, ui::MainWindow &window, const Request &r)
{
    window.resize(r.width, r.height);
    int code = ExitOk;
    // The statistics are computed on a worker thread; grab once the charts are drawn.
    QEventLoop loop;
    QObject::connect(
        window.dashboardPage(), &ui::DashboardPage::computationFinished, &loop, &QEventLoop::quit);
    QObject::connect(window.dashboardPage(), &ui::DashboardPage::computationFailed, &loop,
        [&loop, &code, &call](const QString &message) {
            code = call.fail(Error::storage(message));
            loop.quit();
        });
    window.showPage(ui::MainWindow::Page::Dashboard);
    if (window.dashboardPage()->isComputing())
        loop.exec();
    return code;
}

/// Puts the window on the requested page.
int showView(
    const Invocation &call, ui::MainWindow &window, const Request &r, const QString &studyName)
{
    if (!r.rater.isEmpty() && !storage::RaterRepository(*window.study()).byName(r.rater))
        return call.fail(
            Error::invalid(QStringLiteral("no rater '%1' in %2").arg(r.rater, studyName)));
    if (r.view == QLatin1String("rating"))
        return showRating(call, window, r, studyName);
    if (r.view == QLatin1String("review"))
        return showReview(call, window, r, studyName);
    const auto person = r.rater.isEmpty()
        ? std::nullopt
        : storage::RaterRepository(*window.study()).byName(r.rater);
    if (person && person->role != storage::RaterRole::Rater) {
        // The page as this adjudicator or researcher reaches it (RolePolicy), or an error.
        Error error;
        if (!window.signIn(r.rater, &error))
            return call.fail(error);
        const ui::MainWindow::Page page = r.view == QLatin1String("dashboard")
            ? ui::MainWindow::Page::Dashboard
            : ui::MainWindow::Page::Study;
        if (r.view != QLatin1String("welcome")
            && !window.policy().allows(page == ui::MainWindow::Page::Dashboard
                    ? ui::Feature::Dashboard
                    : ui::Feature::StudyOverview))
            return call.fail(Error::invalid(
                QStringLiteral("'%1' (%2) has no %3 page")
                    .arg(r.rater, ui::RolePolicy::roleName(window.policy().role()), r.view)));
        if (page == ui::MainWindow::Page::Study)
            window.showPage(page);
    }
    if (r.view == QLatin1String("dashboard"))
        return showDashboard(call, window, r);
    if (r.view == QLatin1String("planning")) {
        window.resize(r.width, r.height);
        ui::StudyPage *page = window.studyPage();
        if (!page || !page->tabs()->isTabVisible(1))
            return call.fail(Error::invalid(QStringLiteral("no planning tab for this role")));
        page->tabs()->setCurrentIndex(1); // computes on a worker
        while (page->isPlanningComputing())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        return ExitOk;
    }
    if (r.view == QLatin1String("study")) {
        if (person && person->role != storage::RaterRole::Rater)
            return ExitOk;
        if (!r.rater.isEmpty())
            window.studyPage()->setPreferredRater(r.rater);
    } else {
        window.closeStudy();
    }
    return ExitOk;
}

/// The visible scroll areas of the shown page, largest first.
QList<QAbstractScrollArea *> scrollAreas(ui::MainWindow &window)
{
    QList<QAbstractScrollArea *> areas;
    for (QAbstractScrollArea *a : window.findChildren<QAbstractScrollArea *>())
        if (a->isVisible() && a->verticalScrollBar())
            areas.append(a);
    std::stable_sort(areas.begin(), areas.end(), [](auto *a, auto *b) {
        return a->viewport()->height() * a->viewport()->width()
            > b->viewport()->height() * b->viewport()->width();
    });
    return areas;
}

void settle()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
}

/// Makes the window taller until none of its scroll areas scrolls (up to 16,000 px).
void growToFit(ui::MainWindow &window)
{
    for (int pass = 0; pass < 12; ++pass) {
        int hidden = 0;
        for (QAbstractScrollArea *a : scrollAreas(window))
            hidden = std::max(hidden, a->verticalScrollBar()->maximum());
        if (hidden == 0 || window.height() >= 16000)
            return;
        window.resize(window.width(), std::min(16000, window.height() + hidden + 8));
        settle();
    }
}

/// Opens the dialog `name` over the window (nullptr when this role or page has none).
QDialog *openDialog(ui::MainWindow &window, const QString &name)
{
    if (name == QLatin1String("shortcuts"))
        return window.showKeyboardShortcuts();
    if (name == QLatin1String("protocol"))
        return window.showProtocol();
    if (name == QLatin1String("preferences"))
        return window.showPreferences();
    if (name == QLatin1String("setup"))
        return window.showStudySetup();
    if (name == QLatin1String("llm"))
        return window.showLlmRun();
    if (name == QLatin1String("package"))
        return window.showPackageDialog();
    QDialog *dialog = nullptr;
    if (name == QLatin1String("newstudy"))
        dialog = new ui::NewStudyDialog(QDir::tempPath(), &window);
    else if (name == QLatin1String("export") && window.study())
        dialog = new ui::ExportDialog(*window.study(), &window);
    if (dialog) {
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    }
    return dialog;
}

int grab(const Invocation &call, ui::MainWindow &window, const Request &r)
{
    window.resize(r.width, r.height);
    window.show();
    settle();
    if (r.full)
        growToFit(window);
    if (r.scroll > 0)
        if (const QList<QAbstractScrollArea *> areas = scrollAreas(window); !areas.isEmpty()) {
            areas.front()->verticalScrollBar()->setValue(r.scroll);
            settle();
        }
    QPixmap shot = window.grab();
    if (!r.dialog.isEmpty()) {
        QDialog *dialog = openDialog(window, r.dialog);
        if (!dialog)
            return call.fail(Error::invalid(
                QStringLiteral("no %1 dialog on this page for this role").arg(r.dialog)));
        dialog->setAttribute(Qt::WA_DontShowOnScreen);
        settle();
        // As a window manager would: the dialog at its own size, at most the screen's.
        const QSize size = dialog->size().boundedTo(QSize(r.width, r.height));
        if (size != dialog->size())
            std::fprintf(stderr, "screenshot: the %s dialog (%dx%d) is larger than the window\n",
                qPrintable(r.dialog), dialog->width(), dialog->height());
        dialog->resize(size);
        settle();
        QPainter painter(&shot);
        painter.fillRect(shot.rect(), QColor(0, 0, 0, 60));
        const QPoint at((shot.width() / shot.devicePixelRatio() - size.width()) / 2,
            (shot.height() / shot.devicePixelRatio() - size.height()) / 3);
        painter.drawPixmap(at, dialog->grab());
        painter.setPen(QColor(0x80, 0x80, 0x80));
        painter.drawRect(QRect(at, size).adjusted(-1, -1, 0, 0));
        painter.end();
    }
    if (shot.isNull() || !shot.save(r.out, "PNG"))
        return call.fail(Error::storage(QStringLiteral("cannot write %1").arg(r.out)));
    return ExitOk;
}

} // namespace

int runScreenshot(const Invocation &call)
{
    Request r;
    if (const int code = readRequest(call, &r); code != ExitOk)
        return code;
    // Render from a clean slate: the user's own settings are neither read nor changed.
    QTemporaryDir settingsDir;
    if (!settingsDir.isValid())
        return call.fail(Error::storage(
            QStringLiteral("cannot create a temporary folder: ") + settingsDir.errorString()));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    if (r.dark) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(darkPalette());
    }
    ui::MainWindow window;
    window.setAttribute(Qt::WA_DontShowOnScreen);
    Error error;
    // A real study is rendered from a private copy: signing in to show the rating
    // page records a session and what was shown, and none of that belongs in the study.
    const QString copy = settingsDir.filePath(QFileInfo(r.study).fileName());
    const bool opened = r.demo
        ? window.openDemoStudy(&error)
        : storage::Study::copyFile(r.study, copy, &error) && window.openStudy(copy, &error);
    if (!opened)
        return call.fail(error);
    const QString demoPath = r.demo ? window.study()->path() : QString();
    int code =
        showView(call, window, r, r.demo ? demoPath : r.study); // messages name the user's file
    if (code == ExitOk)
        code = grab(call, window, r);
    if (r.demo) {
        window.closeStudy();
        removeStudyFiles(demoPath);
    }
    return code;
}

} // namespace cr::app
