#include "storage/auditlog.h"

#include "storage/backend.h"
#include "storage/schema.h"
#include "storage/schemapg.h"
#include "storage/study.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

namespace {

QStringList listFromJson(QByteArrayView text)
{
    QStringList out;
    if (text.isEmpty())
        return out;
    for (const auto &v : QJsonDocument::fromJson(text.toByteArray()).array())
        out.append(v.toString());
    return out;
}

std::optional<qint64> optionalInt(const Statement &s, int column)
{
    return s.columnIsNull(column) ? std::nullopt : std::optional(s.columnInt(column));
}

QString text(const Statement &s, int column)
{
    return QString::fromUtf8(s.columnView(column));
}

/// Reads columns id, at, actor, action, entity, entity_id, before, after (0-7).
EventRecord readEvent(const Statement &s)
{
    const auto column = [&](int i) { return s.columnIsNull(i) ? QByteArray() : s.columnText(i); };
    return { s.columnInt(0), column(1), column(2), column(3), column(4), optionalInt(s, 5),
        column(6), column(7) };
}

/// Binds the event's fields at, actor, action, entity, entity_id, before, after to the
/// parameters `first` … `first` + 6.
void bindFields(Statement &insert, const EventRecord &e, int first)
{
    insert.bindText(first, e.at);
    insert.bindText(first + 1, e.actor);
    insert.bindText(first + 2, e.action);
    insert.bindText(first + 3, e.entity);
    insert.bindInt(first + 4, e.entityId);
    insert.bindText(first + 5, e.before);
    insert.bindText(first + 6, e.after);
}

/// Inserts `e` with `hash` through a statement with the event table's 9 columns.
bool insertEvent(Statement &insert, const EventRecord &e, const QByteArray &hash)
{
    insert.bindInt(1, e.id);
    bindFields(insert, e, 2);
    insert.bindText(9, hash);
    const bool ok = insert.step();
    insert.reset();
    return ok;
}

} // namespace

namespace audit {

QByteArray genesisHash()
{
    return QByteArray(64, '0');
}

namespace {

void addField(QCryptographicHash &sha, const QByteArray &value)
{
    if (value.isNull()) {
        sha.addData(QByteArrayView("~", 1));
        return;
    }
    sha.addData(QByteArray::number(value.size()));
    sha.addData(QByteArrayView(":", 1));
    sha.addData(value);
}

void addField(QCryptographicHash &sha, std::optional<qint64> value)
{
    addField(sha, value ? QByteArray::number(*value) : QByteArray());
}

void appendEscaped(QByteArray &out, const QString &value)
{
    out += '"';
    const QByteArray utf8 = value.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

} // namespace

QByteArray eventHash(QCryptographicHash &sha, const QByteArray &previousHash, const EventRecord &e)
{
    sha.reset();
    sha.addData(previousHash);
    addField(sha, std::optional<qint64>(e.id));
    addField(sha, e.at);
    addField(sha, e.actor);
    addField(sha, e.action);
    addField(sha, e.entity);
    addField(sha, e.entityId);
    addField(sha, e.before);
    addField(sha, e.after);
    return sha.result().toHex();
}

QByteArray utf8OrNull(const QString &s)
{
    if (s.isNull())
        return {};
    QByteArray utf8 = s.toUtf8();
    if (utf8.isNull())
        utf8 = QByteArray("", 0);
    return utf8;
}

void JsonPayload::key(const char *key)
{
    if (m_text.size() > 1)
        m_text += ',';
    m_text += '"';
    m_text += key;
    m_text += "\":";
}

JsonPayload &JsonPayload::add(const char *k, qint64 value)
{
    key(k);
    m_text += QByteArray::number(value);
    return *this;
}

JsonPayload &JsonPayload::add(const char *k, const QString &value)
{
    key(k);
    appendEscaped(m_text, value);
    return *this;
}

JsonPayload &JsonPayload::addDouble(const char *k, double value)
{
    key(k);
    m_text += QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
    return *this;
}

JsonPayload &JsonPayload::addBool(const char *k, bool value)
{
    key(k);
    m_text += value ? "true" : "false";
    return *this;
}

JsonPayload &JsonPayload::addNull(const char *k)
{
    key(k);
    m_text += "null";
    return *this;
}

JsonPayload &JsonPayload::add(const char *k, const QStringList &values)
{
    key(k);
    m_text += '[';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            m_text += ',';
        appendEscaped(m_text, values[i]);
    }
    m_text += ']';
    return *this;
}

QByteArray labelPayload(qint64 itemId, qint64 raterId, const QString &category, const QString &note)
{
    JsonPayload p;
    p.add("item", itemId).add("rater", raterId).add("category", category);
    if (!note.isEmpty())
        p.add("note", note);
    return p.text();
}

QByteArray ratingPayload(qint64 responseId, qint64 raterId, std::optional<int> score,
    bool cannotAssess, const QStringList &checklist, const QString &rationale,
    std::optional<double> secondsSpent)
{
    JsonPayload p;
    p.add("response", responseId).add("rater", raterId);
    if (score)
        p.add("score", qint64(*score));
    else
        p.addNull("score");
    if (cannotAssess)
        p.addBool("cannot_assess", true);
    if (!checklist.isEmpty())
        p.add("checklist", checklist);
    if (!rationale.isEmpty())
        p.add("rationale", rationale);
    if (secondsSpent)
        p.addDouble("seconds_spent", *secondsSpent);
    return p.text();
}

namespace {

QByteArray adjudicationPayload(std::optional<qint64> itemId, std::optional<qint64> responseId,
    const QString &category, std::optional<int> score, qint64 adjudicatorId,
    const QStringList &reasons, const QString &note)
{
    JsonPayload p;
    p.add("adjudicator", adjudicatorId).add("reasons", reasons);
    if (itemId)
        p.add("item", *itemId).add("category", category);
    if (responseId) {
        p.add("response", *responseId);
        if (score)
            p.add("score", qint64(*score));
        else
            p.addNull("score");
    }
    if (!note.isEmpty())
        p.add("note", note);
    return p.text();
}

} // namespace

qint64 copyEventsWithHashes(QSqlDatabase &db, QString *error)
{
    const NativeConnection handle = nativeConnection(db);
    Statement select, insert;
    if (!select.prepare(handle,
            "SELECT id, at, actor, action, entity, entity_id, before, after FROM event ORDER BY id",
            error)
        || !insert.prepare(handle,
            "INSERT INTO event_chained(id, at, actor, action, entity, entity_id, before, after,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            error))
        return -1;
    QCryptographicHash sha(QCryptographicHash::Sha256);
    QByteArray previous = genesisHash();
    qint64 copied = 0;
    while (select.step() && select.hasRow()) {
        const EventRecord e = readEvent(select);
        previous = eventHash(sha, previous, e);
        const bool ok = insertEvent(insert, e, previous);
        if (!ok) {
            *error = insert.errorMessage();
            return -1;
        }
        ++copied;
    }
    return copied;
}

bool appendBaseline(QSqlDatabase &db, QString *error)
{
    EventWriter writer(db);
    const QByteArray at = Study::now().toUtf8();
    const QByteArray actor = QByteArrayLiteral("migration");
    const auto append = [&](const QByteArray &action, const QByteArray &entity,
                            std::optional<qint64> entityId, const QByteArray &after) {
        return writer.append(
            { 0, at, actor, action, entity, entityId, QByteArray(), after }, error);
    };
    if (!append(
            "audit.baseline", "study", std::nullopt, QByteArrayLiteral("{\"schema_version\":7}")))
        return false;
    const NativeConnection handle = nativeConnection(db);
    Statement labels, ratings, adjudications;
    if (!labels.prepare(handle,
            "SELECT item_id, rater_id, category, note FROM category_label ORDER BY id", error)
        || !ratings.prepare(handle,
            "SELECT response_id, rater_id, score, cannot_assess, checklist, rationale,"
            " seconds_spent FROM response_rating ORDER BY id",
            error)
        || !adjudications.prepare(handle,
            "SELECT id, item_id, response_id, category, score, adjudicator_id, reason_tags, note"
            " FROM adjudication ORDER BY id",
            error))
        return false;
    while (labels.step() && labels.hasRow())
        if (!append("label.baseline", "category_label", labels.columnInt(0),
                labelPayload(
                    labels.columnInt(0), labels.columnInt(1), text(labels, 2), text(labels, 3))))
            return false;
    while (ratings.step() && ratings.hasRow()) {
        const auto score = optionalInt(ratings, 2);
        if (!append("rating.baseline", "response_rating", ratings.columnInt(0),
                ratingPayload(ratings.columnInt(0), ratings.columnInt(1),
                    score ? std::optional<int>(int(*score)) : std::nullopt,
                    ratings.columnInt(3) != 0, listFromJson(ratings.columnView(4)),
                    text(ratings, 5),
                    ratings.columnIsNull(6) ? std::nullopt
                                            : std::optional(ratings.columnDouble(6)))))
            return false;
    }
    while (adjudications.step() && adjudications.hasRow()) {
        const auto score = optionalInt(adjudications, 4);
        if (!append("adjudication.baseline", "adjudication", adjudications.columnInt(0),
                adjudicationPayload(optionalInt(adjudications, 1), optionalInt(adjudications, 2),
                    text(adjudications, 3), score ? std::optional<int>(int(*score)) : std::nullopt,
                    adjudications.columnInt(5), listFromJson(adjudications.columnView(6)),
                    text(adjudications, 7))))
            return false;
    }
    return true;
}

} // namespace audit

// ---- EventWriter ---------------------------------------------------------------

EventWriter::EventWriter(const QSqlDatabase &db)
    : m_db(nativeConnection(db))
    , m_engine(engineOf(db))
{
}

bool EventWriter::loadHead(QString *error)
{
    if (m_engine == Engine::Postgres && !m_modeKnown) {
        // Only the schema owner writes the chain itself: any other server login (a
        // rater, an adjudicator, a researcher; docs/POSTGRES-SECURITY.md) may not write
        // ids and hashes, and most cannot read the head; the server's trigger numbers,
        // hashes and attributes their events. Asked once (a refused read would abort
        // the transaction).
        Statement can;
        if (!can.prepare(m_db,
                "SELECT CASE WHEN has_column_privilege('event', 'hash', 'INSERT') THEN 1"
                " ELSE 0 END",
                error)
            || !can.step()) {
            if (error->isEmpty())
                *error = can.errorMessage();
            return false;
        }
        m_serverChain = can.hasRow() && can.columnInt(0) == 0;
        m_modeKnown = true;
        if (m_serverChain
            && !m_insert.prepare(m_db,
                "INSERT INTO event(at, actor, action, entity, entity_id, before, after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                error))
            return false;
    }
    if (m_serverChain) {
        m_known = true;
        return true;
    }
    if (!m_insert.isPrepared()
        && !m_insert.prepare(m_db,
            "INSERT INTO event(id, at, actor, action, entity, entity_id, before, after, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            error))
        return false;
    Statement last, sequence;
    if (!last.prepare(m_db, "SELECT id, hash FROM event ORDER BY id DESC LIMIT 1", error)
        || !sequence.prepare(m_db, dialect::eventSequence(m_engine), error))
        return false;
    if (!last.step() || !sequence.step()) {
        *error = last.errorMessage();
        return false;
    }
    m_lastId = last.hasRow() ? last.columnInt(0) : 0;
    m_lastHash = last.hasRow() ? last.columnText(1) : audit::genesisHash();
    if (sequence.hasRow())
        m_lastId = std::max(m_lastId, sequence.columnInt(0));
    m_known = true;
    return true;
}

bool EventWriter::append(EventRecord e, QString *error)
{
    if (!m_known && !loadHead(error))
        return false;
    if (m_serverChain) {
        bindFields(m_insert, e, 1);
        const bool ok = m_insert.step();
        if (!ok)
            *error = m_insert.errorMessage();
        m_insert.reset();
        return ok;
    }
    e.id = m_lastId + 1;
    const QByteArray hash = audit::eventHash(m_sha, m_lastHash, e);
    const bool ok = insertEvent(m_insert, e, hash);
    if (!ok) {
        *error = m_insert.errorMessage();
        m_known = false;
        return false;
    }
    m_lastId = e.id;
    m_lastHash = hash;
    return true;
}

// ---- verify --------------------------------------------------------------------

namespace {

using Key = std::pair<qint64, qint64>;

/// A replayed value: its digest and the event that set it.
struct Replayed {
    QByteArray digest;
    qint64 eventId = 0;
};

QByteArray digest(const QStringList &parts)
{
    return QCryptographicHash::hash(parts.join(QChar(0x1f)).toUtf8(), QCryptographicHash::Sha256);
}

QString optionalText(std::optional<qint64> v)
{
    return v ? QString::number(*v) : QString();
}

QByteArray labelDigest(const QString &category, const QString &note)
{
    return digest({ category, note });
}

/// Time spent is not compared: a package merge does not log it.
QByteArray ratingDigest(std::optional<qint64> score, bool cannotAssess,
    const QStringList &checklist, const QString &rationale, std::optional<double> /*seconds*/)
{
    return digest({ optionalText(score), cannotAssess ? QStringLiteral("1") : QStringLiteral("0"),
        checklist.join(QChar(0x1e)), rationale });
}

QByteArray adjudicationDigest(std::optional<qint64> item, std::optional<qint64> response,
    const QString &category, std::optional<qint64> score, qint64 adjudicator,
    const QStringList &reasons, const QString &note)
{
    return digest({ optionalText(item), optionalText(response), category, optionalText(score),
        QString::number(adjudicator), reasons.join(QChar(0x1e)), note });
}

std::optional<qint64> jsonInt(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? std::optional(v.toInteger()) : std::nullopt;
}

QStringList jsonList(const QJsonObject &o, const char *key)
{
    QStringList out;
    for (const auto &v : o.value(QLatin1String(key)).toArray())
        out.append(v.toString());
    return out;
}

class Verifier {
public:
    Verifier(Study &study, VerifyResult *result, Error *error)
        : m_study(study)
        , m_db(nativeConnection(study.database()))
        , m_engine(engineOf(study.database()))
        , m_result(*result)
        , m_error(*error)
    {
    }

    bool run(VerifyScope scope)
    {
        m_result = VerifyResult {};
        if (!checkTriggers() || !m_result.problem.isEmpty())
            return finish();
        if (!checkChain(scope) || !m_result.problem.isEmpty())
            return finish();
        if (scope == VerifyScope::Full) {
            m_result.replayChecked = true;
            if (!replay())
                return finish();
        }
        return finish();
    }

private:
    bool finish()
    {
        m_result.ok = !m_error.isError() && m_result.problem.isEmpty();
        return !m_error.isError();
    }

    bool prepare(Statement &s, const char *sql)
    {
        QString message;
        if (s.prepare(m_db, sql, &message))
            return true;
        return storageError(message);
    }

    bool storageError(const QString &message)
    {
        m_error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return false;
    }

    void brokenAt(qint64 id, const QString &problem)
    {
        m_result.problem = problem;
        Statement s;
        if (!prepare(s, "SELECT at, action FROM event WHERE id = ?"))
            return;
        s.bindInt(1, id);
        if (s.step() && s.hasRow())
            m_result.broken = BrokenEvent { id, text(s, 0), text(s, 1) };
    }

    bool checkTriggers()
    {
        Statement s;
        const bool onServer = m_engine == Engine::Postgres;
        if (!prepare(s,
                onServer ? schema::postgres::eventGuardQuery()
                         : "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?"))
            return false;
        const QStringList guards =
            onServer ? schema::postgres::eventGuards() : schema::eventTriggerSql();
        for (const QString &expected : guards) {
            const QString name = expected.section(QLatin1Char(' '), 2, 2);
            const QByteArray nameUtf8 = name.toUtf8();
            s.bindText(1, nameUtf8);
            if (!s.step())
                return storageError(s.errorMessage());
            const bool present = s.hasRow();
            const QString stored = present ? text(s, 0) : QString();
            s.reset();
            if (!present) {
                m_result.problem =
                    QStringLiteral("trigger %1 is missing: the log is not append-only").arg(name);
                return true;
            }
            if (stored != expected) {
                m_result.problem =
                    QStringLiteral("trigger %1 has been changed: %2").arg(name, stored);
                return true;
            }
        }
        return true;
    }

    /// Reads the incremental starting point; false on a storage error.
    bool startingPoint(qint64 *fromId, QByteArray *fromHash)
    {
        *fromId = 0;
        *fromHash = audit::genesisHash();
        const QString mark = m_study.metaValue(QStringLiteral("audit_verified"));
        const qint64 markId = mark.section(QLatin1Char(' '), 0, 0).toLongLong();
        const QByteArray markHash = mark.section(QLatin1Char(' '), 1, 1).toLatin1();
        if (markId <= 0)
            return true;
        Statement s;
        if (!prepare(s, "SELECT hash FROM event WHERE id = ?"))
            return false;
        s.bindInt(1, markId);
        if (!s.step())
            return storageError(s.errorMessage());
        if (!s.hasRow() || s.columnText(0) != markHash) {
            m_result.problem =
                QStringLiteral("event #%1, verified before, is %2")
                    .arg(markId)
                    .arg(s.hasRow() ? QStringLiteral("changed") : QStringLiteral("gone (deleted)"));
            if (s.hasRow())
                brokenAt(markId, m_result.problem);
            return true;
        }
        // Start at the event before the mark, so the mark event itself is re-hashed.
        Statement before;
        if (!prepare(before, "SELECT id, hash FROM event WHERE id < ? ORDER BY id DESC LIMIT 1"))
            return false;
        before.bindInt(1, markId);
        if (!before.step())
            return storageError(before.errorMessage());
        if (before.hasRow()) {
            *fromId = before.columnInt(0);
            *fromHash = before.columnText(1);
        }
        return true;
    }

    bool checkChain(VerifyScope scope)
    {
        qint64 previousId = 0;
        QByteArray previous = audit::genesisHash();
        if (scope == VerifyScope::Incremental) {
            if (!startingPoint(&previousId, &previous))
                return false;
            if (!m_result.problem.isEmpty())
                return true;
        }
        m_result.checkedFrom = previousId;
        // From a verified mark only the tail after it is read: the event count is the one
        // the schema's trigger keeps (tally_study), and the baseline is looked for in the
        // tail only. The baseline is appended once, by the migration to schema 7, right
        // after the events it chained, so a verified mark (recorded on a checked chain,
        // schema 7 or later) is never before it: one at or before the mark makes every
        // tail event subject to the gap check, as no baseline in the tail does.
        const bool tailOnly = previousId > 0;
        Statement baseline, count, events, sequence;
        if (!prepare(baseline,
                tailOnly ? "SELECT id FROM event WHERE id > ? AND action = 'audit.baseline'"
                           " ORDER BY id LIMIT 1"
                         : "SELECT min(id) FROM event WHERE action = 'audit.baseline'")
            || !prepare(
                count, tailOnly ? "SELECT events FROM tally_study" : "SELECT count(*) FROM event")
            || !prepare(events,
                "SELECT id, at, actor, action, entity, entity_id, before, after, hash FROM event"
                " WHERE id > ? ORDER BY id")
            || !prepare(sequence, dialect::eventSequence(m_engine)))
            return false;
        if (tailOnly)
            baseline.bindInt(1, previousId);
        if (!baseline.step() || !count.step() || !sequence.step())
            return storageError(baseline.errorMessage());
        // Events before the chain (kept by the migration) may have gaps in their ids;
        // every id after them is the previous one + 1.
        const qint64 baselineId = baseline.hasRow() ? baseline.columnInt(0) : 0;
        m_result.events = count.hasRow() ? count.columnInt(0) : 0;
        const qint64 sequenceId = sequence.hasRow() ? sequence.columnInt(0) : 0;
        m_result.headId = previousId;
        m_result.headHash = previousId ? QString::fromLatin1(previous) : QString();
        QCryptographicHash sha(QCryptographicHash::Sha256);
        events.bindInt(1, previousId);
        while (true) {
            if (!events.step())
                return storageError(events.errorMessage());
            if (!events.hasRow())
                break;
            const EventRecord e = readEvent(events);
            if (e.id != previousId + 1 && e.id > baselineId) {
                m_result.problem = QStringLiteral("event #%1 follows #%2: %3 deleted")
                                       .arg(e.id)
                                       .arg(previousId)
                                       .arg(e.id == previousId + 2
                                               ? QStringLiteral("event #%1 was").arg(previousId + 1)
                                               : QStringLiteral("events #%1 to #%2 were")
                                                     .arg(previousId + 1)
                                                     .arg(e.id - 1));
                m_result.broken =
                    BrokenEvent { e.id, QString::fromUtf8(e.at), QString::fromUtf8(e.action) };
                return true;
            }
            const QByteArray hash = audit::eventHash(sha, previous, e);
            if (hash != events.columnView(8)) {
                m_result.problem =
                    QStringLiteral("event #%1: its hash does not match its fields and the previous "
                                   "event's hash (it was edited or forged, or an event before it "
                                   "was deleted)")
                        .arg(e.id);
                m_result.broken =
                    BrokenEvent { e.id, QString::fromUtf8(e.at), QString::fromUtf8(e.action) };
                return true;
            }
            previousId = e.id;
            previous = hash;
        }
        m_result.headId = previousId;
        m_result.headHash = previousId ? QString::fromLatin1(previous) : QString();
        if (sequenceId > previousId) {
            m_result.problem =
                QStringLiteral("the last event is #%1 but ids up to #%2 were used: %3 deleted")
                    .arg(previousId)
                    .arg(sequenceId)
                    .arg(sequenceId == previousId + 1
                            ? QStringLiteral("event #%1 was").arg(sequenceId)
                            : QStringLiteral("events #%1 to #%2 were")
                                  .arg(previousId + 1)
                                  .arg(sequenceId));
            if (previousId)
                brokenAt(previousId, m_result.problem);
        }
        return true;
    }

    void replayEvent(qint64 id, const QByteArray &action, std::optional<qint64> entityId,
        const QByteArray &before, const QByteArray &after)
    {
        // A package merge (label.merge, rating.merge) logs {"rater", "package", "value"}
        // with the item / response as entity_id; no after = the row was removed.
        const bool merge = action.endsWith(".merge");
        const bool clear =
            action.endsWith(".clear") || action.endsWith(".revert") || (merge && after.isEmpty());
        QJsonObject o = QJsonDocument::fromJson(clear ? before : after).object();
        if (merge) {
            const QJsonValue rater = o.value(QLatin1String("rater"));
            o = o.value(QLatin1String("value")).toObject();
            o.insert(QLatin1String(action.startsWith("label.") ? "item" : "response"),
                entityId.value_or(0));
            o.insert(QLatin1String("rater"), rater);
        }
        if (action == "audit.baseline") {
            m_labels.clear();
            m_ratings.clear();
            m_adjudications.clear();
        } else if (action.startsWith("label.")) {
            const Key key { jsonInt(o, "item").value_or(0), jsonInt(o, "rater").value_or(0) };
            if (clear)
                m_labels.remove(key);
            else
                m_labels.insert(key,
                    { labelDigest(o.value(QLatin1String("category")).toString(),
                          o.value(QLatin1String("note")).toString()),
                        id });
        } else if (action.startsWith("rating.")) {
            const Key key { jsonInt(o, "response").value_or(0), jsonInt(o, "rater").value_or(0) };
            const QJsonValue seconds = o.value(QLatin1String("seconds_spent"));
            if (clear)
                m_ratings.remove(key);
            else
                m_ratings.insert(key,
                    { ratingDigest(jsonInt(o, "score"),
                          o.value(QLatin1String("cannot_assess")).toBool(),
                          jsonList(o, "checklist"), o.value(QLatin1String("rationale")).toString(),
                          seconds.isDouble() ? std::optional(seconds.toDouble()) : std::nullopt),
                        id });
        } else if (action.startsWith("adjudication.")) {
            const qint64 key = entityId.value_or(0);
            if (clear)
                m_adjudications.remove(key);
            else
                m_adjudications.insert(key,
                    { adjudicationDigest(jsonInt(o, "item"), jsonInt(o, "response"),
                          o.value(QLatin1String("category")).toString(), jsonInt(o, "score"),
                          jsonInt(o, "adjudicator").value_or(0), jsonList(o, "reasons"),
                          o.value(QLatin1String("note")).toString()),
                        id });
        }
    }

    /// Compares one stored row with the replayed value of its key.
    template<typename K>
    bool matches(
        QHash<K, Replayed> &replayed, const K &key, const QByteArray &stored, const QString &what)
    {
        const auto it = replayed.find(key);
        if (it == replayed.end()) {
            m_result.problem = what + QStringLiteral(" is in the study but not in the log");
            return false;
        }
        if (it->digest != stored) {
            brokenAt(it->eventId,
                what
                    + QStringLiteral(" differs from what the log says (event #%1)")
                          .arg(it->eventId));
            return false;
        }
        replayed.erase(it);
        return true;
    }

    template<typename K> bool leftOver(const QHash<K, Replayed> &replayed, const QString &what)
    {
        if (replayed.isEmpty())
            return true;
        qint64 first = 0;
        for (const Replayed &r : replayed)
            first = first == 0 ? r.eventId : std::min(first, r.eventId);
        brokenAt(first,
            QStringLiteral("%1 %2 set by the log (first: event #%3) missing from the study")
                .arg(replayed.size())
                .arg(what)
                .arg(first));
        return false;
    }

    bool replay()
    {
        Statement events, labels, ratings, adjudications;
        if (!prepare(events,
                "SELECT id, action, entity_id, before, after FROM event WHERE action LIKE 'label.%'"
                " OR action LIKE 'rating.%' OR action LIKE 'adjudication.%'"
                " OR action = 'audit.baseline' ORDER BY id")
            || !prepare(labels, "SELECT item_id, rater_id, category, note FROM category_label")
            || !prepare(ratings,
                "SELECT response_id, rater_id, score, cannot_assess, checklist, rationale,"
                " seconds_spent FROM response_rating")
            || !prepare(adjudications,
                "SELECT id, item_id, response_id, category, score, adjudicator_id, reason_tags,"
                " note FROM adjudication"))
            return false;
        while (events.step() && events.hasRow())
            replayEvent(events.columnInt(0), events.columnText(1), optionalInt(events, 2),
                events.columnText(3), events.columnText(4));
        while (labels.step() && labels.hasRow()) {
            const Key key { labels.columnInt(0), labels.columnInt(1) };
            if (!matches(m_labels, key, labelDigest(text(labels, 2), text(labels, 3)),
                    QStringLiteral("the label of item %1 by rater %2")
                        .arg(key.first)
                        .arg(key.second)))
                return true;
        }
        while (ratings.step() && ratings.hasRow()) {
            const Key key { ratings.columnInt(0), ratings.columnInt(1) };
            const QByteArray stored = ratingDigest(optionalInt(ratings, 2),
                ratings.columnInt(3) != 0, listFromJson(ratings.columnView(4)), text(ratings, 5),
                ratings.columnIsNull(6) ? std::nullopt : std::optional(ratings.columnDouble(6)));
            if (!matches(m_ratings, key, stored,
                    QStringLiteral("the rating of response %1 by rater %2")
                        .arg(key.first)
                        .arg(key.second)))
                return true;
        }
        while (adjudications.step() && adjudications.hasRow()) {
            const qint64 id = adjudications.columnInt(0);
            const QByteArray stored = adjudicationDigest(optionalInt(adjudications, 1),
                optionalInt(adjudications, 2), text(adjudications, 3),
                optionalInt(adjudications, 4), adjudications.columnInt(5),
                listFromJson(adjudications.columnView(6)), text(adjudications, 7));
            if (!matches(m_adjudications, id, stored, QStringLiteral("adjudication %1").arg(id)))
                return true;
        }
        return leftOver(m_labels, QStringLiteral("label(s)"))
            && leftOver(m_ratings, QStringLiteral("rating(s)"))
            && leftOver(m_adjudications, QStringLiteral("adjudication(s)"));
    }

    Study &m_study;
    NativeConnection m_db;
    Engine m_engine;
    VerifyResult &m_result;
    Error &m_error;
    QHash<Key, Replayed> m_labels;
    QHash<Key, Replayed> m_ratings;
    QHash<qint64, Replayed> m_adjudications;
};

} // namespace

bool verifyAuditLog(Study &study, VerifyScope scope, VerifyResult *result, Error *error)
{
    return Verifier(study, result, error).run(scope);
}

bool recordVerified(Study &study, const VerifyResult &result, Error *error)
{
    if (!result.ok || result.headId == 0)
        return true;
    WriteTransaction tx(study, error);
    if (!tx.isActive())
        return false;
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES ('audit_verified', ?)"
                             " ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(QStringLiteral("%1 %2").arg(result.headId).arg(result.headHash));
    if (!q.exec()) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return false;
    }
    return tx.commit(error);
}

} // namespace cr::storage
