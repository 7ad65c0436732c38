#include "app/handlers.h"
#include "storage/exporter.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QFile>

namespace cr::app {

namespace {

struct ExportFlags {
    QCommandLineOption format { QStringLiteral("format"), QStringLiteral("Format"),
        QStringLiteral("F") };
    QCommandLineOption out { QStringLiteral("out"), QStringLiteral("Output file"),
        QStringLiteral("FILE") };
    QCommandLineOption threshold { QStringLiteral("harm-threshold"),
        QStringLiteral("Harm threshold"), QStringLiteral("X"), QStringLiteral("2") };
    QCommandLineOption category { QStringLiteral("category"),
        QStringLiteral("Consensus categories"), QStringLiteral("IDS") };
    QCommandLineOption model { QStringLiteral("model"), QStringLiteral("Models"),
        QStringLiteral("NAMES") };
    QCommandLineOption split { QStringLiteral("split"), QStringLiteral("Split"),
        QStringLiteral("NAME") };
    QCommandLineOption dataset { QStringLiteral("dataset"), QStringLiteral("Dataset file or name"),
        QStringLiteral("FILE") };
    QCommandLineOption provenance { QStringLiteral("provenance"),
        QStringLiteral("Consensus provenance"), QStringLiteral("HOW") };
    QCommandLineOption minRaters { QStringLiteral("min-raters"), QStringLiteral("Minimum raters"),
        QStringLiteral("N"), QStringLiteral("0") };
    QCommandLineOption raters { QStringLiteral("raters"), QStringLiteral("Rater selection"),
        QStringLiteral("SEL") };
    QCommandLineOption realNames { QStringLiteral("real-names"),
        QStringLiteral("Real rater names") };
    QCommandLineOption rater { QStringLiteral("rater"), QStringLiteral("Bundle rater"),
        QStringLiteral("NAME") };
    QCommandLineOption rawCells { QStringLiteral("raw-cells"),
        QStringLiteral("CSV cells as they are (no ' before =, +, -, @, ', tab, CR)") };
    QCommandLineOption categorySource { QStringLiteral("category-source"),
        QStringLiteral("Item category: consensus, reference or RATER,RATER"),
        QStringLiteral("SOURCE") };

    QList<QCommandLineOption> all() const
    {
        return { format, out, threshold, category, model, split, dataset, provenance, minRaters,
            raters, realNames, rater, rawCells, categorySource };
    }
};

/// The export options the flags give; false when one is not valid.
bool readOptions(const QCommandLineParser &p, const ExportFlags &f, storage::ExportOptions *options)
{
    const auto format = storage::Exporter::formatFromString(p.value(f.format));
    bool okT = false, okN = false;
    options->harmThreshold = p.value(f.threshold).toDouble(&okT);
    const auto list = [&](const QCommandLineOption &o) {
        return p.value(o).split(QLatin1Char(','), Qt::SkipEmptyParts);
    };
    options->filters.categories = list(f.category);
    options->filters.models = list(f.model);
    options->filters.split = p.value(f.split);
    options->filters.dataset = p.value(f.dataset);
    options->filters.provenance = list(f.provenance);
    options->filters.minRaters = p.value(f.minRaters).toInt(&okN);
    if (p.isSet(f.raters))
        options->filters.raters = storage::RaterSelection::fromString(p.value(f.raters));
    options->realNames = p.isSet(f.realNames);
    options->rawCells = p.isSet(f.rawCells);
    options->bundleRater = p.value(f.rater);
    if (p.isSet(f.categorySource)) {
        if (p.value(f.categorySource).trimmed().isEmpty())
            return false;
        options->filters.categorySource =
            storage::CategorySource::fromString(p.value(f.categorySource));
    }
    if (!format || !okT || !okN || options->filters.minRaters < 0
        || (p.isSet(f.rater) && *format != storage::ExportFormat::Bundle))
        return false;
    options->format = *format;
    return true;
}

} // namespace

int runExport(const Invocation &call)
{
    const ExportFlags flags;
    QCommandLineParser p;
    p.addOptions(flags.all());
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    storage::ExportOptions options;
    if (!readOptions(p, flags, &options))
        return call.usageError();
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::Exporter exporter(*study);
    storage::Error e;
    if (!p.isSet(flags.out)) {
        QFile out;
        if (!out.open(call.out(), QIODevice::WriteOnly)) {
            call.message(QStringLiteral("crisis-review: cannot write to standard output"));
            return ExitStorage;
        }
        return exporter.write(out, options, &e) < 0 ? call.fail(e) : ExitOk;
    }
    const QString path = p.value(flags.out);
    QString manifestPath;
    const qint64 rows = exporter.writeFile(path, options, &e, &manifestPath);
    if (rows < 0)
        return call.fail(e);
    call.print(QStringLiteral("Exported %1 row(s) to %2 (manifest: %3)\n")
                   .arg(rows)
                   .arg(path, manifestPath));
    return ExitOk;
}

} // namespace cr::app
