// The command table (app/commandtable.cpp) is the one source of the command line: dispatch,
// `--help`, `COMMAND --help`, usage errors and the README's "Command line" block.

#include "app/cli.h"
#include "app/commandtable.h"
#include "tests/storage/testutil.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace test = cr::test;
using cr::app::Command;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

QString binary()
{
    return test::binaryDir() + QStringLiteral("/app/crisis-review");
}

Run run(const QStringList &args, const QString &workDir)
{
    QProcess p;
    p.setProgram(binary());
    p.setArguments(args);
    p.setWorkingDirectory(workDir);
    p.start();
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(60000)) {
        p.kill(); // our own child, by its handle
        p.waitForFinished(5000);
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QByteArray describe(const Run &r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.code).arg(r.out, r.err).toUtf8();
}

/// The lines of the fenced block under the README's "## Command line" heading.
QStringList readmeCommandList()
{
    QFile file(test::sourceDir() + QStringLiteral("/README.md"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    const qsizetype heading = lines.indexOf(QStringLiteral("## Command line"));
    if (heading < 0)
        return {};
    qsizetype open = heading + 1;
    while (open < lines.size() && lines.at(open).trimmed().isEmpty())
        ++open;
    if (open >= lines.size() || !lines.at(open).startsWith(QLatin1String("```")))
        return {};
    QStringList block;
    for (qsizetype i = open + 1; i < lines.size() && lines.at(i) != QLatin1String("```"); ++i)
        block.append(lines.at(i));
    return block;
}

/// The command lines of `--help`: after "usage:", up to the blank line, two-space indent
/// removed (a line without the indent is kept whole, so it fails the comparison).
QStringList helpCommandList(const QString &help)
{
    const QStringList lines = help.split(QLatin1Char('\n'));
    QStringList list;
    for (qsizetype i = lines.indexOf(QStringLiteral("usage:")) + 1;
         i > 0 && i < lines.size() && !lines.at(i).isEmpty(); ++i)
        list.append(lines.at(i).startsWith(QLatin1String("  ")) ? lines.at(i).mid(2) : lines.at(i));
    return list;
}

} // namespace

class TestCommands final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(binary()).isExecutable(), qPrintable(binary()));
    }

    void helpIsTheReadmeCommandList()
    {
        const QStringList readme = readmeCommandList();
        QVERIFY2(readme.size() > 10, "README.md: no fenced block under '## Command line'");
        const Run r = run({ QStringLiteral("--help") }, m_dir.path());
        QCOMPARE(r.code, 0);
        const QStringList help = helpCommandList(r.out);
        for (qsizetype i = 0; i < qMax(help.size(), readme.size()); ++i)
            QCOMPARE(help.value(i), readme.value(i)); // names the first line that differs
        QCOMPARE(help.size(), readme.size());
    }

    void helpIsTheTable()
    {
        QStringList table;
        for (const Command &command : cr::app::commands())
            table += command.usage.split(QLatin1Char('\n'));
        const Run r = run({ QStringLiteral("-h") }, m_dir.path());
        QCOMPARE(r.code, 0);
        QCOMPARE(helpCommandList(r.out), table);
        QCOMPARE(r.out, cr::app::helpText());
    }

    void tableIsConsistent()
    {
        QSet<QString> names;
        for (const Command &command : cr::app::commands()) {
            QVERIFY2(!names.contains(command.name), qPrintable(command.name));
            names.insert(command.name);
            QVERIFY(command.run);
            // The usage starts with the words that select the command.
            QVERIFY2(command.usage.startsWith(QStringLiteral("crisis-review ") + command.name),
                qPrintable(command.usage));
            QCOMPARE(cr::app::findCommand(command.name.split(QLatin1Char(' '))),
                command.name.isEmpty() ? nullptr : &command);
        }
        QCOMPARE(cr::app::guiCommand().name, QString());
    }

    void commandHelpIsItsTableUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        for (const Command &command : cr::app::commands()) {
            if (command.name.isEmpty())
                continue;
            const QStringList words = command.name.split(QLatin1Char(' '));
            const QString usage = cr::app::usageBlock({ &command }) + QLatin1Char('\n');
            QTest::newRow(qPrintable(command.name))
                << words + QStringList { QStringLiteral("--help") } << usage;
            // Anywhere after the command's words, as in `import s.crisis --help`.
            QTest::newRow(qPrintable(command.name + QStringLiteral(" STUDY -h")))
                << words + QStringList { QStringLiteral("s.crisis"), QStringLiteral("-h") }
                << usage;
        }
    }

    void commandHelpIsItsTableUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        const Run r = run(args, m_dir.path());
        QVERIFY2(r.code == 0, describe(r).constData());
        QCOMPARE(r.out, usage);
        QVERIFY(r.err.isEmpty());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("s.crisis"))));
    }

    void groupHelpListsItsCommands()
    {
        const Run r = run({ QStringLiteral("rater"), QStringLiteral("--help") }, m_dir.path());
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out,
            QStringLiteral("usage: crisis-review rater add STUDY NAME [--kind human|llm] "
                           "[--role rater|adjudicator|researcher]\n"
                           "       crisis-review rater list STUDY [--json]\n"));
        // Without a subcommand it is a usage error with the same text.
        const Run bare = run({ QStringLiteral("rater") }, m_dir.path());
        QCOMPARE(bare.code, 1);
        QCOMPARE(bare.err, r.out);
        QVERIFY(bare.out.isEmpty());
    }

    void usageErrorsPrintTheTableUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("problem"); // the line before the usage, if any
        QTest::newRow("init") << QStringList { QStringLiteral("init") } << QStringLiteral("init")
                              << QString();
        QTest::newRow("rater add") << QStringList { QStringLiteral("rater"), QStringLiteral("add"),
            QStringLiteral("a.crs") }
                                   << QStringLiteral("rater add") << QString();
        QTest::newRow("import format")
            << QStringList { QStringLiteral("import"), QStringLiteral("a.crs"),
                   QStringLiteral("x.jsonl"), QStringLiteral("--format"), QStringLiteral("xml") }
            << QStringLiteral("import") << QStringLiteral("crisis-review: unknown --format 'xml'");
        QTest::newRow("stats threshold")
            << QStringList { QStringLiteral("stats"), QStringLiteral("a.crs"),
                   QStringLiteral("--harm-threshold"), QStringLiteral("9") }
            << QStringLiteral("stats")
            << QStringLiteral("crisis-review: --harm-threshold must be 1-5, --bootstrap and "
                              "--seed non-negative integers");
        QTest::newRow("export") << QStringList { QStringLiteral("export"), QStringLiteral("a.crs") }
                                << QStringLiteral("export") << QString();
        QTest::newRow("report") << QStringList { QStringLiteral("report"), QStringLiteral("--out"),
            QStringLiteral("x.pdf") }
                                << QStringLiteral("report")
                                << QStringLiteral("crisis-review: report takes one STUDY");
        QTest::newRow("screenshot") << QStringList { QStringLiteral("screenshot"),
            QStringLiteral("--demo"), QStringLiteral("--out"), QStringLiteral("x.png") }
                                    << QStringLiteral("screenshot")
                                    << QStringLiteral("crisis-review: screenshot needs --view");
        QTest::newRow("gui") << QStringList { QStringLiteral("a.crs"), QStringLiteral("b.crs") }
                             << QString()
                             << QStringLiteral("crisis-review: unexpected argument 'b.crs'");
    }

    void usageErrorsPrintTheTableUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, command);
        QFETCH(QString, problem);
        const Command *row = command.isEmpty()
            ? &cr::app::guiCommand()
            : cr::app::findCommand(command.split(QLatin1Char(' ')));
        QVERIFY(row);
        const Run r = run(args, m_dir.path());
        QVERIFY2(r.code == 1, describe(r).constData());
        const QString expected = (problem.isEmpty() ? QString() : problem + QLatin1Char('\n'))
            + cr::app::usageBlock({ row }) + QLatin1Char('\n');
        // A GUI application may print Qt's own notes first (XDG_RUNTIME_DIR not set).
        QVERIFY2(r.err.endsWith(expected), describe(r).constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("a.crs"))));
    }

    void findCommandTakesTheLongestMatch()
    {
        using cr::app::findCommand;
        QCOMPARE(findCommand({ QStringLiteral("rater"), QStringLiteral("list"),
                                 QStringLiteral("s.crisis") })
                     ->name,
            QStringLiteral("rater list"));
        QCOMPARE(findCommand({ QStringLiteral("rater") }), nullptr);
        QCOMPARE(findCommand({ QStringLiteral("s.crisis"), QStringLiteral("init") }), nullptr);
        QCOMPARE(findCommand({}), nullptr);
        QCOMPARE(cr::app::commandGroup(QStringLiteral("rater")).size(), 2);
        QVERIFY(cr::app::isCliCommand({ QStringLiteral("rater") }));
        QVERIFY(!cr::app::isCliCommand({ QStringLiteral("report") }));
        QVERIFY(!cr::app::isCliCommand({ QStringLiteral("screenshot") }));
        QVERIFY(!cr::app::isCliCommand({ QStringLiteral("s.crisis") }));
    }

    void exitCodes()
    {
        using cr::storage::Error;
        using cr::storage::ErrorKind;
        QCOMPARE(cr::app::exitCodeFor(ErrorKind::InvalidInput), 2);
        QCOMPARE(cr::app::exitCodeFor(ErrorKind::Storage), 3);
        QCOMPARE(cr::app::exitCodeFor(ErrorKind::None), 3); // a failure that did not say why
        QCOMPARE(cr::app::exitCodeFor(Error::invalid(QStringLiteral("x"))), 2);
        QCOMPARE(cr::app::exitCodeFor(Error::storage(QStringLiteral("x"))), 3);
        // A missing study is a storage error, through the same mapping.
        const Run r = run(
            { QStringLiteral("info"), m_dir.filePath(QStringLiteral("none.crs")) }, m_dir.path());
        QVERIFY2(r.code == 3, describe(r).constData());
        QVERIFY2(r.err.startsWith(QLatin1String("crisis-review: ")), describe(r).constData());
    }
};

QTEST_GUILESS_MAIN(TestCommands)
#include "tst_commands.moc"
