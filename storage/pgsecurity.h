#pragma once

// Who may read and write what in a study on a PostgreSQL server (issue 17 item 3,
// docs/POSTGRES-SECURITY.md): group roles, column privileges, row-level security,
// rater-scoped and blind views, and the audit log written by a SECURITY DEFINER trigger.
// The database enforces the roles; the client's own role policy (ui/rolepolicy.cpp) only
// decides what the window shows.

#include "storage/error.h"
#include "storage/types.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace cr::storage::pgsecurity {

/// The group role (NOLOGIN) of `role` in study database `database`, quoted: one set per
/// database ("study:rater", "study:adjudicator", "study:researcher"), as roles are
/// cluster-wide.
QString groupRole(RaterRole role, const QString &database);

/// The DDL of the security step for `database`, in order (idempotent: it may run again
/// after a migration added tables; it first revokes everything it grants). The group
/// roles must exist (apply() creates them).
QStringList securityStatements(const QString &database);

/// Runs securityStatements() on `db` (a PostgreSQL connection of the schema owner, who
/// needs CREATEROLE), in one transaction.
bool apply(QSqlDatabase &db, Error *error);
/// The same inside the caller's open transaction (server init).
bool applyInTransaction(QSqlDatabase &db, Error *error);

/// A SCRAM-SHA-256 verifier of `password` ("SCRAM-SHA-256$4096:salt$StoredKey:ServerKey",
/// RFC 7677 / PostgreSQL's format), so the password itself never reaches the server.
/// `salt` empty: 16 random bytes.
QString scramVerifier(const QString &password, const QByteArray &salt = {});

/// A random password for a new login (24 characters, letters and digits).
QString generatePassword();

/// Whether `login` is acceptable as a login role name (and rater name).
QString validateLogin(const QString &login);

/// Creates (or, when it exists, keeps) the login role `login` with `password`'s SCRAM
/// verifier (an existing role's password changes only when `setPassword`), lets it
/// connect to this database, makes it a member of the group of `role`, and links it to
/// study rater `raterId` (login_rater). Runs on the schema owner's connection.
bool addLogin(QSqlDatabase &db, const QString &login, RaterRole role, qint64 raterId,
    const QString &password, bool setPassword, bool *created, Error *error);

} // namespace cr::storage::pgsecurity
