#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

/// The in-memory entry points of the fuzz targets (fuzz/README.md): bytes → the real
/// parser → a result, never a study write. The libFuzzer targets (clang, CR_FUZZ=ON)
/// and the fuzz_corpus_replay test (any compiler, in CI) both call runInput, so a
/// crash input replays through exactly the code that found it.
namespace cr::fuzz {

enum class Target { Jsonl, Csv, Benchmark, Protocol, Bundle };

/// "jsonl", "csv", "benchmark", "protocol", "bundle" (the fuzz/corpus/ folder names).
QString targetName(Target target);
std::optional<Target> targetFromName(const QString &name);
QStringList targetNames();

/// What one input gave: accepted, or refused with the first error message.
struct Result {
    bool accepted = false;
    QString message;
};

/// Runs one input through the target's parser:
/// - jsonl, csv: the app's own import formats (storage::Importer, dry run) into a
///   study seeded with tests/data/import/seed.jsonl;
/// - bundle: a ratings JSONL (a per-rater bundle) into a study seeded with
///   tests/data/export (items and ratings), so ratings match, duplicate or conflict;
/// - benchmark: one file of the benchmark layout (storage::BenchmarkImporter, dry
///   run) into a study seeded with the good fixture's dataset and one answers file;
///   the first byte picks the file's role (dataset, answers, judge, labels, scores...),
///   the rest is its content;
/// - protocol: protocol::parseProtocol; an accepted protocol must parse back from its
///   canonical JSON to the same protocol (checked: a mismatch aborts).
/// The first call sets up a temporary folder and the seeded studies (needs a
/// QCoreApplication; ensureApplication() makes one if there is none).
Result runInput(Target target, const QByteArray &data);

void ensureApplication();

} // namespace cr::fuzz
