// A first import into an empty study is written with a rollback journal instead of the WAL
// (storage::BulkLoadJournal). Killing the import at any moment must leave the study as it
// was (no items, audit log intact, WAL mode again on the next open), and the same import run
// to its end stores everything.
#include "storage/auditlog.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "tests/storage/testutil.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>

using namespace cr::storage;
namespace test = cr::test;

namespace {

QString binary()
{
    return test::binaryDir() + QStringLiteral("/app/crisis-review");
}

// Big enough that the import reports progress below 100% on a fast quiet machine (it
// prints its first line after 300 ms): 160,000 items take about 1.8 s to import.
constexpr int kItems = 160000;

/// `n` items of some 400 characters each, two responses per item.
QByteArray itemsJsonl(int n)
{
    QByteArray out;
    const QByteArray filler = QByteArray(360, 'w').replace('w', "lorem ipsum ").left(360);
    for (int i = 1; i <= n; ++i)
        out += "{\"item_id\": \"kill-" + QByteArray::number(i) + "\", \"text\": \"Message " + filler
            + "\", \"responses\": [{\"model\": \"model-a\", \"text\": \"" + filler
            + "\"}, {\"model\": \"model-b\", \"text\": \"short\"}]}\n";
    return out;
}

QString journalMode(const Study &study)
{
    QSqlQuery q(study.database());
    return q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next() ? q.value(0).toString()
                                                                     : QString();
}

} // namespace

class TestImportKill final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    int runCli(const QStringList &args)
    {
        QProcess p;
        p.start(binary(), args);
        if (!p.waitForFinished(120000))
            return -1;
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(test::writeFile(path(QStringLiteral("items.jsonl")), itemsJsonl(kItems)));
    }

    void killedFirstImportLeavesTheStudyEmpty()
    {
        const int kills = 3;
        for (int k = 0; k < kills; ++k) {
            const QString study = path(QStringLiteral("k%1.crisis").arg(k));
            QCOMPARE(runCli({ QStringLiteral("init"), study }), 0);
            QProcess p;
            p.setProcessChannelMode(QProcess::SeparateChannels);
            p.start(
                binary(), { QStringLiteral("import"), study, path(QStringLiteral("items.jsonl")) });
            QVERIFY(p.waitForStarted(10000));
            // Kill once the import has reported progress (it is writing rows by then),
            // a little later each round.
            // The line must say less than 100%: at 100% the whole file is read and the
            // import may be committing (or done), which is not the case under test.
            QByteArray err;
            static const QRegularExpression progress(QStringLiteral("import: (\\d+)%"));
            int percent = -1;
            while (percent < 0 && p.state() == QProcess::Running) {
                p.waitForReadyRead(100);
                err += p.readAllStandardError();
                const QRegularExpressionMatch m = progress.match(QString::fromUtf8(err));
                if (m.hasMatch())
                    percent = m.captured(1).toInt();
            }
            if (percent < 0 || percent >= 100)
                QSKIP(
                    "the import read the whole file before it could be killed (machine too fast)");
            QTest::qWait(20 * k);
            if (p.state() != QProcess::Running)
                QSKIP("the import finished before it could be killed (machine too fast)");
            QCOMPARE(::kill(pid_t(p.processId()), SIGKILL), 0);
            QVERIFY(p.waitForFinished(10000));
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);

            Error e;
            auto opened = Study::open(study, &e);
            QVERIFY2(opened, qPrintable(e.message));
            QCOMPARE(ItemRepository(*opened).count(), 0);
            QCOMPARE(test::tableCounts(opened->database()).value(QStringLiteral("response")), 0);
            QCOMPARE(journalMode(*opened), QStringLiteral("wal"));
            VerifyResult r;
            QVERIFY(verifyAuditLog(*opened, VerifyScope::Full, &r, &e));
            QVERIFY2(r.ok, qPrintable(r.problem));
            opened.reset();
            QVERIFY(!QFile::exists(study + QStringLiteral("-journal")));

            // The same import, not killed, stores every item.
            QCOMPARE(
                runCli({ QStringLiteral("import"), study, path(QStringLiteral("items.jsonl")) }),
                0);
            opened = Study::open(study, &e);
            QVERIFY2(opened, qPrintable(e.message));
            QCOMPARE(ItemRepository(*opened).count(), kItems);
            QCOMPARE(journalMode(*opened), QStringLiteral("wal"));
        }
    }
};

QTEST_GUILESS_MAIN(TestImportKill)
#include "tst_importkill.moc"
