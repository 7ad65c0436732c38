#include "storage/jsonutil.h"

#include <cstring>

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

/// Appends `v` as a JSON string escaped exactly as simdjson::minify (text()) escapes it,
/// so that turns stay byte-identical to what earlier imports stored: \" \\ \b \t \n \f \r,
/// other control characters as \u00xx, every other byte as it is.
void appendString(QByteArray *out, std::string_view v)
{
    out->append('"');
    std::size_t start = 0;
    std::size_t i = 0;
    // Eight bytes at a time while none of them needs escaping (the common case).
    constexpr quint64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const auto hasZero = [](quint64 x) { return (x - ones) & ~x & highs; };
    for (;; ++i) {
        while (i + 8 <= v.size()) {
            quint64 w;
            std::memcpy(&w, v.data() + i, 8);
            // A byte < 0x20 (its high bit clear and below 0x20 after subtracting), '"' or '\\'.
            const quint64 control = (w - 0x20 * ones) & ~w & highs;
            if (control | hasZero(w ^ ('"' * ones)) | hasZero(w ^ ('\\' * ones)))
                break;
            i += 8;
        }
        if (i >= v.size())
            break;
        const auto c = static_cast<unsigned char>(v[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out->append(v.data() + start, qsizetype(i - start));
        start = i + 1;
        switch (c) {
        case '"':
            out->append("\\\"", 2);
            break;
        case '\\':
            out->append("\\\\", 2);
            break;
        case '\b':
            out->append("\\b", 2);
            break;
        case '\t':
            out->append("\\t", 2);
            break;
        case '\n':
            out->append("\\n", 2);
            break;
        case '\f':
            out->append("\\f", 2);
            break;
        case '\r':
            out->append("\\r", 2);
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char escaped[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            out->append(escaped, 6);
        }
        }
    }
    out->append(v.data() + start, qsizetype(v.size() - start));
    out->append('"');
}

} // namespace cr::storage::json
