#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::protocol {

/// One level of the appropriateness scale (value 1..5).
struct Level {
    int value = 0;
    QString name;

    friend bool operator==(const Level &, const Level &) = default;
};

/// A crisis category with its per-level anchors (anchors[0] is level 1).
struct Category {
    QString id;
    QString name;
    QString description;
    QStringList aliases;
    QChar key;
    QStringList anchors;

    friend bool operator==(const Category &, const Category &) = default;
};

/// An optional per-response checklist tick. Empty `categories` = applies to all.
struct ChecklistItem {
    QString id;
    QString text;
    QStringList categories;

    friend bool operator==(const ChecklistItem &, const ChecklistItem &) = default;
};

/// A failure-mode tag used as a reason when adjudicating.
struct FailureMode {
    QString id;
    QString name;
    bool freeText = false;

    friend bool operator==(const FailureMode &, const FailureMode &) = default;
};

/// A prompt template of an LLM task ("respond", "classify" or "judge"; llm/prompts.h
/// lists the {{placeholders}}). A protocol without one uses llm/'s default for the task.
struct PromptTemplate {
    QString task;
    QString system;
    QString user;

    friend bool operator==(const PromptTemplate &, const PromptTemplate &) = default;
};

/// The clinical protocol a study is rated under: taxonomy, scale, anchors,
/// checklist and failure-mode tags. Plain value type; cheap to copy.
struct Protocol {
    QString name;
    QString version;
    QList<Level> levels;
    QList<Category> categories;
    QList<ChecklistItem> checklist;
    QList<FailureMode> failureModes;
    /// Optional (key "prompts"); written to toJson() only when present, so a protocol
    /// without prompts keeps its hash.
    QList<PromptTemplate> prompts;

    /// The template for `task`, or nullptr when the protocol has none.
    const PromptTemplate *prompt(QStringView task) const;

    /// Index of the category whose id equals `idOrAlias` exactly (case-sensitive), else
    /// of the category with an alias equal to it ignoring case; -1 when none matches.
    int categoryIndex(QStringView idOrAlias) const;
    /// Canonical category id for an id or alias; empty when unknown.
    QString canonicalCategory(QStringView idOrAlias) const;
    /// Canonical JSON (stable key order, compact) — what is stored in a study.
    QByteArray toJson() const;
    /// SHA-256 hex of toJson(): identifies this protocol version's content.
    QString contentHash() const;

    friend bool operator==(const Protocol &, const Protocol &) = default;
};

/// Parses and validates a protocol document. On failure returns nullopt and sets
/// `error` (if not null) to "JSON.PATH: what is wrong" (e.g. "categories[3].anchors.5:
/// missing"; "(root): ..." for the document itself), or to "line L, column C: ..." for a
/// syntax error (column in characters). Unknown keys are rejected. Never throws.
std::optional<Protocol> parseProtocol(const QByteArray &json, QString *error);

/// Reads and parses a protocol file; errors are prefixed with the file name.
std::optional<Protocol> loadProtocolFile(const QString &path, QString *error);

/// The default protocol shipped in resources (PROTOCOL.md). Parsed once.
const Protocol &defaultProtocol();

} // namespace cr::protocol
