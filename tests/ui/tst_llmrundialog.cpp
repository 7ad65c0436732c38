// Study ▸ Run LLM… against the fake server on loopback: a run through the job runner with its
// progress bar and counts, Cancel that keeps what is done and resumes, the endpoint editor.
#include "llm/endpoint.h"
#include "storage/study.h"
#include "tests/llm/fakellmserver.h"
#include "tests/llm/llmfixture.h"
#include "ui/llmrundialog.h"
#include "ui/rolepolicy.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

namespace {

qint64 labels(storage::Study &study)
{
    QSqlQuery q(study.database());
    return q.exec(QStringLiteral("SELECT count(*) FROM category_label")) && q.next()
        ? q.value(0).toLongLong()
        : -1;
}

} // namespace

class TestLlmRunDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    void saveProfile(const test::FakeLlmServer &server, int concurrency)
    {
        llm::EndpointProfile e;
        e.name = QStringLiteral("fake");
        e.url = server.baseUrl();
        e.model = QStringLiteral("gui-model");
        e.concurrency = concurrency;
        llm::EndpointStore::save(e);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void runsWithProgressAndCounts()
    {
        test::FakeLlmServer server;
        QVERIFY(server.listen());
        server.addFault({ test::FakeFault::Kind::WrongLabel, QStringLiteral("number 2:"), 1, 1 });
        saveProfile(server, 2);
        auto study = test::makeLlmStudy(
            m_dir.path(), QStringLiteral("a.crisis"), 6, { QStringLiteral("m") });
        QVERIFY(study);
        ui::LlmRunDialog dialog(study.get());
        QSignalSpy changed(&dialog, &ui::LlmRunDialog::studyChanged);
        QCOMPARE(dialog.endpointBox()->currentText(), QStringLiteral("fake"));
        dialog.taskBox()->setCurrentIndex(1); // classify
        QVERIFY(!dialog.modelsEdit()->isEnabled());
        dialog.runsBox()->setValue(2);
        dialog.dryRunButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.statusLabel()->text().startsWith(QLatin1String("12 requests")), 10000);
        QCOMPARE(server.requestCount(), 0);
        dialog.startButton()->click();
        QVERIFY(dialog.cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.statusLabel()->text().startsWith(QLatin1String("Done:")), 20000);
        QCOMPARE(dialog.statusLabel()->text(),
            QStringLiteral("Done: 12 of 12 (0 already before); 0 given up."));
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        QCOMPARE(dialog.progressBar()->maximum(), 12);
        QVERIFY2(dialog.findChildren<QLabel *>().size() >= 2, "rate label");
        bool sawErrors = false;
        for (QLabel *l : dialog.findChildren<QLabel *>())
            sawErrors = sawErrors || l->text().contains(QLatin1String("1 failed attempts"));
        QVERIFY(sawErrors);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(labels(*study), 12);
    }

    void cancelKeepsWhatIsDoneAndResumes()
    {
        test::FakeLlmServer server;
        QVERIFY(server.listen());
        server.setDelayMs(40);
        saveProfile(server, 1);
        auto study = test::makeLlmStudy(
            m_dir.path(), QStringLiteral("b.crisis"), 40, { QStringLiteral("m") });
        QVERIFY(study);
        ui::LlmRunDialog dialog(study.get());
        dialog.taskBox()->setCurrentIndex(1);
        dialog.startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() >= 3, 20000);
        dialog.cancelButton()->click();
        QVERIFY(dialog.statusLabel()->text().startsWith(QLatin1String("Cancelled")));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning() && dialog.startButton()->isEnabled(), 10000);
        QTest::qWait(300); // the worker stops at its next poll and writes what it has
        const qint64 done = labels(*study);
        QVERIFY2(done >= 3 && done < 40, qPrintable(QString::number(done)));
        server.setDelayMs(0);
        dialog.startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.statusLabel()->text().startsWith(QLatin1String("Done:")), 20000);
        QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("already before")),
            qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(labels(*study), 40);
    }

    void onlyResearchersRunLlms()
    {
        using ui::Feature;
        using ui::RolePolicy;
        using ui::SessionRole;
        QVERIFY(RolePolicy(SessionRole::Owner).allows(Feature::RunLlm));
        QVERIFY(RolePolicy(SessionRole::Researcher).allows(Feature::RunLlm));
        QVERIFY(!RolePolicy(SessionRole::Rater).allows(Feature::RunLlm));
        QVERIFY(!RolePolicy(SessionRole::Adjudicator).allows(Feature::RunLlm));
    }

    void endpointEditorKeepsNoKey()
    {
        llm::EndpointStore::remove(QStringLiteral("local")); // settings outlive a test run
        ui::EndpointsDialog dialog;
        dialog.nameEdit()->setText(QStringLiteral("local"));
        dialog.urlEdit()->setText(QStringLiteral("not a url"));
        dialog.modelEdit()->setText(QStringLiteral("llama"));
        QVERIFY(!dialog.saveForm());
        QVERIFY(!llm::EndpointStore::find(QStringLiteral("local")));
        dialog.urlEdit()->setText(QStringLiteral("http://127.0.0.1:8080/v1"));
        dialog.keyEnvEdit()->setText(QStringLiteral("LOCAL_KEY"));
        dialog.concurrencyBox()->setValue(3);
        QVERIFY(dialog.saveForm());
        const auto e = llm::EndpointStore::find(QStringLiteral("local"));
        QVERIFY(e);
        QCOMPARE(e->keyEnv, QStringLiteral("LOCAL_KEY"));
        QCOMPARE(e->concurrency, 3);
        QCOMPARE(e->completionsUrl(), QStringLiteral("http://127.0.0.1:8080/v1/chat/completions"));
        bool listed = false;
        for (int r = 0; r < dialog.table()->rowCount(); ++r)
            listed = listed || dialog.table()->item(r, 0)->text() == QLatin1String("local");
        QVERIFY(listed);
    }
};

QTEST_MAIN(TestLlmRunDialog)
#include "tst_llmrundialog.moc"
