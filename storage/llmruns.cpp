#include "storage/llmruns.h"

#include "storage/records.h"
#include "storage/study.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace cr::storage {

namespace {

Error queryError(const Study &study, const QSqlQuery &q)
{
    return Error::storage(study.path() + QStringLiteral(": ") + q.lastError().text());
}

QStringList turnsOf(const QString &json)
{
    QStringList turns;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        turns.append(v.toString());
    return turns;
}

QVariant optionalInt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

QVariant textOrNull(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

} // namespace

LlmRunStore::LlmRunStore(Study &study)
    : m_study(study)
{
}

std::optional<LlmPlan> LlmRunStore::plan(const LlmRunRecipe &recipe, Error *error)
{
    QSqlQuery q(m_study.database());
    q.setForwardOnly(true);
    LlmPlan plan;
    const auto fail = [&] {
        *error = queryError(m_study, q);
        return std::nullopt;
    };
    if (recipe.task == QLatin1String("judge")) {
        // The category each item is judged under: its reference label, else the most
        // frequent human label (ties: the smallest id).
        QHash<qint64, QString> humanMajority;
        if (!q.exec(QStringLiteral(
                "SELECT c.item_id, c.category, count(*) AS n FROM category_label c"
                " JOIN rater r ON r.id = c.rater_id AND r.kind = 'human'"
                " GROUP BY c.item_id, c.category ORDER BY c.item_id, n DESC, c.category")))
            return fail();
        while (q.next())
            if (!humanMajority.contains(q.value(0).toLongLong()))
                humanMajority.insert(q.value(0).toLongLong(), q.value(1).toString());
        QSet<std::pair<qint64, QString>> done;
        q.prepare(QStringLiteral("SELECT s.response_id, r.name FROM response_rating s"
                                 " JOIN rater r ON r.id = s.rater_id WHERE r.name LIKE ?"));
        q.addBindValue(QString(recipe.model + QStringLiteral(":judge#%")));
        if (!q.exec())
            return fail();
        while (q.next())
            done.insert({ q.value(0).toLongLong(), q.value(1).toString() });
        if (!q.exec(QStringLiteral(
                "SELECT s.id, s.item_id, i.external_id, i.turns, i.reference_label, m.name, s.run,"
                " s.text FROM response s JOIN item i ON i.id = s.item_id"
                " JOIN model m ON m.id = s.model_id ORDER BY s.item_id, m.name, s.run")))
            return fail();
        while (q.next()) {
            LlmUnit u;
            u.responseModel = q.value(5).toString();
            if (!recipe.models.isEmpty() && !recipe.models.contains(u.responseModel))
                continue;
            u.responseId = q.value(0).toLongLong();
            u.itemId = q.value(1).toLongLong();
            u.externalId = q.value(2).toString();
            u.category = q.value(4).toString();
            if (u.category.isEmpty())
                u.category = humanMajority.value(u.itemId);
            if (u.category.isEmpty()) {
                plan.skippedNoCategory += recipe.runs;
                continue;
            }
            u.turns = turnsOf(q.value(3).toString());
            u.responseRun = q.value(6).toInt();
            u.responseText = q.value(7).toString();
            for (int run = 1; run <= recipe.runs; ++run) {
                u.run = run;
                u.target = recipe.model + QStringLiteral(":judge#") + QString::number(run);
                if (done.contains({ u.responseId, u.target }))
                    ++plan.done;
                else
                    plan.pending.append(u);
            }
        }
        return plan;
    }
    const bool classify = recipe.task == QLatin1String("classify");
    QSet<std::pair<qint64, QString>> done;
    if (classify) {
        q.prepare(QStringLiteral("SELECT c.item_id, r.name FROM category_label c"
                                 " JOIN rater r ON r.id = c.rater_id WHERE r.name LIKE ?"));
        q.addBindValue(QString(recipe.model + QStringLiteral(":classify#%")));
    } else {
        q.prepare(QStringLiteral("SELECT s.item_id, s.run FROM response s"
                                 " JOIN model m ON m.id = s.model_id WHERE m.name = ?"));
        q.addBindValue(recipe.endpoint);
    }
    if (!q.exec())
        return fail();
    while (q.next())
        done.insert({ q.value(0).toLongLong(),
            classify ? q.value(1).toString()
                     : recipe.endpoint + QLatin1Char('#') + q.value(1).toString() });
    if (!q.exec(QStringLiteral("SELECT id, external_id, turns FROM item ORDER BY id")))
        return fail();
    while (q.next()) {
        LlmUnit u;
        u.itemId = q.value(0).toLongLong();
        u.externalId = q.value(1).toString();
        u.turns = turnsOf(q.value(2).toString());
        for (int run = 1; run <= recipe.runs; ++run) {
            u.run = run;
            u.target = classify ? recipe.model + QStringLiteral(":classify#") + QString::number(run)
                                : recipe.endpoint;
            const QString key =
                classify ? u.target : recipe.endpoint + QLatin1Char('#') + QString::number(run);
            if (done.contains({ u.itemId, key }))
                ++plan.done;
            else
                plan.pending.append(u);
        }
    }
    return plan;
}

qint64 LlmRunStore::startRun(const LlmRunRecipe &recipe, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return 0;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral(
        "INSERT INTO llm_run(task, endpoint, model, runs, models, params, template_hash,"
        " protocol_id, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(recipe.task);
    q.addBindValue(recipe.endpoint);
    q.addBindValue(recipe.model);
    q.addBindValue(recipe.runs);
    q.addBindValue(recipe.models.isEmpty()
            ? QVariant(QMetaType(QMetaType::QString))
            : QVariant(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(recipe.models))
                                             .toJson(QJsonDocument::Compact))));
    q.addBindValue(QString::fromUtf8(recipe.paramsJson));
    q.addBindValue(recipe.templateHash);
    q.addBindValue(m_study.currentProtocolId());
    q.addBindValue(textOrNull(m_study.actor()));
    q.addBindValue(Study::now());
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return 0;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    const QJsonObject after { { QStringLiteral("task"), recipe.task },
        { QStringLiteral("endpoint"), recipe.endpoint }, { QStringLiteral("model"), recipe.model },
        { QStringLiteral("runs"), recipe.runs },
        { QStringLiteral("template_hash"), recipe.templateHash } };
    if (!m_study.appendEvent(QStringLiteral("llm.run"), QStringLiteral("llm_run"), id, QString(),
            QString::fromUtf8(QJsonDocument(after).toJson(QJsonDocument::Compact)), error))
        return 0;
    return tx.commit(error) ? id : 0;
}

bool LlmRunStore::write(
    qint64 runId, const QList<LlmAttempt> &attempts, const QList<LlmResult> &results, Error *error)
{
    if (attempts.isEmpty() && results.isEmpty())
        return true;
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    const QString now = Study::now();
    QSqlQuery prompt(m_study.database());
    QSqlQuery promptId(m_study.database());
    QSqlQuery insert(m_study.database());
    prompt.prepare(
        QStringLiteral("INSERT INTO llm_prompt(hash, text) VALUES (?, ?) ON CONFLICT DO NOTHING"));
    promptId.prepare(QStringLiteral("SELECT id FROM llm_prompt WHERE hash = ?"));
    insert.prepare(QStringLiteral(
        "INSERT INTO llm_request(run_id, item_id, response_id, run, target, attempt, prompt_id,"
        " http_status, raw_reply, server_model, finish_reason, prompt_tokens, completion_tokens,"
        " latency_ms, error, result, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)"));
    QHash<QString, qint64> promptIds;
    for (const LlmAttempt &a : attempts) {
        qint64 pid = promptIds.value(a.promptHash);
        if (!pid) {
            prompt.addBindValue(a.promptHash);
            prompt.addBindValue(QString::fromUtf8(a.promptJson));
            promptId.addBindValue(a.promptHash);
            if (!prompt.exec() || !promptId.exec() || !promptId.next()) {
                *error = queryError(m_study, prompt.lastError().isValid() ? prompt : promptId);
                return false;
            }
            pid = promptId.value(0).toLongLong();
            promptId.finish();
            promptIds.insert(a.promptHash, pid);
        }
        insert.addBindValue(runId);
        insert.addBindValue(a.itemId);
        insert.addBindValue(
            a.responseId ? QVariant(a.responseId) : QVariant(QMetaType(QMetaType::LongLong)));
        insert.addBindValue(a.run);
        insert.addBindValue(a.target);
        insert.addBindValue(a.attempt);
        insert.addBindValue(pid);
        insert.addBindValue(
            a.httpStatus ? QVariant(a.httpStatus) : QVariant(QMetaType(QMetaType::Int)));
        insert.addBindValue(a.rawReply.isNull() ? QVariant(QMetaType(QMetaType::QString))
                                                : QVariant(QString::fromUtf8(a.rawReply)));
        insert.addBindValue(textOrNull(a.serverModel));
        insert.addBindValue(textOrNull(a.finishReason));
        insert.addBindValue(optionalInt(a.promptTokens));
        insert.addBindValue(optionalInt(a.completionTokens));
        insert.addBindValue(a.latencyMs);
        insert.addBindValue(textOrNull(a.error));
        insert.addBindValue(textOrNull(a.result));
        insert.addBindValue(now);
        if (!insert.exec()) {
            *error = queryError(m_study, insert);
            return false;
        }
    }
    if (!results.isEmpty()) {
        RecordWriter writer(m_study);
        if (!writer.prepare(error))
            return false;
        for (const LlmResult &r : results) {
            RowError rowError;
            RecordWriter::Outcome outcome = RecordWriter::Outcome::Ok;
            if (!r.text.isNull()) {
                ResponseRecord response;
                response.model = r.unit.target.toUtf8();
                response.run = r.unit.run;
                response.text = r.text.toUtf8();
                response.tokens = r.tokens;
                outcome = writer.writeResponseOf(
                    r.unit.itemId, r.unit.externalId.toUtf8(), response, &rowError);
            } else {
                RatingRecord rating;
                rating.rater = r.unit.target;
                rating.kind = QStringLiteral("llm");
                rating.itemId = r.unit.externalId;
                if (!r.category.isEmpty())
                    rating.category = r.category;
                if (r.score) {
                    rating.model = r.unit.responseModel;
                    rating.run = r.unit.responseRun;
                    rating.score = r.score;
                }
                outcome = writer.writeRating(rating, &rowError);
            }
            if (outcome == RecordWriter::Outcome::Fatal) {
                *error = writer.fatalError();
                return false;
            }
            if (outcome == RecordWriter::Outcome::Invalid) {
                *error =
                    Error::invalid(QStringLiteral("item '%1': %2: %3")
                                       .arg(r.unit.externalId, rowError.field, rowError.reason));
                return false;
            }
        }
    }
    return tx.commit(error);
}

bool LlmRunStore::finishRun(qint64 runId, const QByteArray &summaryJson, Error *error)
{
    WriteTransaction tx(m_study, error);
    if (!tx.isActive())
        return false;
    QSqlQuery q(m_study.database());
    q.prepare(QStringLiteral("UPDATE llm_run SET summary = ? WHERE id = ?"));
    q.addBindValue(QString::fromUtf8(summaryJson));
    q.addBindValue(runId);
    if (!q.exec()) {
        *error = queryError(m_study, q);
        return false;
    }
    return tx.commit(error);
}

} // namespace cr::storage
