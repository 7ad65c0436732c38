#pragma once

// The migration step of either engine's schema list (schema.cpp, schemapg.cpp) and the
// loop that runs them. Internal to storage/.

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <cstddef>

namespace cr::storage::schema::detail {

/// One schema version: statements, then (optionally) a function for what SQL alone
/// cannot do.
struct Step {
    const char *const *statements;
    std::size_t count;
    bool (*run)(QSqlDatabase &db, QString *error) = nullptr;
};

template<std::size_t N> constexpr Step makeStep(const char *const (&s)[N])
{
    return { s, N };
}

/// Runs steps (fromVersion, toVersion] of `steps` (index 0 = version 1).
inline bool runSteps(
    QSqlDatabase &db, const Step *steps, int fromVersion, int toVersion, QString *error)
{
    QSqlQuery q(db);
    for (int v = fromVersion + 1; v <= toVersion; ++v) {
        const Step &step = steps[v - 1];
        for (std::size_t i = 0; i < step.count; ++i) {
            if (!q.exec(QString::fromUtf8(step.statements[i]))) {
                *error = QStringLiteral("schema step %1: %2").arg(v).arg(q.lastError().text());
                return false;
            }
        }
        QString message;
        if (step.run && !step.run(db, &message)) {
            *error = QStringLiteral("schema step %1: %2").arg(v).arg(message);
            return false;
        }
    }
    return true;
}

} // namespace cr::storage::schema::detail
