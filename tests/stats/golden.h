#pragma once

// Golden files of the statistics tests (tests/data/golden/), shared by tests/app,
// tests/stats and tests/report (header only). CR_UPDATE_GOLDEN=1 rewrites a file
// instead of comparing: only when the output is meant to change.

#include "storage/importer.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>
#include <algorithm>

namespace cr::test {

/// A file of the source tree (CR_SOURCE_DIR, set by cr_add_test).
inline QString source(const QString &relative)
{
    return qEnvironmentVariable("CR_SOURCE_DIR") + QLatin1Char('/') + relative;
}

/// Compares `out` byte for byte with tests/data/golden/`relative`, naming the first
/// differing line. Use QTest-style: the calling test fails when this one does.
inline void compareGolden(const QByteArray &out, const QString &relative)
{
    QFile file(source(QStringLiteral("tests/data/golden/") + relative));
    if (qEnvironmentVariableIntValue("CR_UPDATE_GOLDEN") == 1) {
        QVERIFY(QDir().mkpath(QFileInfo(file).path()));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(out), out.size());
        // A rewrite never passes: review the diff (git diff tests/data/golden), then run
        // again without CR_UPDATE_GOLDEN.
        QFAIL(qPrintable(QStringLiteral("rewrote %1 (CR_UPDATE_GOLDEN=1)").arg(relative)));
    }
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QByteArray expected = file.readAll();
    if (out != expected) {
        const QList<QByteArray> a = out.split('\n'), b = expected.split('\n');
        for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i)
            if (a[i] != b[i]) {
                qWarning("%s line %lld: got '%s', golden '%s'", qPrintable(relative),
                    qlonglong(i + 1), a[i].constData(), b[i].constData());
                break;
            }
    }
    QCOMPARE(out, expected);
}

/// Creates study `name` (relative to the current directory, so the statistics'
/// "study" member is the same on every machine) and imports `files` into it.
inline void createStudy(const QString &name, const QStringList &files)
{
    storage::Error error;
    auto study =
        storage::Study::create(name, protocol::defaultProtocol(), QStringLiteral("golden"), &error);
    QVERIFY2(study, qPrintable(error.message));
    storage::ImportReport report;
    QVERIFY2(storage::Importer(*study).run(files, {}, &report, &error), qPrintable(error.message));
}

/// The three fixed studies of the golden tests, in the current directory.
inline void createGoldenStudies()
{
    createStudy(
        QStringLiteral("bench.crisis"), { source(QStringLiteral("tests/data/benchmark/good")) });
    const QString items = source(QStringLiteral("tests/data/golden/kripp-items.jsonl"));
    const QString ratings = source(QStringLiteral("tests/data/golden/kripp-ratings.jsonl"));
    createStudy(QStringLiteral("kripp.crisis"), { items, ratings });
    createStudy(QStringLiteral("kripp-llm.crisis"),
        { items, ratings, source(QStringLiteral("tests/data/golden/kripp-llm.jsonl")) });
}

} // namespace cr::test
