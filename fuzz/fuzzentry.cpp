#include "fuzz/fuzzentry.h"

#include "protocol/protocol.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

namespace cr::fuzz {

namespace {

struct TargetInfo {
    Target target;
    const char *name;
};

constexpr TargetInfo targets[] = {
    { Target::Jsonl, "jsonl" },
    { Target::Csv, "csv" },
    { Target::Benchmark, "benchmark" },
    { Target::Protocol, "protocol" },
    { Target::Bundle, "bundle" },
};

/// Where a benchmark input is written: the first byte of the input picks one.
constexpr const char *benchmarkRoles[] = {
    "processed/sampled_dataset_n_6_test.json",
    "llm_answer/gpt-5-nano-answers-sampled_dataset_n_6_test-20250102-090000.json",
    "llm_evaluator/gpt-4o-mini/n_6/"
    "gpt-4o-mini-evaluation_gpt-5-nano-answers-sampled_dataset_n_6_test-20250101-100000_"
    "20250106-100000.json",
    "llm_evaluator/gpt-4o-mini/n_6/merged/"
    "gpt-4o-mini-evaluation_gpt-5-nano-answers-sampled_dataset_n_6_test-20250101-100000_"
    "merged.json",
    "llm_label/gpt-4o-mini-labeled-sampled_dataset_n_6_test-20250103-100000.json",
    "llm_label/gpt-4o-mini-labeled-sampled_dataset_n_6_test-merged-labels.json",
    "human_label/human-labeled-sampled_dataset_n6_s42-merged_labels.json",
    "human_label/H1_labeled_n6_s42.json",
    "human_label/H1_scores_n6_s42.json",
};

[[noreturn]] void fail(const QString &what)
{
    std::fprintf(stderr, "fuzz setup: %s\n", qPrintable(what));
    std::abort();
}

QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("CR_SOURCE_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(CR_FUZZ_SOURCE_DIR) : fromEnv;
}

/// One seeded study per target, in a temporary folder that lives as long as the process.
class Fixture {
public:
    explicit Fixture(Target target)
    {
        if (!m_dir.isValid())
            fail(QStringLiteral("no temporary folder"));
        storage::Error error;
        m_study = storage::Study::create(m_dir.filePath(QStringLiteral("fuzz.crs")),
            protocol::defaultProtocol(), QStringLiteral("fuzz"), &error);
        if (!m_study)
            fail(error.message);
        const QString data = sourceDir() + QStringLiteral("/tests/data/");
        QStringList seeds;
        storage::ImportFormat format = storage::ImportFormat::Auto;
        switch (target) {
        case Target::Jsonl:
        case Target::Csv:
            seeds = { data + QStringLiteral("import/seed.jsonl") };
            break;
        case Target::Bundle:
            seeds = { data + QStringLiteral("export/items.jsonl"),
                data + QStringLiteral("export/ratings.jsonl") };
            break;
        case Target::Benchmark:
            seeds = { data
                    + QStringLiteral("benchmark/good/processed/sampled_dataset_n_6_test.json"),
                data
                    + QStringLiteral("benchmark/good/llm_answer/"
                                     "gpt-5-nano-answers-sampled_dataset_n_6_test-20250101-"
                                     "100000.json") };
            format = storage::ImportFormat::Benchmark;
            break;
        case Target::Protocol:
            return;
        }
        storage::ImportOptions options;
        options.format = format;
        storage::ImportReport report;
        if (!storage::Importer(*m_study).run(seeds, options, &report, &error))
            fail(QStringLiteral("seeding: ") + error.message);
    }

    Result import(
        const QString &relativePath, const QByteArray &bytes, storage::ImportFormat format)
    {
        const QString path = m_dir.filePath(relativePath);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            fail(path + QStringLiteral(": cannot write"));
        f.close();
        storage::ImportOptions options;
        options.format = format;
        options.dryRun = true;
        storage::ImportReport report;
        storage::Error error;
        Result r;
        r.accepted = storage::Importer(*m_study).run({ path }, options, &report, &error);
        r.message = error.message;
        QFile::remove(path);
        return r;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<storage::Study> m_study;
};

std::map<Target, std::unique_ptr<Fixture>> &fixtures()
{
    // Never destroyed as a static: it is emptied by the exit handler below.
    static auto *all = new std::map<Target, std::unique_ptr<Fixture>>;
    return *all;
}

Fixture &fixture(Target target)
{
    auto &f = fixtures()[target];
    if (!f) {
        ensureApplication();
        f = std::make_unique<Fixture>(target);
        // Registered after the first study opened Qt SQL's own statics, so it runs
        // before they are destroyed: the studies close and their folders go at exit.
        static const bool cleanup = [] {
            std::atexit([] { fixtures().clear(); });
            return true;
        }();
        (void)cleanup;
    }
    return *f;
}

Result runProtocol(const QByteArray &data)
{
    QString error;
    const auto parsed = protocol::parseProtocol(data, &error);
    if (!parsed)
        return { false, error };
    const QByteArray canonical = parsed->toJson();
    QString again;
    const auto reparsed = protocol::parseProtocol(canonical, &again);
    if (!reparsed || !(*reparsed == *parsed)) {
        std::fprintf(stderr,
            "protocol: canonical JSON does not parse back to the same protocol: %s\n",
            qPrintable(again));
        std::abort();
    }
    (void)parsed->contentHash();
    return { true, {} };
}

} // namespace

QString targetName(Target target)
{
    for (const TargetInfo &t : targets)
        if (t.target == target)
            return QString::fromLatin1(t.name);
    return {};
}

std::optional<Target> targetFromName(const QString &name)
{
    for (const TargetInfo &t : targets)
        if (name == QLatin1String(t.name))
            return t.target;
    return std::nullopt;
}

QStringList targetNames()
{
    QStringList names;
    for (const TargetInfo &t : targets)
        names.append(QString::fromLatin1(t.name));
    return names;
}

void ensureApplication()
{
    if (QCoreApplication::instance())
        return;
    static int argc = 1;
    static char name[] = "cr-fuzz";
    static char *argv[] = { name, nullptr };
    static QCoreApplication app(argc, argv);
}

Result runInput(Target target, const QByteArray &data)
{
    switch (target) {
    case Target::Jsonl:
        return fixture(target).import(
            QStringLiteral("input.jsonl"), data, storage::ImportFormat::Jsonl);
    case Target::Csv:
        return fixture(target).import(
            QStringLiteral("input.csv"), data, storage::ImportFormat::Csv);
    case Target::Bundle:
        return fixture(target).import(
            QStringLiteral("bundle.jsonl"), data, storage::ImportFormat::Auto);
    case Target::Benchmark: {
        if (data.isEmpty())
            return {};
        constexpr auto roles = sizeof(benchmarkRoles) / sizeof(benchmarkRoles[0]);
        const auto role = static_cast<unsigned char>(data[0]) % roles;
        return fixture(target).import(QString::fromLatin1(benchmarkRoles[role]), data.mid(1),
            storage::ImportFormat::Benchmark);
    }
    case Target::Protocol:
        return runProtocol(data);
    }
    return {};
}

} // namespace cr::fuzz
