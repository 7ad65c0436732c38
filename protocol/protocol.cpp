#include "protocol/protocol.h"

#include "resources/resources.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QtGlobal>
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// nlohmann/json is private to this file: every exception it may throw is caught in
// parseProtocol() / toJson(), and no nlohmann type appears in protocol.h.

namespace cr::protocol {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr int LevelCount = 5;

/// Thrown by the validators below; caught in parseProtocol(), never leaves this file.
struct Invalid {
    QString message;
};

[[noreturn]] void fail(const QString &path, const QString &reason)
{
    throw Invalid { (path.isEmpty() ? QStringLiteral("(root)") : path) + QStringLiteral(": ")
        + reason };
}

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string toUtf8(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return std::string(utf8.constData(), std::size_t(utf8.size()));
}

QString child(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString child(const QString &path, const char *key)
{
    return child(path, QString::fromLatin1(key));
}

QString element(const QString &path, std::size_t index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

void requireObject(const Json &value, const QString &path)
{
    if (!value.is_object())
        fail(path, QStringLiteral("must be an object"));
}

void requireArray(const Json &value, const QString &path)
{
    if (!value.is_array())
        fail(path, QStringLiteral("must be an array"));
}

/// Unknown keys are rejected so that a typo ("anchor", "failure_mode") is reported
/// instead of silently ignored.
void rejectUnknownKeys(
    const Json &object, const QString &path, std::initializer_list<std::string_view> allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), std::string_view(it.key())) == allowed.end())
            fail(child(path, fromUtf8(it.key())), QStringLiteral("unknown key"));
    }
}

const Json &required(const Json &object, const QString &path, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end())
        fail(child(path, key), QStringLiteral("missing"));
    return *it;
}

const Json *optional(const Json &object, const char *key)
{
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

QString nonEmptyString(const Json &value, const QString &path)
{
    if (!value.is_string())
        fail(path, QStringLiteral("must be a non-empty string"));
    QString text = fromUtf8(value.get_ref<const std::string &>());
    if (text.trimmed().isEmpty())
        fail(path, QStringLiteral("must be a non-empty string"));
    return text;
}

/// Ids end up in data files and CSV exports: non-empty and without whitespace.
QString identifier(const Json &value, const QString &path)
{
    QString id = nonEmptyString(value, path);
    if (std::any_of(id.cbegin(), id.cend(), [](QChar c) { return c.isSpace(); }))
        fail(path, QStringLiteral("must not contain whitespace"));
    return id;
}

QString stringField(const Json &object, const QString &path, const char *key)
{
    return nonEmptyString(required(object, path, key), child(path, key));
}

QString idField(const Json &object, const QString &path, const char *key)
{
    return identifier(required(object, path, key), child(path, key));
}

QList<Level> parseScale(const Json &scale, const QString &path)
{
    requireObject(scale, path);
    rejectUnknownKeys(scale, path, { "levels" });
    const QString levelsPath = child(path, "levels");
    const Json &levels = required(scale, path, "levels");
    requireArray(levels, levelsPath);
    if (levels.size() != std::size_t(LevelCount))
        fail(levelsPath, QStringLiteral("must have exactly 5 levels 1..5"));

    QList<Level> result;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const QString levelPath = element(levelsPath, i);
        const Json &level = levels[i];
        requireObject(level, levelPath);
        rejectUnknownKeys(level, levelPath, { "value", "name" });
        const int expected = int(i) + 1;
        const Json &value = required(level, levelPath, "value");
        if (!value.is_number_integer() || value.get<std::int64_t>() != expected)
            fail(child(levelPath, "value"),
                QStringLiteral("must be %1 (levels are listed 1..5 in order)").arg(expected));
        result.append(Level { expected, stringField(level, levelPath, "name") });
    }
    return result;
}

QChar parseKey(const Json &value, const QString &path)
{
    if (!value.is_string())
        fail(path, QStringLiteral("must be a string of exactly one character"));
    const QString text = fromUtf8(value.get_ref<const std::string &>());
    if (text.size() != 1)
        fail(path, QStringLiteral("must be a string of exactly one character"));
    const QChar key = text.front();
    if (key.isDigit())
        fail(path, QStringLiteral("digits are reserved for scores"));
    if (!key.isPrint() || key.isSpace())
        fail(path, QStringLiteral("must be a printable, non-space character"));
    return key.toUpper();
}

Category parseCategory(const Json &object, const QString &path)
{
    requireObject(object, path);
    rejectUnknownKeys(object, path, { "id", "name", "description", "key", "aliases", "anchors" });

    Category category;
    category.id = idField(object, path, "id");
    category.name = stringField(object, path, "name");
    category.description = stringField(object, path, "description");
    category.key = parseKey(required(object, path, "key"), child(path, "key"));

    if (const Json *aliases = optional(object, "aliases")) {
        const QString aliasesPath = child(path, "aliases");
        requireArray(*aliases, aliasesPath);
        for (std::size_t i = 0; i < aliases->size(); ++i)
            category.aliases.append(nonEmptyString((*aliases)[i], element(aliasesPath, i)));
    }

    const QString anchorsPath = child(path, "anchors");
    const Json &anchors = required(object, path, "anchors");
    requireObject(anchors, anchorsPath);
    for (auto it = anchors.begin(); it != anchors.end(); ++it) {
        const std::string &level = it.key();
        if (level.size() != 1 || level[0] < '1' || level[0] > '0' + LevelCount)
            fail(child(anchorsPath, fromUtf8(level)),
                QStringLiteral("unknown level (expected 1..5)"));
    }
    for (int level = 1; level <= LevelCount; ++level) {
        const std::string key = std::to_string(level);
        category.anchors.append(stringField(anchors, anchorsPath, key.c_str()));
    }
    return category;
}

QList<Category> parseCategories(const Json &array, const QString &path)
{
    requireArray(array, path);
    if (array.empty())
        fail(path, QStringLiteral("must contain at least one category"));

    QList<Category> categories;
    QHash<QString, qsizetype> idOwner; // case-folded id -> index
    QHash<QChar, qsizetype> keyOwner;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const QString itemPath = element(path, i);
        Category category = parseCategory(array[i], itemPath);

        const QString folded = category.id.toCaseFolded();
        if (const auto it = idOwner.constFind(folded); it != idOwner.cend()) {
            const Category &other = categories.at(*it);
            const QString otherPath = element(path, std::size_t(*it));
            if (other.id == category.id)
                fail(child(itemPath, "id"),
                    QStringLiteral("duplicate id %1 (also %2)")
                        .arg(quoted(category.id), otherPath));
            fail(child(itemPath, "id"),
                QStringLiteral("id %1 differs only in case from %2.id %3")
                    .arg(quoted(category.id), otherPath, quoted(other.id)));
        }
        if (const auto it = keyOwner.constFind(category.key); it != keyOwner.cend())
            fail(child(itemPath, "key"),
                QStringLiteral("duplicate key %1 (also %2)")
                    .arg(quoted(QString(category.key)), element(path, std::size_t(*it))));

        idOwner.insert(folded, categories.size());
        keyOwner.insert(category.key, categories.size());
        categories.append(std::move(category));
    }

    // Aliases are matched ignoring case (see Protocol::categoryIndex), so a collision is
    // checked ignoring case too. An alias may repeat its own category's id in another case.
    QHash<QString, QString> aliasOwner; // case-folded alias -> path of its first use
    for (qsizetype i = 0; i < categories.size(); ++i) {
        const QString aliasesPath = child(element(path, std::size_t(i)), "aliases");
        const QStringList &aliases = categories.at(i).aliases;
        for (qsizetype j = 0; j < aliases.size(); ++j) {
            const QString aliasPath = element(aliasesPath, std::size_t(j));
            const QString folded = aliases.at(j).toCaseFolded();
            if (const auto it = idOwner.constFind(folded); it != idOwner.cend() && *it != i)
                fail(aliasPath,
                    QStringLiteral("alias %1 collides with %2.id")
                        .arg(quoted(aliases.at(j)), element(path, std::size_t(*it))));
            if (const auto it = aliasOwner.constFind(folded); it != aliasOwner.cend())
                fail(aliasPath,
                    QStringLiteral("alias %1 collides with %2").arg(quoted(aliases.at(j)), *it));
            aliasOwner.insert(folded, aliasPath);
        }
    }
    return categories;
}

QList<ChecklistItem> parseChecklist(
    const Json &array, const QString &path, const QList<Category> &categories)
{
    requireArray(array, path);
    Protocol lookup;
    lookup.categories = categories;

    QList<ChecklistItem> items;
    QHash<QString, qsizetype> idOwner;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const QString itemPath = element(path, i);
        const Json &object = array[i];
        requireObject(object, itemPath);
        rejectUnknownKeys(object, itemPath, { "id", "text", "categories" });

        ChecklistItem item;
        item.id = idField(object, itemPath, "id");
        if (const auto it = idOwner.constFind(item.id); it != idOwner.cend())
            fail(child(itemPath, "id"),
                QStringLiteral("duplicate id %1 (also %2)")
                    .arg(quoted(item.id), element(path, std::size_t(*it))));
        item.text = stringField(object, itemPath, "text");

        if (const Json *scope = optional(object, "categories")) {
            const QString scopePath = child(itemPath, "categories");
            requireArray(*scope, scopePath);
            for (std::size_t j = 0; j < scope->size(); ++j) {
                const QString entryPath = element(scopePath, j);
                const QString id = identifier((*scope)[j], entryPath);
                if (item.categories.contains(id))
                    fail(entryPath, QStringLiteral("duplicate category %1").arg(quoted(id)));
                const int index = lookup.categoryIndex(id);
                if (index < 0)
                    fail(entryPath, QStringLiteral("unknown category %1").arg(quoted(id)));
                if (categories.at(index).id != id)
                    fail(entryPath,
                        QStringLiteral("%1 is an alias; use the category id %2")
                            .arg(quoted(id), quoted(categories.at(index).id)));
                item.categories.append(id);
            }
        }
        idOwner.insert(item.id, items.size());
        items.append(std::move(item));
    }
    return items;
}

QList<FailureMode> parseFailureModes(const Json &array, const QString &path)
{
    requireArray(array, path);
    QList<FailureMode> modes;
    QHash<QString, qsizetype> idOwner;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const QString itemPath = element(path, i);
        const Json &object = array[i];
        requireObject(object, itemPath);
        rejectUnknownKeys(object, itemPath, { "id", "name", "free_text" });

        FailureMode mode;
        mode.id = idField(object, itemPath, "id");
        if (const auto it = idOwner.constFind(mode.id); it != idOwner.cend())
            fail(child(itemPath, "id"),
                QStringLiteral("duplicate id %1 (also %2)")
                    .arg(quoted(mode.id), element(path, std::size_t(*it))));
        mode.name = stringField(object, itemPath, "name");
        if (const Json *freeText = optional(object, "free_text")) {
            if (!freeText->is_boolean())
                fail(child(itemPath, "free_text"), QStringLiteral("must be true or false"));
            mode.freeText = freeText->get<bool>();
        }
        idOwner.insert(mode.id, modes.size());
        modes.append(std::move(mode));
    }
    return modes;
}

QList<PromptTemplate> parsePrompts(const Json &object, const QString &path)
{
    requireObject(object, path);
    rejectUnknownKeys(object, path, { "respond", "classify", "judge" });
    QList<PromptTemplate> prompts;
    for (const char *task : { "respond", "classify", "judge" }) {
        const Json *entry = optional(object, task);
        if (!entry)
            continue;
        const QString entryPath = child(path, task);
        requireObject(*entry, entryPath);
        rejectUnknownKeys(*entry, entryPath, { "system", "user" });
        PromptTemplate prompt;
        prompt.task = QString::fromLatin1(task);
        if (const Json *system = optional(*entry, "system"))
            prompt.system = nonEmptyString(*system, child(entryPath, "system"));
        if (std::string_view(task) != "respond")
            prompt.user = stringField(*entry, entryPath, "user");
        else if (const Json *user = optional(*entry, "user"))
            prompt.user = nonEmptyString(*user, child(entryPath, "user"));
        prompts.append(std::move(prompt));
    }
    return prompts;
}

Protocol parseRoot(const Json &root)
{
    if (!root.is_object())
        fail({}, QStringLiteral("must be a JSON object"));
    rejectUnknownKeys(root, {},
        { "name", "version", "scale", "categories", "checklist", "failure_modes", "prompts" });

    Protocol protocol;
    protocol.name = stringField(root, {}, "name");
    protocol.version = stringField(root, {}, "version");
    protocol.levels = parseScale(required(root, {}, "scale"), QStringLiteral("scale"));
    protocol.categories =
        parseCategories(required(root, {}, "categories"), QStringLiteral("categories"));
    if (const Json *checklist = optional(root, "checklist"))
        protocol.checklist =
            parseChecklist(*checklist, QStringLiteral("checklist"), protocol.categories);
    if (const Json *modes = optional(root, "failure_modes"))
        protocol.failureModes = parseFailureModes(*modes, QStringLiteral("failure_modes"));
    if (const Json *prompts = optional(root, "prompts"))
        protocol.prompts = parsePrompts(*prompts, QStringLiteral("prompts"));
    return protocol;
}

/// Records the first key repeated within one JSON object (nlohmann keeps only one of
/// them silently). Fed by the parser callback; tracks the path of the current value.
class DuplicateKeyFinder {
public:
    void handle(Json::parse_event_t event, const Json &parsed)
    {
        switch (event) {
        case Json::parse_event_t::object_start:
            enterValue();
            m_stack.push_back(Frame { false, 0, {}, {} });
            break;
        case Json::parse_event_t::array_start:
            enterValue();
            m_stack.push_back(Frame { true, 0, {}, {} });
            break;
        case Json::parse_event_t::object_end:
        case Json::parse_event_t::array_end:
            if (!m_stack.empty())
                m_stack.pop_back();
            break;
        case Json::parse_event_t::key:
            if (!m_stack.empty() && parsed.is_string()) {
                Frame &frame = m_stack.back();
                frame.key = parsed.get<std::string>();
                if (!frame.keys.insert(frame.key).second && m_error.isEmpty())
                    m_error = currentPath() + QStringLiteral(": duplicate key");
            }
            break;
        case Json::parse_event_t::value:
            enterValue();
            break;
        }
    }

    QString error() const { return m_error; }

private:
    struct Frame {
        bool array;
        std::size_t next; // index of the next array element
        std::string key; // current key of an object
        std::set<std::string> keys;
    };

    void enterValue()
    {
        if (!m_stack.empty() && m_stack.back().array)
            ++m_stack.back().next;
    }

    QString currentPath() const
    {
        QString path;
        for (const Frame &frame : m_stack) {
            if (frame.array)
                path = element(path, frame.next - 1);
            else
                path = child(path, fromUtf8(frame.key));
        }
        return path;
    }

    std::vector<Frame> m_stack;
    QString m_error;
};

/// "line L, column C: message" for a syntax error. The column counts characters
/// (UTF-8 code points), not bytes; nlohmann's `byte` is the 1-based offset of the last
/// character read, or one past the end of the input at end of input.
QString describeParseError(const QByteArray &data, const Json::parse_error &error)
{
    const std::size_t size = std::size_t(data.size());
    const std::size_t offset = error.byte == 0 ? 0 : std::min(error.byte, size + 1) - 1;
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (data.at(qsizetype(i)) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    int column = 1;
    for (std::size_t i = lineStart; i < offset; ++i) {
        if ((static_cast<unsigned char>(data.at(qsizetype(i))) & 0xC0) != 0x80)
            ++column;
    }

    // what() is "[json.exception.parse_error.101] parse error at line 1, column 2: message".
    std::string_view message = error.what();
    if (const auto bracket = message.find("] "); bracket != std::string_view::npos) {
        if (const auto colon = message.find(": ", bracket); colon != std::string_view::npos)
            message.remove_prefix(colon + 2);
    }
    return QStringLiteral("line %1, column %2: %3")
        .arg(QString::number(line), QString::number(column), fromUtf8(message));
}

/// nlohmann's messages start with "[json.exception.NAME.ID] "; drop that.
QString describeException(const std::exception &error)
{
    std::string_view message = error.what();
    if (message.starts_with("[json.exception.")) {
        if (const auto bracket = message.find("] "); bracket != std::string_view::npos)
            message.remove_prefix(bracket + 2);
    }
    return fromUtf8(message);
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

int Protocol::categoryIndex(QStringView idOrAlias) const
{
    for (qsizetype i = 0; i < categories.size(); ++i) {
        if (categories.at(i).id == idOrAlias)
            return int(i);
    }
    for (qsizetype i = 0; i < categories.size(); ++i) {
        for (const QString &alias : categories.at(i).aliases) {
            if (QStringView(alias).compare(idOrAlias, Qt::CaseInsensitive) == 0)
                return int(i);
        }
    }
    return -1;
}

QString Protocol::canonicalCategory(QStringView idOrAlias) const
{
    const int index = categoryIndex(idOrAlias);
    return index < 0 ? QString() : categories.at(index).id;
}

const PromptTemplate *Protocol::prompt(QStringView task) const
{
    for (const PromptTemplate &p : prompts)
        if (p.task == task)
            return &p;
    return nullptr;
}

QByteArray Protocol::toJson() const
{
    try {
        OrderedJson root = OrderedJson::object();
        root["name"] = toUtf8(name);
        root["version"] = toUtf8(version);

        OrderedJson levelArray = OrderedJson::array();
        for (const Level &level : levels) {
            OrderedJson item = OrderedJson::object();
            item["value"] = level.value;
            item["name"] = toUtf8(level.name);
            levelArray.push_back(std::move(item));
        }
        root["scale"] = OrderedJson::object();
        root["scale"]["levels"] = std::move(levelArray);

        OrderedJson categoryArray = OrderedJson::array();
        for (const Category &category : categories) {
            OrderedJson item = OrderedJson::object();
            item["id"] = toUtf8(category.id);
            item["name"] = toUtf8(category.name);
            item["description"] = toUtf8(category.description);
            item["key"] = category.key.isNull() ? std::string() : toUtf8(QString(category.key));
            OrderedJson aliases = OrderedJson::array();
            for (const QString &alias : category.aliases)
                aliases.push_back(toUtf8(alias));
            item["aliases"] = std::move(aliases);
            OrderedJson anchors = OrderedJson::object();
            for (qsizetype i = 0; i < category.anchors.size(); ++i)
                anchors[std::to_string(i + 1)] = toUtf8(category.anchors.at(i));
            item["anchors"] = std::move(anchors);
            categoryArray.push_back(std::move(item));
        }
        root["categories"] = std::move(categoryArray);

        OrderedJson checklistArray = OrderedJson::array();
        for (const ChecklistItem &checkItem : checklist) {
            OrderedJson item = OrderedJson::object();
            item["id"] = toUtf8(checkItem.id);
            item["text"] = toUtf8(checkItem.text);
            OrderedJson scope = OrderedJson::array();
            for (const QString &category : checkItem.categories)
                scope.push_back(toUtf8(category));
            item["categories"] = std::move(scope);
            checklistArray.push_back(std::move(item));
        }
        root["checklist"] = std::move(checklistArray);

        OrderedJson modeArray = OrderedJson::array();
        for (const FailureMode &mode : failureModes) {
            OrderedJson item = OrderedJson::object();
            item["id"] = toUtf8(mode.id);
            item["name"] = toUtf8(mode.name);
            item["free_text"] = mode.freeText;
            modeArray.push_back(std::move(item));
        }
        root["failure_modes"] = std::move(modeArray);

        if (!prompts.isEmpty()) {
            OrderedJson promptObject = OrderedJson::object();
            for (const PromptTemplate &prompt : prompts) {
                OrderedJson item = OrderedJson::object();
                if (!prompt.system.isEmpty())
                    item["system"] = toUtf8(prompt.system);
                if (!prompt.user.isEmpty())
                    item["user"] = toUtf8(prompt.user);
                promptObject[toUtf8(prompt.task)] = std::move(item);
            }
            root["prompts"] = std::move(promptObject);
        }

        const std::string text = root.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
        return QByteArray(text.data(), qsizetype(text.size()));
    } catch (...) {
        return {}; // only std::bad_alloc is possible here
    }
}

QString Protocol::contentHash() const
{
    return QString::fromLatin1(
        QCryptographicHash::hash(toJson(), QCryptographicHash::Sha256).toHex());
}

std::optional<Protocol> parseProtocol(const QByteArray &json, QString *error)
{
    try {
        DuplicateKeyFinder duplicates;
        const Json::parser_callback_t callback = [&duplicates](
                                                     int, Json::parse_event_t event, Json &parsed) {
            duplicates.handle(event, parsed);
            return true;
        };
        const Json root = Json::parse(json.constData(), json.constData() + json.size(), callback);
        if (!duplicates.error().isEmpty()) {
            setError(error, duplicates.error());
            return std::nullopt;
        }
        return parseRoot(root);
    } catch (const Invalid &invalid) {
        setError(error, invalid.message);
    } catch (const Json::parse_error &parseError) {
        setError(error, describeParseError(json, parseError));
    } catch (const std::exception &exception) {
        setError(error, QStringLiteral("invalid JSON: ") + describeException(exception));
    } catch (...) {
        setError(error, QStringLiteral("invalid JSON"));
    }
    return std::nullopt;
}

std::optional<Protocol> loadProtocolFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, path + QStringLiteral(": cannot open file: ") + file.errorString());
        return std::nullopt;
    }
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        setError(error, path + QStringLiteral(": cannot read file: ") + file.errorString());
        return std::nullopt;
    }
    QString message;
    std::optional<Protocol> protocol = parseProtocol(data, &message);
    if (!protocol)
        setError(error, path + QStringLiteral(": ") + message);
    return protocol;
}

const Protocol &defaultProtocol()
{
    static const Protocol protocol = [] {
        resources::ensureLoaded();
        QString error;
        std::optional<Protocol> parsed = loadProtocolFile(resources::defaultProtocolPath(), &error);
        if (!parsed)
            qFatal("The built-in protocol is invalid (build bug): %s", qPrintable(error));
        return std::move(*parsed);
    }();
    return protocol;
}

} // namespace cr::protocol
