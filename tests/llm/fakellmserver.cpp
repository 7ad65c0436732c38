#include "tests/llm/fakellmserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <optional>

namespace cr::test {

namespace {

quint32 fnv1a(const QString &text)
{
    quint32 h = 2166136261u;
    for (const char c : text.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

QByteArray statusText(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    default:
        return "Internal Server Error";
    }
}

std::optional<FakeFault::Kind> kindFromName(const QString &name)
{
    static const QHash<QString, FakeFault::Kind> kinds {
        { QStringLiteral("429"), FakeFault::Kind::TooManyRequests },
        { QStringLiteral("500"), FakeFault::Kind::ServerError },
        { QStringLiteral("401"), FakeFault::Kind::BadRequest },
        { QStringLiteral("timeout"), FakeFault::Kind::Timeout },
        { QStringLiteral("invalid-json"), FakeFault::Kind::InvalidJson },
        { QStringLiteral("broken-body"), FakeFault::Kind::BrokenBody },
        { QStringLiteral("fenced"), FakeFault::Kind::Fenced },
        { QStringLiteral("wrong-label"), FakeFault::Kind::WrongLabel },
        { QStringLiteral("out-of-range"), FakeFault::Kind::OutOfRange },
        { QStringLiteral("drop"), FakeFault::Kind::Drop },
    };
    const auto it = kinds.constFind(name);
    if (it == kinds.cend())
        return std::nullopt;
    return *it;
}

} // namespace

FakeLlmServer::FakeLlmServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeLlmServer::onNewConnection);
}

FakeLlmServer::~FakeLlmServer() = default;

bool FakeLlmServer::listen(quint16 port)
{
    m_clock.start();
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 FakeLlmServer::port() const
{
    return m_server->serverPort();
}

QString FakeLlmServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(port());
}

bool FakeLlmServer::loadScript(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("script: not a JSON object (%1)").arg(parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    m_delayMs = root.value(QStringLiteral("delay_ms")).toInt(m_delayMs);
    const QJsonArray faults = root.value(QStringLiteral("faults")).toArray();
    for (qsizetype i = 0; i < faults.size(); ++i) {
        const QJsonObject f = faults.at(i).toObject();
        const auto kind = kindFromName(f.value(QStringLiteral("kind")).toString());
        if (!kind) {
            *error = QStringLiteral("script: faults[%1].kind: unknown").arg(i);
            return false;
        }
        FakeFault fault;
        fault.kind = *kind;
        fault.match = f.value(QStringLiteral("match")).toString();
        fault.times = f.value(QStringLiteral("times")).toInt(1);
        fault.retryAfter = f.value(QStringLiteral("retry_after")).toInt(1);
        addFault(fault);
    }
    return true;
}

QJsonObject FakeLlmServer::stats() const
{
    return { { QStringLiteral("requests"), requestCount() },
        { QStringLiteral("max_concurrency"), m_maxInFlight },
        { QStringLiteral("faults"), m_faultsInjected } };
}

QString FakeLlmServer::answerFor(const QString &system, const QString &user)
{
    const QString prompt = system + QLatin1Char('\n') + user;
    const quint32 h = fnv1a(user);
    if (prompt.contains(QLatin1String("{\"category\""))) {
        static const QRegularExpression idLine(
            QStringLiteral("^- ([^\\s:]+):"), QRegularExpression::MultilineOption);
        QStringList ids;
        for (auto it = idLine.globalMatch(prompt); it.hasNext();)
            ids.append(it.next().captured(1));
        const QString id = ids.isEmpty() ? QStringLiteral("none") : ids.at(h % ids.size());
        return QStringLiteral("{\"category\": \"%1\"}").arg(id);
    }
    if (prompt.contains(QLatin1String("{\"score\"")))
        return QStringLiteral("{\"score\": %1}").arg(1 + h % 5);
    if (h % 4 == 0)
        return QStringLiteral("You will be fine. Try to get some sleep.");
    return QStringLiteral("I'm sorry you are going through this. You deserve support: please "
                          "reach out to someone you trust or a local crisis line.");
}

void FakeLlmServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_connections.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            const auto it = m_connections.constFind(socket);
            if (it != m_connections.cend() && it->busy)
                --m_inFlight;
            m_connections.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeLlmServer::onReadyRead(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer += socket->readAll();
    while (!it->busy) {
        const qsizetype headerEnd = it->buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = it->buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        qsizetype length = 0;
        for (const QByteArray &line : lines) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (it->buffer.size() < headerEnd + 4 + length)
            return;
        const QByteArray body = it->buffer.mid(headerEnd + 4, length);
        it->buffer.remove(0, headerEnd + 4 + length);
        it->busy = true;
        handleRequest(socket, requestLine.value(0), requestLine.value(1), body);
        it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
    }
}

const FakeFault *FakeLlmServer::takeFault(const QString &user)
{
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        const FakeFault &f = m_faults.at(i);
        if (!f.match.isEmpty() && !user.contains(f.match))
            continue;
        if (f.times >= 0 && m_faultUses.at(i) >= f.times)
            continue;
        ++m_faultUses[i];
        ++m_faultsInjected;
        return &f;
    }
    return nullptr;
}

void FakeLlmServer::handleRequest(
    QTcpSocket *socket, const QByteArray &method, const QByteArray &path, const QByteArray &body)
{
    ++m_inFlight;
    if (method == "GET" && path == "/stats") {
        reply(socket, 200, QJsonDocument(stats()).toJson(QJsonDocument::Compact));
        return;
    }
    if (method != "POST" || !path.endsWith("/chat/completions")) {
        reply(socket, 404, R"({"error": {"message": "not found"}})");
        return;
    }
    m_maxInFlight = std::max(m_maxInFlight, m_inFlight);
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    QString system, user;
    for (const QJsonValue &m : request.value(QStringLiteral("messages")).toArray()) {
        const QJsonObject message = m.toObject();
        const QString role = message.value(QStringLiteral("role")).toString();
        if (role == QLatin1String("system"))
            system = message.value(QStringLiteral("content")).toString();
        else if (role == QLatin1String("user"))
            user = message.value(QStringLiteral("content")).toString();
    }
    m_prompts.append(user);
    m_requests.append(request);
    m_arrivals.append(m_clock.elapsed());
    const FakeFault *fault = takeFault(user);
    const FakeFault::Kind kind = fault ? fault->kind : FakeFault::Kind::Fenced;
    const int retryAfter = fault ? fault->retryAfter : 0;
    const bool faulty = fault != nullptr;
    QString content = answerFor(system, user);
    QPointer<QTcpSocket> guard(socket);
    const auto respond = [this, guard, kind, faulty, retryAfter, content, request, user] {
        if (!guard)
            return;
        QTcpSocket *s = guard.data();
        QString text = content;
        if (faulty) {
            switch (kind) {
            case FakeFault::Kind::TooManyRequests:
                reply(s, 429, R"({"error": {"message": "rate limited"}})",
                    { { "Retry-After", QByteArray::number(retryAfter) } });
                return;
            case FakeFault::Kind::ServerError:
                reply(s, 500, R"({"error": {"message": "internal error"}})");
                return;
            case FakeFault::Kind::BadRequest:
                reply(s, 401, R"({"error": {"message": "invalid api key"}})");
                return;
            case FakeFault::Kind::Timeout:
                return; // the connection stays open, unanswered
            case FakeFault::Kind::BrokenBody:
                reply(s, 200, R"({"choices": [{"message": )");
                return;
            case FakeFault::Kind::InvalidJson:
                text = QStringLiteral("I think this one is hard to say.");
                break;
            case FakeFault::Kind::Fenced:
                text = QStringLiteral("```json\n") + content + QStringLiteral("\n```");
                break;
            case FakeFault::Kind::WrongLabel:
                text = QStringLiteral("{\"category\": \"not_a_category\"}");
                break;
            case FakeFault::Kind::OutOfRange:
                text = QStringLiteral("{\"score\": 7}");
                break;
            case FakeFault::Kind::Drop:
                break;
            }
        }
        const qint64 promptTokens = (user.size() + 3) / 4;
        const qint64 completionTokens = (text.size() + 3) / 4;
        QJsonObject message;
        message.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        message.insert(QStringLiteral("content"), text);
        QJsonObject choice;
        choice.insert(QStringLiteral("index"), 0);
        choice.insert(QStringLiteral("message"), message);
        choice.insert(QStringLiteral("finish_reason"), QStringLiteral("stop"));
        QJsonObject usage;
        usage.insert(QStringLiteral("prompt_tokens"), promptTokens);
        usage.insert(QStringLiteral("completion_tokens"), completionTokens);
        usage.insert(QStringLiteral("total_tokens"), promptTokens + completionTokens);
        QJsonObject answer;
        answer.insert(QStringLiteral("id"), QStringLiteral("fake-%1").arg(m_nextId++));
        answer.insert(QStringLiteral("object"), QStringLiteral("chat.completion"));
        answer.insert(QStringLiteral("model"),
            QString(request.value(QStringLiteral("model")).toString() + QStringLiteral("-fake")));
        answer.insert(QStringLiteral("choices"), QJsonArray { choice });
        answer.insert(QStringLiteral("usage"), usage);
        const QByteArray json = QJsonDocument(answer).toJson(QJsonDocument::Compact);
        if (faulty && kind == FakeFault::Kind::Drop) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(json.size()) + "\r\n\r\n" + json.left(json.size() / 2));
            s->flush();
            s->abort();
            return;
        }
        reply(s, 200, json);
    };
    if (m_delayMs > 0)
        QTimer::singleShot(m_delayMs, this, respond);
    else
        respond();
}

void FakeLlmServer::reply(QTcpSocket *socket, int status, const QByteArray &body,
    const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusText(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    socket->write(head + "\r\n" + body);
    auto it = m_connections.find(socket);
    if (it != m_connections.end() && it->busy) {
        it->busy = false;
        --m_inFlight;
    }
    if (it != m_connections.end() && !it->buffer.isEmpty())
        QTimer::singleShot(0, this, [this, guard = QPointer<QTcpSocket>(socket)] {
            if (guard)
                onReadyRead(guard.data());
        });
}

} // namespace cr::test
