#pragma once

#include "protocol/protocol.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::llm {

/// The three kinds of LLM run.
enum class Task { Respond, Classify, Judge };

QString taskName(Task task);
std::optional<Task> taskFromName(const QString &name);

/// What a prompt is rendered from. Placeholders: {{message}} (the item's turns, one per
/// line), {{categories}} ("- ID: NAME — DESCRIPTION" per category), {{category_id}},
/// {{category_name}}, {{category_description}}, {{response}}, {{anchors}} ("N (LEVEL):
/// ANCHOR" per level of the item's category).
struct PromptInput {
    QStringList turns;
    QString categoryId; ///< judge: the item's category
    QString response; ///< judge: the response scored
};

/// The template of a task: the protocol's (key "prompts") or the built-in default.
protocol::PromptTemplate promptTemplate(const protocol::Protocol &protocol, Task task);
/// SHA-256 hex of a template's system and user text: recorded with each run.
QString templateHash(const protocol::PromptTemplate &prompt);

/// A rendered request: the chat messages (system optional).
struct RenderedPrompt {
    QString system;
    QString user;
    /// {"messages": [...]} as compact JSON: what is stored once per distinct prompt.
    QByteArray json() const;
    /// SHA-256 hex of json().
    QString hash() const;
};

/// Renders a template for one unit. Fails (nullopt, `*error`) when the judge's category
/// is not in the protocol.
std::optional<RenderedPrompt> renderPrompt(
    const protocol::Protocol &protocol, Task task, const PromptInput &input, QString *error);

/// The JSON object in a reply: plain, or in a ``` / ```json fence. Anything else (prose,
/// several objects, an array) is nullopt with `*error` saying why.
std::optional<QByteArray> replyJson(const QString &content, QString *error);
/// A classifier reply {"category": "ID"}: the canonical id, or nullopt (`*error`) for a
/// reply that is not that JSON or names no category of the protocol.
std::optional<QString> parseCategory(
    const QString &content, const protocol::Protocol &protocol, QString *error);
/// A judge reply {"score": N}: N in 1..5 (an integer), or nullopt (`*error`).
std::optional<int> parseScore(const QString &content, QString *error);

} // namespace cr::llm
