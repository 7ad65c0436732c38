#pragma once

// Setting up and moving studies to and from a PostgreSQL server (issue 17):
// `crisis-review server init`, `publish` and `snapshot`. docs/POSTGRES-SCHEMA.md
// describes the schema, the roles and where the database's own access rules hook in.

#include "protocol/protocol.h"
#include "storage/error.h"

#include <QString>
#include <QStringList>
#include <functional>

namespace cr::storage {

class Study;

namespace server {

/// Progress of a long job: what it is doing, rows done, rows in all (0 = unknown).
using Progress = std::function<void(const QString &stage, qint64 done, qint64 total)>;

/// `server init`: in an empty database, the current schema (Study::create) and the
/// database's access rules (applySecurity, below), which create the study's own group
/// roles ("DATABASE:rater", "DATABASE:adjudicator", "DATABASE:researcher";
/// pgsecurity::groupRole) and no other role. Fails on a database that already holds a
/// study. (The schema is committed before the access rules are applied; if that second
/// transaction fails, the database holds a study without them: drop it and run init
/// again.)
bool init(
    const QString &uri, const QString &title, const protocol::Protocol &protocol, Error *error);

/// `publish`: uploads the local study `file` (items, responses, raters, assignments,
/// labels, ratings, adjudications, events, protocol, every table) to `uri`, which must be an
/// empty database (it is set up as by init()) or a study fresh from init() (no items,
/// raters or ratings yet; its rows are replaced). Rows keep their ids and the event log
/// its chain; a `study.publish` event is appended. One transaction; bulk rows through
/// COPY … FROM STDIN. `progress` is called per table and every 10,000 rows.
bool publish(const QString &file, const QString &uri, const Progress &progress, Error *error);

/// `snapshot`: writes a consistent local copy of the server study at `uri` to the new
/// file `out` (every table, read in one REPEATABLE READ READ ONLY transaction).
bool snapshot(const QString &uri, const QString &out, const Progress &progress, Error *error);

/// The tables publish and snapshot copy, in an order that satisfies the foreign keys.
QStringList studyTables();

/// The database's own access rules (the study's group roles, row-level security, column
/// privileges, views, the audit log's privileges), applied by init() inside its
/// transaction after the schema exists. storage/serversecurity.cpp.
bool applySecurity(Study &study, QString *error);

} // namespace server
} // namespace cr::storage
