#include "storage/ratingoutbox.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace cr::storage {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("cr-outbox-%1").arg(counter.fetchAndAddRelaxed(1));
}

QByteArray valueJson(const OutboxEntry &e)
{
    QJsonObject o;
    if (e.kind == OutboxEntry::Kind::Label) {
        if (!e.label)
            return {};
        o.insert(QStringLiteral("category"), e.label->category);
        o.insert(QStringLiteral("note"), e.label->note);
    } else {
        if (!e.rating)
            return {};
        if (e.rating->score)
            o.insert(QStringLiteral("score"), *e.rating->score);
        o.insert(QStringLiteral("cannot_assess"), e.rating->cannotAssess);
        o.insert(QStringLiteral("checklist"), QJsonArray::fromStringList(e.rating->checklist));
        o.insert(QStringLiteral("rationale"), e.rating->rationale);
        if (e.rating->secondsSpent)
            o.insert(QStringLiteral("seconds_spent"), *e.rating->secondsSpent);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void readValue(OutboxEntry &e, const QVariant &value)
{
    if (value.isNull())
        return;
    const QJsonObject o = QJsonDocument::fromJson(value.toByteArray()).object();
    if (e.kind == OutboxEntry::Kind::Label) {
        e.label =
            CategoryLabel { e.targetId, e.raterId, o.value(QStringLiteral("category")).toString(),
                o.value(QStringLiteral("note")).toString() };
        return;
    }
    ResponseRating r;
    r.responseId = e.targetId;
    r.raterId = e.raterId;
    if (o.contains(QStringLiteral("score")))
        r.score = o.value(QStringLiteral("score")).toInt();
    r.cannotAssess = o.value(QStringLiteral("cannot_assess")).toBool();
    for (const QJsonValue &v : o.value(QStringLiteral("checklist")).toArray())
        r.checklist.append(v.toString());
    r.rationale = o.value(QStringLiteral("rationale")).toString();
    if (o.contains(QStringLiteral("seconds_spent")))
        r.secondsSpent = o.value(QStringLiteral("seconds_spent")).toDouble();
    e.rating = r;
}

QString ownersFolder(const QString &outboxPath)
{
    return outboxPath + QStringLiteral(".owners");
}

QString ownerLockPath(const QString &outboxPath, const QString &id)
{
    return ownersFolder(outboxPath) + QLatin1Char('/') + id + QStringLiteral(".lock");
}

OutboxEntry readEntry(const QSqlQuery &q)
{
    OutboxEntry e;
    e.seq = q.value(0).toLongLong();
    e.kind = q.value(1).toString() == QLatin1String("label") ? OutboxEntry::Kind::Label
                                                             : OutboxEntry::Kind::Rating;
    e.targetId = q.value(2).toLongLong();
    e.owner = q.value(4).toString();
    return e;
}

} // namespace

OutboxOwner::OutboxOwner(QString outboxPath, QString id, std::unique_ptr<QLockFile> lock)
    : m_outboxPath(std::move(outboxPath))
    , m_id(std::move(id))
    , m_lock(std::move(lock))
{
}

OutboxOwner::~OutboxOwner() = default; // the lock file goes with the lock

std::unique_ptr<OutboxOwner> OutboxOwner::create(const QString &outboxPath, Error *error)
{
    if (!QDir().mkpath(ownersFolder(outboxPath))) {
        *error = Error::storage(ownersFolder(outboxPath) + QStringLiteral(": cannot create"));
        return nullptr;
    }
    QFile::setPermissions(ownersFolder(outboxPath),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto lock = std::make_unique<QLockFile>(ownerLockPath(outboxPath, id));
    lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (!lock->tryLock(0)) {
        *error = Error::storage(ownerLockPath(outboxPath, id) + QStringLiteral(": cannot lock"));
        return nullptr;
    }
    return std::unique_ptr<OutboxOwner>(new OutboxOwner(outboxPath, id, std::move(lock)));
}

bool OutboxOwner::isAlive(const QString &outboxPath, const QString &id)
{
    if (id.isEmpty())
        return false;
    QLockFile probe(ownerLockPath(outboxPath, id));
    probe.setStaleLockTime(0);
    if (probe.tryLock(0)) {
        // Nobody held it (the owner quit) or its process died (a stale lock, removed):
        // the owner is gone; so is the probe's lock file when it unlocks.
        probe.unlock();
        return false;
    }
    // Held by a live process — or unreadable: then assume alive (never send twice).
    return true;
}

RatingOutbox::RatingOutbox(const QString &path, const QString &connection)
    : m_path(path)
    , m_connection(connection)
{
}

RatingOutbox::~RatingOutbox()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

std::unique_ptr<RatingOutbox> RatingOutbox::open(const QString &path, Error *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!QFileInfo::exists(path)) {
        // Owner-only from its first byte (the values are a rater's clinical judgements).
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            file.close();
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    std::unique_ptr<RatingOutbox> outbox(new RatingOutbox(path, nextConnectionName()));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), outbox->m_connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        *error = Error::storage(path + QStringLiteral(": cannot open: ") + db.lastError().text());
        return nullptr;
    }
    QSqlQuery q(db);
    const char *const setup[] = {
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "CREATE TABLE IF NOT EXISTS outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " study TEXT NOT NULL, rater_id INTEGER NOT NULL,"
        " kind TEXT NOT NULL CHECK(kind IN ('label','rating')), target_id INTEGER NOT NULL,"
        " value TEXT, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
        "CREATE INDEX IF NOT EXISTS outbox_study ON outbox(study, rater_id, seq)",
    };
    for (const char *sql : setup) {
        if (!q.exec(QString::fromLatin1(sql))) {
            *error = Error::storage(path + QStringLiteral(": ") + q.lastError().text());
            return nullptr;
        }
    }
    // The sending instance (OutboxOwner) of each entry; outboxes written before owners
    // existed get the column, their entries nobody's (adopted by the next claim).
    bool hasOwner = false;
    if (q.exec(QStringLiteral("PRAGMA table_info(outbox)")))
        while (q.next())
            hasOwner = hasOwner || q.value(1).toString() == QLatin1String("owner");
    if (!hasOwner && !q.exec(QStringLiteral("ALTER TABLE outbox ADD COLUMN owner TEXT"))
        && !q.lastError().text().contains(QLatin1String("duplicate column"))) {
        *error = Error::storage(path + QStringLiteral(": ") + q.lastError().text());
        return nullptr;
    }
    return outbox;
}

qint64 RatingOutbox::append(const OutboxEntry &entry, Error *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT INTO outbox(study, rater_id, kind, target_id, value, owner)"
                             " VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(entry.study);
    q.addBindValue(entry.raterId);
    q.addBindValue(entry.kind == OutboxEntry::Kind::Label ? QStringLiteral("label")
                                                          : QStringLiteral("rating"));
    q.addBindValue(entry.targetId);
    const QByteArray value = valueJson(entry);
    q.addBindValue(value.isNull() ? QVariant(QMetaType(QMetaType::QString))
                                  : QVariant(QString::fromUtf8(value)));
    q.addBindValue(
        entry.owner.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(entry.owner));
    if (!q.exec()) {
        *error = Error::storage(m_path + QStringLiteral(": ") + q.lastError().text());
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

bool RatingOutbox::remove(qint64 seq, Error *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE seq = ?"));
    q.addBindValue(seq);
    if (!q.exec()) {
        *error = Error::storage(m_path + QStringLiteral(": ") + q.lastError().text());
        return false;
    }
    return true;
}

QList<OutboxEntry> RatingOutbox::pending(const QString &study, qint64 raterId, Error *error) const
{
    QList<OutboxEntry> entries;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT seq, kind, target_id, value, owner FROM outbox"
                             " WHERE study = ? AND rater_id = ? ORDER BY seq"));
    q.addBindValue(study);
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = Error::storage(m_path + QStringLiteral(": ") + q.lastError().text());
        return entries;
    }
    while (q.next()) {
        OutboxEntry e = readEntry(q);
        e.study = study;
        e.raterId = raterId;
        readValue(e, q.value(3));
        entries.append(e);
    }
    return entries;
}

QList<OutboxEntry> RatingOutbox::claim(
    const QString &study, qint64 raterId, const QString &owner, Error *error) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    auto failed = [&](QSqlQuery &query) {
        *error = Error::storage(m_path + QStringLiteral(": ") + query.lastError().text());
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return QList<OutboxEntry>();
    };
    // One writer at a time on the file: two instances claiming at once see each other's
    // adoption, never both the same orphan.
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return failed(q);
    q.prepare(QStringLiteral("SELECT DISTINCT coalesce(owner, '') FROM outbox"
                             " WHERE study = ? AND rater_id = ? AND owner IS NOT ?"));
    q.addBindValue(study);
    q.addBindValue(raterId);
    q.addBindValue(owner);
    if (!q.exec())
        return failed(q);
    QStringList gone;
    while (q.next()) {
        const QString other = q.value(0).toString();
        if (!OutboxOwner::isAlive(m_path, other))
            gone.append(other);
    }
    q.finish();
    for (const QString &other : gone) {
        QSqlQuery adopt(db);
        adopt.prepare(QStringLiteral("UPDATE outbox SET owner = ? WHERE study = ? AND rater_id = ?"
                                     " AND coalesce(owner, '') = ?"));
        adopt.addBindValue(owner);
        adopt.addBindValue(study);
        adopt.addBindValue(raterId);
        adopt.addBindValue(other);
        if (!adopt.exec())
            return failed(adopt);
    }
    q.prepare(QStringLiteral("SELECT seq, kind, target_id, value, owner FROM outbox"
                             " WHERE study = ? AND rater_id = ? AND owner = ? ORDER BY seq"));
    q.addBindValue(study);
    q.addBindValue(raterId);
    q.addBindValue(owner);
    if (!q.exec())
        return failed(q);
    QList<OutboxEntry> entries;
    while (q.next()) {
        OutboxEntry e = readEntry(q);
        e.study = study;
        e.raterId = raterId;
        readValue(e, q.value(3));
        entries.append(e);
    }
    if (!q.exec(QStringLiteral("COMMIT")))
        return failed(q);
    return entries;
}

int RatingOutbox::count(const QString &study) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT count(*) FROM outbox WHERE study = ?"));
    q.addBindValue(study);
    return q.exec() && q.next() ? q.value(0).toInt() : -1;
}

} // namespace cr::storage
