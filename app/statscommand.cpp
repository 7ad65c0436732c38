#include "analysis/summaries.h"
#include "app/handlers.h"
#include "stats/stats.h"
#include "stats/statsjson.h"
#include "stats/statstext.h"
#include "storage/ratingdata.h"
#include "storage/study.h"

#include <QCommandLineParser>

namespace cr::app {

namespace {

/// Reads `--bands` cut points ("2.3,3.6"); returns what is wrong, empty when valid.
QString parseBands(const QString &text, QList<double> *cuts)
{
    std::vector<double> values;
    for (const QString &part : text.split(QLatin1Char(','))) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            return QStringLiteral("'%1' is not a number").arg(part.trimmed());
        values.push_back(v);
    }
    if (const std::string problem = analysis::checkBandCuts(values); !problem.empty())
        return QString::fromStdString(problem);
    *cuts = QList<double>(values.cbegin(), values.cend());
    return {};
}

} // namespace

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
    const QCommandLineOption bandsOpt(QStringLiteral("bands"),
        QStringLiteral("Score band cut points, e.g. 2.3,3.6"), QStringLiteral("CUTS"));
    const QCommandLineOption sourceOpt(QStringLiteral("category-source"),
        QStringLiteral("Category of harm by category: consensus, reference or RATER,RATER"),
        QStringLiteral("SOURCE"));
    const QCommandLineOption emptyOpt(QStringLiteral("empty-label-as-category"),
        QStringLiteral("Count empty LLM labels as a category of their own"));
    const QCommandLineOption planOpt(QStringLiteral("plan-width"),
        QStringLiteral("Planning: items needed for a 95% interval of this width"),
        QStringLiteral("W"));
    p.addOptions({ jsonOpt, ratersOpt, thresholdOpt, bootstrapOpt, seedOpt, fleissAllOpt,
        datasetOpt, splitOpt, bandsOpt, sourceOpt, emptyOpt, planOpt });
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
    options.emptyLabelAsCategory = p.isSet(emptyOpt);
    options.filter.datasets = listValue(p.value(datasetOpt));
    options.filter.splits = listValue(p.value(splitOpt));
    if (!okT || !okB || !okS || options.bootstrap < 0 || options.harmThreshold < 1
        || options.harmThreshold > 5)
        return call.usageError(QStringLiteral(
            "--harm-threshold must be 1-5, --bootstrap and --seed non-negative integers"));
    if (p.isSet(bandsOpt)) {
        const QString problem = parseBands(p.value(bandsOpt), &options.bands);
        if (!problem.isEmpty())
            return call.usageError(
                QStringLiteral("--bands %1: %2").arg(p.value(bandsOpt), problem));
    }
    if (p.isSet(planOpt)) {
        bool ok = false;
        options.planWidth = p.value(planOpt).toDouble(&ok);
        if (!ok || !(options.planWidth > 0) || options.planWidth >= 1)
            return call.usageError(
                QStringLiteral("--plan-width must be a width between 0 and 1 (e.g. 0.1), got '%1'")
                    .arg(p.value(planOpt)));
    }
    if (p.isSet(sourceOpt)) {
        options.categorySource = p.value(sourceOpt).trimmed();
        if (options.categorySource.isEmpty())
            return call.usageError(QStringLiteral(
                "--category-source must be consensus, reference or a list of raters"));
    }
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
