#include "app/cli.h"

#include "app/disagreements.h"
#include "protocol/protocol.h"
#include "stats/stats.h"
#include "storage/exporter.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "storage/studyinfo.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <algorithm>
#include <unistd.h>

namespace cr::app {

namespace {

using storage::Error;
using storage::ErrorKind;

const QStringList available { QStringLiteral("init"), QStringLiteral("rater"),
    QStringLiteral("assign"), QStringLiteral("import"), QStringLiteral("info"),
    QStringLiteral("stats"), QStringLiteral("export"), QStringLiteral("disagreements") };
const QStringList later {};

class Cli {
public:
    Cli(std::FILE *out, std::FILE *err)
        : m_out(out)
        , m_err(err)
    {
    }

    int run(const QStringList &args)
    {
        const QString command = args.value(0);
        const QStringList rest = args.mid(1);
        if (command == QLatin1String("init"))
            return init(rest);
        if (command == QLatin1String("rater"))
            return rater(rest);
        if (command == QLatin1String("assign"))
            return assign(rest);
        if (command == QLatin1String("import"))
            return importFiles(rest);
        if (command == QLatin1String("info"))
            return info(rest);
        if (command == QLatin1String("stats"))
            return stats(rest);
        if (command == QLatin1String("export"))
            return exportStudy(rest);
        if (command == QLatin1String("disagreements"))
            return disagreements(rest);
        if (later.contains(command)) {
            message(
                QStringLiteral("crisis-review %1: not available yet in this version").arg(command));
            return ExitUsage;
        }
        message(QStringLiteral("crisis-review: unknown command '%1'").arg(command));
        return ExitUsage;
    }

private:
    void print(const QString &text) { std::fputs(text.toUtf8().constData(), m_out); }
    void message(const QString &text)
    {
        std::fputs((text + QLatin1Char('\n')).toUtf8().constData(), m_err);
    }

    /// Parses options; returns false (after printing usage) on error. `positional`
    /// gets the positional arguments, which must number between min and max.
    bool parse(QCommandLineParser &parser, const QString &usage, const QStringList &args, int min,
        int max, QStringList *positional)
    {
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        QStringList argv { QStringLiteral("crisis-review") };
        argv += args;
        if (!parser.parse(argv)) {
            message(QStringLiteral("crisis-review: %1\nusage: crisis-review %2")
                        .arg(parser.errorText(), usage));
            return false;
        }
        *positional = parser.positionalArguments();
        if (positional->size() < min || (max >= 0 && positional->size() > max)) {
            message(QStringLiteral("usage: crisis-review ") + usage);
            return false;
        }
        return true;
    }

    int fail(const Error &e)
    {
        message(QStringLiteral("crisis-review: ") + e.message);
        return e.kind == ErrorKind::InvalidInput ? ExitInvalidInput : ExitStorage;
    }

    std::unique_ptr<storage::Study> openStudy(const QString &path, int *code)
    {
        Error e;
        auto study = storage::Study::open(path, &e);
        if (!study)
            *code = fail(e);
        else
            study->setActor(QStringLiteral("cli"));
        return study;
    }

    int init(const QStringList &args)
    {
        const QString usage = QStringLiteral("init STUDY [--protocol FILE] [--title TEXT]");
        QCommandLineParser p;
        const QCommandLineOption protocolOpt(
            QStringLiteral("protocol"), QStringLiteral("Protocol JSON"), QStringLiteral("FILE"));
        const QCommandLineOption titleOpt(
            QStringLiteral("title"), QStringLiteral("Study title"), QStringLiteral("TEXT"));
        p.addOptions({ protocolOpt, titleOpt });
        QStringList pos;
        if (!parse(p, usage, args, 1, 1, &pos))
            return ExitUsage;
        protocol::Protocol proto = protocol::defaultProtocol();
        if (p.isSet(protocolOpt)) {
            QString problem;
            auto loaded = protocol::loadProtocolFile(p.value(protocolOpt), &problem);
            if (!loaded) {
                message(QStringLiteral("crisis-review: ") + problem);
                return ExitInvalidInput;
            }
            proto = *loaded;
        }
        const QString title =
            p.isSet(titleOpt) ? p.value(titleOpt) : QFileInfo(pos[0]).completeBaseName();
        Error e;
        auto study = storage::Study::create(pos[0], proto, title, &e);
        if (!study)
            return fail(e);
        print(QStringLiteral("Created %1 (protocol %2 %3)\n")
                  .arg(pos[0], proto.version, proto.contentHash().left(12)));
        return ExitOk;
    }

    int rater(const QStringList &args)
    {
        const QString sub = args.value(0);
        if (sub == QLatin1String("add")) {
            const QString usage = QStringLiteral("rater add STUDY NAME [--kind human|llm] "
                                                 "[--role rater|adjudicator|researcher]");
            QCommandLineParser p;
            const QCommandLineOption kindOpt(QStringLiteral("kind"), QStringLiteral("human or llm"),
                QStringLiteral("KIND"), QStringLiteral("human"));
            const QCommandLineOption roleOpt(QStringLiteral("role"), QStringLiteral("Role"),
                QStringLiteral("ROLE"), QStringLiteral("rater"));
            p.addOptions({ kindOpt, roleOpt });
            QStringList pos;
            if (!parse(p, usage, args.mid(1), 2, 2, &pos))
                return ExitUsage;
            const auto kind = storage::raterKindFromString(p.value(kindOpt));
            const auto role = storage::raterRoleFromString(p.value(roleOpt));
            if (!kind || !role) {
                message(QStringLiteral("crisis-review: --kind must be human or llm and --role "
                                       "rater, adjudicator or researcher"));
                return ExitUsage;
            }
            int code = ExitOk;
            auto study = openStudy(pos[0], &code);
            if (!study)
                return code;
            Error e;
            const auto r = storage::RaterRepository(*study).add(pos[1], *kind, *role, &e);
            if (!r)
                return fail(e);
            print(QStringLiteral("Added rater %1 (%2, %3) as %4\n")
                      .arg(r->name, storage::toString(r->kind), storage::toString(r->role),
                          r->pseudonym));
            return ExitOk;
        }
        if (sub == QLatin1String("list")) {
            QCommandLineParser p;
            const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
            p.addOption(jsonOpt);
            QStringList pos;
            if (!parse(p, QStringLiteral("rater list STUDY [--json]"), args.mid(1), 1, 1, &pos))
                return ExitUsage;
            int code = ExitOk;
            auto study = openStudy(pos[0], &code);
            if (!study)
                return code;
            const auto raters = storage::RaterRepository(*study).all();
            if (p.isSet(jsonOpt)) {
                QJsonArray array;
                for (const auto &r : raters)
                    array.append(QJsonObject { { QStringLiteral("name"), r.name },
                        { QStringLiteral("kind"), storage::toString(r.kind) },
                        { QStringLiteral("role"), storage::toString(r.role) },
                        { QStringLiteral("pseudonym"), r.pseudonym } });
                print(QString::fromUtf8(QJsonDocument(array).toJson()));
            } else {
                for (const auto &r : raters)
                    print(QStringLiteral("%1\t%2\t%3\t%4\n")
                              .arg(r.pseudonym, r.name, storage::toString(r.kind),
                                  storage::toString(r.role)));
            }
            return ExitOk;
        }
        message(QStringLiteral(
            "usage: crisis-review rater add STUDY NAME [--kind human|llm] [--role ROLE]\n"
            "       crisis-review rater list STUDY [--json]"));
        return ExitUsage;
    }

    int assign(const QStringList &args)
    {
        const QString usage = QStringLiteral("assign STUDY --raters NAME,NAME... --per-item K "
                                             "[--seed S] [--calibration ITEM_ID,...]");
        QCommandLineParser p;
        const QCommandLineOption ratersOpt(
            QStringLiteral("raters"), QStringLiteral("Raters"), QStringLiteral("NAMES"));
        const QCommandLineOption perItemOpt(
            QStringLiteral("per-item"), QStringLiteral("Raters per item"), QStringLiteral("K"));
        const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Seed"),
            QStringLiteral("S"), QStringLiteral("1"));
        const QCommandLineOption calibrationOpt(QStringLiteral("calibration"),
            QStringLiteral("Items every rater gets"), QStringLiteral("IDS"));
        p.addOptions({ ratersOpt, perItemOpt, seedOpt, calibrationOpt });
        QStringList pos;
        if (!parse(p, usage, args, 1, 1, &pos))
            return ExitUsage;
        bool okK = false, okSeed = false;
        const int perItem = p.value(perItemOpt).toInt(&okK);
        const quint64 seed = p.value(seedOpt).toULongLong(&okSeed);
        if (!p.isSet(ratersOpt) || !okK || !okSeed) {
            message(QStringLiteral("usage: crisis-review ") + usage);
            return ExitUsage;
        }
        int code = ExitOk;
        auto study = openStudy(pos[0], &code);
        if (!study)
            return code;
        storage::RaterRepository raters(*study);
        QList<qint64> ids;
        for (const QString &name : p.value(ratersOpt).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto r = raters.byName(name.trimmed());
            if (!r) {
                message(QStringLiteral(
                    "crisis-review: no rater '%1' in %2 (add it with `crisis-review rater add`)")
                            .arg(name.trimmed(), pos[0]));
                return ExitInvalidInput;
            }
            if (ids.contains(r->id)) {
                message(QStringLiteral("crisis-review: rater '%1' is listed twice").arg(r->name));
                return ExitUsage;
            }
            ids.append(r->id);
        }
        QList<qint64> calibration;
        storage::ItemRepository items(*study);
        for (const QString &id :
            p.value(calibrationOpt).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto item = items.byExternalId(id.trimmed());
            if (!item) {
                message(
                    QStringLiteral("crisis-review: no item '%1' in %2").arg(id.trimmed(), pos[0]));
                return ExitInvalidInput;
            }
            calibration.append(item->id);
        }
        Error e;
        const int added =
            storage::AssignmentRepository(*study).assign(ids, perItem, seed, calibration, &e);
        if (added < 0)
            return fail(e);
        print(QStringLiteral("Assigned %1 new item(s) across %2 rater(s), %3 per item\n")
                  .arg(added)
                  .arg(ids.size())
                  .arg(perItem));
        return ExitOk;
    }

    int importFiles(const QStringList &args)
    {
        const QString usage = QStringLiteral(
            "import STUDY PATH... [--format auto|jsonl|csv|benchmark] [--skip-invalid]");
        QCommandLineParser p;
        const QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("Format"),
            QStringLiteral("FORMAT"), QStringLiteral("auto"));
        const QCommandLineOption skipOpt(
            QStringLiteral("skip-invalid"), QStringLiteral("Skip invalid rows"));
        p.addOptions({ formatOpt, skipOpt });
        QStringList pos;
        if (!parse(p, usage, args, 2, -1, &pos))
            return ExitUsage;
        const auto format = storage::Importer::formatFromString(p.value(formatOpt));
        if (!format) {
            message(QStringLiteral("crisis-review: unknown --format '%1'\nusage: crisis-review %2")
                        .arg(p.value(formatOpt), usage));
            return ExitUsage;
        }
        int code = ExitOk;
        auto study = openStudy(pos[0], &code);
        if (!study)
            return code;
        storage::ImportOptions options;
        options.format = *format;
        options.skipInvalid = p.isSet(skipOpt);
        const bool tty = isatty(fileno(m_err));
        QElapsedTimer timer;
        timer.start();
        int lastPercent = -1;
        options.progress = [&](qint64 done, qint64 total) {
            const int percent = total > 0 ? int(done * 100 / total) : 100;
            if (timer.elapsed() < 300) // quick imports need no progress line
                return;
            if (percent == lastPercent || (!tty && percent % 10 != 0 && percent != 100))
                return;
            lastPercent = percent;
            const QString line = QStringLiteral("import: %1% (%2 of %3 MB)")
                                     .arg(percent)
                                     .arg(double(done) / 1e6, 0, 'f', 1)
                                     .arg(double(total) / 1e6, 0, 'f', 1);
            const QString shown =
                tty ? QString(QLatin1Char('\r') + line) : QString(line + QLatin1Char('\n'));
            std::fputs(shown.toUtf8().constData(), m_err);
            std::fflush(m_err);
        };
        storage::ImportReport report;
        Error e;
        const bool ok = storage::Importer(*study).run(pos.mid(1), options, &report, &e);
        if (tty && lastPercent >= 0)
            std::fputs("\n", m_err);
        for (const auto &issue : std::as_const(report.skipped))
            message(QStringLiteral("skipped ") + issue.toString());
        for (const QString &file : std::as_const(report.skippedFiles))
            message(QStringLiteral("skipped file ") + file);
        if (!ok) {
            if (!report.errors.isEmpty()) {
                for (const auto &issue : std::as_const(report.errors))
                    message(issue.toString());
                message(QStringLiteral(
                    "crisis-review: import failed with %1%2 error(s); the study is unchanged")
                            .arg(report.errors.size())
                            .arg(report.errors.size() >= options.maxErrors ? QStringLiteral("+")
                                                                           : QString()));
                return ExitInvalidInput;
            }
            return fail(e);
        }
        const auto &c = report.counts;
        print(QStringLiteral(
            "Imported %1 row(s) in %2 s: %3 item(s) added, %4 unchanged; %5 response(s) added, "
            "%6 unchanged; %7 model(s) and %8 rater(s) added; %9 label(s) and %10 rating(s) "
            "added, %11 unchanged%12\n")
                  .arg(c.rows)
                  .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2)
                  .arg(c.itemsAdded)
                  .arg(c.itemsUnchanged)
                  .arg(c.responsesAdded)
                  .arg(c.responsesUnchanged)
                  .arg(c.modelsAdded)
                  .arg(c.ratersAdded)
                  .arg(c.labelsAdded)
                  .arg(c.ratingsAdded)
                  .arg(c.labelsUnchanged + c.ratingsUnchanged)
                  .arg(report.skipped.isEmpty() ? QString()
                                                : QStringLiteral("; %1 invalid row(s) skipped")
                                                      .arg(report.skipped.size())));
        printBenchmarkSummary(report);
        return ExitOk;
    }

    void printBenchmarkSummary(const storage::ImportReport &report)
    {
        for (const QString &line : report.details())
            print(QStringLiteral("  %1\n").arg(line));
    }

    int info(const QStringList &args)
    {
        QCommandLineParser p;
        const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
        p.addOption(jsonOpt);
        QStringList pos;
        if (!parse(p, QStringLiteral("info STUDY [--json]"), args, 1, 1, &pos))
            return ExitUsage;
        int code = ExitOk;
        auto study = openStudy(pos[0], &code);
        if (!study)
            return code;
        const storage::StudyInfo info = storage::summarize(*study);
        if (p.isSet(jsonOpt))
            print(QString::fromUtf8(QJsonDocument(toJson(info)).toJson()));
        else
            print(toText(info));
        return ExitOk;
    }

    int stats(const QStringList &args)
    {
        const QString usage =
            QStringLiteral("stats STUDY [--json] [--raters human|llm|all|NAME,NAME] "
                           "[--harm-threshold X] [--bootstrap N] [--seed S] [--fleiss-all]");
        QCommandLineParser p;
        const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
        const QCommandLineOption ratersOpt(QStringLiteral("raters"),
            QStringLiteral("Rater selection"), QStringLiteral("SEL"), QStringLiteral("human"));
        const QCommandLineOption thresholdOpt(QStringLiteral("harm-threshold"),
            QStringLiteral("Harm threshold"), QStringLiteral("X"), QStringLiteral("2"));
        const QCommandLineOption bootstrapOpt(QStringLiteral("bootstrap"),
            QStringLiteral("Bootstrap resamples"), QStringLiteral("N"), QStringLiteral("1000"));
        const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Seed"),
            QStringLiteral("S"), QStringLiteral("1"));
        const QCommandLineOption fleissAllOpt(QStringLiteral("fleiss-all"),
            QStringLiteral("One Fleiss' kappa over all clinicians and LLMs"));
        p.addOptions({ jsonOpt, ratersOpt, thresholdOpt, bootstrapOpt, seedOpt, fleissAllOpt });
        QStringList pos;
        if (!parse(p, usage, args, 1, 1, &pos))
            return ExitUsage;
        stats::StatsOptions options;
        bool okT = false, okB = false, okS = false;
        options.raters = storage::RaterSelection::fromString(p.value(ratersOpt));
        options.harmThreshold = p.value(thresholdOpt).toDouble(&okT);
        options.bootstrap = p.value(bootstrapOpt).toInt(&okB);
        options.seed = p.value(seedOpt).toULongLong(&okS);
        options.fleissAll = p.isSet(fleissAllOpt);
        if (!okT || !okB || !okS || options.bootstrap < 0 || options.harmThreshold < 1
            || options.harmThreshold > 5) {
            message(QStringLiteral("crisis-review: --harm-threshold must be 1-5, --bootstrap and "
                                   "--seed non-negative integers\nusage: crisis-review ")
                + usage);
            return ExitUsage;
        }
        int code = ExitOk;
        auto study = openStudy(pos[0], &code);
        if (!study)
            return code;
        Error e;
        const auto result = stats::computeStats(*study, options, &e);
        if (!result)
            return fail(e);
        print(p.isSet(jsonOpt) ? QString::fromUtf8(QJsonDocument(*result).toJson())
                               : stats::statsToText(*result));
        return ExitOk;
    }

    int disagreements(const QStringList &args)
    {
        const QString usage =
            QStringLiteral("disagreements STUDY [--json] [--category ID] [--model NAME] "
                           "[--raters A,B] [--llm] [--threshold X]");
        QCommandLineParser p;
        const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
        const QCommandLineOption categoryOpt(
            QStringLiteral("category"), QStringLiteral("Category"), QStringLiteral("ID"));
        const QCommandLineOption modelOpt(
            QStringLiteral("model"), QStringLiteral("Model"), QStringLiteral("NAME"));
        const QCommandLineOption ratersOpt(
            QStringLiteral("raters"), QStringLiteral("Rater pair"), QStringLiteral("A,B"));
        const QCommandLineOption llmOpt(
            QStringLiteral("llm"), QStringLiteral("Involves an LLM rater"));
        const QCommandLineOption thresholdOpt(QStringLiteral("threshold"),
            QStringLiteral("Harm threshold"), QStringLiteral("X"), QStringLiteral("2"));
        p.addOptions({ jsonOpt, categoryOpt, modelOpt, ratersOpt, llmOpt, thresholdOpt });
        QStringList pos;
        if (!parse(p, usage, args, 1, 1, &pos))
            return ExitUsage;
        bool okT = false;
        const double threshold = p.value(thresholdOpt).toDouble(&okT);
        storage::DisagreementFilter filter;
        filter.model = p.value(modelOpt);
        filter.llmOnly = p.isSet(llmOpt);
        for (const QString &name : p.value(ratersOpt).split(QLatin1Char(','), Qt::SkipEmptyParts))
            filter.raterPair.append(name.trimmed());
        const auto usageError = [&](const QString &what) {
            message(QStringLiteral("crisis-review: %1\nusage: crisis-review ").arg(what) + usage);
            return ExitUsage;
        };
        if (!okT || threshold < 1 || threshold > 5)
            return usageError(QStringLiteral("--threshold must be a number from 1 to 5, got '%1'")
                                  .arg(p.value(thresholdOpt)));
        if (p.isSet(ratersOpt) && filter.raterPair.size() != 2)
            return usageError(
                QStringLiteral("--raters must name two raters (names or pseudonyms), got '%1'")
                    .arg(p.value(ratersOpt)));
        int code = ExitOk;
        auto study = openStudy(pos[0], &code);
        if (!study)
            return code;
        if (p.isSet(categoryOpt)) {
            filter.category = study->currentProtocol().canonicalCategory(p.value(categoryOpt));
            if (filter.category.isEmpty())
                return fail(Error::invalid(
                    QStringLiteral("--category: unknown category '%1'").arg(p.value(categoryOpt))));
        }
        if (p.isSet(modelOpt)) {
            const QList<storage::Model> models = storage::ItemRepository(*study).models();
            if (std::none_of(models.cbegin(), models.cend(),
                    [&](const storage::Model &m) { return m.name == filter.model; }))
                return fail(Error::invalid(
                    QStringLiteral("--model: no model '%1' in %2").arg(filter.model, pos[0])));
        }
        // A rater by name or by the pseudonym the listing shows (R001).
        const QList<storage::Rater> raters = storage::RaterRepository(*study).all();
        for (QString &name : filter.raterPair) {
            const auto it = std::find_if(raters.cbegin(), raters.cend(),
                [&](const storage::Rater &r) { return r.name == name || r.pseudonym == name; });
            if (it == raters.cend())
                return fail(
                    Error::invalid(QStringLiteral("--raters: no rater or pseudonym '%1' in %2")
                                       .arg(name, pos[0])));
            name = it->name;
        }
        Error e;
        auto rows = storage::loadDisagreements(*study, threshold, &e);
        if (!rows)
            return fail(e);
        QList<storage::Disagreement> shown;
        for (storage::Disagreement &d : *rows)
            if (filter.matches(d))
                shown.append(std::move(d));
        print(p.isSet(jsonOpt)
                ? QString::fromUtf8(QJsonDocument(disagreementsToJson(shown)).toJson())
                : disagreementsToText(shown));
        return ExitOk;
    }

    int exportStudy(const QStringList &args)
    {
        const QString usage =
            QStringLiteral("export STUDY --format long-csv|wide-csv|jsonl|bundle [--out FILE] "
                           "[--harm-threshold X] [--category ID,...] [--model NAME,...] "
                           "[--split NAME] [--provenance HOW,...] [--min-raters N] "
                           "[--raters SEL] [--real-names] [--rater NAME]");
        QCommandLineParser p;
        const QCommandLineOption formatOpt(
            QStringLiteral("format"), QStringLiteral("Format"), QStringLiteral("F"));
        const QCommandLineOption outOpt(
            QStringLiteral("out"), QStringLiteral("Output file"), QStringLiteral("FILE"));
        const QCommandLineOption thresholdOpt(QStringLiteral("harm-threshold"),
            QStringLiteral("Harm threshold"), QStringLiteral("X"), QStringLiteral("2"));
        const QCommandLineOption categoryOpt(QStringLiteral("category"),
            QStringLiteral("Consensus categories"), QStringLiteral("IDS"));
        const QCommandLineOption modelOpt(
            QStringLiteral("model"), QStringLiteral("Models"), QStringLiteral("NAMES"));
        const QCommandLineOption splitOpt(
            QStringLiteral("split"), QStringLiteral("Split"), QStringLiteral("NAME"));
        const QCommandLineOption provenanceOpt(QStringLiteral("provenance"),
            QStringLiteral("Consensus provenance"), QStringLiteral("HOW"));
        const QCommandLineOption minRatersOpt(QStringLiteral("min-raters"),
            QStringLiteral("Minimum raters"), QStringLiteral("N"), QStringLiteral("0"));
        const QCommandLineOption ratersOpt(
            QStringLiteral("raters"), QStringLiteral("Rater selection"), QStringLiteral("SEL"));
        const QCommandLineOption realNamesOpt(
            QStringLiteral("real-names"), QStringLiteral("Real rater names"));
        const QCommandLineOption raterOpt(
            QStringLiteral("rater"), QStringLiteral("Bundle rater"), QStringLiteral("NAME"));
        p.addOptions({ formatOpt, outOpt, thresholdOpt, categoryOpt, modelOpt, splitOpt,
            provenanceOpt, minRatersOpt, ratersOpt, realNamesOpt, raterOpt });
        QStringList pos;
        if (!parse(p, usage, args, 1, 1, &pos))
            return ExitUsage;
        const auto format = storage::Exporter::formatFromString(p.value(formatOpt));
        bool okT = false, okN = false;
        storage::ExportOptions options;
        options.harmThreshold = p.value(thresholdOpt).toDouble(&okT);
        const auto list = [&](const QCommandLineOption &o) {
            return p.value(o).split(QLatin1Char(','), Qt::SkipEmptyParts);
        };
        options.filters.categories = list(categoryOpt);
        options.filters.models = list(modelOpt);
        options.filters.split = p.value(splitOpt);
        options.filters.provenance = list(provenanceOpt);
        options.filters.minRaters = p.value(minRatersOpt).toInt(&okN);
        if (p.isSet(ratersOpt))
            options.filters.raters = storage::RaterSelection::fromString(p.value(ratersOpt));
        options.realNames = p.isSet(realNamesOpt);
        options.bundleRater = p.value(raterOpt);
        if (!format || !okT || !okN || options.filters.minRaters < 0
            || (p.isSet(raterOpt) && *format != storage::ExportFormat::Bundle)) {
            message(QStringLiteral("usage: crisis-review ") + usage);
            return ExitUsage;
        }
        options.format = *format;
        int code = ExitOk;
        auto study = openStudy(pos[0], &code);
        if (!study)
            return code;
        storage::Exporter exporter(*study);
        Error e;
        if (!p.isSet(outOpt)) {
            QFile out;
            if (!out.open(m_out, QIODevice::WriteOnly)) {
                message(QStringLiteral("crisis-review: cannot write to standard output"));
                return ExitStorage;
            }
            return exporter.write(out, options, &e) < 0 ? fail(e) : ExitOk;
        }
        const QString path = p.value(outOpt);
        QString manifestPath;
        const qint64 rows = exporter.writeFile(path, options, &e, &manifestPath);
        if (rows < 0)
            return fail(e);
        print(QStringLiteral("Exported %1 row(s) to %2 (manifest: %3)\n")
                  .arg(rows)
                  .arg(path, manifestPath));
        return ExitOk;
    }

    static QJsonObject countsObject(const QList<storage::StudyInfo::Count> &counts)
    {
        QJsonObject o;
        for (const auto &c : counts)
            o.insert(c.name, c.count);
        return o;
    }

    static QJsonObject toJson(const storage::StudyInfo &info)
    {
        QJsonArray models, raters, exposure, imports;
        for (const auto &i : info.imports)
            imports.append(
                QJsonObject { { QStringLiteral("id"), i.id }, { QStringLiteral("at"), i.at },
                    { QStringLiteral("actor"), i.actor }, { QStringLiteral("format"), i.format },
                    { QStringLiteral("files"), QJsonArray::fromStringList(i.files) },
                    { QStringLiteral("summary"),
                        QJsonDocument::fromJson(i.summaryJson.toUtf8()).object() },
                    { QStringLiteral("skipped_rows"), i.skippedRows } });
        for (const auto &x : info.exposure)
            exposure.append(QJsonObject { { QStringLiteral("name"), x.name },
                { QStringLiteral("assigned"), x.assigned }, { QStringLiteral("done"), x.done },
                { QStringLiteral("skipped"), x.skipped },
                { QStringLiteral("distressing"), x.distressing },
                { QStringLiteral("sessions"), x.sessions },
                { QStringLiteral("shown_today"), x.shownToday },
                { QStringLiteral("shown_last_session"), x.shownLastSession },
                { QStringLiteral("max_shown_in_session"), x.maxShownInSession },
                { QStringLiteral("mean_shown_per_session"), x.shownPerSession } });
        for (const auto &m : info.modelRows)
            models.append(QJsonObject { { QStringLiteral("name"), m.name },
                { QStringLiteral("responses"), m.responses }, { QStringLiteral("runs"), m.runs } });
        for (const auto &r : info.raterRows)
            raters.append(QJsonObject { { QStringLiteral("name"), r.name },
                { QStringLiteral("kind"), r.kind }, { QStringLiteral("role"), r.role },
                { QStringLiteral("pseudonym"), r.pseudonym },
                { QStringLiteral("assigned"), r.assigned }, { QStringLiteral("labels"), r.labels },
                { QStringLiteral("ratings"), r.ratings } });
        return QJsonObject { { QStringLiteral("path"), info.path },
            { QStringLiteral("title"), info.title },
            { QStringLiteral("created_at"), info.createdAt },
            { QStringLiteral("app_version"), info.appVersion },
            { QStringLiteral("schema_version"), info.schemaVersion },
            { QStringLiteral("protocol"),
                QJsonObject { { QStringLiteral("name"), info.protocolName },
                    { QStringLiteral("version"), info.protocolVersion },
                    { QStringLiteral("hash"), info.protocolHash },
                    { QStringLiteral("versions"), info.protocolVersions } } },
            { QStringLiteral("counts"),
                QJsonObject { { QStringLiteral("items"), info.items },
                    { QStringLiteral("responses"), info.responses },
                    { QStringLiteral("refusals"), info.refusals },
                    { QStringLiteral("models"), info.models },
                    { QStringLiteral("raters"), info.raters },
                    { QStringLiteral("assignments"), info.assignments },
                    { QStringLiteral("category_labels"), info.labels },
                    { QStringLiteral("response_ratings"), info.ratings },
                    { QStringLiteral("adjudications"), info.adjudications },
                    { QStringLiteral("events"), info.events } } },
            { QStringLiteral("datasets"), countsObject(info.datasets) },
            { QStringLiteral("splits"), countsObject(info.splits) },
            { QStringLiteral("reference_labels"), countsObject(info.referenceLabels) },
            { QStringLiteral("models"), models }, { QStringLiteral("raters"), raters },
            { QStringLiteral("exposure"), exposure }, { QStringLiteral("imports"), imports } };
    }

    static QString toText(const storage::StudyInfo &info)
    {
        QString s;
        auto line = [&s](const QString &k, const QString &v) {
            s += k.leftJustified(16) + v + QLatin1Char('\n');
        };
        auto counts = [](const QList<storage::StudyInfo::Count> &list) {
            QStringList parts;
            for (const auto &c : list)
                parts.append(QStringLiteral("%1 %2")
                                 .arg(c.name.isEmpty() ? QStringLiteral("(none)") : c.name)
                                 .arg(c.count));
            return parts.join(QStringLiteral(", "));
        };
        line(QStringLiteral("Study"), info.title);
        line(QStringLiteral("File"), info.path);
        line(QStringLiteral("Created"), info.createdAt);
        line(QStringLiteral("Schema"), QString::number(info.schemaVersion));
        line(QStringLiteral("Protocol"),
            QStringLiteral("%1 %2 (%3)")
                .arg(info.protocolName, info.protocolVersion, info.protocolHash.left(12)));
        line(QStringLiteral("Items"), QString::number(info.items));
        line(QStringLiteral("  datasets"), counts(info.datasets));
        line(QStringLiteral("  splits"), counts(info.splits));
        line(QStringLiteral("  labels"), counts(info.referenceLabels));
        line(QStringLiteral("Responses"),
            QStringLiteral("%1 (%2 refusals)").arg(info.responses).arg(info.refusals));
        line(QStringLiteral("Models"), QString::number(info.models));
        for (const auto &m : info.modelRows)
            line(QStringLiteral("  ") + m.name,
                QStringLiteral("%1 responses, %2 run(s)").arg(m.responses).arg(m.runs));
        line(QStringLiteral("Raters"), QString::number(info.raters));
        for (const auto &r : info.raterRows)
            line(QStringLiteral("  ") + r.pseudonym,
                QStringLiteral("%1 (%2, %3): %4 assigned, %5 labels, %6 ratings")
                    .arg(r.name, r.kind, r.role)
                    .arg(r.assigned)
                    .arg(r.labels)
                    .arg(r.ratings));
        line(QStringLiteral("Exposure"),
            QStringLiteral("(human raters, for the supervising researcher)"));
        for (const auto &x : info.exposure)
            if (x.kind == QLatin1String("human"))
                line(QStringLiteral("  ") + x.name,
                    QStringLiteral(
                        "%1 done, %2 skipped, %3 distressing; %4 session(s), %5 shown today,"
                        " %6 in the last session, mean %7 per session")
                        .arg(x.done)
                        .arg(x.skipped)
                        .arg(x.distressing)
                        .arg(x.sessions)
                        .arg(x.shownToday)
                        .arg(x.shownLastSession)
                        .arg(x.shownPerSession, 0, 'f', 1));
        line(QStringLiteral("Assignments"), QString::number(info.assignments));
        line(QStringLiteral("Labels"), QString::number(info.labels));
        line(QStringLiteral("Ratings"), QString::number(info.ratings));
        line(QStringLiteral("Adjudications"), QString::number(info.adjudications));
        line(QStringLiteral("Events"), QString::number(info.events));
        line(QStringLiteral("Imports"), QString::number(info.imports.size()));
        for (const auto &i : info.imports) {
            const QJsonObject c = QJsonDocument::fromJson(i.summaryJson.toUtf8()).object();
            QString what = QStringLiteral(
                "%1 %2, %3 file(s)%4: %5 item(s), %6 response(s), %7 label(s), %8 rating(s) added")
                               .arg(i.at.left(19), i.format)
                               .arg(i.files.size())
                               .arg(i.files.isEmpty()
                                       ? QString()
                                       : QStringLiteral(" (%1%2)").arg(i.files.first(),
                                           i.files.size() > 1 ? QStringLiteral(", …") : QString()))
                               .arg(c.value(QLatin1String("items_added")).toInteger())
                               .arg(c.value(QLatin1String("responses_added")).toInteger())
                               .arg(c.value(QLatin1String("labels_added")).toInteger())
                               .arg(c.value(QLatin1String("ratings_added")).toInteger());
            if (i.skippedRows > 0)
                what += QStringLiteral("; %1 invalid row(s) skipped (SELECT * FROM import_issue "
                                       "WHERE import_run_id = %2)")
                            .arg(i.skippedRows)
                            .arg(i.id);
            line(QStringLiteral("  #%1").arg(i.id), what);
        }
        return s;
    }

    std::FILE *m_out;
    std::FILE *m_err;
};

} // namespace

bool isCliCommand(const QStringList &args)
{
    const QString first = args.value(0);
    return available.contains(first) || later.contains(first);
}

int runCli(const QStringList &args, std::FILE *out, std::FILE *err)
{
    return Cli(out, err).run(args);
}

} // namespace cr::app
