#include "llm/sampler.h"

#include "analysis/random.h"
#include "storage/sampling.h"
#include "storage/study.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <vector>

namespace cr::llm {

namespace {

quint64 keyOf(quint64 seed, const QByteArray &externalId)
{
    quint64 h = 1469598103934665603ull;
    for (const char c : externalId) {
        h ^= quint8(c);
        h *= 1099511628211ull;
    }
    std::uint64_t state = seed ^ h;
    return analysis::splitMix64(state);
}

QByteArray textKey(const QByteArray &turnsJson)
{
    return QCryptographicHash::hash(normalizedText(turnsJson).toUtf8(), QCryptographicHash::Sha256);
}

} // namespace

QString normalizedText(const QByteArray &turnsJson)
{
    QStringList turns;
    for (const QJsonValue &v : QJsonDocument::fromJson(turnsJson).array())
        turns.append(v.toString());
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    return turns.join(QLatin1Char('\n'))
        .normalized(QString::NormalizationForm_KC)
        .toCaseFolded()
        .replace(spaces, QStringLiteral(" "))
        .trimmed();
}

std::optional<SampleReport> drawSample(
    storage::Study &target, const SampleOptions &options, storage::Error *error)
{
    const bool byCategory = options.per == QLatin1String("category");
    if (!byCategory && options.per != QLatin1String("dataset")) {
        *error = storage::Error::invalid(QStringLiteral("--per must be dataset or category"));
        return std::nullopt;
    }
    if (options.n.has_value() == !options.sizes.isEmpty()) {
        *error = storage::Error::invalid(QStringLiteral("give either --n or --sizes"));
        return std::nullopt;
    }
    if ((options.n && *options.n < 1)
        || std::any_of(options.sizes.cbegin(), options.sizes.cend(), [](int v) { return v < 1; })) {
        *error = storage::Error::invalid(QStringLiteral("sample sizes must be 1 or more"));
        return std::nullopt;
    }
    if (QFileInfo(options.poolPath).canonicalFilePath()
        == QFileInfo(target.path()).canonicalFilePath()) {
        *error = storage::Error::invalid(QStringLiteral("--from must be another study than STUDY"));
        return std::nullopt;
    }
    auto pool = storage::Study::open(options.poolPath, error);
    if (!pool)
        return std::nullopt;
    std::optional<storage::CategorySourceSpec> source;
    if (byCategory) {
        source = storage::CategorySourceSpec {};
        if (options.categorySource != QLatin1String("classifier")) {
            source->classifierMajority = false;
            source->rater = options.categorySource;
        }
    }
    SampleReport report;
    const auto entries = storage::readPoolEntries(*pool, source, &report.poolHash, error);
    if (!entries)
        return std::nullopt;
    storage::PoolItemReader reader(*pool);

    // What may not be drawn: items of the excluded studies and of the target itself.
    QSet<QByteArray> excludedIds, excludedTexts, studyIds, studyTexts;
    for (const QString &path : options.exclude) {
        auto other = storage::Study::open(path, error);
        if (!other)
            return std::nullopt;
        const auto theirs = storage::readPoolItems(*other, error);
        if (!theirs)
            return std::nullopt;
        for (const storage::PoolItem &i : *theirs) {
            excludedIds.insert(i.externalId);
            excludedTexts.insert(textKey(i.turnsJson));
        }
    }
    if (const auto own = storage::readPoolItems(target, error)) {
        for (const storage::PoolItem &i : *own) {
            studyIds.insert(i.externalId);
            studyTexts.insert(textKey(i.turnsJson));
        }
    } else {
        return std::nullopt;
    }

    // Strata, each ordered by the seeded key.
    QMap<QString, std::vector<std::pair<quint64, qsizetype>>> strata;
    for (qsizetype i = 0; i < entries->size(); ++i) {
        const storage::PoolEntry &item = entries->at(i);
        const QString stratum = byCategory ? item.category : QString::fromUtf8(item.dataset);
        if (byCategory && stratum.isEmpty()) {
            ++report.noCategory;
            continue;
        }
        strata[stratum].push_back({ keyOf(options.seed, item.externalId), i });
    }
    for (auto it = options.sizes.cbegin(); it != options.sizes.cend(); ++it)
        if (!strata.contains(it.key())) {
            *error = storage::Error::invalid(
                QStringLiteral("--sizes: the pool has no %1 '%2'").arg(options.per, it.key()));
            return std::nullopt;
        }
    QSet<QByteArray> drawnTexts;
    QList<storage::PoolItem> drawn;
    for (auto it = strata.begin(); it != strata.end(); ++it) {
        StratumCount &count = report.strata[it.key()];
        count.available = qint64(it->size());
        count.requested = options.n ? *options.n : options.sizes.value(it.key(), 0);
        if (count.requested == 0) {
            report.strata.remove(it.key());
            continue;
        }
        std::sort(it->begin(), it->end(), [&](const auto &a, const auto &b) {
            return a.first != b.first
                ? a.first < b.first
                : entries->at(a.second).externalId < entries->at(b.second).externalId;
        });
        for (const auto &[key, index] : *it) {
            if (count.drawn >= count.requested)
                break;
            const storage::PoolEntry &entry = entries->at(index);
            if (excludedIds.contains(entry.externalId)) {
                ++report.excluded;
                continue;
            }
            if (studyIds.contains(entry.externalId)) {
                ++report.inStudy;
                continue;
            }
            auto read = reader.read(entry.id, error);
            if (!read)
                return std::nullopt;
            storage::PoolItem item = std::move(*read);
            const QByteArray text = textKey(item.turnsJson);
            if (excludedTexts.contains(text)) {
                ++report.excluded;
                continue;
            }
            if (studyTexts.contains(text)) {
                ++report.inStudy;
                continue;
            }
            if (drawnTexts.contains(text)) {
                ++report.duplicates;
                continue;
            }
            drawnTexts.insert(text);
            if (!options.split.isEmpty())
                item.split = options.split.toUtf8();
            report.drawnIds.append(QString::fromUtf8(item.externalId));
            drawn.append(std::move(item));
            ++count.drawn;
        }
    }

    storage::SampleRecipeRow recipe;
    recipe.pool = options.poolPath;
    recipe.poolHash = report.poolHash;
    recipe.per = options.per;
    QJsonObject sizes;
    if (options.n)
        sizes.insert(QStringLiteral("*"), *options.n);
    for (auto it = options.sizes.cbegin(); it != options.sizes.cend(); ++it)
        sizes.insert(it.key(), it.value());
    recipe.sizesJson = QJsonDocument(sizes).toJson(QJsonDocument::Compact);
    recipe.seed = qint64(options.seed);
    recipe.excludedJson =
        QJsonDocument(QJsonArray::fromStringList(options.exclude)).toJson(QJsonDocument::Compact);
    recipe.split = options.split;
    recipe.categorySource = byCategory ? options.categorySource : QString();
    QJsonObject counts { { QStringLiteral("duplicates"), report.duplicates },
        { QStringLiteral("excluded"), report.excluded },
        { QStringLiteral("in_study"), report.inStudy },
        { QStringLiteral("no_category"), report.noCategory } };
    QJsonObject perStratum;
    for (auto it = report.strata.cbegin(); it != report.strata.cend(); ++it)
        perStratum.insert(it.key(),
            QJsonObject { { QStringLiteral("available"), it->available },
                { QStringLiteral("requested"), it->requested },
                { QStringLiteral("drawn"), it->drawn } });
    counts.insert(QStringLiteral("strata"), perStratum);
    recipe.countsJson = QJsonDocument(counts).toJson(QJsonDocument::Compact);
    const auto added = storage::writeSample(target, drawn, recipe, error);
    if (!added)
        return std::nullopt;
    report.added = *added;
    return report;
}

} // namespace cr::llm
