// The GUI step of the README's "Multi-site study on a server" walk (tests/pg/readme.sh):
// `crisis-review URI --rater NAME` on the offscreen platform. The window asks for the
// password (CR_README_PASSWORD answers the dialog, as the person would type it), opens
// the rater's rating page, scores the first response of the first item 4 and waits until
// the server acknowledged it. Exit 0 when the rating is in the study.

#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/mainwindow.h"
#include "ui/passwordstore.h"
#include "ui/ratingpage.h"
#include "ui/ratingsession.h"
#include "ui/serverlogin.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QLineEdit>
#include <QTimer>
#include <cstdio>

using namespace cr;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CrisisReview"));
    QCoreApplication::setApplicationName(QStringLiteral("crisis-review"));
    const QStringList args = app.arguments();
    if (args.size() != 4 || args.at(2) != QLatin1String("--rater")) {
        std::fprintf(stderr, "usage: readmerater URI --rater NAME\n");
        return 2;
    }
    const QString password = qEnvironmentVariable("CR_README_PASSWORD");
    int asked = 0;
    QTimer answer;
    answer.setInterval(20);
    QObject::connect(&answer, &QTimer::timeout, &app, [&] {
        auto *dialog = qobject_cast<ui::ServerPasswordDialog *>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isVisible() || dialog->passwordEdit()->text() == password)
            return;
        ++asked;
        std::fprintf(stderr, "readmerater: the app asks: %s\n", qPrintable(dialog->message()));
        if (asked > 1 || password.isEmpty()) {
            dialog->reject();
            return;
        }
        dialog->passwordEdit()->setText(password);
        dialog->accept();
    });
    answer.start();

    ui::MainWindow window;
    window.setPasswordStore(std::make_unique<ui::MemoryPasswordStore>());
    window.resize(1280, 860);
    window.show();
    storage::Error e;
    if (!window.openStudyAs(args.at(1), args.at(3), &e)) {
        std::fprintf(stderr, "readmerater: %s\n", qPrintable(e.message));
        return 1;
    }
    ui::RatingPage *page = window.ratingPage();
    if (!page || window.currentPage() != ui::MainWindow::Page::Rating
        || !page->session()->currentAssignment() || page->session()->responseIds().isEmpty()) {
        std::fprintf(stderr, "readmerater: no rating page with an item\n");
        return 1;
    }
    ui::RatingSession *session = page->session();
    const qint64 response = session->responseIds().first();
    if (!session->setScore(response, 4)) {
        std::fprintf(stderr, "readmerater: %s\n", qPrintable(session->errorString()));
        return 1;
    }
    const QDeadlineTimer deadline(30000);
    while (session->pendingWrites() > 0 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const auto stored =
        storage::RatingRepository(*window.study()).responseRating(response, session->rater().id);
    if (!stored || stored->score != 4) {
        std::fprintf(stderr, "readmerater: the rating is not in the study\n");
        return 1;
    }
    std::printf("rated response %lld: 4 (password asked %d time(s))\n", response, asked);
    return 0;
}
