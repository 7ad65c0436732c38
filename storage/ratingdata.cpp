#include "storage/ratingdata.h"

#include "analysis/summaries.h"
#include "storage/backend.h"
#include "storage/jury.h"
#include "storage/repositories.h"
#include "storage/statement.h"
#include "storage/study.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <sqlite3.h>
#include <thread>

namespace cr::storage {

namespace {

/// "A, B,,C" → {"A", "B", "C"}: the comma-separated names of a rater list.
QStringList nameList(const QString &text)
{
    QStringList names;
    for (const QString &n : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        names.append(n.trimmed());
    return names;
}

} // namespace

RaterSelection RaterSelection::fromString(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("human"))
        return { Kind::Human, {} };
    if (t == QLatin1String("llm"))
        return { Kind::Llm, {} };
    if (t == QLatin1String("all"))
        return { Kind::All, {} };
    return { Kind::Named, nameList(t) };
}

QString RaterSelection::toString() const
{
    switch (kind) {
    case Kind::Llm:
        return QStringLiteral("llm");
    case Kind::All:
        return QStringLiteral("all");
    case Kind::Named:
        return names.join(QLatin1Char(','));
    case Kind::Human:
        break;
    }
    return QStringLiteral("human");
}

namespace {

Rater juryRater(const Jury &jury)
{
    return Rater { -jury.id, jury.name, RaterKind::Llm, RaterRole::Rater, jury.name };
}

} // namespace

std::optional<QList<Rater>> selectRaters(
    Study &study, const RaterSelection &selection, Error *error)
{
    const QList<Rater> all = RaterRepository(study).all();
    QList<Rater> out;
    if (selection.kind == RaterSelection::Kind::Named) {
        for (const QString &name : selection.names) {
            const auto it = std::find_if(
                all.cbegin(), all.cend(), [&](const Rater &r) { return r.name == name; });
            if (it == all.cend()) {
                if (const auto jury = JuryRepository(study).byName(name)) {
                    if (std::none_of(out.cbegin(), out.cend(),
                            [&](const Rater &r) { return r.id == -jury->id; }))
                        out.append(juryRater(*jury));
                    continue;
                }
                *error =
                    Error::invalid(QStringLiteral("no rater '%1' in %2").arg(name, study.path()));
                return std::nullopt;
            }
            const qint64 id = it->id;
            if (std::none_of(out.cbegin(), out.cend(), [id](const Rater &r) { return r.id == id; }))
                out.append(*it);
        }
        return out;
    }
    // Groups are the raters proper; adjudicators and researchers only when named.
    for (const Rater &r : all) {
        if (r.role != RaterRole::Rater)
            continue;
        const bool take = selection.kind == RaterSelection::Kind::All
            || (selection.kind == RaterSelection::Kind::Human && r.kind == RaterKind::Human)
            || (selection.kind == RaterSelection::Kind::Llm && r.kind == RaterKind::Llm);
        if (take)
            out.append(r);
    }
    if (selection.juries && selection.kind != RaterSelection::Kind::Human) {
        Error e;
        const auto juries = JuryRepository(study).all(&e);
        if (!juries) {
            *error = e;
            return std::nullopt;
        }
        for (const Jury &j : *juries)
            out.append(juryRater(j));
    }
    return out;
}

namespace {

QHash<qint64, int> indexOf(const QList<qint64> &ids)
{
    QHash<qint64, int> index;
    index.reserve(ids.size());
    for (int i = 0; i < ids.size(); ++i)
        index.insert(ids[i], i);
    return index;
}

/// Row of an id among ids sorted ascending (as loaded ORDER BY id): a direct table when
/// the ids are dense (the usual case: rowids), else binary search; -1 when absent.
class SortedIdIndex {
public:
    explicit SortedIdIndex(const QList<qint64> &ids)
        : m_ids(ids)
    {
        if (ids.isEmpty())
            return;
        m_first = ids.front();
        const qint64 span = ids.back() - m_first + 1;
        if (span > 0 && span <= 4 * qint64(ids.size()) + 1024) {
            m_rows.assign(std::size_t(span), -1);
            for (int i = 0; i < ids.size(); ++i)
                m_rows[std::size_t(ids[i] - m_first)] = i;
        }
    }
    int rowOf(qint64 id) const
    {
        if (!m_rows.empty()) {
            const qint64 offset = id - m_first;
            return offset < 0 || offset >= qint64(m_rows.size()) ? -1 : m_rows[std::size_t(offset)];
        }
        const auto it = std::lower_bound(m_ids.cbegin(), m_ids.cend(), id);
        return it == m_ids.cend() || *it != id ? -1 : int(it - m_ids.cbegin());
    }

private:
    QList<qint64> m_ids;
    qint64 m_first = 0;
    std::vector<int> m_rows;
};

/// A few distinct names read as UTF-8 (models, categories): one shared QString each.
class SharedNames {
public:
    QString operator()(QByteArrayView utf8)
    {
        for (const auto &name : std::as_const(m_names))
            if (name.first == utf8)
                return name.second;
        m_names.append({ utf8.toByteArray(), QString::fromUtf8(utf8) });
        return m_names.last().second;
    }

private:
    QList<std::pair<QByteArray, QString>> m_names;
};

/// Row of a rater id among the matrix's raters (-1 when not selected): a direct table over
/// the ids (rater ids are small rowids; jury rows have negative ids and never match a row read).
class RaterRows {
public:
    explicit RaterRows(const QList<Rater> &raters)
    {
        for (int i = 0; i < raters.size(); ++i) {
            const qint64 id = raters[i].id;
            if (id < 0 || id > 1'000'000) {
                m_sparse.insert(id, i);
                continue;
            }
            if (std::size_t(id) >= m_rows.size())
                m_rows.resize(std::size_t(id) + 1, -1);
            m_rows[std::size_t(id)] = i;
        }
    }
    int rowOf(qint64 id) const
    {
        if (id >= 0 && std::size_t(id) < m_rows.size())
            return m_rows[std::size_t(id)];
        return m_sparse.value(id, -1);
    }

private:
    std::vector<int> m_rows;
    QHash<qint64, int> m_sparse;
};

/// Code (index in `categories`) of a category read as UTF-8, -1 when unknown; the few
/// distinct spellings are remembered.
class CategoryCodes {
public:
    explicit CategoryCodes(const QStringList &categories)
        : m_categories(categories)
    {
    }
    int operator()(QByteArrayView utf8)
    {
        for (const auto &known : std::as_const(m_codes))
            if (known.first == utf8)
                return known.second;
        const int code = int(m_categories.indexOf(QString::fromUtf8(utf8)));
        m_codes.append({ utf8.toByteArray(), code });
        return code;
    }

private:
    QStringList m_categories;
    QList<std::pair<QByteArray, int>> m_codes;
};

/// Prepares `sql` and binds the text values of `binds` in order.
bool prepareWith(RowCursor &q, const QByteArray &sql, const QVariantList &binds)
{
    if (!q.prepare(sql.constData()))
        return false;
    for (int b = 0; b < binds.size(); ++b)
        q.bindText(b + 1, binds[b].toString().toUtf8());
    return true;
}

std::nullopt_t failWith(const Study &study, const RowCursor &q, Error *error)
{
    *error = Error::storage(study.path() + QStringLiteral(": ") + q.errorMessage());
    return std::nullopt;
}

/// Group selections leave out raters with nothing in this matrix (e.g. an LLM
/// classifier in the score matrix); named raters are always kept.
template<typename T, typename Missing>
void dropEmptyRaters(const RaterSelection &selection, QList<Rater> *raters, std::vector<T> *values,
    std::size_t columns, Missing isMissing)
{
    if (selection.kind == RaterSelection::Kind::Named || columns == 0)
        return;
    QList<Rater> keptRaters;
    std::vector<T> kept;
    for (int r = 0; r < raters->size(); ++r) {
        const auto begin = values->cbegin() + std::ptrdiff_t(std::size_t(r) * columns);
        const auto end = begin + std::ptrdiff_t(columns);
        if (std::all_of(begin, end, isMissing))
            continue;
        keptRaters.append(raters->at(r));
        kept.insert(kept.end(), begin, end);
    }
    *raters = keptRaters;
    *values = std::move(kept);
}

/// SQL condition on a rating table's created_at for the filter's date range, with its binds.
QString dateCondition(const RatingFilter &filter, QVariantList *binds)
{
    QString sql;
    if (!filter.from.isNull()) {
        sql += QStringLiteral(" AND substr(created_at, 1, 10) >= ?");
        binds->append(filter.from.toString(Qt::ISODate));
    }
    if (!filter.to.isNull()) {
        sql += QStringLiteral(" AND substr(created_at, 1, 10) <= ?");
        binds->append(filter.to.toString(Qt::ISODate));
    }
    return sql;
}

/// Items kept by the filter's datasets, splits and categories (all when none is set).
std::optional<QSet<qint64>> filteredItems(Study &study, const RatingFilter &filter, Error *error)
{
    if (filter.splits.isEmpty() && filter.datasets.isEmpty() && filter.categories.isEmpty())
        return QSet<qint64>();
    std::optional<QHash<qint64, Consensus>> consensus;
    if (!filter.categories.isEmpty()) {
        consensus = consensusCategories(study, error);
        if (!consensus)
            return std::nullopt;
    }
    std::optional<QSet<qint64>> inScope =
        itemsInScope(study, filter.datasets, filter.splits, error);
    if (!inScope)
        return std::nullopt;
    QSet<qint64> kept;
    for (qint64 id : std::as_const(*inScope)) {
        if (!consensus || filter.categories.contains(consensus->value(id).category))
            kept.insert(id);
    }
    return kept;
}

} // namespace

namespace {

/// The first column of every row of `sql`, as text.
std::optional<QStringList> firstColumn(Study &study, const QString &sql, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    if (!q.exec(sql)) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    }
    QStringList values;
    while (q.next())
        values.append(q.value(0).toString());
    return values;
}

} // namespace

QString datasetName(const QString &fileOrName)
{
    QString name = QFileInfo(fileOrName.trimmed()).fileName();
    if (name.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        name.chop(5);
    return name;
}

std::optional<QStringList> itemDatasets(Study &study, Error *error)
{
    return firstColumn(study,
        QStringLiteral("SELECT DISTINCT dataset.name FROM item"
                       " JOIN dataset ON dataset.id = item.dataset_id ORDER BY 1"),
        error);
}

bool validateScope(Study &study, QStringList *datasets, const QStringList &splits, Error *error)
{
    const auto knownDatasets = itemDatasets(study, error);
    const auto knownSplits = knownDatasets ? itemSplits(study, error) : std::nullopt;
    if (!knownSplits)
        return false;
    for (QString &d : *datasets) {
        if (knownDatasets->contains(d))
            continue;
        const QString name = datasetName(d);
        if (!knownDatasets->contains(name)) {
            *error = Error::invalid(
                QStringLiteral("--dataset: '%1' is not a dataset of the study (datasets: %2)")
                    .arg(d, knownDatasets->join(QStringLiteral(", "))));
            return false;
        }
        d = name;
    }
    for (const QString &s : splits) {
        if (!knownSplits->contains(s)) {
            *error = Error::invalid(
                QStringLiteral("--split: '%1' is not a split of the study (splits: %2)")
                    .arg(s, knownSplits->join(QStringLiteral(", "))));
            return false;
        }
    }
    return true;
}

std::optional<QSet<qint64>> itemsInScope(
    Study &study, const QStringList &datasets, const QStringList &splits, Error *error)
{
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT item.id, coalesce(item.split, ''),"
                               " coalesce(dataset.name, '') FROM item"
                               " LEFT JOIN dataset ON dataset.id = item.dataset_id"))) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    }
    QSet<qint64> kept;
    while (q.next()) {
        if (!splits.isEmpty() && !splits.contains(q.value(1).toString()))
            continue;
        if (!datasets.isEmpty() && !datasets.contains(q.value(2).toString()))
            continue;
        kept.insert(q.value(0).toLongLong());
    }
    return kept;
}

std::optional<QStringList> itemSplits(Study &study, Error *error)
{
    return firstColumn(study,
        QStringLiteral("SELECT DISTINCT split FROM item WHERE split IS NOT NULL AND split <> ''"
                       " ORDER BY split"),
        error);
}

std::optional<LabelMatrix> loadLabels(
    Study &study, const RaterSelection &selection, Error *error, const RatingFilter &filter)
{
    return loadLabels(study, selection, error, filter, false);
}

std::optional<LabelMatrix> loadLabels(Study &study, const RaterSelection &selection, Error *error,
    const RatingFilter &filter, bool emptyAsCategory)
{
    const auto raters = selectRaters(study, selection, error);
    if (!raters)
        return std::nullopt;
    LabelMatrix m;
    m.raters = *raters;
    m.itemIds = ItemRepository(study).ids();
    const auto keptItems = filteredItems(study, filter, error);
    if (!keptItems)
        return std::nullopt;
    if (!filter.splits.isEmpty() || !filter.datasets.isEmpty() || !filter.categories.isEmpty())
        m.itemIds.removeIf([&](qint64 id) { return !keptItems->contains(id); });
    const protocol::Protocol protocol = study.currentProtocol();
    for (const auto &c : protocol.categories)
        m.categories.append(c.id);
    m.codes.assign(std::size_t(m.raters.size()) * std::size_t(m.itemIds.size()), -1);
    const QHash<qint64, int> items = indexOf(m.itemIds);
    const RaterRows rIndex(m.raters);
    // Native statements (RowCursor): these loops read every label of the study.
    RowCursor q(study.database());
    QVariantList binds;
    const QByteArray labelSql =
        (QStringLiteral("SELECT rater_id, item_id, category FROM category_label WHERE 1 = 1")
            + dateCondition(filter, &binds))
            .toUtf8();
    if (!prepareWith(q, labelSql, binds))
        return failWith(study, q, error);
    CategoryCodes codeOf(m.categories);
    const std::size_t columns = std::size_t(m.itemIds.size());
    while (q.next()) {
        const int r = rIndex.rowOf(q.integer(0));
        if (r < 0)
            continue;
        const auto i = items.constFind(q.integer(1));
        if (i == items.cend())
            continue;
        m.codes[std::size_t(r) * columns + std::size_t(*i)] = codeOf(q.text(2));
    }
    if (!q.errorMessage().isEmpty())
        return failWith(study, q, error);
    if (emptyAsCategory) {
        m.categories.append(QLatin1String(kEmptyCategory));
        const int code = int(m.categories.size()) - 1;
        QVariantList emptyBinds;
        const QByteArray emptySql =
            (QStringLiteral("SELECT rater_id, item_id FROM empty_label WHERE 1 = 1")
                + dateCondition(filter, &emptyBinds))
                .toUtf8();
        RowCursor e(study.database());
        if (!prepareWith(e, emptySql, emptyBinds))
            return failWith(study, e, error);
        while (e.next()) {
            const int r = rIndex.rowOf(e.integer(0));
            const auto i = items.constFind(e.integer(1));
            if (r < 0 || i == items.cend())
                continue;
            int &cell = m.codes[std::size_t(r) * columns + std::size_t(*i)];
            if (cell < 0)
                cell = code;
        }
        if (!e.errorMessage().isEmpty())
            return failWith(study, e, error);
    }
    dropEmptyRaters(
        selection, &m.raters, &m.codes, std::size_t(m.itemIds.size()), [](int c) { return c < 0; });
    return m;
}

std::optional<QHash<qint64, Consensus>> consensusCategories(
    Study &study, Error *error, const QList<qint64> *only)
{
    const QString ids = only ? dialect::idList(*only) : QString();
    QHash<qint64, Consensus> consensus;
    // Native statements (RowCursor); category names are a handful of shared strings.
    RowCursor q(study.database());
    auto fail = [&] {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.errorMessage());
        return std::nullopt;
    };
    SharedNames nameOf;
    const QString unanimous = QStringLiteral("unanimous"), majority = QStringLiteral("majority"),
                  reference = QStringLiteral("reference"),
                  adjudicated = QStringLiteral("adjudicated");
    // Human labels: read in table order (no sort in SQL) and counted per item here; the
    // outcome (the unique most frequent category, else a tie) does not depend on the order.
    QList<Rater> humans;
    if (!q.prepare("SELECT id FROM rater WHERE kind = 'human'"))
        return fail();
    while (q.next())
        humans.append(Rater { q.integer(0), {}, RaterKind::Human, RaterRole::Rater, {} });
    if (!q.errorMessage().isEmpty())
        return fail();
    const RaterRows human(humans);
    struct Vote {
        qint64 item;
        int category; // index in names
    };
    std::vector<Vote> votes;
    QList<std::pair<QByteArray, QString>> names; // the few distinct categories
    const QByteArray labelsSql =
        (QStringLiteral("SELECT item_id, rater_id, category FROM category_label")
            + (only ? QStringLiteral(" WHERE item_id IN ") + ids : QString()))
            .toUtf8();
    if (!q.prepare(labelsSql.constData()))
        return fail();
    while (q.next()) {
        if (human.rowOf(q.integer(1)) < 0)
            continue;
        const QByteArrayView category = q.text(2);
        int code = 0;
        while (code < names.size() && names[code].first != category)
            ++code;
        if (code == names.size())
            names.append({ category.toByteArray(), QString::fromUtf8(category) });
        votes.push_back({ q.integer(0), code });
    }
    if (!q.errorMessage().isEmpty())
        return fail();
    std::stable_sort(
        votes.begin(), votes.end(), [](const Vote &x, const Vote &y) { return x.item < y.item; });
    std::vector<int> counts;
    for (std::size_t v = 0; v < votes.size();) {
        const qint64 item = votes[v].item;
        counts.assign(std::size_t(names.size()), 0);
        for (; v < votes.size() && votes[v].item == item; ++v)
            ++counts[std::size_t(votes[v].category)];
        int best = -1, bestCount = 0, distinct = 0;
        bool tie = false;
        for (std::size_t c = 0; c < counts.size(); ++c) {
            if (counts[c] == 0)
                continue;
            ++distinct;
            if (counts[c] > bestCount) {
                best = int(c);
                bestCount = counts[c];
                tie = false;
            } else if (counts[c] == bestCount) {
                tie = true;
            }
        }
        if (!tie)
            consensus.insert(item, { names[best].second, distinct == 1 ? unanimous : majority });
    }
    const QByteArray referenceSql =
        (QStringLiteral("SELECT id, reference_label FROM item WHERE reference_label IS NOT NULL")
            + (only ? QStringLiteral(" AND id IN ") + ids : QString()))
            .toUtf8();
    if (!q.prepare(referenceSql.constData()))
        return fail();
    while (q.next())
        if (!consensus.contains(q.integer(0)))
            consensus.insert(q.integer(0), { nameOf(q.text(1)), reference });
    if (!q.errorMessage().isEmpty())
        return fail();
    const QByteArray adjudicatedSql =
        (QStringLiteral("SELECT item_id, category FROM adjudication"
                        " WHERE item_id IS NOT NULL AND category IS NOT NULL")
            + (only ? QStringLiteral(" AND item_id IN ") + ids : QString())
            + QStringLiteral(" ORDER BY id"))
            .toUtf8();
    if (!q.prepare(adjudicatedSql.constData()))
        return fail();
    while (q.next())
        consensus.insert(q.integer(0), { nameOf(q.text(1)), adjudicated });
    if (!q.errorMessage().isEmpty())
        return fail();
    return consensus;
}

std::optional<ScoreMatrix> loadScores(
    Study &study, const RaterSelection &selection, Error *error, const RatingFilter &filter)
{
    const auto consensus = consensusCategories(study, error);
    if (!consensus)
        return std::nullopt;
    return loadScores(study, selection, error, filter, *consensus);
}

namespace {

/// What loadScores() reads, settled on the study's connection: the raters, the items kept,
/// which jury rows each member rater votes in.
struct ScoreQuery {
    RaterSelection selection;
    RatingFilter filter;
    QList<Rater> raters;
    QSet<qint64> keptItems;
    bool itemFilter = false;
    QHash<qint64, QList<int>> juriesOf; // member rater id -> jury rows (indices in raters)
};

std::optional<ScoreQuery> scoreQuery(
    Study &study, const RaterSelection &selection, const RatingFilter &filter, Error *error)
{
    const auto raters = selectRaters(study, selection, error);
    if (!raters)
        return std::nullopt;
    auto keptItems = filteredItems(study, filter, error);
    if (!keptItems)
        return std::nullopt;
    ScoreQuery query;
    query.selection = selection;
    query.filter = filter;
    query.raters = *raters;
    query.keptItems = std::move(*keptItems);
    query.itemFilter =
        !filter.splits.isEmpty() || !filter.datasets.isEmpty() || !filter.categories.isEmpty();
    for (int r = 0; r < query.raters.size(); ++r)
        if (query.raters[r].id < 0)
            if (const auto jury = JuryRepository(study).byName(query.raters[r].name))
                for (const Rater &member : jury->members)
                    query.juriesOf[member.id].append(r);
    return query;
}

/// Reads the responses and scores of `query` on `db` into `m` (all but the categories and
/// the dropping of empty raters, see finishScores()); false with `error` set on failure.
bool readScores(const QSqlDatabase &db, const ScoreQuery &query, ScoreMatrix *out, QString *error)
{
    ScoreMatrix &m = *out;
    m.raters = query.raters;
    const RatingFilter &filter = query.filter;
    // Native statements (RowCursor): these loops read every response and score. The
    // responses' (id, item, model) come from the (item, model, run) index without reading
    // the response texts, and are put in id order here; models and adjudicated scores are
    // read apart (a response's adjudicated score is its latest adjudication with a score).
    RowCursor q(db);
    auto fail = [&](const RowCursor &c) {
        *error = c.errorMessage();
        return false;
    };
    if (!q.prepare("SELECT id, name FROM model"))
        return fail(q);
    QHash<qint64, QString> modelNames; // a handful
    while (q.next())
        modelNames.insert(q.integer(0), QString::fromUtf8(q.text(1)));
    if (!q.errorMessage().isEmpty())
        return fail(q);
    QHash<qint64, int> adjudicatedScores;
    if (!q.prepare("SELECT response_id, score FROM adjudication"
                   " WHERE response_id IS NOT NULL AND score IS NOT NULL ORDER BY id"))
        return fail(q);
    while (q.next())
        adjudicatedScores.insert(q.integer(0), int(q.integer(1)));
    if (!q.errorMessage().isEmpty())
        return fail(q);
    struct ResponseRow {
        qint64 id, item, model;
    };
    std::vector<ResponseRow> rows;
    if (!q.prepare("SELECT id, item_id, model_id FROM response"))
        return fail(q);
    while (q.next())
        rows.push_back({ q.integer(0), q.integer(1), q.integer(2) });
    if (!q.errorMessage().isEmpty())
        return fail(q);
    const auto byId = [](const ResponseRow &x, const ResponseRow &y) { return x.id < y.id; };
    if (!std::is_sorted(rows.cbegin(), rows.cend(), byId))
        std::sort(rows.begin(), rows.end(), byId);
    m.responseIds.reserve(qsizetype(rows.size()));
    m.models.reserve(qsizetype(rows.size()));
    m.itemIds.reserve(qsizetype(rows.size()));
    m.adjudicated.reserve(rows.size());
    for (const ResponseRow &row : rows) {
        const auto model = modelNames.constFind(row.model);
        if (model == modelNames.cend()) // as the join with model did
            continue;
        if (!filter.models.isEmpty() && !filter.models.contains(*model))
            continue;
        if (query.itemFilter && !query.keptItems.contains(row.item))
            continue;
        m.responseIds.append(row.id);
        m.models.append(*model);
        m.itemIds.append(row.item);
        const auto adjudicated = adjudicatedScores.constFind(row.id);
        m.adjudicated.push_back(adjudicated == adjudicatedScores.cend()
                ? std::nullopt
                : std::optional<int>(*adjudicated));
    }
    rows = {};
    const std::size_t n = std::size_t(m.responseIds.size());
    m.scores.assign(std::size_t(m.raters.size()) * n, std::numeric_limits<double>::quiet_NaN());
    const SortedIdIndex responses(m.responseIds);
    const RaterRows rIndex(m.raters);
    // Juries: sums and counts per jury cell of their members' scores.
    const QHash<qint64, QList<int>> &juriesOf = query.juriesOf;
    std::vector<double> jurySum(juriesOf.isEmpty() ? 0 : m.scores.size(), 0.0);
    std::vector<int> juryCount(jurySum.size(), 0);
    QVariantList binds;
    const QByteArray scoreSql =
        (QStringLiteral("SELECT rater_id, response_id, score FROM response_rating"
                        " WHERE score IS NOT NULL")
            + dateCondition(filter, &binds))
            .toUtf8();
    RowCursor scores(db);
    if (!prepareWith(scores, scoreSql, binds))
        return fail(scores);
    while (scores.next()) {
        const qint64 raterId = scores.integer(0);
        const int r = rIndex.rowOf(raterId);
        const int i = responses.rowOf(scores.integer(1));
        if (i < 0)
            continue;
        const double score = scores.real(2);
        if (const auto j = juriesOf.constFind(raterId); j != juriesOf.cend())
            for (const int row : *j) {
                jurySum[std::size_t(row) * n + std::size_t(i)] += score;
                ++juryCount[std::size_t(row) * n + std::size_t(i)];
            }
        if (r < 0)
            continue;
        m.scores[std::size_t(r) * n + std::size_t(i)] = score;
    }
    if (!scores.errorMessage().isEmpty())
        return fail(scores);
    for (std::size_t c = 0; c < juryCount.size(); ++c)
        if (juryCount[c] > 0)
            m.scores[c] = jurySum[c] / juryCount[c];
    return true;
}

/// The per-response consensus categories, and the group selections' empty raters dropped.
void finishScores(
    const ScoreQuery &query, const QHash<qint64, Consensus> &consensus, ScoreMatrix *m)
{
    m->categories.clear();
    m->categories.reserve(m->itemIds.size());
    qint64 lastItem = 0;
    QString lastCategory;
    for (qsizetype i = 0; i < m->itemIds.size(); ++i) {
        const qint64 item = m->itemIds[i];
        if (i == 0 || item != lastItem) { // responses of an item are usually adjacent
            lastItem = item;
            lastCategory = consensus.value(item).category;
        }
        m->categories.append(lastCategory);
    }
    dropEmptyRaters(query.selection, &m->raters, &m->scores, std::size_t(m->responseIds.size()),
        [](double v) { return std::isnan(v); });
}

std::atomic<quint64> scoreLoadConnections { 0 };

} // namespace

std::optional<ScoreMatrix> loadScores(Study &study, const RaterSelection &selection, Error *error,
    const RatingFilter &filter, const QHash<qint64, Consensus> &consensus)
{
    const auto query = scoreQuery(study, selection, filter, error);
    if (!query)
        return std::nullopt;
    ScoreMatrix m;
    QString message;
    if (!readScores(study.database(), *query, &m, &message)) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + message);
        return std::nullopt;
    }
    finishScores(*query, consensus, &m);
    return m;
}

struct ScoreLoad::State {
    Study *study = nullptr;
    std::optional<ScoreQuery> query;
    Error queryError;
    std::thread worker;
    bool onWorker = false;
    bool read = false; // the worker read the matrix
    ScoreMatrix matrix;
    QString workerError;
};

ScoreLoad::ScoreLoad(Study &study, const RaterSelection &selection, const RatingFilter &filter)
    : d(std::make_unique<State>())
{
    d->study = &study;
    d->query = scoreQuery(study, selection, filter, &d->queryError);
    if (!d->query)
        return;
    // A worker only on SQLite, outside a transaction (its own connection would not see the
    // transaction's writes), on a study file.
    const NativeConnection native = nativeConnection(study.database());
    if (study.engine() != Engine::Sqlite || !native.sqlite || !sqlite3_get_autocommit(native.sqlite)
        || !QFileInfo(study.path()).isFile())
        return;
    d->onWorker = true;
    State *state = d.get();
    const QString path = study.path();
    d->worker = std::thread([state, path] {
        const QString name = QStringLiteral("cr-score-load-%1").arg(++scoreLoadConnections);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            db.setConnectOptions(
                QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"));
            // SQLite's default page cache (2 MB): the reads are scans, a large cache would
            // only add to the peak memory.
            if (db.open()) {
                state->read = readScores(db, *state->query, &state->matrix, &state->workerError);
            } else {
                state->workerError = db.lastError().text();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    });
}

ScoreLoad::~ScoreLoad()
{
    if (d && d->worker.joinable())
        d->worker.join();
}

std::optional<ScoreMatrix> ScoreLoad::take(const QHash<qint64, Consensus> &consensus, Error *error)
{
    if (!d->query) {
        *error = d->queryError;
        return std::nullopt;
    }
    if (d->worker.joinable())
        d->worker.join();
    if (!d->read) {
        // Not started, or the worker's connection failed: read on the study's connection.
        d->matrix = ScoreMatrix {};
        QString message;
        if (!readScores(d->study->database(), *d->query, &d->matrix, &message)) {
            *error = Error::storage(d->study->path() + QStringLiteral(": ") + message);
            return std::nullopt;
        }
    }
    finishScores(*d->query, consensus, &d->matrix);
    d->read = false;
    return std::move(d->matrix);
}

bool ScoreLoad::usedWorker() const
{
    // The worker writes workerError: wait for it before reading (take() has, usually).
    if (d->worker.joinable())
        d->worker.join();
    return d->onWorker && d->workerError.isEmpty();
}

CategorySource CategorySource::fromString(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("consensus"))
        return { Kind::Consensus, {} };
    if (t == QLatin1String("reference"))
        return { Kind::Reference, {} };
    return { Kind::Raters, nameList(t) };
}

QString CategorySource::toString() const
{
    switch (kind) {
    case Kind::Reference:
        return QStringLiteral("reference");
    case Kind::Raters:
        return raters.join(QLatin1Char(','));
    case Kind::Consensus:
        break;
    }
    return QStringLiteral("consensus");
}

std::optional<SourceCategories> sourceCategories(
    Study &study, const CategorySource &source, Error *error)
{
    SourceCategories out;
    if (source.kind == CategorySource::Kind::Consensus) {
        auto consensus = consensusCategories(study, error);
        if (!consensus)
            return std::nullopt;
        out.categories = std::move(*consensus);
        return out;
    }
    if (source.kind == CategorySource::Kind::Reference) {
        QSqlQuery q(study.database());
        q.setForwardOnly(true);
        if (!q.exec(
                QStringLiteral("SELECT id, reference_label FROM item"
                               " WHERE reference_label IS NOT NULL AND reference_label <> ''"))) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
            return std::nullopt;
        }
        while (q.next())
            out.categories.insert(
                q.value(0).toLongLong(), { q.value(1).toString(), QStringLiteral("reference") });
        return out;
    }
    // A rater group: juries stand for their members.
    RaterSelection voters { RaterSelection::Kind::Named, {} };
    for (const QString &name : source.raters) {
        if (!RaterRepository(study).byName(name)) {
            if (const auto jury = JuryRepository(study).byName(name)) {
                for (const Rater &member : jury->members)
                    voters.names.append(member.name);
                continue;
            }
        }
        voters.names.append(name);
    }
    voters.names.removeDuplicates();
    if (voters.names.isEmpty()) {
        *error = Error::invalid(QStringLiteral("no rater named"));
        return std::nullopt;
    }
    const auto labels = loadLabels(study, voters, error);
    if (!labels)
        return std::nullopt;
    out.raters = voters.names;
    std::vector<int> counts(std::size_t(labels->categories.size()));
    for (int i = 0; i < labels->itemIds.size(); ++i) {
        std::fill(counts.begin(), counts.end(), 0);
        int distinct = 0;
        for (int r = 0; r < labels->raters.size(); ++r)
            if (const int c = labels->code(r, i); c >= 0)
                distinct += counts[std::size_t(c)]++ == 0;
        const int best = analysis::uniqueMajority(counts);
        if (best >= 0)
            out.categories.insert(labels->itemIds[i],
                { labels->categories[best],
                    distinct == 1 ? QStringLiteral("unanimous") : QStringLiteral("majority") });
        else if (distinct > 1)
            ++out.ties;
    }
    return out;
}

bool recordEmptyLabel(Study &study, qint64 itemId, qint64 raterId, Error *error)
{
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("INSERT INTO empty_label(item_id, rater_id, created_at)"
                             " VALUES (?, ?, ?) ON CONFLICT(item_id, rater_id) DO NOTHING"));
    q.addBindValue(itemId);
    q.addBindValue(raterId);
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return false;
    }
    return true;
}

} // namespace cr::storage
