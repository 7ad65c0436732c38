#pragma once

#include "analysis/ratings.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <cmath>

namespace cr::stats {

/// Puts `key: value`, or `key: null` with a sibling `key_note` saying why.
inline void put(QJsonObject &o, const QString &key, const analysis::Estimate &e)
{
    if (e.defined && std::isfinite(e.value)) {
        o.insert(key, e.value);
    } else {
        o.insert(key, QJsonValue::Null);
        o.insert(key + QStringLiteral("_note"),
            QString::fromStdString(e.note.empty() ? std::string("undefined") : e.note));
    }
}

/// A number for the text tables; "—" for null.
inline QString number(const QJsonValue &v, int decimals = 3)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'f', decimals) : QStringLiteral("—");
}

} // namespace cr::stats
