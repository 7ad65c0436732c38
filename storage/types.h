#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace cr::storage {

enum class RaterKind { Human, Llm };
enum class RaterRole { Rater, Adjudicator, Researcher };

QString toString(RaterKind kind);
QString toString(RaterRole role);
std::optional<RaterKind> raterKindFromString(QStringView text);
std::optional<RaterRole> raterRoleFromString(QStringView text);

struct Rater {
    qint64 id = 0;
    QString name;
    RaterKind kind = RaterKind::Human;
    RaterRole role = RaterRole::Rater;
    QString pseudonym;
};

/// A crisis input. `turns` are the person's message split into turns/sentences.
struct Item {
    qint64 id = 0;
    QString externalId;
    QString dataset;
    QString split;
    QStringList turns;
    QString referenceLabel;
    QString metadataJson;
};

struct Model {
    qint64 id = 0;
    QString name;
};

/// A candidate model response to an item. `modelName` is for researchers only:
/// rating pages must never display it.
struct Response {
    qint64 id = 0;
    qint64 itemId = 0;
    qint64 modelId = 0;
    QString modelName;
    int run = 1;
    QString text;
    bool refusal = false;
    std::optional<int> tokens;
};

struct Assignment {
    qint64 id = 0;
    qint64 raterId = 0;
    qint64 itemId = 0;
    quint64 seed = 0;
    QString status;
    bool calibration = false;
    bool flagged = false;
    /// Why it was skipped: "skipped", "distressing", or "" (never skipped).
    QString skipReason;
};

struct CategoryLabel {
    qint64 itemId = 0;
    qint64 raterId = 0;
    QString category;
    QString note;
};

/// A 1–5 score or "cannot assess" (score empty) by one rater on one response.
struct ResponseRating {
    qint64 responseId = 0;
    qint64 raterId = 0;
    std::optional<int> score;
    bool cannotAssess = false;
    QStringList checklist;
    QString rationale;
    std::optional<double> secondsSpent;
};

/// A final decision on an item (category) or a response (score).
/// Raw ratings are never overwritten by it.
struct Adjudication {
    qint64 id = 0;
    std::optional<qint64> itemId;
    std::optional<qint64> responseId;
    QString category;
    std::optional<int> score;
    qint64 adjudicatorId = 0;
    QStringList reasonTags;
    QString note;
    QString createdAt;
};

struct Event {
    qint64 id = 0;
    QString at;
    QString actor;
    QString action;
    QString entity;
    qint64 entityId = 0;
    QString before;
    QString after;
};

} // namespace cr::storage
