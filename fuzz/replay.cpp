// fuzz_corpus_replay: every file of fuzz/corpus/TARGET/ (the seeds, what the fuzzers
// kept and every crash input) through the same entry point as the libFuzzer target,
// without the fuzzer. A crash or a sanitizer report fails the test; so does a slow input.
#include "fuzz/fuzzentry.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <cstdio>

int main(int argc, char **argv)
{
    cr::fuzz::ensureApplication();
    QString root = qEnvironmentVariable("CR_SOURCE_DIR") + QStringLiteral("/fuzz/corpus");
    if (argc > 1)
        root = QString::fromLocal8Bit(argv[1]);
    int failures = 0, total = 0;
    for (const QString &name : cr::fuzz::targetNames()) {
        const QDir dir(root + QLatin1Char('/') + name);
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        if (files.isEmpty()) {
            std::fprintf(stderr, "%s: no corpus files\n", qPrintable(dir.path()));
            ++failures;
            continue;
        }
        int accepted = 0;
        QElapsedTimer timer;
        timer.start();
        for (const QString &file : files) {
            QFile f(dir.filePath(file));
            if (!f.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "%s: cannot read\n", qPrintable(f.fileName()));
                ++failures;
                continue;
            }
            QElapsedTimer one;
            one.start();
            const auto result = cr::fuzz::runInput(*cr::fuzz::targetFromName(name), f.readAll());
            if (one.elapsed() > 10000) {
                std::fprintf(stderr, "%s: took %lld ms\n", qPrintable(f.fileName()),
                    static_cast<long long>(one.elapsed()));
                ++failures;
            }
            accepted += result.accepted ? 1 : 0;
            ++total;
        }
        std::printf("%s: %lld inputs (%d accepted) in %lld ms\n", qPrintable(name),
            static_cast<long long>(files.size()), accepted,
            static_cast<long long>(timer.elapsed()));
    }
    std::printf("%d inputs replayed, %d failed\n", total, failures);
    return failures == 0 ? 0 : 1;
}
