// Concurrent simulated raters (issue 17 item 5 and its latency benchmark).
//
//   ratingload run LOCATION --raters N --seconds S [--log FILE] [--max-writes M]
//   ratingload check LOCATION --raters N --log FILE
//   ratingload publish LOCAL.crisis URI     (server::init + server::publish: test set-up)
//
// run: N threads, one per rater load-1 … load-N (who must exist and have assignments),
// each with its own Study connection (LOCATION may hold "{rater}": a server URI with the
// rater's own login), write scores of their assigned responses round-robin, one rating
// per transaction, for S seconds. A write that meets an unreachable study (the server
// stopped) is retried with the same value after reconnecting, like the rating page's
// outbox; a write the study refuses counts as an error. With --log, each thread appends
// "T rater response score" before a write and "A rater response score" after the study
// acknowledged it (flushed), so a killed run can be checked. Prints one JSON line:
// writes, errors, retries, latency p50/p95/p99/max in ms (acknowledged writes only) and
// how long each write held the study's write lock, p50/p95 in µs (Study::
// lastWriteLockMicros: on a server with cr_set_rating measured on the server from taking
// the lock to the end of the statement, the commit follows; else from BEGIN's lock to the
// end of COMMIT, measured by the client).
//
// check: reads the log and the study; every (rater, response) acknowledged must hold its
// last acknowledged score, or the score of a write tried after it (in flight when the
// run died: committed or not); no row may exist that was never tried, and no pair twice.
// Exit status 0 when nothing was lost or duplicated. Loops are bounded by time/writes.

#include "storage/raterview.h"
#include "storage/repositories.h"
#include "storage/server.h"
#include "storage/study.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSqlQuery>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

using namespace cr;

namespace {

QString raterName(int i)
{
    return QStringLiteral("load-%1").arg(i);
}

QString locationFor(const QString &location, const QString &rater)
{
    QString out = location;
    return out.replace(QLatin1String("{rater}"), rater);
}

struct Options {
    QString location;
    int raters = 1;
    double seconds = 10;
    qint64 maxWrites = 0;
    int pauseMs = 0; ///< a rater's think time after each acknowledged write (0: closed loop)
    QString log;
};

class Log final {
public:
    bool open(const QString &path)
    {
        if (path.isEmpty())
            return true;
        m_file.setFileName(path);
        return m_file.open(QIODevice::WriteOnly | QIODevice::Append);
    }
    void line(char kind, const QString &rater, qint64 response, int score)
    {
        if (!m_file.isOpen())
            return;
        const QByteArray text = QByteArray(1, kind) + ' ' + rater.toUtf8() + ' '
            + QByteArray::number(response) + ' ' + QByteArray::number(score) + '\n';
        QMutexLocker lock(&m_mutex);
        m_file.write(text);
        m_file.flush(); // in the kernel before the next step: survives SIGKILL
    }

private:
    QFile m_file;
    QMutex m_mutex;
};

struct Result {
    qint64 writes = 0;
    qint64 errors = 0;
    qint64 retries = 0;
    std::vector<double> latencies; // ms
    std::vector<double> holds; // µs the study's write lock was held (Study::lastWriteLockMicros)
    QString firstError;
};

void rate(const Options &o, int index, Log &log, Result &result, std::atomic<bool> &stop)
{
    const QString name = raterName(index);
    storage::Error error;
    std::unique_ptr<storage::Study> study =
        storage::Study::open(locationFor(o.location, name), &error);
    if (!study) {
        result.errors++;
        result.firstError = error.message;
        return;
    }
    study->setActor(name);
    const auto rater = storage::RaterRepository(*study).byName(name);
    if (!rater) {
        result.errors++;
        result.firstError = name + QStringLiteral(": no such rater");
        return;
    }
    QList<qint64> responses;
    for (const storage::Assignment &a : storage::AssignmentRepository(*study).forRater(rater->id))
        if (const auto item = storage::loadRaterItem(*study, a, &error))
            responses.append(item->responseIds);
    if (responses.isEmpty()) {
        result.errors++;
        result.firstError = name + QStringLiteral(": no responses assigned");
        return;
    }
    QElapsedTimer clock;
    clock.start();
    const qint64 deadline = qint64(o.seconds * 1000);
    for (qint64 k = 0; !stop && clock.elapsed() < deadline && (!o.maxWrites || k < o.maxWrites);
         ++k) {
        storage::ResponseRating r;
        r.responseId = responses.at(int(k % responses.size()));
        r.raterId = rater->id;
        r.score = int((k + index) % 5) + 1;
        log.line('T', name, r.responseId, *r.score);
        QElapsedTimer one;
        one.start();
        for (int attempt = 0;; ++attempt) {
            storage::Error e;
            if (study && storage::RatingRepository(*study).setResponseRating(r, &e)) {
                result.latencies.push_back(double(one.nsecsElapsed()) / 1e6);
                result.holds.push_back(study->lastWriteLockMicros());
                result.writes++;
                log.line('A', name, r.responseId, *r.score);
                if (o.pauseMs > 0)
                    QThread::msleep(ulong(std::min<qint64>(
                        o.pauseMs, std::max<qint64>(0, deadline - clock.elapsed()))));
                break;
            }
            const bool unreachable = !study || study->isUnreachable();
            if (!unreachable || attempt > 600 || stop) { // bounded: at most ~2 minutes
                result.errors++;
                if (result.firstError.isEmpty())
                    result.firstError = e.message;
                break;
            }
            result.retries++;
            // The attempt the connection loss cut short may have committed (its reply
            // lost): the retry then applies the same value again (one row, two events).
            log.line('R', name, r.responseId, *r.score);
            QThread::msleep(200);
            study.reset();
            study = storage::Study::open(locationFor(o.location, name), &e);
            if (study)
                study->setActor(name);
        }
    }
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

int run(const Options &o)
{
    Log log;
    if (!log.open(o.log)) {
        std::fprintf(stderr, "ratingload: cannot write %s\n", qPrintable(o.log));
        return 2;
    }
    std::atomic<bool> stop { false };
    std::vector<Result> results(std::size_t(o.raters));
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < o.raters; ++i)
        threads.emplace_back(
            QThread::create([&, i] { rate(o, i + 1, log, results[std::size_t(i)], stop); }));
    QElapsedTimer clock;
    clock.start();
    for (auto &t : threads)
        t->start();
    for (auto &t : threads)
        t->wait();
    Result all;
    for (const Result &r : results) {
        all.writes += r.writes;
        all.errors += r.errors;
        all.retries += r.retries;
        all.latencies.insert(all.latencies.end(), r.latencies.begin(), r.latencies.end());
        all.holds.insert(all.holds.end(), r.holds.begin(), r.holds.end());
        if (all.firstError.isEmpty())
            all.firstError = r.firstError;
    }
    QJsonObject out {
        { QStringLiteral("raters"), o.raters },
        { QStringLiteral("seconds"), double(clock.elapsed()) / 1000.0 },
        { QStringLiteral("writes"), all.writes },
        { QStringLiteral("errors"), all.errors },
        { QStringLiteral("retries"), all.retries },
        { QStringLiteral("p50_ms"), percentile(all.latencies, 0.50) },
        { QStringLiteral("p95_ms"), percentile(all.latencies, 0.95) },
        { QStringLiteral("p99_ms"), percentile(all.latencies, 0.99) },
        { QStringLiteral("max_ms"), percentile(all.latencies, 1.0) },
        { QStringLiteral("hold_p50_us"), percentile(all.holds, 0.50) },
        { QStringLiteral("hold_p95_us"), percentile(all.holds, 0.95) },
    };
    if (!all.firstError.isEmpty())
        out.insert(QStringLiteral("first_error"), all.firstError);
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return all.errors ? 1 : 0;
}

int check(const Options &o)
{
    QFile file(o.log);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "ratingload: cannot read %s\n", qPrintable(o.log));
        return 2;
    }
    struct Key {
        int acked = 0; // last acknowledged score (0: none)
        QList<int> triedAfter; // scores tried after it
    };
    QHash<QString, Key> keys; // "rater response"
    qint64 acks = 0;
    qint64 inDoubt = 0; // retries after a connection loss (the cut attempt may have committed)
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QStringList f = in.readLine().split(QLatin1Char(' '));
        if (f.size() != 4)
            continue; // a line cut by the kill
        if (f.at(0) == QLatin1String("R")) {
            ++inDoubt;
            continue;
        }
        Key &k = keys[f.at(1) + QLatin1Char(' ') + f.at(2)];
        const int score = f.at(3).toInt();
        if (f.at(0) == QLatin1String("T")) {
            k.triedAfter.append(score);
        } else {
            k.acked = score;
            k.triedAfter.clear();
            ++acks;
        }
    }
    storage::Error error;
    const auto study = storage::Study::open(o.location, &error);
    if (!study) {
        std::fprintf(stderr, "ratingload: %s\n", qPrintable(error.message));
        return 2;
    }
    qint64 lost = 0, duplicated = 0, unknown = 0, rows = 0;
    QSqlQuery q(study->database());
    q.exec(QStringLiteral("SELECT r.name, s.response_id, s.score, count(*) OVER"
                          " (PARTITION BY s.rater_id, s.response_id) FROM response_rating s"
                          " JOIN rater r ON r.id = s.rater_id WHERE r.name LIKE 'load-%'"));
    QHash<QString, int> stored;
    while (q.next()) {
        ++rows;
        const QString key = q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString();
        if (q.value(3).toInt() > 1)
            ++duplicated;
        stored.insert(key, q.value(2).toInt());
    }
    for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
        const auto s = stored.constFind(it.key());
        const int value = s == stored.cend() ? 0 : *s;
        const bool ok = (it->acked && value == it->acked) || it->triedAfter.contains(value)
            || (!it->acked && value == 0);
        if (!ok) {
            ++lost;
            if (lost <= 5)
                std::fprintf(stderr, "ratingload: %s holds %d, acknowledged %d\n",
                    qPrintable(it.key()), value, it->acked);
        }
    }
    for (auto it = stored.cbegin(); it != stored.cend(); ++it)
        unknown += keys.contains(it.key()) ? 0 : 1;
    // Each acknowledged write is in the audit log once; a write in flight when the run
    // died may be there too (committed, acknowledgement lost), and so may an attempt cut
    // short by a connection loss and then retried (at-least-once until the write carries
    // an idempotency key). More is a duplicate. Rows are never duplicated (checked above).
    qint64 inFlight = 0;
    for (const Key &k : std::as_const(keys))
        inFlight += k.triedAfter.size();
    q.exec(QStringLiteral("SELECT count(*) FROM event WHERE action = 'rating.set'"
                          " AND actor LIKE 'load-%'"));
    const qint64 events = q.next() ? q.value(0).toLongLong() : -1;
    if (events < acks)
        lost += acks - events;
    if (events > acks + inFlight + inDoubt)
        duplicated += events - acks - inFlight - inDoubt;
    QJsonObject out { { QStringLiteral("acknowledged"), acks },
        { QStringLiteral("pairs"), qint64(keys.size()) }, { QStringLiteral("rows"), rows },
        { QStringLiteral("events"), events }, { QStringLiteral("in_flight"), inFlight },
        { QStringLiteral("in_doubt"), inDoubt }, { QStringLiteral("lost"), lost },
        { QStringLiteral("duplicated"), duplicated }, { QStringLiteral("unknown"), unknown } };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return lost || duplicated || unknown ? 1 : 0;
}

int publish(const QString &local, const QString &uri)
{
    storage::Error error;
    if (!storage::server::init(
            uri, QStringLiteral("ratingload"), protocol::defaultProtocol(), &error)
        || !storage::server::publish(local, uri, {}, &error)) {
        std::fprintf(stderr, "ratingload: %s\n", qPrintable(error.message));
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.size() < 2) {
        std::fprintf(stderr,
            "usage: ratingload run LOCATION --raters N --seconds S [--log FILE] [--max-writes M]\n"
            "                       [--pause-ms P]  (think time after each write; default 0)\n"
            "       ratingload check LOCATION --raters N --log FILE\n");
        return 2;
    }
    const QString mode = args.takeFirst();
    if (mode == QLatin1String("publish"))
        return publish(args.at(0), args.value(1));
    Options o;
    o.location = args.takeFirst();
    for (int i = 0; i + 1 < args.size(); i += 2) {
        const QString &key = args.at(i);
        const QString &value = args.at(i + 1);
        if (key == QLatin1String("--raters"))
            o.raters = value.toInt();
        else if (key == QLatin1String("--seconds"))
            o.seconds = value.toDouble();
        else if (key == QLatin1String("--max-writes"))
            o.maxWrites = value.toLongLong();
        else if (key == QLatin1String("--pause-ms"))
            o.pauseMs = value.toInt();
        else if (key == QLatin1String("--log"))
            o.log = value;
    }
    if (o.raters < 1 || o.raters > 200 || o.seconds <= 0 || o.seconds > 3600 || o.pauseMs < 0
        || o.pauseMs > 60000) {
        std::fprintf(
            stderr, "ratingload: --raters 1-200, --seconds up to 3600, --pause-ms 0-60000\n");
        return 2;
    }
    return mode == QLatin1String("check") ? check(o) : run(o);
}
