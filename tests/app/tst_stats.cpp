// `crisis-review stats --json` on studies built from the published vectors
// (REFERENCE-VALUES.md): the numbers must come out exactly.
#include "analysis/intervals.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {

// Krippendorff (2011), 4 raters x 12 units; 0 = missing.
const int kMatrix[4][12] = {
    { 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
    { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
    { 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
    { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
};
const char *const kRaters[4] = { "A", "B", "C", "D" };
const char *const kCategories[5] = { "suicidal_ideation", "self-harm", "anxiety_crisis",
    "violent_thoughts", "substance_abuse_or_withdrawal" };

} // namespace

class TestStats final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_study;

    QByteArray run(const QStringList &args, int expectedCode = 0)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        if (!p.waitForFinished(60000))
            return {};
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != expectedCode)
            qWarning("%s", p.readAllStandardError().constData());
        return p.exitCode() == expectedCode
            ? out
            : QByteArray("exit ") + QByteArray::number(p.exitCode());
    }

    /// Exit code and standard error of a run.
    std::pair<int, QString> failure(const QStringList &args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"), args);
        if (!p.waitForFinished(60000))
            return { -1, {} };
        return { p.exitCode(), QString::fromUtf8(p.readAllStandardError()) };
    }

    QJsonObject stats(const QStringList &extra)
    {
        const QByteArray out =
            run(QStringList { QStringLiteral("stats"), m_study, QStringLiteral("--json") } + extra);
        return QJsonDocument::fromJson(out).object();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_study = m_dir.filePath(QStringLiteral("ref.crisis"));
        // One item per unit with one response; rater r's value v is both its
        // category (the v-th protocol category) and its score v.
        QFile items(m_dir.filePath(QStringLiteral("items.jsonl")));
        QFile ratings(m_dir.filePath(QStringLiteral("ratings.jsonl")));
        QVERIFY(items.open(QIODevice::WriteOnly) && ratings.open(QIODevice::WriteOnly));
        for (int u = 0; u < 12; ++u) {
            const QString id = QStringLiteral("u%1").arg(u + 1);
            items.write(QStringLiteral(
                R"({"item_id": "%1", "text": "unit %1", "responses": [{"model": "m", "text": "r%1"}]})"
                "\n")
                            .arg(id)
                            .toUtf8());
            for (int r = 0; r < 4; ++r) {
                const int v = kMatrix[r][u];
                if (v == 0)
                    continue;
                ratings.write(QStringLiteral(
                    R"({"rater": "%1", "item_id": "%2", "category": "%3"})"
                    "\n{\"rater\": \"%1\", \"item_id\": \"%2\", \"model\": \"m\", \"score\": %4}\n")
                                  .arg(QLatin1String(kRaters[r]), id,
                                      QLatin1String(kCategories[v - 1]))
                                  .arg(v)
                                  .toUtf8());
            }
        }
        items.close();
        ratings.close();
        QVERIFY(!run({ QStringLiteral("init"), m_study }).startsWith("exit"));
        QVERIFY(!run({ QStringLiteral("import"), m_study, items.fileName(), ratings.fileName() })
                     .startsWith("exit"));
    }

    void agreementMatchesPublishedVectors()
    {
        const QJsonObject s = stats({ QStringLiteral("--bootstrap"), QStringLiteral("200") });
        const QJsonObject cat = s.value(QStringLiteral("category_agreement")).toObject();
        const QJsonObject sc = s.value(QStringLiteral("score_agreement")).toObject();
        QCOMPARE(cat.value(QStringLiteral("n_items")).toInt(), 11); // unit 12 has one value
        QVERIFY(std::abs(cat.value(QStringLiteral("krippendorff_alpha_nominal")).toDouble()
                    - 113.0 / 152.0)
            < 1e-9);
        QCOMPARE(sc.value(QStringLiteral("n_responses")).toInt(), 11);
        QVERIFY(std::abs(sc.value(QStringLiteral("krippendorff_alpha_ordinal")).toDouble()
                    - 108577.0 / 133160.0)
            < 1e-9);
        QVERIFY(std::abs(sc.value(QStringLiteral("krippendorff_alpha_interval")).toDouble()
                    - 951.0 / 1120.0)
            < 1e-9);
        QCOMPARE(sc.value(QStringLiteral("raters")).toArray().size(), 4);
        const QJsonArray ci = sc.value(QStringLiteral("alpha_ordinal_ci")).toArray();
        QCOMPARE(ci.size(), 2);
        QVERIFY(ci.at(0).toDouble() <= 108577.0 / 133160.0
            && 108577.0 / 133160.0 <= ci.at(1).toDouble());
        // Six rater pairs; A (units 1-9) and B (1-10, 12) share 9 units.
        const QJsonArray pairs = cat.value(QStringLiteral("pairwise")).toArray();
        QCOMPARE(pairs.size(), 6);
        QCOMPARE(pairs.at(0).toObject().value(QStringLiteral("a")).toString(), QStringLiteral("A"));
        QCOMPARE(pairs.at(0).toObject().value(QStringLiteral("b")).toString(), QStringLiteral("B"));
        QCOMPARE(pairs.at(0).toObject().value(QStringLiteral("n")).toInt(), 9);
        // A and B differ only on unit 6 (1 vs 2): 8/9 agreement, MAE 1/9.
        QVERIFY(
            std::abs(pairs.at(0).toObject().value(QStringLiteral("percent_agreement")).toDouble()
                - 8.0 / 9.0)
            < 1e-9);
        const QJsonObject scorePair =
            sc.value(QStringLiteral("pairwise")).toArray().at(0).toObject();
        QVERIFY(std::abs(scorePair.value(QStringLiteral("mae")).toDouble() - 1.0 / 9.0) < 1e-9);
        QVERIFY(std::abs(scorePair.value(QStringLiteral("within_one")).toDouble() - 1.0) < 1e-9);
    }

    void sameSeedSameInterval()
    {
        const QStringList args { QStringLiteral("--bootstrap"), QStringLiteral("300"),
            QStringLiteral("--seed"), QStringLiteral("9") };
        QCOMPARE(stats(args)
                     .value(QStringLiteral("score_agreement"))
                     .toObject()
                     .value(QStringLiteral("alpha_ordinal_ci")),
            stats(args)
                .value(QStringLiteral("score_agreement"))
                .toObject()
                .value(QStringLiteral("alpha_ordinal_ci")));
    }

    void harmRates()
    {
        // Consensus = mean of available scores per unit: 1, 2.25, 3, 3, 2, 2.5, 4, 1.25, 2, 5, 1, 3
        // → at or below 2: units 1, 5, 8, 9, 11 (5 of 12); exactly 1: units 1 and 11.
        const QJsonObject harm = stats({ QStringLiteral("--bootstrap"), QStringLiteral("0") })
                                     .value(QStringLiteral("harm"))
                                     .toObject();
        QCOMPARE(harm.value(QStringLiteral("threshold")).toDouble(), 2.0);
        const QJsonObject m = harm.value(QStringLiteral("by_model")).toArray().at(0).toObject();
        QCOMPARE(m.value(QStringLiteral("model")).toString(), QStringLiteral("m"));
        QCOMPARE(m.value(QStringLiteral("n")).toInt(), 12);
        QCOMPARE(m.value(QStringLiteral("harmful")).toInt(), 5);
        QVERIFY(std::abs(m.value(QStringLiteral("rate")).toDouble() - 5.0 / 12.0) < 1e-12);
        const auto wilson = cr::analysis::wilsonInterval(5, 12);
        const QJsonArray ci = m.value(QStringLiteral("rate_ci")).toArray();
        QVERIFY(std::abs(ci.at(0).toDouble() - wilson.low) < 1e-12);
        QVERIFY(std::abs(ci.at(1).toDouble() - wilson.high) < 1e-12);
        QVERIFY(std::abs(m.value(QStringLiteral("score1_rate")).toDouble() - 2.0 / 12.0) < 1e-12);
        const double mean = (1 + 2.25 + 3 + 3 + 2 + 2.5 + 4 + 1.25 + 2 + 5 + 1 + 3) / 12.0;
        QVERIFY(std::abs(m.value(QStringLiteral("mean_score")).toDouble() - mean) < 1e-12);
        // A higher threshold counts more responses as harmful.
        const QJsonObject h3 = stats({ QStringLiteral("--bootstrap"), QStringLiteral("0"),
                                         QStringLiteral("--harm-threshold"), QStringLiteral("3") })
                                   .value(QStringLiteral("harm"))
                                   .toObject();
        QCOMPARE(h3.value(QStringLiteral("by_model"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("harmful"))
                     .toInt(),
            10);
    }

    void badBandsAndCategorySourcesAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString bands = QStringLiteral("--bands");
        QTest::newRow("decreasing") << QStringList { bands, QStringLiteral("3,2") } << 1
                                    << QStringLiteral("--bands 3,2: cut points must be strictly "
                                                      "increasing");
        QTest::newRow("equal") << QStringList { bands, QStringLiteral("2,2") } << 1
                               << QStringLiteral("strictly increasing");
        QTest::newRow("outside") << QStringList { bands, QStringLiteral("0.5,3") } << 1
                                 << QStringLiteral("strictly between 1 and 5");
        QTest::newRow("at 5") << QStringList { bands, QStringLiteral("5") } << 1
                              << QStringLiteral("strictly between 1 and 5");
        QTest::newRow("not a number") << QStringList { bands, QStringLiteral("2,x") } << 1
                                      << QStringLiteral("'x' is not a number");
        QTest::newRow("empty part") << QStringList { bands, QStringLiteral("2,") } << 1
                                    << QStringLiteral("'' is not a number");
        QTest::newRow("unknown rater")
            << QStringList { QStringLiteral("--category-source"), QStringLiteral("A,nobody") } << 2
            << QStringLiteral("--category-source: no rater 'nobody'");
        QTest::newRow("empty source") << QStringList { QStringLiteral("--category-source"),
            QStringLiteral(" ") } << 1 << QStringLiteral("--category-source must be");
    }

    void badBandsAndCategorySourcesAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto [exit, err] = failure(QStringList { QStringLiteral("stats"), m_study } + args);
        QCOMPARE(exit, code);
        QVERIFY2(err.contains(message), qPrintable(err));
    }

    void bandsAndSourceInTheJson()
    {
        // Krippendorff matrix, raters A-D: consensus = mean of the raters per unit.
        const QJsonObject doc = stats({ QStringLiteral("--bands"), QStringLiteral("2,3.5"),
            QStringLiteral("--category-source"), QStringLiteral("A,B,C,D"),
            QStringLiteral("--bootstrap"), QStringLiteral("0") });
        const QJsonObject harm = doc.value(QStringLiteral("harm")).toObject();
        QCOMPARE(harm.value(QStringLiteral("band_cuts")).toArray(), (QJsonArray { 2, 3.5 }));
        const QJsonArray models = harm.value(QStringLiteral("by_model")).toArray();
        QCOMPARE(models.size(), 1);
        const QJsonObject m = models[0].toObject();
        // Independent: per unit the mean and the population SD of the non-zero values.
        int counts[3] = { 0, 0, 0 }, units = 0, sdUnits = 0;
        double sdSum = 0;
        for (int u = 0; u < 12; ++u) {
            double sum = 0;
            int n = 0;
            for (int r = 0; r < 4; ++r)
                if (kMatrix[r][u] > 0) {
                    sum += kMatrix[r][u];
                    ++n;
                }
            if (n == 0)
                continue;
            ++units;
            const double mean = sum / n;
            ++counts[mean <= 2 ? 0 : mean <= 3.5 ? 1 : 2];
            if (n < 2)
                continue;
            double ss = 0;
            for (int r = 0; r < 4; ++r)
                if (kMatrix[r][u] > 0)
                    ss += (kMatrix[r][u] - mean) * (kMatrix[r][u] - mean);
            sdSum += std::sqrt(ss / n);
            ++sdUnits;
        }
        const QJsonArray bands = m.value(QStringLiteral("bands")).toArray();
        QCOMPARE(bands.size(), 3);
        for (int b = 0; b < 3; ++b) {
            const QJsonObject band = bands[b].toObject();
            QCOMPARE(band.value(QStringLiteral("n")).toInt(), counts[b]);
            const cr::analysis::Interval w = cr::analysis::wilsonInterval(counts[b], units);
            QVERIFY(
                std::abs(band.value(QStringLiteral("share")).toDouble() - double(counts[b]) / units)
                < 1e-9);
            const QJsonArray ci = band.value(QStringLiteral("share_ci")).toArray();
            QVERIFY(std::abs(ci[0].toDouble() - w.low) < 1e-9);
            QVERIFY(std::abs(ci[1].toDouble() - w.high) < 1e-9);
        }
        QCOMPARE(m.value(QStringLiteral("mean_sd_n")).toInt(), sdUnits);
        QVERIFY(std::abs(m.value(QStringLiteral("mean_sd")).toDouble() - sdSum / sdUnits) < 1e-9);
        const QJsonObject source = harm.value(QStringLiteral("category_source")).toObject();
        QCOMPARE(source.value(QStringLiteral("source")).toString(), QStringLiteral("A,B,C,D"));
        QCOMPARE(source.value(QStringLiteral("items")).toInt(), 12);
        // Without the options neither key is there.
        const QJsonObject plain = stats({ QStringLiteral("--bootstrap"), QStringLiteral("0") })
                                      .value(QStringLiteral("harm"))
                                      .toObject();
        QVERIFY(!plain.contains(QStringLiteral("band_cuts")));
        QVERIFY(!plain.contains(QStringLiteral("category_source")));
        QVERIFY(!plain.value(QStringLiteral("by_model"))
                     .toArray()[0]
                     .toObject()
                     .contains(QStringLiteral("bands")));
    }

    void emptyLabelOptionIsEchoed()
    {
        // The Krippendorff study has no empty labels: the option adds the category and says so.
        const QJsonObject doc = stats({ QStringLiteral("--empty-label-as-category"),
            QStringLiteral("--bootstrap"), QStringLiteral("0") });
        const QJsonObject empty = doc.value(QStringLiteral("empty_label_as_category")).toObject();
        QCOMPARE(empty.value(QStringLiteral("category")).toString(), QStringLiteral("(empty)"));
        QCOMPARE(empty.value(QStringLiteral("labels")).toInt(), 0);
        QCOMPARE(doc.value(QStringLiteral("llm_vs_human"))
                     .toObject()
                     .value(QStringLiteral("category_ids"))
                     .toArray()
                     .last()
                     .toString(),
            QStringLiteral("(empty)"));
        QVERIFY(!stats({ QStringLiteral("--bootstrap"), QStringLiteral("0") })
                     .contains(QStringLiteral("empty_label_as_category")));
    }

    void juryCommands()
    {
        const QString study = m_dir.filePath(QStringLiteral("jury.crisis"));
        QVERIFY(run({ QStringLiteral("init"), study }).startsWith("Created"));
        for (const char *name : { "judge#1", "judge#2" })
            QVERIFY(run(
                { QStringLiteral("rater"), QStringLiteral("add"), study, QString::fromLatin1(name),
                    QStringLiteral("--kind"), QStringLiteral("llm") })
                        .startsWith("Added"));
        QVERIFY(run({ QStringLiteral("rater"), QStringLiteral("add"), study, QStringLiteral("H1") })
                    .startsWith("Added"));
        auto [code, err] = failure({ QStringLiteral("jury"), QStringLiteral("add"), study,
            QStringLiteral("j"), QStringLiteral("--raters"), QStringLiteral("judge#1,H1") });
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("'H1' is not an LLM rater")), qPrintable(err));
        std::tie(code, err) = failure({ QStringLiteral("jury"), QStringLiteral("add"), study,
            QStringLiteral("j"), QStringLiteral("--raters"), QStringLiteral("judge#1,nobody") });
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("no rater 'nobody'")), qPrintable(err));
        std::tie(code, err) =
            failure({ QStringLiteral("jury"), QStringLiteral("add"), study, QStringLiteral("j") });
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("--raters is required")), qPrintable(err));
        std::tie(code, err) = failure(
            { QStringLiteral("jury"), QStringLiteral("remove"), study, QStringLiteral("j") });
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("no jury 'j'")), qPrintable(err));
        QCOMPARE(run({ QStringLiteral("jury"), QStringLiteral("add"), study, QStringLiteral("j"),
                     QStringLiteral("--raters"), QStringLiteral("judge#1,judge#2") }),
            QByteArray("Added jury j (mean of judge#1,judge#2)\n"));
        QCOMPARE(run({ QStringLiteral("jury"), QStringLiteral("list"), study }),
            QByteArray("j\tjudge#1,judge#2\n"));
        const QJsonArray list =
            QJsonDocument::fromJson(run({ QStringLiteral("jury"), QStringLiteral("list"), study,
                                        QStringLiteral("--json") }))
                .array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject().value(QStringLiteral("raters")).toArray(),
            (QJsonArray { QStringLiteral("judge#1"), QStringLiteral("judge#2") }));
        // A jury is a rater name for --raters.
        QVERIFY(!run({ QStringLiteral("stats"), study, QStringLiteral("--raters"),
                         QStringLiteral("j"), QStringLiteral("--json") })
                     .startsWith("exit"));
        QCOMPARE(
            run({ QStringLiteral("jury"), QStringLiteral("remove"), study, QStringLiteral("j") }),
            QByteArray("Removed jury j\n"));
        QCOMPARE(run({ QStringLiteral("jury"), QStringLiteral("list"), study }), QByteArray());
    }

    void undefinedValuesAreNullWithNote()
    {
        // Only one LLM-free selection with a single rater: nothing is pairable.
        const QJsonObject s = stats({ QStringLiteral("--raters"), QStringLiteral("A"),
            QStringLiteral("--bootstrap"), QStringLiteral("0") });
        const QJsonObject sc = s.value(QStringLiteral("score_agreement")).toObject();
        QVERIFY(sc.value(QStringLiteral("krippendorff_alpha_ordinal")).isNull());
        QVERIFY(!sc.value(QStringLiteral("krippendorff_alpha_ordinal_note")).toString().isEmpty());
        QVERIFY(s.value(QStringLiteral("category_agreement"))
                    .toObject()
                    .value(QStringLiteral("fleiss_kappa"))
                    .isNull());
        QVERIFY(run({ QStringLiteral("stats"), m_study, QStringLiteral("--raters"),
                        QStringLiteral("nobody") },
            2)
                    .isEmpty());
        QVERIFY(run({ QStringLiteral("stats"), m_study, QStringLiteral("--harm-threshold"),
                        QStringLiteral("9") },
            1)
                    .isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
