#include "app/handlers.h"
#include "llm/endpoint.h"
#include "llm/runner.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <csignal>
#include <unistd.h>

namespace cr::app {

namespace {

std::sig_atomic_t volatile interrupted = 0;

extern "C" void onInterrupt(int)
{
    interrupted = 1;
}

/// Reads an option as a number into `*value`; false (after a usage error) when it is not one.
template<typename T>
bool numberOption(
    const Invocation &call, const QCommandLineParser &p, const QCommandLineOption &opt, T *value)
{
    if (!p.isSet(opt))
        return true;
    bool ok = false;
    const QString text = p.value(opt);
    if constexpr (std::is_floating_point_v<T>)
        *value = T(text.toDouble(&ok));
    else
        *value = T(text.toLongLong(&ok));
    if (!ok) {
        call.usageError(
            QStringLiteral("--%1: not a number: %2").arg(opt.names().constFirst(), text));
        return false;
    }
    return true;
}

int runLlm(const Invocation &call, llm::Task task)
{
    QCommandLineParser p;
    const QCommandLineOption endpointOpt(
        QStringLiteral("endpoint"), QStringLiteral("endpoint profile"), QStringLiteral("NAME"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("repetitions"),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption modelsOpt(
        QStringLiteral("models"), QStringLiteral("response models"), QStringLiteral("M,..."));
    const QCommandLineOption dryOpt(QStringLiteral("dry-run"), QStringLiteral("count only"));
    p.addOptions({ endpointOpt, runsOpt, modelsOpt, dryOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    if (!p.isSet(endpointOpt))
        return call.usageError(QStringLiteral("--endpoint is required"));
    llm::RunOptions options;
    options.task = task;
    options.dryRun = p.isSet(dryOpt);
    options.models = listValue(p.value(modelsOpt));
    if (!numberOption(call, p, runsOpt, &options.runs))
        return ExitUsage;
    const auto endpoint = llm::EndpointStore::find(p.value(endpointOpt));
    if (!endpoint) {
        call.message(QStringLiteral("crisis-review: no endpoint profile '%1' (see endpoint list)")
                         .arg(p.value(endpointOpt)));
        return ExitInvalidInput;
    }
    options.endpoint = *endpoint;
    if (const QByteArray backoff = qgetenv("CR_LLM_BACKOFF_MS"); !backoff.isEmpty())
        options.backoffMs = backoff.toInt(); // tests: short back-offs
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    study->setActor(QStringLiteral("cli:llm"));
    const QString name = QStringLiteral("llm ") + llm::taskName(task);
    const bool tty = isatty(fileno(call.err()));
    QElapsedTimer shown;
    shown.start();
    options.progress = [&](const llm::RunProgress &r) {
        if (shown.elapsed() < 1000 && r.done + r.failedUnits < r.total)
            return;
        shown.restart();
        const QString line =
            QStringLiteral("%1: %2/%3 done, %4 failed attempts, %5 given up, %6 req/s")
                .arg(name)
                .arg(r.done)
                .arg(r.total)
                .arg(r.failedAttempts)
                .arg(r.failedUnits)
                .arg(r.requestsPerSecond, 0, 'f', 1);
        std::fputs((tty ? QString(QLatin1Char('\r') + line) : QString(line + QLatin1Char('\n')))
                       .toUtf8()
                       .constData(),
            call.err());
        std::fflush(call.err());
    };
    interrupted = 0;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    options.cancelled = [] { return interrupted != 0; };
    storage::Error error;
    const auto summary = llm::runTask(*study, options, &error);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (tty && !options.dryRun)
        std::fputs("\n", call.err());
    if (!summary)
        return call.fail(error);
    const llm::RunProgress &r = summary->progress;
    if (options.dryRun) {
        call.print(QStringLiteral("%1 (dry run): %2 requests to %3 (%4), %5 already done; "
                                  "about %6 prompt tokens + up to %7 completion tokens\n")
                       .arg(name)
                       .arg(r.total)
                       .arg(options.endpoint.name, options.endpoint.model)
                       .arg(summary->alreadyDone)
                       .arg(summary->promptTokensEstimate)
                       .arg(summary->completionTokensLimit));
    } else {
        call.print(
            QStringLiteral("%1: %2 of %3 done (%4 already before), %5 given up; %6 requests, "
                           "%7 failed attempts\n")
                .arg(name)
                .arg(r.done)
                .arg(r.total)
                .arg(summary->alreadyDone)
                .arg(r.failedUnits)
                .arg(r.attempts)
                .arg(r.failedAttempts));
    }
    if (summary->skippedNoCategory > 0)
        call.print(QStringLiteral("%1: skipped %2 (response, run) units whose item has no category "
                                  "(no reference label, no human label)\n")
                       .arg(name)
                       .arg(summary->skippedNoCategory));
    if (!summary->stopReason.isEmpty()) {
        call.message(QStringLiteral("crisis-review: ") + summary->stopReason);
        return ExitInvalidInput;
    }
    if (summary->cancelled) {
        call.message(QStringLiteral("crisis-review: %1 stopped; run it again to resume").arg(name));
        return ExitStorage;
    }
    if (r.failedUnits > 0) {
        call.message(QStringLiteral("crisis-review: %1 units gave no valid reply within the retry "
                                    "limits (kept in llm_request); run again to retry them")
                         .arg(r.failedUnits));
        return ExitInvalidInput;
    }
    return ExitOk;
}

} // namespace

int runEndpointAdd(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption urlOpt(
        QStringLiteral("url"), QStringLiteral("base URL"), QStringLiteral("URL"));
    const QCommandLineOption modelOpt(
        QStringLiteral("model"), QStringLiteral("model"), QStringLiteral("MODEL"));
    const QCommandLineOption keyOpt(
        QStringLiteral("key-env"), QStringLiteral("key variable"), QStringLiteral("VAR"));
    const QCommandLineOption concOpt(
        QStringLiteral("concurrency"), QStringLiteral("in flight"), QStringLiteral("N"));
    const QCommandLineOption rpmOpt(
        QStringLiteral("rpm"), QStringLiteral("per minute"), QStringLiteral("N"));
    const QCommandLineOption tempOpt(
        QStringLiteral("temperature"), QStringLiteral("temperature"), QStringLiteral("T"));
    const QCommandLineOption maxOpt(
        QStringLiteral("max-tokens"), QStringLiteral("max tokens"), QStringLiteral("N"));
    const QCommandLineOption seedOpt(
        QStringLiteral("seed"), QStringLiteral("seed"), QStringLiteral("S"));
    const QCommandLineOption timeoutOpt(
        QStringLiteral("timeout"), QStringLiteral("seconds"), QStringLiteral("S"));
    p.addOptions(
        { urlOpt, modelOpt, keyOpt, concOpt, rpmOpt, tempOpt, maxOpt, seedOpt, timeoutOpt });
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    if (!p.isSet(urlOpt) || !p.isSet(modelOpt))
        return call.usageError(QStringLiteral("--url and --model are required"));
    llm::EndpointProfile e;
    e.name = pos[0];
    e.url = p.value(urlOpt);
    e.model = p.value(modelOpt);
    e.keyEnv = p.value(keyOpt);
    qint64 seed = 0;
    if (!numberOption(call, p, concOpt, &e.concurrency) || !numberOption(call, p, rpmOpt, &e.rpm)
        || !numberOption(call, p, tempOpt, &e.temperature)
        || !numberOption(call, p, maxOpt, &e.maxTokens) || !numberOption(call, p, seedOpt, &seed)
        || !numberOption(call, p, timeoutOpt, &e.timeoutSeconds))
        return ExitUsage;
    if (p.isSet(seedOpt))
        e.seed = seed;
    if (const QString problem = e.problem(); !problem.isEmpty())
        return call.usageError(problem);
    if (!e.keyEnv.isEmpty()
        && (e.keyEnv.contains(QLatin1Char('=')) || e.keyEnv.contains(QLatin1Char(' '))))
        return call.usageError(QStringLiteral("--key-env takes a variable's name, not a key"));
    llm::EndpointStore::save(e);
    call.print(QStringLiteral("Saved endpoint %1 (%2, model %3%4)\n")
                   .arg(e.name, e.url, e.model,
                       e.keyEnv.isEmpty() ? QString() : QStringLiteral(", key from $") + e.keyEnv));
    return ExitOk;
}

int runEndpointList(const Invocation &call)
{
    QCommandLineParser p;
    QStringList pos;
    if (!call.parse(p, 0, 0, &pos))
        return ExitUsage;
    for (const llm::EndpointProfile &e : llm::EndpointStore::all())
        call.print(
            QStringLiteral("%1\t%2\t%3\tkey=%4\tconcurrency=%5\trpm=%6\ttemperature=%7\t"
                           "max_tokens=%8\tseed=%9\ttimeout=%10\n")
                .arg(e.name, e.url, e.model,
                    e.keyEnv.isEmpty() ? QStringLiteral("none") : QStringLiteral("$") + e.keyEnv)
                .arg(e.concurrency)
                .arg(e.rpm)
                .arg(e.temperature)
                .arg(e.maxTokens)
                .arg(e.seed ? QString::number(*e.seed) : QStringLiteral("none"))
                .arg(e.timeoutSeconds));
    return ExitOk;
}

int runEndpointRemove(const Invocation &call)
{
    QCommandLineParser p;
    QStringList pos;
    if (!call.parse(p, 1, 1, &pos))
        return ExitUsage;
    if (!llm::EndpointStore::remove(pos[0])) {
        call.message(QStringLiteral("crisis-review: no endpoint profile '%1'").arg(pos[0]));
        return ExitInvalidInput;
    }
    call.print(QStringLiteral("Removed endpoint %1\n").arg(pos[0]));
    return ExitOk;
}

int runLlmRespond(const Invocation &call)
{
    return runLlm(call, llm::Task::Respond);
}

int runLlmClassify(const Invocation &call)
{
    return runLlm(call, llm::Task::Classify);
}

int runLlmJudge(const Invocation &call)
{
    return runLlm(call, llm::Task::Judge);
}

} // namespace cr::app
