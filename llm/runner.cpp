#include "llm/runner.h"

#include "storage/llmruns.h"
#include "storage/study.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <memory>
#include <vector>

namespace cr::llm {

namespace {

// QNetworkAccessManager opens at most 6 connections per host: one manager per 6 requests
// in flight gives the profile's concurrency.
constexpr int perManager = 6;
constexpr int flushEvery = 200;

QJsonObject paramsOf(const EndpointProfile &e)
{
    QJsonObject p { { QStringLiteral("temperature"), e.temperature },
        { QStringLiteral("max_tokens"), e.maxTokens },
        { QStringLiteral("timeout"), e.timeoutSeconds },
        { QStringLiteral("concurrency"), e.concurrency }, { QStringLiteral("rpm"), e.rpm } };
    if (e.seed)
        p.insert(QStringLiteral("seed"), *e.seed);
    return p;
}

PromptInput inputOf(const storage::LlmUnit &u)
{
    return { u.turns, u.category, u.responseText };
}

class Scheduler : public QObject {
public:
    Scheduler(storage::Study &study, const RunOptions &options, protocol::Protocol protocol,
        QList<storage::LlmUnit> units, qint64 runId, QString key)
        : m_study(study)
        , m_store(study)
        , m_options(options)
        , m_protocol(std::move(protocol))
        , m_runId(runId)
        , m_key(std::move(key))
        , m_url(options.endpoint.completionsUrl())
    {
        m_units.reserve(std::size_t(units.size()));
        for (storage::LlmUnit &u : units) {
            State state;
            state.unit = std::move(u);
            m_units.push_back(std::move(state));
        }
        for (std::size_t i = 0; i < m_units.size(); ++i)
            m_ready.append(int(i));
        m_progress.total = qint64(m_units.size());
        const int managers =
            (std::max(1, options.endpoint.concurrency) + perManager - 1) / perManager;
        for (int i = 0; i < managers; ++i) {
            m_managers.push_back(new QNetworkAccessManager(this));
            m_managerLoad.push_back(0);
        }
        m_wake.setSingleShot(true);
        connect(&m_wake, &QTimer::timeout, this, [this] { pump(); });
        m_tick.setInterval(100);
        connect(&m_tick, &QTimer::timeout, this, [this] { tick(); });
    }

    /// Runs until every unit has a result or was given up, or the run stops.
    bool run(RunSummary *summary, storage::Error *error)
    {
        m_clock.start();
        m_tick.start();
        QTimer::singleShot(0, this, [this] { pump(); });
        if (!m_units.empty())
            m_loop.exec();
        m_tick.stop();
        flush();
        reportProgress();
        summary->progress = m_progress;
        summary->cancelled = m_cancelled;
        summary->stopReason = m_stopReason;
        if (m_error.isError()) {
            *error = m_error;
            return false;
        }
        return true;
    }

private:
    struct State {
        storage::LlmUnit unit;
        QByteArray promptJson;
        QString promptHash;
        RenderedPrompt prompt;
        int attempts = 0;
        int parseFailures = 0;
        int transientFailures = 0;
        qint64 readyAt = 0;
    };

    void stop()
    {
        m_stopping = true;
        const auto replies = m_inFlight; // abort() emits finished synchronously
        for (auto it = replies.cbegin(); it != replies.cend(); ++it)
            if (it.key())
                it.key()->abort();
    }

    void tick()
    {
        if (!m_stopping && m_options.cancelled && m_options.cancelled()) {
            m_cancelled = true;
            stop();
        }
        if (m_clock.elapsed() - m_lastFlush >= 250)
            flush();
        if (m_stopping && m_inFlight.isEmpty())
            m_loop.quit();
    }

    void flush()
    {
        m_lastFlush = m_clock.elapsed();
        if (!m_attempts.isEmpty() || !m_results.isEmpty()) {
            storage::Error e;
            if (!m_store.write(m_runId, m_attempts, m_results, &e) && !m_error.isError()) {
                m_error = e;
                stop();
            }
            m_attempts.clear();
            m_results.clear();
        }
        reportProgress();
    }

    void reportProgress()
    {
        const double seconds = double(m_clock.elapsed()) / 1000.0;
        m_progress.requestsPerSecond = seconds > 0 ? double(m_progress.attempts) / seconds : 0;
        if (m_options.progress)
            m_options.progress(m_progress);
    }

    void pump()
    {
        if (m_stopping) {
            if (m_inFlight.isEmpty())
                m_loop.quit();
            return;
        }
        const qint64 now = m_clock.elapsed();
        qint64 wakeAt = -1;
        for (qsizetype i = 0; i < m_delayed.size();) {
            const int index = m_delayed.at(i);
            if (m_units[std::size_t(index)].readyAt <= now) {
                m_ready.append(index);
                m_delayed.removeAt(i);
            } else {
                const qint64 at = m_units[std::size_t(index)].readyAt;
                wakeAt = wakeAt < 0 ? at : std::min(wakeAt, at);
                ++i;
            }
        }
        const int limit = std::max(1, m_options.endpoint.concurrency);
        const double interval = m_options.endpoint.rpm > 0 ? 60000.0 / m_options.endpoint.rpm : 0;
        while (m_inFlight.size() < limit && m_readyNext < m_ready.size()) {
            if (interval > 0 && double(now) < m_nextStart) {
                const qint64 at = qint64(m_nextStart) + 1;
                wakeAt = wakeAt < 0 ? at : std::min(wakeAt, at);
                break;
            }
            const int index = m_ready.at(m_readyNext++);
            if (m_readyNext > 4096) {
                m_ready.remove(0, m_readyNext);
                m_readyNext = 0;
            }
            if (interval > 0)
                m_nextStart = std::max(m_nextStart, double(now)) + interval;
            send(index);
        }
        if (wakeAt >= 0)
            m_wake.start(int(std::max<qint64>(0, wakeAt - now)));
        if (m_inFlight.isEmpty() && m_readyNext >= m_ready.size() && m_delayed.isEmpty())
            m_loop.quit();
    }

    void send(int index)
    {
        State &s = m_units[std::size_t(index)];
        if (s.promptJson.isEmpty()) {
            QString problem;
            const auto rendered =
                renderPrompt(m_protocol, m_options.task, inputOf(s.unit), &problem);
            if (!rendered) { // checked by the plan; a unit that cannot be rendered is given up
                ++m_progress.failedUnits;
                return;
            }
            s.prompt = *rendered;
            s.promptJson = rendered->json();
            s.promptHash = rendered->hash();
        }
        QJsonArray messages;
        if (!s.prompt.system.isEmpty())
            messages.append(QJsonObject { { QStringLiteral("role"), QStringLiteral("system") },
                { QStringLiteral("content"), s.prompt.system } });
        messages.append(QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
            { QStringLiteral("content"), s.prompt.user } });
        const EndpointProfile &e = m_options.endpoint;
        QJsonObject body { { QStringLiteral("model"), e.model },
            { QStringLiteral("messages"), messages },
            { QStringLiteral("temperature"), e.temperature },
            { QStringLiteral("max_tokens"), e.maxTokens }, { QStringLiteral("stream"), false } };
        if (e.seed)
            body.insert(QStringLiteral("seed"), *e.seed);
        QNetworkRequest request { QUrl(m_url) };
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        if (!m_key.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
        request.setTransferTimeout(int(e.timeoutSeconds * 1000));
        std::size_t manager = 0;
        for (std::size_t i = 1; i < m_managers.size(); ++i)
            if (m_managerLoad[i] < m_managerLoad[manager])
                manager = i;
        ++m_managerLoad[manager];
        QNetworkReply *reply =
            m_managers[manager]->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        m_inFlight.insert(reply, index);
        const qint64 started = m_clock.elapsed();
        connect(reply, &QNetworkReply::finished, this, [this, reply, index, manager, started] {
            --m_managerLoad[manager];
            m_inFlight.remove(reply);
            reply->deleteLater();
            finished(reply, index, double(m_clock.elapsed() - started));
            pump();
        });
    }

    void retryLater(int index, qint64 delayMs)
    {
        State &s = m_units[std::size_t(index)];
        if (++s.transientFailures >= m_options.maxTransientFailures) {
            ++m_progress.failedUnits;
            return;
        }
        s.readyAt = m_clock.elapsed() + delayMs;
        m_delayed.append(index);
    }

    void finished(QNetworkReply *reply, int index, double latencyMs)
    {
        State &s = m_units[std::size_t(index)];
        const QNetworkReply::NetworkError netError = reply->error();
        if (m_stopping && netError == QNetworkReply::OperationCanceledError)
            return; // aborted by stop(): not an attempt of the endpoint's
        storage::LlmAttempt a;
        a.itemId = s.unit.itemId;
        a.responseId = s.unit.responseId;
        a.run = s.unit.run;
        a.target = s.unit.target;
        a.attempt = ++s.attempts;
        a.promptHash = s.promptHash;
        a.promptJson = s.promptJson;
        a.latencyMs = latencyMs;
        a.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen())
            a.rawReply = reply->readAll();
        ++m_progress.attempts;
        const auto failed = [&](const QString &why) {
            a.error = why;
            ++m_progress.failedAttempts;
            m_attempts.append(a);
        };
        const bool networkLayer = netError != QNetworkReply::NoError && netError < 200;
        if (networkLayer || a.httpStatus == 0) {
            a.httpStatus = 0; // a dropped reply may carry the status line it had begun
            failed(netError == QNetworkReply::OperationCanceledError
                    ? QStringLiteral("timeout after %1 s").arg(m_options.endpoint.timeoutSeconds)
                    : QStringLiteral("network: ") + reply->errorString());
            retryLater(index, backoff(s.transientFailures));
            return;
        }
        if (a.httpStatus == 429) {
            bool ok = false;
            const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
            failed(QStringLiteral("HTTP 429 (Retry-After %1)")
                       .arg(ok ? QString::number(seconds) : QStringLiteral("none")));
            retryLater(index,
                ok ? qint64(std::clamp(seconds, 0, m_options.maxRetryAfterSeconds)) * 1000
                   : backoff(s.transientFailures));
            return;
        }
        if (a.httpStatus >= 500) {
            failed(QStringLiteral("HTTP %1").arg(a.httpStatus));
            retryLater(index, backoff(s.transientFailures));
            return;
        }
        if (a.httpStatus >= 300) {
            failed(QStringLiteral("HTTP %1").arg(a.httpStatus));
            ++m_progress.failedUnits;
            const QString message = QJsonDocument::fromJson(a.rawReply)
                                        .object()
                                        .value(QStringLiteral("error"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toString();
            QString hint;
            if (a.httpStatus == 401 || a.httpStatus == 403)
                hint = m_options.endpoint.keyEnv.isEmpty()
                    ? QStringLiteral("; the endpoint wants a key: add --key-env VAR to the profile")
                    : QStringLiteral("; check the key in $%1").arg(m_options.endpoint.keyEnv);
            else if (a.httpStatus == 404)
                hint = QStringLiteral("; check the profile's --url and --model");
            m_stopReason =
                QStringLiteral("endpoint %1 refused the request: HTTP %2%3%4")
                    .arg(m_options.endpoint.name)
                    .arg(a.httpStatus)
                    .arg(message.isEmpty() ? QString()
                                           : QStringLiteral(" (") + message + QLatin1Char(')'))
                    .arg(hint);
            stop();
            return;
        }
        QJsonParseError parseError;
        const QJsonObject body = QJsonDocument::fromJson(a.rawReply, &parseError).object();
        const QJsonObject choice = body.value(QStringLiteral("choices")).toArray().at(0).toObject();
        const QJsonValue content =
            choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("content"));
        a.serverModel = body.value(QStringLiteral("model")).toString();
        a.finishReason = choice.value(QStringLiteral("finish_reason")).toString();
        const QJsonObject usage = body.value(QStringLiteral("usage")).toObject();
        if (usage.contains(QStringLiteral("prompt_tokens")))
            a.promptTokens = qint64(usage.value(QStringLiteral("prompt_tokens")).toDouble());
        if (usage.contains(QStringLiteral("completion_tokens")))
            a.completionTokens =
                qint64(usage.value(QStringLiteral("completion_tokens")).toDouble());
        QString problem;
        storage::LlmResult result;
        result.unit = s.unit;
        bool ok = false;
        if (parseError.error != QJsonParseError::NoError || !content.isString()) {
            problem = QStringLiteral("the reply is not a chat completion");
        } else if (m_options.task == Task::Classify) {
            if (const auto category = parseCategory(content.toString(), m_protocol, &problem)) {
                result.category = *category;
                a.result = *category;
                ok = true;
            }
        } else if (m_options.task == Task::Judge) {
            if (const auto score = parseScore(content.toString(), &problem)) {
                result.score = *score;
                a.result = QString::number(*score);
                ok = true;
            }
        } else if (content.toString().trimmed().isEmpty()) {
            problem = QStringLiteral("empty response");
        } else {
            result.text = content.toString();
            result.tokens = a.completionTokens;
            a.result = QStringLiteral("response");
            ok = true;
        }
        if (!ok) {
            failed(problem);
            if (++s.parseFailures >= m_options.maxParseFailures)
                ++m_progress.failedUnits;
            else
                m_ready.append(index);
            return;
        }
        m_attempts.append(a);
        m_results.append(std::move(result));
        ++m_progress.done;
        s.prompt = {}; // done: its text is no longer needed
        s.promptJson.clear();
        if (m_attempts.size() >= flushEvery)
            flush();
    }

    qint64 backoff(int failures) const
    {
        const qint64 ms = qint64(m_options.backoffMs) << std::min(std::max(failures, 0), 16);
        return std::min<qint64>(ms, 30000);
    }

    storage::Study &m_study;
    storage::LlmRunStore m_store;
    const RunOptions &m_options;
    protocol::Protocol m_protocol;
    qint64 m_runId;
    QString m_key;
    QString m_url;
    std::vector<State> m_units;
    QList<int> m_ready;
    qsizetype m_readyNext = 0;
    QList<int> m_delayed;
    QHash<QNetworkReply *, int> m_inFlight;
    std::vector<QNetworkAccessManager *> m_managers;
    std::vector<int> m_managerLoad;
    QList<storage::LlmAttempt> m_attempts;
    QList<storage::LlmResult> m_results;
    RunProgress m_progress;
    QElapsedTimer m_clock;
    qint64 m_lastFlush = 0;
    double m_nextStart = 0;
    QTimer m_wake;
    QTimer m_tick;
    QEventLoop m_loop;
    bool m_stopping = false;
    bool m_cancelled = false;
    QString m_stopReason;
    storage::Error m_error;
};

} // namespace

std::optional<RunSummary> runTask(
    storage::Study &study, const RunOptions &options, storage::Error *error)
{
    if (const QString problem = options.endpoint.problem(); !problem.isEmpty()) {
        *error = storage::Error::invalid(
            QStringLiteral("endpoint %1: %2").arg(options.endpoint.name, problem));
        return std::nullopt;
    }
    if (options.runs < 1) {
        *error = storage::Error::invalid(QStringLiteral("--runs must be 1 or more"));
        return std::nullopt;
    }
    if (!options.models.isEmpty() && options.task != Task::Judge) {
        *error = storage::Error::invalid(QStringLiteral("--models applies to llm judge only"));
        return std::nullopt;
    }
    bool missingKey = false;
    const QString key = options.endpoint.apiKey(&missingKey);
    if (missingKey && !options.dryRun) {
        *error = storage::Error::invalid(
            QStringLiteral("endpoint %1: environment variable %2 (its key) is not set")
                .arg(options.endpoint.name, options.endpoint.keyEnv));
        return std::nullopt;
    }
    const protocol::Protocol protocol = study.currentProtocol();
    const protocol::PromptTemplate prompt = promptTemplate(protocol, options.task);
    storage::LlmRunRecipe recipe;
    recipe.task = taskName(options.task);
    recipe.endpoint = options.endpoint.name;
    recipe.model = options.endpoint.model;
    recipe.runs = options.runs;
    recipe.models = options.models;
    recipe.paramsJson = QJsonDocument(paramsOf(options.endpoint)).toJson(QJsonDocument::Compact);
    recipe.templateHash = templateHash(prompt);
    storage::LlmRunStore store(study);
    auto plan = store.plan(recipe, error);
    if (!plan)
        return std::nullopt;
    RunSummary summary;
    summary.alreadyDone = plan->done;
    summary.skippedNoCategory = plan->skippedNoCategory;
    summary.progress.total = plan->pending.size();
    if (options.dryRun) {
        for (const storage::LlmUnit &u : std::as_const(plan->pending)) {
            QString problem;
            if (const auto rendered = renderPrompt(protocol, options.task, inputOf(u), &problem))
                summary.promptTokensEstimate +=
                    (rendered->system.size() + rendered->user.size() + 3) / 4;
        }
        summary.completionTokensLimit = qint64(plan->pending.size()) * options.endpoint.maxTokens;
        return summary;
    }
    if (plan->pending.isEmpty())
        return summary;
    summary.runId = store.startRun(recipe, error);
    if (!summary.runId)
        return std::nullopt;
    Scheduler scheduler(study, options, protocol, std::move(plan->pending), summary.runId, key);
    if (!scheduler.run(&summary, error))
        return std::nullopt;
    const QJsonObject done { { QStringLiteral("units"), summary.progress.total },
        { QStringLiteral("done"), summary.progress.done },
        { QStringLiteral("failed_units"), summary.progress.failedUnits },
        { QStringLiteral("attempts"), summary.progress.attempts },
        { QStringLiteral("failed_attempts"), summary.progress.failedAttempts },
        { QStringLiteral("cancelled"), summary.cancelled },
        { QStringLiteral("stop_reason"), summary.stopReason } };
    if (!store.finishRun(summary.runId, QJsonDocument(done).toJson(QJsonDocument::Compact), error))
        return std::nullopt;
    return summary;
}

} // namespace cr::llm
