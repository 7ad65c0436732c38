#include "app/handlers.h"
#include "llm/sampler.h"
#include "storage/study.h"

#include <QCommandLineParser>

namespace cr::app {

int runSample(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption fromOpt(
        QStringLiteral("from"), QStringLiteral("pool study"), QStringLiteral("POOL"));
    const QCommandLineOption perOpt(
        QStringLiteral("per"), QStringLiteral("strata"), QStringLiteral("dataset|category"));
    const QCommandLineOption nOpt(
        QStringLiteral("n"), QStringLiteral("per stratum"), QStringLiteral("N"));
    const QCommandLineOption sizesOpt(
        QStringLiteral("sizes"), QStringLiteral("per named stratum"), QStringLiteral("a=N,..."));
    const QCommandLineOption seedOpt(
        QStringLiteral("seed"), QStringLiteral("seed"), QStringLiteral("S"));
    const QCommandLineOption excludeOpt(QStringLiteral("exclude"),
        QStringLiteral("study to keep disjoint"), QStringLiteral("OTHER"));
    const QCommandLineOption splitOpt(
        QStringLiteral("split"), QStringLiteral("split"), QStringLiteral("NAME"));
    const QCommandLineOption sourceOpt(QStringLiteral("category-source"),
        QStringLiteral("classifier or a rater"), QStringLiteral("classifier|RATER"));
    p.addOptions({ fromOpt, perOpt, nOpt, sizesOpt, seedOpt, excludeOpt, splitOpt, sourceOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    if (!p.isSet(fromOpt) || !p.isSet(perOpt) || !p.isSet(seedOpt))
        return call.usageError(QStringLiteral("--from, --per and --seed are required"));
    llm::SampleOptions options;
    options.poolPath = p.value(fromOpt);
    options.per = p.value(perOpt);
    bool ok = false;
    options.seed = p.value(seedOpt).toULongLong(&ok);
    if (!ok)
        return call.usageError(QStringLiteral("--seed must be a non-negative integer"));
    if (p.isSet(nOpt)) {
        options.n = p.value(nOpt).toInt(&ok);
        if (!ok)
            return call.usageError(QStringLiteral("--n must be an integer"));
    }
    for (const QString &entry : listValue(p.value(sizesOpt))) {
        const qsizetype eq = entry.lastIndexOf(QLatin1Char('='));
        const int size = eq > 0 ? entry.mid(eq + 1).toInt(&ok) : 0;
        if (eq <= 0 || !ok)
            return call.usageError(QStringLiteral("--sizes takes NAME=N,...: %1").arg(entry));
        options.sizes.insert(entry.left(eq), size);
    }
    options.exclude = p.values(excludeOpt);
    options.split = p.value(splitOpt);
    if (p.isSet(sourceOpt)) {
        if (options.per != QLatin1String("category"))
            return call.usageError(QStringLiteral("--category-source needs --per category"));
        options.categorySource = p.value(sourceOpt);
    }
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::Error error;
    const auto report = llm::drawSample(*study, options, &error);
    if (!report)
        return call.fail(error);
    for (auto it = report->strata.cbegin(); it != report->strata.cend(); ++it)
        call.print(
            QStringLiteral("%1 %2: drew %3 of %4 requested (%5 in the pool)%6\n")
                .arg(options.per, it.key().isEmpty() ? QStringLiteral("(none)") : it.key())
                .arg(it->drawn)
                .arg(it->requested)
                .arg(it->available)
                .arg(it->drawn < it->requested ? QStringLiteral(": too few left") : QString()));
    call.print(QStringLiteral("Added %1 items; skipped %2 exact duplicates, %3 in excluded "
                              "studies, %4 already in the study%5; pool %6, seed %7\n")
                   .arg(report->added)
                   .arg(report->duplicates)
                   .arg(report->excluded)
                   .arg(report->inStudy)
                   .arg(options.per == QLatin1String("category")
                           ? QStringLiteral(", %1 without a category").arg(report->noCategory)
                           : QString())
                   .arg(report->poolHash.left(12))
                   .arg(options.seed));
    return ExitOk;
}

} // namespace cr::app
