#pragma once

#include <QString>

namespace cr::resources {

/// Qt resource path of the default protocol JSON.
inline QString defaultProtocolPath()
{
    return QStringLiteral(":/protocol/default.json");
}
/// Qt resource path of the demo study's items + responses (JSONL, FORMATS.md §1).
inline QString demoItemsPath()
{
    return QStringLiteral(":/demo/items.jsonl");
}
/// Qt resource path of the demo study's ratings (JSONL, FORMATS.md §1).
inline QString demoRatingsPath()
{
    return QStringLiteral(":/demo/ratings.jsonl");
}

/// Makes sure the embedded resources are registered (safe to call repeatedly).
void ensureLoaded();

} // namespace cr::resources
