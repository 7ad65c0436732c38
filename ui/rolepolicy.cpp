#include "ui/rolepolicy.h"

#include "storage/package.h"
#include "storage/study.h"

#include <array>

namespace cr::ui {

namespace {

using F = Feature;
constexpr int N = int(F::FeatureCount);
using Row = std::array<bool, N>;

constexpr Row row(std::initializer_list<F> features)
{
    Row r {};
    for (const F f : features)
        r[std::size_t(f)] = true;
    return r;
}

// Per role, what exists. A rater: their rating page and their own bundle, nothing that
// names a model, a dataset or another rater. An adjudicator: the blind review only.
// A researcher (signed in) or the holder of a master file (Owner): everything; only a
// signed-in researcher reveals names on the review page, and only the Owner chooses who
// signs in (switching roles needs reopening the study).
constexpr std::array<Row, 4> table = {
    /* Owner */ row({ F::StudyOverview, F::SignIn, F::Dashboard, F::Report, F::Import, F::Export,
        F::StudySetup, F::NewStudy, F::RunLlm }),
    /* Rater */ row({ F::RatingPage, F::ExportOwnBundle }),
    /* Adjudicator */ row({ F::ReviewPage }),
    /* Researcher */
    row({ F::StudyOverview, F::ReviewPage, F::RevealNames, F::Dashboard, F::Report, F::Import,
        F::Export, F::StudySetup, F::NewStudy, F::RunLlm }),
};

} // namespace

RolePolicy RolePolicy::forRater(const storage::Rater &rater)
{
    switch (rater.role) {
    case storage::RaterRole::Rater:
        return RolePolicy(SessionRole::Rater);
    case storage::RaterRole::Adjudicator:
        return RolePolicy(SessionRole::Adjudicator);
    case storage::RaterRole::Researcher:
        return RolePolicy(SessionRole::Researcher);
    }
    return RolePolicy(SessionRole::Rater);
}

QString RolePolicy::packageRater(const storage::Study &study)
{
    const std::optional<storage::PackageInfo> package = storage::packageInfo(study);
    return package ? package->rater : QString();
}

SessionRole RolePolicy::initialRole(const storage::Study &study)
{
    return packageRater(study).isEmpty() ? SessionRole::Owner : SessionRole::Rater;
}

bool RolePolicy::allows(Feature feature) const
{
    return feature != F::FeatureCount && table[std::size_t(m_role)][std::size_t(feature)];
}

QString RolePolicy::roleName(SessionRole role)
{
    switch (role) {
    case SessionRole::Owner:
        return QStringLiteral("owner");
    case SessionRole::Rater:
        return QStringLiteral("rater");
    case SessionRole::Adjudicator:
        return QStringLiteral("adjudicator");
    case SessionRole::Researcher:
        return QStringLiteral("researcher");
    }
    return {};
}

} // namespace cr::ui
