// Kills a rating process with SIGKILL at random moments, many times: every value it
// acknowledged must be stored, and the study file must pass PRAGMA integrity_check.

#include "../storage/testutil.h"
#include "../ui/teststudy.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/types.h>

namespace storage = cr::storage;

class TestDurability : public QObject {
    Q_OBJECT
private slots:
    void sigkillLosesNoAcknowledgedRating()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString path;
        qint64 anaId = 0;
        {
            auto study = crtest::createStudy(dir.path(), 8, &path);
            QVERIFY(study);
            anaId = storage::RaterRepository(*study).byName(QStringLiteral("ana"))->id;
        }
        const QString child = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("cr_durability_child"));
        QVERIFY2(QFile::exists(child), qPrintable(child));

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        // Per "kind id": the last acknowledged value, and a write attempted after it.
        QHash<QString, QString> acknowledged;
        QHash<QString, QString> inFlight;
        QHash<QString, QStringList> history; // per key: "run N: W|A value", for a failure's message
        int acknowledgedTotal = 0;
        const int runs = 25;
        for (int run = 0; run < runs; ++run) {
            QProcess process;
            process.start(child, { path, QStringLiteral("ana"), QString::number(run * 7) });
            QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
            QVERIFY(process.waitForReadyRead(10000)); // "ready": the study is open
            // The kill comes at a random moment after the first acknowledged write, so
            // that every run proves something even when the disk is slow to sync
            // (right after a build, say).
            QByteArray out;
            while (!out.startsWith("A ") && !out.contains("\nA ") && process.waitForReadyRead(10000))
                out += process.readAllStandardOutput();
            QTest::qWait(int(random.bounded(5, 120)));
            QCOMPARE(::kill(pid_t(process.processId()), SIGKILL), 0);
            QVERIFY(process.waitForFinished(10000));
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);

            out += process.readAllStandardOutput();
            const QList<QByteArray> lines = out.split('\n');
            // The last element is whatever followed the final newline: possibly a torn line.
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                const QList<QByteArray> f = lines.at(i).split(' ');
                if (f.size() != 4)
                    continue;
                const QString key = QString::fromLatin1(f.at(1) + ' ' + f.at(2));
                const QString value = QString::fromLatin1(f.at(3));
                history[key].append(QStringLiteral("run %1: %2 %3").arg(run).arg(QString::fromLatin1(f.at(0)), value));
                if (f.at(0) == "W") {
                    inFlight.insert(key, value);
                } else if (f.at(0) == "A") {
                    acknowledged.insert(key, value);
                    inFlight.remove(key);
                    ++acknowledgedTotal;
                }
            }

            {
                cr::test::RawDb raw(path);
                QVERIFY(raw.isOpen());
                QCOMPARE(raw.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                    QStringLiteral("ok"));
            }
            verifyAcknowledged(path, anaId, acknowledged, inFlight, history);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY2(acknowledgedTotal >= runs, "the child acknowledged too few ratings to prove much");
        qInfo("%d acknowledged writes over %d kills", acknowledgedTotal, runs);
    }

private:
    /// Each acknowledged value is stored, unless a later write of the same value's
    /// key was in flight when the process died (then either may be stored).
    static void verifyAcknowledged(const QString &path, qint64 raterId,
        const QHash<QString, QString> &acknowledged, const QHash<QString, QString> &inFlight,
        const QHash<QString, QStringList> &history)
    {
        storage::Error error;
        auto study = storage::Study::open(path, &error);
        QVERIFY2(study, qPrintable(error.message));
        const storage::RatingRepository ratings(*study);
        for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
            const QStringList key = it.key().split(QLatin1Char(' '));
            const qint64 id = key.at(1).toLongLong();
            QString stored;
            if (key.at(0) == QLatin1String("label")) {
                const auto label = ratings.categoryLabel(id, raterId);
                stored = label ? label->category : QString();
            } else {
                const auto rating = ratings.responseRating(id, raterId);
                stored = rating && rating->score ? QString::number(*rating->score) : QString();
            }
            const QString pending = inFlight.value(it.key());
            QVERIFY2(stored == it.value() || (!pending.isEmpty() && stored == pending),
                qPrintable(QStringLiteral("%1: acknowledged %2, stored '%3' (history: %4)")
                               .arg(it.key(), it.value(), stored,
                                   history.value(it.key()).join(QStringLiteral("; ")))));
        }
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
