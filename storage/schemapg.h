#pragma once

// The PostgreSQL side of storage/schema.h: the same schema versions, step for step,
// in PostgreSQL's dialect (identity columns, PL/pgSQL triggers). Internal to storage/.

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace cr::storage::schema::postgres {

/// Applies steps (fromVersion, toVersion] inside the caller's transaction.
bool migrate(QSqlDatabase &db, int fromVersion, int toVersion, QString *error);

/// Rewrites the tally tables (schema step 12) from the rows: the migration's fill, and
/// publish's after it copied rows with the tally triggers off.
bool fillTallies(QSqlDatabase &db, QString *error);
/// The tables whose rows the tally triggers count.
QStringList talliedTables();

/// What `SELECT stored FROM (eventGuardQuery) WHERE name = ?` must give for each of the
/// event table's guard triggers: pg_get_triggerdef(trigger) + ' ' + its function body.
QStringList eventGuards();
/// One row (the stored text) for the trigger named by the one parameter.
const char *eventGuardQuery();

} // namespace cr::storage::schema::postgres
