#include "storage/consensus.h"

#include "storage/backend.h"
#include "storage/study.h"

#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

std::optional<QHash<qint64, ScoreConsensus>> consensusScores(
    Study &study, Error *error, const QList<qint64> *only)
{
    const QString restrict =
        only ? QStringLiteral(" AND response_id IN ") + dialect::idList(*only) : QString();
    QHash<qint64, ScoreConsensus> out;
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    auto fail = [&] {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    };
    // The mean in double precision on both engines (PostgreSQL's avg of integers is a
    // NUMERIC; a double sum / count is what SQLite computes), so both give the same bits.
    if (!q.exec(QStringLiteral(
                    "SELECT rr.response_id, avg(CAST(rr.score AS DOUBLE PRECISION)), min(rr.score),"
                    " max(rr.score), count(*)"
                    " FROM response_rating rr JOIN rater ON rater.id = rr.rater_id"
                    " WHERE rr.score IS NOT NULL AND rater.kind = 'human' AND rater.role = 'rater'")
            + restrict + QStringLiteral(" GROUP BY rr.response_id")))
        return fail();
    while (q.next()) {
        const bool unanimous = q.value(2).toInt() == q.value(3).toInt();
        out.insert(q.value(0).toLongLong(),
            { q.value(1).toDouble(),
                unanimous ? QStringLiteral("unanimous") : QStringLiteral("mean"),
                q.value(4).toInt() });
    }
    if (!q.exec(QStringLiteral("SELECT response_id, score FROM adjudication"
                               " WHERE response_id IS NOT NULL AND score IS NOT NULL")
            + restrict + QStringLiteral(" ORDER BY id")))
        return fail();
    while (q.next()) {
        ScoreConsensus &c = out[q.value(0).toLongLong()];
        c.score = q.value(1).toDouble();
        c.how = QStringLiteral("adjudicated");
    }
    return out;
}

QString consensusRuleText()
{
    return QStringLiteral(
        "Category of an input: the latest adjudication; else the clinicians' label when unanimous, "
        "else the unique most frequent label (majority); a tie stays open (the source's reference "
        "label is used when there is one). Score of a response: the latest adjudication; else the "
        "clinicians' score when unanimous, else their mean. Raw ratings are never changed.");
}

} // namespace cr::storage
