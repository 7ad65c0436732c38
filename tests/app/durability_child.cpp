// Test-only child process for tst_durability (never installed, not the product binary).
// Rates a study through RatingSession, the code path of the rating page, forever, from
// item START on (so that kills land throughout the item list): before each write it
// prints "W <kind> <id> <value>", after the write returned true "A <kind> <id> <value>"
// — an acknowledged value; "I <index>" when it moves to an item. The parent kills it
// with SIGKILL.

#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/ratingsession.h"

#include <QCoreApplication>
#include <QUndoStack>
#include <cstdio>

namespace {

void say(char what, const char *kind, qint64 id, const QString &value)
{
    std::printf("%c %s %lld %s\n", what, kind, static_cast<long long>(id), qPrintable(value));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5) {
        std::fprintf(stderr, "usage: cr_durability_child STUDY RATER ROUND START\n");
        return 1;
    }
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
    cr::ui::RatingSession session;
    session.start(study.get(), *rater);
    session.undoStack()->setUndoLimit(16);
    std::printf("ready\n");
    std::fflush(stdout);
    const int count = session.itemCount();
    if (count == 0)
        return 1;
    const int start = args.at(4).toInt() % count;
    for (qint64 round = args.at(3).toLongLong();; ++round) {
        for (int step = 0; step < count; ++step) {
            const int index = (start + step) % count;
            session.setCurrentIndex(index);
            std::printf("I %d\n", index);
            const QString category = QString::fromLatin1(categories[(round + index) % 7]);
            say('W', "label", session.currentItemId(), category);
            if (!session.setCategory(category))
                return 3;
            say('A', "label", session.currentItemId(), category);
            for (qint64 response : session.responseIds()) {
                const int score = int((response + round) % 5) + 1;
                const QString value = QString::number(score);
                say('W', "score", response, value);
                if (!session.setScore(response, score))
                    return 3;
                say('A', "score", response, value);
            }
        }
    }
}
