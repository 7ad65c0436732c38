// Several app instances on one study file never lose an update: test-only child
// processes rate concurrently through RatingSession (two raters, and one rater on
// disjoint responses in two processes); every value they acknowledged must be stored
// and the file must pass PRAGMA integrity_check.

#include "../storage/testutil.h"
#include "../ui/teststudy.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace storage = cr::storage;

class TestConcurrency : public QObject {
    Q_OBJECT
private slots:
    void concurrentInstancesLoseNoAcknowledgedWrite()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString path;
        QHash<QString, qint64> raterIds;
        {
            auto study = crtest::createStudy(dir.path(), 8, &path);
            QVERIFY(study);
            storage::RaterRepository raters(*study);
            for (const QString &name : { QStringLiteral("ana"), QStringLiteral("ben") })
                raterIds.insert(name, raters.byName(name)->id);
            storage::Error error;
            QVERIFY(storage::AssignmentRepository(*study).assign(
                        { raterIds.value(QStringLiteral("ben")) }, 1, 13, {}, &error)
                > 0);
        }
        const QString child = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("cr_concurrency_child"));
        QVERIFY2(QFile::exists(child), qPrintable(child));

        struct Run {
            QString rater;
            QString part;
        };
        const QList<Run> runs { { QStringLiteral("ana"), QStringLiteral("even") },
            { QStringLiteral("ana"), QStringLiteral("odd") },
            { QStringLiteral("ben"), QStringLiteral("all") } };
        std::vector<std::unique_ptr<QProcess>> processes;
        for (const Run &run : runs) {
            auto process = std::make_unique<QProcess>();
            process->start(child, { path, run.rater, run.part, QStringLiteral("10") });
            processes.push_back(std::move(process));
        }
        // Per "rater kind id": the last acknowledged value (each key has one writer).
        QHash<QString, QString> acknowledged;
        QHash<QString, int> perRun;
        for (qsizetype i = 0; i < runs.size(); ++i) {
            QProcess &process = *processes.at(size_t(i));
            QVERIFY2(process.waitForFinished(150000), qPrintable(process.errorString()));
            const QByteArray out = process.readAllStandardOutput();
            QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                qPrintable(QStringLiteral("%1 %2 exited %3: %4 %5")
                               .arg(runs.at(i).rater, runs.at(i).part)
                               .arg(process.exitCode())
                               .arg(QString::fromUtf8(out.right(300)),
                                   QString::fromUtf8(process.readAllStandardError()))));
            QVERIFY(out.endsWith("done\n"));
            for (const QByteArray &line : out.split('\n')) {
                const QList<QByteArray> f = line.split(' ');
                if (f.size() != 4 || f.at(0) != "A")
                    continue;
                acknowledged.insert(runs.at(i).rater + QLatin1Char(' ')
                        + QString::fromLatin1(f.at(1) + ' ' + f.at(2)),
                    QString::fromLatin1(f.at(3)));
                ++perRun[runs.at(i).rater + runs.at(i).part];
            }
        }
        for (const Run &run : runs)
            QVERIFY2(perRun.value(run.rater + run.part) > 20, qPrintable(run.rater + run.part));

        {
            cr::test::RawDb raw(path);
            QVERIFY(raw.isOpen());
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                QStringLiteral("ok"));
        }
        storage::Error error;
        auto study = storage::Study::open(path, &error);
        QVERIFY2(study, qPrintable(error.message));
        const storage::RatingRepository ratings(*study);
        for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
            const QStringList key = it.key().split(QLatin1Char(' '));
            const qint64 raterId = raterIds.value(key.at(0));
            const qint64 id = key.at(2).toLongLong();
            QString stored;
            if (key.at(1) == QLatin1String("label")) {
                const auto label = ratings.categoryLabel(id, raterId);
                stored = label ? label->category : QString();
            } else {
                const auto rating = ratings.responseRating(id, raterId);
                if (rating && key.at(1) == QLatin1String("score"))
                    stored = rating->score ? QString::number(*rating->score) : QString();
                else if (rating)
                    stored = rating->rationale;
            }
            QVERIFY2(stored == it.value(),
                qPrintable(QStringLiteral("%1: acknowledged %2, stored '%3'")
                               .arg(it.key(), it.value(), stored)));
        }
        qInfo("%lld acknowledged values checked", static_cast<long long>(acknowledged.size()));
    }
};

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
