#include "app/disagreements.h"

#include <QJsonObject>

namespace cr::app {

namespace {

QJsonValue value(const storage::Disagreement &d, const storage::RaterValue &v)
{
    if (d.kind == storage::DisagreementKind::Category)
        return v.category;
    return v.score ? QJsonValue(*v.score) : QJsonValue(QStringLiteral("cannot_assess"));
}

QString valueText(const storage::Disagreement &d, const storage::RaterValue &v)
{
    const QJsonValue j = value(d, v);
    return j.isString() ? j.toString() : QString::number(j.toInt());
}

} // namespace

QJsonArray disagreementsToJson(const QList<storage::Disagreement> &rows)
{
    QJsonArray out;
    for (const storage::Disagreement &d : rows) {
        QJsonArray values;
        for (const storage::RaterValue &v : d.values)
            values.append(QJsonObject { { QStringLiteral("rater"), v.rater.pseudonym },
                { QStringLiteral("rater_kind"), storage::toString(v.rater.kind) },
                { QStringLiteral("value"), value(d, v) } });
        const bool score = d.kind == storage::DisagreementKind::Score;
        QJsonObject o { { QStringLiteral("item_id"), d.itemExternalId },
            { QStringLiteral("response_id"), score ? QJsonValue(d.responseId) : QJsonValue() },
            { QStringLiteral("model"), score ? QJsonValue(d.model) : QJsonValue() },
            { QStringLiteral("run"), score ? QJsonValue(d.run) : QJsonValue() },
            { QStringLiteral("kind"), storage::Disagreement::toString(d.kind) },
            { QStringLiteral("values"), values }, { QStringLiteral("spread"), d.spread() },
            { QStringLiteral("consensus"),
                d.consensus.isEmpty() ? QJsonValue() : QJsonValue(d.consensus) },
            { QStringLiteral("consensus_how"),
                d.consensusHow.isEmpty() ? QJsonValue() : QJsonValue(d.consensusHow) },
            { QStringLiteral("involves_llm"), d.involvesLlm },
            { QStringLiteral("adjudicated"), d.adjudication.has_value() } };
        if (score) {
            o.insert(QStringLiteral("harmful_by_anyone"), d.scoreSpread.harmfulByAnyone);
            o.insert(
                QStringLiteral("distance_from_consensus"), d.scoreSpread.distanceFromConsensus);
        }
        out.append(o);
    }
    return out;
}

QString disagreementsToText(const QList<storage::Disagreement> &rows)
{
    QString s =
        QStringLiteral("%1 %2 %3 %4 %5\n")
            .arg(QStringLiteral("item").leftJustified(16),
                QStringLiteral("response").leftJustified(9),
                QStringLiteral("kind").leftJustified(9), QStringLiteral("spread").leftJustified(7),
                QStringLiteral("values (pseudonym=value)"));
    for (const storage::Disagreement &d : rows) {
        QStringList values;
        for (const storage::RaterValue &v : d.values)
            values.append(v.rater.pseudonym + QLatin1Char('=') + valueText(d, v));
        QString flags;
        if (d.kind == storage::DisagreementKind::Score && d.scoreSpread.harmfulByAnyone)
            flags += QStringLiteral("  [harmful by someone]");
        if (d.adjudication)
            flags += QStringLiteral("  [adjudicated]");
        s += QStringLiteral("%1 %2 %3 %4 %5%6\n")
                 .arg(d.itemExternalId.leftJustified(16),
                     (d.responseId ? QString::number(d.responseId) : QStringLiteral("-"))
                         .leftJustified(9),
                     storage::Disagreement::toString(d.kind).leftJustified(9),
                     QString::number(d.spread()).leftJustified(7), values.join(QLatin1Char(' ')),
                     flags);
    }
    s += QStringLiteral("%1 disagreement(s)\n").arg(rows.size());
    return s;
}

} // namespace cr::app
