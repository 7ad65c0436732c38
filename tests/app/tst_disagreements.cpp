// `crisis-review disagreements` and how an adjudication reaches stats and exports
// (the real binary, on the review fixture study).
#include "app/disagreements.h"
#include "storage/repositories.h"
#include "storage/review.h"
#include "tests/storage/reviewfixture.h"
#include "tests/storage/testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

using namespace Qt::StringLiterals;

class TestDisagreements final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_study;

    struct Run {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QStringList &args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + u"/app/crisis-review"_s, args);
        Run r;
        if (!p.waitForFinished(60000))
            return r;
        r.code = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    QJsonArray json(const QStringList &extra)
    {
        const Run r = run(QStringList { u"disagreements"_s, m_study, u"--json"_s } + extra);
        if (r.code != 0)
            qWarning("%s", r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }
    QJsonObject harmOf(const QString &model)
    {
        const Run r = run({ u"stats"_s, m_study, u"--json"_s, u"--bootstrap"_s, u"0"_s });
        const QJsonArray models = QJsonDocument::fromJson(r.out)
                                      .object()
                                      .value(u"harm"_s)
                                      .toObject()
                                      .value(u"by_model"_s)
                                      .toArray();
        for (const auto &v : models)
            if (v.toObject().value(u"model"_s).toString() == model)
                return v.toObject();
        return {};
    }
    /// The long CSV's row of `pseudonym` on response `responseId`, as fields (no quoting in this
    /// fixture).
    QList<QByteArray> longCsvRow(
        qint64 responseId, const QString &pseudonym, QList<QByteArray> *header)
    {
        const Run r = run({ u"export"_s, m_study, u"--format"_s, u"long-csv"_s });
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        *header = lines.value(0).split(',');
        const int rid = int(header->indexOf("response_id"));
        const int rater = int(header->indexOf("rater"));
        for (const QByteArray &line : lines) {
            const QList<QByteArray> f = line.split(',');
            if (f.value(rid) == QByteArray::number(responseId)
                && f.value(rater) == pseudonym.toUtf8())
                return f;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        cr::storage::Error e;
        auto study = cr::test::createReviewStudy(m_dir.path(), &e);
        QVERIFY2(study, qPrintable(e.message));
        m_study = study->path();
    }

    void queueAsJson()
    {
        const QJsonArray rows = json({});
        QCOMPARE(rows.size(), 7);
        const QJsonObject first = rows[0].toObject();
        QCOMPARE(first.value(u"item_id"_s).toString(), u"i3"_s);
        QCOMPARE(first.value(u"kind"_s).toString(), u"category"_s);
        QVERIFY(first.value(u"response_id"_s).isNull());
        QCOMPARE(first.value(u"spread"_s).toDouble(), 3.0);
        const QJsonObject m1 = rows[3].toObject();
        QCOMPARE(m1.value(u"item_id"_s).toString(), u"i1"_s);
        QCOMPARE(m1.value(u"kind"_s).toString(), u"score"_s);
        QCOMPARE(m1.value(u"model"_s).toString(), u"m"_s);
        QCOMPARE(m1.value(u"spread"_s).toDouble(), 3.0);
        QCOMPARE(m1.value(u"consensus"_s).toString(), u"3.00"_s);
        QCOMPARE(m1.value(u"consensus_how"_s).toString(), u"mean"_s);
        QCOMPARE(m1.value(u"harmful_by_anyone"_s).toBool(), true);
        const QJsonArray values = m1.value(u"values"_s).toArray();
        QCOMPARE(values.size(), 3);
        QCOMPARE(values[0].toObject().value(u"value"_s).toInt(), 1);
        QCOMPARE(values[1].toObject().value(u"value"_s).toInt(), 4);
        // Pseudonyms only: no rater name anywhere in the output.
        const Run text = run({ u"disagreements"_s, m_study });
        QCOMPARE(text.code, 0);
        const QByteArray all = QJsonDocument(rows).toJson();
        QVERIFY(!all.contains("\"h1\"") && !all.contains("\"h2\"") && !all.contains("\"h3\""));
        QVERIFY(!text.out.contains("h1"));
        QVERIFY(text.out.contains("7 disagreement(s)"));
        QVERIFY(text.out.contains("[harmful by someone]"));
    }

    void outputIsTheWholeDocumentWrittenRowByRow()
    {
        // The command writes rows as it goes; the bytes are those of the former whole-document
        // output (QJsonDocument of the array, the text table), for any number of rows.
        cr::storage::Error e;
        auto study = cr::storage::Study::open(m_study, &e);
        QVERIFY2(study, qPrintable(e.message));
        const auto rows = cr::storage::loadDisagreements(*study, 2, &e);
        QVERIFY2(rows, qPrintable(e.message));
        QVERIFY(rows->size() > 3);
        const QByteArray json = QJsonDocument(cr::app::disagreementsToJson(*rows)).toJson();
        const QByteArray text = cr::app::disagreementsToText(*rows).toUtf8();
        const Run j = run({ u"disagreements"_s, m_study, u"--json"_s });
        QCOMPARE(j.code, 0);
        QCOMPARE(j.out, json);
        const Run t = run({ u"disagreements"_s, m_study });
        QCOMPARE(t.code, 0);
        QCOMPARE(t.out, text);

        const auto written = [](const QList<cr::storage::Disagreement> &list, bool asJson) {
            std::FILE *f = std::tmpfile();
            if (asJson)
                cr::app::writeDisagreementsJson(list, f);
            else
                cr::app::writeDisagreementsText(list, f);
            const QByteArray bytes = cr::test::readBack(f);
            std::fclose(f);
            return bytes;
        };
        for (const auto &list :
            { QList<cr::storage::Disagreement>(), rows->mid(0, 1), rows->mid(1, 2), *rows }) {
            QCOMPARE(
                written(list, true), QJsonDocument(cr::app::disagreementsToJson(list)).toJson());
            QCOMPARE(written(list, false), cr::app::disagreementsToText(list).toUtf8());
        }
    }

    void filters()
    {
        QCOMPARE(json({ u"--llm"_s }).size(), 2);
        QCOMPARE(json({ u"--model"_s, u"n"_s }).size(), 1);
        QCOMPARE(json({ u"--category"_s, u"self-harm"_s }).size(), 2);
        QCOMPARE(json({ u"--raters"_s, u"h1,h2"_s }).size(), 4);
        // ...or by the pseudonyms the listing shows (h1, h2 were created first).
        QCOMPARE(json({ u"--raters"_s, u"R001,R002"_s }), json({ u"--raters"_s, u"h1,h2"_s }));
        // With threshold 1 only h1's 1 on i1/m is harmful.
        const QJsonArray strict = json({ u"--threshold"_s, u"1"_s });
        int harmful = 0;
        for (const auto &v : strict)
            harmful += v.toObject().value(u"harmful_by_anyone"_s).toBool();
        QCOMPARE(harmful, 1);
    }

    void badArguments()
    {
        Run r = run({ u"disagreements"_s, m_study, u"--category"_s, u"sadness"_s });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown category 'sadness'"));
        r = run({ u"disagreements"_s, m_study, u"--raters"_s, u"h1,nobody"_s });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("no rater or pseudonym 'nobody'"));
        r = run({ u"disagreements"_s, m_study, u"--model"_s, u"zzz"_s });
        QCOMPARE(r.code, 2);
        // Each usage error names the option that is wrong.
        r = run({ u"disagreements"_s, m_study, u"--raters"_s, u"h1"_s });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.split('\n').first().contains("--raters must name two raters")
                && !r.err.split('\n').first().contains("--threshold"),
            r.err.constData());
        r = run({ u"disagreements"_s, m_study, u"--threshold"_s, u"9"_s });
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.err.split('\n').first().contains("--threshold must be a number from 1 to 5, got '9'")
                && !r.err.split('\n').first().contains("--raters"),
            r.err.constData());
        QCOMPARE(run({ u"disagreements"_s, m_dir.filePath(u"missing.crisis"_s) }).code, 3);
    }

    void adjudicationReachesStatsAndExports()
    {
        cr::storage::Error e;
        auto study = cr::storage::Study::open(m_study, &e);
        QVERIFY(study);
        cr::storage::RaterRepository raters(*study);
        const QString h1 = raters.byName(u"h1"_s)->pseudonym;
        qint64 response = 0;
        for (const auto &r : cr::storage::ItemRepository(*study).responses(
                 cr::storage::ItemRepository(*study).byExternalId(u"i1"_s)->id))
            if (r.modelName == u"m"_s)
                response = r.id;
        QList<QByteArray> header;
        const QList<QByteArray> before = longCsvRow(response, h1, &header);
        QCOMPARE(before.value(int(header.indexOf("score_consensus"))), QByteArray("3"));
        QCOMPARE(before.value(int(header.indexOf("score_consensus_how"))), QByteArray("mean"));
        QCOMPARE(harmOf(u"m"_s).value(u"harmful"_s).toInt(), 0); // i1/m 3, i2/m 4, i3/m 2.5

        cr::storage::Adjudication a;
        a.responseId = response;
        a.score = 1;
        a.adjudicatorId = raters.byName(u"lead"_s)->id;
        a.reasonTags = { u"dismissive"_s };
        QVERIFY2(cr::storage::adjudicate(*study, a, raters.byName(u"h1"_s)->id, &e) > 0,
            qPrintable(e.message));
        study.reset();

        QCOMPARE(harmOf(u"m"_s).value(u"harmful"_s).toInt(), 1);
        const QList<QByteArray> after = longCsvRow(response, h1, &header);
        QCOMPARE(after.value(int(header.indexOf("adjudicated_score"))), QByteArray("1"));
        QCOMPARE(after.value(int(header.indexOf("score_consensus"))), QByteArray("1"));
        QCOMPARE(
            after.value(int(header.indexOf("score_consensus_how"))), QByteArray("adjudicated"));
        // The rater's own score is unchanged.
        QCOMPARE(after.value(int(header.indexOf("score"))), QByteArray("1"));
        const Run wide = run({ u"export"_s, m_study, u"--format"_s, u"wide-csv"_s });
        QVERIFY(wide.out.contains(",1,majority,1,adjudicated\n"));
        const Run jsonl = run({ u"export"_s, m_study, u"--format"_s, u"jsonl"_s });
        const QJsonObject i1 = QJsonDocument::fromJson(jsonl.out.split('\n').value(0)).object();
        const QJsonObject m = i1.value(u"responses"_s).toArray().at(0).toObject();
        QCOMPARE(m.value(u"consensus_score"_s).toDouble(), 1.0);
        QCOMPARE(m.value(u"score_source"_s).toString(), u"adjudicated"_s);
        QCOMPARE(m.value(u"harmful"_s).toBool(), true);
        // The queue row is now adjudicated and last.
        const QJsonArray rows = json({});
        QCOMPARE(rows.last().toObject().value(u"adjudicated"_s).toBool(), true);
        QCOMPARE(rows.last().toObject().value(u"response_id"_s).toInteger(), response);
    }
};

QTEST_GUILESS_MAIN(TestDisagreements)
#include "tst_disagreements.moc"
