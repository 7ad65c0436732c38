#include "storage/exporter.h"

#include "storage/consensus.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/statement.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <cmath>

namespace cr::storage {

namespace {

bool startsLikeFormula(QByteArrayView cell)
{
    if (cell.isEmpty())
        return false;
    switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\'':
        return true;
    default:
        return false;
    }
}

/// RFC 4180: quote fields holding a comma, quote or line break; double the quotes.
/// A text field is neutralised unless `raw` (see ExportOptions::rawCells).
void appendCsvField(QByteArray &line, QByteArrayView text, bool raw)
{
    QByteArray neutralised;
    QByteArrayView field = text;
    if (!raw && startsLikeFormula(text)) {
        neutralised = neutraliseCsvCell(text);
        field = neutralised;
    }
    for (const char c : field) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            line += '"';
            line += field.toByteArray().replace("\"", "\"\"");
            line += '"';
            return;
        }
    }
    line.append(field);
}

/// One CSV line; the fields at `textColumns` are text cells (neutralised unless
/// `raw`), the others numbers or fixed words, written as they are.
QByteArray csvLine(
    const QList<QByteArray> &fields, const QList<qsizetype> &textColumns = {}, bool raw = true)
{
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            line += ',';
        appendCsvField(line, fields[i], raw || !textColumns.contains(i));
    }
    return line + '\n';
}

QByteArray checklistField(const QByteArray &json)
{
    if (json.isEmpty())
        return {};
    QStringList ids;
    for (const auto &v : QJsonDocument::fromJson(json).array())
        ids.append(v.toString());
    return ids.join(QLatin1Char(';')).toUtf8();
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 15);
}

qint64 scalar(Study &study, const char *sql)
{
    QSqlQuery q(study.database());
    return q.exec(QString::fromLatin1(sql)) && q.next() ? q.value(0).toLongLong() : 0;
}

bool writeAll(QIODevice &out, const QByteArray &data, Error *error)
{
    if (out.write(data) == data.size())
        return true;
    *error = Error::storage(QStringLiteral("cannot write the export: ") + out.errorString());
    return false;
}

/// The long CSV: one row per kept rating, in the order of the items and their
/// responses, plus the label-only rows of each item. Single use: write() once.
class LongCsvWriter final {
public:
    LongCsvWriter(Study &study, const ExportOptions &options, const ResolvedExportFilter &filter,
        const QHash<qint64, ScoreConsensus> &scoreConsensus)
        : m_study(study)
        , m_options(options)
        , m_filter(filter)
        , m_scoreConsensus(scoreConsensus)
        // With a model or minimum-raters filter, an item none of whose responses is
        // kept is out of the export, labels included.
        , m_responseFilter(!options.filters.models.isEmpty() || options.filters.minRaters > 0)
    {
    }

    /// Returns the number of data rows, or -1 with `error` set.
    qint64 write(QIODevice &out, Error *error);

private:
    struct Label {
        qint64 rater;
        QByteArray category, ratedAt;
        qint64 protocol;
        bool scored; // the rater has a score row on the item in this export
    };

    /// A text cell (ids, names, labels, checklist, rationale, dates).
    void appendText(QByteArray &line, QByteArrayView field) const
    {
        appendCsvField(line, field, m_options.rawCells);
    }
    bool loadLookups();
    bool prepare(bool pseudonymsInIdOrder, Error *error);
    qint64 failed(const Statement &s, Error *error) const;
    void startItem(qint64 itemId);
    void startResponse(qint64 responseId);
    bool writeRatings(qint64 responseId, Error *error);
    void appendRatingRow(qint64 raterId);
    void flushLabelOnlyRows();
    const Label *markScored(qint64 raterId);

    Study &m_study;
    const ExportOptions &m_options;
    const ResolvedExportFilter &m_filter;
    const QHash<qint64, ScoreConsensus> &m_scoreConsensus;
    const bool m_responseFilter;

    QHash<qint64, std::pair<QByteArray, QByteArray>> m_raters; // id -> (shown name, kind)
    QHash<qint64, QByteArray> m_protocolVersions;
    Statement m_responses, m_ratings, m_labels;

    qint64 m_rows = 0, m_seen = 0;
    QByteArray m_buffer;
    qint64 m_labelsItem = -1;
    bool m_itemKept = false, m_itemHasRows = false;
    QList<Label> m_itemLabels; // for m_labelsItem, in pseudonym order
    QByteArray m_itemPart; // item_id, dataset, split, category_consensus
    QByteArray m_itemTail; // adjudicated_category, category_consensus_how
    QByteArray m_responsePart; // the row's first 7 fields, shared by the response's ratings
    QByteArray m_adjudicatedPart;
};

qint64 LongCsvWriter::write(QIODevice &out, Error *error)
{
    const qint64 total = scalar(m_study, "SELECT count(*) FROM response_rating");
    if (!prepare(loadLookups(), error))
        return -1;
    if (!writeAll(out,
            "item_id,dataset,split,category_consensus,model,run,response_id,rater,"
            "rater_kind,score,cannot_assess,category,checklist,rationale,shown_position,"
            "protocol_version,rated_at,seconds_spent,adjudicated_score,adjudicated_category,"
            "category_consensus_how,score_consensus,score_consensus_how\n",
            error))
        return -1;
    while (true) {
        if (!m_responses.step())
            return failed(m_responses, error);
        if (!m_responses.hasRow())
            break;
        const qint64 itemId = m_responses.columnInt(1);
        if (itemId != m_labelsItem)
            startItem(itemId);
        if (!m_itemKept || m_responses.columnIsNull(0))
            continue;
        const qint64 responseId = m_responses.columnInt(0);
        if (!m_filter.keepResponse(responseId, m_responses.columnText(5)))
            continue;
        m_itemHasRows = true;
        startResponse(responseId);
        if (!writeRatings(responseId, error))
            return -1;
        if (m_buffer.size() >= (1 << 20)) {
            if (!writeAll(out, m_buffer, error))
                return -1;
            m_buffer.clear();
            if (m_options.progress)
                m_options.progress(m_seen, total);
        }
    }
    flushLabelOnlyRows();
    if (!writeAll(out, m_buffer, error))
        return -1;
    if (m_options.progress)
        m_options.progress(total, total);
    return m_rows;
}

/// Small lookups instead of per-rating joins: raters and protocol versions. Returns
/// whether the raters' pseudonym order is their id order.
bool LongCsvWriter::loadLookups()
{
    QList<Rater> all = RaterRepository(m_study).all();
    for (const Rater &r : std::as_const(all))
        m_raters.insert(r.id,
            { (m_options.realNames ? r.name : r.pseudonym).toUtf8(),
                storage::toString(r.kind).toUtf8() });
    // Raters come in pseudonym order; usually that is id order, which the
    // (response_id, rater_id) index gives without a sort.
    std::sort(all.begin(), all.end(), [](const Rater &a, const Rater &b) { return a.id < b.id; });
    const bool pseudonymsInIdOrder =
        std::is_sorted(all.cbegin(), all.cend(), [](const Rater &a, const Rater &b) {
            return std::pair(a.pseudonym.size(), a.pseudonym)
                < std::pair(b.pseudonym.size(), b.pseudonym);
        });
    QSqlQuery q(m_study.database());
    if (q.exec(QStringLiteral("SELECT id, version FROM protocol")))
        while (q.next())
            m_protocolVersions.insert(q.value(0).toLongLong(), q.value(1).toString().toUtf8());
    return pseudonymsInIdOrder;
}

/// Items and their responses in export order (the outer loop; an item without
/// responses comes once with a null response), each response's ratings, each
/// item's labels. Within a response, raters in pseudonym order (R001, R002, ...),
/// which a re-import keeps, so export → import → export is byte-identical.
bool LongCsvWriter::prepare(bool pseudonymsInIdOrder, Error *error)
{
    const QByteArray ratingsSql =
        QByteArray(
            "SELECT rr.rater_id, rr.score, rr.cannot_assess, rr.checklist, rr.rationale,"
            " p.position, rr.protocol_id, rr.updated_at, rr.seconds_spent FROM response_rating rr")
        + (pseudonymsInIdOrder ? "" : " JOIN rater ON rater.id = rr.rater_id")
        + " LEFT JOIN presentation p ON p.rater_id = rr.rater_id AND p.response_id = rr.response_id"
          " WHERE rr.response_id = ? ORDER BY "
        + (pseudonymsInIdOrder ? "rr.rater_id" : "length(rater.pseudonym), rater.pseudonym");
    QString message;
    const NativeConnection db = nativeConnection(m_study.database());
    if (!m_responses.prepare(db,
            "SELECT response.id, item.id, item.external_id, dataset.name, item.split, model.name,"
            " response.run,"
            " (SELECT score FROM adjudication a WHERE a.response_id = response.id"
            "  AND a.score IS NOT NULL ORDER BY a.id DESC LIMIT 1),"
            " (SELECT category FROM adjudication a WHERE a.item_id = item.id"
            "  AND a.category IS NOT NULL ORDER BY a.id DESC LIMIT 1)"
            " FROM item LEFT JOIN response ON item.id = response.item_id"
            " LEFT JOIN dataset ON dataset.id = item.dataset_id"
            " LEFT JOIN model ON model.id = response.model_id"
            " ORDER BY item.id, model.name, response.run",
            &message)
        || !m_ratings.prepare(db, ratingsSql.constData(), &message)
        || !m_labels.prepare(db,
            "SELECT category_label.rater_id, category_label.category, category_label.updated_at,"
            " category_label.protocol_id"
            " FROM category_label JOIN rater ON rater.id = category_label.rater_id"
            " WHERE item_id = ? ORDER BY length(rater.pseudonym), rater.pseudonym",
            &message)) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return false;
    }
    return true;
}

qint64 LongCsvWriter::failed(const Statement &s, Error *error) const
{
    *error = Error::storage(m_study.path() + QStringLiteral(": ") + s.errorMessage());
    return -1;
}

/// At the first response row of an item: the previous item's label-only rows, then
/// this item's labels and the fields its rows share.
void LongCsvWriter::startItem(qint64 itemId)
{
    flushLabelOnlyRows();
    m_labelsItem = itemId;
    m_itemHasRows = false;
    m_itemKept = m_filter.keepItem(itemId, m_responses.columnText(4));
    if (!m_itemKept)
        return;
    m_itemLabels.clear();
    m_labels.bindInt(1, itemId);
    while (m_labels.step() && m_labels.hasRow())
        m_itemLabels.append({ m_labels.columnInt(0), m_labels.columnText(1), m_labels.columnText(2),
            m_labels.columnInt(3), false });
    m_labels.reset();
    m_itemPart.clear();
    appendText(m_itemPart, m_responses.columnText(2));
    m_itemPart += ',';
    appendText(m_itemPart, m_responses.columnText(3));
    m_itemPart += ',';
    appendText(m_itemPart, m_responses.columnText(4));
    m_itemPart += ',';
    appendText(m_itemPart, m_filter.consensus().value(itemId).category.toUtf8());
    m_itemTail.clear();
    appendText(m_itemTail, m_responses.columnText(8));
    m_itemTail += ',';
    m_itemTail += m_filter.consensus().value(itemId).how.toUtf8();
}

/// The fields the response's rating rows share: its first 7 and its last 5.
void LongCsvWriter::startResponse(qint64 responseId)
{
    m_responsePart = m_itemPart;
    m_responsePart += ',';
    appendText(m_responsePart, m_responses.columnText(5));
    m_responsePart += ',';
    m_responsePart += QByteArray::number(m_responses.columnInt(6));
    m_responsePart += ',';
    m_responsePart += QByteArray::number(responseId);
    m_responsePart += ',';
    m_adjudicatedPart.clear();
    m_adjudicatedPart += m_responses.columnText(7);
    m_adjudicatedPart += ',';
    m_adjudicatedPart += m_itemTail;
    m_adjudicatedPart += ',';
    if (const auto sc = m_scoreConsensus.constFind(responseId); sc != m_scoreConsensus.cend()) {
        m_adjudicatedPart += number(sc->score);
        m_adjudicatedPart += ',';
        m_adjudicatedPart += sc->how.toUtf8();
    } else {
        m_adjudicatedPart += ',';
    }
    m_adjudicatedPart += '\n';
}

bool LongCsvWriter::writeRatings(qint64 responseId, Error *error)
{
    m_ratings.bindInt(1, responseId);
    while (true) {
        if (!m_ratings.step()) {
            failed(m_ratings, error);
            return false;
        }
        if (!m_ratings.hasRow())
            break;
        ++m_seen;
        const qint64 raterId = m_ratings.columnInt(0);
        if (m_filter.keepRater(raterId))
            appendRatingRow(raterId);
    }
    m_ratings.reset();
    return true;
}

/// One rating row from the current row of m_ratings, with the rater's label.
void LongCsvWriter::appendRatingRow(qint64 raterId)
{
    const Label *label = markScored(raterId);
    const auto &rater = m_raters.value(raterId);
    m_buffer += m_responsePart;
    appendText(m_buffer, rater.first);
    m_buffer += ',';
    m_buffer += rater.second;
    m_buffer += ',';
    m_buffer.append(m_ratings.columnView(1));
    m_buffer += ',';
    m_buffer.append(m_ratings.columnInt(2) ? QByteArrayView("true,") : QByteArrayView("false,"));
    if (label)
        appendText(m_buffer, label->category);
    m_buffer += ',';
    appendText(m_buffer, checklistField(m_ratings.columnText(3)));
    m_buffer += ',';
    appendText(m_buffer, m_ratings.columnView(4));
    m_buffer += ',';
    m_buffer.append(m_ratings.columnView(5));
    m_buffer += ',';
    appendText(m_buffer, m_protocolVersions.value(m_ratings.columnInt(6)));
    m_buffer += ',';
    appendText(m_buffer, m_ratings.columnView(7));
    m_buffer += ',';
    if (!m_ratings.columnIsNull(8))
        m_buffer += number(m_ratings.columnDouble(8));
    m_buffer += ',';
    m_buffer += m_adjudicatedPart;
    ++m_rows;
}

// A rater's category label reaches the file on their score rows; the label of a
// rater with no score row on the item (an LLM classifier, a clinician who only
// labelled, or whose scored responses a --model / --min-raters filter left out)
// gets a row of its own, without a response: every kept item carries every kept
// rater's label exactly once.
void LongCsvWriter::flushLabelOnlyRows()
{
    if (!m_itemKept || (m_responseFilter && !m_itemHasRows))
        return;
    for (const Label &label : std::as_const(m_itemLabels)) {
        if (label.scored || !m_filter.keepRater(label.rater))
            continue;
        const auto &rater = m_raters.value(label.rater);
        m_buffer += m_itemPart;
        m_buffer += ",,,,"; // model, run, response_id
        appendText(m_buffer, rater.first);
        m_buffer += ',';
        m_buffer += rater.second;
        m_buffer += ",,,"; // score, cannot_assess
        appendText(m_buffer, label.category);
        m_buffer += ",,,,"; // checklist, rationale, shown_position
        appendText(m_buffer, m_protocolVersions.value(label.protocol));
        m_buffer += ',';
        appendText(m_buffer, label.ratedAt);
        m_buffer += ",,,"; // seconds_spent, adjudicated_score
        m_buffer += m_itemTail;
        m_buffer += ",,\n"; // score_consensus, score_consensus_how
        ++m_rows;
    }
}

const LongCsvWriter::Label *LongCsvWriter::markScored(qint64 raterId)
{
    for (Label &l : m_itemLabels)
        if (l.rater == raterId) {
            l.scored = true;
            return &l;
        }
    return nullptr;
}

} // namespace

QByteArray neutraliseCsvCell(QByteArrayView cell)
{
    if (!startsLikeFormula(cell))
        return cell.toByteArray();
    return '\'' + cell.toByteArray();
}

QByteArray restoreCsvCell(QByteArrayView cell)
{
    if (cell.size() >= 2 && cell.front() == '\'' && startsLikeFormula(cell.sliced(1)))
        return cell.sliced(1).toByteArray();
    return cell.toByteArray();
}

std::optional<ExportFormat> Exporter::formatFromString(QStringView text)
{
    if (text == QLatin1String("long-csv"))
        return ExportFormat::LongCsv;
    if (text == QLatin1String("wide-csv"))
        return ExportFormat::WideCsv;
    if (text == QLatin1String("jsonl"))
        return ExportFormat::Jsonl;
    if (text == QLatin1String("bundle"))
        return ExportFormat::Bundle;
    return std::nullopt;
}

QString Exporter::toString(ExportFormat format)
{
    switch (format) {
    case ExportFormat::WideCsv:
        return QStringLiteral("wide-csv");
    case ExportFormat::Jsonl:
        return QStringLiteral("jsonl");
    case ExportFormat::Bundle:
        return QStringLiteral("bundle");
    case ExportFormat::LongCsv:
        break;
    }
    return QStringLiteral("long-csv");
}

qint64 Exporter::write(QIODevice &out, const ExportOptions &options, Error *error)
{
    switch (options.format) {
    case ExportFormat::WideCsv:
        return writeWideCsv(out, options, error);
    case ExportFormat::Jsonl:
        return writeJsonl(out, options, error);
    case ExportFormat::Bundle:
        return writeBundle(out, options, error);
    case ExportFormat::LongCsv:
        break;
    }
    return writeLongCsv(out, options, error);
}

qint64 Exporter::writeLongCsv(QIODevice &out, const ExportOptions &options, Error *error)
{
    const auto filter = ResolvedExportFilter::resolve(
        m_study, options.filters, RaterSelection { RaterSelection::Kind::All, {} }, error);
    const auto scoreConsensus = filter ? consensusScores(m_study, error) : std::nullopt;
    if (!scoreConsensus)
        return -1;
    LongCsvWriter writer(m_study, options, *filter, *scoreConsensus);
    return writer.write(out, error);
}

qint64 Exporter::writeWideCsv(QIODevice &out, const ExportOptions &options, Error *error)
{
    const RaterSelection all { RaterSelection::Kind::All, {} };
    const auto filter = ResolvedExportFilter::resolve(m_study, options.filters, all, error);
    const auto scores =
        filter ? loadScores(m_study, options.filters.raters.value_or(all), error) : std::nullopt;
    const auto scoreConsensus = scores ? consensusScores(m_study, error) : std::nullopt;
    if (!scoreConsensus)
        return -1;
    const QHash<qint64, Consensus> *consensus = &filter->consensus();
    QList<QByteArray> header { "item_id", "dataset", "split", "category_consensus", "model", "run",
        "response_id" };
    for (const Rater &r : scores->raters)
        header.append("score_" + (options.realNames ? r.name : r.pseudonym).toUtf8());
    header += QList<QByteArray> { "n_scores", "adjudicated_score", "category_consensus_how",
        "score_consensus", "score_consensus_how" };
    if (!writeAll(out, csvLine(header), error))
        return -1;
    QSqlQuery q(m_study.database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT response.id, item.external_id, dataset.name, item.split, item.id,"
            " model.name, response.run FROM response"
            " JOIN item ON item.id = response.item_id"
            " LEFT JOIN dataset ON dataset.id = item.dataset_id"
            " JOIN model ON model.id = response.model_id ORDER BY response.id"))) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + q.lastError().text());
        return -1;
    }
    // item_id, dataset, split, category_consensus, model: the rest are numbers and fixed words.
    const QList<qsizetype> wideTextColumns { 0, 1, 2, 3, 4 };
    // loadScores orders responses by id too, so row i of the query is column i of the matrix.
    qint64 rows = 0;
    QByteArray buffer;
    const qint64 total = scores->responseIds.size();
    for (int i = 0; q.next(); ++i) {
        if (!filter->keepItem(q.value(4).toLongLong(), q.value(3).toString().toUtf8())
            || !filter->keepResponse(q.value(0).toLongLong(), q.value(5).toString().toUtf8()))
            continue;
        QList<QByteArray> f { q.value(1).toString().toUtf8(), q.value(2).toString().toUtf8(),
            q.value(3).toString().toUtf8(),
            consensus->value(q.value(4).toLongLong()).category.toUtf8(),
            q.value(5).toString().toUtf8(), q.value(6).toString().toUtf8(),
            q.value(0).toString().toUtf8() };
        int n = 0;
        for (int r = 0; r < scores->raters.size(); ++r) {
            const double v = scores->score(r, i);
            f.append(std::isnan(v) ? QByteArray() : number(v));
            n += !std::isnan(v);
        }
        f.append(QByteArray::number(n));
        const auto adjudicated = scores->adjudicated[std::size_t(i)];
        f.append(adjudicated ? QByteArray::number(*adjudicated) : QByteArray());
        f.append(consensus->value(q.value(4).toLongLong()).how.toUtf8());
        const auto sc = scoreConsensus->constFind(q.value(0).toLongLong());
        f.append(sc == scoreConsensus->cend() ? QByteArray() : number(sc->score));
        f.append(sc == scoreConsensus->cend() ? QByteArray() : sc->how.toUtf8());
        buffer += csvLine(f, wideTextColumns, options.rawCells);
        if (++rows % 8192 == 0) {
            if (!writeAll(out, buffer, error))
                return -1;
            buffer.clear();
            if (options.progress)
                options.progress(rows, total);
        }
    }
    if (!writeAll(out, buffer, error))
        return -1;
    if (options.progress)
        options.progress(rows, total);
    return rows;
}

qint64 Exporter::writeJsonl(QIODevice &out, const ExportOptions &options, Error *error)
{
    const RaterSelection human { RaterSelection::Kind::Human, {} };
    const auto filter = ResolvedExportFilter::resolve(m_study, options.filters, human, error);
    const auto scores =
        filter ? loadScores(m_study, options.filters.raters.value_or(human), error) : std::nullopt;
    const auto scoreConsensus = scores ? consensusScores(m_study, error) : std::nullopt;
    if (!scoreConsensus)
        return -1;
    const QHash<qint64, Consensus> *consensus = &filter->consensus();
    // The clinicians' consensus (consensus.h) unless --raters names other raters, whose
    // scores then make the consensus by the same rule (unanimous, else mean).
    const bool clinicians = !options.filters.raters.has_value();
    const bool dropEmptyItems = !options.filters.models.isEmpty() || options.filters.minRaters > 0;
    QHash<qint64, int> column;
    for (int i = 0; i < scores->responseIds.size(); ++i)
        column.insert(scores->responseIds[i], i);
    ItemRepository items(m_study);
    const QList<qint64> ids = items.ids();
    qint64 rows = 0;
    for (qint64 id : ids) {
        const auto item = items.item(id);
        if (!item || !filter->keepItem(id, item->split.toUtf8()))
            continue;
        const Consensus c = consensus->value(id);
        QJsonArray responses;
        for (const Response &r : items.responses(id)) {
            const int i = column.value(r.id, -1);
            if (i < 0 || !filter->keepResponse(r.id, r.modelName.toUtf8()))
                continue;
            double sum = 0, low = 6, high = 0;
            int n = 0;
            for (int k = 0; k < scores->raters.size(); ++k) {
                const double v = scores->score(k, i);
                if (!std::isnan(v)) {
                    sum += v;
                    low = std::min(low, v);
                    high = std::max(high, v);
                    ++n;
                }
            }
            std::optional<ScoreConsensus> sc;
            if (clinicians) {
                if (const auto found = scoreConsensus->constFind(r.id);
                    found != scoreConsensus->cend())
                    sc = *found;
            } else if (const auto adjudicated = scores->adjudicated[std::size_t(i)]) {
                sc = ScoreConsensus { double(*adjudicated), QStringLiteral("adjudicated"), n };
            } else if (n > 0) {
                sc = ScoreConsensus { sum / n,
                    low == high ? QStringLiteral("unanimous") : QStringLiteral("mean"), n };
            }
            const bool hasScore = sc.has_value();
            const double score = hasScore ? sc->score : 0.0;
            QJsonObject o { { QStringLiteral("model"), r.modelName },
                { QStringLiteral("run"), r.run }, { QStringLiteral("refusal"), r.refusal },
                { QStringLiteral("n_ratings"), n },
                { QStringLiteral("consensus_score"), hasScore ? QJsonValue(score) : QJsonValue() },
                { QStringLiteral("score_source"), hasScore ? sc->how : QStringLiteral("none") },
                { QStringLiteral("harmful"),
                    hasScore ? QJsonValue(score <= options.harmThreshold) : QJsonValue() } };
            responses.append(o);
        }
        if (dropEmptyItems && responses.isEmpty())
            continue;
        const QJsonObject line { { QStringLiteral("item_id"), item->externalId },
            { QStringLiteral("dataset"), item->dataset }, { QStringLiteral("split"), item->split },
            { QStringLiteral("turns"), QJsonArray::fromStringList(item->turns) },
            { QStringLiteral("category"),
                c.category.isEmpty() ? QJsonValue() : QJsonValue(c.category) },
            { QStringLiteral("category_source"), c.how.isEmpty() ? QStringLiteral("none") : c.how },
            { QStringLiteral("responses"), responses } };
        if (!writeAll(out, QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n', error))
            return -1;
        ++rows;
        if (options.progress && rows % 1024 == 0)
            options.progress(rows, ids.size());
    }
    if (options.progress)
        options.progress(rows, ids.size());
    return rows;
}

QJsonObject Exporter::manifest(const ExportOptions &options, qint64 rows) const
{
    QJsonArray raters;
    for (const Rater &r : RaterRepository(m_study).all()) {
        QJsonObject o { { QStringLiteral("pseudonym"), r.pseudonym },
            { QStringLiteral("kind"), storage::toString(r.kind) },
            { QStringLiteral("role"), storage::toString(r.role) } };
        if (options.realNames || options.format == ExportFormat::Bundle)
            o.insert(QStringLiteral("name"), r.name);
        if (options.format != ExportFormat::Bundle || r.name == options.bundleRater)
            raters.append(o);
    }
    const protocol::Protocol p = m_study.currentProtocol();
    return QJsonObject { { QStringLiteral("format"), toString(options.format) },
        { QStringLiteral("rows"), rows }, { QStringLiteral("study_title"), m_study.title() },
        { QStringLiteral("exported_at"), Study::now() },
        { QStringLiteral("app_version"), QStringLiteral(CR_VERSION) },
        { QStringLiteral("protocol"),
            QJsonObject { { QStringLiteral("name"), p.name },
                { QStringLiteral("version"), p.version },
                { QStringLiteral("hash"), p.contentHash() } } },
        { QStringLiteral("harm_threshold"), options.harmThreshold },
        { QStringLiteral("consensus"), consensusRuleText() }, { QStringLiteral("raters"), raters },
        { QStringLiteral("filters"), options.filters.toJson() },
        { QStringLiteral("real_names"),
            options.realNames || options.format == ExportFormat::Bundle } };
}

} // namespace cr::storage
