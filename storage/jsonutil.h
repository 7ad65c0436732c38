#pragma once

// Internal to storage: small helpers shared by the simdjson-based importers.

#include <QByteArray>
#include <QString>
#include <simdjson.h>
#include <string_view>

namespace cr::storage::json {

inline QString fromView(std::string_view v)
{
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

/// "an array", "a string", "null"...: for messages such as "must be X, got Y".
QString typeName(simdjson::dom::element e);

/// The element as compact JSON text.
QByteArray text(simdjson::dom::element e);

/// Appends `v` as a JSON string, escaped byte for byte as text() escapes strings.
void appendString(QByteArray *out, std::string_view v);

} // namespace cr::storage::json
