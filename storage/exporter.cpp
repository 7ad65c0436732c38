#include "storage/exporter.h"

#include "storage/consensus.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/sqlitestatement.h"
#include "storage/study.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <cmath>

namespace cr::storage {

namespace {

/// RFC 4180: quote fields holding a comma, quote or line break; double the quotes.
void appendCsvField(QByteArray &line, QByteArrayView field)
{
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

QByteArray csvLine(const QList<QByteArray> &fields)
{
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            line += ',';
        appendCsvField(line, fields[i]);
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

} // namespace

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
    const qint64 total = scalar(m_study, "SELECT count(*) FROM response_rating");
    // Small lookups instead of per-rating joins: raters and protocol versions.
    QHash<qint64, std::pair<QByteArray, QByteArray>> raters; // id -> (shown name, kind)
    QList<Rater> all = RaterRepository(m_study).all();
    for (const Rater &r : std::as_const(all))
        raters.insert(r.id,
            { (options.realNames ? r.name : r.pseudonym).toUtf8(),
                storage::toString(r.kind).toUtf8() });
    // Raters come in pseudonym order; usually that is id order, which the
    // (response_id, rater_id) index gives without a sort.
    std::sort(all.begin(), all.end(), [](const Rater &a, const Rater &b) { return a.id < b.id; });
    const bool pseudonymsInIdOrder =
        std::is_sorted(all.cbegin(), all.cend(), [](const Rater &a, const Rater &b) {
            return std::pair(a.pseudonym.size(), a.pseudonym)
                < std::pair(b.pseudonym.size(), b.pseudonym);
        });
    QHash<qint64, QByteArray> protocolVersions;
    {
        QSqlQuery q(m_study.database());
        if (q.exec(QStringLiteral("SELECT id, version FROM protocol")))
            while (q.next())
                protocolVersions.insert(q.value(0).toLongLong(), q.value(1).toString().toUtf8());
    }
    // Items and their responses in export order (the outer loop; an item without
    // responses comes once with a null response), each response's ratings, each
    // item's labels. Within a response, raters in pseudonym order (R001, R002, ...),
    // which a re-import keeps, so export → import → export is byte-identical.
    const QByteArray ratingsSql =
        QByteArray(
            "SELECT rr.rater_id, rr.score, rr.cannot_assess, rr.checklist, rr.rationale,"
            " p.position, rr.protocol_id, rr.updated_at, rr.seconds_spent FROM response_rating rr")
        + (pseudonymsInIdOrder ? "" : " JOIN rater ON rater.id = rr.rater_id")
        + " LEFT JOIN presentation p ON p.rater_id = rr.rater_id AND p.response_id = rr.response_id"
          " WHERE rr.response_id = ? ORDER BY "
        + (pseudonymsInIdOrder ? "rr.rater_id" : "length(rater.pseudonym), rater.pseudonym");
    SqliteStatement responses, ratings, labels;
    QString message;
    sqlite3 *db = nativeHandle(m_study.database());
    if (!responses.prepare(db,
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
        || !ratings.prepare(db, ratingsSql.constData(), &message)
        || !labels.prepare(db,
            "SELECT category_label.rater_id, category_label.category, category_label.updated_at,"
            " category_label.protocol_id"
            " FROM category_label JOIN rater ON rater.id = category_label.rater_id"
            " WHERE item_id = ? ORDER BY length(rater.pseudonym), rater.pseudonym",
            &message)) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + message);
        return -1;
    }
    const auto failed = [&](const SqliteStatement &s) {
        *error = Error::storage(m_study.path() + QStringLiteral(": ") + s.errorMessage());
        return qint64(-1);
    };
    if (!writeAll(out,
            "item_id,dataset,split,category_consensus,model,run,response_id,rater,"
            "rater_kind,score,cannot_assess,category,checklist,rationale,shown_position,"
            "protocol_version,rated_at,seconds_spent,adjudicated_score,adjudicated_category,"
            "category_consensus_how,score_consensus,score_consensus_how\n",
            error))
        return -1;
    // With a model or minimum-raters filter, an item none of whose responses is kept
    // is out of the export, labels included.
    const bool responseFilter = !options.filters.models.isEmpty() || options.filters.minRaters > 0;
    qint64 rows = 0, seen = 0;
    QByteArray buffer;
    struct Label {
        qint64 rater;
        QByteArray category, ratedAt;
        qint64 protocol;
        bool scored; // the rater has a score row on the item in this export
    };
    qint64 labelsItem = -1;
    bool itemKept = false, itemHasRows = false;
    QList<Label> itemLabels; // for labelsItem, in pseudonym order
    const auto markScored = [&](qint64 raterId) -> const Label * {
        for (Label &l : itemLabels)
            if (l.rater == raterId) {
                l.scored = true;
                return &l;
            }
        return nullptr;
    };
    QByteArray itemPart; // item_id, dataset, split, category_consensus
    QByteArray itemTail; // adjudicated_category, category_consensus_how
    QByteArray responsePart; // the row's first 7 fields, shared by the response's ratings
    QByteArray adjudicatedPart;
    // A rater's category label reaches the file on their score rows; the label of a
    // rater with no score row on the item (an LLM classifier, a clinician who only
    // labelled, or whose scored responses a --model / --min-raters filter left out)
    // gets a row of its own, without a response: every kept item carries every kept
    // rater's label exactly once.
    const auto flushLabelOnlyRows = [&] {
        if (!itemKept || (responseFilter && !itemHasRows))
            return;
        for (const Label &label : std::as_const(itemLabels)) {
            if (label.scored || !filter->keepRater(label.rater))
                continue;
            const auto &rater = raters.value(label.rater);
            buffer += itemPart;
            buffer += ",,,,"; // model, run, response_id
            appendCsvField(buffer, rater.first);
            buffer += ',';
            buffer += rater.second;
            buffer += ",,,"; // score, cannot_assess
            appendCsvField(buffer, label.category);
            buffer += ",,,,"; // checklist, rationale, shown_position
            appendCsvField(buffer, protocolVersions.value(label.protocol));
            buffer += ',';
            appendCsvField(buffer, label.ratedAt);
            buffer += ",,,"; // seconds_spent, adjudicated_score
            buffer += itemTail;
            buffer += ",,\n"; // score_consensus, score_consensus_how
            ++rows;
        }
    };
    while (true) {
        if (!responses.step())
            return failed(responses);
        if (!responses.hasRow())
            break;
        const qint64 itemId = responses.columnInt(1);
        if (itemId != labelsItem) {
            flushLabelOnlyRows();
            labelsItem = itemId;
            itemHasRows = false;
            itemKept = filter->keepItem(itemId, responses.columnText(4));
            if (!itemKept)
                continue;
            itemLabels.clear();
            labels.bindInt(1, itemId);
            while (labels.step() && labels.hasRow())
                itemLabels.append({ labels.columnInt(0), labels.columnText(1), labels.columnText(2),
                    labels.columnInt(3), false });
            labels.reset();
            itemPart.clear();
            appendCsvField(itemPart, responses.columnText(2));
            itemPart += ',';
            appendCsvField(itemPart, responses.columnText(3));
            itemPart += ',';
            appendCsvField(itemPart, responses.columnText(4));
            itemPart += ',';
            appendCsvField(itemPart, filter->consensus().value(itemId).category.toUtf8());
            itemTail.clear();
            appendCsvField(itemTail, responses.columnText(8));
            itemTail += ',';
            itemTail += filter->consensus().value(itemId).how.toUtf8();
        }
        if (!itemKept || responses.columnIsNull(0))
            continue;
        const qint64 responseId = responses.columnInt(0);
        if (!filter->keepResponse(responseId, responses.columnText(5)))
            continue;
        itemHasRows = true;
        responsePart = itemPart;
        responsePart += ',';
        appendCsvField(responsePart, responses.columnText(5));
        responsePart += ',';
        responsePart += QByteArray::number(responses.columnInt(6));
        responsePart += ',';
        responsePart += QByteArray::number(responseId);
        responsePart += ',';
        adjudicatedPart.clear();
        adjudicatedPart += responses.columnText(7);
        adjudicatedPart += ',';
        adjudicatedPart += itemTail;
        adjudicatedPart += ',';
        if (const auto sc = scoreConsensus->constFind(responseId); sc != scoreConsensus->cend()) {
            adjudicatedPart += number(sc->score);
            adjudicatedPart += ',';
            adjudicatedPart += sc->how.toUtf8();
        } else {
            adjudicatedPart += ',';
        }
        adjudicatedPart += '\n';
        ratings.bindInt(1, responseId);
        while (true) {
            if (!ratings.step())
                return failed(ratings);
            if (!ratings.hasRow())
                break;
            ++seen;
            const qint64 raterId = ratings.columnInt(0);
            if (!filter->keepRater(raterId))
                continue;
            const Label *label = markScored(raterId);
            const auto &rater = raters.value(raterId);
            buffer += responsePart;
            appendCsvField(buffer, rater.first);
            buffer += ',';
            buffer += rater.second;
            buffer += ',';
            buffer.append(ratings.columnView(1));
            buffer += ',';
            buffer.append(
                ratings.columnInt(2) ? QByteArrayView("true,") : QByteArrayView("false,"));
            if (label)
                appendCsvField(buffer, label->category);
            buffer += ',';
            appendCsvField(buffer, checklistField(ratings.columnText(3)));
            buffer += ',';
            appendCsvField(buffer, ratings.columnView(4));
            buffer += ',';
            buffer.append(ratings.columnView(5));
            buffer += ',';
            appendCsvField(buffer, protocolVersions.value(ratings.columnInt(6)));
            buffer += ',';
            appendCsvField(buffer, ratings.columnView(7));
            buffer += ',';
            if (!ratings.columnIsNull(8))
                buffer += number(ratings.columnDouble(8));
            buffer += ',';
            buffer += adjudicatedPart;
            ++rows;
        }
        ratings.reset();
        if (buffer.size() >= (1 << 20)) {
            if (!writeAll(out, buffer, error))
                return -1;
            buffer.clear();
            if (options.progress)
                options.progress(seen, total);
        }
    }
    flushLabelOnlyRows();
    if (!writeAll(out, buffer, error))
        return -1;
    if (options.progress)
        options.progress(total, total);
    return rows;
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
        buffer += csvLine(f);
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
