// Import fidelity on the published benchmark layout (issue 19): fixtures written by us in
// that layout (tests/data/benchmark/make_fidelity_fixture.py); every expected value is
// computed here from the fixture rows themselves.
#include "protocol/protocol.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "tests/storage/testutil.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

QString fixture(const QString &name)
{
    return test::sourceDir() + QStringLiteral("/tests/data/benchmark/") + name;
}

/// A fixture file's array; the bare NaN of the published files read as null.
QJsonArray rowsOf(const QString &path)
{
    QByteArray bytes = test::readAll(path);
    bytes.replace(": NaN", ": null");
    return QJsonDocument::fromJson(bytes).array();
}

/// Every file under `folder` whose name matches `pattern`, sorted.
QStringList filesMatching(const QString &folder, const QString &pattern)
{
    QStringList out;
    const QRegularExpression re(pattern);
    QDir dir(folder);
    const QStringList all = [&] {
        QStringList l;
        const QFileInfoList infos =
            dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QFileInfo &i : infos) {
            if (i.isDir())
                l += filesMatching(i.absoluteFilePath(), pattern);
            else if (re.match(i.fileName()).hasMatch())
                l.append(i.absoluteFilePath());
        }
        return l;
    }();
    out = all;
    out.sort();
    return out;
}

struct Dataset {
    QString name; // e.g. sampled_dataset_n_4_val
    QString prefix; // item id prefix, e.g. n_4_val
    QString short_; // human file part, e.g. val_n4
    QString split;
};

const Dataset kVal { QStringLiteral("sampled_dataset_n_4_val"), QStringLiteral("n_4_val"),
    QStringLiteral("val_n4"), QStringLiteral("validation") };
const Dataset kTest { QStringLiteral("sampled_dataset_n_5_test"), QStringLiteral("n_5_test"),
    QStringLiteral("test_n5"), QStringLiteral("test") };

/// A score cell as the published files hold it: a number, a numeric string, NaN/null.
std::optional<int> cell(const QJsonValue &v, int *strings)
{
    if (v.isString()) {
        ++*strings;
        const QString s = v.toString().trimmed();
        if (s.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0 || s.isEmpty())
            return std::nullopt;
        return int(s.toDouble());
    }
    if (v.isDouble())
        return v.toInt();
    return std::nullopt;
}

/// What the fixture's files of one dataset say, computed from their rows.
struct Expected {
    QStringList ratings; // "rater|item|run|score"
    QStringList labels; // "rater|item|category"
    int strings = 0;
    int llmEmptyLabels = 0;
    int identicalExtra = 0;
};

Expected expectedOf(const QString &root, const Dataset &d, const cr::protocol::Protocol &p)
{
    Expected e;
    const QJsonArray items =
        rowsOf(root + QStringLiteral("/processed/") + d.name + QStringLiteral(".json"));
    auto itemId = [&](int i) -> QString {
        return d.prefix + QLatin1Char(':') + items[i].toObject().value(u"dataset_id").toString();
    };
    // Answers: run k = the k-th timestamp.
    const QStringList answerFiles = filesMatching(root + QStringLiteral("/llm_answer"),
        QStringLiteral("^gpt-5-nano-answers-%1-.*\\.json$").arg(d.name));
    QList<QStringList> texts; // [run-1][item]
    for (const QString &f : answerFiles) {
        QStringList t;
        for (const QJsonValue &row : rowsOf(f))
            t.append(row.toObject().value(u"answer").toString());
        texts.append(t);
    }
    // Judge: the merged file's evals are runs 1..3 on run 1; the separate file stamped
    // 20250211 (no merged file of its answers) is run 1 on run 2; the file stamped
    // 20250210 has its runs in the merged file and is not read.
    const QString judgeDir = root + QStringLiteral("/llm_evaluator/gpt-4o-mini/") + d.name;
    const QJsonArray merged =
        rowsOf(filesMatching(judgeDir, QStringLiteral("_merged\\.json$")).first());
    for (int i = 0; i < merged.size(); ++i) {
        const QJsonArray evals = merged[i].toObject().value(u"evals").toArray();
        for (int k = 0; k < evals.size(); ++k) {
            if (const auto s = cell(evals[k], &e.strings))
                e.ratings.append(QStringLiteral("gpt-4o-mini:judge#%1|%2|1|%3")
                                     .arg(k + 1)
                                     .arg(itemId(i))
                                     .arg(*s));
        }
    }
    const QJsonArray single =
        rowsOf(filesMatching(judgeDir, QStringLiteral("_20250211-100000\\.json$")).first());
    for (int i = 0; i < single.size(); ++i) {
        if (const auto s = cell(single[i].toObject().value(u"evaluation"), &e.strings))
            e.ratings.append(QStringLiteral("gpt-4o-mini:judge#1|%1|2|%2").arg(itemId(i)).arg(*s));
    }
    // Human scores: every response whose text is the scored answer.
    for (const QString &rater : { QStringLiteral("H1"), QStringLiteral("H2") }) {
        const QJsonArray rows = rowsOf(root + QStringLiteral("/human_label/") + rater
            + QStringLiteral("_scores_") + d.short_ + QStringLiteral(".json"));
        for (int i = 0; i < rows.size(); ++i) {
            const QString answer = rows[i].toObject().value(u"answer").toString();
            const auto s = cell(rows[i].toObject().value(u"evaluation"), &e.strings);
            int matched = 0;
            for (int run = 1; run <= texts.size(); ++run) {
                if (texts[run - 1][i] != answer)
                    continue;
                ++matched;
                if (s)
                    e.ratings.append(
                        QStringLiteral("%1|%2|%3|%4").arg(rater, itemId(i)).arg(run).arg(*s));
            }
            if (s && matched > 1)
                e.identicalExtra += matched - 1;
        }
    }
    // Classifier runs in time order; "" is missing.
    const QStringList labelFiles = filesMatching(root + QStringLiteral("/llm_label"),
        QStringLiteral("^gpt-4o-mini-labeled-%1-2025.*\\.json$").arg(d.name));
    for (int k = 0; k < labelFiles.size(); ++k) {
        const QJsonArray rows = rowsOf(labelFiles[k]);
        for (int i = 0; i < rows.size(); ++i) {
            const QString label = rows[i].toObject().value(u"label").toString();
            if (label.isEmpty())
                ++e.llmEmptyLabels;
            else
                e.labels.append(QStringLiteral("gpt-4o-mini:classify#%1|%2|%3")
                                    .arg(k + 1)
                                    .arg(itemId(i), p.canonicalCategory(label)));
        }
    }
    const QString humanLabels =
        root + QStringLiteral("/human_label/H1_labeled_") + d.short_ + QStringLiteral(".json");
    if (QFileInfo::exists(humanLabels)) {
        const QJsonArray rows = rowsOf(humanLabels);
        for (int i = 0; i < rows.size(); ++i)
            e.labels.append(
                QStringLiteral("H1|%1|%2")
                    .arg(itemId(i),
                        p.canonicalCategory(rows[i].toObject().value(u"label").toString())));
    }
    return e;
}

struct Run {
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TestFidelity final : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Study> m_study;
    ImportReport m_report;
    Error m_error;

    QString tmp(const QString &name) const { return m_dir->filePath(name); }

    bool import(const QStringList &paths, bool skipInvalid = false,
        ScoreAlignment alignment = ScoreAlignment::Content, const QString &split = {})
    {
        ImportOptions options;
        options.format = ImportFormat::Benchmark;
        options.skipInvalid = skipInvalid;
        options.alignment = alignment;
        options.split = split;
        m_report = {};
        m_error = {};
        return Importer(*m_study).run(paths, options, &m_report, &m_error);
    }

    QString describe() const
    {
        QString s = m_error.message;
        for (const ImportIssue &i : m_report.errors)
            s += QLatin1Char('\n') + i.toString();
        return s;
    }

    QStringList column(const QString &sql) const
    {
        QStringList out;
        QSqlQuery q(m_study->database());
        if (!q.exec(sql))
            return { QStringLiteral("SQL error: ") + q.lastError().text() };
        while (q.next())
            out.append(q.value(0).toString());
        return out;
    }

    QStringList storedRatings() const
    {
        QStringList l = column(QStringLiteral(
            "SELECT rater.name || '|' || item.external_id || '|' || r.run || '|' || rr.score"
            " FROM response_rating rr JOIN rater ON rater.id = rr.rater_id"
            " JOIN response r ON r.id = rr.response_id JOIN item ON item.id = r.item_id"));
        l.sort();
        return l;
    }

    QStringList storedLabels() const
    {
        QStringList l = column(
            QStringLiteral("SELECT rater.name || '|' || item.external_id || '|' || cl.category"
                           " FROM category_label cl JOIN rater ON rater.id = cl.rater_id"
                           " JOIN item ON item.id = cl.item_id"));
        l.sort();
        return l;
    }

    Run cli(const QStringList &args) const
    {
        QProcess p;
        p.setWorkingDirectory(m_dir->path());
        p.start(test::binaryDir() + QStringLiteral("/app/crisis-review"), args);
        Run r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        Error e;
        m_study = Study::create(tmp(QStringLiteral("s.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("Fidelity"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
    }

    void cleanup()
    {
        m_study.reset();
        m_dir.reset();
    }

    /// No row carrying a usable value is lost: every rating and label the fixture's files
    /// hold is in the study, string scores included, and nothing is skipped.
    void everyUsableValueIsImported()
    {
        const QString root = fixture(QStringLiteral("fidelity"));
        QVERIFY2(import({ root }), qPrintable(describe()));
        QVERIFY(m_report.skipped.isEmpty());
        const cr::protocol::Protocol p = cr::protocol::defaultProtocol();
        Expected all;
        for (const Dataset &d : { kVal, kTest }) {
            const Expected e = expectedOf(root, d, p);
            all.ratings += e.ratings;
            all.labels += e.labels;
            all.strings += e.strings;
            all.llmEmptyLabels += e.llmEmptyLabels;
            all.identicalExtra += e.identicalExtra;
        }
        all.ratings.sort();
        all.labels.sort();
        QCOMPARE(storedRatings(), all.ratings);
        QCOMPARE(storedLabels(), all.labels);
        QCOMPARE(m_report.counts.ratingsAdded, all.ratings.size());
        QCOMPARE(m_report.counts.scoresFromStrings, all.strings);
        QVERIFY(all.strings > 20); // the fixture holds many string scores
        QCOMPARE(m_report.counts.llmLabelsEmpty, all.llmEmptyLabels);
        QCOMPARE(m_report.counts.llmLabelsEmpty, 2);
        QCOMPARE(m_report.counts.scoresOnIdenticalResponses, all.identicalExtra);
        QCOMPARE(m_report.counts.scoresOnIdenticalResponses, 2); // H1 and H2 on test item t2
        // The summary says so.
        const QString details = m_report.details().join(QLatin1Char('\n'));
        QVERIFY2(
            details.contains(QStringLiteral("%1 score(s) given as JSON strings").arg(all.strings)),
            qPrintable(details));
        QVERIFY2(details.contains(QLatin1String("2 of them empty (\"\") in LLM classifier files")),
            qPrintable(details));
        QVERIFY2(
            details.contains(QLatin1String("2 human score(s) also attached to another response")),
            qPrintable(details));
        const QJsonObject summary = QJsonDocument::fromJson(
            column(QStringLiteral("SELECT summary FROM import_run")).value(0).toUtf8())
                                        .object();
        QCOMPARE(summary.value(u"scores_from_strings").toInt(), all.strings);
        QCOMPARE(summary.value(u"llm_labels_empty").toInt(), 2);
        QCOMPARE(summary.value(u"scores_on_identical_responses").toInt(), 2);
        // The empty LLM labels are kept (as missing) for stats --empty-label-as-category.
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM empty_label")),
            QStringList { QString::number(all.llmEmptyLabels) });
        m_study.reset();
        const Run run = cli({ QStringLiteral("stats"), tmp(QStringLiteral("s.crs")),
            QStringLiteral("--json"), QStringLiteral("--raters"), QStringLiteral("llm"),
            QStringLiteral("--empty-label-as-category") });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const QJsonObject empty = QJsonDocument::fromJson(run.out.toUtf8())
                                      .object()
                                      .value(u"empty_label_as_category")
                                      .toObject();
        QCOMPARE(empty.value(u"labels").toInt(), all.llmEmptyLabels);
    }

    /// Every label spelling of the files is a protocol category (dataset, human, LLM).
    void everyLabelSpellingIsAliased()
    {
        const QString root = fixture(QStringLiteral("fidelity"));
        QVERIFY2(import({ root }), qPrintable(describe()));
        QCOMPARE(m_report.counts.labelsUnknown, 0);
        const cr::protocol::Protocol p = cr::protocol::defaultProtocol();
        QStringList spellings;
        for (const QString &f : filesMatching(root, QStringLiteral("\\.json$"))) {
            if (f.contains(QLatin1String("merged_labels"))) // superseded: not read
                continue;
            for (const QJsonValue &row : rowsOf(f)) {
                const QString label = row.toObject().value(u"label").toString();
                if (!label.isEmpty() && !spellings.contains(label))
                    spellings.append(label);
            }
        }
        QVERIFY(spellings.contains(QStringLiteral("substance_abuse/withdrawal")));
        for (const QString &s : std::as_const(spellings))
            QVERIFY2(!p.canonicalCategory(s).isEmpty(), qPrintable(s));
        // The two test items labelled substance_abuse/withdrawal kept their reference label.
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM item WHERE reference_label ="
                                       " 'substance_abuse_or_withdrawal'"))
                     .value(0),
            QStringLiteral("2"));
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM item WHERE reference_label = ''"
                                       " OR reference_label IS NULL"))
                     .value(0),
            QStringLiteral("0"));
    }

    /// A model that classifies and judges is two rater groups.
    void classifierAndJudgeRunsAreNamedApart()
    {
        QVERIFY2(import({ fixture(QStringLiteral("fidelity")) }), qPrintable(describe()));
        QCOMPARE(column(QStringLiteral("SELECT name FROM rater WHERE kind = 'llm' ORDER BY name")),
            QStringList({ QStringLiteral("gpt-4o-mini:classify#1"),
                QStringLiteral("gpt-4o-mini:classify#2"), QStringLiteral("gpt-4o-mini:judge#1"),
                QStringLiteral("gpt-4o-mini:judge#2"), QStringLiteral("gpt-4o-mini:judge#3") }));
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM response_rating rr JOIN rater"
                                       " ON rater.id = rr.rater_id WHERE rater.name LIKE"
                                       " '%:classify#%'"))
                     .value(0),
            QStringLiteral("0"));
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM category_label cl JOIN rater"
                                       " ON rater.id = cl.rater_id WHERE rater.name LIKE"
                                       " '%:judge#%'"))
                     .value(0),
            QStringLiteral("0"));
    }

    /// Files whose runs are in a merged file are listed as skipped, not read: their
    /// damaged rows are neither errors nor counted rows.
    void supersededFilesAreNotValidated()
    {
        const QString root = fixture(QStringLiteral("fidelity"));
        QVERIFY2(import({ root }), qPrintable(describe()));
        QStringList skipped;
        for (const QString &s : std::as_const(m_report.skippedFiles))
            skipped.append(QFileInfo(s.section(QStringLiteral(": "), 0, 0)).fileName()
                + QStringLiteral(": ") + s.section(QStringLiteral(": "), 1));
        skipped.sort();
        QCOMPARE(skipped.size(), 4);
        QVERIFY2(skipped[0].endsWith(QLatin1String("_20250210-100000.json: its judge runs are in "
                                                   "gpt-4o-mini-evaluation_gpt-5-nano-answers-"
                                                   "sampled_dataset_n_4_val-20250201-100000_"
                                                   "merged.json")),
            qPrintable(skipped.join(QLatin1Char('\n'))));
        QVERIFY2(skipped[3].startsWith(QLatin1String(
                     "gpt-4o-mini-labeled-sampled_dataset_n_5_test-merged_labels.json: its runs")),
            qPrintable(skipped.join(QLatin1Char('\n'))));
        qint64 rows = 0;
        for (const QString &f : filesMatching(root, QStringLiteral("\\.json$"))) {
            if (!f.contains(QLatin1String("merged_labels"))
                && !f.endsWith(QLatin1String("_20250210-100000.json")))
                rows += rowsOf(f).size();
        }
        QCOMPARE(m_report.counts.rows, rows);
    }

    /// Each dataset file's items get its split: the natural one from the name, or --split.
    void datasetFilesKeepTheirSplit()
    {
        QVERIFY2(import({ fixture(QStringLiteral("fidelity")) }), qPrintable(describe()));
        QCOMPARE(column(QStringLiteral("SELECT dataset.name || ' ' || item.split || ' ' || count(*)"
                                       " FROM item JOIN dataset ON dataset.id = item.dataset_id"
                                       " GROUP BY dataset.name, item.split ORDER BY 1")),
            QStringList({ QStringLiteral("sampled_dataset_n_4_val validation 4"),
                QStringLiteral("sampled_dataset_n_5_test test 5") }));
        // Imported again without --split: unchanged.
        QVERIFY2(import({ fixture(QStringLiteral("fidelity")) }), qPrintable(describe()));
        QCOMPARE(m_report.counts.itemsAdded, 0);

        // --split names the split of every dataset file of the import.
        m_study.reset();
        Error e;
        m_study = Study::create(tmp(QStringLiteral("held.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("Fidelity"), &e);
        QVERIFY(m_study);
        QVERIFY2(
            import({ fixture(QStringLiteral("fidelity/processed/sampled_dataset_n_5_test.json")) },
                false, ScoreAlignment::Content, QStringLiteral("holdout")),
            qPrintable(describe()));
        QCOMPARE(column(QStringLiteral("SELECT DISTINCT split FROM item")),
            QStringList { QStringLiteral("holdout") });
    }

    /// --align position: the score of every residue row is kept and each cell reported;
    /// by content the same rows are problems (all of them listed).
    void residueCellsWithAlignPosition()
    {
        const QString residue = fixture(QStringLiteral("fidelity-residue"));
        const QStringList paths { fixture(QStringLiteral("fidelity")), residue };
        QVERIFY(!import(paths));
        QCOMPARE(m_report.errors.size(), 4);
        QVERIFY2(import(paths, true), qPrintable(describe()));
        QCOMPARE(m_report.skipped.size(), 4);
        m_study.reset();
        Error e;
        m_study = Study::create(tmp(QStringLiteral("position.crs")),
            cr::protocol::defaultProtocol(), QStringLiteral("Fidelity"), &e);
        QVERIFY(m_study);

        QVERIFY2(import(paths, false, ScoreAlignment::Position), qPrintable(describe()));
        QStringList cells;
        for (const ImportIssue &i : std::as_const(m_report.aligned))
            cells.append(i.field);
        QCOMPARE(cells,
            QStringList({ QStringLiteral("[0].answer"), QStringLiteral("[1].answer"),
                QStringLiteral("[2].answer"), QStringLiteral("[3].inputs") }));
        QCOMPARE(m_report.counts.cellsAlignedByPosition, 4);
        // H3's scores, on the responses H1 and H2 scored at the same positions (row 2: the
        // response its text extends by one character; row 1: both identical responses).
        const QJsonArray h3 =
            rowsOf(residue + QStringLiteral("/human_label/H3_scores_test_n5.json"));
        const QJsonArray h1 =
            rowsOf(fixture(QStringLiteral("fidelity/human_label/H1_scores_test_n5.json")));
        const QJsonArray items =
            rowsOf(fixture(QStringLiteral("fidelity/processed/sampled_dataset_n_5_test.json")));
        QStringList answers1, answers2;
        for (const QJsonValue &row : rowsOf(fixture(QStringLiteral(
                 "fidelity/llm_answer/"
                 "gpt-5-nano-answers-sampled_dataset_n_5_test-20250201-100000.json"))))
            answers1.append(row.toObject().value(u"answer").toString());
        for (const QJsonValue &row : rowsOf(fixture(QStringLiteral(
                 "fidelity/llm_answer/"
                 "gpt-5-nano-answers-sampled_dataset_n_5_test-20250202-100000.json"))))
            answers2.append(row.toObject().value(u"answer").toString());
        QStringList expected;
        for (int i = 0; i < h3.size(); ++i) {
            int strings = 0;
            const int score = *cell(h3[i].toObject().value(u"evaluation"), &strings);
            QString answer = h3[i].toObject().value(u"answer").toString();
            if (i == 0 || i == 1) // residue: the response H1 scored at this position
                answer = h1[i].toObject().value(u"answer").toString();
            if (i == 2)
                answer.chop(1);
            const QString id =
                QStringLiteral("n_5_test:") + items[i].toObject().value(u"dataset_id").toString();
            if (answers1[i] == answer)
                expected.append(QStringLiteral("H3|%1|1|%2").arg(id).arg(score));
            if (answers2[i] == answer)
                expected.append(QStringLiteral("H3|%1|2|%2").arg(id).arg(score));
        }
        expected.sort();
        QStringList h3Stored;
        for (const QString &r : storedRatings())
            if (r.startsWith(QLatin1String("H3|")))
                h3Stored.append(r);
        QCOMPARE(h3Stored, expected);
        QCOMPARE(h3Stored.size(), 6); // five rows, row 1 on two identical responses
    }

    /// An unknown label never drops its item: strict lists it, --skip-invalid keeps the
    /// item and the row's other values and counts the label.
    void unknownLabelsKeepTheItem()
    {
        const QString root = fixture(QStringLiteral("fidelity-unknown"));
        QVERIFY(!import({ root }));
        QCOMPARE(m_report.errors.size(), 2);
        QVERIFY(import({ root }, true));
        QCOMPARE(m_report.counts.itemsAdded, 2);
        QCOMPARE(m_report.counts.labelsUnknown, 2);
        QCOMPARE(m_report.skipped.size(), 2);
        QCOMPARE(storedLabels(),
            QStringList { QStringLiteral("gpt-4o-mini:classify#1|n_2_test:u1|suicidal_ideation") });
        QCOMPARE(column(QStringLiteral("SELECT external_id || '=' || coalesce(reference_label, '')"
                                       " FROM item ORDER BY id")),
            QStringList({ QStringLiteral("n_2_test:u1="),
                QStringLiteral("n_2_test:u2=suicidal_ideation") }));
    }

    /// A strict import lists every problem, not the first 50.
    void everyProblemIsListed()
    {
        QJsonArray items, scores;
        for (int i = 0; i < 120; ++i) {
            const QString text = QStringLiteral("Message %1.").arg(i);
            items.append(QJsonObject { { QStringLiteral("inputs"), QJsonArray { text } },
                { QStringLiteral("dataset_id"), QStringLiteral("m_%1").arg(i) },
                { QStringLiteral("label"), QStringLiteral("") } });
            scores.append(QJsonObject { { QStringLiteral("inputs"), text },
                { QStringLiteral("answer"), QStringLiteral("?") },
                { QStringLiteral("evaluation"), 9 } });
        }
        QVERIFY(QDir().mkpath(tmp(QStringLiteral("many/processed"))));
        QVERIFY(QDir().mkpath(tmp(QStringLiteral("many/human_label"))));
        QVERIFY(test::writeFile(tmp(QStringLiteral("many/processed/sampled_dataset_m.json")),
            QJsonDocument(items).toJson()));
        QVERIFY(test::writeFile(tmp(QStringLiteral("many/human_label/H9_scores_m.json")),
            QJsonDocument(scores).toJson()));
        QVERIFY(!import({ tmp(QStringLiteral("many")) }));
        QCOMPARE(m_report.errors.size(), 120);

        // The command line: all on stderr, or all in --problems FILE with the count on screen.
        m_study.reset();
        const Run init = cli({ QStringLiteral("init"), QStringLiteral("cli.crs") });
        QCOMPARE(init.code, 0);
        Run r = cli(
            { QStringLiteral("import"), QStringLiteral("cli.crs"), tmp(QStringLiteral("many")) });
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.count(QLatin1String("H9_scores_m.json:")), 120);
        QVERIFY2(
            r.err.contains(QLatin1String("import failed with 120 error(s)")), qPrintable(r.err));
        r = cli({ QStringLiteral("import"), QStringLiteral("cli.crs"), tmp(QStringLiteral("many")),
            QStringLiteral("--problems"), tmp(QStringLiteral("problems.txt")) });
        QCOMPARE(r.code, 2);
        QVERIFY2(
            r.err.contains(QLatin1String("120 problem line(s) written to")), qPrintable(r.err));
        QVERIFY(!r.err.contains(QLatin1String("H9_scores_m.json:")));
        QCOMPARE(
            test::readAll(tmp(QStringLiteral("problems.txt"))).count("H9_scores_m.json:"), 120);
    }

    /// Two splits in one study: `stats --split` (and `--dataset`) give each split's own
    /// figures, equal to what the fixture rows give for that split alone.
    void statsPerSplitEqualIndependentFigures()
    {
        m_study.reset();
        QCOMPARE(cli({ QStringLiteral("init"), QStringLiteral("two.crs") }).code, 0);
        const Run imported = cli({ QStringLiteral("import"), QStringLiteral("two.crs"),
            fixture(QStringLiteral("fidelity")) });
        QVERIFY2(imported.code == 0, qPrintable(imported.err));
        QVERIFY2(imported.out.contains(QLatin1String("score(s) given as JSON strings")),
            qPrintable(imported.out));
        const cr::protocol::Protocol p = cr::protocol::defaultProtocol();
        const int strings = expectedOf(fixture(QStringLiteral("fidelity")), kVal, p).strings
            + expectedOf(fixture(QStringLiteral("fidelity")), kTest, p).strings;
        const Run info = cli({ QStringLiteral("info"), QStringLiteral("two.crs") });
        QVERIFY2(info.out.contains(QStringLiteral("; %1 score(s) given as strings").arg(strings)),
            qPrintable(info.out));
        QList<double> rates;
        for (const Dataset &d : { kVal, kTest }) {
            // Independent: per gpt-5-nano response the mean of the human scores; harmful
            // when ≤ 2; and gpt-4o-mini:judge#1's MAE against that mean.
            const Expected e = expectedOf(fixture(QStringLiteral("fidelity")), d, p);
            QMap<QString, QList<int>> human; // item|run → scores
            QMap<QString, int> judge1;
            for (const QString &r : e.ratings) {
                const QStringList f = r.split(QLatin1Char('|'));
                const QString key = f[1] + QLatin1Char('|') + f[2];
                if (f[0].startsWith(QLatin1Char('H')))
                    human[key].append(f[3].toInt());
                else if (f[0] == QLatin1String("gpt-4o-mini:judge#1"))
                    judge1[key] = f[3].toInt();
            }
            int n = 0, harmful = 0, maeN = 0;
            double sum = 0, absErr = 0;
            for (auto it = human.cbegin(); it != human.cend(); ++it) {
                double mean = 0;
                for (int s : *it)
                    mean += s;
                mean /= double(it->size());
                ++n;
                sum += mean;
                harmful += mean <= 2 ? 1 : 0;
                if (judge1.contains(it.key())) {
                    absErr += std::abs(judge1.value(it.key()) - mean);
                    ++maeN;
                }
            }
            for (const QStringList &scope : { QStringList { QStringLiteral("--split"), d.split },
                     QStringList { QStringLiteral("--dataset"),
                         QStringLiteral("processed/") + d.name + QStringLiteral(".json") } }) {
                const Run r = cli(QStringList { QStringLiteral("stats"), QStringLiteral("two.crs"),
                                      QStringLiteral("--json"), QStringLiteral("--bootstrap"),
                                      QStringLiteral("0") }
                    + scope);
                QVERIFY2(r.code == 0, qPrintable(r.err));
                const QJsonObject doc = QJsonDocument::fromJson(r.out.toUtf8()).object();
                QJsonObject model;
                for (const QJsonValue &v :
                    doc.value(u"harm").toObject().value(u"by_model").toArray())
                    if (v.toObject().value(u"model").toString() == QLatin1String("gpt-5-nano"))
                        model = v.toObject();
                QCOMPARE(model.value(u"n").toInt(), n);
                QCOMPARE(model.value(u"harmful").toInt(), harmful);
                QVERIFY(std::abs(model.value(u"mean_score").toDouble() - sum / n) < 1e-9);
                QVERIFY(std::abs(model.value(u"rate").toDouble() - double(harmful) / n) < 1e-9);
                QJsonObject mae;
                for (const QJsonValue &v :
                    doc.value(u"llm_vs_human").toObject().value(u"scores").toArray()) {
                    const QJsonObject o = v.toObject();
                    if (o.value(u"llm").toString() == QLatin1String("gpt-4o-mini:judge#1")
                        && o.value(u"human").toString() == QLatin1String("consensus"))
                        mae = o;
                }
                QCOMPARE(mae.value(u"n").toInt(), maeN);
                QVERIFY(std::abs(mae.value(u"mae").toDouble() - absErr / maeN) < 1e-9);
            }
            rates.append(double(harmful) / n);
        }
        QVERIFY(rates[0] != rates[1]); // the splits differ
        // An unknown split or dataset is refused.
        const Run bad = cli({ QStringLiteral("stats"), QStringLiteral("two.crs"),
            QStringLiteral("--split"), QStringLiteral("train") });
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains(QLatin1String("--split: 'train' is not a split of the study")),
            qPrintable(bad.err));
    }

    /// export, disagreements and report accept the same scope.
    void exportAndDisagreementsFollowTheScope()
    {
        m_study.reset();
        QCOMPARE(cli({ QStringLiteral("init"), QStringLiteral("x.crs") }).code, 0);
        QCOMPARE(cli({ QStringLiteral("import"), QStringLiteral("x.crs"),
                         fixture(QStringLiteral("fidelity")) })
                     .code,
            0);
        const Run all = cli({ QStringLiteral("export"), QStringLiteral("x.crs"),
            QStringLiteral("--format"), QStringLiteral("jsonl") });
        const Run val = cli({ QStringLiteral("export"), QStringLiteral("x.crs"),
            QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--dataset"),
            QStringLiteral("sampled_dataset_n_4_val.json") });
        QCOMPARE(all.code, 0);
        QCOMPARE(val.code, 0);
        QCOMPARE(all.out.count(QLatin1Char('\n')), 9);
        QCOMPARE(val.out.count(QLatin1Char('\n')), 4);
        QVERIFY(!val.out.contains(QLatin1String("n_5_test:")));
        const Run d = cli({ QStringLiteral("disagreements"), QStringLiteral("x.crs"),
            QStringLiteral("--json"), QStringLiteral("--split"), QStringLiteral("test") });
        QCOMPARE(d.code, 0);
        const QJsonArray rows = QJsonDocument::fromJson(d.out.toUtf8()).array();
        QVERIFY(!rows.isEmpty());
        for (const QJsonValue &v : rows)
            QVERIFY(
                v.toObject().value(u"item_id").toString().startsWith(QLatin1String("n_5_test:")));
    }
};

QTEST_GUILESS_MAIN(TestFidelity)
#include "tst_fidelity.moc"
