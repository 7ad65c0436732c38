// Test-only child process for tst_concurrency (never installed, not the product binary).
// Rates a study through RatingSession for ROUNDS passes over the rater's items, then
// exits 0. PART is "all", or "even"/"odd" to touch only responses with even/odd ids
// (two instances of one rater on different responses; only "all"/"even" label items).
// After each write returned true and is in the file it prints "A <kind> <id> <value>": an
// acknowledged value. A write that fails prints "F <kind> <id> <message>" and the process exits
// with 3.

#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/ratingsession.h"

#include <QCoreApplication>
#include <QThread>
#include <QUndoStack>
#include <cstdio>

namespace {

void say(const char *kind, qint64 id, const QString &value)
{
    std::printf("A %s %lld %s\n", kind, static_cast<long long>(id), qPrintable(value));
    std::fflush(stdout);
}

/// A write the other instance's lock sent to the background writer is acknowledged
/// once it is in the file (RatingSession::pendingWrites(), issue 20 item 4).
bool landed(cr::ui::RatingSession &session)
{
    while (session.hasPendingWrites()) {
        if (session.hasFailedWrites())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

int failed(const char *kind, qint64 id, const QString &message)
{
    std::printf("F %s %lld %s\n", kind, static_cast<long long>(id), qPrintable(message));
    std::fflush(stdout);
    return 3;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5) {
        std::fprintf(stderr, "usage: cr_concurrency_child STUDY RATER all|even|odd ROUNDS\n");
        return 1;
    }
    const QString part = args.at(3);
    const int rounds = args.at(4).toInt();
    cr::storage::Error error;
    auto study = cr::storage::Study::open(args.at(1), &error);
    if (!study) {
        std::fprintf(stderr, "open: %s\n", qPrintable(error.message));
        return 3;
    }
    const auto rater = cr::storage::RaterRepository(*study).byName(args.at(2));
    if (!rater)
        return 1;
    static const char *const categories[] = { "suicidal_ideation", "self-harm", "anxiety_crisis",
        "violent_thoughts", "substance_abuse_or_withdrawal", "risk_taking_behaviours",
        "no_crisis" };
    const bool labels = part != QLatin1String("odd");
    cr::ui::RatingSession session;
    session.start(study.get(), *rater);
    session.undoStack()->setUndoLimit(16);
    for (int round = 0; round < rounds; ++round) {
        for (int index = 0; index < session.itemCount(); ++index) {
            session.setCurrentIndex(index);
            if (labels) {
                const QString category = QString::fromLatin1(categories[(round + index) % 7]);
                if (!session.setCategory(category) || !landed(session))
                    return failed("label", session.currentItemId(), session.errorString());
                say("label", session.currentItemId(), category);
            }
            for (qint64 response : session.responseIds()) {
                if ((part == QLatin1String("even") && response % 2 != 0)
                    || (part == QLatin1String("odd") && response % 2 == 0))
                    continue;
                const int score = int((response + round) % 5) + 1;
                if (!session.setScore(response, score) || !landed(session))
                    return failed("score", response, session.errorString());
                say("score", response, QString::number(score));
                const QString why = QStringLiteral("r%1-%2").arg(round).arg(args.at(2));
                if (!session.setRationale(response, why) || !landed(session))
                    return failed("rationale", response, session.errorString());
                say("rationale", response, why);
            }
        }
    }
    std::printf("done\n");
    std::fflush(stdout);
    return 0;
}
