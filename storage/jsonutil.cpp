#include "storage/jsonutil.h"

namespace cr::storage::json {

using simdjson::dom::element_type;

QString typeName(simdjson::dom::element e)
{
    switch (e.type()) {
    case element_type::ARRAY:
        return QStringLiteral("an array");
    case element_type::OBJECT:
        return QStringLiteral("an object");
    case element_type::INT64:
    case element_type::UINT64:
        return QStringLiteral("an integer");
    case element_type::DOUBLE:
        return QStringLiteral("a number");
    case element_type::STRING:
        return QStringLiteral("a string");
    case element_type::BOOL:
        return QStringLiteral("a boolean");
    case element_type::NULL_VALUE:
        return QStringLiteral("null");
    }
    return QStringLiteral("a value");
}

QByteArray text(simdjson::dom::element e)
{
    return QByteArray::fromStdString(simdjson::minify(e));
}

} // namespace cr::storage::json
