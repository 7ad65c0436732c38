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
#include <cmath>
#include <limits>

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

QHash<qint64, int> raterIndex(const QList<Rater> &raters)
{
    QHash<qint64, int> index;
    for (int i = 0; i < raters.size(); ++i)
        index.insert(raters[i].id, i);
    return index;
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

bool execWith(QSqlQuery &q, const QString &sql, const QVariantList &binds)
{
    if (!q.prepare(sql))
        return false;
    for (const QVariant &b : binds)
        q.addBindValue(b);
    return q.exec();
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
    const QHash<qint64, int> rIndex = raterIndex(m.raters);
    QSqlQuery q(study.database());
    q.setForwardOnly(true);
    QVariantList binds;
    const QString labelSql =
        QStringLiteral("SELECT rater_id, item_id, category FROM category_label WHERE 1 = 1")
        + dateCondition(filter, &binds);
    if (!execWith(q, labelSql, binds)) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
        return std::nullopt;
    }
    while (q.next()) {
        const auto r = rIndex.constFind(q.value(0).toLongLong());
        const auto i = items.constFind(q.value(1).toLongLong());
        if (r == rIndex.cend() || i == items.cend())
            continue;
        const int code = int(m.categories.indexOf(q.value(2).toString()));
        m.codes[std::size_t(*r) * std::size_t(m.itemIds.size()) + std::size_t(*i)] = code;
    }
    if (emptyAsCategory) {
        m.categories.append(QLatin1String(kEmptyCategory));
        const int code = int(m.categories.size()) - 1;
        QVariantList emptyBinds;
        const QString emptySql =
            QStringLiteral("SELECT rater_id, item_id FROM empty_label WHERE 1 = 1")
            + dateCondition(filter, &emptyBinds);
        if (!execWith(q, emptySql, emptyBinds)) {
            *error = Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
            return std::nullopt;
        }
        while (q.next()) {
            const auto r = rIndex.constFind(q.value(0).toLongLong());
            const auto i = items.constFind(q.value(1).toLongLong());
            if (r == rIndex.cend() || i == items.cend())
                continue;
            int &cell = m.codes[std::size_t(*r) * std::size_t(m.itemIds.size()) + std::size_t(*i)];
            if (cell < 0)
                cell = code;
        }
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
    const QByteArray labelsSql =
        (QStringLiteral("SELECT item_id, category, count(*) FROM category_label l"
                        " JOIN rater ON rater.id = l.rater_id AND rater.kind = 'human'")
            + (only ? QStringLiteral(" WHERE l.item_id IN ") + ids : QString())
            + QStringLiteral(" GROUP BY item_id, category ORDER BY item_id"))
            .toUtf8();
    if (!q.prepare(labelsSql.constData()))
        return fail();
    qint64 current = 0;
    QString best;
    qint64 bestCount = 0;
    int distinct = 0;
    bool tie = false;
    auto flush = [&] {
        if (current != 0 && !tie)
            consensus.insert(current, { best, distinct == 1 ? unanimous : majority });
    };
    while (q.next()) {
        const qint64 item = q.integer(0);
        const qint64 count = q.integer(2);
        if (item != current) {
            flush();
            current = item;
            best = nameOf(q.text(1));
            bestCount = count;
            distinct = 1;
            tie = false;
            continue;
        }
        ++distinct;
        if (count > bestCount) {
            best = nameOf(q.text(1));
            bestCount = count;
            tie = false;
        } else if (count == bestCount) {
            tie = true;
        }
    }
    if (!q.errorMessage().isEmpty())
        return fail();
    flush();
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

std::optional<ScoreMatrix> loadScores(Study &study, const RaterSelection &selection, Error *error,
    const RatingFilter &filter, const QHash<qint64, Consensus> &consensus)
{
    const auto raters = selectRaters(study, selection, error);
    if (!raters)
        return std::nullopt;
    const QSqlDatabase db = study.database();
    const auto keptItems = filteredItems(study, filter, error);
    if (!keptItems)
        return std::nullopt;
    const bool itemFilter =
        !filter.splits.isEmpty() || !filter.datasets.isEmpty() || !filter.categories.isEmpty();
    auto fail = [&](const RowCursor &q) {
        *error = Error::storage(study.path() + QStringLiteral(": ") + q.errorMessage());
        return std::nullopt;
    };

    ScoreMatrix m;
    m.raters = *raters;
    // Native statements (RowCursor): these loops read every response and score.
    RowCursor q(db);
    if (!q.prepare("SELECT response.id, model.name, response.item_id,"
                   " (SELECT score FROM adjudication a WHERE a.response_id = response.id"
                   "  AND a.score IS NOT NULL ORDER BY a.id DESC LIMIT 1)"
                   " FROM response JOIN model ON model.id = response.model_id"
                   " ORDER BY response.id"))
        return fail(q);
    SharedNames modelName; // a handful: one shared QString each
    while (q.next()) {
        const QString model = modelName(q.text(1));
        if (!filter.models.isEmpty() && !filter.models.contains(model))
            continue;
        const qint64 itemId = q.integer(2);
        if (itemFilter && !keptItems->contains(itemId))
            continue;
        m.responseIds.append(q.integer(0));
        m.models.append(model);
        m.itemIds.append(itemId);
        m.categories.append(consensus.value(itemId).category);
        m.adjudicated.push_back(q.isNull(3) ? std::nullopt : std::optional<int>(int(q.integer(3))));
    }
    if (!q.errorMessage().isEmpty())
        return fail(q);
    const std::size_t n = std::size_t(m.responseIds.size());
    m.scores.assign(std::size_t(m.raters.size()) * n, std::numeric_limits<double>::quiet_NaN());
    const SortedIdIndex responses(m.responseIds);
    const QHash<qint64, int> rIndex = raterIndex(m.raters);
    // Juries: per member rater, the jury rows it votes in; sums and counts per jury cell.
    QHash<qint64, QList<int>> juriesOf;
    for (int r = 0; r < m.raters.size(); ++r)
        if (m.raters[r].id < 0)
            if (const auto jury = JuryRepository(study).byName(m.raters[r].name))
                for (const Rater &member : jury->members)
                    juriesOf[member.id].append(r);
    std::vector<double> jurySum(juriesOf.isEmpty() ? 0 : m.scores.size(), 0.0);
    std::vector<int> juryCount(jurySum.size(), 0);
    QVariantList binds;
    const QByteArray scoreSql =
        (QStringLiteral("SELECT rater_id, response_id, score FROM response_rating"
                        " WHERE score IS NOT NULL")
            + dateCondition(filter, &binds))
            .toUtf8();
    RowCursor scores(db);
    if (!scores.prepare(scoreSql.constData()))
        return fail(scores);
    for (int b = 0; b < binds.size(); ++b)
        scores.bindText(b + 1, binds[b].toString().toUtf8());
    while (scores.next()) {
        const qint64 raterId = scores.integer(0);
        const auto r = rIndex.constFind(raterId);
        const int i = responses.rowOf(scores.integer(1));
        if (i < 0)
            continue;
        const double score = scores.real(2);
        if (const auto j = juriesOf.constFind(raterId); j != juriesOf.cend())
            for (const int row : *j) {
                jurySum[std::size_t(row) * n + std::size_t(i)] += score;
                ++juryCount[std::size_t(row) * n + std::size_t(i)];
            }
        if (r == rIndex.cend())
            continue;
        m.scores[std::size_t(*r) * n + std::size_t(i)] = score;
    }
    if (!scores.errorMessage().isEmpty())
        return fail(scores);
    for (std::size_t c = 0; c < juryCount.size(); ++c)
        if (juryCount[c] > 0)
            m.scores[c] = jurySum[c] / juryCount[c];
    dropEmptyRaters(selection, &m.raters, &m.scores, n, [](double v) { return std::isnan(v); });
    return m;
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
