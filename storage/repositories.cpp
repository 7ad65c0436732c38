#include "storage/repositories.h"

#include "analysis/assignment.h"
#include "analysis/random.h"
#include "storage/backend.h"
#include "storage/exposure.h"
#include "storage/jury.h"
#include "storage/package.h"
#include "storage/records.h"
#include "storage/statement.h"
#include "storage/study.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <vector>

namespace cr::storage {

namespace {

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

template<typename T> QVariant nullable(const std::optional<T> &v)
{
    return v ? QVariant::fromValue(*v) : QVariant();
}

Error queryError(const Study &study, const QSqlQuery &q)
{
    return Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
}

QString toJsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QStringList stringListFromJson(const QString &json)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const auto &v : array)
        out.append(v.toString());
    return out;
}

QString stringListToJson(const QStringList &list)
{
    if (list.isEmpty())
        return {};
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

Rater raterFromQuery(const QSqlQuery &q)
{
    Rater r;
    r.id = q.value(0).toLongLong();
    r.name = q.value(1).toString();
    r.kind = raterKindFromString(q.value(2).toString()).value_or(RaterKind::Human);
    r.role = raterRoleFromString(q.value(3).toString()).value_or(RaterRole::Rater);
    r.pseudonym = q.value(4).toString();
    return r;
}

const QString raterColumns = QStringLiteral("SELECT id, name, kind, role, pseudonym FROM rater ");

QJsonObject toJson(const CategoryLabel &l)
{
    QJsonObject o { { QStringLiteral("item"), l.itemId }, { QStringLiteral("rater"), l.raterId },
        { QStringLiteral("category"), l.category } };
    if (!l.note.isEmpty())
        o.insert(QStringLiteral("note"), l.note);
    return o;
}

QJsonObject toJson(const ResponseRating &r)
{
    QJsonObject o { { QStringLiteral("response"), r.responseId },
        { QStringLiteral("rater"), r.raterId } };
    o.insert(QStringLiteral("score"), r.score ? QJsonValue(*r.score) : QJsonValue());
    if (r.cannotAssess)
        o.insert(QStringLiteral("cannot_assess"), true);
    if (!r.checklist.isEmpty())
        o.insert(QStringLiteral("checklist"), QJsonArray::fromStringList(r.checklist));
    if (!r.rationale.isEmpty())
        o.insert(QStringLiteral("rationale"), r.rationale);
    if (r.secondsSpent)
        o.insert(QStringLiteral("seconds_spent"), *r.secondsSpent);
    return o;
}

/// Inside a write transaction: records a random `rater_order_seed` unless the study has
/// one; `logEvent`: with a `study.order_seed` event (assign() logs its plan instead).
bool writeOrderSeedIfMissing(Study &study, bool logEvent, Error *error)
{
    const quint64 seed = QRandomGenerator::system()->generate64();
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES ('rater_order_seed', ?)"
                             " ON CONFLICT(key) DO NOTHING"));
    q.addBindValue(QString::number(seed));
    if (!q.exec()) {
        if (error)
            *error = queryError(study, q);
        return false;
    }
    return !logEvent || q.numRowsAffected() == 0
        || study.appendEvent(QStringLiteral("study.order_seed"), QStringLiteral("meta"), 0,
            QString(), QString::number(seed), error);
}

} // namespace

// ---- RaterRepository ---------------------------------------------------------

QString RaterRepository::validateName(const QString &name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("rater name is empty");
    if (name != name.trimmed())
        return QStringLiteral("rater name '%1' has leading or trailing spaces").arg(name);
    if (name.contains(QLatin1Char(',')))
        return QStringLiteral("rater name '%1' contains a comma").arg(name);
    if (name.size() > 200)
        return QStringLiteral("rater name is longer than 200 characters");
    return {};
}

std::optional<Rater> RaterRepository::add(
    const QString &name, RaterKind kind, RaterRole role, Error *error)
{
    if (const QString problem = validateName(name); !problem.isEmpty()) {
        *error = Error::invalid(problem);
        return std::nullopt;
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return std::nullopt;
    if (byName(name)) {
        *error = Error::invalid(QStringLiteral("rater '%1' already exists").arg(name));
        return std::nullopt;
    }
    if (JuryRepository(m_study).byName(name)) {
        *error = Error::invalid(QStringLiteral("'%1' is already the name of a jury").arg(name));
        return std::nullopt;
    }
    Rater r;
    r.name = name;
    r.kind = kind;
    r.role = role;
    QString message;
    r.id = insertRater(m_study.database(), name, kind, role, &r.pseudonym, &message);
    if (r.id == 0) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return std::nullopt;
    }
    const QJsonObject after { { QStringLiteral("name"), r.name },
        { QStringLiteral("kind"), toString(kind) }, { QStringLiteral("role"), toString(role) },
        { QStringLiteral("pseudonym"), r.pseudonym } };
    if (!m_study.appendEvent(QStringLiteral("rater.add"), QStringLiteral("rater"), r.id, {},
            toJsonText(after), error)
        || !tx.commit(error))
        return std::nullopt;
    return r;
}

std::optional<Rater> RaterRepository::byName(const QString &name) const
{
    QSqlQuery q(m_study.database());
    q.prepare(raterColumns + QStringLiteral("WHERE name = ?"));
    q.addBindValue(name);
    if (q.exec() && q.next())
        return raterFromQuery(q);
    return std::nullopt;
}

std::optional<Rater> RaterRepository::byId(qint64 id) const
{
    QSqlQuery q(m_study.database());
    q.prepare(raterColumns + QStringLiteral("WHERE id = ?"));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return raterFromQuery(q);
    return std::nullopt;
}

QList<Rater> RaterRepository::all() const
{
    QList<Rater> out;
    QSqlQuery q(m_study.database());
    q.setForwardOnly(true);
    if (q.exec(raterColumns + QStringLiteral("ORDER BY id")))
        while (q.next())
            out.append(raterFromQuery(q));
    return out;
}

// ---- ItemRepository ----------------------------------------------------------

qint64 ItemRepository::count() const
{
    QSqlQuery q(m_study.database());
    if (q.exec(QStringLiteral("SELECT count(*) FROM item")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

QList<qint64> ItemRepository::ids() const
{
    QList<qint64> out;
    QSqlQuery q(m_study.database());
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral("SELECT id FROM item ORDER BY id")))
        while (q.next())
            out.append(q.value(0).toLongLong());
    return out;
}

static std::optional<Item> fetchItem(const Study &study, const QString &where, const QVariant &key)
{
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("SELECT item.id, external_id, dataset.name, split, turns,"
                             " reference_label, metadata FROM item"
                             " LEFT JOIN dataset ON dataset.id = item.dataset_id WHERE ")
        + where);
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return std::nullopt;
    Item item;
    item.id = q.value(0).toLongLong();
    item.externalId = q.value(1).toString();
    item.dataset = q.value(2).toString();
    item.split = q.value(3).toString();
    item.turns = stringListFromJson(q.value(4).toString());
    item.referenceLabel = q.value(5).toString();
    item.metadataJson = q.value(6).toString();
    return item;
}

std::optional<Item> ItemRepository::item(qint64 id) const
{
    return fetchItem(m_study, QStringLiteral("item.id = ?"), id);
}

std::optional<Item> ItemRepository::byExternalId(const QString &externalId) const
{
    return fetchItem(m_study, QStringLiteral("external_id = ?"), externalId);
}

QList<Response> ItemRepository::responses(qint64 itemId) const
{
    QList<Response> out;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT response.id, model_id, model.name, run, text, refusal, tokens"
                             " FROM response JOIN model ON model.id = response.model_id"
                             " WHERE item_id = ? ORDER BY model.name, run"));
    q.addBindValue(itemId);
    if (!q.exec())
        return out;
    while (q.next()) {
        Response r;
        r.id = q.value(0).toLongLong();
        r.itemId = itemId;
        r.modelId = q.value(1).toLongLong();
        r.modelName = q.value(2).toString();
        r.run = q.value(3).toInt();
        r.text = q.value(4).toString();
        r.refusal = q.value(5).toBool();
        if (!q.value(6).isNull())
            r.tokens = q.value(6).toInt();
        out.append(r);
    }
    return out;
}

QList<Model> ItemRepository::models() const
{
    QList<Model> out;
    QSqlQuery q(m_study.database());
    if (q.exec(QStringLiteral("SELECT id, name FROM model ORDER BY name")))
        while (q.next())
            out.append({ q.value(0).toLongLong(), q.value(1).toString() });
    return out;
}

// ---- AssignmentRepository ----------------------------------------------------

int AssignmentRepository::assign(const QList<qint64> &raterIds, int perItem, quint64 seed,
    const QList<qint64> &calibrationItemIds, Error *error)
{
    if (raterIds.isEmpty()) {
        *error = Error::invalid(QStringLiteral("no raters given"));
        return -1;
    }
    if (perItem < 1 || perItem > raterIds.size()) {
        *error = Error::invalid(QStringLiteral("--per-item must be between 1 and the number of "
                                               "raters (%1), got %2")
                                    .arg(raterIds.size())
                                    .arg(perItem));
        return -1;
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return -1;
    // The raters' item orders are seeded once per study, with its first assignments.
    if (!writeOrderSeedIfMissing(m_study, false, error))
        return -1;
    QSqlDatabase db = m_study.database();
    const QList<qint64> items = ItemRepository(m_study).ids();
    QHash<qint64, int> itemIndex;
    for (int i = 0; i < items.size(); ++i)
        itemIndex.insert(items[i], i);
    QHash<qint64, int> raterIndex;
    for (int i = 0; i < raterIds.size(); ++i)
        raterIndex.insert(raterIds[i], i);

    std::vector<std::vector<int>> existing(static_cast<std::size_t>(items.size()));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT item_id, rater_id FROM assignment"))) {
        *error = queryError(m_study, q);
        return -1;
    }
    while (q.next()) {
        const auto r = raterIndex.constFind(q.value(1).toLongLong());
        const auto i = itemIndex.constFind(q.value(0).toLongLong());
        if (r != raterIndex.cend() && i != itemIndex.cend())
            existing[static_cast<std::size_t>(*i)].push_back(*r);
    }
    QSet<qint64> calibration(calibrationItemIds.cbegin(), calibrationItemIds.cend());
    for (qint64 itemId : calibrationItemIds) {
        if (!itemIndex.contains(itemId)) {
            *error =
                Error::invalid(QStringLiteral("calibration item %1 does not exist").arg(itemId));
            return -1;
        }
    }

    auto plan = analysis::planBalancedAssignment(
        int(items.size()), int(raterIds.size()), perItem, seed, existing);
    q.prepare(QStringLiteral("INSERT INTO assignment(rater_id, item_id, seed, status, created_at,"
                             " calibration) VALUES (?, ?, ?, 'pending', ?, ?)"
                             " ON CONFLICT(rater_id, item_id) DO NOTHING"));
    const QString now = Study::now();
    int added = 0;
    for (int i = 0; i < items.size(); ++i) {
        const qint64 itemId = items[i];
        const bool isCalibration = calibration.contains(itemId);
        std::vector<int> raters = plan[static_cast<std::size_t>(i)];
        if (isCalibration) {
            raters.clear();
            for (int r = 0; r < raterIds.size(); ++r)
                raters.push_back(r);
        }
        for (int r : raters) {
            const qint64 raterId = raterIds[r];
            // Display-order seed per (rater, item), derived from the study seed.
            std::uint64_t state = seed ^ (quint64(raterId) << 32) ^ quint64(itemId);
            const auto displaySeed = static_cast<qint64>(analysis::splitMix64(state) >> 1);
            q.addBindValue(raterId);
            q.addBindValue(itemId);
            q.addBindValue(displaySeed);
            q.addBindValue(now);
            q.addBindValue(isCalibration ? 1 : 0);
            if (!q.exec()) {
                *error = queryError(m_study, q);
                return -1;
            }
            added += q.numRowsAffected();
        }
    }
    const QJsonObject after { { QStringLiteral("raters"), QJsonArray::fromVariantList([&] {
                                   QVariantList l;
                                   for (qint64 id : raterIds)
                                       l.append(id);
                                   return l;
                               }()) },
        { QStringLiteral("per_item"), perItem }, { QStringLiteral("seed"), QString::number(seed) },
        { QStringLiteral("calibration_items"), int(calibration.size()) },
        { QStringLiteral("added"), added } };
    if (!m_study.appendEvent(QStringLiteral("assignment.plan"), QStringLiteral("assignment"), 0, {},
            toJsonText(after), error)
        || !tx.commit(error))
        return -1;
    return added;
}

namespace {

/// Reads one rater's assignment rows, "… WHERE rater_id = ?" followed by `tail`, through
/// the native statement path (no QVariant per cell). A rater's server login cannot read
/// which items are calibration items (docs/POSTGRES-SECURITY.md): there the read is
/// tried again without that column, with `serverTail`.
bool readAssignmentRows(Study &study, qint64 raterId, const QByteArray &tail,
    const QByteArray &serverTail, qsizetype expected, QList<Assignment> *out, QString *message)
{
    // Statuses and skip reasons are a handful of words: share one QString per word
    // instead of allocating one per assignment (a rater may have 200,000).
    QList<std::pair<QByteArray, QString>> words;
    const auto word = [&words](QByteArrayView utf8) -> QString {
        if (utf8.isEmpty())
            return {};
        for (const auto &w : std::as_const(words))
            if (w.first == utf8)
                return w.second;
        words.append({ utf8.toByteArray(), QString::fromUtf8(utf8) });
        return words.last().second;
    };
    const auto read = [&](const QByteArray &sql) {
        out->clear();
        out->reserve(expected);
        RowCursor q(study.database());
        if (!q.prepare(sql.constData())) {
            *message = q.errorMessage();
            return false;
        }
        q.bindInt(1, raterId);
        while (q.next()) {
            Assignment a;
            a.id = q.integer(0);
            a.raterId = raterId;
            a.itemId = q.integer(1);
            a.seed = quint64(q.integer(2));
            a.status = word(q.text(3));
            a.calibration = q.integer(4) != 0;
            a.flagged = q.integer(5) != 0;
            a.skipReason = word(q.text(6));
            out->append(std::move(a));
        }
        *message = q.errorMessage();
        return message->isEmpty();
    };
    const QByteArray select = "SELECT id, item_id, seed, status, calibration, flagged, skip_reason"
                              " FROM assignment WHERE rater_id = ?";
    if (read(select + tail))
        return true;
    return Study::isServerLocation(study.path())
        && read("SELECT id, item_id, seed, status, 0, flagged, skip_reason"
                " FROM assignment WHERE rater_id = ?"
            + serverTail);
}

/// The seeded order of a rater's items: by ratingOrderKey, ties (never seen: 64-bit keys)
/// by item id. forRater() and queueForRater() both sort with it.
struct OrderKey {
    quint64 key;
    qint64 itemId;
    qsizetype position;
    bool operator<(const OrderKey &o) const
    {
        return key != o.key ? key < o.key : itemId < o.itemId;
    }
};

} // namespace

QList<Assignment> AssignmentRepository::forRater(qint64 raterId) const
{
    QList<Assignment> out;
    qint64 expected = 0; // the trigger-kept count (SQLite), to allocate once
    if (engineOf(m_study.database()) == Engine::Sqlite)
        if (const std::optional<Progress> counts = progress(raterId))
            expected = counts->assigned;
    // A rater package (its item ids in the master's order for this rater) and a study
    // with an order seed sort below, on keys unique per rater: no ORDER BY to sort in the
    // database first (a temporary B-tree of every assignment at sign-in).
    const bool package = packageInfo(m_study).has_value();
    const std::optional<quint64> seed = package ? std::nullopt : orderSeed();
    const bool sortedHere = package || seed;
    QString message;
    if (!readAssignmentRows(m_study, raterId,
            sortedHere ? QByteArray() : QByteArray(" ORDER BY calibration DESC, item_id"),
            " ORDER BY item_id", expected, &out, &message))
        return {};
    // A rater package holds the rater's order already: keep it.
    if (package) {
        std::stable_sort(out.begin(), out.end(),
            [](const Assignment &x, const Assignment &y) { return x.itemId < y.itemId; });
        return out;
    }
    if (seed) {
        // Sort (key, item, position) triples, then move each assignment once.
        std::vector<OrderKey> keys;
        keys.reserve(std::size_t(out.size()));
        for (qsizetype i = 0; i < out.size(); ++i)
            keys.push_back(
                { ratingOrderKey(*seed, raterId, out.at(i).itemId), out.at(i).itemId, i });
        std::sort(keys.begin(), keys.end());
        QList<Assignment> sorted;
        sorted.reserve(out.size());
        for (const OrderKey &k : keys)
            sorted.append(std::move(out[k.position]));
        out = std::move(sorted);
    }
    return out;
}

QList<qint64> AssignmentRepository::queueForRater(qint64 raterId) const
{
    const bool package = packageInfo(m_study).has_value();
    const std::optional<quint64> seed = package ? std::nullopt : orderSeed();
    qint64 expected = 0;
    if (engineOf(m_study.database()) == Engine::Sqlite)
        if (const std::optional<Progress> counts = progress(raterId))
            expected = counts->assigned;
    QList<qint64> out;
    const auto read = [&](const char *sql) {
        out.clear();
        out.reserve(expected);
        RowCursor q(m_study.database());
        if (!q.prepare(sql))
            return false;
        q.bindInt(1, raterId);
        while (q.next())
            out.append(q.integer(0));
        return q.errorMessage().isEmpty();
    };
    // By item id: the order of the unique (rater_id, item_id) index, so SQLite reads that
    // index only (covering) and sorts nothing. Without a seed (no rater signed in yet) the
    // calibration items come first, as in forRater(); a rater's server login cannot read
    // that column (and always has a seed by then: RatingSession records it).
    if (package || seed) {
        if (!read("SELECT item_id FROM assignment WHERE rater_id = ? ORDER BY item_id"))
            return {};
    } else if (!read("SELECT item_id FROM assignment WHERE rater_id = ?"
                     " ORDER BY calibration DESC, item_id")
        && (!Study::isServerLocation(m_study.path())
            || !read("SELECT item_id FROM assignment WHERE rater_id = ? ORDER BY item_id"))) {
        return {};
    }
    if (seed) {
        std::vector<OrderKey> keys;
        keys.reserve(std::size_t(out.size()));
        for (qsizetype i = 0; i < out.size(); ++i)
            keys.push_back({ ratingOrderKey(*seed, raterId, out.at(i)), out.at(i), i });
        std::sort(keys.begin(), keys.end());
        for (std::size_t i = 0; i < keys.size(); ++i)
            out[qsizetype(i)] = keys[i].itemId;
    }
    return out;
}

bool AssignmentRepository::forRaterItems(
    qint64 raterId, const QList<qint64> &itemIds, QList<Assignment> *out, Error *error) const
{
    out->clear();
    if (itemIds.isEmpty())
        return true;
    // Integers only: written into the statement (one statement per window, a few hundred
    // ids), each found through the (rater_id, item_id) index.
    QByteArray in = " AND item_id IN (";
    for (qsizetype i = 0; i < itemIds.size(); ++i) {
        if (i)
            in += ',';
        in += QByteArray::number(itemIds.at(i));
    }
    in += ')';
    QList<Assignment> rows;
    QString message;
    if (!readAssignmentRows(m_study, raterId, in, in, itemIds.size(), &rows, &message)) {
        *error = Error::storage(message);
        return false;
    }
    QHash<qint64, qsizetype> row;
    row.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i)
        row.insert(rows.at(i).itemId, i);
    out->reserve(rows.size());
    for (qint64 id : itemIds)
        if (const auto it = row.constFind(id); it != row.cend())
            out->append(std::move(rows[*it]));
    return true;
}

std::optional<AssignmentRepository::Progress> AssignmentRepository::progress(qint64 raterId) const
{
    const auto read = [&](const char *sql) -> std::optional<Progress> {
        RowCursor q(m_study.database());
        if (!q.prepare(sql))
            return std::nullopt;
        q.bindInt(1, raterId);
        if (!q.next())
            return std::nullopt;
        return Progress { q.integer(0), q.integer(1), q.integer(2), q.integer(3) };
    };
    if (engineOf(m_study.database()) == Engine::Sqlite)
        if (auto kept = read("SELECT assigned, done, skipped, distressing FROM tally_rater"
                             " WHERE rater_id = ?"))
            return kept;
    return read("SELECT count(*),"
                " coalesce(sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0),"
                " coalesce(sum(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END), 0),"
                " coalesce(sum(CASE WHEN skip_reason = 'distressing' THEN 1 ELSE 0 END), 0)"
                " FROM assignment WHERE rater_id = ?");
}

std::optional<quint64> AssignmentRepository::orderSeed() const
{
    bool ok = false;
    const quint64 seed = m_study.metaValue(QStringLiteral("rater_order_seed")).toULongLong(&ok);
    return ok ? std::optional<quint64>(seed) : std::nullopt;
}

std::optional<quint64> AssignmentRepository::ensureOrderSeed(Error *error)
{
    if (const std::optional<quint64> seed = orderSeed())
        return seed;
    if (packageInfo(m_study))
        return std::nullopt; // a package keeps the master's order (forRater())
    WriteTransaction tx(m_study, error);
    if (!tx.isActive() || !writeOrderSeedIfMissing(m_study, true, error) || !tx.commit(error))
        return std::nullopt;
    return orderSeed();
}

static bool updateAssignment(
    Study &study, qint64 id, const QString &column, const QVariant &value, Error *error)
{
    WriteTransaction tx(study, error);
    if (!tx.isActive())
        return false;
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("SELECT ") + column + QStringLiteral(" FROM assignment WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next()) {
        *error = Error::invalid(QStringLiteral("no assignment %1").arg(id));
        return false;
    }
    const QString before = q.value(0).toString();
    q.prepare(
        QStringLiteral("UPDATE assignment SET ") + column + QStringLiteral(" = ? WHERE id = ?"));
    q.addBindValue(value);
    q.addBindValue(id);
    if (!q.exec()) {
        *error = queryError(study, q);
        return false;
    }
    return study.appendEvent(QStringLiteral("assignment.") + column, QStringLiteral("assignment"),
               id, before, value.toString(), error)
        && tx.commit(error);
}

bool AssignmentRepository::setStatus(qint64 assignmentId, const QString &status, Error *error)
{
    static const QStringList allowed { QStringLiteral("pending"), QStringLiteral("in_progress"),
        QStringLiteral("done"), QStringLiteral("skipped") };
    if (!allowed.contains(status)) {
        *error = Error::invalid(QStringLiteral("unknown assignment status '%1'").arg(status));
        return false;
    }
    return updateAssignment(m_study, assignmentId, QStringLiteral("status"), status, error);
}

int AssignmentRepository::completeFromStoredRatings(qint64 raterId, Error *error)
{
    {
        // Nothing can be complete without a label of the rater's (tally_rater, schema
        // step 10): a rater who has not labelled anything yet is not checked item by item.
        QSqlQuery labels(m_study.database());
        labels.prepare(QStringLiteral("SELECT labels FROM tally_rater WHERE rater_id = ?"));
        labels.addBindValue(raterId);
        if (labels.exec() && labels.next() && labels.value(0).toLongLong() == 0)
            return 0;
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return -1;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral(
        "UPDATE assignment SET status = 'done' WHERE rater_id = ? AND status IN ('pending', "
        "'in_progress')"
        " AND EXISTS (SELECT 1 FROM category_label l WHERE l.item_id = assignment.item_id"
        "  AND l.rater_id = assignment.rater_id)"
        " AND NOT EXISTS (SELECT 1 FROM response r WHERE r.item_id = assignment.item_id"
        "  AND NOT EXISTS (SELECT 1 FROM response_rating rr WHERE rr.response_id = r.id"
        "   AND rr.rater_id = assignment.rater_id))"));
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return -1;
    }
    const int changed = q.numRowsAffected();
    if (changed == 0)
        return 0; // nothing written: the transaction rolls back
    if (!m_study.appendEvent(QStringLiteral("assignment.complete_from_ratings"),
            QStringLiteral("rater"), raterId, QString(), QString::number(changed), error)
        || !tx.commit(error))
        return -1;
    return changed;
}

bool AssignmentRepository::setFlagged(qint64 assignmentId, bool flagged, Error *error)
{
    return updateAssignment(
        m_study, assignmentId, QStringLiteral("flagged"), flagged ? 1 : 0, error);
}

// ---- RatingRepository --------------------------------------------------------

bool RatingRepository::setCategoryLabel(const CategoryLabel &label, Error *error)
{
    const protocol::Protocol protocol = m_study.currentProtocol();
    const QString category = protocol.canonicalCategory(label.category);
    if (category.isEmpty()) {
        *error = Error::invalid(QStringLiteral("unknown category '%1'").arg(label.category));
        return false;
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    const auto before = categoryLabel(label.itemId, label.raterId);
    CategoryLabel stored = label;
    stored.category = category;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral(
        "INSERT INTO category_label(item_id, rater_id, category, note, protocol_id, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(item_id, rater_id) DO UPDATE SET category = excluded.category,"
        " note = excluded.note, protocol_id = excluded.protocol_id,"
        " updated_at = excluded.updated_at"));
    const QString now = Study::now();
    q.addBindValue(stored.itemId);
    q.addBindValue(stored.raterId);
    q.addBindValue(stored.category);
    q.addBindValue(nullable(stored.note));
    q.addBindValue(m_study.currentProtocolId());
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return false;
    }
    return m_study.appendEvent(QStringLiteral("label.set"), QStringLiteral("category_label"),
               stored.itemId, before ? toJsonText(toJson(*before)) : QString(),
               toJsonText(toJson(stored)), error)
        && tx.commit(error);
}

bool RatingRepository::clearCategoryLabel(qint64 itemId, qint64 raterId, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    const auto before = categoryLabel(itemId, raterId);
    if (!before)
        return tx.commit(error);
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("DELETE FROM category_label WHERE item_id = ? AND rater_id = ?"));
    q.addBindValue(itemId);
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return false;
    }
    return m_study.appendEvent(QStringLiteral("label.clear"), QStringLiteral("category_label"),
               itemId, toJsonText(toJson(*before)), {}, error)
        && tx.commit(error);
}

std::optional<CategoryLabel> RatingRepository::categoryLabel(qint64 itemId, qint64 raterId) const
{
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT category, note FROM category_label"
                             " WHERE item_id = ? AND rater_id = ?"));
    q.addBindValue(itemId);
    q.addBindValue(raterId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return CategoryLabel { itemId, raterId, q.value(0).toString(), q.value(1).toString() };
}

bool RatingRepository::setResponseRating(const ResponseRating &rating, Error *error)
{
    if (rating.cannotAssess == rating.score.has_value()) {
        *error = Error::invalid(QStringLiteral("a rating needs either a score 1-5 or "
                                               "'cannot assess', not both"));
        return false;
    }
    if (rating.score && (*rating.score < 1 || *rating.score > 5)) {
        *error = Error::invalid(QStringLiteral("score %1 is outside 1-5").arg(*rating.score));
        return false;
    }
    if (!rating.checklist.isEmpty()) { // the protocol is read only when there is a tick
        const protocol::Protocol protocol = m_study.currentProtocol();
        for (const QString &tick : rating.checklist) {
            const bool known = std::any_of(protocol.checklist.cbegin(), protocol.checklist.cend(),
                [&](const auto &c) { return c.id == tick; });
            if (!known) {
                *error = Error::invalid(QStringLiteral("unknown checklist item '%1'").arg(tick));
                return false;
            }
        }
    }
    if (m_study.hasOneStatementWrites()) {
        // On a server: the whole write (previous value, upsert, event) in one statement
        // and one round trip, its own transaction; the study's write lock is taken on the
        // server for the event only (storage/pgsecurity.cpp, cr_set_rating).
        Statement write;
        QString message;
        if (!write.prepare(nativeConnection(m_study.database()),
                "SELECT cr_set_rating(?::bigint, ?::bigint, ?::integer, ?::integer, ?, ?,"
                " ?::double precision, ?, ?, ?, ?::boolean)",
                &message)) {
            *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
            return false;
        }
        const QByteArray checklist = stringListToJson(rating.checklist).toUtf8();
        const QByteArray rationale =
            rating.rationale.isEmpty() ? QByteArray() : rating.rationale.toUtf8();
        const QByteArray now = Study::now().toUtf8();
        const QByteArray actor = m_study.actor().toUtf8();
        const QByteArray after = toJsonText(toJson(rating)).toUtf8();
        write.bindInt(1, rating.responseId);
        write.bindInt(2, rating.raterId);
        write.bindInt(3, rating.score ? std::optional<qint64>(*rating.score) : std::nullopt);
        write.bindInt(4, rating.cannotAssess ? 1 : 0);
        write.bindText(5, checklist.isEmpty() ? QByteArray() : checklist);
        write.bindText(6, rationale);
        write.bindDouble(7, rating.secondsSpent);
        write.bindText(8, now);
        write.bindText(9, actor);
        write.bindText(10, after);
        write.bindText(11, m_study.waitsForLock() ? "true" : "false");
        switch (m_study.writeInOneStatement(write, error)) {
        case Study::OneStatementWrite::Done:
            return true;
        case Study::OneStatementWrite::Failed:
            return false;
        case Study::OneStatementWrite::Unsupported:
            break; // an older server: the statements one by one, below
        }
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    const auto before = responseRating(rating.responseId, rating.raterId);
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral(
        "INSERT INTO response_rating(response_id, rater_id, score, cannot_assess, checklist,"
        " rationale, protocol_id, seconds_spent, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(response_id, rater_id) DO UPDATE SET score = excluded.score,"
        " cannot_assess = excluded.cannot_assess, checklist = excluded.checklist,"
        " rationale = excluded.rationale, protocol_id = excluded.protocol_id,"
        " seconds_spent = excluded.seconds_spent, updated_at = excluded.updated_at"));
    const QString now = Study::now();
    q.addBindValue(rating.responseId);
    q.addBindValue(rating.raterId);
    q.addBindValue(nullable(rating.score));
    q.addBindValue(rating.cannotAssess ? 1 : 0);
    q.addBindValue(nullable(stringListToJson(rating.checklist)));
    q.addBindValue(nullable(rating.rationale));
    q.addBindValue(m_study.currentProtocolId());
    q.addBindValue(nullable(rating.secondsSpent));
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return false;
    }
    return m_study.appendEvent(QStringLiteral("rating.set"), QStringLiteral("response_rating"),
               rating.responseId, before ? toJsonText(toJson(*before)) : QString(),
               toJsonText(toJson(rating)), error)
        && tx.commit(error);
}

bool RatingRepository::clearResponseRating(qint64 responseId, qint64 raterId, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    const auto before = responseRating(responseId, raterId);
    if (!before)
        return tx.commit(error);
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("DELETE FROM response_rating WHERE response_id = ? AND rater_id = ?"));
    q.addBindValue(responseId);
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return false;
    }
    return m_study.appendEvent(QStringLiteral("rating.clear"), QStringLiteral("response_rating"),
               responseId, toJsonText(toJson(*before)), {}, error)
        && tx.commit(error);
}

static ResponseRating ratingFromQuery(const QSqlQuery &q, int offset)
{
    ResponseRating r;
    if (!q.value(offset).isNull())
        r.score = q.value(offset).toInt();
    r.cannotAssess = q.value(offset + 1).toBool();
    r.checklist = stringListFromJson(q.value(offset + 2).toString());
    r.rationale = q.value(offset + 3).toString();
    if (!q.value(offset + 4).isNull())
        r.secondsSpent = q.value(offset + 4).toDouble();
    return r;
}

std::optional<ResponseRating> RatingRepository::responseRating(
    qint64 responseId, qint64 raterId) const
{
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT score, cannot_assess, checklist, rationale, seconds_spent"
                             " FROM response_rating WHERE response_id = ? AND rater_id = ?"));
    q.addBindValue(responseId);
    q.addBindValue(raterId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    ResponseRating r = ratingFromQuery(q, 0);
    r.responseId = responseId;
    r.raterId = raterId;
    return r;
}

QList<ResponseRating> RatingRepository::ratingsForItem(qint64 itemId, qint64 raterId) const
{
    QList<ResponseRating> out;
    QSqlQuery q(m_study.database());
    // From the item's few responses to their ratings by (response, rater): CROSS JOIN keeps
    // SQLite from walking all of the rater's ratings (response_rating_rater) instead,
    // which is millions at 100× scale. PostgreSQL plans it as an ordinary join.
    q.prepare(QStringLiteral("SELECT rr.response_id, rr.score, rr.cannot_assess, rr.checklist,"
                             " rr.rationale, rr.seconds_spent FROM response"
                             " CROSS JOIN response_rating rr"
                             " WHERE rr.response_id = response.id AND response.item_id = ?"
                             " AND rr.rater_id = ?"));
    q.addBindValue(itemId);
    q.addBindValue(raterId);
    if (!q.exec())
        return out;
    while (q.next()) {
        ResponseRating r = ratingFromQuery(q, 1);
        r.responseId = q.value(0).toLongLong();
        r.raterId = raterId;
        out.append(r);
    }
    return out;
}

// ---- AdjudicationRepository --------------------------------------------------

qint64 AdjudicationRepository::add(const Adjudication &a, Error *error)
{
    if (a.itemId.has_value() == a.responseId.has_value()) {
        *error = Error::invalid(QStringLiteral("an adjudication is about an item or a response"));
        return 0;
    }
    if (a.itemId && m_study.currentProtocol().canonicalCategory(a.category).isEmpty()) {
        *error = Error::invalid(QStringLiteral("unknown category '%1'").arg(a.category));
        return 0;
    }
    if (a.responseId && (!a.score || *a.score < 1 || *a.score > 5)) {
        *error = Error::invalid(QStringLiteral("an adjudicated score must be 1-5"));
        return 0;
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return 0;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("INSERT INTO adjudication(item_id, response_id, category, score,"
                             " adjudicator_id, reason_tags, note, created_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    const QString category =
        a.itemId ? m_study.currentProtocol().canonicalCategory(a.category) : QString();
    q.addBindValue(nullable(a.itemId));
    q.addBindValue(nullable(a.responseId));
    q.addBindValue(nullable(category));
    q.addBindValue(nullable(a.score));
    q.addBindValue(a.adjudicatorId);
    q.addBindValue(nullable(stringListToJson(a.reasonTags)));
    q.addBindValue(nullable(a.note));
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return 0;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    QJsonObject after { { QStringLiteral("adjudicator"), a.adjudicatorId },
        { QStringLiteral("reasons"), QJsonArray::fromStringList(a.reasonTags) } };
    if (!a.note.isEmpty())
        after.insert(QStringLiteral("note"), a.note);
    if (a.itemId)
        after.insert(QStringLiteral("item"), *a.itemId),
            after.insert(QStringLiteral("category"), category);
    if (a.responseId)
        after.insert(QStringLiteral("response"), *a.responseId),
            after.insert(QStringLiteral("score"), *a.score);
    if (!m_study.appendEvent(QStringLiteral("adjudication.add"), QStringLiteral("adjudication"), id,
            {}, toJsonText(after), error)
        || !tx.commit(error))
        return 0;
    return id;
}

QList<Adjudication> AdjudicationRepository::forItem(qint64 itemId) const
{
    QList<Adjudication> out;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT id, item_id, response_id, category, score, adjudicator_id,"
                             " reason_tags, note, created_at FROM adjudication"
                             " WHERE item_id = ? OR response_id IN"
                             " (SELECT id FROM response WHERE item_id = ?) ORDER BY id"));
    q.addBindValue(itemId);
    q.addBindValue(itemId);
    if (!q.exec())
        return out;
    while (q.next()) {
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
        a.reasonTags = stringListFromJson(q.value(6).toString());
        a.note = q.value(7).toString();
        a.createdAt = q.value(8).toString();
        out.append(a);
    }
    return out;
}

// ---- EventLog ----------------------------------------------------------------

qint64 EventLog::count() const
{
    QSqlQuery q(m_study.database());
    if (q.exec(QStringLiteral("SELECT count(*) FROM event")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

QList<Event> EventLog::recent(int limit) const
{
    QList<Event> out;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT id, at, actor, action, entity, entity_id, before, after"
                             " FROM event ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next()) {
        out.append({ q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toString(), q.value(4).toString(), q.value(5).toLongLong(),
            q.value(6).toString(), q.value(7).toString() });
    }
    return out;
}

} // namespace cr::storage
