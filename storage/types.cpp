#include "storage/types.h"

namespace cr::storage {

QString toString(RaterKind kind)
{
    return kind == RaterKind::Llm ? QStringLiteral("llm") : QStringLiteral("human");
}

QString toString(RaterRole role)
{
    switch (role) {
    case RaterRole::Adjudicator:
        return QStringLiteral("adjudicator");
    case RaterRole::Researcher:
        return QStringLiteral("researcher");
    case RaterRole::Rater:
        break;
    }
    return QStringLiteral("rater");
}

std::optional<RaterKind> raterKindFromString(QStringView text)
{
    if (text == QLatin1String("human"))
        return RaterKind::Human;
    if (text == QLatin1String("llm"))
        return RaterKind::Llm;
    return std::nullopt;
}

std::optional<RaterRole> raterRoleFromString(QStringView text)
{
    if (text == QLatin1String("rater"))
        return RaterRole::Rater;
    if (text == QLatin1String("adjudicator"))
        return RaterRole::Adjudicator;
    if (text == QLatin1String("researcher"))
        return RaterRole::Researcher;
    return std::nullopt;
}

} // namespace cr::storage
