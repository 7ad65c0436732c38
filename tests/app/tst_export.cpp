// `crisis-review export`: long/wide CSV and the labelled JSONL, their manifest, and a
// round trip (export → import into a new study → export gives the same rows).
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

class TestExport final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    int run(const QStringList &args, QByteArray *out = nullptr)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        if (!p.waitForFinished(60000))
            return -1;
        if (out)
            *out = p.readAllStandardOutput();
        return p.exitCode();
    }

    /// The permission bits of a file (e.g. 0600), or -1 when it does not exist.
    static int mode(const QString &file)
    {
        struct stat st { };
        if (::stat(QFile::encodeName(file).constData(), &st) != 0)
            return -1;
        return int(st.st_mode & 07777);
    }

    static void write(const QString &file, const QByteArray &data)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);

        // Test data: tests/data/export/ (quotes, a comma, a newline, non-ASCII, cannot assess).
        const QString data =
            qEnvironmentVariable("CR_SOURCE_DIR") + QStringLiteral("/tests/data/export/");
        QVERIFY(
            QFile::copy(data + QStringLiteral("items.jsonl"), path(QStringLiteral("items.jsonl"))));
        QVERIFY(QFile::copy(
            data + QStringLiteral("ratings.jsonl"), path(QStringLiteral("ratings.jsonl"))));
        QCOMPARE(run({ QStringLiteral("init"), path(QStringLiteral("a.crisis")) }), 0);
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("a.crisis")),
                     path(QStringLiteral("items.jsonl")), path(QStringLiteral("ratings.jsonl")) }),
            0);
    }

    void longCsvAndManifest()
    {
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("a.crisis")),
                     QStringLiteral("--format"), QStringLiteral("long-csv"),
                     QStringLiteral("--out"), path(QStringLiteral("long.csv")) }),
            0);
        QFile f(path(QStringLiteral("long.csv")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray csv = f.readAll();
        QVERIFY(csv.startsWith(
            "item_id,dataset,split,category_consensus,model,run,response_id,rater,rater_kind,"
            "score,cannot_assess,category,checklist,rationale,shown_position,"
            "protocol_version,rated_at,seconds_spent,adjudicated_score,adjudicated_category,"
            "category_consensus_how,score_consensus,score_consensus_how\n"));
        // Pseudonyms only; the rationale is quoted with doubled quotes and keeps its newline.
        QVERIFY(!csv.contains("h1"));
        QVERIFY(
            csv.contains("i1,d,test,anxiety_crisis,m1,1,1,R001,human,2,false,anxiety_crisis,"
                         "empathy;risk_check,\"Says \"\"calm down\"\",\nthen nothing.\",,1.0.0,"));
        QVERIFY(csv.contains(",R001,human,,true,anxiety_crisis,"));
        QCOMPARE(csv.count('\n'), 1 + 4 + 1); // header, 4 ratings, one embedded newline

        QFile m(path(QStringLiteral("long.manifest.json")));
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
        QCOMPARE(manifest.value(QStringLiteral("rows")).toInt(), 4);
        QCOMPARE(manifest.value(QStringLiteral("format")).toString(), QStringLiteral("long-csv"));
        QCOMPARE(manifest.value(QStringLiteral("protocol"))
                     .toObject()
                     .value(QStringLiteral("version"))
                     .toString(),
            QStringLiteral("1.0.0"));
        QCOMPARE(manifest.value(QStringLiteral("raters")).toArray().size(), 3);
    }

    void roundTrip()
    {
        QByteArray first, second;
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("a.crisis")),
                         QStringLiteral("--format"), QStringLiteral("long-csv") },
                     &first),
            0);
        write(path(QStringLiteral("first.csv")), first);
        QCOMPARE(run({ QStringLiteral("init"), path(QStringLiteral("b.crisis")) }), 0);
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("b.crisis")),
                     path(QStringLiteral("items.jsonl")) }),
            0);
        // The long CSV is also a ratings CSV: import it, then export again.
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("b.crisis")),
                     path(QStringLiteral("first.csv")) }),
            0);
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("b.crisis")),
                         QStringLiteral("--format"), QStringLiteral("long-csv") },
                     &second),
            0);
        QCOMPARE(second, first); // byte-identical: rated_at survives the import too
    }

    void wideCsvAndLabelledSet()
    {
        QByteArray wide, jsonl;
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("a.crisis")),
                         QStringLiteral("--format"), QStringLiteral("wide-csv") },
                     &wide),
            0);
        const QList<QByteArray> lines = wide.trimmed().split('\n');
        QCOMPARE(lines.size(), 4); // header + 3 responses
        QCOMPARE(lines[0],
            QByteArray("item_id,dataset,split,category_consensus,model,run,response_id,"
                       "score_R001,score_R002,score_R003,n_scores,adjudicated_score,"
                       "category_consensus_how,score_consensus,score_consensus_how"));
        QCOMPARE(
            lines[1], QByteArray("i1,d,test,anxiety_crisis,m1,1,1,2,1,,2,,unanimous,1.5,mean"));
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("a.crisis")),
                         QStringLiteral("--format"), QStringLiteral("jsonl") },
                     &jsonl),
            0);
        const QList<QByteArray> items = jsonl.trimmed().split('\n');
        QCOMPARE(items.size(), 2);
        const QJsonObject i1 = QJsonDocument::fromJson(items[0]).object();
        QCOMPARE(i1.value(QStringLiteral("category")).toString(), QStringLiteral("anxiety_crisis"));
        QCOMPARE(
            i1.value(QStringLiteral("category_source")).toString(), QStringLiteral("unanimous"));
        QCOMPARE(i1.value(QStringLiteral("turns")).toArray().at(0).toString(),
            QStringLiteral("Première phrase."));
        const QJsonObject m1 = i1.value(QStringLiteral("responses")).toArray().at(0).toObject();
        QCOMPARE(m1.value(QStringLiteral("model")).toString(), QStringLiteral("m1"));
        QCOMPARE(m1.value(QStringLiteral("consensus_score")).toDouble(), 1.5);
        QCOMPARE(m1.value(QStringLiteral("n_ratings")).toInt(), 2);
        QCOMPARE(m1.value(QStringLiteral("score_source")).toString(), QStringLiteral("mean"));
        QCOMPARE(m1.value(QStringLiteral("harmful")).toBool(), true);
        // i2: only an LLM judged it, so the human consensus is empty, with no category.
        const QJsonObject i2 = QJsonDocument::fromJson(items[1]).object();
        QVERIFY(i2.value(QStringLiteral("category")).isNull());
        QVERIFY(i2.value(QStringLiteral("responses"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("consensus_score"))
                    .isNull());
    }

    // ---- safe exports: formula-like cells, owner-only files ---------------------------

    /// A study whose ids, names and rationales begin like spreadsheet formulas.
    void makeFormulaStudy(const QString &study)
    {
        write(path(QStringLiteral("f-items.jsonl")),
            "{\"item_id\": \"=cmd|' /C calc'!A0\", \"dataset\": \"+ds\", \"split\": \"-s\", "
            "\"text\": \"hello\", \"responses\": [{\"model\": \"@m\", \"run\": 1, \"text\": "
            "\"r\"}]}\n");
        write(path(QStringLiteral("f-ratings.jsonl")),
            "{\"rater\": \"@alice\", \"item_id\": \"=cmd|' /C calc'!A0\", \"category\": "
            "\"anxiety_crisis\"}\n"
            "{\"rater\": \"@alice\", \"item_id\": \"=cmd|' /C calc'!A0\", \"model\": \"@m\", "
            "\"score\": 1, \"rationale\": \"=1+2\", \"rated_at\": \"2026-01-01T00:00:00.000Z\"}\n"
            "{\"rater\": \"bob\", \"item_id\": \"=cmd|' /C calc'!A0\", \"model\": \"@m\", "
            "\"score\": 2, \"rationale\": \"\\tTab\", \"rated_at\": \"2026-01-01T00:00:01.000Z\"}\n"
            "{\"rater\": \"carol\", \"item_id\": \"=cmd|' /C calc'!A0\", \"model\": \"@m\", "
            "\"score\": 3, \"rationale\": \"\\rCR\", \"rated_at\": \"2026-01-01T00:00:02.000Z\"}\n"
            "{\"rater\": \"dan\", \"item_id\": \"=cmd|' /C calc'!A0\", \"model\": \"@m\", "
            "\"score\": 4, \"rationale\": \"'quoted\", \"rated_at\": "
            "\"2026-01-01T00:00:03.000Z\"}\n"
            "{\"rater\": \"erin\", \"item_id\": \"=cmd|' /C calc'!A0\", \"model\": \"@m\", "
            "\"score\": 5, \"rationale\": \"-minus\", \"rated_at\": "
            "\"2026-01-01T00:00:04.000Z\"}\n");
        QCOMPARE(run({ QStringLiteral("init"), study }), 0);
        QCOMPARE(run({ QStringLiteral("import"), study, path(QStringLiteral("f-items.jsonl")),
                     path(QStringLiteral("f-ratings.jsonl")) }),
            0);
    }

    void formulaCellsAreNeutralised()
    {
        const QString study = path(QStringLiteral("formula.crisis"));
        makeFormulaStudy(study);
        QByteArray safe, raw, wide, wideRaw;
        const QStringList longCsv { QStringLiteral("export"), study, QStringLiteral("--format"),
            QStringLiteral("long-csv"), QStringLiteral("--real-names") };
        QCOMPARE(run(longCsv, &safe), 0);
        QCOMPARE(run(longCsv + QStringList { QStringLiteral("--raw-cells") }, &raw), 0);
        // Every text cell that begins with = + - @ tab CR or ' gets a ' in front...
        QVERIFY2(safe.contains("\n'=cmd|' /C calc'!A0,'+ds,'-s,anxiety_crisis,'@m,1,1,'@alice,"
                               "human,1,false,anxiety_crisis,,'=1+2,"),
            safe.constData());
        QVERIFY(safe.contains(",bob,human,2,false,,,'\tTab,"));
        QVERIFY(safe.contains(",carol,human,3,false,,,\"'\rCR\","));
        QVERIFY(safe.contains(",dan,human,4,false,,,''quoted,"));
        QVERIFY(safe.contains(",erin,human,5,false,,,'-minus,"));
        // ...numbers never do (the score consensus 3, runs, ids), and no cell is left bare.
        QVERIFY(!safe.contains(",=") && !safe.contains(",+") && !safe.contains(",-")
            && !safe.contains(",@") && !safe.contains("\n="));
        // --raw-cells writes them as they are.
        QVERIFY(raw.contains("\n=cmd|' /C calc'!A0,+ds,-s,anxiety_crisis,@m,1,1,@alice,human,1,"
                             "false,anxiety_crisis,,=1+2,"));
        QVERIFY(raw.contains(",dan,human,4,false,,,'quoted,"));

        const QStringList wideCsv { QStringLiteral("export"), study, QStringLiteral("--format"),
            QStringLiteral("wide-csv") };
        QCOMPARE(run(wideCsv, &wide), 0);
        QCOMPARE(run(wideCsv + QStringList { QStringLiteral("--raw-cells") }, &wideRaw), 0);
        QVERIFY2(wide.contains("\n'=cmd|' /C calc'!A0,'+ds,'-s,anxiety_crisis,'@m,1,1,1,2,3,4,5,"),
            wide.constData());
        QVERIFY(wideRaw.contains("\n=cmd|' /C calc'!A0,+ds,-s,anxiety_crisis,@m,1,1,1,2,3,4,5,"));
    }

    void neutralisedLongCsvRoundTrips()
    {
        // The importer takes off the ' the export put in front: the round trip is exact.
        const QString a = path(QStringLiteral("formula-a.crisis"));
        const QString b = path(QStringLiteral("formula-b.crisis"));
        makeFormulaStudy(a);
        QByteArray first, second;
        const QStringList exportArgs { QStringLiteral("--format"), QStringLiteral("long-csv") };
        QCOMPARE(run(QStringList { QStringLiteral("export"), a } + exportArgs, &first), 0);
        QVERIFY(first.contains("'=1+2"));
        write(path(QStringLiteral("formula-first.csv")), first);
        QCOMPARE(run({ QStringLiteral("init"), b }), 0);
        QCOMPARE(run({ QStringLiteral("import"), b, path(QStringLiteral("f-items.jsonl")) }), 0);
        QCOMPARE(
            run({ QStringLiteral("import"), b, path(QStringLiteral("formula-first.csv")) }), 0);
        QCOMPARE(run(QStringList { QStringLiteral("export"), b } + exportArgs, &second), 0);
        QCOMPARE(second, first);
        // The stored rationale is the original one, without the '.
        QByteArray raw;
        QCOMPARE(run(QStringList { QStringLiteral("export"), b } + exportArgs
                         + QStringList { QStringLiteral("--raw-cells") },
                     &raw),
            0);
        QVERIFY2(raw.contains(",=1+2,") && !raw.contains("'=1+2"), raw.constData());
    }

    void exportsAreOwnerOnly_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("manifest");
        const QString s = path(QStringLiteral("a.crisis"));
        const auto exportAs = [&](const char *format, const char *out) {
            return QStringList { QStringLiteral("export"), s, QStringLiteral("--format"),
                QString::fromLatin1(format), QStringLiteral("--out"),
                path(QString::fromLatin1(out)) };
        };
        QTest::newRow("long-csv") << exportAs("long-csv", "m-long.csv") << "m-long.csv"
                                  << "m-long.manifest.json";
        QTest::newRow("wide-csv") << exportAs("wide-csv", "m-wide.csv") << "m-wide.csv"
                                  << "m-wide.manifest.json";
        QTest::newRow("jsonl") << exportAs("jsonl", "m-set.jsonl") << "m-set.jsonl"
                               << "m-set.manifest.json";
        QTest::newRow("bundle") << exportAs("bundle", "m-bundle.jsonl")
                + QStringList { QStringLiteral("--rater"), QStringLiteral("h1") }
                                << "m-bundle.jsonl"
                                << "m-bundle.manifest.json";
        QTest::newRow("pdf report") << QStringList { QStringLiteral("report"), s,
            QStringLiteral("--out"), path(QStringLiteral("m-report.pdf")) }
                                    << "m-report.pdf"
                                    << "";
    }

    void exportsAreOwnerOnly()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, file);
        QFETCH(QString, manifest);
        // Whatever the umask, and even over an existing world-readable file.
        const mode_t old = ::umask(022);
        write(path(file), "old");
        QVERIFY(QFile::setPermissions(path(file),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
        QCOMPARE(mode(path(file)), 0644);
        const int code = run(args);
        ::umask(old);
        QCOMPARE(code, 0);
        QCOMPARE(mode(path(file)), 0600);
        QVERIFY(QFileInfo(path(file)).size() > 3);
        if (!manifest.isEmpty())
            QCOMPARE(mode(path(manifest)), 0600);
    }

    void badArguments()
    {
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("a.crisis")),
                     QStringLiteral("--format"), QStringLiteral("xml") }),
            1);
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("missing.crisis")),
                     QStringLiteral("--format"), QStringLiteral("jsonl") }),
            3);
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
