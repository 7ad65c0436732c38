#include "app/handlers.h"
#include "report/pdfreport.h"
#include "stats/stats.h"
#include "storage/ratingdata.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QDate>

namespace cr::app {

namespace {

QCommandLineOption option(const char *name, const char *value, const char *fallback = nullptr)
{
    return fallback
        ? QCommandLineOption(
            QLatin1String(name), QLatin1String(name), QLatin1String(value), QLatin1String(fallback))
        : QCommandLineOption(QLatin1String(name), QLatin1String(name), QLatin1String(value));
}

struct ReportFlags {
    QCommandLineOption out = option("out", "FILE");
    QCommandLineOption raters = option("raters", "SEL", "human");
    QCommandLineOption threshold = option("harm-threshold", "X", "2");
    QCommandLineOption bootstrap = option("bootstrap", "N", "1000");
    QCommandLineOption seed = option("seed", "S", "1");
    QCommandLineOption category = option("category", "IDS");
    QCommandLineOption model = option("model", "NAMES");
    QCommandLineOption split = option("split", "NAMES");
    QCommandLineOption dataset = option("dataset", "FILES");
    QCommandLineOption from = option("from", "DATE");
    QCommandLineOption to = option("to", "DATE");
    QCommandLineOption confusion = option("confusion", "A:B", "consensus:llm");

    QList<QCommandLineOption> all() const
    {
        return { out, raters, threshold, bootstrap, seed, category, model, split, dataset, from, to,
            confusion };
    }
};

/// The statistics options the flags give; a usage error (returned) when one is not valid.
int readOptions(const Invocation &call, const QCommandLineParser &p, const ReportFlags &f,
    stats::StatsOptions *options)
{
    bool okT = false, okB = false, okS = false;
    options->raters = storage::RaterSelection::fromString(p.value(f.raters));
    options->harmThreshold = p.value(f.threshold).toDouble(&okT);
    options->bootstrap = p.value(f.bootstrap).toInt(&okB);
    options->seed = p.value(f.seed).toULongLong(&okS);
    if (!okT || options->harmThreshold < 1 || options->harmThreshold > 5)
        return call.usageError(
            QStringLiteral("--harm-threshold must be a number from 1 to 5, got '%1'")
                .arg(p.value(f.threshold)));
    if (!okB || options->bootstrap < 0 || !okS)
        return call.usageError(
            QStringLiteral("--bootstrap and --seed must be non-negative integers"));
    options->filter.categories = listValue(p.value(f.category));
    options->filter.models = listValue(p.value(f.model));
    options->filter.splits = listValue(p.value(f.split));
    options->filter.datasets = listValue(p.value(f.dataset));
    for (const auto &[flag, date] :
        { std::pair(&f.from, &options->filter.from), std::pair(&f.to, &options->filter.to) }) {
        if (!p.isSet(*flag))
            continue;
        *date = QDate::fromString(p.value(*flag), Qt::ISODate);
        if (!date->isValid())
            return call.usageError(QStringLiteral("--%1 must be a date YYYY-MM-DD, got '%2'")
                                       .arg(flag->names().first(), p.value(*flag)));
    }
    const QStringList sides = p.value(f.confusion).split(QLatin1Char(':'));
    if (sides.size() != 2 || sides[0].trimmed().isEmpty() || sides[1].trimmed().isEmpty())
        return call.usageError(
            QStringLiteral("--confusion must be REFERENCE:PREDICTED (e.g. consensus:llm), got '%1'")
                .arg(p.value(f.confusion)));
    options->confusionReference = sides[0].trimmed();
    options->confusionPredicted = sides[1].trimmed();
    return ExitOk;
}

} // namespace

int runReport(const Invocation &call)
{
    const ReportFlags flags;
    QCommandLineParser p;
    p.addOptions(flags.all());
    if (!p.parse(QStringList { QStringLiteral("crisis-review") } + call.args()))
        return call.usageError(p.errorText());
    const QStringList positional = p.positionalArguments();
    if (positional.size() != 1)
        return call.usageError(QStringLiteral("report takes one STUDY"));
    if (p.value(flags.out).isEmpty())
        return call.usageError(QStringLiteral("report needs --out FILE.pdf or FILE.html"));
    stats::StatsOptions options;
    if (const int code = readOptions(call, p, flags, &options); code != ExitOk)
        return code;

    storage::Error error;
    const auto study = storage::Study::open(positional.first(), &error);
    if (!study)
        return call.fail(error);
    if (!storage::validateScope(*study, &options.filter.datasets, options.filter.splits, &error))
        return call.fail(error);
    call.message(QStringLiteral("report: computing statistics…"));
    const auto document = stats::computeStats(*study, options, &error);
    if (!document)
        return call.fail(error);
    QString message;
    const bool ok = report::writeStudyReport(
        *study, options, *document, p.value(flags.out), &message, [&call](int done, int total) {
            call.message(QStringLiteral("report: chart %1 of %2").arg(done).arg(total));
        });
    if (!ok) {
        call.message(QStringLiteral("crisis-review: ") + message);
        return ExitStorage;
    }
    call.message(QStringLiteral("report: wrote %1").arg(p.value(flags.out)));
    return ExitOk;
}

} // namespace cr::app
