#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class QTcpServer;
class QTcpSocket;

namespace cr::test {

/// A fault the fake server injects instead of its normal reply.
struct FakeFault {
    enum class Kind {
        TooManyRequests, ///< HTTP 429 with Retry-After: retryAfter
        ServerError, ///< HTTP 500
        BadRequest, ///< HTTP 401 (a bad key): the client must stop
        Timeout, ///< never answers (the connection stays open)
        InvalidJson, ///< the reply's content is prose, not JSON
        BrokenBody, ///< the HTTP body itself is not JSON
        Fenced, ///< the normal answer inside a ```json fence (valid)
        WrongLabel, ///< {"category": "not_a_category"}
        OutOfRange, ///< {"score": 7}
        Drop, ///< headers and half the body, then the connection is closed
    };
    Kind kind = Kind::ServerError;
    /// Applies to requests whose last user message contains this text (empty: every one).
    QString match;
    /// How many matching requests get the fault (-1: all of them).
    int times = 1;
    int retryAfter = 1;
};

/// A local OpenAI-compatible chat-completions server for tests and benchmarks: listens on
/// 127.0.0.1 (a free port), answers POST /v1/chat/completions with replies derived
/// deterministically from the prompt, injects faults, and records what it received.
/// Replies: a prompt asking for {"category": ...} gets one of the ids listed in it as
/// "- ID:" lines; one asking for {"score": ...} gets 1..5; any other gets a short response
/// (supportive, or dismissive for some prompts: harmful by dismissal only).
class FakeLlmServer : public QObject {
    Q_OBJECT
public:
    explicit FakeLlmServer(QObject *parent = nullptr);
    ~FakeLlmServer() override;

    bool listen(quint16 port = 0);
    quint16 port() const;
    /// "http://127.0.0.1:PORT/v1"
    QString baseUrl() const;

    /// Milliseconds each reply waits before it is sent (so concurrency can be observed).
    void setDelayMs(int ms) { m_delayMs = ms; }
    void addFault(const FakeFault &fault)
    {
        m_faults.append(fault);
        m_faultUses.append(0);
    }
    void clearFaults()
    {
        m_faults.clear();
        m_faultUses.clear();
    }
    /// {"delay_ms": N, "faults": [{"kind": "429|500|401|timeout|invalid-json|broken-body|
    /// fenced|wrong-label|out-of-range|drop", "match": TEXT, "times": N, "retry_after": S}]}
    bool loadScript(const QByteArray &json, QString *error);

    /// The user message of each request in arrival order; the whole request bodies.
    const QStringList &prompts() const { return m_prompts; }
    const QList<QJsonObject> &requests() const { return m_requests; }
    /// Milliseconds since listen() at which each request arrived.
    const QList<qint64> &arrivals() const { return m_arrivals; }
    int requestCount() const { return int(m_prompts.size()); }
    int maxConcurrency() const { return m_maxInFlight; }
    int faultsInjected() const { return m_faultsInjected; }
    /// {"requests", "max_concurrency", "faults"} — also served at GET /stats.
    QJsonObject stats() const;

    /// The deterministic content for a request's messages (no fault).
    static QString answerFor(const QString &system, const QString &user);

private:
    struct Connection {
        QByteArray buffer;
        bool busy = false;
    };
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handleRequest(QTcpSocket *socket, const QByteArray &method, const QByteArray &path,
        const QByteArray &body);
    void reply(QTcpSocket *socket, int status, const QByteArray &body,
        const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    const FakeFault *takeFault(const QString &user);

    QTcpServer *m_server;
    QHash<QTcpSocket *, Connection> m_connections;
    QList<FakeFault> m_faults;
    QList<int> m_faultUses;
    QStringList m_prompts;
    QList<QJsonObject> m_requests;
    QList<qint64> m_arrivals;
    QElapsedTimer m_clock;
    int m_delayMs = 0;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    int m_faultsInjected = 0;
    qint64 m_nextId = 1;
};

} // namespace cr::test
