// Rater packages: a study file for one rater holding only what that rater may see,
// and the merge of what they did back into the master through the master's key.
#include "storage/package.h"

#include "storage/exposure.h"
#include "storage/records.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <map>

namespace cr::storage {

namespace {

const QString metaPackageId = QStringLiteral("package_id");
const QString metaPackageRater = QStringLiteral("package_rater");
const QString metaPackageMaster = QStringLiteral("package_master_study");
const QString metaStudyId = QStringLiteral("study_id");
/// The one model row of a package: responses carry no model.
const QString blindedModel = QStringLiteral("blinded");

QString randomToken()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    return QString::fromLatin1(bytes.toHex());
}

/// `count` distinct random ids in [1, limit), ascending.
QList<qint64> randomIds(qsizetype count, qint64 limit)
{
    QSet<qint64> taken;
    QList<qint64> out;
    while (out.size() < count) {
        const qint64 id = QRandomGenerator::system()->bounded(qint64(1), limit);
        if (!taken.contains(id)) {
            taken.insert(id);
            out.append(id);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

// ---- values compared by the three-way merge -----------------------------------

struct LabelValue {
    QString category;
    QString note;
    QString protocolHash;
    QString createdAt;
    QString updatedAt;
    qint64 line = 0;

    QString canonical() const
    {
        QJsonObject o { { QStringLiteral("category"), category } };
        if (!note.isEmpty())
            o.insert(QStringLiteral("note"), note);
        return compactJson(o);
    }
};

struct RatingValue {
    std::optional<int> score;
    bool cannotAssess = false;
    QString checklistJson; // JSON array text or empty
    QString rationale;
    std::optional<double> seconds;
    QString protocolHash;
    QString createdAt;
    QString updatedAt;
    qint64 line = 0;

    QString canonical() const
    {
        QJsonObject o { { QStringLiteral("score"), score ? QJsonValue(*score) : QJsonValue() },
            { QStringLiteral("cannot_assess"), cannotAssess } };
        const QJsonArray checklist = QJsonDocument::fromJson(checklistJson.toUtf8()).array();
        if (!checklist.isEmpty())
            o.insert(QStringLiteral("checklist"), checklist);
        if (!rationale.isEmpty())
            o.insert(QStringLiteral("rationale"), rationale);
        return compactJson(o);
    }
};

struct AssignmentValue {
    QString status;
    QString skip;
    bool flagged = false;

    QString canonical() const
    {
        return compactJson({ { QStringLiteral("status"), status },
            { QStringLiteral("skip"), skip.isEmpty() ? QJsonValue() : QJsonValue(skip) },
            { QStringLiteral("flagged"), flagged } });
    }
    static AssignmentValue fromCanonical(const QString &text)
    {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        return { o.value(QStringLiteral("status")).toString(),
            o.value(QStringLiteral("skip")).toString(),
            o.value(QStringLiteral("flagged")).toBool() };
    }
};

struct ShownValue {
    QString responseKey;
    int position = 0;
    QString label;
    QString shownAt;
};

struct SessionValue {
    qint64 id = 0;
    QString startedAt;
    QString endedAt;
    qint64 shown = 0;
    qint64 rated = 0;
};

QString responseKey(const QString &itemToken, int run)
{
    return itemToken + QLatin1Char('/') + QString::number(run);
}

/// Digest of a package's items and responses (opaque ids, turns, positions, texts).
/// The master keeps it; a merge recomputes it from the file.
QString sealOf(const QSqlDatabase &db, QString *error)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, external_id, turns FROM item ORDER BY id"))) {
        *error = q.lastError().text();
        return {};
    }
    while (q.next())
        hash.addData(QStringLiteral("I\t%1\t%2\t%3\n")
                         .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString())
                         .toUtf8());
    if (!q.exec(QStringLiteral("SELECT response.id, item.external_id, response.run, response.text,"
                               " model.name FROM response JOIN item ON item.id = response.item_id"
                               " JOIN model ON model.id = response.model_id"
                               " ORDER BY item.id, response.run, response.id"))) {
        *error = q.lastError().text();
        return {};
    }
    while (q.next())
        hash.addData(QStringLiteral("R\t%1\t%2\t%3\t%4\t%5\n")
                         .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                             q.value(3).toString(), q.value(4).toString())
                         .toUtf8());
    return QString::fromLatin1(hash.result().toHex());
}

/// Runs `sql` with `values` bound in order; false with `error` on failure.
bool run(
    QSqlQuery &q, const QString &sql, const QVariantList &values, const QString &path, Error *error)
{
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (q.exec())
        return true;
    *error = Error::storage(path + QStringLiteral(": ") + q.lastError().text());
    return false;
}

// ---- writing a package ----------------------------------------------------------

struct PackagedResponse {
    qint64 masterId = 0;
    int run = 0; // position in the package's storage order, 1-based
    QString text;
    qint64 packageId = 0;
    std::optional<RatingValue> rating;
    std::optional<ShownValue> shown;
};

struct PackagedItem {
    Assignment assignment;
    QString turnsJson;
    QString token;
    qint64 packageId = 0;
    quint64 seed = 0;
    std::optional<LabelValue> label;
    QList<PackagedResponse> responses; // in the package's storage order (run 1, 2, …)
};

struct MasterProtocol {
    qint64 id = 0;
    QString hash;
    QByteArray json;
};

class PackageWriter {
public:
    PackageWriter(Study &master, const Rater &rater, Error *error)
        : m_master(master)
        , m_rater(rater)
        , m_error(error)
    {
    }

    bool collect(const std::function<void(qint64, qint64)> &progress)
    {
        QSqlQuery q(m_master.database());
        if (!run(q, QStringLiteral("SELECT id, hash, json FROM protocol ORDER BY id"), {},
                m_master.path(), m_error))
            return false;
        while (q.next())
            m_protocols.append(
                { q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toByteArray() });
        const QList<Assignment> assignments = AssignmentRepository(m_master).forRater(m_rater.id);
        const QList<qint64> itemIds =
            randomIds(assignments.size(), std::max<qint64>(1000000, 20 * assignments.size()));
        const ItemRepository items(m_master);
        for (qsizetype i = 0; i < assignments.size(); ++i) {
            PackagedItem item;
            item.assignment = assignments.at(i);
            item.token = randomToken();
            item.packageId = itemIds.at(i); // ascending: the package keeps the queue order
            item.seed = QRandomGenerator::system()->generate64() >> 1;
            if (!run(q, QStringLiteral("SELECT turns FROM item WHERE id = ?"),
                    { item.assignment.itemId }, m_master.path(), m_error)
                || !q.next()) {
                if (!m_error->isError())
                    *m_error = Error::storage(m_master.path()
                        + QStringLiteral(": item %1 vanished").arg(item.assignment.itemId));
                return false;
            }
            item.turnsJson = q.value(0).toString();
            if (!readLabel(item))
                return false;
            // Position i of the rater's order shows master response masterOrder[i]; the
            // package stores it at slot packageOrder[i], so that the package's own
            // presentationOrder (its seed, its storage order) shows the same sequence.
            const QList<Response> responses = items.responses(item.assignment.itemId);
            const QList<int> masterOrder =
                presentationOrder(int(responses.size()), item.assignment.seed);
            const QList<int> packageOrder = presentationOrder(int(responses.size()), item.seed);
            item.responses.resize(responses.size());
            for (int position = 0; position < masterOrder.size(); ++position) {
                PackagedResponse &r = item.responses[packageOrder.at(position)];
                const Response &source = responses.at(masterOrder.at(position));
                r.masterId = source.id;
                r.run = packageOrder.at(position) + 1;
                r.text = source.text;
            }
            for (PackagedResponse &r : item.responses)
                if (!readRating(r))
                    return false;
            m_items.append(item);
            if (progress)
                progress(i + 1, assignments.size() * 2);
        }
        return true;
    }

    bool writePackage(Study &package, const QString &packageId, const QString &masterStudyId,
        const std::function<void(qint64, qint64)> &progress)
    {
        WriteTransaction tx(package, m_error);
        if (!tx.isActive())
            return false;
        QSqlQuery q(package.database());
        const QString path = package.path();
        // The master's protocol versions, in order (ratings keep the version they used).
        QHash<QString, qint64> protocolIds; // hash → package id
        for (const MasterProtocol &p : std::as_const(m_protocols)) {
            QString message;
            const auto parsed = protocol::parseProtocol(p.json, &message);
            if (!parsed) {
                *m_error =
                    Error::storage(m_master.path() + QStringLiteral(": protocol: ") + message);
                return false;
            }
            const qint64 id = package.addProtocol(*parsed, m_error);
            if (id == 0)
                return false;
            protocolIds.insert(p.hash, id);
        }
        for (const auto &[key, value] :
            { std::pair { metaPackageId, packageId }, std::pair { metaPackageRater, m_rater.name },
                std::pair { metaPackageMaster, masterStudyId } })
            if (!run(q, QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?)"),
                    { key, value }, path, m_error))
                return false;
        QString pseudonym;
        QString message;
        const qint64 raterId = insertRater(package.database(), m_rater.name, RaterKind::Human,
            RaterRole::Rater, &pseudonym, &message);
        if (raterId == 0) {
            *m_error = Error::storage(path + QStringLiteral(": ") + message);
            return false;
        }
        if (!run(q, QStringLiteral("INSERT INTO model(name) VALUES (?)"), { blindedModel }, path,
                m_error))
            return false;
        const qint64 modelId = q.lastInsertId().toLongLong();
        qsizetype responseCount = 0;
        for (const PackagedItem &item : std::as_const(m_items))
            responseCount += item.responses.size();
        const QList<qint64> responseIds = [&] {
            QList<qint64> ids = randomIds(responseCount, qint64(1) << 53);
            std::shuffle(ids.begin(), ids.end(), *QRandomGenerator::system());
            return ids;
        }();
        const QString now = Study::now();
        qsizetype nextResponse = 0;
        for (qsizetype i = 0; i < m_items.size(); ++i) {
            PackagedItem &item = m_items[i];
            const Assignment &a = item.assignment;
            if (!run(q, QStringLiteral("INSERT INTO item(id, external_id, turns) VALUES (?, ?, ?)"),
                    { item.packageId, item.token, item.turnsJson }, path, m_error)
                || !run(q,
                    QStringLiteral("INSERT INTO assignment(rater_id, item_id, seed, status,"
                                   " created_at, calibration, flagged, skip_reason)"
                                   " VALUES (?, ?, ?, ?, ?, 0, ?, ?)"),
                    { raterId, item.packageId, qint64(item.seed), a.status, now, a.flagged ? 1 : 0,
                        nullable(a.skipReason) },
                    path, m_error))
                return false;
            if (item.label
                && !run(q,
                    QStringLiteral("INSERT INTO category_label(item_id, rater_id, category, note,"
                                   " protocol_id, created_at, updated_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?)"),
                    { item.packageId, raterId, item.label->category, nullable(item.label->note),
                        protocolIds.value(item.label->protocolHash) > 0
                            ? QVariant(protocolIds.value(item.label->protocolHash))
                            : QVariant(),
                        item.label->createdAt, item.label->updatedAt },
                    path, m_error))
                return false;
            for (PackagedResponse &r : item.responses) {
                r.packageId = responseIds.at(nextResponse++);
                if (!run(q,
                        QStringLiteral("INSERT INTO response(id, item_id, model_id, run, text)"
                                       " VALUES (?, ?, ?, ?, ?)"),
                        { r.packageId, item.packageId, modelId, r.run, r.text }, path, m_error))
                    return false;
                if (r.rating && !writeRating(q, path, raterId, r, protocolIds))
                    return false;
                if (r.shown
                    && !run(q,
                        QStringLiteral("INSERT INTO presentation(rater_id, response_id, position,"
                                       " label, shown_at) VALUES (?, ?, ?, ?, ?)"),
                        { raterId, r.packageId, r.shown->position, r.shown->label,
                            r.shown->shownAt },
                        path, m_error))
                    return false;
            }
            if (progress)
                progress(m_items.size() + i + 1, m_items.size() * 2);
        }
        QString sealError;
        m_seal = sealOf(package.database(), &sealError);
        if (m_seal.isEmpty()) {
            *m_error = Error::storage(path + QStringLiteral(": ") + sealError);
            return false;
        }
        return tx.commit(m_error);
    }

    /// The key, inside the master's open transaction.
    bool writeKey(const QString &packageId, const QString &file)
    {
        QSqlQuery q(m_master.database());
        const QString path = m_master.path();
        if (!run(q,
                QStringLiteral("INSERT INTO package(id, rater_id, created_at, file, seal)"
                               " VALUES (?, ?, ?, ?, ?)"),
                { packageId, m_rater.id, Study::now(), file, m_seal }, path, m_error))
            return false;
        const QString sql =
            QStringLiteral("INSERT INTO package_key(package_id, rater_id, entity,"
                           " opaque_id, master_id, base) VALUES (?, ?, ?, ?, ?, ?)");
        for (const PackagedItem &item : std::as_const(m_items)) {
            const Assignment &a = item.assignment;
            if (!run(q, sql,
                    { packageId, m_rater.id, QStringLiteral("item"), item.token, a.itemId,
                        item.label ? QVariant(item.label->canonical()) : QVariant() },
                    path, m_error)
                || !run(q, sql,
                    { packageId, m_rater.id, QStringLiteral("assignment"), item.token, a.id,
                        AssignmentValue { a.status, a.skipReason, a.flagged }.canonical() },
                    path, m_error))
                return false;
            for (const PackagedResponse &r : item.responses)
                if (!run(q, sql,
                        { packageId, m_rater.id, QStringLiteral("response"),
                            responseKey(item.token, r.run), r.masterId,
                            r.rating ? QVariant(r.rating->canonical()) : QVariant() },
                        path, m_error))
                    return false;
        }
        return true;
    }

    /// The master's first protocol version: the package is created with it.
    std::optional<protocol::Protocol> firstProtocol() const
    {
        QString message;
        if (m_protocols.isEmpty())
            return protocol::defaultProtocol();
        auto parsed = protocol::parseProtocol(m_protocols.constFirst().json, &message);
        if (!parsed)
            *m_error = Error::storage(m_master.path() + QStringLiteral(": protocol: ") + message);
        return parsed;
    }

    PackageSummary summary(const QString &packageId) const
    {
        PackageSummary s;
        s.packageId = packageId;
        s.rater = m_rater.name;
        s.items = m_items.size();
        for (const PackagedItem &item : m_items) {
            s.responses += item.responses.size();
            s.labels += item.label ? 1 : 0;
            s.skipped += item.assignment.status == QLatin1String("skipped") ? 1 : 0;
            for (const PackagedResponse &r : item.responses)
                s.ratings += r.rating ? 1 : 0;
        }
        return s;
    }

private:
    QString protocolHash(const QVariant &id) const
    {
        for (const MasterProtocol &p : m_protocols)
            if (!id.isNull() && p.id == id.toLongLong())
                return p.hash;
        return {};
    }

    bool readLabel(PackagedItem &item)
    {
        QSqlQuery q(m_master.database());
        if (!run(q,
                QStringLiteral("SELECT category, note, protocol_id, created_at, updated_at"
                               " FROM category_label WHERE item_id = ? AND rater_id = ?"),
                { item.assignment.itemId, m_rater.id }, m_master.path(), m_error))
            return false;
        if (q.next())
            item.label = LabelValue { q.value(0).toString(), q.value(1).toString(),
                protocolHash(q.value(2)), q.value(3).toString(), q.value(4).toString() };
        return true;
    }

    bool readRating(PackagedResponse &r)
    {
        QSqlQuery q(m_master.database());
        if (!run(q,
                QStringLiteral("SELECT score, cannot_assess, checklist, rationale, seconds_spent,"
                               " protocol_id, created_at, updated_at FROM response_rating"
                               " WHERE response_id = ? AND rater_id = ?"),
                { r.masterId, m_rater.id }, m_master.path(), m_error))
            return false;
        if (q.next()) {
            RatingValue v;
            if (!q.value(0).isNull())
                v.score = q.value(0).toInt();
            v.cannotAssess = q.value(1).toBool();
            v.checklistJson = q.value(2).toString();
            v.rationale = q.value(3).toString();
            if (!q.value(4).isNull())
                v.seconds = q.value(4).toDouble();
            v.protocolHash = protocolHash(q.value(5));
            v.createdAt = q.value(6).toString();
            v.updatedAt = q.value(7).toString();
            r.rating = v;
        }
        if (!run(q,
                QStringLiteral("SELECT position, label, shown_at FROM presentation"
                               " WHERE response_id = ? AND rater_id = ?"),
                { r.masterId, m_rater.id }, m_master.path(), m_error))
            return false;
        if (q.next())
            r.shown =
                ShownValue { {}, q.value(0).toInt(), q.value(1).toString(), q.value(2).toString() };
        return true;
    }

    bool writeRating(QSqlQuery &q, const QString &path, qint64 raterId, const PackagedResponse &r,
        const QHash<QString, qint64> &protocolIds)
    {
        const RatingValue &v = *r.rating;
        const qint64 protocolId = protocolIds.value(v.protocolHash);
        return run(q,
            QStringLiteral("INSERT INTO response_rating(response_id, rater_id, score,"
                           " cannot_assess, checklist, rationale, protocol_id, seconds_spent,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            { r.packageId, raterId, v.score ? QVariant(*v.score) : QVariant(),
                v.cannotAssess ? 1 : 0, nullable(v.checklistJson), nullable(v.rationale),
                protocolId > 0 ? QVariant(protocolId) : QVariant(),
                v.seconds ? QVariant(*v.seconds) : QVariant(), v.createdAt, v.updatedAt },
            path, m_error);
    }

    Study &m_master;
    Rater m_rater;
    Error *m_error;
    QList<MasterProtocol> m_protocols;
    QList<PackagedItem> m_items;
    QString m_seal;
};

void removeStudyFile(const QString &path)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
}

/// The master's study id (meta `study_id`), created on first use inside the caller's
/// transaction.
QString ensureStudyId(Study &master, Error *error)
{
    QString id = master.metaValue(metaStudyId);
    if (!id.isEmpty())
        return id;
    id = randomToken();
    QSqlQuery q(master.database());
    if (!run(q, QStringLiteral("INSERT INTO meta(key, value) VALUES (?, ?)"), { metaStudyId, id },
            master.path(), error))
        return {};
    return id;
}

} // namespace

std::optional<PackageInfo> packageInfo(const Study &study)
{
    const QString id = study.metaValue(metaPackageId);
    if (id.isEmpty())
        return std::nullopt;
    return PackageInfo { id, study.metaValue(metaPackageRater),
        study.metaValue(metaPackageMaster) };
}

std::optional<PackageSummary> writeRaterPackage(Study &master, const QString &raterName,
    const QString &outPath, const std::function<void(qint64, qint64)> &progress, Error *error)
{
    if (packageInfo(master)) {
        *error = Error::invalid(master.path()
            + QStringLiteral(": is itself a rater package; package the master study"));
        return std::nullopt;
    }
    const auto rater = RaterRepository(master).byName(raterName);
    if (!rater) {
        *error = Error::invalid(
            master.path() + QStringLiteral(": no rater '%1' in this study").arg(raterName));
        return std::nullopt;
    }
    if (rater->kind != RaterKind::Human) {
        *error = Error::invalid(QStringLiteral("'%1' is an LLM rater; rater packages are for "
                                               "people")
                                    .arg(raterName));
        return std::nullopt;
    }
    // The master's write lock is held throughout: nothing changes while it is read,
    // and the key is committed only after the package is complete on disk.
    WriteTransaction tx(master, error);
    if (!tx.isActive())
        return std::nullopt;
    const QString studyId = ensureStudyId(master, error);
    if (studyId.isEmpty())
        return std::nullopt;
    PackageWriter writer(master, *rater, error);
    if (!writer.collect(progress))
        return std::nullopt;
    const QString packageId = randomToken();
    const auto first = writer.firstProtocol();
    if (!first)
        return std::nullopt;
    {
        auto package = Study::create(outPath, *first, QStringLiteral("Rater package"), error);
        if (!package)
            return std::nullopt;
        package->setActor(rater->name);
        if (!writer.writePackage(*package, packageId, studyId, progress)) {
            package.reset();
            removeStudyFile(outPath);
            return std::nullopt;
        }
    }
    const PackageSummary summary = writer.summary(packageId);
    const QJsonObject after { { QStringLiteral("package"), packageId },
        { QStringLiteral("rater"), rater->name },
        { QStringLiteral("file"), QFileInfo(outPath).absoluteFilePath() },
        { QStringLiteral("items"), summary.items },
        { QStringLiteral("responses"), summary.responses } };
    if (!writer.writeKey(packageId, QFileInfo(outPath).absoluteFilePath())
        || !master.appendEvent(QStringLiteral("package.create"), QStringLiteral("package"),
            rater->id, {}, compactJson(after), error)
        || !tx.commit(error)) {
        removeStudyFile(outPath);
        return std::nullopt;
    }
    return summary;
}

// ---- reading a package or a bundle exported from one ---------------------------

namespace {

struct PackageContent {
    QString file;
    PackageInfo info;
    bool isStudy = false; // a package file (complete), not a bundle (only what it lists)
    QString seal;
    QStringList raters; // rater names the file holds
    QList<std::pair<QString, LabelValue>> labels; // item token → label
    QList<std::pair<QString, RatingValue>> ratings; // response key → rating
    QHash<QString, AssignmentValue> assignments; // item token → assignment
    QStringList itemTokens; // every item of a package file
    QStringList responseKeys; // every response of a package file
    QList<ShownValue> shown;
    QList<SessionValue> sessions;
};

bool hasSqliteHeader(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(16) == QByteArray("SQLite format 3", 16);
}

/// The first line of a JSONL bundle exported from a package carries "package".
bool isPackageBundle(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(f.readLine(1 << 20)).object();
    return o.contains(QStringLiteral("package"));
}

/// A read-only connection on a package file, closed when destroyed.
class ReadOnlyDb final {
public:
    explicit ReadOnlyDb(const QString &path)
        : m_name(QStringLiteral("cr-package-%1").arg(counter().fetchAndAddRelaxed(1)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            m_error = db.lastError().text();
    }
    ~ReadOnlyDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    ReadOnlyDb(const ReadOnlyDb &) = delete;
    ReadOnlyDb &operator=(const ReadOnlyDb &) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    QString openError() const { return m_error; }

private:
    static QAtomicInteger<quint64> &counter()
    {
        static QAtomicInteger<quint64> c;
        return c;
    }
    QString m_name;
    QString m_error;
};

bool readPackageFile(const QString &path, PackageContent *c, QList<ImportIssue> *issues)
{
    c->file = path;
    c->isStudy = true;
    ReadOnlyDb raw(path);
    auto problem = [&](const QString &why) {
        issues->append({ path, 0, {}, why });
        return false;
    };
    if (!raw.openError().isEmpty())
        return problem(QStringLiteral("cannot open the package: ") + raw.openError());
    const QSqlDatabase db = raw.db();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    const auto select = [&](const QString &sql) {
        if (q.exec(sql))
            return true;
        problem(QStringLiteral("not a readable rater package: ") + q.lastError().text());
        return false;
    };
    if (!select(QStringLiteral("SELECT key, value FROM meta")))
        return false;
    while (q.next()) {
        const QString key = q.value(0).toString();
        if (key == metaPackageId)
            c->info.packageId = q.value(1).toString();
        else if (key == metaPackageRater)
            c->info.rater = q.value(1).toString();
        else if (key == metaPackageMaster)
            c->info.masterStudyId = q.value(1).toString();
    }
    if (c->info.packageId.isEmpty())
        return problem(QStringLiteral("a study file that is not a rater package"));
    QString sealError;
    c->seal = sealOf(db, &sealError);
    if (c->seal.isEmpty())
        return problem(QStringLiteral("not a readable rater package: ") + sealError);
    if (!select(QStringLiteral("SELECT name FROM rater ORDER BY id")))
        return false;
    while (q.next())
        c->raters.append(q.value(0).toString());
    if (!select(QStringLiteral("SELECT external_id FROM item ORDER BY id")))
        return false;
    while (q.next())
        c->itemTokens.append(q.value(0).toString());
    if (!select(QStringLiteral("SELECT item.external_id, response.run FROM response"
                               " JOIN item ON item.id = response.item_id ORDER BY response.id")))
        return false;
    while (q.next())
        c->responseKeys.append(responseKey(q.value(0).toString(), q.value(1).toInt()));
    // Only the package's rater may have rows (checked against the master's key later).
    const QString raterName = QStringLiteral("(SELECT name FROM rater WHERE rater.id = %1)");
    if (!select(QStringLiteral("SELECT item.external_id, l.category, l.note, p.hash,"
                               " l.created_at, l.updated_at, ")
            + raterName.arg(QStringLiteral("l.rater_id"))
            + QStringLiteral(" FROM category_label l JOIN item ON item.id = l.item_id"
                             " LEFT JOIN protocol p ON p.id = l.protocol_id ORDER BY l.id")))
        return false;
    while (q.next()) {
        c->raters.append(q.value(6).toString());
        c->labels.append({ q.value(0).toString(),
            LabelValue { q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                q.value(4).toString(), q.value(5).toString() } });
    }
    if (!select(QStringLiteral("SELECT item.external_id, response.run, rr.score,"
                               " rr.cannot_assess, rr.checklist, rr.rationale, rr.seconds_spent,"
                               " p.hash, rr.created_at, rr.updated_at, ")
            + raterName.arg(QStringLiteral("rr.rater_id"))
            + QStringLiteral(
                " FROM response_rating rr JOIN response ON response.id = rr.response_id"
                " JOIN item ON item.id = response.item_id"
                " LEFT JOIN protocol p ON p.id = rr.protocol_id ORDER BY rr.id")))
        return false;
    while (q.next()) {
        RatingValue v;
        if (!q.value(2).isNull())
            v.score = q.value(2).toInt();
        v.cannotAssess = q.value(3).toBool();
        v.checklistJson = q.value(4).toString();
        v.rationale = q.value(5).toString();
        if (!q.value(6).isNull())
            v.seconds = q.value(6).toDouble();
        v.protocolHash = q.value(7).toString();
        v.createdAt = q.value(8).toString();
        v.updatedAt = q.value(9).toString();
        c->raters.append(q.value(10).toString());
        c->ratings.append({ responseKey(q.value(0).toString(), q.value(1).toInt()), v });
    }
    if (!select(QStringLiteral("SELECT item.external_id, a.status, a.skip_reason, a.flagged, ")
            + raterName.arg(QStringLiteral("a.rater_id"))
            + QStringLiteral(" FROM assignment a JOIN item ON item.id = a.item_id ORDER BY a.id")))
        return false;
    while (q.next()) {
        c->raters.append(q.value(4).toString());
        c->assignments.insert(q.value(0).toString(),
            { q.value(1).toString(), q.value(2).toString(), q.value(3).toBool() });
    }
    if (!select(QStringLiteral("SELECT item.external_id, response.run, s.position, s.label,"
                               " s.shown_at, ")
            + raterName.arg(QStringLiteral("s.rater_id"))
            + QStringLiteral(" FROM presentation s JOIN response ON response.id = s.response_id"
                             " JOIN item ON item.id = response.item_id ORDER BY s.rowid")))
        return false;
    while (q.next()) {
        c->raters.append(q.value(5).toString());
        c->shown.append({ responseKey(q.value(0).toString(), q.value(1).toInt()),
            q.value(2).toInt(), q.value(3).toString(), q.value(4).toString() });
    }
    if (!select(QStringLiteral("SELECT id, started_at, ended_at, items_shown, items_rated, ")
            + raterName.arg(QStringLiteral("rater_id"))
            + QStringLiteral(" FROM rating_session ORDER BY id")))
        return false;
    while (q.next()) {
        c->raters.append(q.value(5).toString());
        c->sessions.append({ q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toLongLong(), q.value(4).toLongLong() });
    }
    c->raters.removeDuplicates();
    return true;
}

bool readPackageBundle(const QString &path, PackageContent *c, QList<ImportIssue> *issues)
{
    c->file = path;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        issues->append({ path, 0, {}, QStringLiteral("cannot read: ") + f.errorString() });
        return false;
    }
    qint64 lineNo = 0;
    const qsizetype before = issues->size();
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        ++lineNo;
        if (line.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonObject o = QJsonDocument::fromJson(line, &parseError).object();
        auto problem = [&](const QString &field, const QString &why) {
            issues->append({ path, lineNo, field, why });
        };
        if (parseError.error != QJsonParseError::NoError) {
            problem({}, QStringLiteral("not JSON: ") + parseError.errorString());
            continue;
        }
        const QString packageId = o.value(QStringLiteral("package")).toString();
        if (c->info.packageId.isEmpty()) {
            c->info.packageId = packageId;
            c->info.masterStudyId = o.value(QStringLiteral("package_master")).toString();
        } else if (packageId != c->info.packageId) {
            problem(QStringLiteral("package"),
                QStringLiteral("another package than the file's first line"));
            continue;
        }
        const QString rater = o.value(QStringLiteral("rater")).toString();
        if (!c->raters.contains(rater))
            c->raters.append(rater);
        const QString item = o.value(QStringLiteral("item_id")).toString();
        if (o.contains(QStringLiteral("model"))) {
            if (o.value(QStringLiteral("model")).toString() != blindedModel) {
                problem(QStringLiteral("model"), QStringLiteral("not a response of a package"));
                continue;
            }
            RatingValue v;
            const QJsonValue score = o.value(QStringLiteral("score"));
            if (score.isDouble())
                v.score = score.toInt();
            v.cannotAssess = o.value(QStringLiteral("cannot_assess")).toBool();
            if (v.cannotAssess == v.score.has_value()
                || (v.score && (*v.score < 1 || *v.score > 5))) {
                problem(QStringLiteral("score"),
                    QStringLiteral("a rating needs either a score 1-5 or cannot_assess"));
                continue;
            }
            const QJsonArray checklist = o.value(QStringLiteral("checklist")).toArray();
            if (!checklist.isEmpty())
                v.checklistJson =
                    QString::fromUtf8(QJsonDocument(checklist).toJson(QJsonDocument::Compact));
            v.rationale = o.value(QStringLiteral("rationale")).toString();
            if (o.value(QStringLiteral("seconds_spent")).isDouble())
                v.seconds = o.value(QStringLiteral("seconds_spent")).toDouble();
            v.createdAt = v.updatedAt = o.value(QStringLiteral("rated_at")).toString();
            v.line = lineNo;
            c->ratings.append({ responseKey(item, o.value(QStringLiteral("run")).toInt()), v });
        } else {
            LabelValue v { o.value(QStringLiteral("category")).toString(),
                o.value(QStringLiteral("note")).toString(), {},
                o.value(QStringLiteral("rated_at")).toString(),
                o.value(QStringLiteral("rated_at")).toString(), lineNo };
            if (v.category.isEmpty()) {
                problem(QStringLiteral("category"), QStringLiteral("missing"));
                continue;
            }
            c->labels.append({ item, v });
        }
    }
    c->info.rater = c->raters.value(0);
    return issues->size() == before;
}

struct KeyEntry {
    qint64 masterId = 0;
    QVariant base; // canonical value, null when there was none
};

/// One package merged into the master inside the caller's transaction.
class PackageMerge {
public:
    PackageMerge(
        Study &master, const PackageContent &content, QList<ImportIssue> *issues, Error *error)
        : m_master(master)
        , m_c(content)
        , m_issues(issues)
        , m_error(error)
    {
    }

    /// Checks the file against the key: false with an issue when it does not belong.
    bool check()
    {
        const QString studyId = m_master.metaValue(metaStudyId);
        if (m_c.info.masterStudyId != studyId)
            return problem(QStringLiteral("this package was made from another study (study id "
                                          "'%1'; this study's is '%2'): not merged")
                               .arg(m_c.info.masterStudyId,
                                   studyId.isEmpty() ? QStringLiteral("none") : studyId));
        QSqlQuery q(m_master.database());
        if (!run(q,
                QStringLiteral("SELECT package.rater_id, rater.name, package.seal FROM package"
                               " JOIN rater ON rater.id = package.rater_id WHERE package.id = ?"),
                { m_c.info.packageId }, m_master.path(), m_error))
            return false;
        if (!q.next())
            return problem(QStringLiteral("unknown rater package '%1': this study did not make "
                                          "it")
                               .arg(m_c.info.packageId));
        m_raterId = q.value(0).toLongLong();
        m_raterName = q.value(1).toString();
        const QString seal = q.value(2).toString();
        for (const QString &name : m_c.raters)
            if (name != m_raterName)
                return problem(QStringLiteral("holds values of '%1', but the package was made "
                                              "for '%2': not merged")
                                   .arg(name, m_raterName));
        if (m_c.info.rater != m_raterName)
            return problem(QStringLiteral("names rater '%1', but the package was made for '%2'")
                               .arg(m_c.info.rater, m_raterName));
        if (m_c.isStudy && m_c.seal != seal)
            return problem(QStringLiteral("its items or responses are not what was packaged "
                                          "(changed or damaged after packaging): not merged"));
        if (!run(q,
                QStringLiteral("SELECT entity, opaque_id, master_id, base FROM package_key"
                               " WHERE package_id = ?"),
                { m_c.info.packageId }, m_master.path(), m_error))
            return false;
        while (q.next())
            m_key[q.value(0).toString()].insert(
                q.value(1).toString(), { q.value(2).toLongLong(), q.value(3) });
        const qsizetype before = m_issues->size();
        const auto known = [&](const QString &entity, const QString &id, qint64 line) {
            if (!m_key[entity].contains(id))
                m_issues->append({ m_c.file, line, entity,
                    QStringLiteral("unknown %1 '%2': not in the key of package '%3'")
                        .arg(entity, id, m_c.info.packageId) });
        };
        for (const QString &token : m_c.itemTokens)
            known(QStringLiteral("item"), token, 0);
        for (const QString &key : m_c.responseKeys)
            known(QStringLiteral("response"), key, 0);
        for (const auto &[token, label] : m_c.labels)
            known(QStringLiteral("item"), token, label.line);
        for (const auto &[key, rating] : m_c.ratings)
            known(QStringLiteral("response"), key, rating.line);
        if (m_c.isStudy
            && (m_c.itemTokens.size() != m_key.value(QStringLiteral("item")).size()
                || m_c.responseKeys.size() != m_key.value(QStringLiteral("response")).size()))
            problem(QStringLiteral("holds %1 item(s) and %2 response(s); the key has %3 and %4")
                        .arg(m_c.itemTokens.size())
                        .arg(m_c.responseKeys.size())
                        .arg(m_key.value(QStringLiteral("item")).size())
                        .arg(m_key.value(QStringLiteral("response")).size()));
        return m_issues->size() == before;
    }

    /// Works out every change and every conflict; writes nothing.
    bool plan()
    {
        const qsizetype before = m_issues->size();
        QHash<QString, const LabelValue *> labels;
        for (const auto &[token, v] : m_c.labels)
            labels.insert(token, &v);
        QHash<QString, const RatingValue *> ratings;
        for (const auto &[key, v] : m_c.ratings)
            ratings.insert(key, &v);
        const auto &items = m_key[QStringLiteral("item")];
        for (auto it = items.cbegin(); it != items.cend(); ++it) {
            const LabelValue *v = labels.value(it.key());
            if (!v && !m_c.isStudy)
                continue; // a bundle lists what it holds; absence is no change
            if (!planLabel(it.key(), it.value(), v))
                return false;
        }
        const auto &responses = m_key[QStringLiteral("response")];
        for (auto it = responses.cbegin(); it != responses.cend(); ++it) {
            const RatingValue *v = ratings.value(it.key());
            if (!v && !m_c.isStudy)
                continue;
            if (!planRating(it.key(), it.value(), v))
                return false;
        }
        if (m_c.isStudy) {
            const auto &assignments = m_key[QStringLiteral("assignment")];
            for (auto it = assignments.cbegin(); it != assignments.cend(); ++it)
                if (!planAssignment(it.key(), it.value()))
                    return false;
        }
        return m_issues->size() == before;
    }

    /// Applies the planned changes; returns how many rows changed, or -1.
    qint64 apply(ImportCounts *counts)
    {
        QSqlQuery q(m_master.database());
        const QString path = m_master.path();
        for (const Change &c : std::as_const(m_changes)) {
            if (c.write && !c.write(q))
                return -1;
            if (!c.action.isEmpty()
                && !m_master.appendEvent(
                    c.action, c.entity, c.masterId, wrap(c.before), wrap(c.after), m_error))
                return -1;
            if (c.rebase
                && !run(q,
                    QStringLiteral("UPDATE package_key SET base = ? WHERE package_id = ?"
                                   " AND entity = ? AND opaque_id = ?"),
                    { c.rebaseValue.isNull() ? QVariant() : QVariant(c.rebaseValue),
                        m_c.info.packageId, c.keyEntity, c.opaqueId },
                    path, m_error))
                return -1;
        }
        counts->labelsAdded += m_labelsChanged;
        counts->ratingsAdded += m_ratingsChanged;
        counts->labelsUnchanged += m_labelsUnchanged;
        counts->ratingsUnchanged += m_ratingsUnchanged;
        counts->rows += m_c.labels.size() + m_c.ratings.size();
        qint64 changed = m_changes.size();
        const qint64 shown = mergeShown();
        const qint64 sessions = shown < 0 ? -1 : mergeSessions();
        if (shown < 0 || sessions < 0)
            return -1;
        changed += shown + sessions;
        if (changed == 0)
            return 0;
        const QJsonObject after { { QStringLiteral("package"), m_c.info.packageId },
            { QStringLiteral("rater"), m_raterName },
            { QStringLiteral("file"), QFileInfo(m_c.file).fileName() },
            { QStringLiteral("from"),
                m_c.isStudy ? QStringLiteral("package") : QStringLiteral("bundle") },
            { QStringLiteral("labels"), m_labelsChanged },
            { QStringLiteral("ratings"), m_ratingsChanged },
            { QStringLiteral("assignments"), m_assignmentsChanged },
            { QStringLiteral("presentations"), shown }, { QStringLiteral("sessions"), sessions } };
        if (!m_master.appendEvent(QStringLiteral("package.merge"), QStringLiteral("package"),
                m_raterId, {}, compactJson(after), m_error))
            return -1;
        m_summary = QStringLiteral("package %1 (rater '%2'): %3 label(s), %4 rating(s), %5 "
                                   "assignment(s) changed, %6 unchanged")
                        .arg(m_c.info.packageId.left(8), m_raterName)
                        .arg(m_labelsChanged)
                        .arg(m_ratingsChanged)
                        .arg(m_assignmentsChanged)
                        .arg(m_labelsUnchanged + m_ratingsUnchanged);
        return changed;
    }

    QString summary() const
    {
        return m_summary.isEmpty() ? QStringLiteral("package %1 (rater '%2'): nothing new")
                                         .arg(m_c.info.packageId.left(8), m_raterName)
                                   : m_summary;
    }

private:
    struct Change {
        QString action; // event, or empty for none
        QString entity;
        qint64 masterId = 0;
        QString before;
        QString after;
        std::function<bool(QSqlQuery &)> write;
        bool rebase = false; // set the key's base to `rebaseValue`
        QString rebaseValue;
        QString keyEntity;
        QString opaqueId;
    };

    bool problem(const QString &why, qint64 line = 0, const QString &field = {})
    {
        m_issues->append({ m_c.file, line, field, why });
        return false;
    }

    QString wrap(const QString &value) const
    {
        if (value.isNull())
            return {};
        return compactJson({ { QStringLiteral("rater"), m_raterId },
            { QStringLiteral("package"), m_c.info.packageId },
            { QStringLiteral("value"), QJsonDocument::fromJson(value.toUtf8()).object() } });
    }

    qint64 masterProtocolId(const QString &hash)
    {
        if (hash.isEmpty())
            return m_master.currentProtocolId();
        QSqlQuery q(m_master.database());
        q.prepare(QStringLiteral("SELECT id FROM protocol WHERE hash = ?"));
        q.addBindValue(hash);
        return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
    }

    QString itemName(qint64 itemId) const
    {
        const auto item = ItemRepository(m_master).item(itemId);
        return QStringLiteral("item '%1' (#%2)")
            .arg(item ? item->externalId : QString())
            .arg(itemId);
    }

    /// The three-way rule. Returns false for a conflict (reported), true otherwise;
    /// `*apply` says whether the package's value goes into the master, `*rebase`
    /// whether only the key's base moves to it.
    static bool decide(
        const QVariant &base, const QString &pkg, const QString &cur, bool *apply, bool *rebase)
    {
        const QString baseText = base.isNull() ? QString() : base.toString();
        *apply = false;
        *rebase = false;
        if (pkg == baseText)
            return true; // unchanged in the package
        if (cur == pkg) {
            *rebase = true; // already there (merged before, or the same change)
            return true;
        }
        if (cur == baseText) {
            *apply = true; // changed in the package only
            *rebase = true;
            return true;
        }
        return false;
    }

    static QString describe(const QString &canonical)
    {
        return canonical.isEmpty() ? QStringLiteral("none") : canonical;
    }

    /// One value (a label or a rating) through the three-way rule: a conflict is
    /// reported, a change is added to the plan with its event and the key's new base.
    struct Planned {
        QString keyEntity; // "item" or "response"
        QString opaqueId;
        const KeyEntry *key = nullptr;
        QString pkg; // canonical value in the package; empty = none
        QString cur; // canonical value in the master; empty = none
        qint64 line = 0;
        QString field;
        QString noun; // "label" or "rating"
        std::function<QString()> subject; // names it in a conflict
        QString action;
        QString entity;
        std::function<bool(QSqlQuery &)> write;
        bool listed = false; // the file lists a value here
        qint64 *changed = nullptr;
        qint64 *unchanged = nullptr;
    };

    void planValue(Planned p)
    {
        bool apply = false, rebase = false;
        if (!decide(p.key->base, p.pkg, p.cur, &apply, &rebase)) {
            problem(QStringLiteral("conflict on %1: the package's %2 %3 and this study's %4 both "
                                   "changed since it was packaged or last merged (then: %5); "
                                   "nothing merged")
                        .arg(p.subject(), p.noun, describe(p.pkg), describe(p.cur),
                            describe(p.key->base.toString())),
                p.line, p.field);
            return;
        }
        if (!apply) {
            *p.unchanged += p.listed ? 1 : 0;
            if (!rebase)
                return;
        }
        Change c;
        c.rebase = rebase;
        c.rebaseValue = p.pkg;
        c.keyEntity = p.keyEntity;
        c.opaqueId = p.opaqueId;
        if (apply) {
            ++*p.changed;
            c.action = p.action;
            c.entity = p.entity;
            c.masterId = p.key->masterId;
            c.before = p.cur;
            c.after = p.pkg;
            c.write = std::move(p.write);
        }
        m_changes.append(c);
    }

    /// The field an issue names: the bundle's key, or TABLE.COLUMN of a package file
    /// (which has no lines).
    QString fieldName(const QString &table, const QString &field) const
    {
        return m_c.isStudy ? table + QLatin1Char('.') + field : field;
    }

    /// The master protocol a value was recorded under (by hash); 0 with a problem.
    qint64 protocolOf(const QString &hash, const QString &noun, qint64 line)
    {
        const qint64 id = masterProtocolId(hash);
        if (id == 0)
            problem(QStringLiteral("a %1 under a protocol this study does not have").arg(noun),
                line, QStringLiteral("protocol"));
        return id;
    }

    bool planLabel(const QString &token, const KeyEntry &key, const LabelValue *v)
    {
        const qint64 itemId = key.masterId;
        QSqlQuery q(m_master.database());
        if (!run(q,
                QStringLiteral("SELECT category, note FROM category_label"
                               " WHERE item_id = ? AND rater_id = ?"),
                { itemId, m_raterId }, m_master.path(), m_error))
            return false;
        Planned p { QStringLiteral("item"), token, &key, {}, {}, v ? v->line : 0,
            fieldName(QStringLiteral("category_label"), QStringLiteral("category")),
            QStringLiteral("label"), [this, itemId] { return itemName(itemId); },
            QStringLiteral("label.merge"), QStringLiteral("category_label"), {}, v != nullptr,
            &m_labelsChanged, &m_labelsUnchanged };
        if (q.next())
            p.cur =
                LabelValue { q.value(0).toString(), q.value(1).toString(), {}, {}, {} }.canonical();
        const qint64 raterId = m_raterId;
        const QString path = m_master.path();
        Error *error = m_error;
        if (v) {
            const QString category = m_master.currentProtocol().canonicalCategory(v->category);
            if (category.isEmpty()) {
                problem(QStringLiteral("unknown category '%1'").arg(v->category), v->line,
                    QStringLiteral("category"));
                return true;
            }
            const qint64 protocolId = protocolOf(v->protocolHash, p.noun, v->line);
            if (protocolId == 0)
                return true;
            p.pkg = LabelValue { category, v->note, {}, {}, {} }.canonical();
            const QVariantList values { itemId, raterId, category, nullable(v->note), protocolId,
                orNow(v->createdAt), orNow(v->updatedAt) };
            p.write = [=](QSqlQuery &w) {
                return run(w,
                    QStringLiteral(
                        "INSERT INTO category_label(item_id, rater_id, category, note,"
                        " protocol_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT(item_id, rater_id) DO UPDATE SET"
                        " category = excluded.category, note = excluded.note,"
                        " protocol_id = excluded.protocol_id, updated_at = excluded.updated_at"),
                    values, path, error);
            };
        } else {
            p.write = [=](QSqlQuery &w) {
                return run(w,
                    QStringLiteral("DELETE FROM category_label WHERE item_id = ? AND rater_id = ?"),
                    { itemId, raterId }, path, error);
            };
        }
        planValue(std::move(p));
        return true;
    }

    static QString orNow(const QString &at) { return at.isEmpty() ? Study::now() : at; }

    QString responseName(qint64 responseId) const
    {
        QSqlQuery r(m_master.database());
        r.prepare(QStringLiteral("SELECT item_id, model.name, run FROM response"
                                 " JOIN model ON model.id = model_id WHERE response.id = ?"));
        r.addBindValue(responseId);
        return r.exec() && r.next()
            ? QStringLiteral("%1 model '%2' run %3")
                  .arg(itemName(r.value(0).toLongLong()), r.value(1).toString())
                  .arg(r.value(2).toInt())
            : QStringLiteral("response #%1").arg(responseId);
    }

    bool planRating(const QString &key, const KeyEntry &entry, const RatingValue *v)
    {
        const qint64 responseId = entry.masterId;
        QSqlQuery q(m_master.database());
        if (!run(q,
                QStringLiteral("SELECT score, cannot_assess, checklist, rationale"
                               " FROM response_rating WHERE response_id = ? AND rater_id = ?"),
                { responseId, m_raterId }, m_master.path(), m_error))
            return false;
        Planned p { QStringLiteral("response"), key, &entry, {}, {}, v ? v->line : 0,
            fieldName(QStringLiteral("response_rating"), QStringLiteral("score")),
            QStringLiteral("rating"), [this, responseId] { return responseName(responseId); },
            QStringLiteral("rating.merge"), QStringLiteral("response_rating"), {}, v != nullptr,
            &m_ratingsChanged, &m_ratingsUnchanged };
        if (q.next()) {
            RatingValue stored;
            if (!q.value(0).isNull())
                stored.score = q.value(0).toInt();
            stored.cannotAssess = q.value(1).toBool();
            stored.checklistJson = q.value(2).toString();
            stored.rationale = q.value(3).toString();
            p.cur = stored.canonical();
        }
        const qint64 raterId = m_raterId;
        const QString path = m_master.path();
        Error *error = m_error;
        if (v) {
            const protocol::Protocol protocol = m_master.currentProtocol();
            for (const auto &tick : QJsonDocument::fromJson(v->checklistJson.toUtf8()).array()) {
                const bool known =
                    std::any_of(protocol.checklist.cbegin(), protocol.checklist.cend(),
                        [&](const auto &c) { return c.id == tick.toString(); });
                if (!known) {
                    problem(QStringLiteral("unknown checklist item '%1'").arg(tick.toString()),
                        v->line, QStringLiteral("checklist"));
                    return true;
                }
            }
            const qint64 protocolId = protocolOf(v->protocolHash, p.noun, v->line);
            if (protocolId == 0)
                return true;
            p.pkg = v->canonical();
            const QVariantList values { responseId, raterId,
                v->score ? QVariant(*v->score) : QVariant(), v->cannotAssess ? 1 : 0,
                nullable(v->checklistJson), nullable(v->rationale), protocolId,
                v->seconds ? QVariant(*v->seconds) : QVariant(), orNow(v->createdAt),
                orNow(v->updatedAt) };
            p.write = [=](QSqlQuery &w) {
                return run(w,
                    QStringLiteral(
                        "INSERT INTO response_rating(response_id, rater_id, score,"
                        " cannot_assess, checklist, rationale, protocol_id, seconds_spent,"
                        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT(response_id, rater_id) DO UPDATE SET"
                        " score = excluded.score, cannot_assess = excluded.cannot_assess,"
                        " checklist = excluded.checklist, rationale = excluded.rationale,"
                        " protocol_id = excluded.protocol_id,"
                        " seconds_spent = excluded.seconds_spent,"
                        " updated_at = excluded.updated_at"),
                    values, path, error);
            };
        } else {
            p.write = [=](QSqlQuery &w) {
                return run(w,
                    QStringLiteral(
                        "DELETE FROM response_rating WHERE response_id = ? AND rater_id = ?"),
                    { responseId, raterId }, path, error);
            };
        }
        planValue(std::move(p));
        return true;
    }

    /// Skip reason: the three-way rule with conflicts. Status and flag: the package's
    /// change is taken when the master's value is still the base, else the master's kept.
    bool planAssignment(const QString &token, const KeyEntry &key)
    {
        const auto found = m_c.assignments.constFind(token);
        if (found == m_c.assignments.cend()) {
            problem(QStringLiteral("the package lost the assignment of item '%1'").arg(token));
            return true;
        }
        const AssignmentValue pkg = *found;
        const AssignmentValue base = AssignmentValue::fromCanonical(key.base.toString());
        QSqlQuery q(m_master.database());
        if (!run(q,
                QStringLiteral(
                    "SELECT status, skip_reason, flagged, item_id FROM assignment WHERE id = ?"),
                { key.masterId }, m_master.path(), m_error))
            return false;
        if (!q.next()) {
            problem(QStringLiteral("the master has no assignment %1 any more").arg(key.masterId));
            return true;
        }
        const AssignmentValue cur { q.value(0).toString(), q.value(1).toString(),
            q.value(2).toBool() };
        const qint64 itemId = q.value(3).toLongLong();
        bool applySkip = false, rebaseSkip = false;
        if (!decide(base.skip, pkg.skip, cur.skip, &applySkip, &rebaseSkip)) {
            problem(QStringLiteral("conflict on %1: skipped as '%2' in the package and as '%3' "
                                   "in this study since it was packaged or last merged; nothing "
                                   "merged")
                        .arg(itemName(itemId), describe(pkg.skip), describe(cur.skip)),
                0, fieldName(QStringLiteral("assignment"), QStringLiteral("skip_reason")));
            return true;
        }
        AssignmentValue next = cur;
        if (applySkip)
            next.skip = pkg.skip;
        if (pkg.status != base.status && cur.status == base.status)
            next.status = pkg.status;
        if (pkg.flagged != base.flagged && cur.flagged == base.flagged)
            next.flagged = pkg.flagged;
        // The new base: the package's value where the master now agrees with it.
        AssignmentValue newBase = base;
        if (next.skip == pkg.skip)
            newBase.skip = pkg.skip;
        if (next.status == pkg.status)
            newBase.status = pkg.status;
        if (next.flagged == pkg.flagged)
            newBase.flagged = pkg.flagged;
        const bool changed = next.canonical() != cur.canonical();
        const bool rebase = newBase.canonical() != base.canonical();
        if (!changed && !rebase)
            return true;
        Change c;
        c.rebase = rebase;
        c.rebaseValue = newBase.canonical();
        c.keyEntity = QStringLiteral("assignment");
        c.opaqueId = token;
        if (changed) {
            ++m_assignmentsChanged;
            c.action = QStringLiteral("assignment.merge");
            c.entity = QStringLiteral("assignment");
            c.masterId = key.masterId;
            c.before = cur.canonical();
            c.after = next.canonical();
            const qint64 id = key.masterId;
            const QString path = m_master.path();
            Error *error = m_error;
            c.write = [=](QSqlQuery &w) {
                return run(w,
                    QStringLiteral("UPDATE assignment SET status = ?, skip_reason = ?, flagged = ?"
                                   " WHERE id = ?"),
                    { next.status, nullable(next.skip), next.flagged ? 1 : 0, id }, path, error);
            };
        }
        m_changes.append(c);
        return true;
    }

    qint64 mergeShown()
    {
        QSqlQuery q(m_master.database());
        qint64 added = 0;
        for (const ShownValue &s : m_c.shown) {
            const auto entry = m_key.value(QStringLiteral("response")).value(s.responseKey);
            if (entry.masterId == 0)
                continue;
            if (!run(q,
                    QStringLiteral("INSERT INTO presentation(rater_id, response_id, position,"
                                   " label, shown_at) VALUES (?, ?, ?, ?, ?)"
                                   " ON CONFLICT(rater_id, response_id) DO NOTHING"),
                    { m_raterId, entry.masterId, s.position, s.label, s.shownAt }, m_master.path(),
                    m_error))
                return -1;
            added += q.numRowsAffected();
        }
        return added;
    }

    qint64 mergeSessions()
    {
        QSqlQuery q(m_master.database());
        const QString path = m_master.path();
        qint64 changed = 0;
        const auto &known = m_key[QStringLiteral("session")];
        for (const SessionValue &s : m_c.sessions) {
            const QString opaque = QString::number(s.id);
            const auto found = known.constFind(opaque);
            if (found == known.cend()) {
                if (!run(q,
                        QStringLiteral("INSERT INTO rating_session(rater_id, started_at, ended_at,"
                                       " items_shown, items_rated) VALUES (?, ?, ?, ?, ?)"),
                        { m_raterId, s.startedAt, s.endedAt, s.shown, s.rated }, path, m_error))
                    return -1;
                const qint64 id = q.lastInsertId().toLongLong();
                if (!run(q,
                        QStringLiteral("INSERT INTO package_key(package_id, rater_id, entity,"
                                       " opaque_id, master_id) VALUES (?, ?, 'session', ?, ?)"),
                        { m_c.info.packageId, m_raterId, opaque, id }, path, m_error))
                    return -1;
                ++changed;
                continue;
            }
            if (!run(q,
                    QStringLiteral("UPDATE rating_session SET started_at = ?, ended_at = ?,"
                                   " items_shown = ?, items_rated = ? WHERE id = ? AND NOT"
                                   " (started_at IS ? AND ended_at IS ? AND items_shown IS ?"
                                   " AND items_rated IS ?)"),
                    { s.startedAt, s.endedAt, s.shown, s.rated, found->masterId, s.startedAt,
                        s.endedAt, s.shown, s.rated },
                    path, m_error))
                return -1;
            changed += q.numRowsAffected();
        }
        return changed;
    }

    Study &m_master;
    const PackageContent &m_c;
    QList<ImportIssue> *m_issues;
    Error *m_error;
    qint64 m_raterId = 0;
    QString m_raterName;
    QHash<QString, QHash<QString, KeyEntry>> m_key; // entity → opaque id → entry
    QList<Change> m_changes;
    qint64 m_labelsChanged = 0;
    qint64 m_ratingsChanged = 0;
    qint64 m_assignmentsChanged = 0;
    qint64 m_labelsUnchanged = 0;
    qint64 m_ratingsUnchanged = 0;
    QString m_summary;
};

} // namespace

bool isRaterPackageFile(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return false;
    if (hasSqliteHeader(path))
        return true; // a study file: a package, or refused as not one
    return isPackageBundle(path);
}

bool mergeRaterPackages(Study &master, const QStringList &files, const ImportOptions &options,
    ImportReport *report, Error *error)
{
    *report = {};
    if (packageInfo(master)) {
        *error = Error::invalid(master.path()
            + QStringLiteral(": is a rater package; merge packages into the master study"));
        return false;
    }
    QList<PackageContent> contents;
    for (const QString &file : files) {
        PackageContent c;
        const bool ok = hasSqliteHeader(file) ? readPackageFile(file, &c, &report->errors)
                                              : readPackageBundle(file, &c, &report->errors);
        if (ok)
            contents.append(std::move(c));
    }
    if (!report->errors.isEmpty()) {
        *error = Error::invalid(report->errors.first().toString());
        return false;
    }
    WriteTransaction tx(master, error);
    if (!tx.isActive())
        return false;
    qint64 changed = 0;
    for (qsizetype i = 0; i < contents.size(); ++i) {
        PackageMerge merge(master, contents.at(i), &report->errors, error);
        if (!merge.check() || !merge.plan()) {
            if (error->isError())
                return false;
            continue;
        }
        if (!report->errors.isEmpty())
            continue;
        const qint64 n = merge.apply(&report->counts);
        if (n < 0)
            return false;
        changed += n;
        report->notices.append(merge.summary());
        if (options.progress)
            options.progress(i + 1, contents.size());
    }
    if (!report->errors.isEmpty()) {
        report->notices.clear();
        report->counts = {};
        *error = Error::invalid(report->errors.first().toString());
        return false;
    }
    if (changed == 0)
        return true; // re-merge: nothing to write (the transaction rolls back)
    return tx.commit(error);
}

} // namespace cr::storage
