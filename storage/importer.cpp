#include "storage/importer.h"

#include "storage/benchmarkimporter.h"
#include "storage/exporter.h"
#include "storage/files.h"
#include "storage/jsonutil.h"
#include "storage/package.h"
#include "storage/records.h"
#include "storage/study.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <simdjson.h>
#include <vector>

namespace cr::storage {

QString ImportIssue::toString() const
{
    if (line <= 0)
        return file + (field.isEmpty() ? QString() : QLatin1Char(':') + field)
            + QStringLiteral(": ") + reason;
    QString s = file + QLatin1Char(':') + QString::number(line);
    if (column > 0)
        s += QLatin1Char(':') + QString::number(column);
    if (!field.isEmpty())
        s += QLatin1Char(':') + field;
    return s + QStringLiteral(": ") + reason;
}

QStringList ImportReport::details() const
{
    QStringList lines;
    for (const QString &runs : modelRuns)
        lines.append(QStringLiteral("model %1").arg(runs));
    // Each count that is not zero, with what the importer did about it.
    const std::pair<qint64, const char *> counted[] = {
        { counts.scoresMissing, "%1 score(s) given as NaN or empty: kept as missing" },
        { counts.scoresFromStrings,
            "%1 score(s) given as JSON strings (\"4\", \"NaN\"): read as numbers" },
        { counts.labelsMissing,
            "%1 label(s) empty, null or missing in rater label files: not labelled" },
        { counts.llmLabelsEmpty,
            "%1 of them empty (\"\") in LLM classifier files: kept as missing, not a category" },
        { counts.labelsUnknown,
            "%1 label(s) naming no category of the protocol: label skipped, item and other "
            "values kept" },
        { counts.scoresOnIdenticalResponses,
            "%1 human score(s) also attached to another response with the same text (each "
            "response with the scored text gets the score)" },
        { counts.cellsAlignedByPosition,
            "%1 score-file cell(s) did not match: placed by row position (--align position)" },
        { qint64(skippedFiles.size()),
            "%1 file(s) skipped: not of the layout, or their values are in another file of "
            "the import" },
    };
    for (const auto &[n, text] : counted) {
        if (n > 0)
            lines.append(QString::fromUtf8(text).arg(n));
    }
    for (const QString &notice : notices)
        lines.append(QStringLiteral("note: %1").arg(notice));
    return lines;
}

std::optional<ImportFormat> Importer::formatFromString(QStringView text)
{
    if (text == QLatin1String("auto"))
        return ImportFormat::Auto;
    if (text == QLatin1String("jsonl"))
        return ImportFormat::Jsonl;
    if (text == QLatin1String("csv"))
        return ImportFormat::Csv;
    if (text == QLatin1String("benchmark"))
        return ImportFormat::Benchmark;
    return std::nullopt;
}

namespace {

constexpr qint64 maxLineBytes = maxImportFieldBytes;
constexpr qint64 progressStep = 1 << 20;

// ---- JSON → records ------------------------------------------------------------

using simdjson::dom::element;
using simdjson::dom::element_type;

using json::fromView;
using json::typeName;

/// The name of an input field as messages give it ("responses[2].run", "turns[1]"), put
/// together only when a message needs it: most rows have no problem.
class FieldName {
public:
    FieldName(const QString &name) // NOLINT: a plain name converts
        : m_prefix(name)
    {
    }
    explicit FieldName(std::string_view key, const QString &prefix = {}, int index = -1)
        : m_prefix(prefix)
        , m_key(key)
        , m_index(index)
    {
    }
    FieldName withIndex(int index) const
    {
        FieldName f = *this;
        f.m_prefix = text();
        f.m_key = {};
        f.m_index = index;
        return f;
    }
    QString text() const
    {
        QString s = m_prefix;
        if (!m_key.empty())
            s += (s.isEmpty() ? QString() : QStringLiteral(".")) + fromView(m_key);
        if (m_index >= 0)
            s += QStringLiteral("[%1]").arg(m_index);
        return s;
    }

private:
    QString m_prefix;
    std::string_view m_key;
    int m_index = -1;
};

RowError wrongType(const FieldName &field, const QString &expected, element e)
{
    return { field.text(), QStringLiteral("must be %1, got %2").arg(expected, typeName(e)) };
}

/// A NUL character (raw, or escaped as \u0000 in JSON) is refused in every id and
/// text: it would cut names short in other tools and land in exported CSV files.
std::optional<RowError> checkNoNul(std::string_view v, const FieldName &field)
{
    if (v.find('\0') != std::string_view::npos)
        return RowError { field.text(), QStringLiteral("must not contain a NUL character") };
    return std::nullopt;
}

std::optional<RowError> readString(element e, const FieldName &field, QString *out)
{
    std::string_view v;
    if (e.get_string().get(v))
        return wrongType(field, QStringLiteral("a string"), e);
    if (auto err = checkNoNul(v, field))
        return err;
    *out = fromView(v);
    return std::nullopt;
}

std::optional<RowError> readBytes(element e, const FieldName &field, QByteArray *out)
{
    std::string_view v;
    if (e.get_string().get(v))
        return wrongType(field, QStringLiteral("a string"), e);
    if (auto err = checkNoNul(v, field))
        return err;
    *out = QByteArray(v.data(), qsizetype(v.size()));
    return std::nullopt;
}

std::optional<RowError> readInt(element e, const FieldName &field, qint64 *out)
{
    if (e.type() == element_type::INT64) {
        *out = e.get_int64().value_unsafe();
        return std::nullopt;
    }
    if (e.type() == element_type::DOUBLE) {
        const double d = e.get_double().value_unsafe();
        if (d == double(qint64(d)) && std::abs(d) < 1e15) { // 4.0 is fine, 4.5 is not
            *out = qint64(d);
            return std::nullopt;
        }
        return RowError { field.text(), QStringLiteral("must be an integer, got %1").arg(d) };
    }
    return wrongType(field, QStringLiteral("an integer"), e);
}

std::optional<RowError> checkRun(qint64 run, const FieldName &field)
{
    if (run < 1)
        return RowError { field.text(),
            QStringLiteral("must be a run number >= 1, got %1").arg(run) };
    if (run > 1000000)
        return RowError { field.text(),
            QStringLiteral("must be a run number <= 1000000, got %1").arg(run) };
    return std::nullopt;
}

std::optional<RowError> checkScore(qint64 score, const FieldName &field)
{
    if (score < 1 || score > 5)
        return RowError { field.text(), QStringLiteral("must be 1-5, got %1").arg(score) };
    return std::nullopt;
}

std::optional<RowError> readBool(element e, const FieldName &field, bool *out)
{
    if (e.type() != element_type::BOOL)
        return wrongType(field, QStringLiteral("true or false"), e);
    *out = e.get_bool().value_unsafe();
    return std::nullopt;
}

std::optional<RowError> readStringList(element e, const FieldName &field, QStringList *out)
{
    simdjson::dom::array array;
    if (e.get_array().get(array))
        return wrongType(field, QStringLiteral("an array of strings"), e);
    int i = 0;
    for (element v : array) {
        QString s;
        if (auto err = readString(v, field.withIndex(i), &s))
            return err;
        out->append(s);
        ++i;
    }
    return std::nullopt;
}

QByteArray jsonText(element e)
{
    return json::text(e);
}

/// Unknown keys are kept verbatim as a JSON object of metadata.
void appendMetadata(QByteArray *json, std::string_view key, element value)
{
    // Re-escape the key so that quotes/backslashes in it stay valid JSON.
    QByteArray out = json->isEmpty() ? QByteArray("{") : json->chopped(1) + ',';
    const QByteArray keyJson =
        QJsonDocument(QJsonArray { fromView(key) }).toJson(QJsonDocument::Compact);
    out += keyJson.mid(1, keyJson.size() - 2) + ':' + jsonText(value) + '}';
    *json = out;
}

std::optional<RowError> parseResponse(element e, const QString &path, ResponseRecord *r)
{
    simdjson::dom::object obj;
    if (e.get_object().get(obj))
        return wrongType(path, QStringLiteral("an object"), e);
    bool hasModel = false, hasText = false;
    for (auto field : obj) {
        const std::string_view key = field.key;
        const FieldName name(key, path);
        std::optional<RowError> err;
        if (key == "model") {
            hasModel = true;
            err = readBytes(field.value, name, &r->model);
        } else if (key == "run") {
            qint64 run = 0;
            err = readInt(field.value, name, &run);
            if (!err)
                err = checkRun(run, name);
            r->run = int(run);
        } else if (key == "text") {
            hasText = true;
            err = readBytes(field.value, name, &r->text);
        } else if (key == "refusal") {
            err = readBool(field.value, name, &r->refusal);
        } else if (key == "tokens") {
            if (!field.value.is_null()) {
                qint64 tokens = 0;
                err = readInt(field.value, name, &tokens);
                if (!err && tokens < 0)
                    err = RowError { name.text(), QStringLiteral("must not be negative") };
                r->tokens = tokens;
            }
        } else {
            appendMetadata(&r->metadataJson, key, field.value);
        }
        if (err)
            return err;
    }
    if (!hasModel)
        return RowError { path + QStringLiteral(".model"), QStringLiteral("is required") };
    if (r->model.trimmed().isEmpty())
        return RowError { path + QStringLiteral(".model"), QStringLiteral("must not be empty") };
    if (!hasText)
        return RowError { path + QStringLiteral(".text"), QStringLiteral("is required") };
    return std::nullopt;
}

std::optional<RowError> parseItem(simdjson::dom::object obj, ItemRecord *item)
{
    bool hasId = false, hasTurns = false, hasText = false;
    for (auto field : obj) {
        const std::string_view key = field.key;
        const FieldName name(key);
        std::optional<RowError> err;
        if (key == "item_id") {
            hasId = true;
            err = readBytes(field.value, name, &item->externalId);
        } else if (key == "dataset") {
            err = readBytes(field.value, name, &item->dataset);
        } else if (key == "split") {
            err = readBytes(field.value, name, &item->split);
        } else if (key == "turns") {
            hasTurns = true;
            simdjson::dom::array array;
            if (field.value.get_array().get(array))
                return wrongType(name, QStringLiteral("an array of strings"), field.value);
            int i = 0;
            qsizetype bytes = 2;
            for (element v : array) {
                std::string_view turn;
                const FieldName turnField(key, {}, i);
                if (v.get_string().get(turn))
                    return wrongType(turnField, QStringLiteral("a string"), v);
                if (auto nul = checkNoNul(turn, turnField))
                    return nul;
                bytes += qsizetype(turn.size()) + 3;
                ++i;
            }
            if (i == 0)
                return RowError { name.text(), QStringLiteral("must not be empty") };
            // The compact JSON of the array (as json::text() writes it), in one allocation
            // unless a turn needs escapes.
            QByteArray &turns = item->turnsJson;
            turns.clear();
            turns.reserve(bytes);
            turns.append('[');
            for (element v : array) {
                if (turns.size() > 1)
                    turns.append(',');
                json::appendString(&turns, v.get_string().value_unsafe());
            }
            turns.append(']');
        } else if (key == "text") {
            hasText = true;
            std::string_view text;
            if (field.value.get_string().get(text))
                return wrongType(name, QStringLiteral("a string"), field.value);
            if (auto nul = checkNoNul(text, name))
                return nul;
            item->turnsJson = "[";
            json::appendString(&item->turnsJson, text);
            item->turnsJson.append(']');
        } else if (key == "label") {
            if (!field.value.is_null())
                err = readBytes(field.value, name, &item->label);
        } else if (key == "responses") {
            simdjson::dom::array array;
            if (field.value.get_array().get(array))
                return wrongType(name, QStringLiteral("an array of objects"), field.value);
            int i = 0;
            for (element v : array) {
                ResponseRecord r;
                if (auto e = parseResponse(v, QStringLiteral("responses[%1]").arg(i), &r))
                    return e;
                item->responses.append(std::move(r));
                ++i;
            }
        } else {
            appendMetadata(&item->metadataJson, key, field.value);
        }
        if (err)
            return err;
    }
    if (!hasId)
        return RowError { QStringLiteral("item_id"), QStringLiteral("is required") };
    if (item->externalId.trimmed().isEmpty())
        return RowError { QStringLiteral("item_id"), QStringLiteral("must not be empty") };
    if (hasTurns && hasText)
        return RowError { QStringLiteral("text"),
            QStringLiteral("give either turns or text, not both") };
    if (!hasTurns && !hasText)
        return RowError { QStringLiteral("turns"), QStringLiteral("is required (or text)") };
    return std::nullopt;
}

std::optional<RowError> parseRating(simdjson::dom::object obj, RatingRecord *r)
{
    bool hasRater = false, hasItem = false, hasScore = false;
    for (auto field : obj) {
        const std::string_view key = field.key;
        const FieldName name(key);
        std::optional<RowError> err;
        if (key == "rater") {
            hasRater = true;
            err = readString(field.value, name, &r->rater);
        } else if (key == "rater_kind") {
            err = readString(field.value, name, &r->kind);
        } else if (key == "item_id") {
            hasItem = true;
            err = readString(field.value, name, &r->itemId);
        } else if (key == "category") {
            QString category;
            err = readString(field.value, name, &category);
            r->category = category;
        } else if (key == "note") {
            if (!field.value.is_null())
                err = readString(field.value, name, &r->note);
        } else if (key == "model") {
            QString model;
            err = readString(field.value, name, &model);
            r->model = model;
        } else if (key == "run") {
            qint64 run = 0;
            err = readInt(field.value, name, &run);
            if (!err)
                err = checkRun(run, name);
            r->run = int(run);
        } else if (key == "score") {
            hasScore = true;
            if (!field.value.is_null()) {
                qint64 score = 0;
                err = readInt(field.value, name, &score);
                if (!err)
                    err = checkScore(score, name);
                r->score = int(score);
            }
        } else if (key == "cannot_assess") {
            err = readBool(field.value, name, &r->cannotAssess);
        } else if (key == "checklist") {
            err = readStringList(field.value, name, &r->checklist);
        } else if (key == "rationale") {
            if (!field.value.is_null())
                err = readString(field.value, name, &r->rationale);
        } else if (key == "seconds_spent") {
            double seconds = 0;
            if (field.value.get_double().get(seconds)) {
                int64_t whole = 0;
                if (field.value.get_int64().get(whole))
                    return wrongType(name, QStringLiteral("a number"), field.value);
                seconds = double(whole);
            }
            r->secondsSpent = seconds;
        } else if (key == "rated_at") {
            if (!field.value.is_null())
                err = readString(field.value, name, &r->ratedAt);
        }
        // Other keys (pseudonyms from exports...) are ignored.
        if (err)
            return err;
    }
    if (!hasRater)
        return RowError { QStringLiteral("rater"), QStringLiteral("is required") };
    if (!hasItem)
        return RowError { QStringLiteral("item_id"), QStringLiteral("is required") };
    if (r->model && !r->score && !r->cannotAssess)
        return RowError { QStringLiteral("score"),
            hasScore ? QStringLiteral("is null: give a score 1-5, or cannot_assess: true")
                     : QStringLiteral("is required for a response rating") };
    if (!r->model && (hasScore || r->cannotAssess))
        return RowError { QStringLiteral("model"),
            QStringLiteral("is required for a response rating") };
    if (!r->model && !r->category)
        return RowError { QStringLiteral("category"),
            QStringLiteral("a rating line needs a category or a model and score") };
    return std::nullopt;
}

// ---- CSV → records -----------------------------------------------------------------

/// RFC 4180 reader: quoted fields may hold commas, quotes ("") and newlines.
class CsvReader {
public:
    explicit CsvReader(QFile &file)
        : m_file(file)
    {
    }

    /// Reads one record; false at end of file. `line` is where the record starts.
    bool next(QList<QByteArray> *fields, qint64 *line, QString *error)
    {
        fields->clear();
        error->clear();
        if (!fill())
            return false;
        *line = m_line;
        QByteArray field;
        qint64 length = 0; // of the current field, kept or not
        bool quoted = false, wasQuoted = false;
        // A field over the limit, quoted or not, is dropped while the record is read to
        // its end (so the next record starts where it should), then reported.
        bool tooLong = false;
        const auto add = [&](char c) {
            if (++length > maxLineBytes && !tooLong) {
                tooLong = true;
                field.clear();
                field.squeeze();
            }
            if (!tooLong)
                field += c;
        };
        const auto endField = [&] {
            fields->append(field);
            field.clear();
            length = 0;
        };
        const auto finish = [&] {
            if (tooLong) {
                fields->clear();
                *error = QStringLiteral("field longer than %1 MiB").arg(maxLineBytes >> 20);
            }
            return true;
        };
        while (true) {
            if (!fill()) {
                if (quoted && !tooLong) {
                    *error = QStringLiteral("unterminated quoted field");
                    return true;
                }
                endField();
                return finish();
            }
            const char c = m_buffer[m_pos++];
            m_bytes++;
            if (quoted) {
                if (c == '"') {
                    if (fill() && m_buffer[m_pos] == '"') {
                        add('"');
                        ++m_pos;
                        m_bytes++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n')
                        ++m_line;
                    add(c);
                }
                continue;
            }
            if (c == '"' && length == 0 && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == ',') {
                endField();
                wasQuoted = false;
            } else if (c == '\n') {
                ++m_line;
                if (field.endsWith('\r'))
                    field.chop(1);
                endField();
                return finish();
            } else {
                if (wasQuoted && c != '\r') {
                    *error = QStringLiteral("unexpected character after a closing quote");
                    skipLine();
                    return true;
                }
                add(c);
            }
        }
    }

    qint64 bytesRead() const { return m_bytes; }

private:
    bool fill()
    {
        if (m_pos < m_buffer.size())
            return true;
        m_buffer = m_file.read(1 << 20);
        m_pos = 0;
        return !m_buffer.isEmpty();
    }
    void skipLine()
    {
        while (fill()) {
            m_bytes++;
            if (m_buffer[m_pos++] == '\n') {
                ++m_line;
                return;
            }
        }
    }

    QFile &m_file;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
    qint64 m_bytes = 0;
};

/// A cell as exported: a text cell the CSV export neutralised ('=…) reads back as it was.
QByteArray csvBytes(const QList<QByteArray> &fields, int column)
{
    return column >= 0 && column < fields.size() ? restoreCsvCell(fields[column]) : QByteArray();
}

QString csvValue(const QList<QByteArray> &fields, int column)
{
    return QString::fromUtf8(csvBytes(fields, column));
}

/// An integer in a CSV cell: ASCII digits with an optional leading '-', nothing else
/// (no spaces, no '+'), as strict as a JSON number.
std::optional<RowError> csvInt(
    const QString &text, const QString &field, std::optional<qint64> *out)
{
    if (text.isEmpty())
        return std::nullopt;
    bool ok = true;
    for (qsizetype i = 0; i < text.size() && ok; ++i)
        ok = (text[i] >= QLatin1Char('0') && text[i] <= QLatin1Char('9'))
            || (i == 0 && text[i] == QLatin1Char('-') && text.size() > 1);
    const qint64 v = ok ? text.toLongLong(&ok) : 0;
    if (!ok)
        return RowError { field, QStringLiteral("must be an integer, got '%1'").arg(text) };
    *out = v;
    return std::nullopt;
}

std::optional<RowError> csvBool(const QString &text, const QString &field, bool *out)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty() || t == QLatin1String("false") || t == QLatin1String("0")
        || t == QLatin1String("no"))
        *out = false;
    else if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes"))
        *out = true;
    else
        return RowError { field, QStringLiteral("must be true or false, got '%1'").arg(text) };
    return std::nullopt;
}

// ---- the import run ----------------------------------------------------------------

class Run {
public:
    Run(Study &study, const ImportOptions &options, ImportReport *report, Error *error)
        : m_study(study)
        , m_options(options)
        , m_report(report)
        , m_error(error)
        , m_writer(study)
    {
    }

    bool importFiles(const QStringList &files)
    {
        for (const QString &f : files)
            m_totalBytes += QFileInfo(f).size();
        // A first import into an empty study: written once, not through a WAL as large
        // as the import (the journal goes back to WAL when this scope ends).
        const BulkLoadJournal journal(m_study);
        WriteTransaction tx(m_study, m_error);
        if (!tx.isActive())
            return false;
        // The writer keeps the item and response tallies of this transaction (one write
        // per group at the end, not a trigger per row).
        if (!m_writer.beginBulkLoad(m_error) || !m_writer.prepare(m_error))
            return false;
        for (const QString &file : files) {
            if (!importFile(file))
                return false;
            if (stopped())
                break;
        }
        if (!m_report->errors.isEmpty()) {
            *m_error = Error::invalid(m_report->errors.first().toString());
            return false;
        }
        if (!recordRun(files) || !m_writer.finishBulkLoad(m_error))
            return false;
        if (m_options.dryRun)
            return true; // the transaction rolls back
        if (!tx.commit(m_error))
            return false;
        reportProgress(true);
        return true;
    }

private:
    bool stopped() const { return m_report->errors.size() >= m_options.maxErrors; }

    void issue(const QString &file, qint64 line, const RowError &e)
    {
        ImportIssue i { file, line, e.field, e.reason };
        if (m_options.skipInvalid)
            m_report->skipped.append(i);
        else if (!stopped())
            m_report->errors.append(i);
    }

    void reportProgress(bool force = false)
    {
        if (!m_options.progress)
            return;
        if (force || m_doneBytes - m_lastProgress >= progressStep) {
            m_lastProgress = m_doneBytes;
            m_options.progress(m_doneBytes, m_totalBytes);
        }
    }

    ImportFormat detect(const QString &file, QFile &f)
    {
        if (m_options.format != ImportFormat::Auto)
            return m_options.format;
        const QString suffix = QFileInfo(file).suffix().toLower();
        if (suffix == QLatin1String("csv"))
            return ImportFormat::Csv;
        if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson"))
            return ImportFormat::Jsonl;
        QByteArray head = f.peek(4096);
        if (head.startsWith("\xEF\xBB\xBF"))
            head = head.mid(3);
        head = head.trimmed();
        if (head.startsWith('{'))
            return ImportFormat::Jsonl;
        if (head.startsWith('['))
            return ImportFormat::Benchmark;
        return ImportFormat::Csv;
    }

    bool importFile(const QString &file)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            issue(file, 0, { {}, QStringLiteral("cannot read: ") + f.errorString() });
            return true;
        }
        // Still rejected with --skip-invalid: an empty file is almost always a mistake.
        const QString empty = QStringLiteral("file is empty");
        if (f.size() == 0) {
            m_report->errors.append({ file, 1, {}, empty });
            return true;
        }
        if (f.peek(3) == "\xEF\xBB\xBF")
            f.skip(3); // UTF-8 byte-order mark
        const qint64 before = m_doneBytes;
        const qint64 rowsBefore = m_report->counts.rows;
        const qsizetype issuesBefore = m_report->errors.size() + m_report->skipped.size();
        bool ok = false;
        switch (detect(file, f)) {
        case ImportFormat::Jsonl:
            ok = importJsonl(file, f);
            break;
        case ImportFormat::Csv:
            ok = importCsv(file, f);
            break;
        case ImportFormat::Benchmark:
        case ImportFormat::Auto:
            m_report->errors.append({ file, 1, {},
                QStringLiteral("the published benchmark layout (JSON arrays) "
                               "is not available yet; use JSONL or CSV") });
            ok = true;
            break;
        }
        m_doneBytes = before + f.size();
        reportProgress();
        if (ok && m_report->counts.rows == rowsBefore
            && m_report->errors.size() + m_report->skipped.size() == issuesBefore)
            m_report->errors.append({ file, 1, {}, empty });
        return ok;
    }

    bool importJsonl(const QString &file, QFile &f)
    {
        simdjson::dom::parser parser;
        // One buffer with simdjson's padding at the end; lines are parsed in place.
        // It grows up to one whole line of up to maxLineBytes plus read-ahead; a small
        // file gets a small buffer.
        const qint64 maxCapacity = (8 << 20) + maxLineBytes;
        qint64 capacity = std::clamp<qint64>(f.size() - f.pos() + 1, qint64(64) << 10, maxCapacity);
        std::vector<char> buffer(std::size_t(capacity + simdjson::SIMDJSON_PADDING));
        const QString tooLong = QStringLiteral("line longer than %1 MiB").arg(maxLineBytes >> 20);
        qint64 filled = 0;
        qint64 lineNo = 0;
        qint64 offsetBase = m_doneBytes + f.pos();
        bool eof = false;
        bool skippingLongLine = false; // inside a line already reported as too long
        while (true) {
            if (!eof && filled < capacity) {
                const qint64 n = f.read(buffer.data() + filled, capacity - filled);
                if (n < 0) {
                    *m_error =
                        Error::storage(file + QStringLiteral(": read error: ") + f.errorString());
                    return false;
                }
                eof = n == 0;
                filled += n;
            }
            qint64 start = 0;
            while (start < filled) {
                const char *begin = buffer.data() + start;
                const void *nl = memchr(begin, '\n', std::size_t(filled - start));
                if (!nl && !eof)
                    break; // incomplete line: read more first
                const qint64 len = nl ? static_cast<const char *>(nl) - begin : filled - start;
                if (skippingLongLine) {
                    skippingLongLine = false;
                } else {
                    ++lineNo;
                    if (len > maxLineBytes)
                        issue(file, lineNo, { {}, tooLong });
                    else if (!handleJsonLine(file, lineNo, parser, begin, std::size_t(len)))
                        return false;
                }
                start += len + (nl ? 1 : 0);
                m_doneBytes = offsetBase + start;
                reportProgress();
                if (stopped())
                    return true;
            }
            offsetBase += start;
            const qint64 rest = filled - start;
            if (start > 0 && rest > 0)
                memmove(buffer.data(), buffer.data() + start, std::size_t(rest));
            filled = rest;
            if (eof && filled == 0)
                return true;
            if (filled >= capacity && capacity < maxCapacity) {
                capacity = std::min(capacity * 2, maxCapacity);
                buffer.resize(std::size_t(capacity + simdjson::SIMDJSON_PADDING));
                continue;
            }
            if (filled >= capacity) {
                // No newline in a full buffer: report once, then drop bytes up to the next newline.
                if (!skippingLongLine) {
                    ++lineNo;
                    issue(file, lineNo, { {}, tooLong });
                    skippingLongLine = true;
                }
                offsetBase += filled;
                filled = 0;
            }
        }
    }

    bool handleJsonLine(const QString &file, qint64 lineNo, simdjson::dom::parser &parser,
        const char *data, std::size_t len)
    {
        std::string_view view(data, len);
        while (!view.empty() && (view.back() == '\r' || view.back() == ' ' || view.back() == '\t'))
            view.remove_suffix(1);
        if (view.find_first_not_of(" \t") == std::string_view::npos)
            return true; // blank line
        ++m_report->counts.rows;
        element doc;
        if (auto code = parser.parse(view.data(), view.size(), false).get(doc)) {
            QString reason;
            if (code == simdjson::UTF8_ERROR)
                reason = QStringLiteral("invalid UTF-8");
            else
                reason = QStringLiteral("invalid JSON: ")
                    + QString::fromUtf8(simdjson::error_message(code));
            issue(file, lineNo, { {}, reason });
            return true;
        }
        simdjson::dom::object obj;
        if (doc.get_object().get(obj)) {
            issue(file, lineNo,
                { {}, QStringLiteral("each line must be a JSON object, got ") + typeName(doc) });
            return true;
        }
        element ignored;
        if (!obj.at_key("rater").get(ignored)) {
            RatingRecord r;
            if (auto e = parseRating(obj, &r)) {
                issue(file, lineNo, *e);
                return true;
            }
            return write(file, lineNo, [&](RowError *e) { return m_writer.writeRating(r, e); });
        }
        ItemRecord item;
        if (auto e = parseItem(obj, &item)) {
            issue(file, lineNo, *e);
            return true;
        }
        return write(file, lineNo, [&](RowError *e) { return m_writer.writeItem(item, e); });
    }

    template<typename Fn> bool write(const QString &file, qint64 lineNo, Fn &&fn)
    {
        RowError e;
        const RecordWriter::Outcome outcome =
            writeRow(m_writer, m_options.skipInvalid, std::forward<Fn>(fn), &e, m_error);
        if (outcome == RecordWriter::Outcome::Fatal)
            return false;
        if (outcome == RecordWriter::Outcome::Invalid)
            issue(file, lineNo, e);
        return true;
    }

    bool importCsv(const QString &file, QFile &f)
    {
        CsvReader reader(f);
        QList<QByteArray> fields;
        qint64 line = 0;
        QString problem;
        if (!reader.next(&fields, &line, &problem) || !problem.isEmpty()) {
            issue(file, 1, { {}, problem.isEmpty() ? QStringLiteral("file is empty") : problem });
            return true;
        }
        QHash<QString, int> column;
        QStringList headers;
        for (int i = 0; i < fields.size(); ++i) {
            QString name = QString::fromUtf8(fields[i]).trimmed();
            if (i == 0 && name.startsWith(QChar(0xFEFF)))
                name = name.mid(1);
            if (column.contains(name)) {
                issue(file, 1, { name, QStringLiteral("duplicate column in the header") });
                return true;
            }
            column.insert(name, i);
            headers.append(name);
        }
        auto col = [&](const char *name) { return column.value(QString::fromLatin1(name), -1); };
        const bool ratings = col("rater") >= 0;
        if (!ratings && col("item_id") < 0) {
            issue(file, 1,
                { {},
                    QStringLiteral("CSV header needs an item_id column (items) or a "
                                   "rater column (ratings)") });
            return true;
        }
        if (!ratings && col("turns") < 0 && col("text") < 0) {
            issue(file, 1, { {}, QStringLiteral("CSV header needs a turns or text column") });
            return true;
        }
        const qint64 base = m_doneBytes;
        while (reader.next(&fields, &line, &problem)) {
            m_doneBytes = base + reader.bytesRead();
            reportProgress();
            if (!problem.isEmpty()) {
                issue(file, line, { {}, problem });
                continue;
            }
            if (fields.size() == 1 && fields[0].trimmed().isEmpty())
                continue;
            ++m_report->counts.rows;
            if (fields.size() != column.size()) {
                issue(file, line,
                    { {},
                        QStringLiteral("has %1 fields, the header has %2")
                            .arg(fields.size())
                            .arg(column.size()) });
                continue;
            }
            bool utf8ok = true;
            for (int i = 0; i < fields.size() && utf8ok; ++i) {
                if (!simdjson::validate_utf8(
                        fields[i].constData(), std::size_t(fields[i].size()))) {
                    issue(file, line, { headers.value(i), QStringLiteral("invalid UTF-8") });
                    utf8ok = false;
                } else if (auto nul = checkNoNul(std::string_view(fields[i].constData(),
                                                     std::size_t(fields[i].size())),
                               headers.value(i))) {
                    issue(file, line, *nul);
                    utf8ok = false;
                }
            }
            if (!utf8ok)
                continue;
            const bool ok =
                ratings ? csvRating(file, line, fields, col) : csvItem(file, line, fields, col);
            if (!ok)
                return false;
            if (stopped())
                return true;
        }
        return true;
    }

    template<typename Col>
    bool csvItem(const QString &file, qint64 line, const QList<QByteArray> &fields, Col col)
    {
        ItemRecord item;
        item.externalId = csvBytes(fields, col("item_id"));
        item.dataset = csvBytes(fields, col("dataset"));
        item.split = csvBytes(fields, col("split"));
        item.label = csvBytes(fields, col("label"));
        if (item.externalId.trimmed().isEmpty()) {
            issue(file, line, { QStringLiteral("item_id"), QStringLiteral("must not be empty") });
            return true;
        }
        if (col("turns") >= 0) {
            const QByteArray raw = fields[col("turns")];
            QJsonParseError pe {};
            const QJsonDocument doc = QJsonDocument::fromJson(raw, &pe);
            bool valid = doc.isArray() && !doc.array().isEmpty();
            bool nul = false;
            for (const auto &v : doc.array()) {
                valid = valid && v.isString();
                nul = nul || v.toString().contains(QChar(0));
            }
            if (!valid) {
                issue(file, line,
                    { QStringLiteral("turns"), QStringLiteral("must be a JSON array of strings") });
                return true;
            }
            if (nul) {
                issue(file, line,
                    { QStringLiteral("turns"),
                        QStringLiteral("must not contain a NUL character") });
                return true;
            }
            item.turnsJson = doc.toJson(QJsonDocument::Compact);
        } else {
            const QString text = csvValue(fields, col("text"));
            if (text.isEmpty()) {
                issue(file, line, { QStringLiteral("text"), QStringLiteral("must not be empty") });
                return true;
            }
            item.turnsJson = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
        }
        if (col("model") >= 0 && !csvValue(fields, col("model")).isEmpty()) {
            ResponseRecord r;
            r.model = csvBytes(fields, col("model"));
            r.text = csvBytes(fields, col("response_text"));
            std::optional<qint64> run, tokens;
            if (auto e = csvInt(csvValue(fields, col("run")), QStringLiteral("run"), &run)) {
                issue(file, line, *e);
                return true;
            }
            if (run) {
                if (auto e = checkRun(*run, QStringLiteral("run"))) {
                    issue(file, line, *e);
                    return true;
                }
            }
            if (auto e =
                    csvInt(csvValue(fields, col("tokens")), QStringLiteral("tokens"), &tokens)) {
                issue(file, line, *e);
                return true;
            }
            if (auto e = csvBool(
                    csvValue(fields, col("refusal")), QStringLiteral("refusal"), &r.refusal)) {
                issue(file, line, *e);
                return true;
            }
            if (col("response_text") < 0) {
                issue(file, line,
                    { QStringLiteral("response_text"),
                        QStringLiteral("column is required with model") });
                return true;
            }
            r.run = int(run.value_or(1));
            r.tokens = tokens;
            item.responses.append(r);
            item.allowRepeat = true; // one CSV row per response repeats the item's fields
        }
        return write(file, line, [&](RowError *e) { return m_writer.writeItem(item, e); });
    }

    template<typename Col>
    bool csvRating(const QString &file, qint64 line, const QList<QByteArray> &fields, Col col)
    {
        RatingRecord r;
        r.rater = csvValue(fields, col("rater"));
        r.kind = csvValue(fields, col("rater_kind"));
        r.itemId = csvValue(fields, col("item_id"));
        if (r.itemId.isEmpty()) {
            issue(file, line, { QStringLiteral("item_id"), QStringLiteral("must not be empty") });
            return true;
        }
        if (const QString c = csvValue(fields, col("category")); !c.isEmpty())
            r.category = c;
        r.note = csvValue(fields, col("note"));
        if (const QString m = csvValue(fields, col("model")); !m.isEmpty())
            r.model = m;
        std::optional<qint64> run, score;
        if (auto e = csvInt(csvValue(fields, col("run")), QStringLiteral("run"), &run)) {
            issue(file, line, *e);
            return true;
        }
        if (run) {
            if (auto e = checkRun(*run, QStringLiteral("run"))) {
                issue(file, line, *e);
                return true;
            }
        }
        r.run = int(run.value_or(1));
        if (auto e = csvInt(csvValue(fields, col("score")), QStringLiteral("score"), &score)) {
            issue(file, line, *e);
            return true;
        }
        if (score) {
            if (auto e = checkScore(*score, QStringLiteral("score"))) {
                issue(file, line, *e);
                return true;
            }
            r.score = int(*score);
        }
        if (auto e = csvBool(csvValue(fields, col("cannot_assess")),
                QStringLiteral("cannot_assess"), &r.cannotAssess)) {
            issue(file, line, *e);
            return true;
        }
        if (const QString c = csvValue(fields, col("checklist")); !c.isEmpty())
            r.checklist = c.split(QLatin1Char(';'), Qt::SkipEmptyParts);
        r.rationale = csvValue(fields, col("rationale"));
        r.ratedAt = csvValue(fields, col("rated_at"));
        if (const QString s = csvValue(fields, col("seconds_spent")); !s.isEmpty()) {
            bool ok = false;
            r.secondsSpent = s.toDouble(&ok);
            if (!ok) {
                issue(file, line,
                    { QStringLiteral("seconds_spent"), QStringLiteral("must be a number") });
                return true;
            }
        }
        if (!r.model && !r.category) {
            issue(file, line,
                { QStringLiteral("category"),
                    QStringLiteral("a rating row needs a category or a model and score") });
            return true;
        }
        if (r.model && !r.score && !r.cannotAssess) {
            issue(file, line,
                { QStringLiteral("score"), QStringLiteral("is required for a response rating") });
            return true;
        }
        return write(file, line, [&](RowError *e) { return m_writer.writeRating(r, e); });
    }

    bool recordRun(const QStringList &files)
    {
        // The writer counts what it stored; the run counts the rows it read.
        const qint64 rows = m_report->counts.rows;
        m_report->counts = m_writer.counts();
        m_report->counts.rows = rows;
        return recordImportRun(m_study, QStringLiteral("jsonl/csv"), files, *m_report, m_error);
    }

    Study &m_study;
    const ImportOptions &m_options;
    ImportReport *m_report;
    Error *m_error;
    RecordWriter m_writer;
    qint64 m_totalBytes = 0;
    qint64 m_doneBytes = 0;
    qint64 m_lastProgress = 0;
};

} // namespace

bool Importer::run(
    const QStringList &files, const ImportOptions &options, ImportReport *report, Error *error)
{
    *report = {};
    if (files.isEmpty()) {
        *error = Error::invalid(QStringLiteral("no files to import"));
        return false;
    }
    // Before anything opens a path (format detection peeks at files): a FIFO would block.
    const bool folders =
        options.format == ImportFormat::Auto || options.format == ImportFormat::Benchmark;
    for (const QString &file : files) {
        if (const QString why = inputFileProblem(file, folders); !why.isEmpty())
            report->errors.append({ file, 0, {}, why });
    }
    if (!report->errors.isEmpty()) {
        *error = Error::invalid(report->errors.first().toString());
        return false;
    }
    if (options.format == ImportFormat::Auto
        && std::any_of(files.cbegin(), files.cend(), isRaterPackageFile)) {
        if (!std::all_of(files.cbegin(), files.cend(), isRaterPackageFile)) {
            *error = Error::invalid(QStringLiteral("rater packages (and bundles exported from "
                                                   "them) are imported on their own, not with "
                                                   "other files"));
            return false;
        }
        return mergeRaterPackages(m_study, files, options, report, error);
    }
    if (options.format == ImportFormat::Benchmark
        || (options.format == ImportFormat::Auto && BenchmarkImporter::looksLikeBenchmark(files)))
        return BenchmarkImporter(m_study).run(files, options, report, error);
    Run run(m_study, options, report, error);
    return run.importFiles(files);
}

} // namespace cr::storage
