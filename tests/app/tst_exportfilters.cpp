// `crisis-review export` filters (category, model, split, provenance, minimum raters,
// rater selection, real names), byte-identical round trips, and per-rater bundles
// merged into a master study (idempotent; conflicts and unknown items refused).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// The study (tests/data/exportfilters/): 3 items, 5 responses, 11 ratings.
// i1 (test): h1, h2, h3 all anxiety_crisis → unanimous.
// i2 (train, reference self-harm): h1 self-harm vs h2 anxiety_crisis → tie → reference.
// i3 (test): h1, h2 suicidal_ideation, h3 self-harm → majority.

class TestExportFilters final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_study;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    int run(const QStringList &args, QByteArray *out = nullptr, QByteArray *err = nullptr)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        if (!p.waitForFinished(60000))
            return -1;
        if (out)
            *out = p.readAllStandardOutput();
        if (err)
            *err = p.readAllStandardError();
        return p.exitCode();
    }

    static void write(const QString &file, const QByteArray &data)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }

    static QByteArray read(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    /// Data rows of a long CSV export of the study with `extra` options (fields split
    /// naively: the rows checked here have no quoted commas before column 9).
    QList<QList<QByteArray>> longRows(const QStringList &extra, const QString &study = {})
    {
        QByteArray out;
        if (run(QStringList { QStringLiteral("export"), study.isEmpty() ? m_study : study,
                    QStringLiteral("--format"), QStringLiteral("long-csv") }
                    + extra,
                &out)
            != 0)
            return { { "failed" } };
        QList<QList<QByteArray>> rows;
        const QList<QByteArray> lines = out.split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i)
            if (lines[i].startsWith(
                    'i')) // data rows start with an item id; skips the rationale's 2nd line
                rows.append(lines[i].split(','));
        return rows;
    }

    QByteArray exportTo(const QString &study, const QString &format, const QStringList &extra = {})
    {
        QByteArray out;
        if (run(QStringList { QStringLiteral("export"), study, QStringLiteral("--format"), format }
                    + extra,
                &out)
            != 0)
            return "failed";
        return out;
    }

    QString newStudy(const QString &name)
    {
        const QString s = path(name);
        if (run({ QStringLiteral("init"), s }) != 0
            || run({ QStringLiteral("import"), s, path(QStringLiteral("items.jsonl")) }) != 0)
            return {};
        return s;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        // tests/data/exportfilters/: the study below, and what raters rate on their laptops.
        const QString data =
            qEnvironmentVariable("CR_SOURCE_DIR") + QStringLiteral("/tests/data/exportfilters/");
        for (const char *name : { "items", "ratings", "alice", "bob", "alice2", "extra" }) {
            const QString file = QLatin1String(name) + QStringLiteral(".jsonl");
            QVERIFY(QFile::copy(data + file, path(file)));
        }
        m_study = newStudy(QStringLiteral("a.crisis"));
        QVERIFY(!m_study.isEmpty());
        QCOMPARE(
            run({ QStringLiteral("import"), m_study, path(QStringLiteral("ratings.jsonl")) }), 0);
    }

    void filters_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("column"); // checked column (-1: none)
        QTest::addColumn<QByteArrayList>("allowed");
        QTest::newRow("none") << QStringList {} << 11 << -1 << QByteArrayList {};
        QTest::newRow("category") << QStringList { QStringLiteral("--category"),
            QStringLiteral("anxiety_crisis") }
                                  << 5 << 3 << QByteArrayList { "anxiety_crisis" };
        QTest::newRow("categories") << QStringList {
            QStringLiteral("--category"), QStringLiteral("suicidal_ideation,self-harm")
        } << 6 << 3 << QByteArrayList { "suicidal_ideation", "self-harm" };
        // m2's 3 score rows, and as label-only rows (no model) the labels of raters who
        // scored only m1 on i1 (h2, h3) and i3 (h1): every label once per kept item.
        QTest::newRow("model") << QStringList { QStringLiteral("--model"), QStringLiteral("m2") }
                               << 6 << 4 << QByteArrayList { "m2", "" };
        QTest::newRow("split") << QStringList { QStringLiteral("--split"), QStringLiteral("train") }
                               << 2 << 2 << QByteArrayList { "train" };
        QTest::newRow("majority") << QStringList { QStringLiteral("--provenance"),
            QStringLiteral("majority") }
                                  << 4 << 0 << QByteArrayList { "i3" };
        QTest::newRow("unanimous+reference")
            << QStringList { QStringLiteral("--provenance"), QStringLiteral("unanimous,reference") }
            << 7 << 0 << QByteArrayList { "i1", "i2" };
        QTest::newRow("min-raters")
            << QStringList { QStringLiteral("--min-raters"), QStringLiteral("2") } << 10 << -1
            << QByteArrayList {};
        QTest::newRow("min-raters humans") << QStringList { QStringLiteral("--min-raters"),
            QStringLiteral("3"), QStringLiteral("--raters"), QStringLiteral("human") }
                                           << 3 << 0 << QByteArrayList { "i1" };
        QTest::newRow("llm") << QStringList { QStringLiteral("--raters"), QStringLiteral("llm") }
                             << 2 << 8 << QByteArrayList { "llm" };
        QTest::newRow("named real") << QStringList { QStringLiteral("--raters"),
            QStringLiteral("h1,h3"), QStringLiteral("--real-names") }
                                    << 6 << 7 << QByteArrayList { "h1", "h3" };
        QTest::newRow("combined") << QStringList { QStringLiteral("--split"),
            QStringLiteral("test"), QStringLiteral("--model"), QStringLiteral("m1"),
            QStringLiteral("--raters"), QStringLiteral("human"), QStringLiteral("--real-names") }
                                  << 6 << 7
                                  << QByteArrayList { "h1", "h2", "h3" }; // + h2, h3 on i3
    }

    void filters()
    {
        QFETCH(QStringList, options);
        QFETCH(int, rows);
        QFETCH(int, column);
        QFETCH(QByteArrayList, allowed);
        const auto data = longRows(options);
        QCOMPARE(data.size(), rows);
        for (const auto &row : data) {
            if (column >= 0)
                QVERIFY2(allowed.contains(row.value(column)), row.join(',').constData());
            // Pseudonyms unless --real-names.
            QCOMPARE(
                row.value(7).startsWith('R'), !options.contains(QStringLiteral("--real-names")));
        }
    }

    void filtersInOtherFormatsAndManifest()
    {
        // Wide CSV: the selected raters' columns, the filtered responses.
        const QList<QByteArray> wide = exportTo(m_study, QStringLiteral("wide-csv"),
            { QStringLiteral("--raters"), QStringLiteral("human"), QStringLiteral("--model"),
                QStringLiteral("m1"), QStringLiteral("--real-names") })
                                           .trimmed()
                                           .split('\n');
        QCOMPARE(wide.size(), 4); // header + i1/m1, i2/m1, i3/m1
        QVERIFY(wide[0].contains(",score_h1,score_h2,score_h3,n_scores,"));
        QVERIFY(!wide[0].contains("judge"));
        // ... then the consensus columns (how the category was reached, the clinicians' score).
        QCOMPARE(wide[1],
            QByteArray("i1,,test,anxiety_crisis,m1,1,1,2,1,2,3,,unanimous,1.66666666666667,mean"));
        // Labelled JSONL: items of the split, only the model's responses.
        const QList<QByteArray> jsonl = exportTo(m_study, QStringLiteral("jsonl"),
            { QStringLiteral("--split"), QStringLiteral("test"), QStringLiteral("--model"),
                QStringLiteral("m2") })
                                            .trimmed()
                                            .split('\n');
        QCOMPARE(jsonl.size(), 2);
        for (const QByteArray &line : jsonl) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QCOMPARE(o.value(QStringLiteral("split")).toString(), QStringLiteral("test"));
            QCOMPARE(o.value(QStringLiteral("responses")).toArray().size(), 1);
            QCOMPARE(o.value(QStringLiteral("responses"))
                         .toArray()
                         .at(0)
                         .toObject()
                         .value(QStringLiteral("model"))
                         .toString(),
                QStringLiteral("m2"));
        }
        // The manifest records the filters.
        QCOMPARE(run({ QStringLiteral("export"), m_study, QStringLiteral("--format"),
                     QStringLiteral("long-csv"), QStringLiteral("--category"),
                     QStringLiteral("anxiety_crisis"), QStringLiteral("--min-raters"),
                     QStringLiteral("2"), QStringLiteral("--out"), path(QStringLiteral("f.csv")) }),
            0);
        const QJsonObject m =
            QJsonDocument::fromJson(read(path(QStringLiteral("f.manifest.json")))).object();
        QCOMPARE(m.value(QStringLiteral("rows")).toInt(), 4);
        const QJsonObject f = m.value(QStringLiteral("filters")).toObject();
        const QJsonArray categories = f.value(QStringLiteral("category")).toArray();
        QCOMPARE(categories.size(), 1);
        QCOMPARE(categories.at(0).toString(), QStringLiteral("anxiety_crisis"));
        QCOMPARE(f.value(QStringLiteral("min_raters")).toInt(), 2);
        QCOMPARE(m.value(QStringLiteral("real_names")).toBool(), false);
    }

    void categorySourceSetsTheExportedCategory()
    {
        // h2 and h3 as the source: i1 both anxiety_crisis; i2 only h2 (anxiety_crisis);
        // i3 suicidal_ideation vs self-harm is a tie, so no category.
        auto categories = [&](const QStringList &extra) {
            QMap<QString, QString> out;
            const QList<QByteArray> lines =
                exportTo(m_study, QStringLiteral("jsonl"), extra).trimmed().split('\n');
            for (const QByteArray &line : lines) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                const QJsonValue c = o.value(QStringLiteral("category"));
                out.insert(o.value(QStringLiteral("item_id")).toString(),
                    (c.isNull() ? QStringLiteral("-") : c.toString()) + QLatin1Char('/')
                        + o.value(QStringLiteral("category_source")).toString());
            }
            return out;
        };
        const QMap<QString, QString> group =
            categories({ QStringLiteral("--category-source"), QStringLiteral("h2,h3") });
        QCOMPARE(group.value(QStringLiteral("i1")), QStringLiteral("anxiety_crisis/unanimous"));
        QCOMPARE(group.value(QStringLiteral("i2")), QStringLiteral("anxiety_crisis/unanimous"));
        QCOMPARE(group.value(QStringLiteral("i3")), QStringLiteral("-/none"));
        const QMap<QString, QString> reference =
            categories({ QStringLiteral("--category-source"), QStringLiteral("reference") });
        QCOMPARE(reference.value(QStringLiteral("i1")), QStringLiteral("-/none"));
        QCOMPARE(reference.value(QStringLiteral("i2")), QStringLiteral("self-harm/reference"));
        // Unchanged without the option (the clinicians' consensus).
        QCOMPARE(categories({}).value(QStringLiteral("i3")),
            QStringLiteral("suicidal_ideation/majority"));
        // --category then matches the source's category: i1 and i2 (h1's rows: 1 + 2 + labels).
        const auto rows = longRows({ QStringLiteral("--category"), QStringLiteral("anxiety_crisis"),
            QStringLiteral("--category-source"), QStringLiteral("h2,h3") });
        QSet<QByteArray> items;
        for (const auto &row : rows) {
            items.insert(row.value(0));
            QCOMPARE(row.value(3), QByteArray("anxiety_crisis"));
        }
        QCOMPARE(items, (QSet<QByteArray> { "i1", "i2" }));
        // The manifest records the source.
        QCOMPARE(run({ QStringLiteral("export"), m_study, QStringLiteral("--format"),
                     QStringLiteral("wide-csv"), QStringLiteral("--category-source"),
                     QStringLiteral("reference"), QStringLiteral("--out"),
                     path(QStringLiteral("src.csv")) }),
            0);
        const QJsonObject m =
            QJsonDocument::fromJson(read(path(QStringLiteral("src.manifest.json")))).object();
        QCOMPARE(m.value(QStringLiteral("filters"))
                     .toObject()
                     .value(QStringLiteral("category_source"))
                     .toString(),
            QStringLiteral("reference"));
    }

    void badFilters_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("category") << QStringList { QStringLiteral("--category"),
            QStringLiteral("sadness") }
                                  << 2 << QByteArray("--category: 'sadness' is not a category");
        QTest::newRow("model") << QStringList { QStringLiteral("--model"), QStringLiteral("m9") }
                               << 2 << QByteArray("--model: 'm9' is not a model");
        QTest::newRow("split") << QStringList {
            QStringLiteral("--split"), QStringLiteral("validation")
        } << 2 << QByteArray("--split: 'validation' is not a split of the study");
        QTest::newRow("provenance")
            << QStringList { QStringLiteral("--provenance"), QStringLiteral("vote") } << 2
            << QByteArray("--provenance: 'vote' must be one of");
        QTest::newRow("rater") << QStringList { QStringLiteral("--raters"),
            QStringLiteral("nobody") }
                               << 2 << QByteArray("no rater 'nobody'");
        QTest::newRow("min-raters")
            << QStringList { QStringLiteral("--min-raters"), QStringLiteral("x") } << 1
            << QByteArray("usage");
        QTest::newRow("category-source")
            << QStringList { QStringLiteral("--category-source"), QStringLiteral("h1,nobody") } << 2
            << QByteArray("--category-source: no rater 'nobody'");
    }

    void badFilters()
    {
        QFETCH(QStringList, options);
        QFETCH(int, code);
        QFETCH(QByteArray, message);
        QByteArray err;
        QCOMPARE(run(QStringList { QStringLiteral("export"), m_study, QStringLiteral("--format"),
                         QStringLiteral("long-csv"), QStringLiteral("--out"),
                         path(QStringLiteral("bad.csv")) }
                         + options,
                     nullptr, &err),
            code);
        QVERIFY2(err.contains(message), err.constData());
        QVERIFY(!QFile::exists(path(QStringLiteral("bad.csv"))));
    }

    void longCsvRoundTripIsByteIdentical()
    {
        const QByteArray first = exportTo(m_study, QStringLiteral("long-csv"));
        write(path(QStringLiteral("rt.csv")), first);
        const QString b = newStudy(QStringLiteral("rt-long.crisis"));
        QCOMPARE(run({ QStringLiteral("import"), b, path(QStringLiteral("rt.csv")) }), 0);
        QCOMPARE(exportTo(b, QStringLiteral("long-csv")), first);
    }

    void longCsvKeepsLabelOnlyRatings()
    {
        // A clinician who only labelled i3, then an LLM classifier labelling every item,
        // including i4, which has no responses: none of them scored a response.
        const QString s = newStudy(QStringLiteral("labels.crisis"));
        write(path(QStringLiteral("i4.jsonl")),
            "{\"item_id\": \"i4\", \"split\": \"test\", \"text\": \"Still here.\"}\n");
        write(path(QStringLiteral("h4.jsonl")),
            "{\"rater\": \"h4\", \"item_id\": \"i3\", \"category\": \"self-harm\"}\n");
        QByteArray cls;
        for (const char *item : { "i1", "i2", "i3", "i4" })
            cls += QByteArray("{\"rater\": \"cls\", \"rater_kind\": \"llm\", \"item_id\": \"")
                + item + "\", \"category\": \"anxiety_crisis\"}\n";
        write(path(QStringLiteral("cls.jsonl")), cls);
        for (const char *file : { "i4.jsonl", "ratings.jsonl", "h4.jsonl", "cls.jsonl" })
            QCOMPARE(run({ QStringLiteral("import"), s, path(QString::fromLatin1(file)) }), 0);

        const QByteArray first = exportTo(s, QStringLiteral("long-csv"));
        QList<QByteArray> labelOnly;
        for (const QByteArray &line : first.split('\n'))
            if (line.startsWith('i') && line.split(',').value(4).isEmpty())
                labelOnly.append(line);
        // h4 is R005, cls R006: one row per label, no model, run, response or score.
        QCOMPARE(labelOnly.size(), 5);
        QCOMPARE(labelOnly.at(0),
            QByteArray("i1,,test,anxiety_crisis,,,,R006,llm,,,anxiety_crisis,,,,1.0.0,")
                + labelOnly.at(0).split(',').value(16) + ",,,,unanimous,,");
        // h4's label ties i3 (2 : 2, no reference): no consensus; i4 has no human label.
        QVERIFY(labelOnly.at(2).startsWith("i3,,test,,,,,R005,human,,,self-harm,"));
        QVERIFY(labelOnly.at(3).startsWith("i3,,test,,,,,R006,llm,,,anxiety_crisis,"));
        QVERIFY(labelOnly.at(4).startsWith("i4,,test,,,,,R006,llm,,,anxiety_crisis,"));

        // With --model m2, a rater whose score rows the filter drops keeps their label on
        // a label-only row: 3 m2 score rows; labels of h2, h3, cls on i1 and h1, h4, cls
        // on i3. Items without an m2 response (i2, i4) are left out.
        const QByteArray m2 = exportTo(
            s, QStringLiteral("long-csv"), { QStringLiteral("--model"), QStringLiteral("m2") });
        QCOMPARE(m2.count('\n'), 1 + 3 + 6);
        QVERIFY(!m2.contains("\ni2,"));
        QVERIFY(!m2.contains("\ni4,"));

        // Round trip into a study that has the items only; pseudonyms are kept, so the
        // raters come back in the same order although the file meets R006 before R005.
        write(path(QStringLiteral("labels.csv")), first);
        const QString b = newStudy(QStringLiteral("labels-rt.crisis"));
        QCOMPARE(run({ QStringLiteral("import"), b, path(QStringLiteral("i4.jsonl")) }), 0);
        QCOMPARE(run({ QStringLiteral("import"), b, path(QStringLiteral("labels.csv")) }), 0);
        QCOMPARE(exportTo(b, QStringLiteral("long-csv")), first);
        // Read back into the study it came from, the pseudonyms would become new raters
        // duplicating every rating: refused, nothing changes.
        QByteArray err;
        QCOMPARE(
            run({ QStringLiteral("import"), s, path(QStringLiteral("labels.csv")) }, nullptr, &err),
            2);
        QVERIFY2(
            err.contains("'R001' is the pseudonym of rater 'h1' in this study"), err.constData());
        QCOMPARE(exportTo(s, QStringLiteral("long-csv")), first);

        // A bundle names raters, whose ids in a new study follow the file: lines come in
        // rater-name order, so its round trip is byte-identical too.
        const QByteArray bundle = exportTo(s, QStringLiteral("bundle"));
        QCOMPARE(bundle.count('\n'), 8 + 1 + 4 + 11);
        write(path(QStringLiteral("labels.bundle.jsonl")), bundle);
        const QString c = newStudy(QStringLiteral("labels-bundle.crisis"));
        QCOMPARE(run({ QStringLiteral("import"), c, path(QStringLiteral("i4.jsonl")) }), 0);
        QCOMPARE(
            run({ QStringLiteral("import"), c, path(QStringLiteral("labels.bundle.jsonl")) }), 0);
        QCOMPARE(exportTo(c, QStringLiteral("bundle")), bundle);
    }

    void jsonlBundleRoundTripIsByteIdentical()
    {
        const QByteArray first = exportTo(m_study, QStringLiteral("bundle"));
        QCOMPARE(first.count('\n'), 19); // 8 labels + 11 ratings, every rater
        write(path(QStringLiteral("rt.jsonl")), first);
        const QString b = newStudy(QStringLiteral("rt-jsonl.crisis"));
        QCOMPARE(run({ QStringLiteral("import"), b, path(QStringLiteral("rt.jsonl")) }), 0);
        QCOMPARE(exportTo(b, QStringLiteral("bundle")), first);
        // ...and the long CSV of the copy equals the original's too.
        QCOMPARE(
            exportTo(b, QStringLiteral("long-csv")), exportTo(m_study, QStringLiteral("long-csv")));
    }

    void bundlesMergeIntoMaster()
    {
        // Two laptops with copies of the master study; alice rates on one, bob on the other.
        const QString master = newStudy(QStringLiteral("master.crisis"));
        QVERIFY(QFile::copy(master, path(QStringLiteral("lap1.crisis"))));
        QVERIFY(QFile::copy(master, path(QStringLiteral("lap2.crisis"))));
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("lap1.crisis")),
                     path(QStringLiteral("alice.jsonl")) }),
            0);
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("lap2.crisis")),
                     path(QStringLiteral("bob.jsonl")) }),
            0);
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("lap1.crisis")),
                     QStringLiteral("--format"), QStringLiteral("bundle"),
                     QStringLiteral("--rater"), QStringLiteral("alice"), QStringLiteral("--out"),
                     path(QStringLiteral("alice.bundle.jsonl")) }),
            0);
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("lap2.crisis")),
                     QStringLiteral("--format"), QStringLiteral("bundle"),
                     QStringLiteral("--rater"), QStringLiteral("bob"), QStringLiteral("--out"),
                     path(QStringLiteral("bob.bundle.jsonl")) }),
            0);
        const QByteArray aliceBundle = read(path(QStringLiteral("alice.bundle.jsonl")));
        QCOMPARE(aliceBundle.count('\n'), 3);
        QVERIFY(aliceBundle.contains("\"checklist\":[\"empathy\"]"));
        QVERIFY(aliceBundle.contains("\"seconds_spent\":31"));
        QVERIFY(aliceBundle.contains("\"rated_at\":\"20"));
        QVERIFY(!aliceBundle.contains("bob"));
        QCOMPARE(QJsonDocument::fromJson(read(path(QStringLiteral("alice.bundle.manifest.json"))))
                     .object()
                     .value(QStringLiteral("raters"))
                     .toArray()
                     .size(),
            1);

        QCOMPARE(run({ QStringLiteral("import"), master, path(QStringLiteral("alice.bundle.jsonl")),
                     path(QStringLiteral("bob.bundle.jsonl")) }),
            0);
        const QByteArray merged =
            exportTo(master, QStringLiteral("long-csv"), { QStringLiteral("--real-names") });
        QCOMPARE(merged.count('\n'), 1 + 3);
        // Timestamps, checklist, rationale and time spent survive the trip.
        QCOMPARE(exportTo(master, QStringLiteral("bundle"),
                     { QStringLiteral("--rater"), QStringLiteral("alice") }),
            aliceBundle);
        QCOMPARE(exportTo(master, QStringLiteral("bundle"),
                     { QStringLiteral("--rater"), QStringLiteral("bob") }),
            read(path(QStringLiteral("bob.bundle.jsonl"))));

        // Idempotent: importing a bundle again changes nothing.
        QCOMPARE(
            run({ QStringLiteral("import"), master, path(QStringLiteral("alice.bundle.jsonl")) }),
            0);
        QCOMPARE(exportTo(master, QStringLiteral("long-csv"), { QStringLiteral("--real-names") }),
            merged);

        // Conflict: alice also rated on laptop 2, differently. Nothing is imported and
        // each conflict is reported with file, line, item, response, stored and new value.
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("lap2.crisis")),
                     path(QStringLiteral("alice2.jsonl")) }),
            0);
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("lap2.crisis")),
                     QStringLiteral("--format"), QStringLiteral("bundle"),
                     QStringLiteral("--rater"), QStringLiteral("alice"), QStringLiteral("--out"),
                     path(QStringLiteral("alice2.bundle.jsonl")) }),
            0);
        QByteArray err;
        QCOMPARE(
            run({ QStringLiteral("import"), master, path(QStringLiteral("alice2.bundle.jsonl")) },
                nullptr, &err),
            2);
        const QString bundle = path(QStringLiteral("alice2.bundle.jsonl"));
        QVERIFY2(err.contains((bundle
                     + QStringLiteral(
                         ":1:category: conflicts with the label 'anxiety_crisis' that rater "
                         "'alice' already gave item 'i1' (this row: 'self-harm')"))
                                  .toUtf8()),
            err.constData());
        QVERIFY2(err.contains((bundle
                     + QStringLiteral(
                         ":2:score: conflicts with the score 2 that rater 'alice' already gave "
                         "item 'i1' model 'm1' run 1 (this row: 3)"))
                                  .toUtf8()),
            err.constData());
        // The same 'cannot assess' with a rationale the master does not have is a conflict too.
        QVERIFY2(
            err.contains((bundle
                + QStringLiteral(":4:rationale: conflicts with the rationale that rater 'alice' "
                                 "already gave item 'i3' model 'm2' run 1 (stored: ''; this row: "
                                 "'Too vague to judge.')"))
                             .toUtf8()),
            err.constData());
        QCOMPARE(exportTo(master, QStringLiteral("long-csv"), { QStringLiteral("--real-names") }),
            merged); // i3/m1 not added

        // An item the master does not have: the error names the file and line.
        QCOMPARE(run({ QStringLiteral("import"), path(QStringLiteral("lap2.crisis")),
                     path(QStringLiteral("extra.jsonl")) }),
            0);
        QCOMPARE(run({ QStringLiteral("export"), path(QStringLiteral("lap2.crisis")),
                     QStringLiteral("--format"), QStringLiteral("bundle"),
                     QStringLiteral("--rater"), QStringLiteral("bob"), QStringLiteral("--out"),
                     path(QStringLiteral("bob2.bundle.jsonl")) }),
            0);
        QCOMPARE(
            run({ QStringLiteral("import"), master, path(QStringLiteral("bob2.bundle.jsonl")) },
                nullptr, &err),
            2);
        QVERIFY2(err.contains((path(QStringLiteral("bob2.bundle.jsonl"))
                     + QStringLiteral(":3:item_id: unknown item 'i9'"))
                                  .toUtf8()),
            err.constData());
        QCOMPARE(exportTo(master, QStringLiteral("long-csv"), { QStringLiteral("--real-names") }),
            merged);

        // --rater belongs to bundles; an unknown bundle rater is named.
        QCOMPARE(
            run({ QStringLiteral("export"), master, QStringLiteral("--format"),
                QStringLiteral("long-csv"), QStringLiteral("--rater"), QStringLiteral("alice") }),
            1);
        QCOMPARE(
            run({ QStringLiteral("export"), master, QStringLiteral("--format"),
                    QStringLiteral("bundle"), QStringLiteral("--rater"), QStringLiteral("carol") },
                nullptr, &err),
            2);
        QVERIFY(err.contains("no rater 'carol'"));
    }
};

QTEST_GUILESS_MAIN(TestExportFilters)
#include "tst_exportfilters.moc"
