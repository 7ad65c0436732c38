#pragma once

// Counts the work SQLite does for a piece of code: its virtual-machine steps on one
// connection (header only). Independent of the machine's speed, so a test can say "the
// same work after 5,000 more rows" without timing anything.

#include "storage/sqlitestatement.h"

#include <QSqlDatabase>
#include <sqlite3.h>

namespace cr::test {

template<typename Work> qint64 sqliteSteps(const QSqlDatabase &db, Work &&work)
{
    qint64 steps = 0;
    sqlite3 *handle = storage::nativeHandle(db);
    sqlite3_progress_handler(
        handle, 1,
        [](void *counter) {
            ++*static_cast<qint64 *>(counter);
            return 0;
        },
        &steps);
    work();
    sqlite3_progress_handler(handle, 0, nullptr, nullptr);
    return steps;
}

} // namespace cr::test

namespace cr::test {

/// Prepared statements alive on the connection (not yet finalized): what a piece of code
/// leaves behind shows as a difference of two counts.
inline int sqliteLiveStatements(const QSqlDatabase &db)
{
    sqlite3 *handle = storage::nativeHandle(db);
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(handle, nullptr); s; s = sqlite3_next_stmt(handle, s))
        ++n;
    return n;
}

} // namespace cr::test
