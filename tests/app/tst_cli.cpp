#include "app/cli.h"
#include "protocol/protocol.h"
#include "storage/repositories.h"
#include "storage/schema.h"
#include "storage/study.h"
#include "tests/storage/testutil.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

struct Run {
    int code = -1; // -1: did not finish in time (killed); -2: crashed
    QString out;
    QString err;
};

QString binary()
{
    return test::binaryDir() + QStringLiteral("/app/crisis-review");
}

/// Items for the assignment tests: `n` items, two with responses.
QByteArray itemsJsonl(int n)
{
    QByteArray out;
    for (int i = 1; i <= n; ++i) {
        out +=
            QStringLiteral("{\"item_id\": \"item-%1\", \"dataset\": \"cli\", \"split\": \"test\","
                           " \"text\": \"Message %1 — “é” 🙂\"")
                .arg(i, 3, 10, QLatin1Char('0'))
                .toUtf8();
        if (i <= 2)
            out += ", \"responses\": [{\"model\": \"model-a\", \"run\": 1, \"text\": \"r\", "
                   "\"refusal\": true},"
                   " {\"model\": \"model-b\", \"run\": 1, \"text\": \"s\"}]";
        out += "}\n";
    }
    return out;
}

/// Reads a FILE* that runCli() wrote to.
QString readBack(std::FILE *f)
{
    return QString::fromUtf8(test::readBack(f));
}

} // namespace

class TestCli final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    QString path(const QString &name) const { return m_dir->filePath(name); }

    Run run(const QStringList &args, int timeoutMs = 30000) const
    {
        QProcess p;
        p.setProgram(binary());
        p.setArguments(args);
        p.setWorkingDirectory(m_dir->path());
        p.start();
        Run r;
        if (!p.waitForStarted(10000)) {
            r.err = QStringLiteral("could not start ") + binary();
            return r;
        }
        if (!p.waitForFinished(timeoutMs)) {
            p.kill(); // our own child, by its handle
            p.waitForFinished(5000);
            r.code = -1;
        } else {
            r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        }
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    static QByteArray describe(const Run &r)
    {
        return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
            .arg(r.code)
            .arg(r.out, r.err)
            .toUtf8();
    }

    QString write(const QString &name, const QByteArray &bytes) const
    {
        const QString p = path(name);
        if (!test::writeFile(p, bytes))
            qWarning("cannot write %s", qPrintable(p));
        return p;
    }

    /// init + import `items` + add raters; false (with a warning) on any failure.
    bool makeStudy(const QString &study, int items, const QStringList &raters) const
    {
        const QString file = write(QStringLiteral("items-%1.jsonl").arg(items), itemsJsonl(items));
        QList<QStringList> steps { { QStringLiteral("init"), study },
            { QStringLiteral("import"), study, file } };
        for (const QString &r : raters)
            steps.append({ QStringLiteral("rater"), QStringLiteral("add"), study, r });
        for (const QStringList &args : std::as_const(steps)) {
            const Run r = run(args);
            if (r.code != 0) {
                qWarning("%s failed: %s", qPrintable(args.join(QLatin1Char(' '))),
                    describe(r).constData());
                return false;
            }
        }
        return true;
    }

    QJsonObject infoJson(const QString &study) const
    {
        const Run r = run({ QStringLiteral("info"), study, QStringLiteral("--json") });
        if (r.code != 0)
            qWarning("info failed: %s", describe(r).constData());
        QJsonParseError pe {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe);
        if (pe.error != QJsonParseError::NoError)
            qWarning("info --json is not JSON: %s", qPrintable(pe.errorString()));
        return doc.object();
    }

    /// (rater name, item external id, display seed, calibration) of every assignment.
    static QStringList assignmentRows(const QString &study)
    {
        QStringList out;
        test::RawDb raw(study);
        QSqlQuery q(raw.db());
        q.exec(QStringLiteral(
            "SELECT rater.name, item.external_id, assignment.seed, assignment.calibration"
            " FROM assignment JOIN rater ON rater.id = assignment.rater_id"
            " JOIN item ON item.id = assignment.item_id"
            " ORDER BY item.external_id, rater.name"));
        while (q.next())
            out.append(QStringLiteral("%1|%2|%3|%4")
                           .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                               q.value(3).toString()));
        return out;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo(binary()).isExecutable(), qPrintable(binary()));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup() { m_dir.reset(); }

    // ---- help, version, usage ---------------------------------------------------------

    void helpListsEveryCommand_data()
    {
        QTest::addColumn<QString>("usage");
        QTest::newRow("gui") << QStringLiteral("crisis-review [STUDY] [--rater NAME]");
        QTest::newRow("demo") << QStringLiteral("crisis-review --demo");
        QTest::newRow("init") << QStringLiteral(
            "crisis-review init STUDY [--protocol FILE] [--title TEXT]");
        QTest::newRow("rater add")
            << QStringLiteral("crisis-review rater add STUDY NAME [--kind human|llm] [--role "
                              "rater|adjudicator|researcher]");
        QTest::newRow("rater list") << QStringLiteral("crisis-review rater list STUDY");
        QTest::newRow("assign") << QStringLiteral(
            "crisis-review assign STUDY --raters NAME,NAME... --per-item K [--seed S]");
        QTest::newRow("import") << QStringLiteral("crisis-review import STUDY PATH... [--format "
                                                  "auto|jsonl|csv|benchmark] [--skip-invalid]");
        QTest::newRow("info") << QStringLiteral("crisis-review info STUDY [--json]");
        QTest::newRow("stats") << QStringLiteral("crisis-review stats STUDY");
        QTest::newRow("disagreements") << QStringLiteral("crisis-review disagreements STUDY");
        QTest::newRow("export") << QStringLiteral("crisis-review export STUDY");
        QTest::newRow("screenshot") << QStringLiteral("crisis-review screenshot STUDY|--demo");
        QTest::newRow("exit status") << QStringLiteral(
            "exit status: 0 success, 1 usage error, 2 invalid input, 3 storage or I/O error");
    }

    void helpListsEveryCommand()
    {
        QFETCH(QString, usage);
        for (const QString &flag : { QStringLiteral("--help"), QStringLiteral("-h") }) {
            const Run r = run({ flag });
            QVERIFY2(r.code == 0, describe(r).constData());
            QVERIFY2(r.out.contains(usage), qPrintable(r.out));
            QVERIFY(r.err.isEmpty());
        }
    }

    void version()
    {
        const Run r = run({ QStringLiteral("--version") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(r.out, QStringLiteral("crisis-review " CR_VERSION "\n"));
    }

    void disagreementsOnEmptyStudy()
    {
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        const Run r = run({ QStringLiteral("disagreements"), QStringLiteral("s.crs") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.out.contains(QLatin1String("0 disagreement(s)")), describe(r).constData());
    }

    void unknownCommandInProcess()
    {
        std::FILE *out = std::tmpfile();
        std::FILE *err = std::tmpfile();
        QVERIFY(out && err);
        const int code =
            cr::app::runCli({ QStringLiteral("frobnicate"), QStringLiteral("x.crs") }, out, err);
        const QString o = readBack(out);
        const QString e = readBack(err);
        std::fclose(out);
        std::fclose(err);
        QCOMPARE(code, int(cr::app::ExitUsage));
        QVERIFY(o.isEmpty());
        QVERIFY2(e.contains(QLatin1String("unknown command 'frobnicate'")), qPrintable(e));
        QVERIFY(!cr::app::isCliCommand({ QStringLiteral("frobnicate") }));
        QVERIFY(cr::app::isCliCommand({ QStringLiteral("import") }));
        QVERIFY(cr::app::isCliCommand({ QStringLiteral("stats") }));
    }

    void unknownCommandExitsWithUsageError()
    {
        // Two positional arguments can only be a (mistyped) subcommand, never the GUI's [STUDY].
        const Run r = run({ QStringLiteral("frobnicate"), QStringLiteral("x.crs") }, 5000);
        QVERIFY2(r.code == 1, describe(r).constData());
        QVERIFY2(
            r.err.contains(QLatin1String("frobnicate")) || r.err.contains(QLatin1String("usage")),
            describe(r).constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("x.crs"))));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("frobnicate"))));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("init without study") << QStringList { QStringLiteral("init") };
        QTest::newRow("init with two studies") << QStringList { QStringLiteral("init"),
            QStringLiteral("a.crs"), QStringLiteral("b.crs") };
        QTest::newRow("init unknown option") << QStringList { QStringLiteral("init"),
            QStringLiteral("a.crs"), QStringLiteral("--colour") };
        QTest::newRow("rater without sub") << QStringList { QStringLiteral("rater") };
        QTest::newRow("rater bogus sub") << QStringList { QStringLiteral("rater"),
            QStringLiteral("remove"), QStringLiteral("a.crs"), QStringLiteral("x") };
        QTest::newRow("rater add without name") << QStringList { QStringLiteral("rater"),
            QStringLiteral("add"), QStringLiteral("a.crs") };
        QTest::newRow("import without file")
            << QStringList { QStringLiteral("import"), QStringLiteral("a.crs") };
        QTest::newRow("info without study") << QStringList { QStringLiteral("info") };
        QTest::newRow("assign without raters") << QStringList { QStringLiteral("assign"),
            QStringLiteral("a.crs"), QStringLiteral("--per-item"), QStringLiteral("1") };
        QTest::newRow("assign without per-item") << QStringList { QStringLiteral("assign"),
            QStringLiteral("a.crs"), QStringLiteral("--raters"), QStringLiteral("a") };
        QTest::newRow("assign per-item not a number") << QStringList { QStringLiteral("assign"),
            QStringLiteral("a.crs"), QStringLiteral("--raters"), QStringLiteral("a"),
            QStringLiteral("--per-item"), QStringLiteral("two") };
        QTest::newRow("assign bad seed")
            << QStringList { QStringLiteral("assign"), QStringLiteral("a.crs"),
                   QStringLiteral("--raters"), QStringLiteral("a"), QStringLiteral("--per-item"),
                   QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("-3") };
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        const Run r = run(args);
        QVERIFY2(r.code == 1, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("usage")), describe(r).constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("a.crs"))));
    }

    // ---- init ----------------------------------------------------------------

    void initCommand()
    {
        const Run r = run({ QStringLiteral("init"), QStringLiteral("s.crs") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY(r.out.startsWith(QLatin1String("Created s.crs")));
        const QString file = path(QStringLiteral("s.crs"));
        QVERIFY(QFileInfo(file).isFile());
        const QFileDevice::Permissions perms = QFile::permissions(file);
        QCOMPARE(perms
                & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
                    | QFileDevice::WriteOther),
            QFileDevice::Permissions());
        const QJsonObject info = infoJson(QStringLiteral("s.crs"));
        QCOMPARE(info.value(QStringLiteral("title")).toString(),
            QStringLiteral("s")); // from the file name
        QCOMPARE(info.value(QStringLiteral("schema_version")).toInt(), schema::currentVersion);
        QCOMPARE(info.value(QStringLiteral("protocol"))
                     .toObject()
                     .value(QStringLiteral("hash"))
                     .toString(),
            cr::protocol::defaultProtocol().contentHash());

        // A second init on the same path is a storage error and leaves the file alone.
        const QByteArray before = test::sha256(file);
        const Run again = run({ QStringLiteral("init"), QStringLiteral("s.crs"),
            QStringLiteral("--title"), QStringLiteral("Other") });
        QVERIFY2(again.code == 3, describe(again).constData());
        QVERIFY2(again.err.contains(QLatin1String("already exists")), describe(again).constData());
        QVERIFY(again.out.isEmpty());
        QCOMPARE(test::sha256(file), before);
    }

    void initWithTitleAndProtocol()
    {
        const QString title = QStringLiteral("Étude “pilot” 🙂");
        const Run r = run({ QStringLiteral("init"), QStringLiteral("t.crs"),
            QStringLiteral("--title"), title, QStringLiteral("--protocol"),
            test::sourceDir() + QStringLiteral("/resources/protocol/default.json") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(
            infoJson(QStringLiteral("t.crs")).value(QStringLiteral("title")).toString(), title);
    }

    void initWithBadProtocol()
    {
        const QString proto =
            test::sourceDir() + QStringLiteral("/tests/data/protocol/syntax_error.json");
        QVERIFY(QFileInfo::exists(proto));
        const Run r = run({ QStringLiteral("init"), QStringLiteral("p.crs"),
            QStringLiteral("--protocol"), proto });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.contains(proto), describe(r).constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("p.crs"))));
    }

    void initInMissingDirectory()
    {
        const Run r = run({ QStringLiteral("init"), QStringLiteral("no/such/dir/s.crs") });
        QVERIFY2(r.code == 3, describe(r).constData());
    }

    // ---- rater ----------------------------------------------------------------

    void raterAdd()
    {
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        Run r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("s.crs"),
            QStringLiteral("ann") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(r.out, QStringLiteral("Added rater ann (human, rater) as R001\n"));
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("s.crs"),
            QStringLiteral("Dr. Zoë"), QStringLiteral("--kind"), QStringLiteral("llm"),
            QStringLiteral("--role"), QStringLiteral("adjudicator") });
        QVERIFY2(r.code == 0, describe(r).constData());

        // Duplicate name: invalid input.
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("s.crs"),
            QStringLiteral("ann") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("already exists")), describe(r).constData());
        QVERIFY(r.out.isEmpty());
        // A comma in the name: invalid input.
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("s.crs"),
            QStringLiteral("Smith, J") });
        QVERIFY2(r.code == 2, describe(r).constData());
        // Bad --kind / --role: usage errors.
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("s.crs"),
            QStringLiteral("bot"), QStringLiteral("--kind"), QStringLiteral("robot") });
        QVERIFY2(r.code == 1, describe(r).constData());
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("s.crs"),
            QStringLiteral("bot"), QStringLiteral("--role"), QStringLiteral("boss") });
        QVERIFY2(r.code == 1, describe(r).constData());
        // Missing study: storage error; a file that is not a study: invalid input.
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), QStringLiteral("missing.crs"),
            QStringLiteral("x") });
        QVERIFY2(r.code == 3, describe(r).constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("missing.crs"))));

        r = run({ QStringLiteral("rater"), QStringLiteral("list"), QStringLiteral("s.crs"),
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, describe(r).constData());
        const QJsonArray raters = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(raters.size(), 2);
        QCOMPARE(
            raters[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("ann"));
        QCOMPARE(raters[1].toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("Dr. Zoë"));
        QCOMPARE(
            raters[1].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("llm"));
        QCOMPARE(raters[1].toObject().value(QStringLiteral("role")).toString(),
            QStringLiteral("adjudicator"));
        QCOMPARE(raters[1].toObject().value(QStringLiteral("pseudonym")).toString(),
            QStringLiteral("R002"));
    }

    // ---- assign ----------------------------------------------------------------

    void assignBalanced_data()
    {
        QTest::addColumn<int>("items");
        QTest::addColumn<QStringList>("raters");
        QTest::addColumn<int>("perItem");
        QTest::newRow("a,b x2") << 10 << QStringList { QStringLiteral("a"), QStringLiteral("b") }
                                << 2;
        QTest::newRow("a,b,c x2") << 10
                                  << QStringList { QStringLiteral("a"), QStringLiteral("b"),
                                         QStringLiteral("c") }
                                  << 2;
        QTest::newRow("a,b,c,d x3 / 11 items")
            << 11
            << QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                   QStringLiteral("d") }
            << 3;
        QTest::newRow("a,b,c x1 / 7 items")
            << 7 << QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }
            << 1;
    }

    void assignBalanced()
    {
        QFETCH(int, items);
        QFETCH(QStringList, raters);
        QFETCH(int, perItem);
        QVERIFY(makeStudy(QStringLiteral("s.crs"), items, raters));
        const Run r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"),
            QStringLiteral("--raters"), raters.join(QLatin1Char(',')), QStringLiteral("--per-item"),
            QString::number(perItem), QStringLiteral("--seed"), QStringLiteral("7") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.out.startsWith(QStringLiteral("Assigned %1 ").arg(items * perItem)),
            describe(r).constData());

        QHash<QString, int> perRater;
        QHash<QString, QSet<QString>> perItemRaters;
        const QStringList rows = assignmentRows(path(QStringLiteral("s.crs")));
        QCOMPARE(rows.size(), items * perItem);
        for (const QString &row : rows) {
            const QStringList f = row.split(QLatin1Char('|'));
            ++perRater[f[0]];
            perItemRaters[f[1]].insert(f[0]);
            QCOMPARE(f[3], QStringLiteral("0"));
        }
        QCOMPARE(perItemRaters.size(), items);
        for (auto it = perItemRaters.cbegin(); it != perItemRaters.cend(); ++it)
            QCOMPARE(int(it.value().size()), perItem);
        int lo = INT_MAX, hi = 0;
        for (const QString &name : std::as_const(raters)) {
            lo = std::min(lo, perRater.value(name));
            hi = std::max(hi, perRater.value(name));
        }
        QVERIFY2(hi - lo <= 1, qPrintable(QStringLiteral("loads %1..%2").arg(lo).arg(hi)));

        // Again: already complete, nothing added.
        const Run again = run({ QStringLiteral("assign"), QStringLiteral("s.crs"),
            QStringLiteral("--raters"), raters.join(QLatin1Char(',')), QStringLiteral("--per-item"),
            QString::number(perItem), QStringLiteral("--seed"), QStringLiteral("7") });
        QVERIFY2(again.code == 0, describe(again).constData());
        QVERIFY2(again.out.startsWith(QLatin1String("Assigned 0 ")), describe(again).constData());
        QCOMPARE(assignmentRows(path(QStringLiteral("s.crs"))), rows);
    }

    void assignIsDeterministicForASeed()
    {
        const QStringList raters { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") };
        const QStringList studies { QStringLiteral("one.crs"), QStringLiteral("two.crs"),
            QStringLiteral("three.crs") };
        for (const QString &s : studies)
            QVERIFY(makeStudy(s, 12, raters));
        const QStringList seeds { QStringLiteral("7"), QStringLiteral("7"), QStringLiteral("8") };
        for (int i = 0; i < studies.size(); ++i) {
            const Run r = run({ QStringLiteral("assign"), studies[i], QStringLiteral("--raters"),
                QStringLiteral("a,b,c"), QStringLiteral("--per-item"), QStringLiteral("2"),
                QStringLiteral("--seed"), seeds[i] });
            QVERIFY2(r.code == 0, describe(r).constData());
        }
        const QStringList one = assignmentRows(path(studies[0]));
        QCOMPARE(one.size(), 24);
        QCOMPARE(assignmentRows(path(studies[1])), one);
        QVERIFY(assignmentRows(path(studies[2]))
            != one); // another seed, another plan (or display seeds)
    }

    void assignErrors()
    {
        QVERIFY(
            makeStudy(QStringLiteral("s.crs"), 4, { QStringLiteral("a"), QStringLiteral("b") }));
        Run r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"), QStringLiteral("--raters"),
            QStringLiteral("a,zed"), QStringLiteral("--per-item"), QStringLiteral("1") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("zed")), describe(r).constData());
        r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"), QStringLiteral("--raters"),
            QStringLiteral("a,b"), QStringLiteral("--per-item"), QStringLiteral("3") });
        QVERIFY2(r.code == 2, describe(r).constData());
        r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"), QStringLiteral("--raters"),
            QStringLiteral("a,a"), QStringLiteral("--per-item"), QStringLiteral("1") });
        QVERIFY2(r.code == 1, describe(r).constData());
        r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"), QStringLiteral("--raters"),
            QStringLiteral("a,b"), QStringLiteral("--per-item"), QStringLiteral("1"),
            QStringLiteral("--calibration"), QStringLiteral("nope") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY(assignmentRows(path(QStringLiteral("s.crs"))).isEmpty());

        // Calibration items go to every rater, flagged.
        r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"), QStringLiteral("--raters"),
            QStringLiteral("a,b"), QStringLiteral("--per-item"), QStringLiteral("1"),
            QStringLiteral("--calibration"), QStringLiteral("item-003") });
        QVERIFY2(r.code == 0, describe(r).constData());
        const QStringList rows = assignmentRows(path(QStringLiteral("s.crs")));
        QCOMPARE(rows.size(), 5);
        int calibration = 0;
        for (const QString &row : rows)
            if (row.contains(QLatin1String("|item-003|"))) {
                QVERIFY(row.endsWith(QLatin1String("|1")));
                ++calibration;
            }
        QCOMPARE(calibration, 2);
    }

    // ---- import and info ---------------------------------------------------------

    void infoShowsExposurePerRater()
    {
        QVERIFY(makeStudy(
            QStringLiteral("s.crs"), 3, { QStringLiteral("ana"), QStringLiteral("ben") }));
        Run r = run({ QStringLiteral("assign"), QStringLiteral("s.crs"), QStringLiteral("--raters"),
            QStringLiteral("ana,ben"), QStringLiteral("--per-item"), QStringLiteral("2") });
        QVERIFY2(r.code == 0, describe(r).constData());
        {
            // What the rating workspace writes: skips with a reason and sessions.
            test::RawDb raw(path(QStringLiteral("s.crs")));
            QSqlQuery q(raw.db());
            const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
            QVERIFY(q.exec(QStringLiteral(
                "UPDATE assignment SET status = 'skipped', skip_reason = 'distressing'"
                " WHERE id = (SELECT min(id) FROM assignment WHERE rater_id ="
                " (SELECT id FROM rater WHERE name = 'ana'))")));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO rating_session(rater_id, started_at, ended_at, items_shown,"
                " items_rated) SELECT id, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z',"
                " 3, 2 FROM rater WHERE name = 'ana'")));
            QVERIFY(q.exec(QStringLiteral(
                "INSERT INTO rating_session(rater_id, started_at, ended_at, items_shown,"
                " items_rated) SELECT id, '%1', '%1', 1, 0 FROM rater WHERE name = 'ana'")
                               .arg(now)));
        }
        const QJsonArray exposure =
            infoJson(QStringLiteral("s.crs")).value(QStringLiteral("exposure")).toArray();
        QCOMPARE(exposure.size(), 2);
        const QJsonObject ana = exposure.at(0).toObject();
        QCOMPARE(ana.value(QStringLiteral("name")).toString(), QStringLiteral("ana"));
        QCOMPARE(ana.value(QStringLiteral("assigned")).toInt(), 3);
        QCOMPARE(ana.value(QStringLiteral("skipped")).toInt(), 1);
        QCOMPARE(ana.value(QStringLiteral("distressing")).toInt(), 1);
        QCOMPARE(ana.value(QStringLiteral("sessions")).toInt(), 2);
        QCOMPARE(ana.value(QStringLiteral("shown_today")).toInt(), 1);
        QCOMPARE(ana.value(QStringLiteral("shown_last_session")).toInt(), 1);
        QCOMPARE(ana.value(QStringLiteral("max_shown_in_session")).toInt(), 3);
        QCOMPARE(ana.value(QStringLiteral("mean_shown_per_session")).toDouble(), 2.0);
        QCOMPARE(exposure.at(1).toObject().value(QStringLiteral("distressing")).toInt(), 0);
        r = run({ QStringLiteral("info"), QStringLiteral("s.crs") });
        QVERIFY2(r.out.contains(QLatin1String(
                     "0 done, 1 skipped, 1 distressing; 2 session(s), 1 shown today")),
            describe(r).constData());
    }

    void screenshotRendersLightAndDark()
    {
        // The rating page at 1366x768, in the default and a dark palette.
        const auto meanLightness = [](const QString &file) {
            const QImage image(file);
            qint64 sum = 0;
            for (int y = 0; y < image.height(); y += 8)
                for (int x = 0; x < image.width(); x += 8)
                    sum += qGray(image.pixel(x, y));
            const qint64 n = qint64((image.height() + 7) / 8) * ((image.width() + 7) / 8);
            return image.isNull() ? -1 : int(sum / n);
        };
        const QString light = path(QStringLiteral("light.png"));
        const QString dark = path(QStringLiteral("dark.png"));
        Run r = run({ QStringLiteral("screenshot"), QStringLiteral("--demo"),
            QStringLiteral("--view"), QStringLiteral("rating"), QStringLiteral("--out"), light });
        QVERIFY2(r.code == 0, describe(r).constData());
        r = run({ QStringLiteral("screenshot"), QStringLiteral("--demo"), QStringLiteral("--view"),
            QStringLiteral("rating"), QStringLiteral("--dark"), QStringLiteral("--out"), dark });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(QImage(dark).size(), QSize(1366, 768));
        QVERIFY2(meanLightness(light) > 180, qPrintable(QString::number(meanLightness(light))));
        QVERIFY2(meanLightness(dark) < 80, qPrintable(QString::number(meanLightness(dark))));
    }

    void screenshotOfARealStudyLeavesItUntouched()
    {
        // Rendering the rating page signs a rater in; none of that may reach the study.
        const QString study = path(QStringLiteral("s.crs"));
        QCOMPARE(run({ QStringLiteral("init"), study }).code, 0);
        Run r = run({ QStringLiteral("import"), study,
            test::importData(QStringLiteral("items_turns.jsonl")),
            test::importData(QStringLiteral("ratings.jsonl")) });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(
            run({ QStringLiteral("rater"), QStringLiteral("add"), study, QStringLiteral("eve") })
                .code,
            0);
        r = run({ QStringLiteral("assign"), study, QStringLiteral("--raters"),
            QStringLiteral("eve"), QStringLiteral("--per-item"), QStringLiteral("1") });
        QVERIFY2(r.code == 0, describe(r).constData());
        const auto fingerprint = [&] {
            test::RawDb raw(study);
            QSqlQuery q(raw.db());
            QStringList counts;
            for (const char *table : { "presentation", "rating_session", "event", "assignment" }) {
                q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table)));
                counts << (q.next() ? q.value(0).toString() : QStringLiteral("?"));
            }
            return counts.join(QLatin1Char(','));
        };
        const QString before = fingerprint();
        const QDateTime modified = QFileInfo(study).lastModified();
        const QString png = path(QStringLiteral("rating.png"));
        r = run({ QStringLiteral("screenshot"), study, QStringLiteral("--view"),
            QStringLiteral("rating"), QStringLiteral("--rater"), QStringLiteral("eve"),
            QStringLiteral("--out"), png });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(QImage(png).size(), QSize(1366, 768));
        QCOMPARE(fingerprint(), before);
        QCOMPARE(QFileInfo(study).lastModified(), modified);
        QVERIFY(!QFileInfo::exists(study + QStringLiteral("-wal"))
            || QFileInfo(study + QStringLiteral("-wal")).size() == 0);
        // Errors still name the user's file, not the private copy.
        r = run({ QStringLiteral("screenshot"), study, QStringLiteral("--view"),
            QStringLiteral("rating"), QStringLiteral("--rater"), QStringLiteral("nobody"),
            QStringLiteral("--out"), png });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("no rater 'nobody' in ") + study),
            describe(r).constData());
        // An adjudicator has no rating page (signing in opens the review): said, not drawn.
        QCOMPARE(
            run({ QStringLiteral("rater"), QStringLiteral("add"), study, QStringLiteral("judith"),
                    QStringLiteral("--role"), QStringLiteral("adjudicator") })
                .code,
            0);
        QFile::remove(png);
        r = run({ QStringLiteral("screenshot"), study, QStringLiteral("--view"),
            QStringLiteral("rating"), QStringLiteral("--rater"), QStringLiteral("judith"),
            QStringLiteral("--out"), png });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(
                     QStringLiteral("'judith' is an adjudicator, not a rater: use --view review")),
            describe(r).constData());
        QVERIFY(!QFileInfo::exists(png));
    }

    void importAndInfo()
    {
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        const QString items = test::importData(QStringLiteral("items_turns.jsonl"));
        const QString ratings = test::importData(QStringLiteral("ratings.jsonl"));
        Run r = run({ QStringLiteral("import"), QStringLiteral("s.crs"), items, ratings });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.out.startsWith(QLatin1String("Imported 10 row(s)")), describe(r).constData());
        QVERIFY2(r.out.contains(QLatin1String("3 item(s) added")), describe(r).constData());

        const QJsonObject info = infoJson(QStringLiteral("s.crs"));
        const QJsonObject counts = info.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("items")).toInt(), 3);
        QCOMPARE(counts.value(QStringLiteral("responses")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("refusals")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("models")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("raters")).toInt(), 3);
        QCOMPARE(counts.value(QStringLiteral("category_labels")).toInt(), 3);
        QCOMPARE(counts.value(QStringLiteral("response_ratings")).toInt(), 4);
        QCOMPARE(counts.value(QStringLiteral("assignments")).toInt(), 0);
        QCOMPARE(counts.value(QStringLiteral("adjudications")).toInt(), 0);
        QVERIFY(counts.value(QStringLiteral("events")).toInt() >= 3);
        QCOMPARE(info.value(QStringLiteral("datasets")).toObject(),
            (QJsonObject { { QStringLiteral("demo"), 2 }, { QStringLiteral("other"), 1 } }));
        QCOMPARE(info.value(QStringLiteral("reference_labels")).toObject(),
            (QJsonObject { { QString(), 1 }, { QStringLiteral("anxiety_crisis"), 1 },
                { QStringLiteral("suicidal_ideation"), 1 } }));
        const QJsonArray models = info.value(QStringLiteral("models")).toArray();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[0].toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("model-a"));
        QCOMPARE(models[0].toObject().value(QStringLiteral("responses")).toInt(), 1);
        const QJsonArray raters = info.value(QStringLiteral("raters")).toArray();
        QCOMPARE(raters.size(), 3);
        QCOMPARE(raters[0].toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("clinician-1"));
        QCOMPARE(raters[0].toObject().value(QStringLiteral("labels")).toInt(), 1);
        QCOMPARE(raters[0].toObject().value(QStringLiteral("ratings")).toInt(), 2);

        // The text form names the same numbers.
        r = run({ QStringLiteral("info"), QStringLiteral("s.crs") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.out.contains(QRegularExpression(
                     QStringLiteral("^Items\\s+3$"), QRegularExpression::MultilineOption)),
            qPrintable(r.out));

        // Importing the same files again adds nothing.
        r = run({ QStringLiteral("import"), QStringLiteral("s.crs"), items, ratings });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(
            r.out.contains(QLatin1String("0 item(s) added, 3 unchanged")), describe(r).constData());
        QCOMPARE(infoJson(QStringLiteral("s.crs"))
                     .value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("items"))
                     .toInt(),
            3);
    }

    void importBadFile()
    {
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("s.crs"),
                         test::importData(QStringLiteral("items_text.jsonl")) })
                     .code,
            0);
        const QByteArray before = test::sha256(path(QStringLiteral("s.crs")));
        const QString bad = test::malformedData(QStringLiteral("unknown_label.jsonl"));
        const Run r = run({ QStringLiteral("import"), QStringLiteral("s.crs"),
            test::importData(QStringLiteral("items.csv")), bad });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.contains(bad + QStringLiteral(":2:label: unknown category 'sadness'\n")),
            describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("the study is unchanged")), describe(r).constData());
        QVERIFY(r.out.isEmpty());
        QCOMPARE(test::sha256(path(QStringLiteral("s.crs"))), before);

        // Relative paths are reported as given.
        QVERIFY(QFile::copy(bad, path(QStringLiteral("bad.jsonl"))));
        const Run rel =
            run({ QStringLiteral("import"), QStringLiteral("s.crs"), QStringLiteral("bad.jsonl") });
        QVERIFY2(rel.code == 2, describe(rel).constData());
        QVERIFY2(
            rel.err.startsWith(QLatin1String("bad.jsonl:2:label: ")), describe(rel).constData());
    }

    void importErrors()
    {
        const QString good = test::importData(QStringLiteral("items_text.jsonl"));
        Run r = run({ QStringLiteral("import"), QStringLiteral("missing.crs"), good });
        QVERIFY2(r.code == 3, describe(r).constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("missing.crs"))));
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        r = run({ QStringLiteral("import"), QStringLiteral("s.crs"), good,
            QStringLiteral("--format"), QStringLiteral("xml") });
        QVERIFY2(r.code == 1, describe(r).constData());
        r = run({ QStringLiteral("import"), QStringLiteral("s.crs"), good,
            QStringLiteral("--format"), QStringLiteral("benchmark") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("no files of the benchmark layout found")),
            describe(r).constData());
        r = run(
            { QStringLiteral("import"), QStringLiteral("s.crs"), QStringLiteral("nowhere.jsonl") });
        QVERIFY2(r.code == 2 || r.code == 3, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("nowhere.jsonl")), describe(r).constData());
        // A study file that is not a study.
        QVERIFY(test::writeFile(path(QStringLiteral("plain.db")), {}));
        {
            test::RawDb raw(path(QStringLiteral("plain.db")));
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE t(x)")));
        }
        r = run({ QStringLiteral("info"), QStringLiteral("plain.db") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(
            r.err.contains(QLatin1String("not a Crisis Review study")), describe(r).constData());
        QCOMPARE(infoJson(QStringLiteral("s.crs"))
                     .value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("items"))
                     .toInt(),
            0);
    }

    void importSkipInvalid()
    {
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        write(QStringLiteral("mixed.jsonl"),
            "{\"item_id\": \"a\", \"text\": \"ok\"}\n"
            "{\"item_id\": \"b\", \"turns\": [\"ok\", 3]}\n"
            "{\"item_id\": \"c\", \"text\": \"ok\"}\n");
        const Run r = run({ QStringLiteral("import"), QStringLiteral("s.crs"),
            QStringLiteral("mixed.jsonl"), QStringLiteral("--skip-invalid") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("skipped mixed.jsonl:2:turns[1]: must be a string")),
            describe(r).constData());
        QVERIFY2(
            r.out.contains(QLatin1String("1 invalid row(s) skipped")), describe(r).constData());
        QCOMPARE(infoJson(QStringLiteral("s.crs"))
                     .value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("items"))
                     .toInt(),
            2);
        test::RawDb raw(path(QStringLiteral("s.crs")));
        QCOMPARE(raw.scalar(QStringLiteral(
                                "SELECT file || ':' || line || ':' || field FROM import_issue"))
                     .toString(),
            QStringLiteral("mixed.jsonl:2:turns[1]"));
    }

    void importBenchmarkFolder()
    {
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        const QString good = test::sourceDir() + QStringLiteral("/tests/data/benchmark/good");
        // A folder means the benchmark layout with --format auto.
        Run r = run({ QStringLiteral("import"), QStringLiteral("s.crs"), good });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.out.contains(QLatin1String("6 item(s) added")), describe(r).constData());
        QVERIFY2(r.out.contains(QLatin1String("30 response(s) added")), describe(r).constData());
        QVERIFY2(r.out.contains(QLatin1String("42 label(s) and 39 rating(s) added")),
            describe(r).constData());
        QVERIFY2(
            r.out.contains(QLatin1String("model gpt-5-nano: 3 run(s)")), describe(r).constData());
        QVERIFY2(r.out.contains(QLatin1String("3 score(s) given as NaN or empty")),
            describe(r).constData());
        QVERIFY2(r.err.contains(QStringLiteral("skipped file ") + good
                     + QStringLiteral("/README.md: not a JSON file")),
            describe(r).constData());
        // Damaged rows: exit 2, every problem named, nothing imported; then --skip-invalid.
        const QString damaged = test::sourceDir() + QStringLiteral("/tests/data/benchmark/damaged");
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("t.crs") }).code, 0);
        r = run({ QStringLiteral("import"), QStringLiteral("t.crs"), good, damaged,
            QStringLiteral("--format"), QStringLiteral("benchmark") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1Char('\n') + damaged
                     + QStringLiteral(
                         "/human_label/H3_scores_n6_s42.json:8:[1].answer: must be the text")),
            describe(r).constData());
        QVERIFY2(r.err.contains(QLatin1String("import failed with 4 error(s)")),
            describe(r).constData());
        QCOMPARE(infoJson(QStringLiteral("t.crs"))
                     .value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("items"))
                     .toInt(),
            0);
        r = run({ QStringLiteral("import"), QStringLiteral("t.crs"), good, damaged,
            QStringLiteral("--skip-invalid") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY2(r.err.contains(QStringLiteral("skipped ") + damaged
                     + QStringLiteral(
                         "/human_label/H3_scores_n6_s42.json:20:[3].answer: matches no response")),
            describe(r).constData());
        QVERIFY2(
            r.out.contains(QLatin1String("4 invalid row(s) skipped")), describe(r).constData());
        // `info` keeps the import history and what each import skipped; exposure is the
        // human raters' only (an LLM reads nothing distressing).
        const QJsonArray imports =
            infoJson(QStringLiteral("t.crs")).value(QStringLiteral("imports")).toArray();
        QCOMPARE(imports.size(), 1); // the failed import left no trace
        QCOMPARE(imports.at(0).toObject().value(QStringLiteral("format")).toString(),
            QStringLiteral("benchmark"));
        QCOMPARE(imports.at(0).toObject().value(QStringLiteral("skipped_rows")).toInt(), 4);
        QCOMPARE(imports.at(0)
                     .toObject()
                     .value(QStringLiteral("summary"))
                     .toObject()
                     .value(QStringLiteral("ratings_added"))
                     .toInt(),
            41);
        r = run({ QStringLiteral("info"), QStringLiteral("t.crs") });
        QVERIFY2(
            r.out.contains(QLatin1String(
                "4 invalid row(s) skipped (SELECT * FROM import_issue WHERE import_run_id = 1)")),
            describe(r).constData());
        const QString exposure = r.out.section(QStringLiteral("Exposure"), 1)
                                     .section(QStringLiteral("Assignments"), 0, 0);
        QVERIFY2(exposure.contains(QLatin1String("\n  H1 "))
                && !exposure.contains(QLatin1String("gpt-4o-mini:")),
            qPrintable(exposure));
    }

    void importScoreNullIsInvalidInput()
    {
        // `"score": null` without cannot_assess is a bad row: exit 2 naming file, line and field,
        // not a storage error.
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        QCOMPARE(run({ QStringLiteral("import"), QStringLiteral("s.crs"),
                         test::importData(QStringLiteral("seed.jsonl")) })
                     .code,
            0);
        QVERIFY(QFile::copy(test::malformedData(QStringLiteral("score_null.jsonl")),
            path(QStringLiteral("null.jsonl"))));
        const Run r = run(
            { QStringLiteral("import"), QStringLiteral("s.crs"), QStringLiteral("null.jsonl") });
        QVERIFY2(r.code == 2, describe(r).constData());
        QVERIFY2(r.err.startsWith(QLatin1String("null.jsonl:1:score: ")), describe(r).constData());
    }

    void importLongLinesDoesNotHang()
    {
        // Two lines of 12 MiB each (each under the 16 MiB limit): a valid file.
        QByteArray bytes;
        for (int i = 1; i <= 2; ++i) {
            bytes += "{\"item_id\": \"long-" + QByteArray::number(i) + "\", \"text\": \"";
            bytes += QByteArray(12 << 20, 'x');
            bytes += "\"}\n";
        }
        write(QStringLiteral("long.jsonl"), bytes);
        bytes.clear();
        QCOMPARE(run({ QStringLiteral("init"), QStringLiteral("s.crs") }).code, 0);
        const Run r =
            run({ QStringLiteral("import"), QStringLiteral("s.crs"), QStringLiteral("long.jsonl") },
                10000);
        QVERIFY2(r.code != -1, "import of two 12 MiB lines did not finish within 10 s (killed)");
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(infoJson(QStringLiteral("s.crs"))
                     .value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("items"))
                     .toInt(),
            2);
    }

    // ---- one process writes, another reads ------------------------------------------------

    void studyWrittenByOneProcessIsReadByAnother()
    {
        const QString study = QStringLiteral("shared.crs");
        QCOMPARE(run({ QStringLiteral("init"), study, QStringLiteral("--title"),
                         QStringLiteral("Shared 🙂") })
                     .code,
            0);
        Run r = run({ QStringLiteral("import"), study,
            test::importData(QStringLiteral("items_responses.csv")),
            test::importData(QStringLiteral("ratings.csv")) });
        QVERIFY2(r.code == 0, describe(r).constData());

        // A second process.
        const QJsonObject info = infoJson(study);
        QCOMPARE(info.value(QStringLiteral("title")).toString(), QStringLiteral("Shared 🙂"));
        const QJsonObject counts = info.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("items")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("responses")).toInt(), 4);
        QCOMPARE(counts.value(QStringLiteral("raters")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("category_labels")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("response_ratings")).toInt(), 3);

        // This process.
        Error e;
        auto s = Study::open(path(study), &e);
        QVERIFY2(s, qPrintable(e.message));
        QCOMPARE(s->title(), QStringLiteral("Shared 🙂"));
        QCOMPARE(s->schemaVersion(), schema::currentVersion);
        ItemRepository items(*s);
        QCOMPARE(items.count(), 2);
        const auto item = items.byExternalId(QStringLiteral("csr-001"));
        QVERIFY(item);
        QCOMPARE(item->turns,
            (QStringList { QStringLiteral("First turn"), QStringLiteral("Second – turn 🙂") }));
        const QList<Response> responses = items.responses(item->id);
        QCOMPARE(responses.size(), 3);
        QCOMPARE(responses[0].text, QStringLiteral("Reply with \"quotes\"\nand a newline"));
        const auto clin = RaterRepository(*s).byName(QStringLiteral("clin-3"));
        QVERIFY(clin);
        const auto rating = RatingRepository(*s).responseRating(responses[0].id, clin->id);
        QVERIFY(rating);
        QCOMPARE(rating->score, std::optional<int>(3));
        QCOMPARE(rating->rationale, QStringLiteral("Good start, \"but\"\nno plan"));

        // While this process holds the study open, another one writes; both see each other's
        // writes.
        r = run({ QStringLiteral("rater"), QStringLiteral("add"), study,
            QStringLiteral("late-comer") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY(RaterRepository(*s).byName(QStringLiteral("late-comer")));
        QVERIFY(RaterRepository(*s).add(
            QStringLiteral("in-process"), RaterKind::Llm, RaterRole::Rater, &e));
        r = run(
            { QStringLiteral("rater"), QStringLiteral("list"), study, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QVERIFY(r.out.contains(QLatin1String("\"in-process\"")));
        r = run({ QStringLiteral("assign"), study, QStringLiteral("--raters"),
            QStringLiteral("clin-3,late-comer"), QStringLiteral("--per-item"),
            QStringLiteral("1") });
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(AssignmentRepository(*s).forRater(clin->id).size()
                + AssignmentRepository(*s)
                      .forRater(RaterRepository(*s).byName(QStringLiteral("late-comer"))->id)
                      .size(),
            2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
