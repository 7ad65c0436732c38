#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace cr::storage {

/// The study schema: version numbers and the step-wise migrations between them.
/// Every SQL statement that defines tables lives in schema.cpp.
namespace schema {

/// The version this build writes. Opening an older file migrates it step by step.
constexpr int currentVersion = 12;

/// Applies migration steps (fromVersion, toVersion] inside the caller's transaction.
/// Returns false and sets `error` on the first failing statement.
bool migrate(QSqlDatabase &db, int fromVersion, int toVersion, QString *error);

/// The CREATE TRIGGER statements that make the event table append-only, exactly as
/// the current schema stores them in sqlite_master.
QStringList eventTriggerSql();

/// Reads meta.schema_version; 0 for a database without the meta table.
int readVersion(const QSqlDatabase &db);

} // namespace schema
} // namespace cr::storage
