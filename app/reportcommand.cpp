#include "app/reportcommand.h"

#include "app/cli.h"
#include "report/pdfreport.h"
#include "stats/stats.h"
#include "storage/study.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDate>
#include <cstdio>

namespace cr::app {

namespace {

constexpr auto kUsage =
    "usage: crisis-review report STUDY --out FILE.pdf [--raters human|llm|all|NAME,NAME]\n"
    "                             [--harm-threshold X] [--bootstrap N] [--seed S]\n"
    "                             [--category ID,...] [--model NAME,...] [--split NAME,...]\n"
    "                             [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                             [--confusion REFERENCE:PREDICTED]\n";

void printLine(const QString &text)
{
    std::fputs((text + QLatin1Char('\n')).toUtf8().constData(), stderr);
}

int usageError(const QString &text)
{
    printLine(QStringLiteral("crisis-review: ") + text);
    std::fputs(kUsage, stderr);
    return ExitUsage;
}

QStringList list(const QString &value)
{
    QStringList out;
    for (const QString &v : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.append(v.trimmed());
    return out;
}

} // namespace

int runReportCommand(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("crisis-review"));
    QApplication::setApplicationVersion(QStringLiteral(CR_VERSION));

    QCommandLineParser p;
    const auto opt = [](const char *name, const char *value, const char *fallback = nullptr) {
        return fallback
            ? QCommandLineOption(QLatin1String(name), QLatin1String(name), QLatin1String(value),
                QLatin1String(fallback))
            : QCommandLineOption(QLatin1String(name), QLatin1String(name), QLatin1String(value));
    };
    const QCommandLineOption out = opt("out", "FILE");
    const QCommandLineOption raters = opt("raters", "SEL", "human");
    const QCommandLineOption threshold = opt("harm-threshold", "X", "2");
    const QCommandLineOption bootstrap = opt("bootstrap", "N", "1000");
    const QCommandLineOption seed = opt("seed", "S", "1");
    const QCommandLineOption category = opt("category", "IDS");
    const QCommandLineOption model = opt("model", "NAMES");
    const QCommandLineOption split = opt("split", "NAMES");
    const QCommandLineOption from = opt("from", "DATE");
    const QCommandLineOption to = opt("to", "DATE");
    const QCommandLineOption confusion = opt("confusion", "A:B", "consensus:llm");
    p.addOptions(
        { out, raters, threshold, bootstrap, seed, category, model, split, from, to, confusion });
    if (!p.parse(QApplication::arguments()))
        return usageError(p.errorText());
    const QStringList positional = p.positionalArguments().mid(1); // after "report"
    if (positional.size() != 1)
        return usageError(QStringLiteral("report takes one STUDY"));
    if (p.value(out).isEmpty())
        return usageError(QStringLiteral("report needs --out FILE.pdf"));

    stats::StatsOptions options;
    bool okT = false, okB = false, okS = false;
    options.raters = storage::RaterSelection::fromString(p.value(raters));
    options.harmThreshold = p.value(threshold).toDouble(&okT);
    options.bootstrap = p.value(bootstrap).toInt(&okB);
    options.seed = p.value(seed).toULongLong(&okS);
    if (!okT || options.harmThreshold < 1 || options.harmThreshold > 5)
        return usageError(QStringLiteral("--harm-threshold must be a number from 1 to 5, got '%1'")
                              .arg(p.value(threshold)));
    if (!okB || options.bootstrap < 0 || !okS)
        return usageError(QStringLiteral("--bootstrap and --seed must be non-negative integers"));
    options.filter.categories = list(p.value(category));
    options.filter.models = list(p.value(model));
    options.filter.splits = list(p.value(split));
    for (const auto &[option, date] :
        { std::pair(&from, &options.filter.from), std::pair(&to, &options.filter.to) }) {
        if (!p.isSet(*option))
            continue;
        *date = QDate::fromString(p.value(*option), Qt::ISODate);
        if (!date->isValid())
            return usageError(QStringLiteral("--%1 must be a date YYYY-MM-DD, got '%2'")
                                  .arg(option->names().first(), p.value(*option)));
    }
    const QStringList sides = p.value(confusion).split(QLatin1Char(':'));
    if (sides.size() != 2 || sides[0].trimmed().isEmpty() || sides[1].trimmed().isEmpty())
        return usageError(
            QStringLiteral("--confusion must be REFERENCE:PREDICTED (e.g. consensus:llm), got '%1'")
                .arg(p.value(confusion)));
    options.confusionReference = sides[0].trimmed();
    options.confusionPredicted = sides[1].trimmed();

    storage::Error error;
    const auto study = storage::Study::open(positional.first(), &error);
    if (!study) {
        printLine(QStringLiteral("crisis-review: ") + error.message);
        return error.kind == storage::ErrorKind::InvalidInput ? ExitInvalidInput : ExitStorage;
    }
    printLine(QStringLiteral("report: computing statistics…"));
    const auto document = stats::computeStats(*study, options, &error);
    if (!document) {
        printLine(QStringLiteral("crisis-review: ") + error.message);
        return error.kind == storage::ErrorKind::InvalidInput ? ExitInvalidInput : ExitStorage;
    }
    QString message;
    const bool ok = report::writeStudyReport(
        *study, options, *document, p.value(out), &message, [](int done, int total) {
            printLine(QStringLiteral("report: chart %1 of %2").arg(done).arg(total));
        });
    if (!ok) {
        printLine(QStringLiteral("crisis-review: ") + message);
        return ExitStorage;
    }
    printLine(QStringLiteral("report: wrote %1").arg(p.value(out)));
    return ExitOk;
}

} // namespace cr::app
