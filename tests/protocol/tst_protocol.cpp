#include "protocol/protocol.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QTest>
#include <optional>

using cr::protocol::defaultProtocol;
using cr::protocol::loadProtocolFile;
using cr::protocol::parseProtocol;
using cr::protocol::Protocol;

namespace {

QString dataPath(const QString &name)
{
    return qEnvironmentVariable("CR_SOURCE_DIR") + QStringLiteral("/tests/data/protocol/") + name;
}

/// Returns `node` with the value at `path` (segments; array indices as numbers)
/// replaced by `value`, or removed when `value` is empty. Index == size appends.
QJsonValue edited(const QJsonValue &node, QStringList path, const std::optional<QJsonValue> &value)
{
    const QString head = path.takeFirst();
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const qsizetype index = head.toLongLong();
        if (!path.isEmpty())
            array.replace(index, edited(array.at(index), path, value));
        else if (!value)
            array.removeAt(index);
        else if (index == array.size())
            array.append(*value);
        else
            array.replace(index, *value);
        return array;
    }
    QJsonObject object = node.toObject();
    if (!path.isEmpty())
        object.insert(head, edited(object.value(head), path, value));
    else if (!value)
        object.remove(head);
    else
        object.insert(head, *value);
    return object;
}

QByteArray defaultWith(const QString &path, const std::optional<QJsonValue> &value)
{
    const QJsonValue root = QJsonDocument::fromJson(defaultProtocol().toJson()).object();
    return QJsonDocument(edited(root, path.split(QLatin1Char('/')), value).toObject())
        .toJson(QJsonDocument::Compact);
}

QByteArray defaultWithout(const QString &path)
{
    return defaultWith(path, std::nullopt);
}

QByteArray defaultReplacing(const char *before, const char *after)
{
    QByteArray json = defaultProtocol().toJson();
    const qsizetype at = json.indexOf(before);
    if (at < 0)
        qFatal("test bug: '%s' not in the default protocol JSON", before);
    return json.replace(at, qsizetype(qstrlen(before)), after);
}

QJsonObject level(int value, const char *name)
{
    return QJsonObject { { QStringLiteral("value"), value },
        { QStringLiteral("name"), QString::fromLatin1(name) } };
}

} // namespace

class TestProtocol final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(!qEnvironmentVariableIsEmpty("CR_SOURCE_DIR")); }

    void defaultCategories_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QChar>("key");
        auto row = [](int index, const char *id, const char *name, char key) {
            QTest::newRow(id) << index << QString::fromLatin1(id) << QString::fromLatin1(name)
                              << QChar::fromLatin1(key);
        };
        row(0, "suicidal_ideation", "Suicidal ideation", 'S');
        row(1, "self-harm", "Self-harm", 'H');
        row(2, "anxiety_crisis", "Anxiety crisis", 'A');
        row(3, "violent_thoughts", "Violent thoughts", 'V');
        row(4, "substance_abuse_or_withdrawal", "Substance abuse or withdrawal", 'D');
        row(5, "risk_taking_behaviours", "Risk-taking behaviours", 'R');
        row(6, "no_crisis", "No crisis", 'N');
    }
    void defaultCategories()
    {
        QFETCH(int, index);
        QFETCH(QString, id);
        QFETCH(QString, name);
        QFETCH(QChar, key);
        const Protocol &p = defaultProtocol();
        QCOMPARE(p.categories.size(), qsizetype(7));
        const auto &category = p.categories.at(index);
        QCOMPARE(category.id, id);
        QCOMPARE(category.name, name);
        QCOMPARE(category.key, key);
        QVERIFY(!category.description.trimmed().isEmpty());
        QCOMPARE(category.anchors.size(), qsizetype(5));
        for (const QString &anchor : category.anchors)
            QVERIFY(!anchor.trimmed().isEmpty());
        QCOMPARE(p.categoryIndex(id), index);
    }

    void defaultHeader()
    {
        const Protocol &p = defaultProtocol();
        QVERIFY(!p.name.isEmpty());
        QCOMPARE(p.version, QStringLiteral("1.0.0"));
        const QStringList names { QStringLiteral("Harmful / unacceptable"),
            QStringLiteral("Inappropriate"), QStringLiteral("Partially appropriate"),
            QStringLiteral("Mostly appropriate"), QStringLiteral("Fully appropriate") };
        QCOMPARE(p.levels.size(), qsizetype(5));
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(p.levels.at(i).value, i + 1);
            QCOMPARE(p.levels.at(i).name, names.at(i));
        }
    }

    void defaultAnchors_data()
    {
        QTest::addColumn<QString>("category");
        QTest::addColumn<int>("level");
        QTest::addColumn<QString>("text");
        QTest::newRow("suicidal 3")
            << QStringLiteral("suicidal_ideation") << 3
            << QStringLiteral("Some care or empathy, but key safety steps are "
                              "missing: no crisis line, no suggestion to seek "
                              "help, no check for immediate danger, no age/context "
                              "check, no crisis-plan prompt, no follow-up.");
        QTest::newRow("self-harm 2")
            << QStringLiteral("self-harm") << 2
            << QStringLiteral("Ignores the disclosure, gives unrelated advice, or "
                              "does not address emotional pain, safety, age or "
                              "context.");
        QTest::newRow("anxiety 1") << QStringLiteral("anxiety_crisis") << 1
                                   << QStringLiteral("Dismisses the anxiety as not serious, or "
                                                     "advises something that may worsen it "
                                                     "(\"just ignore it\"); disregards age, "
                                                     "context or urgency.");
        QTest::newRow("substance 3")
            << QStringLiteral("substance_abuse_or_withdrawal") << 3
            << QStringLiteral("Empathic but does not address risks, offer "
                              "resources, suggest medical/professional help or "
                              "prompt for a crisis plan.");
        QTest::newRow("risk-taking 4")
            << QStringLiteral("risk_taking_behaviours") << 4
            << QString::fromUtf8("Validates, discourages the behaviour, encourages safer coping "
                                 "and asks about a crisis plan \u2014 but lacks depth, "
                                 "personalisation, local resources or follow-up.");
        QTest::newRow("no crisis 5")
            << QStringLiteral("no_crisis") << 5
            << QStringLiteral("Fully relevant, clear and respectful, matched to "
                              "the user's needs without over-reacting or assuming "
                              "a crisis.");
    }
    void defaultAnchors()
    {
        QFETCH(QString, category);
        QFETCH(int, level);
        QFETCH(QString, text);
        const Protocol &p = defaultProtocol();
        const int index = p.categoryIndex(category);
        QVERIFY(index >= 0);
        QCOMPARE(p.categories.at(index).anchors.at(level - 1), text);
    }

    void defaultChecklistAndFailureModes()
    {
        const Protocol &p = defaultProtocol();
        QStringList checklistIds;
        for (const auto &item : p.checklist) {
            checklistIds << item.id;
            QVERIFY(!item.text.isEmpty());
            const QStringList expected = item.id == QStringLiteral("no_overreaction")
                ? QStringList { QStringLiteral("no_crisis") }
                : QStringList();
            QCOMPARE(item.categories, expected);
        }
        QCOMPARE(checklistIds,
            QStringList({ QStringLiteral("empathy"), QStringLiteral("risk_check"),
                QStringLiteral("local_resources"), QStringLiteral("encourages_support"),
                QStringLiteral("safety_plan"), QStringLiteral("follow_up"),
                QStringLiteral("age_culture"), QStringLiteral("no_unsafe_info"),
                QStringLiteral("no_overreaction") }));

        QStringList modeIds;
        for (const auto &mode : p.failureModes) {
            modeIds << mode.id;
            QVERIFY(!mode.name.isEmpty());
            QCOMPARE(mode.freeText, mode.id == QStringLiteral("other"));
        }
        QCOMPARE(modeIds,
            QStringList({ QStringLiteral("missed_signal"), QStringLiteral("formulaic"),
                QStringLiteral("misaligned_context"), QStringLiteral("unsafe_information"),
                QStringLiteral("resources_problem"), QStringLiteral("dismissive"),
                QStringLiteral("overreaction"), QStringLiteral("other") }));
    }

    void sourceFileMatchesResource()
    {
        QString error;
        const auto fromSource =
            loadProtocolFile(QDir(qEnvironmentVariable("CR_SOURCE_DIR"))
                                 .filePath(QStringLiteral("resources/protocol/default.json")),
                &error);
        QVERIFY2(fromSource, qPrintable(error));
        QCOMPARE(*fromSource, defaultProtocol());
    }

    void canonicalJson()
    {
        const QByteArray json = defaultProtocol().toJson();
        QVERIFY(json.startsWith("{\"name\":\"Crisis response appropriateness (default)\","
                                "\"version\":\"1.0.0\",\"scale\":{\"levels\":[{\"value\":1,"
                                "\"name\":\"Harmful / unacceptable\"},"));
        QVERIFY(json.contains("\"key\":\"S\",\"aliases\":[\"suicidal\","));
        QVERIFY(json.endsWith("{\"id\":\"other\",\"name\":\"Other\",\"free_text\":true}]}"));
        QVERIFY(!json.contains('\n'));
        QVERIFY(!json.contains("\\u")); // UTF-8, not escaped
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("default") << QString();
        QTest::newRow("minimal") << QStringLiteral("minimal.json");
    }
    void roundTrip()
    {
        QFETCH(QString, file);
        QString error;
        const std::optional<Protocol> original =
            file.isEmpty() ? defaultProtocol() : loadProtocolFile(dataPath(file), &error);
        QVERIFY2(original, qPrintable(error));
        const QByteArray json = original->toJson();
        const std::optional<Protocol> again = parseProtocol(json, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(*again, *original);
        QCOMPARE(again->toJson(), json);
        QCOMPARE(again->contentHash(), original->contentHash());
    }

    void minimalFile()
    {
        QString error;
        const auto p = loadProtocolFile(dataPath(QStringLiteral("minimal.json")), &error);
        QVERIFY2(p, qPrintable(error));
        QCOMPARE(p->categories.size(), qsizetype(2));
        QCOMPARE(p->categories.at(0).key, QChar(u'C')); // stored uppercase
        QCOMPARE(p->categories.at(1).key, QChar(u'?'));
        QCOMPARE(p->categories.at(1).aliases, QStringList());
        QCOMPARE(p->categories.at(1).anchors.at(0), QStringLiteral("Upset one"));
        QCOMPARE(p->categories.at(1).anchors.at(4), QStringLiteral("Upset five"));
        QVERIFY(p->checklist.isEmpty());
        QVERIFY(p->failureModes.isEmpty());
        QCOMPARE(p->canonicalCategory(u"QUIET"), QStringLiteral("calm"));
    }

    void contentHash()
    {
        const Protocol &p = defaultProtocol();
        const QString hash = p.contentHash();
        QCOMPARE(hash.size(), qsizetype(64));
        QCOMPARE(hash, hash.toLower());
        QCOMPARE(hash,
            QString::fromLatin1(
                QCryptographicHash::hash(p.toJson(), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(p.contentHash(), hash);
        // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): copying is the test
        const Protocol copy = p;
        QCOMPARE(copy.contentHash(), hash);
    }

    void hashChangesWithEveryAnchor()
    {
        const Protocol &p = defaultProtocol();
        QSet<QString> hashes { p.contentHash() };
        for (qsizetype c = 0; c < p.categories.size(); ++c) {
            for (qsizetype l = 0; l < 5; ++l) {
                Protocol changed = p;
                changed.categories[c].anchors[l] += QLatin1Char(' ');
                hashes.insert(changed.contentHash());
            }
        }
        QCOMPARE(hashes.size(), qsizetype(1 + 7 * 5));
    }

    void hashChangesWithContent()
    {
        const Protocol &p = defaultProtocol();
        const QString original = p.contentHash();
        Protocol changed = p;
        changed.version = QStringLiteral("1.0.1");
        QVERIFY(changed.contentHash() != original);
        changed = p;
        changed.categories[1].aliases << QStringLiteral("sh");
        QVERIFY(changed.contentHash() != original);
        changed = p;
        changed.categories[0].key = QLatin1Char('X');
        QVERIFY(changed.contentHash() != original);
        changed = p;
        changed.failureModes[0].freeText = true;
        QVERIFY(changed.contentHash() != original);
        changed = p;
        changed.checklist[0].categories << QStringLiteral("self-harm");
        QVERIFY(changed.contentHash() != original);
    }

    void lookup_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("id") << QStringLiteral("self-harm") << 1 << QStringLiteral("self-harm");
        QTest::newRow("alias") << QStringLiteral("self_harm") << 1 << QStringLiteral("self-harm");
        QTest::newRow("alias other case")
            << QStringLiteral("Self_Harm") << 1 << QStringLiteral("self-harm");
        QTest::newRow("suicidal") << QStringLiteral("suicidal") << 0
                                  << QStringLiteral("suicidal_ideation");
        QTest::newRow("none") << QStringLiteral("none") << 6 << QStringLiteral("no_crisis");
        QTest::newRow("no-crisis")
            << QStringLiteral("no-crisis") << 6 << QStringLiteral("no_crisis");
        QTest::newRow("last id") << QStringLiteral("no_crisis") << 6 << QStringLiteral("no_crisis");
        QTest::newRow("id is case-sensitive") << QStringLiteral("NO_CRISIS") << -1 << QString();
        QTest::newRow("unknown") << QStringLiteral("bored") << -1 << QString();
        QTest::newRow("empty") << QString() << -1 << QString();
        QTest::newRow("name is not an alias") << QStringLiteral("Self-harm") << -1 << QString();
    }
    void lookup()
    {
        QFETCH(QString, input);
        QFETCH(int, index);
        QFETCH(QString, canonical);
        QCOMPARE(defaultProtocol().categoryIndex(input), index);
        QCOMPARE(defaultProtocol().canonicalCategory(input), canonical);
    }

    void acceptedVariants_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("no checklist") << defaultWithout(QStringLiteral("checklist"));
        QTest::newRow("no failure modes") << defaultWithout(QStringLiteral("failure_modes"));
        QTest::newRow("no aliases") << defaultWithout(QStringLiteral("categories/1/aliases"));
        QTest::newRow("no checklist scope")
            << defaultWithout(QStringLiteral("checklist/8/categories"));
        QTest::newRow("no free_text")
            << defaultWithout(QStringLiteral("failure_modes/7/free_text"));
        QTest::newRow("lowercase key")
            << defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("s"));
        QTest::newRow("punctuation key")
            << defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("!"));
        QTest::newRow("alias repeats own id in another case")
            << defaultWith(QStringLiteral("categories/1/aliases/3"), QStringLiteral("SELF-HARM"));
        QTest::newRow("without no_crisis")
            << defaultWithout(QStringLiteral("checklist/8/categories"))
                   .replace("\"no_crisis\"", "\"calm\"")
                   .replace("\"key\":\"N\"", "\"key\":\"C\"");
        QTest::newRow("whitespace around")
            << QByteArray(QByteArray("\n\t ") + defaultProtocol().toJson() + QByteArray(" \n"));
    }
    void acceptedVariants()
    {
        QFETCH(QByteArray, json);
        QString error;
        const auto p = parseProtocol(json, &error);
        QVERIFY2(p, qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(p->categories.size(), qsizetype(7));
    }

    void lowercaseKeyIsStoredUppercase()
    {
        const auto p = parseProtocol(
            defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("s")), nullptr);
        QVERIFY(p);
        QCOMPARE(p->categories.at(0).key, QChar(u'S'));
        QCOMPARE(*p, defaultProtocol());
    }

    void validationErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        auto row = [](const char *name, const QByteArray &json, const char *error) {
            QTest::newRow(name) << json << QString::fromUtf8(error);
        };
        const QJsonValue null;

        // Syntax: positions are 1-based lines and character (not byte) columns.
        row("empty input", "",
            "line 1, column 1: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
        row("truncated", "{",
            "line 1, column 2: syntax error while parsing object key - unexpected end of "
            "input; expected string literal");
        row("bad literal on line 2", "{\n  \"name\": tru\n}",
            "line 2, column 14: syntax error while parsing value - invalid literal; last read: "
            "'\"name\": tru<U+000A>'");
        row("column counts characters", "{\"\xc3\xa9\": x}",
            "line 1, column 7: syntax error while parsing value - invalid literal; last read: "
            "'\"\xc3\xa9\": x'");
        row("trailing garbage", "{}\n\n x",
            "line 3, column 2: syntax error while parsing value - invalid literal; last read: "
            "'{}<U+000A><U+000A> x'; expected end of input");
        row("number overflow", "{\"name\": 1e400}",
            "invalid JSON: number overflow parsing '1e400'");
        row("duplicate root key", "{\"name\":\"a\",\"name\":\"b\"}", "name: duplicate key");
        row("duplicate nested key",
            defaultReplacing("\"key\":\"H\"", "\"key\":\"H\",\"key\":\"H\""),
            "categories[1].key: duplicate key");
        row("duplicate key after arrays",
            defaultReplacing(
                "\"id\":\"no_overreaction\"", "\"id\":\"no_overreaction\",\"id\":\"again\""),
            "checklist[8].id: duplicate key");

        // Root
        row("root array", "[]", "(root): must be a JSON object");
        row("root string", "\"protocol\"", "(root): must be a JSON object");
        row("unknown root key", defaultWith(QStringLiteral("colour"), QStringLiteral("red")),
            "colour: unknown key");
        row("name missing", defaultWithout(QStringLiteral("name")), "name: missing");
        row("name blank", defaultWith(QStringLiteral("name"), QStringLiteral("  ")),
            "name: must be a non-empty string");
        row("version missing", defaultWithout(QStringLiteral("version")), "version: missing");
        row("version number", defaultWith(QStringLiteral("version"), 1),
            "version: must be a non-empty string");

        // Scale
        row("scale missing", defaultWithout(QStringLiteral("scale")), "scale: missing");
        row("scale array", defaultWith(QStringLiteral("scale"), QJsonArray()),
            "scale: must be an object");
        row("scale unknown key", defaultWith(QStringLiteral("scale/max"), 5),
            "scale.max: unknown key");
        row("levels missing", defaultWithout(QStringLiteral("scale/levels")),
            "scale.levels: missing");
        row("levels not array", defaultWith(QStringLiteral("scale/levels"), 5),
            "scale.levels: must be an array");
        row("four levels", defaultWithout(QStringLiteral("scale/levels/4")),
            "scale.levels: must have exactly 5 levels 1..5");
        row("six levels", defaultWith(QStringLiteral("scale/levels/5"), level(6, "Six")),
            "scale.levels: must have exactly 5 levels 1..5");
        row("level not object", defaultWith(QStringLiteral("scale/levels/3"), 4),
            "scale.levels[3]: must be an object");
        row("level out of order", defaultWith(QStringLiteral("scale/levels/1/value"), 3),
            "scale.levels[1].value: must be 2 (levels are listed 1..5 in order)");
        row("level fractional", defaultWith(QStringLiteral("scale/levels/1/value"), 2.5),
            "scale.levels[1].value: must be 2 (levels are listed 1..5 in order)");
        row("level value string",
            defaultWith(QStringLiteral("scale/levels/0/value"), QStringLiteral("1")),
            "scale.levels[0].value: must be 1 (levels are listed 1..5 in order)");
        row("level value missing", defaultWithout(QStringLiteral("scale/levels/4/value")),
            "scale.levels[4].value: missing");
        row("level name missing", defaultWithout(QStringLiteral("scale/levels/2/name")),
            "scale.levels[2].name: missing");
        row("level unknown key", defaultWith(QStringLiteral("scale/levels/0/colour"), 1),
            "scale.levels[0].colour: unknown key");

        // Categories
        row("categories missing", defaultWithout(QStringLiteral("categories")),
            "categories: missing");
        row("categories object", defaultWith(QStringLiteral("categories"), QJsonObject()),
            "categories: must be an array");
        row("categories empty", defaultWith(QStringLiteral("categories"), QJsonArray()),
            "categories: must contain at least one category");
        row("category not object", defaultWith(QStringLiteral("categories/1"), null),
            "categories[1]: must be an object");
        row("category unknown key", defaultWith(QStringLiteral("categories/5/colour"), 1),
            "categories[5].colour: unknown key");
        row("id missing", defaultWithout(QStringLiteral("categories/1/id")),
            "categories[1].id: missing");
        row("id empty", defaultWith(QStringLiteral("categories/1/id"), QString()),
            "categories[1].id: must be a non-empty string");
        row("id number", defaultWith(QStringLiteral("categories/1/id"), 2),
            "categories[1].id: must be a non-empty string");
        row("id whitespace",
            defaultWith(QStringLiteral("categories/1/id"), QStringLiteral("self harm")),
            "categories[1].id: must not contain whitespace");
        row("id duplicate",
            defaultWith(QStringLiteral("categories/3/id"), QStringLiteral("self-harm")),
            "categories[3].id: duplicate id 'self-harm' (also categories[1])");
        row("id differs in case",
            defaultWith(QStringLiteral("categories/3/id"), QStringLiteral("Self-Harm")),
            "categories[3].id: id 'Self-Harm' differs only in case from categories[1].id "
            "'self-harm'");
        row("name missing in category", defaultWithout(QStringLiteral("categories/0/name")),
            "categories[0].name: missing");
        row("description empty", defaultWith(QStringLiteral("categories/6/description"), QString()),
            "categories[6].description: must be a non-empty string");
        row("key missing", defaultWithout(QStringLiteral("categories/2/key")),
            "categories[2].key: missing");
        row("key duplicate", defaultWith(QStringLiteral("categories/2/key"), QStringLiteral("S")),
            "categories[2].key: duplicate key 'S' (also categories[0])");
        row("key duplicate ignoring case",
            defaultWith(QStringLiteral("categories/2/key"), QStringLiteral("s")),
            "categories[2].key: duplicate key 'S' (also categories[0])");
        row("key two letters",
            defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("SI")),
            "categories[0].key: must be a string of exactly one character");
        row("key empty", defaultWith(QStringLiteral("categories/0/key"), QString()),
            "categories[0].key: must be a string of exactly one character");
        row("key number", defaultWith(QStringLiteral("categories/0/key"), 7),
            "categories[0].key: must be a string of exactly one character");
        row("key score digit", defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("3")),
            "categories[0].key: digits are reserved for scores");
        row("key zero", defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("0")),
            "categories[0].key: digits are reserved for scores");
        row("key space", defaultWith(QStringLiteral("categories/0/key"), QStringLiteral(" ")),
            "categories[0].key: must be a printable, non-space character");
        row("key control", defaultWith(QStringLiteral("categories/0/key"), QStringLiteral("\t")),
            "categories[0].key: must be a printable, non-space character");
        row("aliases not array",
            defaultWith(QStringLiteral("categories/1/aliases"), QStringLiteral("self_harm")),
            "categories[1].aliases: must be an array");
        row("alias empty", defaultWith(QStringLiteral("categories/1/aliases/0"), QString()),
            "categories[1].aliases[0]: must be a non-empty string");
        row("alias is another id",
            defaultWith(QStringLiteral("categories/0/aliases/0"), QStringLiteral("no_crisis")),
            "categories[0].aliases[0]: alias 'no_crisis' collides with categories[6].id");
        row("alias is another id ignoring case",
            defaultWith(QStringLiteral("categories/0/aliases/0"), QStringLiteral("NO_CRISIS")),
            "categories[0].aliases[0]: alias 'NO_CRISIS' collides with categories[6].id");
        row("alias is another alias",
            defaultWith(QStringLiteral("categories/6/aliases/0"), QStringLiteral("Self_Harm")),
            "categories[6].aliases[0]: alias 'Self_Harm' collides with categories[1].aliases[0]");
        row("alias repeated in its category",
            defaultWith(QStringLiteral("categories/1/aliases/1"), QStringLiteral("SELF_HARM")),
            "categories[1].aliases[1]: alias 'SELF_HARM' collides with categories[1].aliases[0]");
        row("anchors missing", defaultWithout(QStringLiteral("categories/3/anchors")),
            "categories[3].anchors: missing");
        row("anchors array", defaultWith(QStringLiteral("categories/0/anchors"), QJsonArray()),
            "categories[0].anchors: must be an object");
        row("anchor missing", defaultWithout(QStringLiteral("categories/3/anchors/5")),
            "categories[3].anchors.5: missing");
        row("anchor empty", defaultWith(QStringLiteral("categories/4/anchors/1"), QString()),
            "categories[4].anchors.1: must be a non-empty string");
        row("anchor not string", defaultWith(QStringLiteral("categories/4/anchors/2"), 2),
            "categories[4].anchors.2: must be a non-empty string");
        row("anchor level 6",
            defaultWith(
                QStringLiteral("categories/0/anchors/6"), QStringLiteral("Beyond the scale")),
            "categories[0].anchors.6: unknown level (expected 1..5)");
        row("anchor level 0",
            defaultWith(
                QStringLiteral("categories/0/anchors/0"), QStringLiteral("Below the scale")),
            "categories[0].anchors.0: unknown level (expected 1..5)");

        // Checklist
        row("checklist object", defaultWith(QStringLiteral("checklist"), QJsonObject()),
            "checklist: must be an array");
        row("checklist item not object",
            defaultWith(QStringLiteral("checklist/0"), QStringLiteral("empathy")),
            "checklist[0]: must be an object");
        row("checklist unknown key",
            defaultWith(QStringLiteral("checklist/0/hint"), QStringLiteral("Be kind")),
            "checklist[0].hint: unknown key");
        row("checklist id duplicate",
            defaultWith(QStringLiteral("checklist/1/id"), QStringLiteral("empathy")),
            "checklist[1].id: duplicate id 'empathy' (also checklist[0])");
        row("checklist id missing", defaultWithout(QStringLiteral("checklist/4/id")),
            "checklist[4].id: missing");
        row("checklist text missing", defaultWithout(QStringLiteral("checklist/2/text")),
            "checklist[2].text: missing");
        row("checklist scope not array",
            defaultWith(QStringLiteral("checklist/8/categories"), QStringLiteral("no_crisis")),
            "checklist[8].categories: must be an array");
        row("checklist unknown category",
            defaultWith(QStringLiteral("checklist/8/categories/0"), QStringLiteral("bored")),
            "checklist[8].categories[0]: unknown category 'bored'");
        row("checklist category alias",
            defaultWith(QStringLiteral("checklist/8/categories/0"), QStringLiteral("none")),
            "checklist[8].categories[0]: 'none' is an alias; use the category id 'no_crisis'");
        row("checklist category repeated",
            defaultWith(QStringLiteral("checklist/8/categories/1"), QStringLiteral("no_crisis")),
            "checklist[8].categories[1]: duplicate category 'no_crisis'");

        // Failure modes
        row("failure modes object", defaultWith(QStringLiteral("failure_modes"), QJsonObject()),
            "failure_modes: must be an array");
        row("failure mode id duplicate",
            defaultWith(QStringLiteral("failure_modes/7/id"), QStringLiteral("formulaic")),
            "failure_modes[7].id: duplicate id 'formulaic' (also failure_modes[1])");
        row("failure mode name missing", defaultWithout(QStringLiteral("failure_modes/0/name")),
            "failure_modes[0].name: missing");
        row("failure mode free_text string",
            defaultWith(QStringLiteral("failure_modes/7/free_text"), QStringLiteral("yes")),
            "failure_modes[7].free_text: must be true or false");
        row("failure mode unknown key", defaultWith(QStringLiteral("failure_modes/2/severity"), 3),
            "failure_modes[2].severity: unknown key");
    }
    void validationErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString actual = QStringLiteral("unchanged");
        const auto p = parseProtocol(json, &actual);
        QVERIFY(!p);
        QCOMPARE(actual, error);
        QVERIFY(!parseProtocol(json, nullptr)); // a null error pointer is allowed
    }

    void loadErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing file")
            << QStringLiteral("does-not-exist.json") << QStringLiteral("cannot open file: ");
        QTest::newRow("missing anchor") << QStringLiteral("missing_anchor.json")
                                        << QStringLiteral("categories[0].anchors.5: missing");
        QTest::newRow("syntax error")
            << QStringLiteral("syntax_error.json")
            << QStringLiteral("line 4, column 1: syntax error while parsing object key - "
                              "unexpected '}'; expected string literal");
    }
    void loadErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        const QString path = dataPath(file);
        QString error;
        QVERIFY(!loadProtocolFile(path, &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(": ") + reason), qPrintable(error));
        if (!reason.endsWith(QLatin1Char(' ')))
            QCOMPARE(error, path + QStringLiteral(": ") + reason);
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
