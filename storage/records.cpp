#include "storage/records.h"

#include "storage/auditlog.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>

namespace cr::storage {

namespace {

QStringList turnsFromJson(const QString &json)
{
    QStringList out;
    for (const auto &v : QJsonDocument::fromJson(json.toUtf8()).array())
        out.append(v.toString());
    return out;
}

QVariant nullIfEmpty(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

} // namespace

qint64 insertRater(const QSqlDatabase &db, const QString &name, RaterKind kind, RaterRole role,
    QString *pseudonym, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT coalesce(max(id), 0) + 1 FROM rater")) || !q.next()) {
        *error = q.lastError().text();
        return 0;
    }
    qint64 next = q.value(0).toLongLong();
    const auto taken = [&](const QString &candidate) {
        QSqlQuery t(db);
        t.prepare(QStringLiteral("SELECT 1 FROM rater WHERE pseudonym = ?"));
        t.addBindValue(candidate);
        return t.exec() && t.next();
    };
    // A rater imported from a pseudonymised export keeps its pseudonym (so that
    // export → import → export gives the same file); others get the next free R###.
    static const QRegularExpression pseudonymPattern(QStringLiteral("^R[0-9]{3,}$"));
    if (pseudonymPattern.match(name).hasMatch() && !taken(name)) {
        *pseudonym = name;
    } else {
        do
            *pseudonym = QStringLiteral("R%1").arg(next++, 3, 10, QLatin1Char('0'));
        while (taken(*pseudonym));
    }
    q.prepare(QStringLiteral("INSERT INTO rater(name, kind, role, pseudonym, created_at)"
                             " VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(name);
    q.addBindValue(toString(kind));
    q.addBindValue(toString(role));
    q.addBindValue(*pseudonym);
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = q.lastError().text();
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

RecordWriter::RecordWriter(Study &study)
    : m_study(study)
{
}

bool RecordWriter::exec(QSqlQuery &q, const QString &sql)
{
    q = QSqlQuery(m_study.database());
    return q.prepare(sql);
}

bool RecordWriter::prepare(Error *error)
{
    m_protocol = m_study.currentProtocol();
    m_protocolId = m_study.currentProtocolId();
    m_now = Study::now();
    m_nowUtf8 = m_now.toUtf8();
    m_actorUtf8 = audit::utf8OrNull(m_study.actor());
    const NativeConnection db = nativeConnection(m_study.database());
    QString message;
    const bool ok = m_insertItem.prepare(db,
                        "INSERT INTO item(external_id, dataset_id, split, turns,"
                        " reference_label, metadata) VALUES (?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT(external_id) DO NOTHING",
                        &message)
        && m_selectItem.prepare(db,
            "SELECT item.id, dataset.name, split, turns, reference_label"
            " FROM item LEFT JOIN dataset ON dataset.id = item.dataset_id"
            " WHERE external_id = ?",
            &message)
        && m_insertResponse.prepare(db,
            "INSERT INTO response(item_id, model_id, run, text, refusal,"
            " tokens, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(item_id, model_id, run) DO NOTHING",
            &message)
        && m_selectResponse.prepare(db,
            "SELECT id, text, refusal FROM response"
            " WHERE item_id = ? AND model_id = ? AND run = ?",
            &message)
        && m_insertDataset.prepare(
            db, "INSERT INTO dataset(name) VALUES (?) ON CONFLICT(name) DO NOTHING", &message)
        && m_selectDataset.prepare(db, "SELECT id FROM dataset WHERE name = ?", &message)
        && m_insertModel.prepare(db, "INSERT INTO model(name) VALUES (?)", &message)
        && exec(m_insertLabel,
            QStringLiteral("INSERT INTO category_label(item_id, rater_id, category, note,"
                           " protocol_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT(item_id, rater_id) DO NOTHING"))
        && exec(m_selectLabel,
            QStringLiteral("SELECT category FROM category_label"
                           " WHERE item_id = ? AND rater_id = ?"))
        && exec(m_insertRating,
            QStringLiteral("INSERT INTO response_rating(response_id, rater_id, score,"
                           " cannot_assess, checklist, rationale, protocol_id, seconds_spent,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT(response_id, rater_id) DO NOTHING"))
        && exec(m_selectRating,
            QStringLiteral("SELECT score, cannot_assess, checklist, rationale FROM response_rating"
                           " WHERE response_id = ? AND rater_id = ?"));
    m_misc = QSqlQuery(m_study.database());
    if (!ok) {
        if (message.isEmpty())
            message = m_study.database().lastError().text();
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return false;
    }
    if (!m_misc.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM item")) || !m_misc.next()) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + m_misc.lastError().text());
        return false;
    }
    m_lastItemIdBefore = m_misc.value(0).toLongLong();
    m_misc.finish();
    for (const Rater &r : RaterRepository(m_study).all()) {
        m_raters.insert(r.name, { r.id, r.kind });
        m_pseudonyms.insert(r.pseudonym, r.name);
    }
    for (const Model &m : ItemRepository(m_study).models())
        m_models.insert(m.name.toUtf8(), m.id);
    return true;
}

RecordWriter::Outcome RecordWriter::fatal(const Statement &s)
{
    m_fatal = Error::storage(m_study.path() + QStringLiteral(": ") + s.errorMessage());
    return Outcome::Fatal;
}

RecordWriter::Outcome RecordWriter::fatal(const QSqlQuery &q)
{
    m_fatal = Error::storage(m_study.path() + QStringLiteral(": ") + q.lastError().text());
    return Outcome::Fatal;
}

std::optional<qint64> RecordWriter::datasetId(const QByteArray &name, Outcome *outcome)
{
    if (name.isEmpty())
        return std::nullopt;
    if (const auto it = m_datasets.constFind(name); it != m_datasets.cend())
        return *it;
    m_insertDataset.bindText(1, name);
    const bool inserted = m_insertDataset.step();
    m_insertDataset.reset();
    if (!inserted) {
        *outcome = fatal(m_insertDataset);
        return std::nullopt;
    }
    m_selectDataset.bindText(1, name);
    if (!m_selectDataset.step() || !m_selectDataset.hasRow()) {
        *outcome = fatal(m_selectDataset);
        m_selectDataset.reset();
        return std::nullopt;
    }
    const qint64 id = m_selectDataset.columnInt(0);
    m_selectDataset.reset();
    m_datasets.insert(name, id);
    return id;
}

std::optional<qint64> RecordWriter::modelId(const QByteArray &name, bool create, Outcome *outcome)
{
    if (const auto it = m_models.constFind(name); it != m_models.cend())
        return *it;
    if (!create)
        return std::nullopt;
    m_insertModel.bindText(1, name);
    const bool inserted = m_insertModel.step();
    m_insertModel.reset();
    if (!inserted) {
        *outcome = fatal(m_insertModel);
        return std::nullopt;
    }
    const qint64 id = m_insertModel.lastInsertRowId();
    m_models.insert(name, id);
    ++m_counts.modelsAdded;
    return id;
}

RecordWriter::Outcome RecordWriter::writeItem(const ItemRecord &item, RowError *rowError)
{
    QByteArray label;
    if (!item.label.isEmpty()) {
        auto it = m_labels.constFind(item.label);
        if (it == m_labels.cend())
            it = m_labels.insert(
                item.label, m_protocol.canonicalCategory(QString::fromUtf8(item.label)).toUtf8());
        label = *it;
        if (label.isEmpty()) {
            *rowError = { QStringLiteral("label"),
                QStringLiteral("unknown category '%1'").arg(QString::fromUtf8(item.label)) };
            return Outcome::Invalid;
        }
    }
    for (int i = 0; i < item.responses.size(); ++i) {
        for (int j = 0; j < i; ++j) {
            if (item.responses[i].model == item.responses[j].model
                && item.responses[i].run == item.responses[j].run) {
                *rowError = { QStringLiteral("responses[%1]").arg(i),
                    QStringLiteral("duplicate response of model '%1' run %2 (also "
                                   "responses[%3])")
                        .arg(QString::fromUtf8(item.responses[i].model))
                        .arg(item.responses[i].run)
                        .arg(j) };
                return Outcome::Invalid;
            }
        }
    }
    Outcome outcome = Outcome::Ok;
    const std::optional<qint64> dataset = datasetId(item.dataset, &outcome);
    if (outcome != Outcome::Ok)
        return outcome;

    m_insertItem.bindText(1, item.externalId);
    m_insertItem.bindInt(2, dataset);
    m_insertItem.bindText(3, item.split.isEmpty() ? QByteArray() : item.split);
    m_insertItem.bindText(4, item.turnsJson);
    m_insertItem.bindText(5, label);
    m_insertItem.bindText(6, item.metadataJson.isEmpty() ? QByteArray() : item.metadataJson);
    const bool inserted = m_insertItem.step();
    const bool added = inserted && m_insertItem.changes() == 1;
    const qint64 newId = m_insertItem.lastInsertRowId();
    m_insertItem.reset();
    if (!inserted)
        return fatal(m_insertItem);
    qint64 itemId = 0;
    if (added) {
        itemId = newId;
        ++m_counts.itemsAdded;
        if (!m_droppedTriggers.isEmpty())
            tallyItem({ dataset.value_or(0), item.split, label });
    } else {
        m_selectItem.bindText(1, item.externalId);
        if (!m_selectItem.step() || !m_selectItem.hasRow()) {
            m_selectItem.reset();
            return fatal(m_selectItem);
        }
        itemId = m_selectItem.columnInt(0);
        const QByteArray storedDataset = m_selectItem.columnText(1);
        const QByteArray storedSplit = m_selectItem.columnText(2);
        const QByteArray storedTurns = m_selectItem.columnText(3);
        const QByteArray storedLabel = m_selectItem.columnText(4);
        m_selectItem.reset();
        const QString externalId = QString::fromUtf8(item.externalId);
        if (itemId > m_lastItemIdBefore && !item.allowRepeat) {
            *rowError = { QStringLiteral("item_id"),
                QStringLiteral("duplicate item_id '%1' (already earlier in this import)")
                    .arg(externalId) };
            return Outcome::Invalid;
        }
        auto conflict = [&](const QString &field, const QString &what) {
            *rowError = { field,
                QStringLiteral("item '%1' is already in the study with a different %2")
                    .arg(externalId, what) };
            return Outcome::Invalid;
        };
        if (storedTurns != item.turnsJson
            && turnsFromJson(QString::fromUtf8(storedTurns))
                != turnsFromJson(QString::fromUtf8(item.turnsJson)))
            return conflict(QStringLiteral("turns"), QStringLiteral("text"));
        if (storedDataset != item.dataset)
            return conflict(QStringLiteral("dataset"), QStringLiteral("dataset"));
        if (storedSplit != item.split)
            return conflict(QStringLiteral("split"), QStringLiteral("split"));
        if (storedLabel != label)
            return conflict(QStringLiteral("label"), QStringLiteral("label"));
        // CSV repeats an item once per response row: count it unchanged once.
        if (itemId <= m_lastItemIdBefore
            && (!item.allowRepeat || !m_repeatedItems.contains(itemId))) {
            ++m_counts.itemsUnchanged;
            if (item.allowRepeat)
                m_repeatedItems.insert(itemId);
        }
    }
    for (int i = 0; i < item.responses.size(); ++i) {
        const Outcome o = writeResponse(itemId, item, i, rowError);
        if (o != Outcome::Ok)
            return o;
    }
    return Outcome::Ok;
}

RecordWriter::Outcome RecordWriter::writeResponseOf(
    qint64 itemId, const QByteArray &externalId, const ResponseRecord &response, RowError *rowError)
{
    ItemRecord item;
    item.externalId = externalId;
    item.responses.append(response);
    return writeResponse(itemId, item, 0, rowError);
}

RecordWriter::Outcome RecordWriter::writeResponse(
    qint64 itemId, const ItemRecord &item, int index, RowError *rowError)
{
    const ResponseRecord &r = item.responses[index];
    Outcome outcome = Outcome::Ok;
    const std::optional<qint64> model = modelId(r.model, true, &outcome);
    if (!model)
        return outcome;
    m_insertResponse.bindInt(1, itemId);
    m_insertResponse.bindInt(2, *model);
    m_insertResponse.bindInt(3, r.run);
    m_insertResponse.bindText(4, r.text.isNull() ? QByteArray("") : r.text);
    m_insertResponse.bindInt(5, r.refusal ? 1 : 0);
    m_insertResponse.bindInt(6, r.tokens);
    m_insertResponse.bindText(7, r.metadataJson.isEmpty() ? QByteArray() : r.metadataJson);
    const bool inserted = m_insertResponse.step();
    const bool added = inserted && m_insertResponse.changes() == 1;
    m_insertResponse.reset();
    if (!inserted)
        return fatal(m_insertResponse);
    if (added) {
        ++m_counts.responsesAdded;
        if (!m_droppedTriggers.isEmpty())
            tallyResponse({ *model, r.run, r.refusal });
        return Outcome::Ok;
    }
    m_selectResponse.bindInt(1, itemId);
    m_selectResponse.bindInt(2, *model);
    m_selectResponse.bindInt(3, r.run);
    if (!m_selectResponse.step() || !m_selectResponse.hasRow()) {
        m_selectResponse.reset();
        return fatal(m_selectResponse);
    }
    const bool same = m_selectResponse.columnText(1) == r.text
        && (m_selectResponse.columnInt(2) != 0) == r.refusal;
    m_selectResponse.reset();
    if (!same) {
        const QString prefix =
            item.allowRepeat ? QString() : QStringLiteral("responses[%1].").arg(index);
        *rowError = { prefix + QStringLiteral("text"),
            QStringLiteral("response of model '%1' run %2 to item '%3' is already in the "
                           "study with a different text")
                .arg(QString::fromUtf8(r.model))
                .arg(r.run)
                .arg(QString::fromUtf8(item.externalId)) };
        return Outcome::Invalid;
    }
    ++m_counts.responsesUnchanged;
    return Outcome::Ok;
}

RecordWriter::Outcome RecordWriter::writeRating(const RatingRecord &r, RowError *rowError)
{
    RaterKind kind = RaterKind::Human;
    QString category;
    qint64 itemId = 0, responseId = 0, raterId = 0;
    Outcome outcome = validateRating(r, &kind, &category, rowError);
    if (outcome == Outcome::Ok)
        outcome = ratedItemId(r, &itemId, rowError);
    if (outcome == Outcome::Ok && r.model)
        outcome = ratedResponseId(r, itemId, &responseId, rowError);
    if (outcome == Outcome::Ok)
        outcome = raterIdFor(r, kind, &raterId, rowError);
    if (outcome == Outcome::Ok && r.category)
        outcome = writeLabel(r, itemId, raterId, category, rowError);
    if (outcome == Outcome::Ok && r.model)
        outcome = writeScore(r, responseId, raterId, rowError);
    return outcome;
}

RecordWriter::Outcome RecordWriter::writeEmptyLabel(const RatingRecord &r, RowError *rowError)
{
    RaterKind kind = RaterKind::Llm;
    QString category;
    qint64 itemId = 0, raterId = 0;
    Outcome outcome = validateRating(r, &kind, &category, rowError);
    if (outcome == Outcome::Ok)
        outcome = ratedItemId(r, &itemId, rowError);
    if (outcome == Outcome::Ok)
        outcome = raterIdFor(r, kind, &raterId, rowError);
    if (outcome != Outcome::Ok)
        return outcome;
    Error e;
    if (!recordEmptyLabel(m_study, itemId, raterId, &e)) {
        m_fatal = e;
        return Outcome::Fatal;
    }
    return Outcome::Ok;
}

/// Checks a rating's fields against the protocol, before anything is written for the
/// row; gives the rater kind and the canonical category (empty without a category).
RecordWriter::Outcome RecordWriter::validateRating(
    const RatingRecord &r, RaterKind *kind, QString *category, RowError *rowError) const
{
    if (const QString problem = RaterRepository::validateName(r.rater); !problem.isEmpty()) {
        *rowError = { QStringLiteral("rater"), problem };
        return Outcome::Invalid;
    }
    const auto parsedKind =
        r.kind.isEmpty() ? std::optional(RaterKind::Human) : raterKindFromString(r.kind);
    if (!parsedKind) {
        *rowError = { QStringLiteral("rater_kind"),
            QStringLiteral("must be human or llm, got '%1'").arg(r.kind) };
        return Outcome::Invalid;
    }
    *kind = *parsedKind;
    if (!r.ratedAt.isEmpty() && !QDateTime::fromString(r.ratedAt, Qt::ISODateWithMs).isValid()) {
        *rowError = { QStringLiteral("rated_at"),
            QStringLiteral("'%1' is not an ISO 8601 time").arg(r.ratedAt) };
        return Outcome::Invalid;
    }
    if (r.category) {
        *category = m_protocol.canonicalCategory(*r.category);
        if (category->isEmpty()) {
            *rowError = { QStringLiteral("category"),
                QStringLiteral("unknown category '%1'").arg(*r.category) };
            return Outcome::Invalid;
        }
    }
    if (!r.model)
        return Outcome::Ok;
    if (r.score && (*r.score < 1 || *r.score > 5)) {
        *rowError = { QStringLiteral("score"),
            QStringLiteral("must be 1-5, got %1").arg(*r.score) };
        return Outcome::Invalid;
    }
    if (r.score && r.cannotAssess) {
        *rowError = { QStringLiteral("cannot_assess"),
            QStringLiteral("a rating is either a score or 'cannot assess', not both") };
        return Outcome::Invalid;
    }
    for (const QString &tick : r.checklist) {
        const bool known = std::any_of(m_protocol.checklist.cbegin(), m_protocol.checklist.cend(),
            [&](const auto &c) { return c.id == tick; });
        if (!known) {
            *rowError = { QStringLiteral("checklist"),
                QStringLiteral("unknown checklist item '%1'").arg(tick) };
            return Outcome::Invalid;
        }
    }
    return Outcome::Ok;
}

/// The rated item's row id (looked up once per external id).
RecordWriter::Outcome RecordWriter::ratedItemId(
    const RatingRecord &r, qint64 *itemId, RowError *rowError)
{
    *itemId = m_items.value(r.itemId, 0);
    if (*itemId != 0)
        return Outcome::Ok;
    const QByteArray externalId = r.itemId.toUtf8();
    m_selectItem.bindText(1, externalId);
    const bool ok = m_selectItem.step();
    if (ok && m_selectItem.hasRow())
        *itemId = m_selectItem.columnInt(0);
    m_selectItem.reset();
    if (!ok)
        return fatal(m_selectItem);
    if (*itemId == 0) {
        *rowError = { QStringLiteral("item_id"),
            QStringLiteral("unknown item '%1' (import its items first)").arg(r.itemId) };
        return Outcome::Invalid;
    }
    m_items.insert(r.itemId, *itemId);
    return Outcome::Ok;
}

/// The rated response's row id: the item's response from r.model, run r.run.
RecordWriter::Outcome RecordWriter::ratedResponseId(
    const RatingRecord &r, qint64 itemId, qint64 *responseId, RowError *rowError)
{
    Outcome outcome = Outcome::Ok;
    const std::optional<qint64> model = modelId(r.model->toUtf8(), false, &outcome);
    if (outcome != Outcome::Ok)
        return outcome;
    if (model) {
        m_selectResponse.bindInt(1, itemId);
        m_selectResponse.bindInt(2, *model);
        m_selectResponse.bindInt(3, r.run);
        const bool ok = m_selectResponse.step();
        if (ok && m_selectResponse.hasRow())
            *responseId = m_selectResponse.columnInt(0);
        m_selectResponse.reset();
        if (!ok)
            return fatal(m_selectResponse);
    }
    if (*responseId == 0) {
        *rowError = { QStringLiteral("model"),
            QStringLiteral("item '%1' has no response from model '%2' run %3")
                .arg(r.itemId, *r.model)
                .arg(r.run) };
        return Outcome::Invalid;
    }
    return Outcome::Ok;
}

/// The rater's row id; a rater is created on first sight.
RecordWriter::Outcome RecordWriter::raterIdFor(
    const RatingRecord &r, RaterKind kind, qint64 *raterId, RowError *rowError)
{
    if (const auto it = m_raters.constFind(r.rater); it != m_raters.cend()) {
        if (it->second != kind) {
            *rowError = { QStringLiteral("rater_kind"),
                QStringLiteral("rater '%1' is %2 in the study, not %3")
                    .arg(r.rater, toString(it->second), toString(kind)) };
            return Outcome::Invalid;
        }
        *raterId = it->first;
        return Outcome::Ok;
    }
    if (const auto other = m_pseudonyms.constFind(r.rater); other != m_pseudonyms.cend()) {
        // A pseudonymised export read back into a study that has those pseudonyms:
        // a new rater named "R001" would duplicate every rating of the real R001.
        *rowError = { QStringLiteral("rater"),
            QStringLiteral("'%1' is the pseudonym of rater '%2' in this study; a pseudonymised "
                           "export cannot be merged back (export with --real-names, or a bundle)")
                .arg(r.rater, *other) };
        return Outcome::Invalid;
    }
    QString pseudonym, message;
    *raterId =
        insertRater(m_study.database(), r.rater, kind, RaterRole::Rater, &pseudonym, &message);
    if (*raterId == 0) {
        m_fatal = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return Outcome::Fatal;
    }
    m_raters.insert(r.rater, { *raterId, kind });
    m_pseudonyms.insert(pseudonym, r.rater);
    ++m_counts.ratersAdded;
    return Outcome::Ok;
}

/// Inserts the rater's category label on the item, or checks it against the stored one.
RecordWriter::Outcome RecordWriter::writeLabel(const RatingRecord &r, qint64 itemId, qint64 raterId,
    const QString &category, RowError *rowError)
{
    m_insertLabel.addBindValue(itemId);
    m_insertLabel.addBindValue(raterId);
    m_insertLabel.addBindValue(category);
    m_insertLabel.addBindValue(nullIfEmpty(r.note));
    m_insertLabel.addBindValue(m_protocolId);
    m_insertLabel.addBindValue(r.ratedAt.isEmpty() ? m_now : r.ratedAt);
    m_insertLabel.addBindValue(r.ratedAt.isEmpty() ? m_now : r.ratedAt);
    if (!m_insertLabel.exec())
        return fatal(m_insertLabel);
    if (m_insertLabel.numRowsAffected() == 1) {
        ++m_counts.labelsAdded;
        static const QByteArray action = QByteArrayLiteral("label.import");
        static const QByteArray entity = QByteArrayLiteral("category_label");
        return logEvent(
            action, entity, itemId, audit::labelPayload(itemId, raterId, category, r.note));
    }
    m_selectLabel.addBindValue(itemId);
    m_selectLabel.addBindValue(raterId);
    if (!m_selectLabel.exec() || !m_selectLabel.next())
        return fatal(m_selectLabel);
    const QString stored = m_selectLabel.value(0).toString();
    m_selectLabel.finish();
    if (stored != category) {
        *rowError = { QStringLiteral("category"),
            QStringLiteral("conflicts with the label '%1' that rater '%2' already "
                           "gave item '%3' (this row: '%4')")
                .arg(stored, r.rater, r.itemId, category) };
        return Outcome::Invalid;
    }
    ++m_counts.labelsUnchanged;
    return Outcome::Ok;
}

/// Inserts the rater's rating of the response, or checks it against the stored one.
RecordWriter::Outcome RecordWriter::writeScore(
    const RatingRecord &r, qint64 responseId, qint64 raterId, RowError *rowError)
{
    m_insertRating.addBindValue(responseId);
    m_insertRating.addBindValue(raterId);
    m_insertRating.addBindValue(r.score ? QVariant(*r.score) : QVariant());
    m_insertRating.addBindValue(r.cannotAssess ? 1 : 0);
    m_insertRating.addBindValue(r.checklist.isEmpty()
            ? QVariant()
            : QVariant(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(r.checklist))
                                             .toJson(QJsonDocument::Compact))));
    m_insertRating.addBindValue(nullIfEmpty(r.rationale));
    m_insertRating.addBindValue(m_protocolId);
    m_insertRating.addBindValue(r.secondsSpent ? QVariant(*r.secondsSpent) : QVariant());
    m_insertRating.addBindValue(r.ratedAt.isEmpty() ? m_now : r.ratedAt);
    m_insertRating.addBindValue(r.ratedAt.isEmpty() ? m_now : r.ratedAt);
    if (!m_insertRating.exec())
        return fatal(m_insertRating);
    if (m_insertRating.numRowsAffected() == 1) {
        ++m_counts.ratingsAdded;
        static const QByteArray action = QByteArrayLiteral("rating.import");
        static const QByteArray entity = QByteArrayLiteral("response_rating");
        return logEvent(action, entity, responseId,
            audit::ratingPayload(responseId, raterId, r.score, r.cannotAssess, r.checklist,
                r.rationale, r.secondsSpent));
    }
    return matchStoredScore(r, responseId, raterId, rowError);
}

/// Appends the audit event of one imported label or rating (the same chain writer
/// and native statement for every row of the import).
RecordWriter::Outcome RecordWriter::logEvent(
    const QByteArray &action, const QByteArray &entity, qint64 entityId, const QByteArray &after)
{
    QString message;
    if (m_study.events().append(
            { 0, m_nowUtf8, m_actorUtf8, action, entity, entityId, QByteArray(), after }, &message))
        return Outcome::Ok;
    m_fatal = Error::storage(m_study.path() + QStringLiteral(": cannot log event: ") + message);
    return Outcome::Fatal;
}

/// A rating that is already stored: the row must say the same, or it is invalid.
RecordWriter::Outcome RecordWriter::matchStoredScore(
    const RatingRecord &r, qint64 responseId, qint64 raterId, RowError *rowError)
{
    m_selectRating.addBindValue(responseId);
    m_selectRating.addBindValue(raterId);
    if (!m_selectRating.exec() || !m_selectRating.next())
        return fatal(m_selectRating);
    const QVariant storedScore = m_selectRating.value(0);
    const bool storedCannot = m_selectRating.value(1).toBool();
    QStringList storedChecklist;
    for (const auto &v : QJsonDocument::fromJson(m_selectRating.value(2).toByteArray()).array())
        storedChecklist.append(v.toString());
    const QString storedRationale = m_selectRating.value(3).toString();
    m_selectRating.finish();
    const bool same = storedCannot == r.cannotAssess
        && (storedScore.isNull() ? !r.score : (r.score && storedScore.toInt() == *r.score));
    if (!same) {
        *rowError = { QStringLiteral("score"),
            QStringLiteral("conflicts with the score %1 that rater '%2' already "
                           "gave item '%3' model '%4' run %5 (this row: %6)")
                .arg(storedCannot ? QStringLiteral("'cannot assess'") : storedScore.toString(),
                    r.rater, r.itemId, *r.model)
                .arg(r.run)
                .arg(r.cannotAssess ? QStringLiteral("'cannot assess'")
                                    : QString::number(r.score.value_or(0))) };
        return Outcome::Invalid;
    }
    // A row that states a checklist or rationale must agree with the stored one
    // (a merged bundle never drops a rater's edit silently); absent = not stated.
    const bool checklistDiffers = !r.checklist.isEmpty() && r.checklist != storedChecklist;
    if (checklistDiffers || (!r.rationale.isEmpty() && r.rationale != storedRationale)) {
        const QString field =
            checklistDiffers ? QStringLiteral("checklist") : QStringLiteral("rationale");
        *rowError = { field,
            QStringLiteral("conflicts with the %1 that rater '%2' already gave item '%3' "
                           "model '%4' run %5 (stored: '%6'; this row: '%7')")
                .arg(field, r.rater, r.itemId, *r.model)
                .arg(r.run)
                .arg(checklistDiffers ? storedChecklist.join(QLatin1Char(';')) : storedRationale,
                    checklistDiffers ? r.checklist.join(QLatin1Char(';')) : r.rationale) };
        return Outcome::Invalid;
    }
    ++m_counts.ratingsUnchanged;
    return Outcome::Ok;
}

// The insert triggers that bulk loads drop (schema step 11): each adds one row to a group
// of tally_item or tally_response.
const char *const bulkTriggers[] = { "tally_item_insert", "tally_response_insert" };

bool RecordWriter::beginBulkLoad(Error *error)
{
    if (m_study.engine() != Engine::Sqlite || !m_droppedTriggers.isEmpty())
        return true;
    QSqlQuery q(m_study.database());
    for (const char *name : bulkTriggers) {
        q.prepare(QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                 " AND name = ?"));
        q.addBindValue(QString::fromLatin1(name));
        if (!q.exec()) {
            *error = Error::storage(m_study.path() + QStringLiteral(": ") + q.lastError().text());
            return false;
        }
        if (!q.next())
            continue; // not in this schema: nothing to take over
        const QString sql = q.value(0).toString();
        q.finish();
        if (!q.exec(QStringLiteral("DROP TRIGGER %1").arg(QLatin1String(name)))) {
            *error = Error::storage(m_study.path() + QStringLiteral(": ") + q.lastError().text());
            return false;
        }
        m_droppedTriggers.append(sql);
    }
    return true;
}

void RecordWriter::tallyItem(ItemGroup group)
{
    if (m_inSavepoint) {
        m_rowItems.append(std::move(group));
        return;
    }
    ++m_itemTally[group];
}

void RecordWriter::tallyResponse(const ResponseGroup &group)
{
    if (m_inSavepoint) {
        m_rowResponses.append(group);
        return;
    }
    auto &[n, refusals] = m_responseTally[{ group.model, group.run }];
    ++n;
    refusals += group.refusal ? 1 : 0;
}

bool RecordWriter::finishBulkLoad(Error *error)
{
    if (m_droppedTriggers.isEmpty())
        return true;
    const auto failed = [&](const QString &message) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return false;
    };
    QString message;
    const NativeConnection db = nativeConnection(m_study.database());
    Statement items, responses;
    if (!items.prepare(db,
            "INSERT INTO tally_item VALUES (?, ?, ?, ?)"
            " ON CONFLICT(dataset_id, split, reference_label) DO UPDATE SET n = n + excluded.n",
            &message)
        || !responses.prepare(db,
            "INSERT INTO tally_response VALUES (?, ?, ?, ?) ON CONFLICT(model_id, run)"
            " DO UPDATE SET n = n + excluded.n, refusals = refusals + excluded.refusals",
            &message))
        return failed(message);
    for (auto it = m_itemTally.cbegin(); it != m_itemTally.cend(); ++it) {
        // Bound as text even when empty: the tally keeps NULL as ''.
        const QByteArray split = it.key().split.isNull() ? QByteArray("") : it.key().split;
        const QByteArray label = it.key().label.isNull() ? QByteArray("") : it.key().label;
        items.bindInt(1, it.key().dataset);
        items.bindText(2, split);
        items.bindText(3, label);
        items.bindInt(4, it.value());
        const bool ok = items.step();
        items.reset();
        if (!ok)
            return failed(items.errorMessage());
    }
    for (auto it = m_responseTally.cbegin(); it != m_responseTally.cend(); ++it) {
        responses.bindInt(1, it.key().first);
        responses.bindInt(2, it.key().second);
        responses.bindInt(3, it.value().first);
        responses.bindInt(4, it.value().second);
        const bool ok = responses.step();
        responses.reset();
        if (!ok)
            return failed(responses.errorMessage());
    }
    QSqlQuery q(m_study.database());
    for (const QString &sql : std::as_const(m_droppedTriggers)) {
        if (!q.exec(sql))
            return failed(q.lastError().text());
    }
    m_droppedTriggers.clear();
    m_itemTally.clear();
    m_responseTally.clear();
    return true;
}

bool RecordWriter::savepoint(Error *error)
{
    m_countsAtSavepoint = m_counts;
    m_inSavepoint = true;
    m_rowItems.clear();
    m_rowResponses.clear();
    if (m_misc.exec(QStringLiteral("SAVEPOINT import_row")))
        return true;
    *error = Error::storage(m_misc.lastError().text());
    return false;
}

bool RecordWriter::rollbackToSavepoint(Error *error)
{
    if (m_misc.exec(QStringLiteral("ROLLBACK TO import_row"))
        && m_misc.exec(QStringLiteral("RELEASE import_row"))) {
        // Caches may now name rows that were rolled back.
        m_study.events().invalidate();
        m_counts = m_countsAtSavepoint;
        m_inSavepoint = false;
        m_rowItems.clear();
        m_rowResponses.clear();
        m_datasets.clear();
        m_items.clear();
        m_models.clear();
        m_raters.clear();
        m_pseudonyms.clear();
        for (const Rater &r : RaterRepository(m_study).all()) {
            m_raters.insert(r.name, { r.id, r.kind });
            m_pseudonyms.insert(r.pseudonym, r.name);
        }
        for (const Model &m : ItemRepository(m_study).models())
            m_models.insert(m.name.toUtf8(), m.id);
        return true;
    }
    *error = Error::storage(m_misc.lastError().text());
    return false;
}

bool RecordWriter::releaseSavepoint(Error *error)
{
    if (m_misc.exec(QStringLiteral("RELEASE import_row"))) {
        m_inSavepoint = false;
        for (ItemGroup &g : m_rowItems)
            tallyItem(std::move(g));
        for (const ResponseGroup &g : std::as_const(m_rowResponses))
            tallyResponse(g);
        m_rowItems.clear();
        m_rowResponses.clear();
        return true;
    }
    *error = Error::storage(m_misc.lastError().text());
    return false;
}

bool recordImportRun(Study &study, const QString &format, const QStringList &files,
    const ImportReport &report, Error *error)
{
    const ImportCounts &c = report.counts;
    QJsonObject summary { { QStringLiteral("rows"), c.rows },
        { QStringLiteral("items_added"), c.itemsAdded },
        { QStringLiteral("responses_added"), c.responsesAdded },
        { QStringLiteral("models_added"), c.modelsAdded },
        { QStringLiteral("raters_added"), c.ratersAdded },
        { QStringLiteral("labels_added"), c.labelsAdded },
        { QStringLiteral("ratings_added"), c.ratingsAdded },
        { QStringLiteral("skipped"), int(report.skipped.size()) } };
    // What the benchmark importer read differently from the plain values (only when it did).
    const std::pair<const char *, qint64> readAs[] = { { "scores_missing", c.scoresMissing },
        { "scores_from_strings", c.scoresFromStrings }, { "labels_missing", c.labelsMissing },
        { "llm_labels_empty", c.llmLabelsEmpty }, { "labels_unknown", c.labelsUnknown },
        { "scores_on_identical_responses", c.scoresOnIdenticalResponses },
        { "cells_aligned_by_position", c.cellsAlignedByPosition } };
    for (const auto &[key, value] : readAs) {
        if (value > 0)
            summary.insert(QLatin1String(key), value);
    }
    if (!report.judgeRuns.isEmpty()) {
        QJsonArray runs;
        for (const QJsonObject &r : report.judgeRuns)
            runs.append(r);
        summary.insert(QStringLiteral("judge_runs"), runs);
    }
    const QString summaryText =
        QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact));
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("INSERT INTO import_run(at, actor, format, files, summary)"
                             " VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(Study::now());
    q.addBindValue(study.actor());
    q.addBindValue(format);
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(files)).toJson(QJsonDocument::Compact)));
    q.addBindValue(summaryText);
    if (!q.exec()) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return false;
    }
    const qint64 runId = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral("INSERT INTO import_issue(import_run_id, file, line, field, reason)"
                             " VALUES (?, ?, ?, ?, ?)"));
    for (const ImportIssue &i : report.skipped) {
        q.addBindValue(runId);
        q.addBindValue(i.file);
        q.addBindValue(i.line);
        q.addBindValue(i.field.isEmpty() ? QVariant() : QVariant(i.field));
        q.addBindValue(i.reason);
        if (!q.exec()) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
            return false;
        }
    }
    return study.appendEvent(
        QStringLiteral("import"), QStringLiteral("import_run"), runId, {}, summaryText, error);
}

} // namespace cr::storage
