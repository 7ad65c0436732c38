#pragma once

#include "storage/types.h"

#include <QString>

namespace cr::storage {
class Study;
}

namespace cr::ui {

/// Who uses the main window. `Owner`: a study file is open and nobody has signed in
/// (whoever holds a master study file can read all of it with sqlite3, so the window
/// offers the researcher's tools and the sign-in; choosing a name is not
/// authentication). The other three are the signed-in rater's role; the role is fixed
/// until the study is opened again.
enum class SessionRole { Owner, Rater, Adjudicator, Researcher };

/// What the main window can build: pages, menu actions (with their shortcuts), and
/// what they show.
enum class Feature {
    StudyOverview, ///< the overview page: counts, models, datasets, raters
    SignIn, ///< choose who signs in (overview picker, Review's "Sign in as")
    RatingPage, ///< the signed-in rater's items and their own progress
    ReviewPage, ///< blind disagreement review and adjudication
    RevealNames, ///< show model and rater names on the review page (logged)
    Dashboard,
    Report,
    Import,
    Export, ///< File ▸ Export… with every format and filter
    ExportOwnBundle, ///< File ▸ Export My Ratings…: the signed-in rater's bundle only
    StudySetup, ///< Study ▸ Set Up Raters and Assignments…
    NewStudy, ///< File ▸ New Study… and Open Demo Study
    RunLlm, ///< Study ▸ Run LLM… (respond, classify, judge against an endpoint)
    FeatureCount
};

/// The one place that decides, per role, what the main window creates (ui/rolepolicy.cpp
/// holds the table). The main window builds only what allows() permits: a feature not
/// allowed has no page, no menu entry, no shortcut and no button.
class RolePolicy final {
public:
    explicit RolePolicy(SessionRole role = SessionRole::Owner)
        : m_role(role)
    {
    }
    /// The policy of a signed-in rater (by the rater's stored role).
    static RolePolicy forRater(const storage::Rater &rater);
    /// The role a study file imposes before anyone chooses: a rater package
    /// (storage::packageInfo) signs its rater in with role rater and offers no choice; a
    /// master file starts as Owner. This is the single check for "package ⇒ rater".
    static SessionRole initialRole(const storage::Study &study);
    /// The rater a package signs in automatically; empty for a master study file.
    static QString packageRater(const storage::Study &study);

    SessionRole role() const { return m_role; }
    bool allows(Feature feature) const;
    /// "rater", "adjudicator", "researcher" or "owner".
    static QString roleName(SessionRole role);

private:
    SessionRole m_role;
};

} // namespace cr::ui
