#include "storage/exposure.h"

#include "analysis/random.h"
#include "storage/backend.h"
#include "storage/study.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTime>
#include <algorithm>
#include <numeric>
#include <vector>

namespace cr::storage {

namespace {

Error sqlError(const Study &study, const QSqlQuery &q)
{
    return Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
}

/// Commits of this scope skip the fsync (PRAGMA synchronous = NORMAL in WAL mode):
/// they survive the app being killed, and the next FULL commit (any rating) makes
/// them power-safe too. For bookkeeping written while the rater waits for an item
/// to appear, never for a rating the UI acknowledges.
class RelaxedSync final {
public:
    explicit RelaxedSync(const Study &study)
        : m_db(study.database())
    {
        QSqlQuery q(m_db);
        m_relaxed = q.exec(dialect::syncSetting(engineOf(m_db), false));
    }
    ~RelaxedSync()
    {
        if (m_relaxed)
            QSqlQuery(m_db).exec(dialect::syncSetting(engineOf(m_db), true));
    }
    RelaxedSync(const RelaxedSync &) = delete;
    RelaxedSync &operator=(const RelaxedSync &) = delete;

private:
    QSqlDatabase m_db;
    bool m_relaxed = false;
};

} // namespace

QString presentationLabel(int position)
{
    QString label;
    for (int n = position + 1; n > 0; n = (n - 1) / 26)
        label.prepend(QChar(char16_t(u'A' + (n - 1) % 26)));
    return label;
}

QList<int> presentationOrder(int count, quint64 seed)
{
    std::vector<int> order(std::size_t(std::max(count, 0)));
    std::iota(order.begin(), order.end(), 0);
    analysis::Rng rng(seed);
    rng.shuffle(order);
    return QList<int>(order.begin(), order.end());
}

quint64 ratingOrderKey(quint64 studySeed, qint64 raterId, qint64 itemId)
{
    std::uint64_t state = studySeed;
    std::uint64_t key = analysis::splitMix64(state) ^ quint64(raterId);
    state = key;
    key = analysis::splitMix64(state) ^ quint64(itemId);
    state = key;
    return analysis::splitMix64(state);
}

qint64 ExposureRepository::startSession(qint64 raterId, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return 0;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("INSERT INTO rating_session(rater_id, started_at, ended_at)"
                             " SELECT id, ?, ? FROM rater WHERE id = ?"));
    const QString now = Study::now();
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(raterId);
    if (!q.exec()) {
        *error = sqlError(m_study, q);
        return 0;
    }
    if (q.numRowsAffected() != 1) {
        *error = Error::invalid(QStringLiteral("no rater %1").arg(raterId));
        return 0;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    if (!m_study.appendEvent(QStringLiteral("rating_session.start"),
            QStringLiteral("rating_session"), id, {}, QString::number(raterId), error)
        || !tx.commit(error))
        return 0;
    return id;
}

bool ExposureRepository::bump(qint64 sessionId, const char *column, Error *error)
{
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("UPDATE rating_session SET %1 = %1 + 1, ended_at = ? WHERE id = ?")
                  .arg(QLatin1String(column)));
    q.addBindValue(Study::now());
    q.addBindValue(sessionId);
    if (!q.exec()) {
        *error = sqlError(m_study, q);
        return false;
    }
    if (q.numRowsAffected() != 1) {
        *error = Error::invalid(QStringLiteral("no rating session %1").arg(sessionId));
        return false;
    }
    return true;
}

bool ExposureRepository::countRated(qint64 sessionId, Error *error)
{
    WriteTransaction tx(m_study, error);
    return tx.isActive() && bump(sessionId, "items_rated", error) && tx.commit(error);
}

bool ExposureRepository::recordShown(
    qint64 sessionId, qint64 raterId, const QList<qint64> &responseIds, Error *error)
{
    if (responseIds.isEmpty() && !sessionId)
        return true;
    const RelaxedSync relaxed(m_study); // outlives the transaction
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("INSERT INTO presentation(rater_id, response_id, position, label,"
                             " shown_at) VALUES (?, ?, ?, ?, ?)"
                             " ON CONFLICT(rater_id, response_id) DO NOTHING"));
    const QString now = Study::now();
    bool added = false;
    for (int position = 0; position < responseIds.size(); ++position) {
        q.addBindValue(raterId);
        q.addBindValue(responseIds.at(position));
        q.addBindValue(position + 1);
        q.addBindValue(presentationLabel(position));
        q.addBindValue(now);
        if (!q.exec()) {
            *error = sqlError(m_study, q);
            return false;
        }
        added = added || q.numRowsAffected() > 0;
    }
    if (sessionId && !bump(sessionId, "items_shown", error))
        return false;
    if (!added && !sessionId)
        return true; // already recorded: nothing to commit (the transaction rolls back)
    return tx.commit(error);
}

bool ExposureRepository::skip(qint64 assignmentId, SkipReason reason, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT status, skip_reason FROM assignment WHERE id = ?"));
    q.addBindValue(assignmentId);
    if (!q.exec() || !q.next()) {
        *error = Error::invalid(QStringLiteral("no assignment %1").arg(assignmentId));
        return false;
    }
    const QString before = q.value(0).toString() + QLatin1Char('/') + q.value(1).toString();
    const QString why = reason == SkipReason::Distressing ? QStringLiteral("distressing")
                                                          : QStringLiteral("skipped");
    q.prepare(
        QStringLiteral("UPDATE assignment SET status = 'skipped', skip_reason = ? WHERE id = ?"));
    q.addBindValue(why);
    q.addBindValue(assignmentId);
    if (!q.exec()) {
        *error = sqlError(m_study, q);
        return false;
    }
    return m_study.appendEvent(QStringLiteral("assignment.skip"), QStringLiteral("assignment"),
               assignmentId, before, QStringLiteral("skipped/") + why, error)
        && tx.commit(error);
}

QString ExposureRepository::skipReason(qint64 assignmentId) const
{
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT skip_reason FROM assignment WHERE id = ?"));
    q.addBindValue(assignmentId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QList<RaterExposure> ExposureRepository::summary(const QDateTime &dayStart) const
{
    const QDateTime start =
        dayStart.isValid() ? dayStart : QDateTime(QDate::currentDate(), QTime(0, 0), Qt::LocalTime);
    const QString since = start.toUTC().toString(Qt::ISODateWithMs);
    QList<RaterExposure> out;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral(
        "SELECT r.id, r.name, r.kind, r.role, coalesce(t.assigned, 0),"
        // Done: finished in the workspace (status 'done', counted in tally_rater), or
        // fully rated otherwise (e.g. imported). The latter is looked for only when the
        // rater has open assignments and labels, and from the labels' side.
        " coalesce(t.done, 0) + CASE WHEN t.labels > 0 AND t.assigned > t.done + t.skipped"
        "  THEN (SELECT count(*) FROM category_label l"
        "  JOIN assignment a ON a.rater_id = l.rater_id AND a.item_id = l.item_id"
        "  WHERE l.rater_id = r.id AND a.status IN ('pending', 'in_progress')"
        "  AND NOT EXISTS (SELECT 1 FROM response p WHERE p.item_id = a.item_id"
        "   AND NOT EXISTS (SELECT 1 FROM response_rating rr WHERE rr.response_id = p.id"
        "    AND rr.rater_id = r.id))) ELSE 0 END,"
        " coalesce(t.skipped, 0), coalesce(t.distressing, 0),"
        " s.sessions, s.shown, s.most, s.today,"
        " (SELECT items_shown FROM rating_session l WHERE l.rater_id = r.id"
        "  ORDER BY l.id DESC LIMIT 1)"
        " FROM rater r LEFT JOIN tally_rater t ON t.rater_id = r.id"
        " LEFT JOIN (SELECT rater_id, count(*) AS sessions,"
        "  sum(items_shown) AS shown, max(items_shown) AS most,"
        "  sum(CASE WHEN started_at >= ? THEN items_shown ELSE 0 END) AS today"
        "  FROM rating_session GROUP BY rater_id) s ON s.rater_id = r.id"
        " ORDER BY r.id"));
    q.addBindValue(since);
    if (!q.exec())
        return out;
    while (q.next()) {
        RaterExposure e;
        e.raterId = q.value(0).toLongLong();
        e.name = q.value(1).toString();
        e.kind = q.value(2).toString();
        e.role = q.value(3).toString();
        e.assigned = q.value(4).toLongLong();
        e.done = q.value(5).toLongLong();
        e.skipped = q.value(6).toLongLong();
        e.distressing = q.value(7).toLongLong();
        e.sessions = q.value(8).toLongLong();
        const qint64 shown = q.value(9).toLongLong();
        e.maxShownInSession = q.value(10).toLongLong();
        e.shownToday = q.value(11).toLongLong();
        e.shownLastSession = q.value(12).toLongLong();
        e.shownPerSession = e.sessions > 0 ? double(shown) / double(e.sessions) : 0.0;
        out.append(e);
    }
    return out;
}

} // namespace cr::storage
