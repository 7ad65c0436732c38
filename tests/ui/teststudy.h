#pragma once

// Builds small studies for the GUI tests through the storage APIs only.

#include "protocol/protocol.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTest>
#include <memory>

namespace crtest {

/// Distinctive model names, so a blinding test can search every widget for them.
inline QStringList modelNames()
{
    return { QStringLiteral("sentinel-model-one"), QStringLiteral("sentinel-model-two"),
        QStringLiteral("sentinel-model-three") };
}

inline QString responseText(int item, int model)
{
    return QStringLiteral("Reply %1 to message %2. I hear how hard this is.")
        .arg(model + 1)
        .arg(item + 1);
}

/// Writes `items` crisis inputs, each with one response per model (FORMATS.md §1), in
/// `dataset` with external ids `<idPrefix>001`, `<idPrefix>002`…
inline QString writeItemsJsonl(const QString &dir, int items,
    const QString &name = QStringLiteral("items.jsonl"),
    const QString &dataset = QStringLiteral("unit"), const QString &idPrefix = QStringLiteral("t-"))
{
    const QString path = QDir(dir).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    for (int i = 0; i < items; ++i) {
        QJsonArray responses;
        for (int m = 0; m < modelNames().size(); ++m)
            responses.append(QJsonObject { { QStringLiteral("model"), modelNames().at(m) },
                { QStringLiteral("run"), 1 }, { QStringLiteral("text"), responseText(i, m) } });
        const QJsonObject row {
            { QStringLiteral("item_id"),
                QString(idPrefix + QStringLiteral("%1").arg(i + 1, 3, 10, QLatin1Char('0'))) },
            { QStringLiteral("dataset"), dataset },
            { QStringLiteral("split"), QStringLiteral("test") },
            { QStringLiteral("turns"),
                QJsonArray { QStringLiteral("First turn of message %1.").arg(i + 1),
                    QStringLiteral("Second turn of message %1.").arg(i + 1) } },
            { QStringLiteral("label"), QStringLiteral("suicidal_ideation") },
            { QStringLiteral("responses"), responses }
        };
        file.write(QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n');
    }
    return path;
}

/// A study with `items` items × 3 models, human raters "ana" (all items assigned)
/// and "ben" (nothing assigned), and an LLM rater "judge". Returns it open.
inline std::unique_ptr<cr::storage::Study> createStudy(const QString &dir, int items, QString *path)
{
    using namespace cr::storage;
    *path = QDir(dir).filePath(QStringLiteral("test.crisis"));
    Error error;
    auto study =
        Study::create(*path, cr::protocol::defaultProtocol(), QStringLiteral("Unit study"), &error);
    if (!study) {
        qWarning("create: %s", qPrintable(error.message));
        return nullptr;
    }
    ImportReport report;
    if (items > 0 && !Importer(*study).run({ writeItemsJsonl(dir, items) }, {}, &report, &error)) {
        qWarning("import: %s", qPrintable(error.message));
        return nullptr;
    }
    RaterRepository raters(*study);
    const auto ana = raters.add(QStringLiteral("ana"), RaterKind::Human, RaterRole::Rater, &error);
    const auto ben = raters.add(QStringLiteral("ben"), RaterKind::Human, RaterRole::Rater, &error);
    const auto judge =
        raters.add(QStringLiteral("judge"), RaterKind::Llm, RaterRole::Rater, &error);
    if (!ana || !ben || !judge)
        return nullptr;
    if (items > 0 && AssignmentRepository(*study).assign({ ana->id }, 1, 11, {}, &error) < 0)
        return nullptr;
    return study;
}

} // namespace crtest
