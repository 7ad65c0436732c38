#include "storage/pagecache.h"

#include "storage/backend.h"
#include "storage/study.h"

#include <QSqlQuery>
#include <algorithm>

namespace cr::storage {

PageCacheBudget::PageCacheBudget(Study &study, int kib)
    : m_study(study)
{
    if (study.engine() != Engine::Sqlite)
        return;
    QSqlQuery q(study.database());
    if (!q.exec(QStringLiteral("PRAGMA cache_size")) || !q.next())
        return;
    const qint64 previous = q.value(0).toLongLong();
    q.finish();
    if (q.exec(QStringLiteral("PRAGMA cache_size = -%1").arg(std::max(kib, 1))))
        m_previous = previous;
}

PageCacheBudget::~PageCacheBudget()
{
    if (!m_previous)
        return;
    QSqlQuery q(m_study.database());
    q.exec(QStringLiteral("PRAGMA cache_size = %1").arg(*m_previous));
}

} // namespace cr::storage
