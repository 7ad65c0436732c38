#include "app/handlers.h"
#include "stats/stats.h"
#include "stats/statsjson.h"
#include "stats/statstext.h"
#include "storage/ratingdata.h"
#include "storage/study.h"

#include <QCommandLineParser>

namespace cr::app {

int runStats(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
    const QCommandLineOption ratersOpt(QStringLiteral("raters"), QStringLiteral("Rater selection"),
        QStringLiteral("SEL"), QStringLiteral("human"));
    const QCommandLineOption thresholdOpt(QStringLiteral("harm-threshold"),
        QStringLiteral("Harm threshold"), QStringLiteral("X"), QStringLiteral("2"));
    const QCommandLineOption bootstrapOpt(QStringLiteral("bootstrap"),
        QStringLiteral("Bootstrap resamples"), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption seedOpt(
        QStringLiteral("seed"), QStringLiteral("Seed"), QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption fleissAllOpt(QStringLiteral("fleiss-all"),
        QStringLiteral("One Fleiss' kappa over all clinicians and LLMs"));
    const QCommandLineOption datasetOpt(QStringLiteral("dataset"),
        QStringLiteral("Dataset files or names"), QStringLiteral("FILES"));
    const QCommandLineOption splitOpt(
        QStringLiteral("split"), QStringLiteral("Splits"), QStringLiteral("NAMES"));
    p.addOptions({ jsonOpt, ratersOpt, thresholdOpt, bootstrapOpt, seedOpt, fleissAllOpt,
        datasetOpt, splitOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    stats::StatsOptions options;
    bool okT = false, okB = false, okS = false;
    options.raters = storage::RaterSelection::fromString(p.value(ratersOpt));
    options.harmThreshold = p.value(thresholdOpt).toDouble(&okT);
    options.bootstrap = p.value(bootstrapOpt).toInt(&okB);
    options.seed = p.value(seedOpt).toULongLong(&okS);
    options.fleissAll = p.isSet(fleissAllOpt);
    options.filter.datasets = listValue(p.value(datasetOpt));
    options.filter.splits = listValue(p.value(splitOpt));
    if (!okT || !okB || !okS || options.bootstrap < 0 || options.harmThreshold < 1
        || options.harmThreshold > 5)
        return call.usageError(QStringLiteral(
            "--harm-threshold must be 1-5, --bootstrap and --seed non-negative integers"));
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::Error e;
    if (!storage::validateScope(*study, &options.filter.datasets, options.filter.splits, &e))
        return call.fail(e);
    const auto result = stats::computeStats(*study, options, &e);
    if (!result)
        return call.fail(e);
    call.print(p.isSet(jsonOpt) ? QString::fromUtf8(stats::toJsonText(*result))
                                : stats::statsToText(*result));
    return ExitOk;
}

} // namespace cr::app
