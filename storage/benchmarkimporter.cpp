#include "storage/benchmarkimporter.h"

#include "storage/files.h"
#include "storage/jsonutil.h"
#include "storage/records.h"
#include "storage/study.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <cmath>
#include <simdjson.h>
#include <vector>

namespace cr::storage {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

enum class Kind {
    Dataset,
    Answers,
    Judge,
    LlmLabels,
    LlmMerged,
    HumanLabels,
    HumanScores,
    HumanMerged
};

/// One object of a file: the fields the importer uses, already checked.
struct Row {
    bool valid = true;
    QString inputs; // normalised text, for content checks
    QByteArray turnsJson;
    QByteArray datasetId;
    QByteArray label; // as given; empty = none
    bool hasAnswer = false;
    QByteArray answer;
    bool refusal = false;
    std::optional<qint64> tokens;
    QByteArray metadata;
    std::optional<int> score; // human score, or a judge's single score
    bool hasEvals = false;
    QList<std::optional<int>> evals;
    QList<QByteArray> allLabels;
    QByteArray rationale;
    int stringScores = 0; // scores given as JSON strings ("4", "NaN")
    bool answerIsResidue = false; // --align position: `answer` was not text (a bare number...)
};

struct SourceFile {
    QString path;
    Kind kind = Kind::Dataset;
    QString who; // model (answers, LLM labels), human rater, judge
    QString model; // judge files: the judged model
    QString dataset; // empty for human files
    QString stamp; // answers/labels timestamp; judge files: the answers' timestamp
    QString stamp2; // judge files: the evaluation timestamp, empty when merged
    bool merged = false;
    qint64 size = 0;
    std::vector<Row> rows;
    std::vector<int> lines; // where each row starts, then where the array ends
    std::size_t rowCount = 0; // rows parsed (`rows` is released before writing)
    int group = -1;
};

/// What an earlier import left in the study: an item of a benchmark dataset and
/// its responses, so that files imported later align with it.
struct StoredResponse {
    QByteArray model;
    int run = 1;
    QString text; // normalised
};

struct StoredItem {
    QByteArray externalId;
    QByteArray datasetId;
    QByteArray turnsJson;
    QByteArray label;
    QByteArray split;
    QString inputs; // normalised, sentences joined with " | "
    QList<StoredResponse> responses;
};

struct ItemState {
    ItemRecord record;
    QString inputs;
    QByteArray datasetId;
    bool valid = true;
    QHash<QPair<QByteArray, int>, int> responses; // (model, run) → index in record.responses
    QHash<QPair<QByteArray, int>, QString> responseSource; // file that gave the response
    const StoredItem *stored = nullptr; // the item as already in the study
    /// Responses a scored `answer` can match: this import's, then the study's.
    QStringList normalisedTexts;
    QList<QPair<QByteArray, int>> textKeys; // (model, run), parallel to normalisedTexts
};

struct Group {
    QString name;
    int anchor = -1; // the file whose rows become the items; -1: the study's items
    QString anchorName; // its file name, for messages
    std::vector<ItemState> items;
};

struct PendingRating {
    RatingRecord rating;
    int file = 0;
    int index = 0;
};

/// For content comparisons: Unicode NFC (an "é" typed as e + accent equals "é"),
/// runs of white space as one space.
QString normalised(const QString &text)
{
    return text.normalized(QString::NormalizationForm_C).simplified();
}

QString shortText(const QString &text, qsizetype from = 0)
{
    const qsizetype start = std::max<qsizetype>(0, std::min(from - 10, text.size() - 40));
    QString out = text.mid(start, 40);
    if (start > 0)
        out.prepend(QStringLiteral("…"));
    return start + 40 < text.size() ? out + QStringLiteral("…") : out;
}

/// Where two texts first differ.
qsizetype firstDifference(const QString &a, const QString &b)
{
    qsizetype i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    return i;
}

/// Replaces the bare literal NaN outside strings with null (it is not JSON), and
/// notes the line (1-based) on which each element of the top-level array starts,
/// then the line of its closing bracket.
QByteArray withoutNaN(
    const QByteArray &in, std::vector<int> *lines, std::vector<qsizetype> *nanAt = nullptr)
{
    std::vector<qsizetype> localAt;
    std::vector<qsizetype> &at = nanAt ? *nanAt : localAt; // where a bare NaN starts
    bool inString = false;
    bool expectElement = false;
    int depth = 0, line = 1;
    const char *d = in.constData();
    const qsizetype n = in.size();
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (qsizetype i = 0; i < n; ++i) {
        const char c = d[i];
        if (c == '\n')
            ++line;
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (depth == 1 && expectElement && c != ']'
            && !std::isspace(static_cast<unsigned char>(c))) {
            lines->push_back(line);
            expectElement = false;
        }
        if (c == '[' || c == '{') {
            expectElement = depth == 0 && c == '[';
            ++depth;
        } else if (c == ']' || c == '}') {
            if (--depth == 0)
                lines->push_back(line);
        } else if (c == ',' && depth == 1) {
            expectElement = true;
        } else if (c == '"') {
            inString = true;
        } else if (c == 'N' && i + 2 < n && d[i + 1] == 'a' && d[i + 2] == 'N'
            && (i == 0 || !word(d[i - 1])) && (i + 3 >= n || !word(d[i + 3]))) {
            at.push_back(i);
            i += 2;
        }
    }
    if (at.empty())
        return in;
    QByteArray out;
    out.reserve(n + qsizetype(at.size()));
    qsizetype from = 0;
    for (qsizetype pos : at) {
        out.append(d + from, pos - from);
        out.append("null", 4);
        from = pos + 3;
    }
    out.append(d + from, n - from);
    return out;
}

/// Line and column (1-based, the column in characters) of byte `offset` of `in`.
std::pair<qint64, qint64> lineAndColumn(const QByteArray &in, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, in.size());
    qint64 line = 1, column = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column; // not a UTF-8 continuation byte: a new character
        }
    }
    return { line, column };
}

/// The first byte of `in` that is not valid UTF-8 (in.size() when all is).
qsizetype firstInvalidUtf8(const QByteArray &in)
{
    const auto *d = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    for (qsizetype i = 0; i < n;) {
        const unsigned char c = d[i];
        const int more = c < 0x80      ? 0
            : (c >= 0xC2 && c <= 0xDF) ? 1
            : (c >= 0xE0 && c <= 0xEF) ? 2
            : (c >= 0xF0 && c <= 0xF4) ? 3
                                       : -1;
        if (more < 0 || i + more >= n + (more == 0 ? 1 : 0))
            return i;
        for (int k = 1; k <= more; ++k)
            if ((d[i + k] & 0xC0) != 0x80)
                return i;
        i += more + 1;
    }
    return n;
}

/// Where a document simdjson refused breaks, as an offset into the original bytes
/// (before NaN became null; `nanAt` are the NaNs' offsets there): the first invalid
/// UTF-8 byte, else the offset Qt's JSON parser reports; -1 when neither finds it.
qsizetype syntaxErrorOffset(
    const QByteArray &parsed, const std::vector<qsizetype> &nanAt, simdjson::error_code code)
{
    qsizetype at = -1;
    if (code == simdjson::UTF8_ERROR) {
        at = firstInvalidUtf8(parsed);
        if (at == parsed.size())
            return -1;
    } else {
        QJsonParseError pe {};
        QJsonDocument::fromJson(parsed, &pe);
        if (pe.error == QJsonParseError::NoError)
            return -1;
        at = pe.offset;
    }
    // Each NaN before the offset was replaced by the one byte longer null.
    qsizetype shift = 0;
    for (std::size_t k = 0; k < nanAt.size(); ++k)
        if (nanAt[k] + qsizetype(k) + 4 <= at)
            ++shift;
    return at - shift;
}

const QString timestamp = QStringLiteral(R"((\d{8}[-_]?\d{6}))");

struct Pattern {
    Kind kind;
    const char *folder;
    QRegularExpression re;
};

const std::vector<Pattern> &patterns()
{
    static const std::vector<Pattern> list = [] {
        auto re = [](const QString &p) {
            return QRegularExpression(QLatin1Char('^') + p + QLatin1Char('$'));
        };
        const QString ts = timestamp;
        return std::vector<Pattern> {
            { Kind::Dataset, "processed", re(QStringLiteral(R"((sampled_dataset_.+)\.json)")) },
            { Kind::Answers, "llm_answer",
                re(QStringLiteral(R"((.+?)-answers-(.+)[-_])") + ts
                    + QStringLiteral(R"(\.json)")) },
            { Kind::Judge, "llm_evaluator",
                re(QStringLiteral(R"((.+?)-evaluation_(.+?)-answers-(.+)[-_])") + ts
                    + QStringLiteral(R"((?:[-_])") + ts
                    + QStringLiteral(R"(|[-_](merged))\.json)")) },
            { Kind::LlmMerged, "llm_label",
                re(QStringLiteral(R"((.+?)-label(?:l)?ed-(.+?)[-_]merged[-_]labels\.json)")) },
            { Kind::LlmLabels, "llm_label",
                re(QStringLiteral(R"((.+?)-label(?:l)?ed-(.+)[-_])") + ts
                    + QStringLiteral(R"(\.json)")) },
            { Kind::HumanMerged, "human_label",
                re(QStringLiteral(R"(human-label(?:l)?ed-(.+?)[-_]merged[-_]labels\.json)")) },
            { Kind::HumanLabels, "human_label",
                re(QStringLiteral(R"(([^_]+)_label(?:l)?ed_.*\.json)")) },
            { Kind::HumanScores, "human_label", re(QStringLiteral(R"(([^_]+)_scores_.*\.json)")) },
        };
    }();
    return list;
}

QString digits(const QString &stamp)
{
    QString out = stamp;
    out.remove(QLatin1Char('-'));
    out.remove(QLatin1Char('_'));
    return out;
}

/// Sets `file` from its folder and name, or returns why it is not a benchmark file.
QString classify(SourceFile *file)
{
    const QFileInfo info(file->path);
    const QString name = info.fileName();
    if (name.startsWith(QLatin1String("TEMP_")))
        return QStringLiteral("a temporary file of the benchmark scripts");
    if (info.suffix().toLower() != QLatin1String("json"))
        return QStringLiteral("not a JSON file");
    const QStringList folders =
        QDir::fromNativeSeparators(info.absolutePath()).split(QLatin1Char('/'));
    for (const Pattern &p : patterns()) {
        if (!folders.contains(QLatin1String(p.folder)))
            continue;
        const QRegularExpressionMatch m = p.re.match(name);
        if (!m.hasMatch())
            continue;
        file->kind = p.kind;
        switch (p.kind) {
        case Kind::Dataset:
            file->dataset = m.captured(1);
            break;
        case Kind::Answers:
        case Kind::LlmLabels:
            file->who = m.captured(1);
            file->dataset = m.captured(2);
            file->stamp = digits(m.captured(3));
            break;
        case Kind::Judge:
            file->who = m.captured(1);
            file->model = m.captured(2);
            file->dataset = m.captured(3);
            file->stamp = digits(m.captured(4));
            file->stamp2 = digits(m.captured(5));
            file->merged = !m.captured(6).isEmpty();
            break;
        case Kind::LlmMerged:
            file->who = m.captured(1);
            file->dataset = m.captured(2);
            file->merged = true;
            break;
        case Kind::HumanLabels:
        case Kind::HumanScores:
            file->who = m.captured(1);
            break;
        case Kind::HumanMerged:
            file->merged = true;
            break;
        }
        return {};
    }
    return QStringLiteral("not a file of the benchmark layout");
}

// ---- reading one object ------------------------------------------------------------

using Problem = std::optional<RowError>;

RowError wrongType(const QString &field, const QString &expected, element e)
{
    return { field, QStringLiteral("must be %1, got %2").arg(expected, json::typeName(e)) };
}

/// A text the import stores: at most maxImportFieldBytes, no NUL character.
Problem checkText(std::string_view text, const QString &field)
{
    if (qint64(text.size()) > maxImportFieldBytes)
        return RowError { field,
            QStringLiteral("longer than %1 MiB").arg(maxImportFieldBytes >> 20) };
    if (text.find('\0') != std::string_view::npos)
        return RowError { field, QStringLiteral("must not contain a NUL character") };
    return std::nullopt;
}

Problem readInputs(simdjson::dom::object obj, bool joined, Row *row)
{
    element e;
    if (obj.at_key("inputs").get(e))
        return RowError { QStringLiteral("inputs"), QStringLiteral("is required") };
    std::string_view text;
    if (!e.get_string().get(text)) {
        if (!joined) // the score files join the sentences; the others keep an array
            return wrongType(QStringLiteral("inputs"), QStringLiteral("an array of strings"), e);
        if (auto p = checkText(text, QStringLiteral("inputs")))
            return p;
        row->inputs = normalised(json::fromView(text));
        row->turnsJson = '[' + json::text(e) + ']';
        return std::nullopt;
    }
    simdjson::dom::array array;
    if (e.get_array().get(array))
        return wrongType(QStringLiteral("inputs"), QStringLiteral("an array of strings"), e);
    QStringList parts;
    int i = 0;
    qint64 total = 0;
    for (element v : array) {
        if (v.get_string().get(text))
            return wrongType(QStringLiteral("inputs[%1]").arg(i), QStringLiteral("a string"), v);
        total += qint64(text.size());
        if (auto p = checkText(text, QStringLiteral("inputs[%1]").arg(i)))
            return p;
        if (total > maxImportFieldBytes)
            return RowError { QStringLiteral("inputs"),
                QStringLiteral("longer than %1 MiB").arg(maxImportFieldBytes >> 20) };
        parts.append(json::fromView(text));
        ++i;
    }
    if (parts.isEmpty())
        return RowError { QStringLiteral("inputs"), QStringLiteral("must not be empty") };
    row->inputs = normalised(parts.join(QStringLiteral(" | ")));
    row->turnsJson = json::text(e);
    return std::nullopt;
}

Problem readOptionalString(simdjson::dom::object obj, const char *key, QByteArray *out)
{
    element e;
    if (obj.at_key(key).get(e) || e.is_null())
        return std::nullopt;
    std::string_view text;
    if (e.get_string().get(text))
        return wrongType(QString::fromLatin1(key), QStringLiteral("a string"), e);
    if (auto p = checkText(text, QString::fromLatin1(key)))
        return p;
    *out = QByteArray(text.data(), qsizetype(text.size()));
    return std::nullopt;
}

Problem readDatasetId(simdjson::dom::object obj, Row *row)
{
    element e;
    if (obj.at_key("dataset_id").get(e) || e.is_null())
        return std::nullopt;
    if (e.type() == element_type::INT64 || e.type() == element_type::UINT64) {
        row->datasetId = json::text(e);
        return std::nullopt;
    }
    return readOptionalString(obj, "dataset_id", &row->datasetId);
}

/// A JSON string holding a number exactly ("4", "4.0", " 3 "), or NaN: that number
/// (NaN as a quiet NaN). Anything else ("4a", "4.5e", "", "four") is not a number.
std::optional<double> numberInString(std::string_view text)
{
    const QString s = json::fromView(text).trimmed();
    if (s.compare(QLatin1String("NaN"), Qt::CaseInsensitive) == 0)
        return std::nan("");
    static const QRegularExpression number(QStringLiteral(R"(^[+-]?[0-9]+(\.[0-9]+)?$)"));
    if (!number.match(s).hasMatch())
        return std::nullopt;
    return s.toDouble();
}

/// A 1-5 score; NaN (read as null), null and "" are missing. The published judge files
/// store many scores as JSON strings: a string that parses exactly to a number is that
/// number ("4", "4.0"; "NaN" is missing) and counts in `strings`.
Problem readScore(element e, const QString &field, std::optional<int> *out, int *strings)
{
    out->reset();
    if (e.is_null())
        return std::nullopt;
    std::string_view text;
    if (!e.get_string().get(text)) {
        if (QByteArray(text.data(), qsizetype(text.size())).trimmed().isEmpty())
            return std::nullopt;
        const std::optional<double> value = numberInString(text);
        if (!value)
            return RowError { field,
                QStringLiteral("must be a score 1-5 or NaN, got '%1'").arg(json::fromView(text)) };
        ++*strings;
        if (std::isnan(*value))
            return std::nullopt;
        if (*value != std::floor(*value) || *value < 1 || *value > 5)
            return RowError { field,
                QStringLiteral("must be a score 1-5, got '%1'").arg(json::fromView(text)) };
        *out = int(*value);
        return std::nullopt;
    }
    double value = 0;
    if (e.get_double().get(value)) {
        int64_t whole = 0;
        if (e.get_int64().get(whole))
            return wrongType(field, QStringLiteral("a score 1-5 or NaN"), e);
        value = double(whole);
    }
    if (value != std::floor(value) || value < 1 || value > 5)
        return RowError { field, QStringLiteral("must be a score 1-5, got %1").arg(value) };
    *out = int(value);
    return std::nullopt;
}

Problem readResponse(simdjson::dom::object obj, const QString &stamp, Row *row)
{
    element e;
    if (obj.at_key("answer").get(e))
        return RowError { QStringLiteral("answer"), QStringLiteral("is required") };
    std::string_view text;
    simdjson::dom::object apiError;
    if (!e.get_string().get(text)) {
        if (auto p = checkText(text, QStringLiteral("answer")))
            return p;
        row->answer = QByteArray(text.data(), qsizetype(text.size()));
    } else if (!e.get_object().get(apiError)) {
        // The provider blocked the prompt: a refused response whose text is the message.
        element message;
        if (apiError.at_key("message").get(message) || message.get_string().get(text))
            return RowError { QStringLiteral("answer"),
                QStringLiteral("is an object without a message string") };
        row->answer = QByteArray(text.data(), qsizetype(text.size()));
        row->refusal = true;
    } else {
        return wrongType(
            QStringLiteral("answer"), QStringLiteral("a string or an API error object"), e);
    }
    row->hasAnswer = true;
    if (!obj.at_key("refusal").get(e) && !e.is_null()) {
        bool flag = false;
        if (!e.get_string().get(text))
            row->refusal = row->refusal
                || !QByteArray(text.data(), qsizetype(text.size())).trimmed().isEmpty();
        else if (!e.get_bool().get(flag))
            row->refusal = row->refusal || flag;
        else
            return wrongType(
                QStringLiteral("refusal"), QStringLiteral("null, text or true/false"), e);
    }
    if (!obj.at_key("tokens").get(e) && !e.is_null()) {
        int64_t tokens = 0;
        if (e.get_int64().get(tokens) || tokens < 0)
            return wrongType(QStringLiteral("tokens"), QStringLiteral("a token count"), e);
        row->tokens = tokens;
    }
    QJsonObject meta { { QStringLiteral("answers_timestamp"), stamp } };
    QByteArray metadata = QJsonDocument(meta).toJson(QJsonDocument::Compact);
    for (const char *key : { "role", "annotations" }) {
        if (!obj.at_key(key).get(e) && !e.is_null()) {
            metadata.chop(1);
            metadata += ",\"" + QByteArray(key) + "\":" + json::text(e) + '}';
        }
    }
    row->metadata = metadata;
    return std::nullopt;
}

Problem readRow(
    simdjson::dom::object obj, const SourceFile &file, ScoreAlignment alignment, Row *row)
{
    element e;
    Problem p = readInputs(obj, file.kind == Kind::HumanScores, row);
    if (!p)
        p = readDatasetId(obj, row);
    if (!p)
        p = readOptionalString(obj, "label", &row->label);
    if (p)
        return p;
    switch (file.kind) {
    case Kind::Dataset:
    case Kind::HumanLabels:
    case Kind::LlmLabels:
        return std::nullopt;
    case Kind::Answers:
        return readResponse(obj, file.stamp, row);
    case Kind::Judge:
        if ((p = readResponse(obj, file.stamp, row)))
            return p;
        readOptionalString(obj, "explanation", &row->rationale); // may be a list: then left out
        if (!obj.at_key("evals").get(e) && !e.is_null()) {
            simdjson::dom::array evals;
            if (e.get_array().get(evals))
                return wrongType(QStringLiteral("evals"), QStringLiteral("an array of scores"), e);
            row->hasEvals = true;
            int i = 0;
            for (element v : evals) {
                std::optional<int> score;
                if ((p = readScore(
                         v, QStringLiteral("evals[%1]").arg(i), &score, &row->stringScores)))
                    return p;
                row->evals.append(score);
                ++i;
            }
        }
        if (obj.at_key("evaluation").get(e)) {
            if (!row->hasEvals)
                return RowError { QStringLiteral("evaluation"),
                    QStringLiteral("is required (or evals)") };
        } else if (row->hasEvals) {
            // The runs' mean, not imported: any number, also as a string ("4.33").
            double mean = 0;
            int64_t whole = 0;
            std::string_view text;
            const bool numeric = !e.get_string().get(text)
                ? (numberInString(text).has_value()
                    || QByteArray(text.data(), qsizetype(text.size())).trimmed().isEmpty())
                : !e.get_double().get(mean) || !e.get_int64().get(whole);
            if (!e.is_null() && !numeric)
                return wrongType(
                    QStringLiteral("evaluation"), QStringLiteral("a number or NaN"), e);
        } else {
            return readScore(e, QStringLiteral("evaluation"), &row->score, &row->stringScores);
        }
        return std::nullopt;
    case Kind::HumanScores:
        if (obj.at_key("answer").get(e))
            return RowError { QStringLiteral("answer"), QStringLiteral("is required") };
        {
            std::string_view text;
            const bool isText = !e.get_string().get(text);
            if (isText)
                row->answer = QByteArray(text.data(), qsizetype(text.size()));
            // Trusting the row's position, spreadsheet residue (a bare number, an empty
            // cell) is a cell to report, not a reason to drop the row's score.
            if (alignment == ScoreAlignment::Position
                && (!isText || row->answer.trimmed().isEmpty())) {
                row->answer = isText ? row->answer : json::text(e);
                row->answerIsResidue = true;
            } else if (!isText) {
                return wrongType(
                    QStringLiteral("answer"), QStringLiteral("the text of the scored response"), e);
            } else if (row->answer.trimmed().isEmpty()) {
                return RowError { QStringLiteral("answer"), QStringLiteral("is empty") };
            }
            row->hasAnswer = true;
        }
        if (obj.at_key("evaluation").get(e))
            return RowError { QStringLiteral("evaluation"), QStringLiteral("is required") };
        return readScore(e, QStringLiteral("evaluation"), &row->score, &row->stringScores);
    case Kind::LlmMerged:
    case Kind::HumanMerged:
        if (obj.at_key("all_labels").get(e)) {
            if (file.kind == Kind::LlmMerged)
                return RowError { QStringLiteral("all_labels"), QStringLiteral("is required") };
            return std::nullopt;
        }
        {
            simdjson::dom::array labels;
            if (e.get_array().get(labels))
                return wrongType(
                    QStringLiteral("all_labels"), QStringLiteral("an array of labels"), e);
            int i = 0;
            for (element v : labels) {
                std::string_view text;
                if (v.is_null()) {
                    row->allLabels.append(QByteArray());
                } else if (v.get_string().get(text)) {
                    return wrongType(
                        QStringLiteral("all_labels[%1]").arg(i), QStringLiteral("a label"), v);
                } else {
                    row->allLabels.append(QByteArray(text.data(), qsizetype(text.size())));
                }
                ++i;
            }
        }
        return std::nullopt;
    }
    return std::nullopt;
}

// ---- the import ----------------------------------------------------------------------

class BenchmarkRun {
public:
    BenchmarkRun(Study &study, const ImportOptions &options, ImportReport *report, Error *error)
        : m_study(study)
        , m_options(options)
        , m_report(report)
        , m_error(error)
        , m_writer(study)
        , m_protocol(study.currentProtocol())
    {
    }

    bool run(const QStringList &paths)
    {
        if (!collect(paths))
            return false;
        if (m_files.empty()) {
            *m_error = Error::invalid(QStringLiteral("%1: no files of the benchmark layout found")
                                          .arg(paths.join(QStringLiteral(", "))));
            return false;
        }
        for (SourceFile &f : m_files)
            m_totalBytes += f.size;
        for (SourceFile &f : m_files) {
            if (!parse(f))
                return false;
        }
        if (m_emptyFile) {
            *m_error = Error::invalid(m_report->errors.first().toString());
            return false;
        }
        if (!loadStored())
            return false;
        buildGroups();
        assignRuns();
        applyAnswers();
        applyJudges();
        applyHumanMerged();
        for (ItemState *item : allItems()) {
            for (const ResponseRecord &r : std::as_const(item->record.responses)) {
                item->normalisedTexts.append(normalised(QString::fromUtf8(r.text)));
                item->textKeys.append({ r.model, r.run });
            }
            if (!item->stored)
                continue;
            for (const StoredResponse &r : item->stored->responses) {
                if (!item->responses.contains({ r.model, r.run })) {
                    item->normalisedTexts.append(r.text);
                    item->textKeys.append({ r.model, r.run });
                }
            }
        }
        applyLabels();
        applyHumanScores();
        for (SourceFile &f : m_files)
            std::vector<Row>().swap(f.rows); // everything needed is in the items and ratings now
        if (!m_options.skipInvalid && !m_report->errors.isEmpty()) {
            *m_error = Error::invalid(m_report->errors.first().toString());
            return false;
        }
        return write(paths);
    }

private:
    /// A problem with row `index` of a file: reported at the line where that row
    /// starts, the field prefixed with the row's index (`[3].answer`).
    void issue(int file, qint64 index, const RowError &e)
    {
        const SourceFile &f = m_files[std::size_t(file)];
        if (f.lines.empty() || f.lines.size() != f.rowCount + 1) {
            issue(f.path, index, e); // the file is not (yet) a parsed array
            return;
        }
        const QString where = QStringLiteral("[%1]").arg(index);
        issue(f.path, f.lines[std::size_t(std::min<qint64>(index, qint64(f.rowCount)))],
            { e.field.isEmpty() ? where : where + QLatin1Char('.') + e.field, e.reason });
    }
    void issue(const QString &path, qint64 index, const RowError &e)
    {
        issue(ImportIssue { path, index, e.field, e.reason });
    }
    void issue(const ImportIssue &i)
    {
        if (m_options.skipInvalid)
            m_report->skipped.append(i);
        else if (m_report->errors.size() < m_options.maxErrors)
            m_report->errors.append(i);
    }

    void progress(qint64 done)
    {
        if (m_options.progress && (done - m_lastProgress >= (1 << 20) || done == m_totalBytes)) {
            m_lastProgress = done;
            m_options.progress(done, m_totalBytes);
        }
    }

    bool collect(const QStringList &paths)
    {
        QStringList found;
        for (const QString &path : paths) {
            const QFileInfo info(path);
            if (info.isDir()) {
                QStringList inDir;
                QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
                while (it.hasNext())
                    inDir.append(it.next());
                inDir.sort();
                found += inDir;
            } else if (const QString why = inputFileProblem(path, true); why.isEmpty()) {
                found.append(path);
            } else {
                issue(path, 0, { {}, why });
            }
        }
        QSet<QString> seen;
        for (const QString &path : std::as_const(found)) {
            if (seen.contains(QFileInfo(path).absoluteFilePath()))
                continue;
            seen.insert(QFileInfo(path).absoluteFilePath());
            SourceFile f;
            f.path = path;
            f.size = QFileInfo(path).size();
            QString why = inputFileProblem(path, false); // a FIFO in a folder...
            if (why.isEmpty())
                why = classify(&f);
            if (!why.isEmpty())
                m_report->skippedFiles.append(path + QStringLiteral(": ") + why);
            else
                m_files.push_back(std::move(f));
        }
        dropSuperseded();
        return true;
    }

    /// Files whose values another file of the import holds, decided from the names alone
    /// so that they are neither read, validated nor counted: separate judge-run files
    /// beside their `_merged` file, and a classifier's merged-labels file beside its
    /// run files.
    void dropSuperseded()
    {
        QHash<QString, QString> mergedJudge; // judge\nmodel\ndataset\nstamp → merged file
        QSet<QString> labelRuns; // model\ndataset with classifier run files
        for (const SourceFile &f : m_files) {
            if (f.kind == Kind::Judge && f.merged)
                mergedJudge.insert(key3(f.who, f.model, f.dataset) + QLatin1Char('\n') + f.stamp,
                    QFileInfo(f.path).fileName());
            else if (f.kind == Kind::LlmLabels)
                labelRuns.insert(f.who + QLatin1Char('\n') + f.dataset);
        }
        std::vector<SourceFile> kept;
        for (SourceFile &f : m_files) {
            QString why;
            if (f.kind == Kind::Judge && !f.merged) {
                const QString merged = mergedJudge.value(
                    key3(f.who, f.model, f.dataset) + QLatin1Char('\n') + f.stamp);
                if (!merged.isEmpty())
                    why = QStringLiteral("its judge runs are in %1").arg(merged);
            } else if (f.kind == Kind::LlmMerged
                && labelRuns.contains(f.who + QLatin1Char('\n') + f.dataset)) {
                why = QStringLiteral("its runs are imported from their own label files");
            }
            if (why.isEmpty())
                kept.push_back(std::move(f));
            else
                m_report->skippedFiles.append(f.path + QStringLiteral(": ") + why);
        }
        m_files = std::move(kept);
    }

    bool parse(SourceFile &f)
    {
        QFile file(f.path);
        if (!file.open(QIODevice::ReadOnly)) {
            *m_error =
                Error::storage(f.path + QStringLiteral(": cannot read: ") + file.errorString());
            return false;
        }
        QByteArray bytes = file.readAll();
        if (bytes.startsWith("\xEF\xBB\xBF"))
            bytes.remove(0, 3);
        if (bytes.trimmed().isEmpty()) {
            m_report->errors.append({ f.path, 1, {}, QStringLiteral("file is empty") });
            m_emptyFile = true; // rejected even with skipInvalid, as for JSONL and CSV
            return true;
        }
        const QByteArray unmarked = bytes;
        std::vector<qsizetype> nanAt;
        bytes = withoutNaN(bytes, &f.lines, &nanAt);
        const int index = int(&f - m_files.data());
        element doc;
        if (auto code =
                m_parser.parse(bytes.constData(), std::size_t(bytes.size()), true).get(doc)) {
            // A whole-file document: report the line and column where it breaks.
            const qsizetype at = syntaxErrorOffset(bytes, nanAt, code);
            const auto [line, column] = lineAndColumn(unmarked, std::max<qsizetype>(at, 0));
            ImportIssue i { f.path, at < 0 ? 1 : line, {},
                (code == simdjson::UTF8_ERROR ? QStringLiteral("invalid UTF-8: ")
                                              : QStringLiteral("invalid JSON: "))
                    + QString::fromUtf8(simdjson::error_message(code)),
                at < 0 ? 0 : column };
            issue(i);
            return true;
        }
        simdjson::dom::array array;
        if (doc.get_array().get(array)) {
            issue(f.path, 0,
                { {},
                    QStringLiteral("must be a JSON array of objects, got ")
                        + json::typeName(doc) });
            return true;
        }
        int i = 0;
        std::vector<std::pair<int, RowError>> problems; // reported once every row's line is known
        for (element e : array) {
            Row row;
            simdjson::dom::object obj;
            Problem p;
            if (e.get_object().get(obj))
                p = RowError { {}, QStringLiteral("must be an object, got ") + json::typeName(e) };
            else
                p = readRow(obj, f, m_options.alignment, &row);
            if (p) {
                problems.emplace_back(i, *p);
                row.valid = false;
            }
            f.rows.push_back(std::move(row));
            ++i;
        }
        if (i == 0) {
            m_report->errors.append({ f.path,
                lineAndColumn(unmarked, std::max<qsizetype>(unmarked.indexOf('['), 0)).first, {},
                QStringLiteral("holds an empty array: no rows to import") });
            m_emptyFile = true;
        }
        f.rowCount = f.rows.size();
        for (const auto &[row, problem] : problems)
            issue(index, row, problem);
        m_report->counts.rows += i;
        m_parsedBytes += f.size;
        progress(m_parsedBytes * 2 / 5);
        return true;
    }

    /// The benchmark datasets an earlier import left in the study (items in their
    /// file order, responses with their answers-file timestamps): later files align
    /// with them, scores match their responses, and new answer files become later runs.
    bool loadStored()
    {
        QSqlQuery q(m_study.database());
        q.setForwardOnly(true);
        const auto failed = [&] {
            *m_error = Error::storage(m_study.path() + QStringLiteral(": ") + q.lastError().text());
            return false;
        };
        // Separate judge-run files earlier imports numbered (kept in their summaries).
        if (!q.exec(QStringLiteral("SELECT summary FROM import_run WHERE format = 'benchmark'")))
            return failed();
        while (q.next()) {
            const QJsonArray runs = QJsonDocument::fromJson(q.value(0).toByteArray())
                                        .object()
                                        .value(QLatin1String("judge_runs"))
                                        .toArray();
            for (const QJsonValue &v : runs) {
                const QJsonObject r = v.toObject();
                m_storedJudgeRuns[key3(r.value(QLatin1String("judge")).toString(),
                                      r.value(QLatin1String("model")).toString(),
                                      r.value(QLatin1String("dataset")).toString())
                    + QLatin1Char('\n') + r.value(QLatin1String("answers_timestamp")).toString()]
                    .insert(r.value(QLatin1String("evaluation_timestamp")).toString(),
                        r.value(QLatin1String("run")).toInt());
            }
        }
        if (!q.exec(QStringLiteral(
                "SELECT dataset.name, item.id, item.external_id, item.turns, item.reference_label,"
                " json_extract(item.metadata, '$.dataset_id'), json_extract(item.metadata, "
                "'$.index'), coalesce(item.split, '')"
                " FROM item JOIN dataset ON dataset.id = item.dataset_id"
                " WHERE json_valid(item.metadata) AND json_type(item.metadata, '$.index') = "
                "'integer'"
                " ORDER BY dataset.name, json_extract(item.metadata, '$.index')")))
            return failed();
        while (q.next()) {
            auto &items = m_stored[q.value(0).toString()];
            if (q.value(6).toLongLong() != qint64(items.size()))
                continue; // not a complete benchmark dataset: positions cannot align
            StoredItem item;
            item.externalId = q.value(2).toString().toUtf8();
            item.turnsJson = q.value(3).toString().toUtf8();
            item.label = q.value(4).toString().toUtf8();
            item.datasetId = q.value(5).toString().toUtf8();
            item.split = q.value(7).toString().toUtf8();
            QStringList turns;
            for (const auto &v : QJsonDocument::fromJson(item.turnsJson).array())
                turns.append(v.toString());
            item.inputs = normalised(turns.join(QStringLiteral(" | ")));
            items.push_back(std::move(item));
        }
        for (auto it = m_stored.begin(); it != m_stored.end(); ++it) {
            for (StoredItem &item : *it)
                m_storedById.insert(item.externalId, &item);
        }
        if (m_storedById.isEmpty())
            return true;
        if (!q.exec(QStringLiteral(
                "SELECT item.external_id, dataset.name, model.name, response.run, response.text,"
                " CASE WHEN json_valid(response.metadata)"
                "  THEN json_extract(response.metadata, '$.answers_timestamp') END"
                " FROM response JOIN item ON item.id = response.item_id"
                " JOIN dataset ON dataset.id = item.dataset_id"
                " JOIN model ON model.id = response.model_id")))
            return failed();
        while (q.next()) {
            StoredItem *item = m_storedById.value(q.value(0).toString().toUtf8());
            if (!item)
                continue;
            const QByteArray model = q.value(2).toString().toUtf8();
            const int run = q.value(3).toInt();
            item->responses.append({ model, run, normalised(q.value(4).toString()) });
            if (const QString stamp = q.value(5).toString(); !stamp.isEmpty())
                m_storedStamps[q.value(2).toString() + QLatin1Char('\n') + q.value(1).toString()]
                    .insert(stamp, run);
        }
        return true;
    }

    /// A group of the study's own items, for files that name no dataset file of this import.
    void storedGroup(const QString &name, const std::vector<StoredItem> &stored)
    {
        Group g { name, -1, QStringLiteral("dataset '%1' of the study").arg(name), {} };
        for (const StoredItem &s : stored) {
            ItemState item;
            item.inputs = s.inputs;
            item.datasetId = s.datasetId;
            item.stored = &s;
            item.record.externalId = s.externalId;
            item.record.dataset = name.toUtf8();
            item.record.turnsJson = s.turnsJson;
            item.record.label = s.label;
            item.record.split = s.split;
            g.items.push_back(std::move(item));
        }
        m_groups.push_back(std::move(g));
    }

    // Items come from the dataset file, else from the first answers/judge/label file
    // naming that dataset, else from the study (an earlier import of that dataset).
    void buildGroups()
    {
        static const Kind anchorOrder[] = { Kind::Dataset, Kind::Answers, Kind::Judge,
            Kind::LlmLabels, Kind::LlmMerged };
        QMap<QString, int> byName;
        for (Kind kind : anchorOrder) {
            for (std::size_t i = 0; i < m_files.size(); ++i) {
                SourceFile &f = m_files[i];
                if (f.kind != kind || f.dataset.isEmpty())
                    continue;
                auto it = byName.constFind(f.dataset);
                if (it == byName.cend()) {
                    it = byName.insert(f.dataset, int(m_groups.size()));
                    // Without its dataset file, a dataset already in the study keeps the
                    // study's items: answers, judge and label files align with those
                    // (their own `label` is a copy or an LLM's label, not the item's).
                    const auto stored = m_stored.constFind(f.dataset);
                    if (kind != Kind::Dataset && stored != m_stored.cend() && !stored->empty())
                        storedGroup(f.dataset, *stored);
                    else
                        m_groups.push_back(Group { f.dataset, int(i), {}, {} });
                }
                f.group = *it;
            }
        }
        for (Group &g : m_groups) {
            if (g.anchor >= 0)
                makeItems(g);
        }
        for (auto it = m_stored.cbegin(); it != m_stored.cend(); ++it) {
            if (!byName.contains(it.key()) && !it->empty())
                storedGroup(it.key(), *it);
        }
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            SourceFile &f = m_files[i];
            if (f.group < 0)
                f.group = findGroup(int(i));
        }
    }

    void makeItems(Group &g)
    {
        const SourceFile &anchor = m_files[std::size_t(g.anchor)];
        g.anchorName = QFileInfo(anchor.path).fileName();
        QString prefix = g.name;
        if (prefix.startsWith(QLatin1String("sampled_dataset_")))
            prefix = prefix.mid(16);
        const QByteArray split =
            (m_options.split.isEmpty() ? splitFromName(g.name) : m_options.split).toUtf8();
        QSet<QByteArray> ids;
        for (std::size_t i = 0; i < anchor.rows.size(); ++i) {
            const Row &row = anchor.rows[i];
            ItemState item;
            item.valid = row.valid;
            item.inputs = row.inputs;
            item.datasetId = row.datasetId;
            // Stable keys from the dataset's own ids; duplicate conversations stay apart.
            QByteArray id = prefix.toUtf8() + ':' + row.datasetId;
            if (row.datasetId.isEmpty() || ids.contains(row.datasetId))
                id += '#' + QByteArray::number(qulonglong(i));
            ids.insert(row.datasetId);
            item.record.externalId = id;
            item.record.dataset = g.name.toUtf8();
            item.record.split = split;
            if (const StoredItem *stored = m_storedById.value(id);
                stored && stored->inputs == row.inputs) {
                item.stored = stored;
                // An item already in the study keeps its split; `--split` fills an empty
                // one (another split is a conflict the writer reports).
                if (stored->split.isEmpty() || m_options.split.isEmpty()) {
                    if (stored->split.isEmpty() && !m_options.split.isEmpty())
                        m_splitFills.emplace_back(id, split);
                    item.record.split = stored->split;
                }
                // A reference label an earlier import filled in (from the human majority
                // file) stays when the dataset file has none.
                if (row.label.isEmpty())
                    item.record.label = stored->label;
            }
            item.record.turnsJson = row.turnsJson;
            QJsonObject meta { { QStringLiteral("dataset_id"), QString::fromUtf8(row.datasetId) },
                { QStringLiteral("index"), qint64(i) } };
            item.record.metadataJson = QJsonDocument(meta).toJson(QJsonDocument::Compact);
            if (row.valid && !row.label.isEmpty()) {
                const QString label = m_protocol.canonicalCategory(QString::fromUtf8(row.label));
                if (label.isEmpty()) // the item stays, without a reference label
                    issue(g.anchor, qint64(i), unknownLabel(QStringLiteral("label"), row.label));
                item.record.label = label.toUtf8();
            }
            g.items.push_back(std::move(item));
        }
    }

    /// A dataset file's natural split, from the parts of its name: `…_test` → "test",
    /// `…_val`/`…_validation` → "validation", `…_dev` → "dev", `…_train` → "train"
    /// (the last such part wins); empty when the name says none.
    static QString splitFromName(const QString &name)
    {
        QString split;
        for (const QString &part :
            name.toLower().split(QRegularExpression(QStringLiteral("[-_. ]+")))) {
            if (part == QLatin1String("test") || part == QLatin1String("dev")
                || part == QLatin1String("train"))
                split = part;
            else if (part == QLatin1String("val") || part == QLatin1String("valid")
                || part == QLatin1String("validation"))
                split = QStringLiteral("validation");
        }
        return split;
    }

    /// A label that names no category of the protocol: the label is left out (and
    /// counted), never the item or the row's other values.
    RowError unknownLabel(const QString &field, const QByteArray &value)
    {
        ++m_report->counts.labelsUnknown;
        return { field,
            QStringLiteral("unknown category '%1' (the label is left out; the item and the row's "
                           "other values are kept)")
                .arg(QString::fromUtf8(value)) };
    }

    /// LLM rater names per model, task and run (FORMATS.md §2): a model that both labels
    /// and judges is two rater groups. Run 0 = a merged judge file's mean score only.
    static QString classifierRater(const QString &model, int run)
    {
        return QStringLiteral("%1:classify#%2").arg(model).arg(run);
    }
    static QString judgeRater(const QString &judge, int run)
    {
        return run > 0 ? QStringLiteral("%1:judge#%2").arg(judge).arg(run)
                       : QStringLiteral("%1:judge").arg(judge);
    }

    /// Human files name no dataset: the one they align with by size and content.
    int findGroup(int file)
    {
        const SourceFile &f = m_files[std::size_t(file)];
        if (m_groups.size() == 1)
            return 0;
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            const auto &items = m_groups[g].items;
            if (items.size() == f.rows.size() && !items.empty()
                && items[0].inputs == f.rows[0].inputs)
                return int(g);
        }
        issue(file, 0,
            { QStringLiteral("inputs"),
                m_groups.empty() ? QStringLiteral("no dataset file among the imported files")
                                 : QStringLiteral("matches no imported dataset file by size and "
                                                  "content") });
        return -1;
    }

    /// The item at `index` of the file's dataset when the row aligns with it.
    ItemState *aligned(int file, int index)
    {
        SourceFile &f = m_files[std::size_t(file)];
        Row &row = f.rows[std::size_t(index)];
        if (!row.valid || f.group < 0)
            return nullptr;
        Group &g = m_groups[std::size_t(f.group)];
        const QString &anchorName = g.anchorName;
        if (std::size_t(index) >= g.items.size()) {
            issue(file, index,
                { {},
                    QStringLiteral("has no counterpart: %1 has %2 row(s)")
                        .arg(anchorName)
                        .arg(g.items.size()) });
            return nullptr;
        }
        ItemState &item = g.items[std::size_t(index)];
        if (file == g.anchor)
            return item.valid ? &item : nullptr;
        if (row.inputs != item.inputs) {
            const qsizetype at = firstDifference(row.inputs, item.inputs);
            const QString reason =
                QStringLiteral("does not match row %1 of %2 (\"%3\" vs \"%4\")")
                    .arg(index)
                    .arg(anchorName, shortText(row.inputs, at), shortText(item.inputs, at));
            if (m_options.alignment != ScoreAlignment::Position || f.kind != Kind::HumanScores) {
                issue(file, index, { QStringLiteral("inputs"), reason });
                return nullptr;
            }
            alignedCell(file, index, QStringLiteral("inputs"),
                reason + QStringLiteral("; the row's position is trusted"));
        }
        if (!row.datasetId.isEmpty() && !item.datasetId.isEmpty()
            && row.datasetId != item.datasetId) {
            issue(file, index,
                { QStringLiteral("dataset_id"),
                    QStringLiteral("is '%1', row %2 of %3 is '%4'")
                        .arg(QString::fromUtf8(row.datasetId))
                        .arg(index)
                        .arg(anchorName, QString::fromUtf8(item.datasetId)) });
            return nullptr;
        }
        if (!item.valid) {
            issue(file, index,
                { {}, QStringLiteral("row %1 of %2 is invalid").arg(index).arg(anchorName) });
            return nullptr;
        }
        return &item;
    }

    /// Reports a file that is shorter than its dataset.
    void checkLength(int file)
    {
        const SourceFile &f = m_files[std::size_t(file)];
        if (f.group < 0 || f.rows.empty())
            return;
        const Group &g = m_groups[std::size_t(f.group)];
        if (f.rows.size() < g.items.size())
            issue(file, qint64(f.rows.size()),
                { {},
                    QStringLiteral("the file ends after %1 row(s); %2 has %3")
                        .arg(f.rows.size())
                        .arg(g.anchorName)
                        .arg(g.items.size()) });
    }

    template<typename Fn> void forRows(Kind kind, Fn &&fn)
    {
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            if (m_files[i].kind != kind)
                continue;
            checkLength(int(i));
            for (std::size_t r = 0; r < m_files[i].rows.size(); ++r) {
                if (ItemState *item = aligned(int(i), int(r)))
                    fn(int(i), int(r), m_files[i].rows[r], *item);
            }
        }
    }

    static QString key3(const QString &a, const QString &b, const QString &c)
    {
        return a + QLatin1Char('\n') + b + QLatin1Char('\n') + c;
    }

    /// Timestamps in time order, the study's `stored` ones (timestamp → run) with the
    /// import's `fresh` ones: run k is entry k-1. `renumbers` says whether a stored run
    /// would get another number (a fresh timestamp earlier than a stored one).
    static QStringList runOrder(
        const QStringList &fresh, const QMap<QString, int> &stored, bool *renumbers)
    {
        QStringList order = fresh + stored.keys();
        order.sort();
        order.removeDuplicates();
        *renumbers = false;
        for (auto s = stored.cbegin(); s != stored.cend(); ++s)
            *renumbers = *renumbers || order.indexOf(s.key()) + 1 != s.value();
        return order;
    }

    // Several timestamps of one model = runs 1, 2, 3 in time order (answers and judge files).
    void assignRuns()
    {
        QMap<QString, QStringList> stamps; // model\ndataset → timestamps
        for (const SourceFile &f : m_files) {
            if (f.kind == Kind::Answers)
                stamps[f.who + QLatin1Char('\n') + f.dataset].append(f.stamp);
            else if (f.kind == Kind::Judge)
                stamps[f.model + QLatin1Char('\n') + f.dataset].append(f.stamp);
        }
        for (auto it = stamps.begin(); it != stamps.end(); ++it) {
            // Runs already in the study keep their numbers; a later file is the next run.
            const QMap<QString, int> stored = m_storedStamps.value(it.key());
            bool renumbers = false;
            const QStringList list = runOrder(*it, stored, &renumbers);
            const QStringList parts = it.key().split(QLatin1Char('\n'));
            for (const SourceFile &f : m_files) {
                if (renumbers && (f.kind == Kind::Answers || f.kind == Kind::Judge)
                    && f.dataset == parts[1]
                    && (f.kind == Kind::Answers ? f.who : f.model) == parts[0]
                    && !stored.contains(f.stamp)) {
                    issue(f.path, 0,
                        { {},
                            QStringLiteral(
                                "model '%1' already has run 1 (answers of %2) in the study; "
                                "answers of %3 would renumber its runs. Import all answer "
                                "files of a model together, in time order")
                                .arg(parts[0], stored.key(1), f.stamp) });
                }
            }
            for (int i = 0; i < list.size(); ++i)
                m_runs.insert(it.key() + QLatin1Char('\n') + list[i], i + 1);
            m_report->modelRuns.append(
                QStringLiteral("%1: %2 run(s) (%3)").arg(parts[0]).arg(list.size()).arg(parts[1]));
        }
        // Judge files: a merged file holds all judge runs; separate runs count in time order.
        QMap<QString, QList<int>> judged; // judge\nmodel\ndataset\nstamp → files
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            const SourceFile &f = m_files[i];
            if (f.kind == Kind::Judge)
                judged[key3(f.who, f.model, f.dataset) + QLatin1Char('\n') + f.stamp].append(
                    int(i));
        }
        for (const QList<int> &list : std::as_const(judged)) {
            QList<int> single; // a merged file's separate runs were dropped by dropSuperseded()
            for (int i : list) {
                if (!m_files[std::size_t(i)].merged)
                    single.append(i);
            }
            std::sort(single.begin(), single.end(), [this](int a, int b) {
                return m_files[std::size_t(a)].stamp2 < m_files[std::size_t(b)].stamp2;
            });
            if (single.isEmpty())
                continue;
            // Runs an earlier import numbered keep their numbers; later files follow.
            const SourceFile &first = m_files[std::size_t(single.first())];
            const QString key =
                key3(first.who, first.model, first.dataset) + QLatin1Char('\n') + first.stamp;
            const QMap<QString, int> stored = m_storedJudgeRuns.value(key);
            QStringList fresh;
            for (int i : single)
                fresh.append(m_files[std::size_t(i)].stamp2);
            bool renumbers = false;
            const QStringList order = runOrder(fresh, stored, &renumbers);
            for (int i : single) {
                const SourceFile &f = m_files[std::size_t(i)];
                if (renumbers && !stored.contains(f.stamp2)) {
                    issue(f.path, 0,
                        { {},
                            QStringLiteral("judge '%1' already has runs of model '%2' from "
                                           "evaluations of %3 in the "
                                           "study; this evaluation (%4) would renumber them. "
                                           "Import all judge-run "
                                           "files of a judge together, in time order")
                                .arg(f.who, f.model,
                                    QStringList(stored.keys()).join(QStringLiteral(", ")),
                                    f.stamp2) });
                    continue;
                }
                const int run = int(order.indexOf(f.stamp2)) + 1;
                m_judgeRun.insert(i, run);
                m_report->judgeRuns.append(QJsonObject { { QStringLiteral("judge"), f.who },
                    { QStringLiteral("model"), f.model }, { QStringLiteral("dataset"), f.dataset },
                    { QStringLiteral("answers_timestamp"), f.stamp },
                    { QStringLiteral("evaluation_timestamp"), f.stamp2 },
                    { QStringLiteral("run"), run } });
            }
        }
    }

    int runOf(const QString &model, const QString &dataset, const QString &stamp) const
    {
        return m_runs.value(key3(model, dataset, stamp), 1);
    }

    void addResponse(int file, const Row &row, ItemState &item, const QByteArray &model, int run)
    {
        ResponseRecord r;
        r.model = model;
        r.run = run;
        r.text = row.answer;
        r.refusal = row.refusal;
        r.tokens = row.tokens;
        r.metadataJson = row.metadata;
        item.responses.insert({ model, run }, int(item.record.responses.size()));
        item.responseSource.insert(
            { model, run }, QFileInfo(m_files[std::size_t(file)].path).fileName());
        item.record.responses.append(std::move(r));
    }

    void applyAnswers()
    {
        forRows(Kind::Answers, [this](int file, int, const Row &row, ItemState &item) {
            const SourceFile &f = m_files[std::size_t(file)];
            addResponse(file, row, item, f.who.toUtf8(), runOf(f.who, f.dataset, f.stamp));
        });
        for (const SourceFile &f : m_files) {
            if (f.kind == Kind::Answers)
                m_answerFiles.insert(key3(f.who, f.dataset, f.stamp));
        }
    }

    void applyJudges()
    {
        forRows(Kind::Judge, [this](int file, int index, const Row &row, ItemState &item) {
            const SourceFile &f = m_files[std::size_t(file)];
            const QByteArray model = f.model.toUtf8();
            const int run = runOf(f.model, f.dataset, f.stamp);
            const auto it = item.responses.constFind({ model, run });
            const StoredResponse *stored = nullptr;
            if (item.stored) {
                for (const StoredResponse &r : item.stored->responses)
                    if (r.model == model && r.run == run)
                        stored = &r;
            }
            if (it == item.responses.cend() && stored) {
                if (stored->text != normalised(QString::fromUtf8(row.answer))) {
                    issue(file, index,
                        { QStringLiteral("answer"),
                            QStringLiteral("differs from the response of model '%1' run %2 already "
                                           "in the study")
                                .arg(f.model)
                                .arg(run) });
                    return;
                }
                addResponse(file, row, item, model, run); // counted as unchanged
            } else if (it == item.responses.cend()) {
                if (m_answerFiles.contains(key3(f.model, f.dataset, f.stamp))) {
                    issue(file, index,
                        { QStringLiteral("answer"),
                            QStringLiteral("its response (model '%1' run %2) was not imported")
                                .arg(f.model)
                                .arg(run) });
                    return;
                }
                addResponse(file, row, item, model, run); // the answers file was not imported
            } else if (item.record.responses[*it].text != row.answer
                && normalised(QString::fromUtf8(item.record.responses[*it].text))
                    != normalised(QString::fromUtf8(row.answer))) {
                issue(file, index,
                    { QStringLiteral("answer"),
                        QStringLiteral("differs from the response of model '%1' run %2 in %3")
                            .arg(f.model)
                            .arg(run)
                            .arg(item.responseSource.value({ model, run })) });
                return;
            }
            auto rating = [&](const QString &rater, const std::optional<int> &score) {
                if (!score) {
                    ++m_report->counts.scoresMissing;
                    return;
                }
                RatingRecord r;
                r.rater = rater;
                r.kind = QStringLiteral("llm");
                r.itemId = QString::fromUtf8(item.record.externalId);
                r.model = f.model;
                r.run = run;
                r.score = score;
                r.rationale = QString::fromUtf8(row.rationale);
                m_ratings.push_back({ r, file, index });
            };
            m_report->counts.scoresFromStrings += row.stringScores;
            if (row.hasEvals) {
                for (int k = 0; k < row.evals.size(); ++k)
                    rating(judgeRater(f.who, k + 1), row.evals[k]);
            } else if (f.merged) {
                rating(judgeRater(f.who, 0), row.score);
            } else {
                rating(judgeRater(f.who, m_judgeRun.value(file, 1)), row.score);
            }
        });
    }

    // The human majority file is not a rater: it fills the items' reference label.
    void applyHumanMerged()
    {
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            if (m_files[i].kind != Kind::HumanMerged)
                continue;
            int filled = 0, differing = 0;
            const int before = int(m_report->errors.size() + m_report->skipped.size());
            forRowsOf(int(i), [&](int file, int index, const Row &row, ItemState &item) {
                if (row.label.isEmpty())
                    return;
                const QByteArray label =
                    m_protocol.canonicalCategory(QString::fromUtf8(row.label)).toUtf8();
                if (label.isEmpty()) {
                    issue(file, index, unknownLabel(QStringLiteral("label"), row.label));
                } else if (item.record.label.isEmpty()) {
                    // An item already in the study gets its missing reference label
                    // filled in place (writing the item again would be a conflict).
                    if (item.stored)
                        m_labelFills.emplace_back(item.record.externalId, label);
                    else
                        item.record.label = label;
                    ++filled;
                } else if (item.record.label != label) {
                    ++differing;
                }
            });
            if (int(m_report->errors.size() + m_report->skipped.size()) == before)
                m_report->notices.append(QStringLiteral(
                    "%1: human majority labels used as the reference label of %2 item(s) "
                    "without one; %3 item(s) keep a different dataset label")
                                             .arg(m_files[i].path)
                                             .arg(filled)
                                             .arg(differing));
        }
    }

    template<typename Fn> void forRowsOf(int file, Fn &&fn)
    {
        checkLength(file);
        for (std::size_t r = 0; r < m_files[std::size_t(file)].rows.size(); ++r) {
            if (ItemState *item = aligned(file, int(r)))
                fn(file, int(r), m_files[std::size_t(file)].rows[r], *item);
        }
    }

    void label(int file, int index, const ItemState &item, const QString &rater,
        const QString &kind, const QString &field, const QByteArray &value)
    {
        if (value.isEmpty()) {
            ++m_report->counts.labelsMissing;
            if (kind == QLatin1String("llm")) {
                ++m_report->counts.llmLabelsEmpty;
                RatingRecord r;
                r.rater = rater;
                r.kind = kind;
                r.itemId = QString::fromUtf8(item.record.externalId);
                m_emptyLabels.push_back({ r, file, index });
            }
            return;
        }
        if (m_protocol.canonicalCategory(QString::fromUtf8(value)).isEmpty()) {
            issue(file, index, unknownLabel(field, value));
            return;
        }
        RatingRecord r;
        r.rater = rater;
        r.kind = kind;
        r.itemId = QString::fromUtf8(item.record.externalId);
        r.category = QString::fromUtf8(value);
        m_ratings.push_back({ r, file, index });
    }

    void applyLabels()
    {
        forRows(Kind::HumanLabels, [this](int file, int index, const Row &row, ItemState &item) {
            label(file, index, item, m_files[std::size_t(file)].who, QStringLiteral("human"),
                QStringLiteral("label"), row.label);
        });
        // LLM classifier runs in time order: {model}:classify#1, #2...
        QMap<QString, QList<int>> runs;
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            if (m_files[i].kind == Kind::LlmLabels)
                runs[m_files[i].who + QLatin1Char('\n') + m_files[i].dataset].append(int(i));
        }
        for (auto it = runs.begin(); it != runs.end(); ++it) {
            std::sort(it->begin(), it->end(), [this](int a, int b) {
                return m_files[std::size_t(a)].stamp < m_files[std::size_t(b)].stamp;
            });
            for (int k = 0; k < it->size(); ++k) {
                const QString rater = classifierRater(m_files[std::size_t(it->at(k))].who, k + 1);
                forRowsOf(it->at(k), [&](int file, int index, const Row &row, ItemState &item) {
                    label(file, index, item, rater, QStringLiteral("llm"), QStringLiteral("label"),
                        row.label);
                });
            }
        }
        // A merged classifier file (only imported when its runs' own files are not).
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            const SourceFile &f = m_files[i];
            if (f.kind != Kind::LlmMerged)
                continue;
            forRowsOf(int(i), [&](int file, int index, const Row &row, ItemState &item) {
                for (int k = 0; k < row.allLabels.size(); ++k)
                    label(file, index, item, classifierRater(f.who, k + 1), QStringLiteral("llm"),
                        QStringLiteral("all_labels[%1]").arg(k), row.allLabels[k]);
            });
        }
    }

    /// The responses of `item` (indexes into its normalisedTexts) whose text is `answer`.
    static QList<int> responsesWithText(const ItemState &item, const QString &answer)
    {
        QList<int> matches;
        for (int k = 0; k < item.normalisedTexts.size(); ++k) {
            if (item.normalisedTexts[k] == answer)
                matches.append(k);
        }
        return matches;
    }

    /// `--align position`: a score-file cell that did not match, resolved by position.
    void alignedCell(int file, qint64 index, const QString &field, const QString &how)
    {
        const SourceFile &f = m_files[std::size_t(file)];
        const qint64 line = f.lines.size() == f.rowCount + 1
            ? f.lines[std::size_t(std::min<qint64>(index, qint64(f.rowCount)))]
            : index;
        m_report->aligned.append(
            { f.path, line, QStringLiteral("[%1].%2").arg(index).arg(field), how });
        ++m_report->counts.cellsAlignedByPosition;
    }

    /// `--align position`, an `answer` cell that matches no response: the response it
    /// most likely holds, or an empty list. In order: the one response whose text the
    /// cell extends or shortens by at most two characters (a stray appended character),
    /// the one response the other score files' rows at this position name, the item's only
    /// response. `how` says which rule decided.
    QList<int> responseByPosition(int file, int index, const QString &answer, const ItemState &item,
        const QHash<qint64, QSet<QList<int>>> &named, QString *how)
    {
        QList<int> near;
        for (int k = 0; k < item.normalisedTexts.size(); ++k) {
            const QString &text = item.normalisedTexts[k];
            const QString &longer = text.size() > answer.size() ? text : answer;
            const QString &shorter = text.size() > answer.size() ? answer : text;
            if (!shorter.isEmpty() && longer.size() - shorter.size() <= 2
                && longer.startsWith(shorter))
                near.append(k);
        }
        if (near.size() == 1) {
            *how = QStringLiteral("the text of one response with at most two characters more or "
                                  "less");
            return near;
        }
        const qint64 key = (qint64(m_files[std::size_t(file)].group) << 32) | qint64(index);
        if (const QSet<QList<int>> others = named.value(key); others.size() == 1) {
            *how = QStringLiteral("the response the other score files name at this position");
            return *others.cbegin();
        }
        if (item.normalisedTexts.size() == 1) {
            *how = QStringLiteral("the item's only response");
            return { 0 };
        }
        return {};
    }

    /// Human scores: each row's `answer` is the text of the scored response. When several
    /// responses of the item have that text (two runs gave the same answer), the score is
    /// attached to every one of them: the rater judged that text, and each of those
    /// responses is that text (counted in scoresOnIdenticalResponses).
    void applyHumanScores()
    {
        const bool byPosition = m_options.alignment == ScoreAlignment::Position;
        // (group, index) → the responses each score file's row there matches
        QHash<qint64, QSet<QList<int>>> named;
        if (byPosition) {
            for (std::size_t i = 0; i < m_files.size(); ++i) {
                const SourceFile &f = m_files[i];
                if (f.kind != Kind::HumanScores || f.group < 0)
                    continue;
                const Group &g = m_groups[std::size_t(f.group)];
                for (std::size_t r = 0; r < f.rows.size() && r < g.items.size(); ++r) {
                    const QList<int> m = responsesWithText(
                        g.items[r], normalised(QString::fromUtf8(f.rows[r].answer)));
                    if (f.rows[r].valid && !f.rows[r].answerIsResidue && !m.isEmpty())
                        named[(qint64(f.group) << 32) | qint64(r)].insert(m);
                }
            }
        }
        forRows(Kind::HumanScores, [&](int file, int index, const Row &row, ItemState &item) {
            const QString answer = normalised(QString::fromUtf8(row.answer));
            QList<int> matches =
                row.answerIsResidue ? QList<int>() : responsesWithText(item, answer);
            const QString itemId = QString::fromUtf8(item.record.externalId);
            if (matches.isEmpty() && byPosition) {
                QString how;
                matches = responseByPosition(file, index, answer, item, named, &how);
                if (!matches.isEmpty()) {
                    const auto &[model, run] = item.textKeys[matches.first()];
                    alignedCell(file, index, QStringLiteral("answer"),
                        QStringLiteral("\"%1\" matches no response of item '%2'; scored response "
                                       "taken by position: model '%3' run %4 (%5)")
                            .arg(shortText(answer), itemId, QString::fromUtf8(model))
                            .arg(run)
                            .arg(how));
                }
            }
            if (matches.isEmpty()) {
                issue(file, index,
                    { QStringLiteral("answer"),
                        byPosition
                            ? QStringLiteral("matches no response of item '%1' (\"%2\"), and its "
                                             "position names none either")
                                  .arg(itemId, shortText(answer))
                            : QStringLiteral("matches no response of item '%1' (\"%2\")")
                                  .arg(itemId, shortText(answer)) });
                return;
            }
            m_report->counts.scoresFromStrings += row.stringScores;
            if (!row.score) {
                ++m_report->counts.scoresMissing;
                return;
            }
            m_report->counts.scoresOnIdenticalResponses += matches.size() - 1;
            for (int match : std::as_const(matches)) {
                const auto &[model, run] = item.textKeys[match];
                RatingRecord r;
                r.rater = m_files[std::size_t(file)].who;
                r.kind = QStringLiteral("human");
                r.itemId = itemId;
                r.model = QString::fromUtf8(model);
                r.run = run;
                r.score = row.score;
                m_ratings.push_back({ r, file, index });
            }
        });
    }

    std::vector<ItemState *> allItems()
    {
        std::vector<ItemState *> out;
        for (Group &g : m_groups) {
            for (ItemState &item : g.items)
                out.push_back(&item);
        }
        return out;
    }

    bool write(const QStringList &paths)
    {
        WriteTransaction tx(m_study, m_error);
        if (!tx.isActive() || !m_writer.prepare(m_error))
            return false;
        qint64 total = 0, done = 0;
        for (const Group &g : m_groups)
            total += g.anchor < 0 ? 0 : qint64(g.items.size());
        total += qint64(m_ratings.size());
        const qint64 parseShare = m_totalBytes * 2 / 5;
        auto step = [&] {
            if (++done % 512 == 0 && total > 0)
                progress(parseShare + (m_totalBytes - parseShare) * done / total);
        };
        auto one = [&](int file, qint64 index, auto &&fn) {
            RowError e;
            const auto outcome = writeRow(m_writer, m_options.skipInvalid, fn, &e, m_error);
            if (outcome == RecordWriter::Outcome::Invalid)
                issue(file, index, e);
            step();
            return outcome != RecordWriter::Outcome::Fatal;
        };
        for (std::size_t gi = 0; gi < m_groups.size(); ++gi) {
            const Group &g = m_groups[gi];
            // The study's own items are written again only for the responses this
            // import brings (answers or judge files); problems name the first such file.
            int reportFile = g.anchor;
            for (std::size_t f = 0; reportFile < 0 && f < m_files.size(); ++f)
                if (m_files[f].group == int(gi)
                    && (m_files[f].kind == Kind::Answers || m_files[f].kind == Kind::Judge))
                    reportFile = int(f);
            if (reportFile < 0)
                continue;
            for (std::size_t i = 0; i < g.items.size(); ++i) {
                const ItemState &item = g.items[i];
                if (!item.valid || (g.anchor < 0 && item.record.responses.isEmpty()))
                    continue;
                if (!one(reportFile, qint64(i),
                        [&](RowError *e) { return m_writer.writeItem(item.record, e); }))
                    return false;
            }
        }
        // Stored items get a missing reference label or split filled in place (writing
        // the item again would be a conflict).
        QSqlQuery fill(m_study.database());
        const auto fillIn = [&](const char *column,
                                const std::vector<std::pair<QByteArray, QByteArray>> &fills) {
            fill.prepare(QStringLiteral("UPDATE item SET %1 = ? WHERE external_id = ?"
                                        " AND coalesce(%1, '') = ''")
                             .arg(QLatin1String(column)));
            for (const auto &[externalId, value] : fills) {
                fill.addBindValue(QString::fromUtf8(value));
                fill.addBindValue(QString::fromUtf8(externalId));
                if (!fill.exec()) {
                    *m_error = Error::storage(
                        m_study.path() + QStringLiteral(": ") + fill.lastError().text());
                    return false;
                }
            }
            return true;
        };
        if (!fillIn("reference_label", m_labelFills) || !fillIn("split", m_splitFills))
            return false;
        for (const PendingRating &p : m_ratings) {
            if (!one(p.file, p.index,
                    [&](RowError *e) { return m_writer.writeRating(p.rating, e); }))
                return false;
        }
        for (const PendingRating &p : m_emptyLabels) {
            if (!one(p.file, p.index,
                    [&](RowError *e) { return m_writer.writeEmptyLabel(p.rating, e); }))
                return false;
        }
        if (!m_options.skipInvalid && !m_report->errors.isEmpty()) {
            *m_error = Error::invalid(m_report->errors.first().toString());
            return false;
        }
        // The writer counts what was written; the rest is what this importer read.
        const ImportCounts read = m_report->counts;
        m_report->counts = m_writer.counts();
        m_report->counts.rows = read.rows;
        m_report->counts.scoresMissing = read.scoresMissing;
        m_report->counts.labelsMissing = read.labelsMissing;
        m_report->counts.llmLabelsEmpty = read.llmLabelsEmpty;
        m_report->counts.scoresFromStrings = read.scoresFromStrings;
        m_report->counts.labelsUnknown = read.labelsUnknown;
        m_report->counts.scoresOnIdenticalResponses = read.scoresOnIdenticalResponses;
        m_report->counts.cellsAlignedByPosition = read.cellsAlignedByPosition;
        if (!recordImportRun(m_study, QStringLiteral("benchmark"), paths, *m_report, m_error))
            return false;
        if (m_options.dryRun)
            return true; // the transaction rolls back
        if (!tx.commit(m_error))
            return false;
        progress(m_totalBytes);
        return true;
    }

    Study &m_study;
    const ImportOptions &m_options;
    ImportReport *m_report;
    Error *m_error;
    RecordWriter m_writer;
    protocol::Protocol m_protocol;
    simdjson::dom::parser m_parser;
    std::vector<SourceFile> m_files;
    std::vector<Group> m_groups;
    QMap<QString, std::vector<StoredItem>> m_stored; // dataset → the study's items, in file order
    QHash<QByteArray, StoredItem *> m_storedById;
    QHash<QString, QMap<QString, int>> m_storedStamps; // model\ndataset → answers timestamp → run
    QHash<QString, QMap<QString, int>>
        m_storedJudgeRuns; // judge\nmodel\ndataset\nstamp → eval stamp → run
    std::vector<PendingRating> m_ratings;
    std::vector<PendingRating> m_emptyLabels; // LLM "" labels, kept in empty_label
    std::vector<std::pair<QByteArray, QByteArray>> m_labelFills; // stored item → reference label
    std::vector<std::pair<QByteArray, QByteArray>> m_splitFills; // stored item → --split
    QHash<QString, int> m_runs; // model\ndataset\nstamp → run
    QHash<int, int> m_judgeRun; // separate judge-run file → run number
    QSet<QString> m_answerFiles; // model\ndataset\nstamp
    bool m_emptyFile = false; // an empty file or array: the import fails
    qint64 m_totalBytes = 0;
    qint64 m_parsedBytes = 0;
    qint64 m_lastProgress = 0;
};

} // namespace

bool BenchmarkImporter::looksLikeBenchmark(const QStringList &paths)
{
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir())
            return true;
        if (info.suffix().toLower() != QLatin1String("json"))
            continue;
        QFile f(path);
        if (f.open(QIODevice::ReadOnly) && f.peek(4096).trimmed().startsWith('['))
            return true;
    }
    return false;
}

bool BenchmarkImporter::run(
    const QStringList &paths, const ImportOptions &options, ImportReport *report, Error *error)
{
    *report = {};
    BenchmarkRun run(m_study, options, report, error);
    return run.run(paths);
}

} // namespace cr::storage
