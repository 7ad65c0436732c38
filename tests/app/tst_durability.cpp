// Kills a rating process with SIGKILL at random moments, many times: every value it
// acknowledged must be stored, nothing it never wrote may be, the audit log must hold
// exactly the writes that took effect, and the study file must pass
// PRAGMA integrity_check.

#include "../storage/testutil.h"
#include "../ui/teststudy.h"
#include "storage/repositories.h"
#include "storage/study.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <functional>
#include <sys/types.h>

namespace storage = cr::storage;

namespace {

/// One write the child announced ("W"), and whether it acknowledged it ("A").
struct Write {
    int run = 0;
    QString value;
    bool acknowledged = false;
};

/// Per key ("label ITEM" or "score RESPONSE"): every write in the order the child made them.
using Writes = QHash<QString, QList<Write>>;

QString describe(const QList<Write> &writes)
{
    QStringList parts;
    for (const Write &w : writes)
        parts.append(
            QStringLiteral("run %1: %2 %3")
                .arg(w.run)
                .arg(w.acknowledged ? QStringLiteral("W+A") : QStringLiteral("W"), w.value));
    return parts.join(QStringLiteral("; "));
}

/// The values the key may hold now: its last acknowledged value (nothing when it has
/// none) and every value written since then without acknowledgement (each may have been
/// committed before the kill; a later one may have been lost with its process).
QStringList allowedValues(const QList<Write> &writes)
{
    QStringList allowed { QString() };
    for (const Write &w : writes) {
        if (w.acknowledged)
            allowed = { w.value };
        else
            allowed.append(w.value);
    }
    return allowed;
}

/// Whether the audit log's values for one key are exactly the writes that took effect:
/// every acknowledged write that changed the value, and any of the unacknowledged ones
/// (each may or may not have been committed before its process died). A write of the
/// value already stored changes nothing and logs nothing. The value the log ends on must
/// be the stored one. Each unacknowledged write is tried both ways (committed or not);
/// `failed` remembers the (write, log position) states already known not to work.
bool logMatches(
    const QList<Write> &writes, const QStringList &logged, const QString &stored, QString *why)
{
    QSet<QPair<qsizetype, qsizetype>> failed;
    const std::function<bool(qsizetype, qsizetype)> from = [&](qsizetype i, qsizetype next) {
        const QString current = next > 0 ? logged.at(next - 1) : QString();
        if (i == writes.size())
            return next == logged.size() && current == stored;
        if (failed.contains({ i, next }))
            return false;
        const Write &w = writes.at(i);
        bool ok = false;
        if (w.value == current)
            ok = from(i + 1, next);
        else if (next < logged.size() && logged.at(next) == w.value && from(i + 1, next + 1))
            ok = true;
        else if (!w.acknowledged)
            ok = from(i + 1, next);
        if (!ok)
            failed.insert({ i, next });
        return ok;
    };
    if (from(0, 0))
        return true;
    *why = QStringLiteral("the log is not the acknowledged writes plus some unacknowledged ones, "
                          "ending on the stored '%1'")
               .arg(stored);
    return false;
}

} // namespace

class TestDurability : public QObject {
    Q_OBJECT
private slots:
    /// The bookkeeping on a history seen in a real run (score 19: acknowledged 1,
    /// stored 3): a write committed after the last acknowledgement but killed before
    /// its "A" line, then another killed before it was committed.
    void bookkeepingAllowsEveryUnacknowledgedValue()
    {
        const QList<Write> writes { { 18, QStringLiteral("1"), true },
            { 19, QStringLiteral("3"), false }, { 21, QStringLiteral("2"), false } };
        const QStringList allowed = allowedValues(writes);
        QCOMPARE(allowed,
            (QStringList { QStringLiteral("1"), QStringLiteral("3"), QStringLiteral("2") }));
        QVERIFY(!allowed.contains(QString()));
        QVERIFY(!allowedValues({ { 1, QStringLiteral("4"), false } }).isEmpty());
        QVERIFY(allowedValues({ { 1, QStringLiteral("4"), false } }).contains(QString()));

        QString why;
        QVERIFY2(logMatches(writes, { QStringLiteral("1"), QStringLiteral("3") },
                     QStringLiteral("3"), &why),
            qPrintable(why));
        QVERIFY2(logMatches(writes, { QStringLiteral("1") }, QStringLiteral("1"), &why),
            qPrintable(why));
        // An acknowledged write missing from the log, a logged value nobody wrote, a log
        // that disagrees with the stored value: each is caught.
        QVERIFY(!logMatches(writes, { QStringLiteral("3") }, QStringLiteral("3"), &why));
        QVERIFY(why.contains(QLatin1String("stored '3'")));
        QVERIFY(!logMatches(
            writes, { QStringLiteral("1"), QStringLiteral("5") }, QStringLiteral("5"), &why));
        QVERIFY(!logMatches(
            writes, { QStringLiteral("1"), QStringLiteral("3") }, QStringLiteral("1"), &why));
        // A write of the value already stored logs nothing.
        const QList<Write> again { { 1, QStringLiteral("2"), true },
            { 2, QStringLiteral("2"), true } };
        QVERIFY2(
            logMatches(again, { QStringLiteral("2") }, QStringLiteral("2"), &why), qPrintable(why));
        QVERIFY(!logMatches(
            again, { QStringLiteral("2"), QStringLiteral("2") }, QStringLiteral("2"), &why));
    }

    void sigkillLosesNoAcknowledgedRating()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString path;
        qint64 anaId = 0;
        const int items = 8;
        {
            auto study = crtest::createStudy(dir.path(), items, &path);
            QVERIFY(study);
            anaId = storage::RaterRepository(*study).byName(QStringLiteral("ana"))->id;
        }
        const QString child = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("cr_durability_child"));
        QVERIFY2(QFile::exists(child), qPrintable(child));

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        Writes writes;
        QMap<int, int> killedAt; // per item index: how many kills came while it was rated
        int acknowledgedTotal = 0;
        const int runs = 25;
        for (int run = 0; run < runs; ++run) {
            // Each run starts at another item (round robin), so the kills land throughout
            // the item list and not mostly on its first items.
            QProcess process;
            process.start(child,
                { path, QStringLiteral("ana"), QString::number(run * 7),
                    QString::number(run % items) });
            QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
            QVERIFY(process.waitForReadyRead(10000)); // "ready": the study is open
            // The kill comes at a random moment after the first acknowledged write, so
            // that every run proves something even when the disk is slow to sync
            // (right after a build, say).
            QByteArray out;
            while (
                !out.startsWith("A ") && !out.contains("\nA ") && process.waitForReadyRead(10000))
                out += process.readAllStandardOutput();
            QTest::qWait(int(random.bounded(5, 120)));
            QCOMPARE(::kill(pid_t(process.processId()), SIGKILL), 0);
            QVERIFY(process.waitForFinished(10000));
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);

            out += process.readAllStandardOutput();
            const QList<QByteArray> lines = out.split('\n');
            // The last element is whatever followed the final newline: possibly a torn line.
            int lastIndex = -1;
            for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
                const QList<QByteArray> f = lines.at(i).split(' ');
                if (f.size() == 2 && f.at(0) == "I")
                    lastIndex = f.at(1).toInt();
                if (f.size() != 4)
                    continue;
                const QString key = QString::fromLatin1(f.at(1) + ' ' + f.at(2));
                const QString value = QString::fromLatin1(f.at(3));
                QList<Write> &history = writes[key];
                if (f.at(0) == "W") {
                    history.append(Write { run, value, false });
                } else if (f.at(0) == "A") {
                    QVERIFY2(!history.isEmpty() && history.last().value == value
                            && !history.last().acknowledged,
                        qPrintable(QStringLiteral("%1: A %2 without its W").arg(key, value)));
                    history.last().acknowledged = true;
                    ++acknowledgedTotal;
                }
            }
            ++killedAt[lastIndex];

            {
                cr::test::RawDb raw(path);
                QVERIFY(raw.isOpen());
                QCOMPARE(raw.scalar(QStringLiteral("PRAGMA integrity_check")).toString(),
                    QStringLiteral("ok"));
            }
            verifyStored(path, anaId, writes);
            if (QTest::currentTestFailed())
                return;
        }
        verifyLog(path, anaId, writes);
        QVERIFY2(acknowledgedTotal >= runs, "the child acknowledged too few ratings to prove much");
        qInfo("%d acknowledged writes over %d kills", acknowledgedTotal, runs);
        QStringList spread;
        for (auto it = killedAt.cbegin(); it != killedAt.cend(); ++it)
            spread.append(QStringLiteral("item %1: %2").arg(it.key()).arg(it.value()));
        qInfo("kills per item index: %s", qPrintable(spread.join(QStringLiteral(", "))));
    }

private:
    static QString storedValue(
        const storage::RatingRepository &ratings, const QString &key, qint64 raterId)
    {
        const QStringList parts = key.split(QLatin1Char(' '));
        const qint64 id = parts.at(1).toLongLong();
        if (parts.at(0) == QLatin1String("label")) {
            const auto label = ratings.categoryLabel(id, raterId);
            return label ? label->category : QString();
        }
        const auto rating = ratings.responseRating(id, raterId);
        return rating && rating->score ? QString::number(*rating->score) : QString();
    }

    /// Every key holds its last acknowledged value or one written after it.
    static void verifyStored(const QString &path, qint64 raterId, const Writes &writes)
    {
        storage::Error error;
        auto study = storage::Study::open(path, &error);
        QVERIFY2(study, qPrintable(error.message));
        const storage::RatingRepository ratings(*study);
        for (auto it = writes.cbegin(); it != writes.cend(); ++it) {
            const QString stored = storedValue(ratings, it.key(), raterId);
            const QStringList allowed = allowedValues(it.value());
            QVERIFY2(allowed.contains(stored),
                qPrintable(QStringLiteral("%1: stored '%2', allowed %3 (history: %4)")
                               .arg(it.key(), stored, allowed.join(QLatin1Char('|')),
                                   describe(it.value()))));
        }
    }

    /// The audit log's label.set and rating.set events of the rater, per key, are the
    /// acknowledged writes plus at most the unacknowledged ones; nothing is cleared.
    static void verifyLog(const QString &path, qint64 raterId, const Writes &writes)
    {
        QHash<QString, QStringList> logged;
        {
            cr::test::RawDb raw(path);
            QVERIFY(raw.isOpen());
            QSqlQuery q(raw.db());
            QVERIFY(q.exec(QStringLiteral(
                "SELECT action, entity_id, after FROM event"
                " WHERE action IN ('label.set', 'label.clear', 'rating.set', 'rating.clear')"
                " ORDER BY id")));
            while (q.next()) {
                const QString action = q.value(0).toString();
                QVERIFY2(action.endsWith(QLatin1String(".set")), qPrintable(action));
                const QJsonObject after =
                    QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
                if (after.value(QStringLiteral("rater")).toInteger() != raterId)
                    continue;
                const bool label = action == QLatin1String("label.set");
                const QString key = (label ? QStringLiteral("label ") : QStringLiteral("score "))
                    + QString::number(q.value(1).toLongLong());
                logged[key].append(label
                        ? after.value(QStringLiteral("category")).toString()
                        : QString::number(after.value(QStringLiteral("score")).toInt()));
            }
        }
        for (auto it = logged.cbegin(); it != logged.cend(); ++it)
            QVERIFY2(writes.contains(it.key()),
                qPrintable(QStringLiteral("%1: logged but never written").arg(it.key())));
        storage::Error error;
        auto study = storage::Study::open(path, &error);
        QVERIFY2(study, qPrintable(error.message));
        const storage::RatingRepository ratings(*study);
        for (auto it = writes.cbegin(); it != writes.cend(); ++it) {
            QString why;
            const QStringList log = logged.value(it.key());
            QVERIFY2(logMatches(it.value(), log, storedValue(ratings, it.key(), raterId), &why),
                qPrintable(
                    QStringLiteral("%1: %2 (log: %3; writes: %4)")
                        .arg(it.key(), why, log.join(QLatin1Char(',')), describe(it.value()))));
        }
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
