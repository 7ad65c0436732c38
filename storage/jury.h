#pragma once

#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

class Study;

/// A jury: a named group of LLM raters whose mean score per response (over the members
/// that scored it) acts as one LLM rater wherever a rater is named (`stats --raters`,
/// `llm_vs_human`, the dashboard's rater lists, `--category-source`, where it stands for its
/// members' majority label). Juries have no labels or stored scores of their own and are
/// never part of the human/llm/all groups.
struct Jury {
    qint64 id = 0;
    QString name;
    QList<Rater> members; ///< in the order given
};

/// The study's juries (table `jury`, `jury_member`); changes are logged (`jury.add`,
/// `jury.remove`).
class JuryRepository final {
public:
    explicit JuryRepository(Study &study)
        : m_study(study)
    {
    }

    /// Adds a jury of two or more distinct LLM raters. The name follows the rater-name
    /// rules, has no '#', and is neither a rater's nor another jury's name; an
    /// InvalidInput error says what is wrong and nothing changes.
    std::optional<Jury> add(const QString &name, const QStringList &members, Error *error);
    /// Removes a jury (its members stay); an unknown name is an InvalidInput error.
    bool remove(const QString &name, Error *error);
    /// Every jury, by name; nothing with `error` set on a storage error.
    std::optional<QList<Jury>> all(Error *error) const;
    std::optional<Jury> byName(const QString &name) const;

private:
    Study &m_study;
};

} // namespace cr::storage
