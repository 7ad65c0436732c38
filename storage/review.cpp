#include "storage/review.h"

#include "storage/backend.h"
#include "storage/consensus.h"
#include "storage/exposure.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/statement.h"
#include "storage/study.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <libpq-fe.h>
#include <limits>
#include <map>
#include <sqlite3.h>

namespace cr::storage {

namespace {

Error queryError(const Study &study, const QSqlQuery &q)
{
    return Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
}

QStringList jsonList(const QString &json)
{
    QStringList out;
    for (const auto &v : QJsonDocument::fromJson(json.toUtf8()).array())
        out.append(v.toString());
    return out;
}

/// Two values of a row differ (what "disagree" means for a pair of raters).
bool differ(DisagreementKind kind, const RaterValue &a, const RaterValue &b)
{
    if (kind == DisagreementKind::Category)
        return a.category != b.category;
    return a.score != b.score;
}

bool anyLlmDiffers(const Disagreement &d)
{
    for (const RaterValue &a : d.values) {
        if (a.rater.kind != RaterKind::Llm)
            continue;
        for (const RaterValue &b : d.values)
            if (b.rater.id != a.rater.id && differ(d.kind, a, b))
                return true;
    }
    return false;
}

Adjudication adjudicationFromQuery(const QSqlQuery &q)
{
    Adjudication a;
    a.id = q.value(0).toLongLong();
    if (!q.value(1).isNull())
        a.itemId = q.value(1).toLongLong();
    if (!q.value(2).isNull())
        a.responseId = q.value(2).toLongLong();
    a.category = q.value(3).toString();
    if (!q.value(4).isNull())
        a.score = q.value(4).toInt();
    a.adjudicatorId = q.value(5).toLongLong();
    a.reasonTags = jsonList(q.value(6).toString());
    a.note = q.value(7).toString();
    a.createdAt = q.value(8).toString();
    return a;
}

const QString adjudicationColumns =
    QStringLiteral("SELECT id, item_id, response_id, category, score, adjudicator_id, reason_tags, "
                   "note, created_at"
                   " FROM adjudication ");

QJsonObject toJson(const Adjudication &a, const QString &adopted)
{
    QJsonObject o { { QStringLiteral("adjudicator"), a.adjudicatorId },
        { QStringLiteral("reasons"), QJsonArray::fromStringList(a.reasonTags) } };
    if (a.itemId) {
        o.insert(QStringLiteral("item"), *a.itemId);
        o.insert(QStringLiteral("category"), a.category);
    }
    if (a.responseId) {
        o.insert(QStringLiteral("response"), *a.responseId);
        o.insert(QStringLiteral("score"), a.score ? QJsonValue(*a.score) : QJsonValue());
    }
    if (!a.note.isEmpty())
        o.insert(QStringLiteral("note"), a.note);
    if (!adopted.isEmpty())
        o.insert(QStringLiteral("adopted_from"), adopted);
    return o;
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

double Disagreement::spread() const
{
    return kind == DisagreementKind::Category ? double(categorySpread.distinct) : scoreSpread.range;
}

QString Disagreement::toString(DisagreementKind kind)
{
    return kind == DisagreementKind::Category ? QStringLiteral("category")
                                              : QStringLiteral("score");
}

analysis::QueueKey Disagreement::queueKey() const
{
    analysis::QueueKey k;
    k.category = kind == DisagreementKind::Category;
    k.adjudicated = adjudication.has_value();
    k.distinct = categorySpread.distinct;
    k.harmfulByAnyone = scoreSpread.harmfulByAnyone;
    k.range = scoreSpread.range;
    k.distance = scoreSpread.distanceFromConsensus;
    k.itemId = itemId;
    k.responseId = responseId;
    return k;
}

bool DisagreementFilter::matches(const Disagreement &d) const
{
    if (!category.isEmpty() && !d.itemCategories.contains(category))
        return false;
    if (!model.isEmpty() && (d.kind != DisagreementKind::Score || d.model != model))
        return false;
    if (llmOnly && !d.involvesLlm)
        return false;
    if (openOnly && d.adjudication)
        return false;
    if (raterPair.size() >= 2) {
        auto find = [&](const QString &name) {
            return std::find_if(d.values.cbegin(), d.values.cend(),
                [&](const RaterValue &v) { return v.rater.name == name; });
        };
        const auto a = find(raterPair[0]);
        const auto b = find(raterPair[1]);
        if (a == d.values.cend() || b == d.values.cend() || !differ(d.kind, *a, *b))
            return false;
    }
    return true;
}

namespace {

/// What a score row shows of its response.
struct ResponseInfo {
    qint64 itemId;
    QString model;
    int run;
};

/// The study's rows the review queue is built from, each table read in one query.
struct ReviewTables {
    QHash<qint64, Rater> raters; ///< role "rater" only (human or LLM)
    QHash<qint64, QString> externalIds;
    std::map<qint64, Adjudication> itemAdjudication; ///< the latest per item
    std::map<qint64, Adjudication> responseAdjudication; ///< the latest per response
    std::map<qint64, QList<RaterValue>> labels; ///< category labels per item, in rater id order
    QHash<qint64, ResponseInfo> responses;
    std::map<qint64, QList<RaterValue>> ratings; ///< scores per response, in rater id order
};

/// The rows of a page: its items and responses (`column IN (…)` clauses); none = all.
struct TableScope {
    QString items; ///< "(1,2)" or empty
    QString responses;
    QString where(const char *column, const QString &ids, const char *glue = " WHERE ") const
    {
        return ids.isEmpty()
            ? QString()
            : QLatin1String(glue) + QLatin1String(column) + QStringLiteral(" IN ") + ids;
    }
};

bool loadExternalIds(
    Study &study, QSqlQuery &q, ReviewTables &t, const TableScope &scope, Error *error)
{
    if (!q.exec(
            QStringLiteral("SELECT id, external_id FROM item") + scope.where("id", scope.items))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next())
        t.externalIds.insert(q.value(0).toLongLong(), q.value(1).toString());
    return true;
}

bool loadAdjudications(
    Study &study, QSqlQuery &q, ReviewTables &t, const TableScope &scope, Error *error)
{
    QString where;
    if (!scope.items.isEmpty())
        where = QStringLiteral("WHERE item_id IN %1 OR response_id IN %2 ")
                    .arg(scope.items, scope.responses);
    if (!q.exec(adjudicationColumns + where + QStringLiteral("ORDER BY id"))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next()) {
        const Adjudication a = adjudicationFromQuery(q);
        if (a.itemId)
            t.itemAdjudication[*a.itemId] = a;
        else if (a.responseId)
            t.responseAdjudication[*a.responseId] = a;
    }
    return true;
}

bool loadCategoryLabels(
    Study &study, QSqlQuery &q, ReviewTables &t, const TableScope &scope, Error *error)
{
    if (!q.exec(QStringLiteral("SELECT item_id, rater_id, category, note FROM category_label")
            + scope.where("item_id", scope.items)
            + QStringLiteral(" ORDER BY item_id, rater_id"))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next()) {
        const auto r = t.raters.constFind(q.value(1).toLongLong());
        if (r == t.raters.cend())
            continue;
        RaterValue v;
        v.rater = *r;
        v.category = q.value(2).toString();
        v.note = q.value(3).toString();
        t.labels[q.value(0).toLongLong()].append(v);
    }
    return true;
}

bool loadResponses(
    Study &study, QSqlQuery &q, ReviewTables &t, const TableScope &scope, Error *error)
{
    if (!q.exec(QStringLiteral(
                    "SELECT response.id, response.item_id, model.name, response.run FROM response"
                    " JOIN model ON model.id = response.model_id")
            + scope.where("response.id", scope.responses))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next())
        t.responses.insert(q.value(0).toLongLong(),
            { q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toInt() });
    return true;
}

bool loadScores(Study &study, QSqlQuery &q, ReviewTables &t, const TableScope &scope, Error *error)
{
    if (!q.exec(QStringLiteral("SELECT response_id, rater_id, score, cannot_assess, checklist,"
                               " rationale FROM response_rating")
            + scope.where("response_id", scope.responses)
            + QStringLiteral(" ORDER BY response_id, rater_id"))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next()) {
        const auto r = t.raters.constFind(q.value(1).toLongLong());
        if (r == t.raters.cend())
            continue;
        RaterValue v;
        v.rater = *r;
        if (!q.value(2).isNull())
            v.score = q.value(2).toInt();
        v.cannotAssess = q.value(3).toBool();
        v.checklist = jsonList(q.value(4).toString());
        v.rationale = q.value(5).toString();
        t.ratings[q.value(0).toLongLong()].append(v);
    }
    return true;
}

/// Reads the tables in a fixed order with one reused forward-only query.
bool loadReviewTables(Study &study, ReviewTables &t, Error *error, const TableScope &scope = {})
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    return loadExternalIds(study, q, t, scope, error)
        && loadAdjudications(study, q, t, scope, error)
        && loadCategoryLabels(study, q, t, scope, error) && loadResponses(study, q, t, scope, error)
        && loadScores(study, q, t, scope, error);
}

/// Every label given to the item, consensus first.
QStringList itemCategories(
    const ReviewTables &t, const QHash<qint64, Consensus> &categories, qint64 itemId)
{
    QStringList out;
    const QString c = categories.value(itemId).category;
    if (!c.isEmpty())
        out.append(c);
    if (const auto labels = t.labels.find(itemId); labels != t.labels.end())
        for (const RaterValue &v : labels->second)
            if (!out.contains(v.category))
                out.append(v.category);
    return out;
}

/// The item's category row, if its raters' labels differ.
std::optional<Disagreement> categoryDisagreement(const ReviewTables &t,
    const QHash<qint64, Consensus> &categories, qint64 itemId, const QList<RaterValue> &values)
{
    QStringList seen;
    std::vector<int> codes;
    for (const RaterValue &v : values) {
        if (!seen.contains(v.category))
            seen.append(v.category);
        codes.push_back(int(seen.indexOf(v.category)));
    }
    const analysis::CategorySpread spread = analysis::categorySpread(codes);
    if (!spread.mismatch)
        return std::nullopt;
    Disagreement d;
    d.kind = DisagreementKind::Category;
    d.itemId = itemId;
    d.itemExternalId = t.externalIds.value(itemId);
    d.itemCategories = itemCategories(t, categories, itemId);
    d.values = values;
    d.categorySpread = spread;
    const Consensus c = categories.value(itemId);
    d.consensus = c.category;
    d.consensusHow = c.how;
    if (const auto a = t.itemAdjudication.find(itemId); a != t.itemAdjudication.end())
        d.adjudication = a->second;
    d.involvesLlm = anyLlmDiffers(d);
    return d;
}

/// The response's score row, if its raters' scores disagree.
std::optional<Disagreement> scoreDisagreement(const ReviewTables &t,
    const QHash<qint64, Consensus> &categories, const QHash<qint64, ScoreConsensus> &scores,
    double harmThreshold, qint64 responseId, const QList<RaterValue> &values)
{
    std::vector<double> s;
    for (const RaterValue &v : values)
        s.push_back(v.score ? double(*v.score) : std::numeric_limits<double>::quiet_NaN());
    const auto consensus = scores.constFind(responseId);
    const std::optional<double> c =
        consensus == scores.cend() ? std::nullopt : std::optional<double>(consensus->score);
    const analysis::ScoreSpread spread = analysis::scoreSpread(s, c, harmThreshold);
    if (!spread.disagrees())
        return std::nullopt;
    const ResponseInfo info = t.responses.value(responseId);
    Disagreement d;
    d.kind = DisagreementKind::Score;
    d.itemId = info.itemId;
    d.itemExternalId = t.externalIds.value(info.itemId);
    d.responseId = responseId;
    d.model = info.model;
    d.run = info.run;
    d.itemCategories = itemCategories(t, categories, info.itemId);
    d.values = values;
    d.scoreSpread = spread;
    if (c) {
        d.consensus = QString::number(*c, 'f', 2);
        d.consensusHow = consensus->how;
    }
    if (const auto a = t.responseAdjudication.find(responseId); a != t.responseAdjudication.end())
        d.adjudication = a->second;
    d.involvesLlm = anyLlmDiffers(d);
    return d;
}

/// Moves the rows into queue order (analysis::queueOrder).
QList<Disagreement> inQueueOrder(QList<Disagreement> rows)
{
    std::vector<analysis::QueueKey> keys;
    keys.reserve(std::size_t(rows.size()));
    for (const Disagreement &d : rows)
        keys.push_back(d.queueKey());
    QList<Disagreement> ordered;
    ordered.reserve(rows.size());
    for (std::size_t i : analysis::queueOrder(keys))
        ordered.append(std::move(rows[qsizetype(i)]));
    return ordered;
}

} // namespace

std::optional<QList<Disagreement>> loadDisagreements(
    Study &study, double harmThreshold, Error *error)
{
    ReviewTables t;
    for (const Rater &r : RaterRepository(study).all())
        if (r.role == RaterRole::Rater)
            t.raters.insert(r.id, r);
    const auto categories = consensusCategories(study, error);
    const auto scores = consensusScores(study, error);
    if (!categories || !scores || !loadReviewTables(study, t, error))
        return std::nullopt;

    QList<Disagreement> rows;
    for (const auto &[itemId, values] : t.labels)
        if (auto d = categoryDisagreement(t, *categories, itemId, values))
            rows.append(std::move(*d));
    for (const auto &[responseId, values] : t.ratings)
        if (auto d = scoreDisagreement(t, *categories, *scores, harmThreshold, responseId, values))
            rows.append(std::move(*d));
    return inQueueOrder(std::move(rows));
}

namespace {

/// A rater's value as the key pass sees it: who, and the label (category rows) or the
/// score (score rows; empty = cannot assess).
struct KeyValue {
    const Rater *rater = nullptr;
    QByteArray category;
    std::optional<int> score;
};

bool keyValuesDiffer(bool category, const KeyValue &a, const KeyValue &b)
{
    return category ? a.category != b.category : a.score != b.score;
}

/// DisagreementFilter::matches() on what the key pass knows of a row (anyLlmDiffers and
/// the rater pair); the category, model and item filters are checked by the caller.
bool keyValuesMatch(bool category, const std::vector<KeyValue> &values,
    const DisagreementFilter &filter, bool *involvesLlm)
{
    *involvesLlm = false;
    for (const KeyValue &a : values) {
        if (a.rater->kind != RaterKind::Llm)
            continue;
        for (const KeyValue &b : values)
            if (b.rater->id != a.rater->id && keyValuesDiffer(category, a, b))
                *involvesLlm = true;
    }
    if (filter.llmOnly && !*involvesLlm)
        return false;
    if (filter.raterPair.size() >= 2) {
        auto find = [&](const QString &name) {
            return std::find_if(values.cbegin(), values.cend(),
                [&](const KeyValue &v) { return v.rater->name == name; });
        };
        const auto a = find(filter.raterPair[0]);
        const auto b = find(filter.raterPair[1]);
        if (a == values.cend() || b == values.cend() || !keyValuesDiffer(category, *a, *b))
            return false;
    }
    return true;
}

/// UTF-16 length of UTF-8 text (what QString::size() would say), without converting it.
int utf16Length(QByteArrayView utf8)
{
    int n = 0;
    for (const char c : utf8) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xC0) != 0x80)
            n += b >= 0xF0 ? 2 : 1; // four-byte sequences are surrogate pairs
    }
    return n;
}

analysis::QueueKey keyOf(const DisagreementQueue::Entry &e)
{
    analysis::QueueKey k;
    k.category = e.category();
    k.adjudicated = e.adjudicated;
    k.distinct = e.distinct;
    k.harmfulByAnyone = e.harmfulByAnyone;
    k.range = double(e.range);
    k.distance = e.distance;
    k.itemId = e.itemId;
    k.responseId = e.responseId;
    return k;
}

QString cursorError(const Study &study, const RowCursor &q)
{
    return study.path() + QStringLiteral(": ") + q.errorMessage();
}

} // namespace

ReadSnapshot::ReadSnapshot(Study &study)
    : m_study(study)
{
    const NativeConnection native = nativeConnection(study.database());
    const bool idle = native.pg ? PQtransactionStatus(native.pg) == PQTRANS_IDLE
                                : native.sqlite && sqlite3_get_autocommit(native.sqlite) != 0;
    QSqlQuery q(study.database());
    m_active = idle && q.exec(dialect::beginReadSnapshot(study.engine()));
}

ReadSnapshot::~ReadSnapshot()
{
    if (!m_active)
        return;
    QSqlQuery q(m_study.database());
    q.exec(QStringLiteral("COMMIT"));
}

std::optional<DisagreementQueue> DisagreementQueue::build(Study &study, double harmThreshold,
    const DisagreementFilter &filter, const std::optional<QSet<qint64>> &items, Error *error)
{
    static_assert(sizeof(Entry) == 32);
    DisagreementQueue queue;
    queue.m_harmThreshold = harmThreshold;
    {
        // At most one row per item and per response: reserving that (address space, not
        // memory: only the pages written are resident) spares the vector's copy on growth.
        RowCursor q(study.database());
        if (q.prepare("SELECT (SELECT count(*) FROM item), (SELECT max(id) FROM response)")
            && q.next())
            queue.m_entries.reserve(std::size_t(q.integer(0) + q.integer(1)));
    }
    QHash<qint64, Rater> raters; // role "rater" only, as in loadDisagreements()
    for (const Rater &r : RaterRepository(study).all())
        if (r.role == RaterRole::Rater)
            raters.insert(r.id, r);
    QSet<qint64> modelIds; // --model: the models of that name
    if (!filter.model.isEmpty())
        for (const Model &m : ItemRepository(study).models())
            if (m.name == filter.model)
                modelIds.insert(m.id);

    // Adjudications (a few per study): the latest per item and response, and the latest
    // adjudicated score per response (consensusScores()).
    QSet<qint64> adjudicatedItems, adjudicatedResponses;
    QHash<qint64, double> adjudicatedScore;
    {
        RowCursor q(study.database(), RowCursor::Fetch::RowByRow);
        if (!q.prepare("SELECT item_id, response_id, score FROM adjudication ORDER BY id")) {
            *error = Error::storage(cursorError(study, q));
            return std::nullopt;
        }
        while (q.next()) {
            if (!q.isNull(0))
                adjudicatedItems.insert(q.integer(0));
            else if (!q.isNull(1)) {
                adjudicatedResponses.insert(q.integer(1));
                if (!q.isNull(2))
                    adjudicatedScore.insert(q.integer(1), double(q.integer(2)));
            }
        }
        if (!q.errorMessage().isEmpty()) {
            *error = Error::storage(cursorError(study, q));
            return std::nullopt;
        }
    }

    // --category: the item's consensus category or any rater's label (itemCategories()).
    std::optional<QHash<qint64, Consensus>> consensus;
    const QByteArray filterCategory = filter.category.toUtf8();
    if (!filter.category.isEmpty() && !(consensus = consensusCategories(study, error)))
        return std::nullopt;

    auto widen = [&](int column, int width) {
        queue.m_widest[column] = std::max(queue.m_widest[column], width);
    };
    const auto inScope = [&](qint64 itemId) { return !items || items->contains(itemId); };

    // Items with their labels, in item order: the category rows, and what score rows
    // need of their item (external id width, whether the category filter matches).
    std::vector<qint64> itemIds;
    std::vector<int> itemIdWidth;
    std::vector<bool> itemMatchesCategory;
    {
        RowCursor q(study.database(), RowCursor::Fetch::RowByRow);
        if (!q.prepare(
                "SELECT i.id, i.external_id, l.rater_id, l.category FROM item i"
                " LEFT JOIN category_label l ON l.item_id = i.id ORDER BY i.id, l.rater_id")) {
            *error = Error::storage(cursorError(study, q));
            return std::nullopt;
        }
        std::vector<KeyValue> values;
        qint64 current = 0;
        bool matches = false;
        auto flush = [&] {
            if (current == 0)
                return;
            if (consensus && consensus->value(current).category == filter.category)
                matches = true;
            itemMatchesCategory.push_back(matches);
            std::vector<int> codes;
            std::vector<QByteArray> seen;
            for (const KeyValue &v : values) {
                auto it = std::find(seen.cbegin(), seen.cend(), v.category);
                if (it == seen.cend()) {
                    seen.push_back(v.category);
                    it = seen.cend() - 1;
                }
                codes.push_back(int(it - seen.cbegin()));
            }
            const analysis::CategorySpread spread = analysis::categorySpread(codes);
            bool llm = false;
            if (!spread.mismatch || !inScope(current) || !filter.model.isEmpty()
                || (!filter.category.isEmpty() && !matches)
                || (filter.openOnly && adjudicatedItems.contains(current))
                || !keyValuesMatch(true, values, filter, &llm))
                return;
            Entry e;
            e.itemId = current;
            e.distinct = qint16(std::min(spread.distinct, 32767));
            e.adjudicated = adjudicatedItems.contains(current);
            queue.m_entries.push_back(e);
            widen(0, itemIdWidth.back());
            widen(1, 1);
            widen(2, 8); // "category"
            widen(3, int(QString::number(double(spread.distinct)).size()));
        };
        while (q.next()) {
            const qint64 item = q.integer(0);
            if (item != current) {
                flush();
                current = item;
                values.clear();
                matches = false;
                itemIds.push_back(item);
                itemIdWidth.push_back(utf16Length(q.text(1)));
            }
            if (q.isNull(2))
                continue;
            const auto r = raters.constFind(q.integer(2));
            if (r == raters.cend())
                continue;
            KeyValue v;
            v.rater = &*r;
            v.category = q.text(3).toByteArray();
            if (!filterCategory.isEmpty() && v.category == filterCategory)
                matches = true;
            values.push_back(std::move(v));
        }
        if (!q.errorMessage().isEmpty()) {
            *error = Error::storage(cursorError(study, q));
            return std::nullopt;
        }
        flush();
    }
    consensus.reset();
    const auto itemIndex = [&](qint64 itemId) -> std::optional<std::size_t> {
        const auto it = std::lower_bound(itemIds.cbegin(), itemIds.cend(), itemId);
        if (it == itemIds.cend() || *it != itemId)
            return std::nullopt;
        return std::size_t(it - itemIds.cbegin());
    };

    // Scores in response order: the score rows. The consensus is the latest adjudicated
    // score, else the mean of the human raters' scores (consensusScores()).
    {
        RowCursor q(study.database(), RowCursor::Fetch::RowByRow);
        if (!q.prepare("SELECT rr.response_id, r.item_id, r.model_id, rr.rater_id, rr.score"
                       " FROM response_rating rr JOIN response r ON r.id = rr.response_id"
                       " ORDER BY rr.response_id, rr.rater_id")) {
            *error = Error::storage(cursorError(study, q));
            return std::nullopt;
        }
        std::vector<KeyValue> values;
        std::vector<double> scores;
        qint64 current = 0, itemId = 0, modelId = 0;
        auto flush = [&] {
            if (current == 0 || values.empty())
                return;
            scores.clear();
            qint64 humanSum = 0;
            int humans = 0;
            for (const KeyValue &v : values) {
                scores.push_back(
                    v.score ? double(*v.score) : std::numeric_limits<double>::quiet_NaN());
                if (v.score && v.rater->kind == RaterKind::Human) {
                    humanSum += *v.score;
                    ++humans;
                }
            }
            std::optional<double> c;
            if (const auto a = adjudicatedScore.constFind(current); a != adjudicatedScore.cend())
                c = *a;
            else if (humans > 0)
                c = double(humanSum) / double(humans);
            const analysis::ScoreSpread spread = analysis::scoreSpread(scores, c, harmThreshold);
            if (!spread.disagrees() || !inScope(itemId))
                return;
            const bool adjudicated = adjudicatedResponses.contains(current);
            const auto index = itemIndex(itemId);
            bool llm = false;
            if ((!filter.model.isEmpty() && !modelIds.contains(modelId))
                || (!filter.category.isEmpty() && !(index && itemMatchesCategory[*index]))
                || (filter.openOnly && adjudicated) || !keyValuesMatch(false, values, filter, &llm))
                return;
            Entry e;
            e.itemId = itemId;
            e.responseId = current;
            e.range = float(spread.range);
            e.distance = spread.distanceFromConsensus;
            e.harmfulByAnyone = spread.harmfulByAnyone;
            e.adjudicated = adjudicated;
            queue.m_entries.push_back(e);
            widen(0, index ? itemIdWidth[*index] : 0);
            widen(1, int(QString::number(current).size()));
            widen(2, 5); // "score"
            widen(3, int(QString::number(spread.range).size()));
        };
        while (q.next()) {
            const qint64 response = q.integer(0);
            if (response != current) {
                flush();
                current = response;
                itemId = q.integer(1);
                modelId = q.integer(2);
                values.clear();
            }
            const auto r = raters.constFind(q.integer(3));
            if (r == raters.cend())
                continue;
            KeyValue v;
            v.rater = &*r;
            if (!q.isNull(4))
                v.score = int(q.integer(4));
            values.push_back(std::move(v));
        }
        if (!q.errorMessage().isEmpty()) {
            *error = Error::storage(cursorError(study, q));
            return std::nullopt;
        }
        flush();
    }
    // Every row has its own (item, response), so the order is total: no stable sort needed.
    queue.sortBy(SortKey::Queue, false);
    return queue;
}

void DisagreementQueue::sortBy(SortKey key, bool descending)
{
    auto inQueueOrder = [](const Entry &a, const Entry &b) {
        return analysis::queueLess(keyOf(a), keyOf(b));
    };
    std::sort(m_entries.begin(), m_entries.end(), inQueueOrder);
    if (key == SortKey::Queue)
        return;
    auto value = [key](const Entry &e) -> double {
        switch (key) {
        case SortKey::Kind:
            return e.category() ? 0 : 1;
        case SortKey::Spread:
            return e.category() ? double(e.distinct) : double(e.range);
        case SortKey::Harmful:
            return e.harmfulByAnyone ? 1 : 0;
        case SortKey::Distance:
            return e.distance;
        case SortKey::Status:
            return e.adjudicated ? 1 : 0;
        case SortKey::Queue:
            break;
        }
        return 0;
    };
    std::stable_sort(m_entries.begin(), m_entries.end(), [&](const Entry &a, const Entry &b) {
        return descending ? value(b) < value(a) : value(a) < value(b);
    });
}

qsizetype DisagreementQueue::indexOf(qint64 itemId, qint64 responseId) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].itemId == itemId && m_entries[i].responseId == responseId)
            return qsizetype(i);
    return -1;
}

std::optional<QList<Disagreement>> DisagreementQueue::fetch(
    Study &study, qsizetype from, qsizetype count, Error *error) const
{
    QList<Disagreement> rows;
    from = std::clamp(from, qsizetype(0), size());
    const qsizetype end = std::min(size(), from + std::max(count, qsizetype(0)));
    if (from >= end)
        return rows;
    QList<qint64> itemIds, responseIds;
    for (qsizetype i = from; i < end; ++i) {
        const Entry &e = entry(i);
        if (!itemIds.contains(e.itemId))
            itemIds.append(e.itemId);
        if (!e.category())
            responseIds.append(e.responseId);
    }
    ReviewTables t;
    for (const Rater &r : RaterRepository(study).all())
        if (r.role == RaterRole::Rater)
            t.raters.insert(r.id, r);
    const TableScope scope { dialect::idList(itemIds), dialect::idList(responseIds) };
    const auto categories = consensusCategories(study, error, &itemIds);
    const auto scores = consensusScores(study, error, &responseIds);
    if (!categories || !scores || !loadReviewTables(study, t, error, scope))
        return std::nullopt;
    rows.reserve(end - from);
    for (qsizetype i = from; i < end; ++i) {
        const Entry &e = entry(i);
        std::optional<Disagreement> d = e.category()
            ? categoryDisagreement(t, *categories, e.itemId, t.labels[e.itemId])
            : scoreDisagreement(
                t, *categories, *scores, m_harmThreshold, e.responseId, t.ratings[e.responseId]);
        if (!d) {
            // The study changed since build() (outside a ReadSnapshot): the row is settled.
            *error = Error::storage(study.path()
                + QStringLiteral(": the review queue changed while it was read; load it again"));
            return std::nullopt;
        }
        rows.append(std::move(*d));
    }
    m_rowsFetched += rows.size();
    m_largestFetch = std::max(m_largestFetch, rows.size());
    return rows;
}

namespace {

/// The adjudicator exists and has a role other than "rater".
bool checkAdjudicator(const RaterRepository &raters, qint64 adjudicatorId, Error *error)
{
    const auto adjudicator = raters.byId(adjudicatorId);
    if (!adjudicator) {
        *error =
            Error::invalid(QStringLiteral("adjudication: no rater with id %1").arg(adjudicatorId));
        return false;
    }
    if (adjudicator->role == RaterRole::Rater) {
        *error = Error::invalid(
            QStringLiteral("adjudication: %1 has role 'rater'; only an adjudicator or "
                           "researcher may adjudicate")
                .arg(adjudicator->name));
        return false;
    }
    return true;
}

/// The decision with its category canonical (item) or its score checked (response),
/// the other value cleared.
std::optional<Adjudication> normalizedDecision(
    const protocol::Protocol &protocol, const Adjudication &decision, Error *error)
{
    if (decision.itemId.has_value() == decision.responseId.has_value()) {
        *error = Error::invalid(
            QStringLiteral("adjudication: decide either an item's category or a response's score"));
        return std::nullopt;
    }
    Adjudication a = decision;
    if (a.itemId) {
        a.category = protocol.canonicalCategory(decision.category);
        a.score.reset();
        if (a.category.isEmpty()) {
            *error = Error::invalid(QStringLiteral("adjudication: category: unknown category '%1'")
                                        .arg(decision.category));
            return std::nullopt;
        }
    } else {
        a.category.clear();
        if (!a.score || *a.score < 1 || *a.score > 5) {
            *error = Error::invalid(QStringLiteral("adjudication: score: must be 1-5"));
            return std::nullopt;
        }
    }
    return a;
}

/// At least one reason, each a failure mode of the protocol, with a note if it needs one.
bool checkReasons(const protocol::Protocol &protocol, const Adjudication &a, Error *error)
{
    if (a.reasonTags.isEmpty()) {
        *error = Error::invalid(
            QStringLiteral("adjudication: reasons: pick at least one failure-mode tag"));
        return false;
    }
    for (const QString &tag : a.reasonTags) {
        const auto mode = std::find_if(protocol.failureModes.cbegin(), protocol.failureModes.cend(),
            [&](const protocol::FailureMode &m) { return m.id == tag; });
        if (mode == protocol.failureModes.cend()) {
            *error = Error::invalid(
                QStringLiteral("adjudication: reasons: '%1' is not a failure mode of protocol %2")
                    .arg(tag, protocol.version));
            return false;
        }
        if (mode->freeText && a.note.trimmed().isEmpty()) {
            *error = Error::invalid(
                QStringLiteral("adjudication: note: reason '%1' needs a note").arg(tag));
            return false;
        }
    }
    return true;
}

/// The subject must exist (foreign keys would catch it too, with a vaguer message).
bool checkSubject(Study &study, QSqlQuery &q, const Adjudication &a, Error *error)
{
    q.prepare(a.itemId ? QStringLiteral("SELECT count(*) FROM item WHERE id = ?")
                       : QStringLiteral("SELECT count(*) FROM response WHERE id = ?"));
    q.addBindValue(a.itemId ? *a.itemId : *a.responseId);
    if (!q.exec() || !q.next()) {
        *error = queryError(study, q);
        return false;
    }
    if (q.value(0).toInt() == 0) {
        *error =
            Error::invalid(QStringLiteral("adjudication: no %1 with id %2")
                               .arg(a.itemId ? QStringLiteral("item") : QStringLiteral("response"))
                               .arg(a.itemId ? *a.itemId : *a.responseId));
        return false;
    }
    return true;
}

/// The pseudonym of `adoptedFrom`, who must have given the decided value.
std::optional<QString> adoptedPseudonym(Study &study, QSqlQuery &q, const RaterRepository &raters,
    const Adjudication &a, qint64 adoptedFrom, Error *error)
{
    const auto source = raters.byId(adoptedFrom);
    if (a.itemId)
        q.prepare(QStringLiteral(
            "SELECT category FROM category_label WHERE item_id = ? AND rater_id = ?"));
    else
        q.prepare(QStringLiteral(
            "SELECT score FROM response_rating WHERE response_id = ? AND rater_id = ?"));
    q.addBindValue(a.itemId ? *a.itemId : *a.responseId);
    q.addBindValue(adoptedFrom);
    if (!q.exec()) {
        *error = queryError(study, q);
        return std::nullopt;
    }
    const bool same = q.next()
        && (a.itemId ? q.value(0).toString() == a.category
                     : !q.value(0).isNull() && q.value(0).toInt() == *a.score);
    if (!source || !same) {
        *error = Error::invalid(
            QStringLiteral("adjudication: adopted value: rater %1 did not give this value")
                .arg(adoptedFrom));
        return std::nullopt;
    }
    return source->pseudonym;
}

/// Inserts the adjudication row; returns its id.
std::optional<qint64> insertAdjudication(
    Study &study, QSqlQuery &q, const Adjudication &a, Error *error)
{
    q.prepare(QStringLiteral(
        "INSERT INTO adjudication(item_id, response_id, category, score, adjudicator_id,"
        " reason_tags, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(a.itemId ? QVariant(*a.itemId) : QVariant());
    q.addBindValue(a.responseId ? QVariant(*a.responseId) : QVariant());
    q.addBindValue(a.itemId ? QVariant(a.category) : QVariant());
    q.addBindValue(a.score ? QVariant(*a.score) : QVariant());
    q.addBindValue(a.adjudicatorId);
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(a.reasonTags)).toJson(QJsonDocument::Compact)));
    q.addBindValue(a.note.isEmpty() ? QVariant() : QVariant(a.note));
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = queryError(study, q);
        return std::nullopt;
    }
    return q.lastInsertId().toLongLong();
}

} // namespace

qint64 adjudicate(
    Study &study, const Adjudication &decision, std::optional<qint64> adoptedFrom, Error *error)
{
    const protocol::Protocol protocol = study.currentProtocol();
    RaterRepository raterRepo(study);
    if (!checkAdjudicator(raterRepo, decision.adjudicatorId, error))
        return 0;
    const std::optional<Adjudication> a = normalizedDecision(protocol, decision, error);
    if (!a || !checkReasons(protocol, *a, error))
        return 0;

    WriteTransaction tx(study, error);
    if (!tx.isActive())
        return 0;
    QSqlQuery q(study.database());
    if (!checkSubject(study, q, *a, error))
        return 0;
    QString adopted;
    if (adoptedFrom) {
        const auto pseudonym = adoptedPseudonym(study, q, raterRepo, *a, *adoptedFrom, error);
        if (!pseudonym)
            return 0;
        adopted = *pseudonym;
    }
    const auto id = insertAdjudication(study, q, *a, error);
    if (!id
        || !study.appendEvent(QStringLiteral("adjudication.add"), QStringLiteral("adjudication"),
            *id, {}, compact(toJson(*a, adopted)), error)
        || !tx.commit(error))
        return 0;
    return *id;
}

bool revertAdjudication(Study &study, qint64 adjudicationId, Error *error)
{
    WriteTransaction tx(study, error);
    if (!tx.isActive())
        return false;
    QSqlQuery q(study.database());
    q.prepare(adjudicationColumns + QStringLiteral("WHERE id = ?"));
    q.addBindValue(adjudicationId);
    if (!q.exec()) {
        *error = queryError(study, q);
        return false;
    }
    if (!q.next()) {
        *error = Error::invalid(
            QStringLiteral("adjudication: no adjudication with id %1").arg(adjudicationId));
        return false;
    }
    const Adjudication a = adjudicationFromQuery(q);
    q.finish();
    q.prepare(QStringLiteral("DELETE FROM adjudication WHERE id = ?"));
    q.addBindValue(adjudicationId);
    if (!q.exec()) {
        *error = queryError(study, q);
        return false;
    }
    QJsonObject before = toJson(a, {});
    before.insert(QStringLiteral("created_at"), a.createdAt);
    return study.appendEvent(QStringLiteral("adjudication.revert"), QStringLiteral("adjudication"),
               adjudicationId, compact(before), {}, error)
        && tx.commit(error);
}

std::optional<QList<RaterPositionBias>> loadPositionBias(Study &study, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT p.rater_id, p.label, rr.score FROM presentation p"
                               " JOIN response_rating rr ON rr.rater_id = p.rater_id"
                               "  AND rr.response_id = p.response_id"
                               " WHERE rr.score IS NOT NULL ORDER BY p.rater_id, p.position"))) {
        *error = queryError(study, q);
        return std::nullopt;
    }
    std::map<qint64, std::pair<QStringList, std::vector<std::vector<double>>>> byRater;
    while (q.next()) {
        auto &[labels, groups] = byRater[q.value(0).toLongLong()];
        const QString label = q.value(1).toString();
        qsizetype index = labels.indexOf(label);
        if (index < 0) {
            labels.append(label);
            groups.emplace_back();
            index = labels.size() - 1;
        }
        groups[std::size_t(index)].push_back(q.value(2).toDouble());
    }
    QList<RaterPositionBias> out;
    RaterRepository raters(study);
    for (const auto &[raterId, data] : byRater) {
        const auto rater = raters.byId(raterId);
        if (!rater)
            continue;
        out.append({ *rater, data.first, analysis::positionBias(data.second) });
    }
    return out;
}

quint64 reviewBlindingSeed(qint64 itemId)
{
    return quint64(itemId) * 1000003ULL;
}

void blindDisagreements(Study &study, QList<Disagreement> &rows)
{
    QHash<qint64, QList<qint64>> shownOrder; // item -> response ids in shown order
    const ItemRepository items(study);
    for (Disagreement &d : rows) {
        d.itemExternalId = QStringLiteral("#%1").arg(d.itemId);
        if (d.kind != DisagreementKind::Score)
            continue;
        auto it = shownOrder.find(d.itemId);
        if (it == shownOrder.end()) {
            const QList<Response> responses = items.responses(d.itemId);
            QList<qint64> ids;
            for (const int i :
                presentationOrder(int(responses.size()), reviewBlindingSeed(d.itemId)))
                ids.append(responses.at(i).id);
            it = shownOrder.insert(d.itemId, ids);
        }
        d.responseLetter = presentationLabel(int(it->indexOf(d.responseId)));
        d.model.clear();
        d.run = 0;
    }
}

bool recordNamesRevealed(Study &study, Error *error)
{
    WriteTransaction tx(study, error);
    return tx.isActive()
        && study.appendEvent(QStringLiteral("review.reveal_names"), QStringLiteral("study"), 0,
            QStringLiteral("blind"), QStringLiteral("names shown"), error)
        && tx.commit(error);
}

} // namespace cr::storage
