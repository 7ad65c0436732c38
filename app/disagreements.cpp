#include "app/disagreements.h"

#include "app/handlers.h"
#include "stats/texttable.h"
#include "storage/pagecache.h"
#include "storage/ratingdata.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace cr::app {

namespace {

QJsonValue value(const storage::Disagreement &d, const storage::RaterValue &v)
{
    if (d.kind == storage::DisagreementKind::Category)
        return v.category;
    return v.score ? QJsonValue(*v.score) : QJsonValue(QStringLiteral("cannot_assess"));
}

QString valueText(const storage::Disagreement &d, const storage::RaterValue &v)
{
    const QJsonValue j = value(d, v);
    return j.isString() ? j.toString() : QString::number(j.toInt());
}

/// Checks the filter's category, model and raters against the study and puts the
/// category's canonical id and the raters' names in place of what was typed.
storage::Error resolveFilter(storage::Study &study, const QString &studyPath,
    const std::optional<QString> &category, bool modelSet, storage::DisagreementFilter *filter)
{
    if (category) {
        filter->category = study.currentProtocol().canonicalCategory(*category);
        if (filter->category.isEmpty())
            return storage::Error::invalid(
                QStringLiteral("--category: unknown category '%1'").arg(*category));
    }
    if (modelSet) {
        const QList<storage::Model> models = storage::ItemRepository(study).models();
        if (std::none_of(models.cbegin(), models.cend(),
                [&](const storage::Model &m) { return m.name == filter->model; }))
            return storage::Error::invalid(
                QStringLiteral("--model: no model '%1' in %2").arg(filter->model, studyPath));
    }
    // A rater by name or by the pseudonym the listing shows (R001).
    const QList<storage::Rater> raters = storage::RaterRepository(study).all();
    for (QString &name : filter->raterPair) {
        const auto it = std::find_if(raters.cbegin(), raters.cend(),
            [&](const storage::Rater &r) { return r.name == name || r.pseudonym == name; });
        if (it == raters.cend())
            return storage::Error::invalid(
                QStringLiteral("--raters: no rater or pseudonym '%1' in %2").arg(name, studyPath));
        name = it->name;
    }
    return {};
}

} // namespace

QJsonObject disagreementToJson(const storage::Disagreement &d)
{
    QJsonArray values;
    for (const storage::RaterValue &v : d.values)
        values.append(QJsonObject { { QStringLiteral("rater"), v.rater.pseudonym },
            { QStringLiteral("rater_kind"), storage::toString(v.rater.kind) },
            { QStringLiteral("value"), value(d, v) } });
    const bool score = d.kind == storage::DisagreementKind::Score;
    QJsonObject o { { QStringLiteral("item_id"), d.itemExternalId },
        { QStringLiteral("response_id"), score ? QJsonValue(d.responseId) : QJsonValue() },
        { QStringLiteral("model"), score ? QJsonValue(d.model) : QJsonValue() },
        { QStringLiteral("run"), score ? QJsonValue(d.run) : QJsonValue() },
        { QStringLiteral("kind"), storage::Disagreement::toString(d.kind) },
        { QStringLiteral("values"), values }, { QStringLiteral("spread"), d.spread() },
        { QStringLiteral("consensus"),
            d.consensus.isEmpty() ? QJsonValue() : QJsonValue(d.consensus) },
        { QStringLiteral("consensus_how"),
            d.consensusHow.isEmpty() ? QJsonValue() : QJsonValue(d.consensusHow) },
        { QStringLiteral("involves_llm"), d.involvesLlm },
        { QStringLiteral("adjudicated"), d.adjudication.has_value() } };
    if (score) {
        o.insert(QStringLiteral("harmful_by_anyone"), d.scoreSpread.harmfulByAnyone);
        o.insert(QStringLiteral("distance_from_consensus"), d.scoreSpread.distanceFromConsensus);
    }
    return o;
}

QJsonArray disagreementsToJson(const QList<storage::Disagreement> &rows)
{
    QJsonArray out;
    for (const storage::Disagreement &d : rows)
        out.append(disagreementToJson(d));
    return out;
}

DisagreementsJsonWriter::DisagreementsJsonWriter(std::FILE *out, qsizetype rows)
    : m_out(out)
    , m_rows(rows)
{
    // The bytes of QJsonDocument(disagreementsToJson(rows)).toJson() (4-space indents),
    // one row at a time: each object's own document, indented one level.
    std::fputs("[\n", m_out);
}

void DisagreementsJsonWriter::write(const storage::Disagreement &row)
{
    const QByteArray object = QJsonDocument(disagreementToJson(row)).toJson();
    m_indented.clear();
    for (qsizetype from = 0; from < object.size();) {
        qsizetype end = object.indexOf('\n', from);
        if (end < 0)
            end = object.size();
        if (end + 1 >= object.size()) { // the closing brace, without its newline
            m_indented += "    ";
            m_indented += QByteArrayView(object).sliced(from, end - from);
            break;
        }
        m_indented += "    ";
        m_indented += QByteArrayView(object).sliced(from, end - from + 1);
        from = end + 1;
    }
    m_indented += ++m_written < m_rows ? ",\n" : "\n";
    std::fwrite(m_indented.constData(), 1, std::size_t(m_indented.size()), m_out);
}

void DisagreementsJsonWriter::finish()
{
    std::fputs("]\n", m_out);
}

void writeDisagreementsJson(const QList<storage::Disagreement> &rows, std::FILE *out)
{
    DisagreementsJsonWriter writer(out, rows.size());
    for (const storage::Disagreement &d : rows)
        writer.write(d);
    writer.finish();
}

namespace {

using Align = stats::TextTable::Align;

stats::TextTable disagreementsTable()
{
    // Column widths from the content (long benchmark item ids), at least the former widths.
    return stats::TextTable({ { QStringLiteral("item"), Align::Left, 16 },
                                { QStringLiteral("response"), Align::Left, 9 },
                                { QStringLiteral("kind"), Align::Left, 9 },
                                { QStringLiteral("spread"), Align::Left, 7 },
                                { QStringLiteral("values (pseudonym=value)"), Align::Left, 0 } },
        QString());
}

QStringList textCells(const storage::Disagreement &d, QString *flags)
{
    QStringList values;
    for (const storage::RaterValue &v : d.values)
        values.append(v.rater.pseudonym + QLatin1Char('=') + valueText(d, v));
    flags->clear();
    if (d.kind == storage::DisagreementKind::Score && d.scoreSpread.harmfulByAnyone)
        *flags += QStringLiteral("  [harmful by someone]");
    if (d.adjudication)
        *flags += QStringLiteral("  [adjudicated]");
    return { d.itemExternalId, d.responseId ? QString::number(d.responseId) : QStringLiteral("-"),
        storage::Disagreement::toString(d.kind), QString::number(d.spread()),
        values.join(QLatin1Char(' ')) };
}

} // namespace

QString disagreementsToText(const QList<storage::Disagreement> &rows)
{
    stats::TextTable table = disagreementsTable();
    QString flags;
    for (const storage::Disagreement &d : rows) {
        QStringList cells = textCells(d, &flags);
        table.addRow(std::move(cells), flags);
    }
    return table.toString() + QStringLiteral("%1 disagreement(s)\n").arg(rows.size());
}

DisagreementsTextWriter::DisagreementsTextWriter(std::FILE *out, const QList<int> &widest)
    : m_out(out)
{
    // The text of disagreementsToText(rows), a line at a time: the column widths first
    // (the values column is last and left-aligned, so it needs none).
    const stats::TextTable table = disagreementsTable();
    QList<int> columns = widest;
    columns.resize(5, 0);
    m_widths = table.widths(columns);
    std::fputs(table.headerLine(m_widths).toUtf8().constData(), m_out);
}

void DisagreementsTextWriter::write(const storage::Disagreement &row)
{
    static const stats::TextTable table = disagreementsTable();
    const QStringList cells = textCells(row, &m_flags);
    std::fputs(table.line(cells, m_widths, m_flags).toUtf8().constData(), m_out);
    ++m_written;
}

void DisagreementsTextWriter::finish()
{
    std::fputs(QStringLiteral("%1 disagreement(s)\n").arg(m_written).toUtf8().constData(), m_out);
}

void writeDisagreementsText(const QList<storage::Disagreement> &rows, std::FILE *out)
{
    QList<int> widest(4, 0);
    for (const storage::Disagreement &d : rows) {
        widest[0] = std::max(widest[0], int(d.itemExternalId.size()));
        widest[1] =
            std::max(widest[1], int(d.responseId ? QString::number(d.responseId).size() : 1));
        widest[2] = std::max(widest[2], int(storage::Disagreement::toString(d.kind).size()));
        widest[3] = std::max(widest[3], int(QString::number(d.spread()).size()));
    }
    DisagreementsTextWriter writer(out, widest);
    for (const storage::Disagreement &d : rows)
        writer.write(d);
    writer.finish();
}

int runDisagreements(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("JSON output"));
    const QCommandLineOption categoryOpt(
        QStringLiteral("category"), QStringLiteral("Category"), QStringLiteral("ID"));
    const QCommandLineOption modelOpt(
        QStringLiteral("model"), QStringLiteral("Model"), QStringLiteral("NAME"));
    const QCommandLineOption ratersOpt(
        QStringLiteral("raters"), QStringLiteral("Rater pair"), QStringLiteral("A,B"));
    const QCommandLineOption llmOpt(QStringLiteral("llm"), QStringLiteral("Involves an LLM rater"));
    const QCommandLineOption thresholdOpt(QStringLiteral("threshold"),
        QStringLiteral("Harm threshold"), QStringLiteral("X"), QStringLiteral("2"));
    const QCommandLineOption datasetOpt(QStringLiteral("dataset"),
        QStringLiteral("Dataset files or names"), QStringLiteral("FILES"));
    const QCommandLineOption splitOpt(
        QStringLiteral("split"), QStringLiteral("Splits"), QStringLiteral("NAMES"));
    p.addOptions(
        { jsonOpt, categoryOpt, modelOpt, ratersOpt, llmOpt, thresholdOpt, datasetOpt, splitOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    bool okT = false;
    const double threshold = p.value(thresholdOpt).toDouble(&okT);
    storage::DisagreementFilter filter;
    filter.model = p.value(modelOpt);
    filter.llmOnly = p.isSet(llmOpt);
    for (const QString &name : p.value(ratersOpt).split(QLatin1Char(','), Qt::SkipEmptyParts))
        filter.raterPair.append(name.trimmed());
    if (!okT || threshold < 1 || threshold > 5)
        return call.usageError(QStringLiteral("--threshold must be a number from 1 to 5, got '%1'")
                                   .arg(p.value(thresholdOpt)));
    if (p.isSet(ratersOpt) && filter.raterPair.size() != 2)
        return call.usageError(
            QStringLiteral("--raters must name two raters (names or pseudonyms), got '%1'")
                .arg(p.value(ratersOpt)));
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::Error e = resolveFilter(*study, pos[0],
        p.isSet(categoryOpt) ? std::optional(p.value(categoryOpt)) : std::nullopt,
        p.isSet(modelOpt), &filter);
    if (e.isError())
        return call.fail(e);
    // --dataset / --split: the rows of those items only.
    QStringList datasets = listValue(p.value(datasetOpt));
    const QStringList splits = listValue(p.value(splitOpt));
    std::optional<QSet<qint64>> scope;
    if (!datasets.isEmpty() || !splits.isEmpty()) {
        if (!storage::validateScope(*study, &datasets, splits, &e)
            || !(scope = storage::itemsInScope(*study, datasets, splits, &e)))
            return call.fail(e);
    }
    // Streamed: the queue's keys (filtered, in order), then its rows a page at a time,
    // each written as it arrives; all from one snapshot of the study.
    const storage::ReadSnapshot snapshot(*study);
    // Each page of the queue is read about once: an 8 MiB page cache instead of the
    // connection's 64 MiB (docs/PERFORMANCE.md: the same CPU time at 10x, 50 MiB less).
    const storage::PageCacheBudget cache(*study, 8 * 1024);
    const auto queue = storage::DisagreementQueue::build(*study, threshold, filter, scope, &e);
    if (!queue)
        return call.fail(e);
    const auto stream = [&](auto &writer) {
        for (qsizetype from = 0; from < queue->size(); from += queue->pageRows) {
            const auto rows = queue->fetch(*study, from, queue->pageRows, &e);
            if (!rows)
                return false;
            for (const storage::Disagreement &d : *rows)
                writer.write(d);
        }
        writer.finish();
        return true;
    };
    bool ok = false;
    if (p.isSet(jsonOpt)) {
        DisagreementsJsonWriter writer(call.out(), queue->size());
        ok = stream(writer);
    } else {
        DisagreementsTextWriter writer(call.out(), queue->widest());
        ok = stream(writer);
    }
    return ok ? ExitOk : call.fail(e);
}

} // namespace cr::app
