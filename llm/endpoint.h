#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace cr::llm {

/// An OpenAI-compatible chat-completions endpoint (hosted API, vLLM, llama.cpp server,
/// Ollama). Kept in settings without secrets: the key is read from the environment variable
/// `keyEnv` when a run starts, never stored.
struct EndpointProfile {
    QString name;
    QString url; ///< base URL, e.g. http://127.0.0.1:8080/v1 (…/chat/completions is added)
    QString model;
    QString keyEnv; ///< empty: no key (a local server)
    int concurrency = 4;
    int rpm = 0; ///< requests per minute, 0 = no limit
    double temperature = 0.0;
    int maxTokens = 256;
    std::optional<qint64> seed;
    double timeoutSeconds = 60.0;

    /// The chat-completions URL for `url`.
    QString completionsUrl() const;
    /// The key from `keyEnv` (empty when none is named); `*missing` is set when the named
    /// variable is unset or empty.
    QString apiKey(bool *missing = nullptr) const;
    /// What is wrong with the profile (empty when it is usable).
    QString problem() const;
};

/// The endpoint profiles in the application's QSettings (group "endpoints").
class EndpointStore {
public:
    static QList<EndpointProfile> all();
    static std::optional<EndpointProfile> find(const QString &name);
    /// Adds or replaces the profile of that name.
    static void save(const EndpointProfile &profile);
    /// False when there is none of that name.
    static bool remove(const QString &name);
};

} // namespace cr::llm
