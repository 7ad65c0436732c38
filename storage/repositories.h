#pragma once

#include "storage/error.h"
#include "storage/types.h"

#include <QList>
#include <optional>

namespace cr::storage {

class Study;

/// Raters: people and LLMs (classifiers, judges) alike. Every write commits
/// durably and is logged in the event table before returning.
class RaterRepository final {
public:
    explicit RaterRepository(Study &study)
        : m_study(study)
    {
    }

    /// Adds a rater. Names are unique, non-empty and contain no comma.
    std::optional<Rater> add(const QString &name, RaterKind kind, RaterRole role, Error *error);
    std::optional<Rater> byName(const QString &name) const;
    std::optional<Rater> byId(qint64 id) const;
    QList<Rater> all() const;

    /// Checks a rater name; returns an empty string when acceptable.
    static QString validateName(const QString &name);

private:
    Study &m_study;
};

/// Items, models and responses (read side; they are written by importers).
class ItemRepository final {
public:
    explicit ItemRepository(Study &study)
        : m_study(study)
    {
    }

    qint64 count() const;
    /// All item ids in import order.
    QList<qint64> ids() const;
    std::optional<Item> item(qint64 id) const;
    std::optional<Item> byExternalId(const QString &externalId) const;
    /// Responses of an item ordered by model name and run.
    QList<Response> responses(qint64 itemId) const;
    QList<Model> models() const;

private:
    Study &m_study;
};

/// Which rater sees which item.
class AssignmentRepository final {
public:
    explicit AssignmentRepository(Study &study)
        : m_study(study)
    {
    }

    /// Assigns every item to `perItem` of `raterIds`, balanced across raters and
    /// seeded; tops up items that already have some of these raters. Every item in
    /// `calibrationItemIds` goes to every listed rater, flagged as calibration.
    /// Returns the number of assignments added (0 when already complete), or -1.
    int assign(const QList<qint64> &raterIds, int perItem, quint64 seed,
        const QList<qint64> &calibrationItemIds, Error *error);
    /// The rater's assignments in the rater's own order: shuffled by
    /// ratingOrderKey(orderSeed(), rater, item), calibration items mixed in like any
    /// other, the same in every session. A study without a recorded order seed (none
    /// signed in to rate yet) lists calibration items first, then by item id.
    QList<Assignment> forRater(qint64 raterId) const;
    /// forRater()'s item ids, in the same order, without the rest of each assignment: read
    /// from the (rater_id, item_id) index alone (no assignment row), for the rating page's
    /// queue at sign-in; the rows are read a window at a time with forRaterItems().
    QList<qint64> queueForRater(qint64 raterId) const;
    /// The rater's assignments of `itemIds` (a window of queueForRater(), at most a few
    /// hundred), in the order of `itemIds`; items not assigned to the rater are left out.
    /// Returns false with `error` when the read failed.
    bool forRaterItems(
        qint64 raterId, const QList<qint64> &itemIds, QList<Assignment> *out, Error *error) const;
    /// How many of the rater's assignments there are, are done, skipped, and skipped as
    /// distressing (skip reason 'distressing', whatever the status now): tally_rater on
    /// SQLite (kept by triggers: no assignment read), one aggregate over the rater's rows
    /// on PostgreSQL (a rater login reads its own rows only). nullopt when unreadable.
    struct Progress {
        qint64 assigned = 0;
        qint64 done = 0;
        qint64 skipped = 0;
        qint64 distressing = 0;
    };
    std::optional<Progress> progress(qint64 raterId) const;
    /// The study's seed of the raters' item orders (meta `rater_order_seed`); empty when
    /// none is recorded yet.
    std::optional<quint64> orderSeed() const;
    /// Records a random order seed unless the study has one; returns the seed in effect.
    std::optional<quint64> ensureOrderSeed(Error *error);
    bool setStatus(qint64 assignmentId, const QString &status, Error *error);
    /// Marks done the rater's pending or in-progress assignments whose item already
    /// carries the rater's category label and a rating of every response (ratings
    /// imported, e.g. from a bundle, rather than made in the workspace). One
    /// transaction and one event; returns how many changed, or -1 with `error`.
    int completeFromStoredRatings(qint64 raterId, Error *error);
    bool setFlagged(qint64 assignmentId, bool flagged, Error *error);

private:
    Study &m_study;
};

/// Category labels and response ratings. Values are validated against the
/// study's current protocol; every change is logged with its before/after value.
class RatingRepository final {
public:
    explicit RatingRepository(Study &study)
        : m_study(study)
    {
    }

    bool setCategoryLabel(const CategoryLabel &label, Error *error);
    bool clearCategoryLabel(qint64 itemId, qint64 raterId, Error *error);
    std::optional<CategoryLabel> categoryLabel(qint64 itemId, qint64 raterId) const;

    bool setResponseRating(const ResponseRating &rating, Error *error);
    bool clearResponseRating(qint64 responseId, qint64 raterId, Error *error);
    std::optional<ResponseRating> responseRating(qint64 responseId, qint64 raterId) const;
    /// Ratings by one rater on the responses of one item (never other raters').
    QList<ResponseRating> ratingsForItem(qint64 itemId, qint64 raterId) const;

private:
    Study &m_study;
};

/// Final decisions by adjudicators; append-only next to the raw ratings.
class AdjudicationRepository final {
public:
    explicit AdjudicationRepository(Study &study)
        : m_study(study)
    {
    }

    /// Records an adjudication of an item's category or a response's score; returns its id or 0.
    qint64 add(const Adjudication &adjudication, Error *error);
    /// The adjudications of an item and of its responses, oldest first.
    QList<Adjudication> forItem(qint64 itemId) const;

private:
    Study &m_study;
};

/// The audit log (read side; entries are appended by every write API).
class EventLog final {
public:
    explicit EventLog(Study &study)
        : m_study(study)
    {
    }

    qint64 count() const;
    /// The newest `limit` events, newest first.
    QList<Event> recent(int limit) const;

private:
    Study &m_study;
};

} // namespace cr::storage
