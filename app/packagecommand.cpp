#include "app/handlers.h"
#include "storage/package.h"
#include "storage/study.h"

#include <QCommandLineParser>

namespace cr::app {

int runPackage(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption raterOpt(
        QStringLiteral("rater"), QStringLiteral("Rater"), QStringLiteral("NAME"));
    const QCommandLineOption outOpt(
        QStringLiteral("out"), QStringLiteral("Package file"), QStringLiteral("FILE"));
    p.addOptions({ raterOpt, outOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    if (!p.isSet(raterOpt) || !p.isSet(outOpt))
        return call.usageError(QStringLiteral("package needs --rater NAME and --out FILE"));
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    int lastPercent = -1;
    const auto progress = [&](qint64 done, qint64 total) {
        const int percent = total > 0 ? int(done * 100 / total) : 100;
        if (percent / 10 != lastPercent / 10 && total >= 200) {
            lastPercent = percent;
            call.message(QStringLiteral("package: %1%").arg(percent));
        }
    };
    storage::Error e;
    const auto summary =
        storage::writeRaterPackage(*study, p.value(raterOpt), p.value(outOpt), progress, &e);
    if (!summary)
        return call.fail(e);
    call.print(QStringLiteral("Wrote rater package %1 for '%2' (package %3): %4 item(s), %5 "
                              "response(s), %6 label(s), %7 rating(s), %8 skipped\n")
                   .arg(p.value(outOpt), summary->rater, summary->packageId)
                   .arg(summary->items)
                   .arg(summary->responses)
                   .arg(summary->labels)
                   .arg(summary->ratings)
                   .arg(summary->skipped));
    return ExitOk;
}

} // namespace cr::app
