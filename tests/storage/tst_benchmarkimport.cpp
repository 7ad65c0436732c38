#include "protocol/protocol.h"
#include "storage/benchmarkimporter.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "tests/storage/testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

QString fixture(const QString &name)
{
    return test::sourceDir() + QStringLiteral("/tests/data/benchmark/") + name;
}

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

} // namespace

class TestBenchmarkImport : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Study> m_study;
    ImportReport m_report;
    Error m_error;

    QString tmp(const QString &name) const { return m_dir->filePath(name); }

    bool import(const QStringList &paths, bool skipInvalid = false,
        ImportFormat format = ImportFormat::Benchmark)
    {
        ImportOptions options;
        options.format = format;
        options.skipInvalid = skipInvalid;
        return Importer(*m_study).run(paths, options, &m_report, &m_error);
    }

    QString describe() const
    {
        QString s = m_error.message;
        for (const ImportIssue &i : m_report.errors)
            s += QLatin1Char('\n') + i.toString();
        return s;
    }

    QVariant scalar(const QString &sql, const QVariantList &values = {}) const
    {
        QSqlQuery q(m_study->database());
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (q.exec() && q.next())
            return q.value(0);
        return {};
    }

    /// The score `rater` gave the response, -1 when there is no rating.
    int score(const QString &rater, const QString &item, const QString &model, int run) const
    {
        const QVariant v = scalar(
            QStringLiteral(
                "SELECT rr.score FROM response_rating rr JOIN rater ON rater.id = rr.rater_id"
                " JOIN response r ON r.id = rr.response_id JOIN item ON item.id = r.item_id"
                " JOIN model m ON m.id = r.model_id"
                " WHERE rater.name = ? AND item.external_id = ? AND m.name = ? AND r.run = ?"),
            { rater, item, model, run });
        return v.isValid() ? v.toInt() : -1;
    }

    QString label(const QString &rater, const QString &item) const
    {
        return scalar(QStringLiteral("SELECT category FROM category_label cl"
                                     " JOIN rater ON rater.id = cl.rater_id"
                                     " JOIN item ON item.id = cl.item_id"
                                     " WHERE rater.name = ? AND item.external_id = ?"),
            { rater, item })
            .toString();
    }

    std::optional<Response> response(const QString &item, const QString &model, int run) const
    {
        const auto i = ItemRepository(*m_study).byExternalId(item);
        if (!i)
            return std::nullopt;
        for (const Response &r : ItemRepository(*m_study).responses(i->id))
            if (r.modelName == model && r.run == run)
                return r;
        return std::nullopt;
    }

    QMap<QString, qint64> dataCounts() const
    {
        QMap<QString, qint64> all = test::tableCounts(m_study->database());
        all.remove(QStringLiteral("event"));
        all.remove(QStringLiteral("import_run"));
        all.remove(QStringLiteral("import_issue"));
        return all;
    }

    /// A copy of the good fixture in the temporary folder, one file edited.
    QString editedCopy(const QString &file, const QByteArray &from, const QByteArray &to)
    {
        const QString root = tmp(QStringLiteral("copy"));
        if (!copyTree(fixture(QStringLiteral("good")), root))
            return {};
        QByteArray bytes = test::readAll(root + QLatin1Char('/') + file);
        const qsizetype at = bytes.indexOf(from);
        if (at < 0)
            return {};
        bytes.replace(at, from.size(), to);
        if (!test::writeFile(root + QLatin1Char('/') + file, bytes))
            return {};
        return root;
    }

    /// Every label and score in the study, one sortable line each.
    QString allRatings() const
    {
        return scalar(
            QStringLiteral(
                "SELECT group_concat(x, ';') FROM (SELECT x FROM ("
                " SELECT rater.name || '|' || item.external_id || '|' || m.name || '|' || r.run || "
                "'|'"
                "  || coalesce(rr.score, '-') AS x FROM response_rating rr"
                "  JOIN rater ON rater.id = rr.rater_id JOIN response r ON r.id = rr.response_id"
                "  JOIN item ON item.id = r.item_id JOIN model m ON m.id = r.model_id"
                " UNION ALL SELECT rater.name || '|' || item.external_id || '|' || cl.category"
                "  FROM category_label cl JOIN rater ON rater.id = cl.rater_id"
                "  JOIN item ON item.id = cl.item_id) ORDER BY x)"))
            .toString();
    }

    void newStudy(const QString &name)
    {
        m_study.reset();
        Error e;
        m_study = Study::create(
            tmp(name), cr::protocol::defaultProtocol(), QStringLiteral("Benchmark"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        Error e;
        m_study = Study::create(tmp(QStringLiteral("s.crs")), cr::protocol::defaultProtocol(),
            QStringLiteral("Benchmark"), &e);
        QVERIFY2(m_study, qPrintable(e.message));
        m_report = {};
        m_error = {};
    }

    void cleanup()
    {
        m_study.reset();
        m_dir.reset();
    }

    void importsTheFolder()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        const ImportCounts &c = m_report.counts;
        QCOMPARE(c.itemsAdded, 6);
        QCOMPARE(c.responsesAdded, 30); // gpt-5-nano 3 runs, deepseek-chat 1, llama 1 (judge files)
        QCOMPARE(c.modelsAdded, 3);
        // H1, H2, gpt-4o-mini:classify#1..2, gpt-4o-mini:judge#1..3, gpt-5-nano:classify#1..3
        QCOMPARE(c.ratersAdded, 10);
        QCOMPARE(c.labelsAdded, 42);
        QCOMPARE(c.ratingsAdded, 39);
        QCOMPARE(c.scoresMissing, 3);
        QVERIFY(m_report.skipped.isEmpty());
        QCOMPARE(m_report.modelRuns,
            QStringList({ QStringLiteral("deepseek-chat: 1 run(s) (sampled_dataset_n_6_test)"),
                QStringLiteral("gpt-5-nano: 3 run(s) (sampled_dataset_n_6_test)"),
                QStringLiteral("meta-llama-Llama-4-Scout-17B-16E-Instruct: 1 run(s) "
                               "(sampled_dataset_n_6_test)") }));
        QStringList skipped;
        for (const QString &s : std::as_const(m_report.skippedFiles))
            skipped.append(QFileInfo(s.section(QStringLiteral(": "), 0, 0)).fileName());
        skipped.sort();
        QCOMPARE(skipped,
            QStringList({ QStringLiteral("README.md"),
                QStringLiteral(
                    "TEMP_gpt-5-nano-answers-sampled_dataset_n_6_test-20250104-000000.json"),
                QStringLiteral("gpt-4o-mini-labeled-sampled_dataset_n_6_test-merged-labels.json"),
                QStringLiteral("sampled_lowest_scores_n6.json") }));
        const auto h1 = RaterRepository(*m_study).byName(QStringLiteral("H1"));
        QVERIFY(h1);
        QCOMPARE(toString(h1->kind), QStringLiteral("human"));
        const auto judge = RaterRepository(*m_study).byName(QStringLiteral("gpt-4o-mini:judge#3"));
        QVERIFY(judge);
        QCOMPARE(toString(judge->kind), QStringLiteral("llm"));
    }

    void valuesLandOnTheRightResponses()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        // Runs in timestamp order: run 2 is the file stamped 20250102.
        const auto r2 =
            response(QStringLiteral("n_6_test:hugg_1"), QStringLiteral("gpt-5-nano"), 2);
        QVERIFY(r2);
        QVERIFY(r2->text.endsWith(QLatin1String("(gpt-5-nano, run 2)")));
        QCOMPARE(r2->tokens, std::optional<int>(40));
        // Human scores, matched by the scored text.
        QCOMPARE(score(QStringLiteral("H1"), QStringLiteral("n_6_test:hugg_1"),
                     QStringLiteral("gpt-5-nano"), 2),
            5);
        QCOMPARE(score(QStringLiteral("H1"), QStringLiteral("n_6_test:red_8"),
                     QStringLiteral("gpt-5-nano"), 1),
            1);
        // NaN is "not scored", not zero.
        QCOMPARE(score(QStringLiteral("H1"), QStringLiteral("n_6_test:kag_4"),
                     QStringLiteral("gpt-5-nano"), 3),
            -1);
        // Judge runs of a merged file: one LLM rater per run.
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#1"), QStringLiteral("n_6_test:hugg_1"),
                     QStringLiteral("gpt-5-nano"), 1),
            4);
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#2"), QStringLiteral("n_6_test:hugg_1"),
                     QStringLiteral("gpt-5-nano"), 1),
            5);
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#2"), QStringLiteral("n_6_test:red_8"),
                     QStringLiteral("gpt-5-nano"), 1),
            -1);
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#3"), QStringLiteral("n_6_test:red_8"),
                     QStringLiteral("gpt-5-nano"), 1),
            2);
        QCOMPARE(
            scalar(
                QStringLiteral(
                    "SELECT rationale FROM response_rating rr JOIN rater ON rater.id = rr.rater_id"
                    " JOIN response r ON r.id = rr.response_id JOIN model m ON m.id = r.model_id"
                    " WHERE rater.name = 'gpt-4o-mini:judge#1' AND m.name = 'gpt-5-nano'"
                    " ORDER BY rr.id LIMIT 1"))
                .toString(),
            QStringLiteral("Judge rationale for item 0."));
        // Separate judge-run files count in time order of their evaluation stamp;
        // the judged model's responses come from the judge files.
        const QString llama = QStringLiteral("meta-llama-Llama-4-Scout-17B-16E-Instruct");
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#1"), QStringLiteral("n_6_test:red_8"),
                     llama, 1),
            2);
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#2"), QStringLiteral("n_6_test:red_8"),
                     llama, 1),
            1);
        QCOMPARE(score(QStringLiteral("gpt-4o-mini:judge#1"), QStringLiteral("n_6_test:kag_3"),
                     llama, 1),
            -1);
        QVERIFY(response(QStringLiteral("n_6_test:kag_4"), llama, 1));
    }

    void apiErrorAnswerIsARefusal()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        const auto r =
            response(QStringLiteral("n_6_test:kag_3"), QStringLiteral("deepseek-chat"), 1);
        QVERIFY(r);
        QVERIFY(r->refusal);
        QCOMPARE(r->text,
            QStringLiteral("The response was filtered due to the prompt triggering the provider's "
                           "content management policy."));
        QCOMPARE(r->tokens, std::optional<int>());
        // A human scored the refusal: matched by its message.
        QCOMPARE(score(QStringLiteral("H1"), QStringLiteral("n_6_test:kag_3"),
                     QStringLiteral("deepseek-chat"), 1),
            3);
        const auto other =
            response(QStringLiteral("n_6_test:kag_4"), QStringLiteral("deepseek-chat"), 1);
        QVERIFY(other);
        QVERIFY(!other->refusal);
    }

    void labelsFromBothSpellings()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        QCOMPARE(label(QStringLiteral("H1"), QStringLiteral("n_6_test:hugg_1")),
            QStringLiteral("suicidal_ideation"));
        // H2_labelled_…: the alias self_harm becomes the protocol's id.
        QCOMPARE(label(QStringLiteral("H2"), QStringLiteral("n_6_test:kag_3")),
            QStringLiteral("self-harm"));
        // Classifier runs from separate files, in time order.
        QCOMPARE(label(QStringLiteral("gpt-4o-mini:classify#1"), QStringLiteral("n_6_test:red_8")),
            QStringLiteral("anxiety_crisis"));
        QCOMPARE(label(QStringLiteral("gpt-4o-mini:classify#2"), QStringLiteral("n_6_test:red_8")),
            QStringLiteral("no_crisis"));
        // …-merged_labels.json: all_labels, one rater per run.
        QCOMPARE(label(QStringLiteral("gpt-5-nano:classify#2"), QStringLiteral("n_6_test:hugg_1")),
            QStringLiteral("self-harm"));
        QCOMPARE(label(QStringLiteral("gpt-5-nano:classify#3"), QStringLiteral("n_6_test:hugg_1")),
            QStringLiteral("suicidal_ideation"));
    }

    void duplicateConversationsStayApart()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        const auto a = ItemRepository(*m_study).byExternalId(QStringLiteral("n_6_test:hugg_2"));
        const auto b = ItemRepository(*m_study).byExternalId(QStringLiteral("n_6_test:red_8"));
        QVERIFY(a && b);
        QVERIFY(a->id != b->id);
        QCOMPARE(a->turns, b->turns);
        QCOMPARE(a->dataset, QStringLiteral("sampled_dataset_n_6_test"));
    }

    void referenceLabels()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        auto ref = [this](const char *id) {
            return ItemRepository(*m_study).byExternalId(QString::fromLatin1(id))->referenceLabel;
        };
        QCOMPARE(ref("n_6_test:hugg_1"), QStringLiteral("suicidal_ideation")); // the dataset's own
        QCOMPARE(ref("n_6_test:kag_4"),
            QStringLiteral("substance_abuse_or_withdrawal")); // human majority
        QCOMPARE(m_report.notices.size(), 1);
        QVERIFY2(m_report.notices.first().contains(QLatin1String("reference label of 1 item(s)")),
            qPrintable(m_report.notices.first()));
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM rater WHERE name LIKE 'human%'")).toInt(),
            0);
    }

    void importsInStagesLikeAllAtOnce()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        const auto once = dataCounts();
        const QString ratingsOnce = allRatings();
        QVERIFY(ratingsOnce.count(QLatin1Char(';')) == 42 + 39 - 1);

        // A researcher imports the files as they come: the dataset with the first answer
        // files, a later run of gpt-5-nano, the human files, then the LLM files. The
        // human scorer H1 wrote "Zoë" with a combining diaeresis (NFD), the answers
        // file and H2 with the precomposed letter (NFC): the same text.
        const QString root = tmp(QStringLiteral("stages"));
        QVERIFY(copyTree(fixture(QStringLiteral("good")), root));
        const auto edit = [&](const QString &file, const QByteArray &to) {
            QByteArray bytes = test::readAll(root + file);
            const qsizetype at = bytes.indexOf("I'm really sorry you");
            QVERIFY(at >= 0);
            bytes.replace(at, 16, to);
            QVERIFY(test::writeFile(root + file, bytes));
        };
        const QString answers =
            QStringLiteral("/llm_answer/gpt-5-nano-answers-sampled_dataset_n_6_test-");
        edit(answers + QStringLiteral("20250102-090000.json"), "I'm really sorry, Zo\xc3\xab,");
        edit(QStringLiteral("/human_label/H2_scores_n6_s42.json"), "I'm really sorry, Zo\xc3\xab,");
        edit(
            QStringLiteral("/human_label/H1_scores_n6_s42.json"), "I'm really sorry, Zoe\xcc\x88,");
        newStudy(QStringLiteral("staged.crs"));
        const QStringList stages[] = {
            { root + QStringLiteral("/processed"),
                root + answers + QStringLiteral("20250101-100000.json"),
                root + answers + QStringLiteral("20250102-090000.json"),
                root
                    + QStringLiteral(
                        "/llm_answer/"
                        "deepseek-chat-answers-sampled_dataset_n_6_test-20251105-121458.json") },
            { root + answers + QStringLiteral("20250103-080000.json") },
            { root + QStringLiteral("/human_label") },
            { root + QStringLiteral("/llm_evaluator"), root + QStringLiteral("/llm_label") },
        };
        for (const QStringList &stage : stages)
            QVERIFY2(import(stage),
                qPrintable(stage.join(QLatin1Char(' ')) + QLatin1Char('\n') + describe()));
        QCOMPARE(dataCounts(), once);
        QCOMPARE(allRatings(), ratingsOnce);
        // H1's score of the NFD-spelt answer reached run 2's response (its file's value).
        QCOMPARE(score(QStringLiteral("H1"), QStringLiteral("n_6_test:hugg_1"),
                     QStringLiteral("gpt-5-nano"), 2),
            5);
        QVERIFY(response(QStringLiteral("n_6_test:hugg_1"), QStringLiteral("gpt-5-nano"), 3));
    }

    void filesWithoutTheirDatasetAlignWithTheStudysItems()
    {
        const QString good = fixture(QStringLiteral("good"));
        QVERIFY2(
            import({ good + QStringLiteral("/processed"), good + QStringLiteral("/llm_answer") }),
            qPrintable(describe()));
        const auto items = dataCounts();
        // Classifier labels alone: their `label` is the LLM's, never compared with the items'.
        QVERIFY2(import({ good + QStringLiteral("/llm_label") }), qPrintable(describe()));
        QVERIFY(m_report.counts.labelsAdded > 0);
        QCOMPARE(m_report.counts.itemsAdded, 0);
        // The human majority file alone fills the reference label the dataset lacks.
        QCOMPARE(
            ItemRepository(*m_study).byExternalId(QStringLiteral("n_6_test:kag_4"))->referenceLabel,
            QString());
        QVERIFY2(import({ good
                     + QStringLiteral(
                         "/human_label/human-labeled-sampled_dataset_n6_s42-merged_labels.json") }),
            qPrintable(describe()));
        QCOMPARE(
            ItemRepository(*m_study).byExternalId(QStringLiteral("n_6_test:kag_4"))->referenceLabel,
            QStringLiteral("substance_abuse_or_withdrawal"));
        // Answers, judge files and the dataset again, each alone: nothing changes, no conflict.
        const auto before = dataCounts();
        for (const QString &part :
            { QStringLiteral("/llm_answer"), QStringLiteral("/processed") }) {
            QVERIFY2(import({ good + part }), qPrintable(part + describe()));
            QCOMPARE(dataCounts(), before);
        }
        QVERIFY2(import({ good + QStringLiteral("/llm_evaluator") }), qPrintable(describe()));
        QCOMPARE(m_report.counts.itemsAdded, 0);
        QVERIFY(m_report.counts.ratingsAdded > 0);
        QCOMPARE(dataCounts().value(QStringLiteral("item")), items.value(QStringLiteral("item")));
        QVERIFY2(import({ good + QStringLiteral("/llm_evaluator") }), qPrintable(describe()));
        QCOMPARE(m_report.counts.ratingsAdded, 0);
    }

    void judgeRunFilesInSeparateImportsKeepTheirRuns()
    {
        const QString judge = fixture(
            QStringLiteral("good/llm_evaluator/gpt-4o-mini/n_6/"
                           "gpt-4o-mini-evaluation_meta-llama-Llama-4-Scout-17B-16E-Instruct-"
                           "answers-sampled_dataset_n_6_test-20250105-100000_20250106-"));
        const QString early = judge + QStringLiteral("100000.json"),
                      late = judge + QStringLiteral("120000.json");
        QVERIFY2(
            import({ fixture(QStringLiteral("good/processed")), early }), qPrintable(describe()));
        QVERIFY2(import({ late }), qPrintable(describe()));
        QVERIFY(RaterRepository(*m_study).byName(QStringLiteral("gpt-4o-mini:judge#2")));
        const auto counts = dataCounts();
        QVERIFY2(import({ late }), qPrintable(describe())); // again: unchanged
        QCOMPARE(dataCounts(), counts);
        // The same two files in one import give the same runs.
        const QString both = allRatings();
        newStudy(QStringLiteral("together.crs"));
        QVERIFY2(import({ fixture(QStringLiteral("good/processed")), early, late }),
            qPrintable(describe()));
        QCOMPARE(allRatings(), both);
        // The other way round the earlier evaluation would renumber run 1: refused.
        newStudy(QStringLiteral("reverse.crs"));
        QVERIFY2(
            import({ fixture(QStringLiteral("good/processed")), late }), qPrintable(describe()));
        const auto before = dataCounts();
        QVERIFY(!import({ early }));
        QVERIFY2(m_error.message.contains(QLatin1String("would renumber them")),
            qPrintable(m_error.message));
        QCOMPARE(dataCounts(), before);
    }

    void aConflictWithTheStudyNamesLineAndIndex()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        const QString file = QStringLiteral(
            "llm_answer/gpt-5-nano-answers-sampled_dataset_n_6_test-20250101-100000.json");
        const QString root = editedCopy(
            file, QByteArray("(gpt-5-nano, run 1)"), QByteArray("(gpt-5-nano, run one)"));
        QVERIFY(!root.isEmpty());
        const auto before = dataCounts();
        QVERIFY(!import({ root + QLatin1Char('/') + file }));
        QVERIFY2(m_report.errors.first().toString().startsWith(root + QLatin1Char('/') + file
                     + QStringLiteral(
                         ":2:[0].responses[0].text: response of model 'gpt-5-nano' run 1 to item "
                         "'n_6_test:hugg_1' is already in the study with a different text")),
            qPrintable(m_report.errors.first().toString()));
        QCOMPARE(dataCounts(), before);
    }

    void anEarlierRunAfterALaterOneIsRefused()
    {
        const QString answers =
            fixture(QStringLiteral("good/llm_answer/gpt-5-nano-answers-sampled_dataset_n_6_test-"));
        QVERIFY2(import({ fixture(QStringLiteral("good/processed")),
                     answers + QStringLiteral("20250102-090000.json") }),
            qPrintable(describe()));
        const auto before = dataCounts();
        QVERIFY(!import({ answers + QStringLiteral("20250101-100000.json") }));
        QVERIFY2(m_error.message.contains(QLatin1String("20250101-100000.json"))
                && m_error.message.contains(QLatin1String(
                    "model 'gpt-5-nano' already has run 1 (answers of 20250102090000)"))
                && m_error.message.contains(QLatin1String("would renumber its runs")),
            qPrintable(m_error.message));
        QCOMPARE(dataCounts(), before);
        // ...and a later one becomes the next run.
        QVERIFY2(
            import({ answers + QStringLiteral("20250103-080000.json") }), qPrintable(describe()));
        QCOMPARE(m_report.modelRuns,
            QStringList { QStringLiteral("gpt-5-nano: 2 run(s) (sampled_dataset_n_6_test)") });
        QVERIFY(response(QStringLiteral("n_6_test:hugg_1"), QStringLiteral("gpt-5-nano"), 2)
                    ->text.endsWith(QLatin1String("(gpt-5-nano, run 3)")));
    }

    void anEmptyLabelIsCountedNotStored()
    {
        const QString root = editedCopy(QStringLiteral("human_label/H2_labelled_n6_s42.json"),
            QByteArray("\"label\": \"no_crisis\""), QByteArray("\"label\": \"\""));
        QVERIFY(!root.isEmpty());
        QVERIFY2(import({ root }), qPrintable(describe()));
        QCOMPARE(m_report.counts.labelsMissing, 1);
        QCOMPARE(m_report.counts.labelsAdded, 41);
        QCOMPARE(label(QStringLiteral("H2"), QStringLiteral("n_6_test:red_7")), QString());
    }

    void reimportChangesNothing()
    {
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        const auto before = dataCounts();
        QVERIFY2(import({ fixture(QStringLiteral("good")) }), qPrintable(describe()));
        QCOMPARE(dataCounts(), before);
        QCOMPARE(m_report.counts.itemsAdded, 0);
        QCOMPARE(m_report.counts.itemsUnchanged, 6);
        QCOMPARE(m_report.counts.responsesUnchanged, 30);
        QCOMPARE(m_report.counts.labelsUnchanged, 42);
        QCOMPARE(m_report.counts.ratingsUnchanged, 39);
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM import_run WHERE format = 'benchmark'"))
                .toInt(),
            2);
    }

    void autoFormatTakesAFolder()
    {
        ImportOptions options;
        QVERIFY2(import({ fixture(QStringLiteral("good")) }, false, ImportFormat::Auto),
            qPrintable(describe()));
        QCOMPARE(m_report.counts.itemsAdded, 6);
    }

    void singleFilesWork()
    {
        // Files instead of a folder: the dataset and one answers file.
        const QString good = fixture(QStringLiteral("good"));
        QVERIFY2(import({ good + QStringLiteral("/processed/sampled_dataset_n_6_test.json"),
                     good
                         + QStringLiteral(
                             "/llm_answer/"
                             "gpt-5-nano-answers-sampled_dataset_n_6_test-20250102-090000.json") }),
            qPrintable(describe()));
        QCOMPARE(m_report.counts.itemsAdded, 6);
        QCOMPARE(m_report.counts.responsesAdded, 6);
        QVERIFY(response(QStringLiteral("n_6_test:hugg_1"), QStringLiteral("gpt-5-nano"), 1));
    }

    void namesAsFormatsSpellsThem()
    {
        // FORMATS.md writes "_{timestamp}"; the published files use "-{timestamp}".
        const QString root = tmp(QStringLiteral("layout"));
        const QByteArray row =
            "{\"inputs\": [\"I feel tense.\"], \"dataset_id\": \"a_1\", \"label\": \"\"";
        const QByteArray answer =
            ", \"answer\": \"Let's breathe together.\", \"refusal\": null, \"tokens\": 5";
        QVERIFY(QDir().mkpath(root + QStringLiteral("/processed")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/llm_answer")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/llm_evaluator/judge-x")));
        QVERIFY(test::writeFile(
            root + QStringLiteral("/processed/sampled_dataset_x.json"), "[" + row + "}]"));
        QVERIFY(test::writeFile(root
                + QStringLiteral(
                    "/llm_answer/model-y-answers-sampled_dataset_x_20250101_100000.json"),
            "[" + row + answer + "}]"));
        QVERIFY(test::writeFile(root
                + QStringLiteral(
                    "/llm_evaluator/judge-x/judge-x-evaluation_model-y-answers-sampled_dataset_x_"
                    "20250101_100000_20250102_100000.json"),
            "[" + row + answer + ", \"evaluation\": 4}]"));
        QVERIFY2(import({ root }), qPrintable(describe()));
        QCOMPARE(m_report.counts.responsesAdded, 1);
        QCOMPARE(score(QStringLiteral("judge-x:judge#1"), QStringLiteral("x:a_1"),
                     QStringLiteral("model-y"), 1),
            4);
        QVERIFY(m_report.skippedFiles.isEmpty());
    }

    void mismatches_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("expected"); // after "FILE:"

        const QString h1 = QStringLiteral("human_label/H1_labeled_n6_s42.json");
        QTest::newRow("content mismatch")
            << h1 << QByteArray("I had a good day") << QByteArray("I had a bad day")
            << QStringLiteral("16:[2].inputs: does not match row 2 of "
                              "sampled_dataset_n_6_test.json (\"I had a bad day at "
                              "work today. | Any tip…\" vs \"I had a good day at "
                              "work today. | Any ti…\")");
        QTest::newRow("unknown label")
            << QStringLiteral("human_label/H2_labelled_n6_s42.json")
            << QByteArray("\"label\": \"no_crisis\"") << QByteArray("\"label\": \"sad\"")
            << QStringLiteral("16:[2].label: unknown category 'sad'");
        QTest::newRow("malformed human score")
            << QStringLiteral("human_label/H1_scores_n6_s42.json")
            << QByteArray("\"evaluation\": 5") << QByteArray("\"evaluation\": \"five\"")
            << QStringLiteral("2:[0].evaluation: must be a score 1-5 or NaN, got 'five'");
        QTest::newRow("score out of range")
            << QStringLiteral("human_label/H1_scores_n6_s42.json")
            << QByteArray("\"evaluation\": 5") << QByteArray("\"evaluation\": 3.5")
            << QStringLiteral("2:[0].evaluation: must be a score 1-5, got 3.5");
        const QString merged =
            QStringLiteral("llm_evaluator/gpt-4o-mini/n_6/merged/"
                           "gpt-4o-mini-evaluation_gpt-5-nano-answers-sampled_dataset_n_6_test-"
                           "20250101-100000_merged.json");
        QTest::newRow("malformed judge evaluation")
            << merged << QByteArray("\"evaluation\": 4.333333333333333")
            << QByteArray("\"evaluation\": \"high\"")
            << QStringLiteral("2:[0].evaluation: must be a number or NaN, got a string");
        QTest::newRow("judge answer differs")
            << merged << QByteArray("(gpt-5-nano, run 1)") << QByteArray("(gpt-5-nano, run one)")
            << QStringLiteral(
                   "2:[0].answer: differs from the response of model 'gpt-5-nano' run 1 in "
                   "gpt-5-nano-answers-sampled_dataset_n_6_test-20250101-100000.json");
        QTest::newRow("score matches no response")
            << QStringLiteral("human_label/H2_scores_n6_s42.json")
            << QByteArray("(gpt-5-nano, run 2)") << QByteArray("(gpt-5-nano, run 9)")
            << QStringLiteral("2:[0].answer: matches no response of item 'n_6_test:hugg_1' (\"I'm "
                              "really sorry "
                              "you're feeling this way…\")");
        QTest::newRow("position mismatch")
            << QStringLiteral(
                   "llm_answer/deepseek-chat-answers-sampled_dataset_n_6_test-20251105-121458.json")
            << QByteArray("\"dataset_id\": \"red_8\"") << QByteArray("\"dataset_id\": \"red_9\"")
            << QStringLiteral("41:[3].dataset_id: is 'red_9', row 3 of "
                              "sampled_dataset_n_6_test.json is 'red_8'");
        QTest::newRow("invalid JSON")
            << QStringLiteral(
                   "llm_label/gpt-4o-mini-labeled-sampled_dataset_n_6_test-20250103-100000.json")
            << QByteArray("[") << QByteArray("{") << QStringLiteral("0: invalid JSON: ");
    }

    void mismatches()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, expected);
        const QString root = editedCopy(file, from, to);
        QVERIFY(!root.isEmpty());
        const auto before = dataCounts();
        QVERIFY(!import({ root }));
        QCOMPARE(m_error.kind, ErrorKind::InvalidInput);
        QVERIFY2(!m_report.errors.isEmpty(), qPrintable(m_error.message));
        const QString message = m_report.errors.first().toString();
        const QString prefix = root + QLatin1Char('/') + file + QLatin1Char(':');
        QVERIFY2(message.startsWith(prefix + expected), qPrintable(message));
        QCOMPARE(dataCounts(), before); // nothing imported
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM import_run")).toInt(), 0);
    }

    void damagedRowsFailTheImport()
    {
        const QString damaged = fixture(QStringLiteral("damaged"));
        const auto before = dataCounts();
        QVERIFY(!import({ fixture(QStringLiteral("good")), damaged }));
        QCOMPARE(m_error.kind, ErrorKind::InvalidInput);
        QStringList errors;
        for (const ImportIssue &i : std::as_const(m_report.errors))
            errors.append(i.toString().mid(damaged.size() + 1));
        QCOMPARE(errors,
            QStringList({ QStringLiteral("human_label/H3_scores_n6_s42.json:8:[1].answer: must be "
                                         "the text of the "
                                         "scored response, got an integer"),
                QStringLiteral("human_label/H3_scores_n6_s42.json:14:[2].answer: is empty"),
                QStringLiteral(
                    "human_label/H3_scores_n6_s42.json:20:[3].answer: matches no response of item "
                    "'n_6_test:red_8' (\"#REF!\")"),
                // "NaN" inside a string stays text.
                QStringLiteral(
                    "human_label/H3_scores_n6_s42.json:32:[5].answer: matches no response of item "
                    "'n_6_test:kag_4' (\"NaN\")") }));
        QCOMPARE(dataCounts(), before);
    }

    void skipInvalidImportsTheRestAndStoresTheReport()
    {
        const QString damaged = fixture(QStringLiteral("damaged"));
        QVERIFY2(
            import({ fixture(QStringLiteral("good")), damaged }, true), qPrintable(describe()));
        QCOMPARE(m_report.skipped.size(), 4);
        QCOMPARE(m_report.counts.itemsAdded, 6);
        QCOMPARE(m_report.counts.ratingsAdded, 41); // 39 + H3's two valid rows
        QCOMPARE(score(QStringLiteral("H3"), QStringLiteral("n_6_test:hugg_1"),
                     QStringLiteral("gpt-5-nano"), 1),
            3);
        QCOMPARE(score(QStringLiteral("H3"), QStringLiteral("n_6_test:hugg_2"),
                     QStringLiteral("gpt-5-nano"), 1),
            -1);
        QSqlQuery q(m_study->database());
        QVERIFY(q.exec(
            QStringLiteral("SELECT file, line, field, reason FROM import_issue ORDER BY line")));
        QStringList stored;
        while (q.next())
            stored.append(QStringLiteral("%1:%2:%3")
                              .arg(QFileInfo(q.value(0).toString()).fileName(),
                                  q.value(1).toString(), q.value(2).toString()));
        QCOMPARE(stored,
            QStringList({ QStringLiteral("H3_scores_n6_s42.json:8:[1].answer"),
                QStringLiteral("H3_scores_n6_s42.json:14:[2].answer"),
                QStringLiteral("H3_scores_n6_s42.json:20:[3].answer"),
                QStringLiteral("H3_scores_n6_s42.json:32:[5].answer") }));
    }

    void anUnknownDatasetLabelKeepsTheItem()
    {
        // A dataset row with an unknown label: the label is left out and reported; the item
        // and every value aligned with it stay.
        const QString root = editedCopy(QStringLiteral("processed/sampled_dataset_n_6_test.json"),
            QByteArray("\"label\": \"no_crisis\""), QByteArray("\"label\": \"unsure\""));
        QVERIFY(!root.isEmpty());
        QVERIFY2(import({ root }, true), qPrintable(describe()));
        QCOMPARE(m_report.counts.itemsAdded, 6);
        QCOMPARE(m_report.counts.labelsUnknown, 1);
        const auto item = ItemRepository(*m_study).byExternalId(QStringLiteral("n_6_test:red_7"));
        QVERIFY(item);
        // The human majority file fills the reference label the dataset row could not give.
        QCOMPARE(item->referenceLabel, QStringLiteral("no_crisis"));
        QCOMPARE(m_report.skipped.size(), 1);
        QCOMPARE(m_report.skipped.first().toString(),
            root
                + QStringLiteral("/processed/sampled_dataset_n_6_test.json:18:[2].label: unknown "
                                 "category 'unsure' (the label is left out; the item and the "
                                 "row's other values are kept)"));
        QCOMPARE(m_report.counts.ratingsAdded, 39); // as without the damaged label
        QCOMPARE(m_report.counts.labelsAdded, 42);
    }

    void noBenchmarkFiles()
    {
        QVERIFY(test::writeFile(tmp(QStringLiteral("notes.txt")), "hello\n"));
        QVERIFY(!import({ tmp(QStringLiteral("notes.txt")) }));
        QCOMPARE(m_error.kind, ErrorKind::InvalidInput);
        QVERIFY2(m_error.message.contains(QLatin1String("no files of the benchmark layout found")),
            qPrintable(m_error.message));
    }

    void progressReachesTheEnd()
    {
        ImportOptions options;
        options.format = ImportFormat::Benchmark;
        qint64 lastDone = -1, lastTotal = 0;
        options.progress = [&](qint64 done, qint64 total) {
            lastDone = done;
            lastTotal = total;
        };
        QVERIFY(Importer(*m_study).run(
            { fixture(QStringLiteral("good")) }, options, &m_report, &m_error));
        QVERIFY(lastTotal > 0);
        QCOMPARE(lastDone, lastTotal);
    }
};

QTEST_GUILESS_MAIN(TestBenchmarkImport)
#include "tst_benchmarkimport.moc"
