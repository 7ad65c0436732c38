// `crisis-review export`: long/wide CSV and the labelled JSONL, their manifest, and a
// round trip (export → import into a new study → export gives the same rows).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

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
