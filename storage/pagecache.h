#pragma once

#include <QtGlobal>
#include <optional>

namespace cr::storage {

class Study;

/// Caps SQLite's page cache of the study's connection at `kib` KiB while it lives (the
/// previous size again after; nothing on PostgreSQL). For a long streamed read such as
/// the review queue's, whose pages are each read about once: the connection's default
/// cache (64 MiB, Study::configure) would fill up and stay resident for little gain.
class PageCacheBudget final {
public:
    PageCacheBudget(Study &study, int kib);
    ~PageCacheBudget();
    PageCacheBudget(const PageCacheBudget &) = delete;
    PageCacheBudget &operator=(const PageCacheBudget &) = delete;

private:
    Study &m_study;
    std::optional<qint64> m_previous; ///< PRAGMA cache_size before (pages, or -KiB)
};

} // namespace cr::storage
