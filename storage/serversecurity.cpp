// The database's own access rules for a server study (issue 17 item 3): the study's
// group roles, row-level security, column privileges, the rater/adjudicator views and the
// audit log's privileges. server::init() calls applySecurity() once, inside its
// transaction, after the schema exists. The rules themselves are storage/pgsecurity.cpp
// (docs/POSTGRES-SECURITY.md); `server add-person` applies them again, so tables a later
// migration adds start with no access.

#include "storage/pgsecurity.h"
#include "storage/server.h"
#include "storage/study.h"

namespace cr::storage::server {

bool applySecurity(Study &study, QString *error)
{
    QSqlDatabase db = study.database();
    Error e;
    if (pgsecurity::applyInTransaction(db, &e))
        return true;
    *error = e.message;
    return false;
}

} // namespace cr::storage::server
