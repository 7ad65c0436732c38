#include "storage/jury.h"

#include "storage/repositories.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

namespace {

Error storageError(const Study &study, const QSqlQuery &q)
{
    return Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
}

/// The members of jury `id`, in position order.
QList<Rater> membersOf(Study &study, qint64 id)
{
    QList<qint64> ids;
    QSqlQuery q(study.database());
    q.prepare(
        QStringLiteral("SELECT rater_id FROM jury_member WHERE jury_id = ? ORDER BY position"));
    q.addBindValue(id);
    if (q.exec())
        while (q.next())
            ids.append(q.value(0).toLongLong());
    QList<Rater> out;
    const RaterRepository raters(study);
    for (const qint64 r : ids)
        if (const auto rater = raters.byId(r))
            out.append(*rater);
    return out;
}

QString eventText(const Jury &jury)
{
    QJsonArray members;
    for (const Rater &r : jury.members)
        members.append(r.name);
    return QString::fromUtf8(QJsonDocument(
        QJsonObject { { QStringLiteral("name"), jury.name },
            { QStringLiteral("members"),
                members } }).toJson(QJsonDocument::Compact));
}

} // namespace

std::optional<Jury> JuryRepository::add(
    const QString &name, const QStringList &members, Error *error)
{
    QString problem = RaterRepository::validateName(name);
    if (problem.isEmpty() && name.contains(QLatin1Char('#')))
        problem = QStringLiteral("a jury name must not contain '#'");
    if (!problem.isEmpty()) {
        *error = Error::invalid(problem);
        return std::nullopt;
    }
    if (members.size() < 2) {
        *error = Error::invalid(QStringLiteral("--raters: a jury needs two or more raters"));
        return std::nullopt;
    }
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return std::nullopt;
    const RaterRepository raters(m_study);
    if (raters.byName(name) || byName(name)) {
        *error = Error::invalid(
            QStringLiteral("'%1' is already the name of a %2")
                .arg(name, raters.byName(name) ? QStringLiteral("rater") : QStringLiteral("jury")));
        return std::nullopt;
    }
    Jury jury;
    jury.name = name;
    for (const QString &m : members) {
        const auto rater = raters.byName(m);
        if (!rater) {
            *error = Error::invalid(
                QStringLiteral("--raters: no rater '%1' in %2").arg(m, m_study.path()));
            return std::nullopt;
        }
        if (rater->kind != RaterKind::Llm) {
            *error = Error::invalid(QStringLiteral(
                "--raters: '%1' is not an LLM rater (a jury is a group of LLM raters)")
                                        .arg(m));
            return std::nullopt;
        }
        for (const Rater &r : jury.members)
            if (r.id == rater->id) {
                *error = Error::invalid(QStringLiteral("--raters: '%1' is named twice").arg(m));
                return std::nullopt;
            }
        jury.members.append(*rater);
    }
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("INSERT INTO jury(name, created_at) VALUES (?, ?)"));
    q.addBindValue(name);
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = storageError(m_study, q);
        return std::nullopt;
    }
    jury.id = q.lastInsertId().toLongLong();
    q.prepare(
        QStringLiteral("INSERT INTO jury_member(jury_id, rater_id, position) VALUES (?, ?, ?)"));
    for (int i = 0; i < jury.members.size(); ++i) {
        q.addBindValue(jury.id);
        q.addBindValue(jury.members[i].id);
        q.addBindValue(i);
        if (!q.exec()) {
            *error = storageError(m_study, q);
            return std::nullopt;
        }
    }
    if (!m_study.appendEvent(
            QStringLiteral("jury.add"), QStringLiteral("jury"), jury.id, {}, eventText(jury), error)
        || !tx.commit(error))
        return std::nullopt;
    return jury;
}

bool JuryRepository::remove(const QString &name, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    const auto jury = byName(name);
    if (!jury) {
        *error = Error::invalid(QStringLiteral("no jury '%1' in %2").arg(name, m_study.path()));
        return false;
    }
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("DELETE FROM jury WHERE id = ?"));
    q.addBindValue(jury->id);
    if (!q.exec()) {
        *error = storageError(m_study, q);
        return false;
    }
    return m_study.appendEvent(QStringLiteral("jury.remove"), QStringLiteral("jury"), jury->id,
               eventText(*jury), {}, error)
        && tx.commit(error);
}

std::optional<QList<Jury>> JuryRepository::all(Error *error) const
{
    QSqlQuery q(m_study.database());
    if (!q.exec(QStringLiteral("SELECT id, name FROM jury ORDER BY name"))) {
        *error = storageError(m_study, q);
        return std::nullopt;
    }
    QList<Jury> out;
    while (q.next())
        out.append({ q.value(0).toLongLong(), q.value(1).toString(), {} });
    for (Jury &j : out)
        j.members = membersOf(m_study, j.id);
    return out;
}

std::optional<Jury> JuryRepository::byName(const QString &name) const
{
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("SELECT id FROM jury WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec() || !q.next())
        return std::nullopt;
    const qint64 id = q.value(0).toLongLong();
    return Jury { id, name, membersOf(m_study, id) };
}

} // namespace cr::storage
