#include "storage/changes.h"

#include "storage/study.h"

#include <QSqlDriver>
#include <QSqlQuery>

namespace cr::storage::changes {

bool subscribe(Study &study)
{
    // QSQLITE's "notifications" only report this connection's own writes: poll a file.
    QSqlDriver *driver = study.database().driver();
    if (!driver || study.database().driverName() == QLatin1String("QSQLITE")
        || !driver->hasFeature(QSqlDriver::EventNotifications))
        return false;
    return driver->subscribedToNotifications().contains(channel)
        || driver->subscribeToNotification(channel);
}

qint64 stamp(Study &study)
{
    QSqlQuery q(study.database());
    if (q.exec(QStringLiteral("SELECT max(id) FROM event")) && q.next())
        return q.value(0).toLongLong();
    return -1;
}

} // namespace cr::storage::changes
