#pragma once

// A new study in `dir` imported from JSONL lines (items, then ratings), for the statistics
// tests; null (with a warning) when creating or importing fails.
#include "storage/importer.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <memory>

namespace cr::test {

inline std::unique_ptr<storage::Study> jsonlStudy(
    const QDir &dir, const QString &name, const QStringList &items, const QStringList &ratings)
{
    storage::Error error;
    auto s = storage::Study::create(dir.filePath(name), protocol::defaultProtocol(), name, &error);
    if (!s) {
        qWarning("%s", qPrintable(error.message));
        return nullptr;
    }
    QStringList files;
    for (const auto &[suffix, lines] : { std::pair(QStringLiteral("-items.jsonl"), items),
             std::pair(QStringLiteral("-ratings.jsonl"), ratings) }) {
        QFile f(dir.filePath(name + suffix));
        if (!f.open(QIODevice::WriteOnly))
            return nullptr;
        f.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
        files.append(f.fileName());
    }
    storage::ImportReport report;
    if (!storage::Importer(*s).run(files, {}, &report, &error)) {
        qWarning("%s", qPrintable(error.message));
        return nullptr;
    }
    return s;
}

} // namespace cr::test
