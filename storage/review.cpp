#include "storage/review.h"

#include "storage/consensus.h"
#include "storage/exposure.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <limits>
#include <map>

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

bool loadExternalIds(Study &study, QSqlQuery &q, ReviewTables &t, Error *error)
{
    if (!q.exec(QStringLiteral("SELECT id, external_id FROM item"))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next())
        t.externalIds.insert(q.value(0).toLongLong(), q.value(1).toString());
    return true;
}

bool loadAdjudications(Study &study, QSqlQuery &q, ReviewTables &t, Error *error)
{
    if (!q.exec(adjudicationColumns + QStringLiteral("ORDER BY id"))) {
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

bool loadCategoryLabels(Study &study, QSqlQuery &q, ReviewTables &t, Error *error)
{
    if (!q.exec(QStringLiteral("SELECT item_id, rater_id, category, note FROM category_label"
                               " ORDER BY item_id, rater_id"))) {
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

bool loadResponses(Study &study, QSqlQuery &q, ReviewTables &t, Error *error)
{
    if (!q.exec(QStringLiteral(
            "SELECT response.id, response.item_id, model.name, response.run FROM response"
            " JOIN model ON model.id = response.model_id"))) {
        *error = queryError(study, q);
        return false;
    }
    while (q.next())
        t.responses.insert(q.value(0).toLongLong(),
            { q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toInt() });
    return true;
}

bool loadScores(Study &study, QSqlQuery &q, ReviewTables &t, Error *error)
{
    if (!q.exec(QStringLiteral(
            "SELECT response_id, rater_id, score, cannot_assess, checklist, rationale"
            " FROM response_rating ORDER BY response_id, rater_id"))) {
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
bool loadReviewTables(Study &study, ReviewTables &t, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    return loadExternalIds(study, q, t, error) && loadAdjudications(study, q, t, error)
        && loadCategoryLabels(study, q, t, error) && loadResponses(study, q, t, error)
        && loadScores(study, q, t, error);
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
