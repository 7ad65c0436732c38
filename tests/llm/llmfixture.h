#pragma once

// A study of N items (categories in turn from the default protocol, as reference labels)
// with one response per model, built through the importer; header only.

#include "protocol/protocol.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <memory>

namespace cr::test {

inline std::unique_ptr<storage::Study> makeLlmStudy(const QString &dir, const QString &name,
    int items, const QStringList &models, bool labels = true)
{
    const QString path = dir + QLatin1Char('/') + name;
    storage::Error error;
    auto study =
        storage::Study::create(path, protocol::defaultProtocol(), QStringLiteral("llm"), &error);
    if (!study)
        return nullptr;
    const QList<protocol::Category> &categories = protocol::defaultProtocol().categories;
    QFile file(dir + QLatin1Char('/') + name + QStringLiteral(".jsonl"));
    if (!file.open(QIODevice::WriteOnly))
        return nullptr;
    for (int i = 0; i < items; ++i) {
        QJsonArray responses;
        for (const QString &m : models)
            responses.append(QJsonObject { { QStringLiteral("model"), m },
                { QStringLiteral("text"), QStringLiteral("Reply %1 of %2.").arg(i).arg(m) } });
        QJsonObject item { { QStringLiteral("item_id"), QStringLiteral("it-%1").arg(i) },
            { QStringLiteral("text"),
                QStringLiteral("Message number %1: I feel low today.").arg(i) },
            { QStringLiteral("responses"), responses } };
        if (labels)
            item.insert(QStringLiteral("label"), categories.at(i % categories.size()).id);
        file.write(QJsonDocument(item).toJson(QJsonDocument::Compact) + '\n');
    }
    file.close();
    storage::ImportReport report;
    if (!storage::Importer(*study).run({ file.fileName() }, {}, &report, &error))
        return nullptr;
    return study;
}

} // namespace cr::test
