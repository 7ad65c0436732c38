#include "storage/ratingoutbox.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

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

} // namespace

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
    return outbox;
}

qint64 RatingOutbox::append(const OutboxEntry &entry, Error *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral(
        "INSERT INTO outbox(study, rater_id, kind, target_id, value) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(entry.study);
    q.addBindValue(entry.raterId);
    q.addBindValue(entry.kind == OutboxEntry::Kind::Label ? QStringLiteral("label")
                                                          : QStringLiteral("rating"));
    q.addBindValue(entry.targetId);
    const QByteArray value = valueJson(entry);
    q.addBindValue(value.isNull() ? QVariant(QMetaType(QMetaType::QString))
                                  : QVariant(QString::fromUtf8(value)));
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
    q.prepare(QStringLiteral("SELECT seq, kind, target_id, value FROM outbox"
                             " WHERE study = ? AND rater_id = ? ORDER BY seq"));
    q.addBindValue(study);
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = Error::storage(m_path + QStringLiteral(": ") + q.lastError().text());
        return entries;
    }
    while (q.next()) {
        OutboxEntry e;
        e.seq = q.value(0).toLongLong();
        e.study = study;
        e.raterId = raterId;
        e.kind = q.value(1).toString() == QLatin1String("label") ? OutboxEntry::Kind::Label
                                                                 : OutboxEntry::Kind::Rating;
        e.targetId = q.value(2).toLongLong();
        readValue(e, q.value(3));
        entries.append(e);
    }
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
