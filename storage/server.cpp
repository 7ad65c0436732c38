#include "storage/server.h"

#include "storage/backend.h"
#include "storage/schema.h"
#include "storage/schemapg.h"
#include "storage/statement.h"
#include "storage/study.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <libpq-fe.h>
#include <vector>

namespace cr::storage::server {

bool init(
    const QString &uri, const QString &title, const protocol::Protocol &protocol, Error *error)
{
    if (!isServerUri(uri)) {
        *error = Error::invalid(uri + QStringLiteral(": not a postgresql:// URI or conninfo"));
        return false;
    }
    auto study = Study::create(uri, protocol, title, error);
    if (!study)
        return false;
    WriteTransaction tx(*study, error);
    if (!tx.isActive())
        return false;
    // The study's own group roles, who may connect and what each may see: all of it in
    // the security step (storage/pgsecurity.cpp). No cluster-wide role is made.
    const QString where = displayUri(uri) + QStringLiteral(": ");
    QString message;
    if (!applySecurity(*study, &message)) {
        *error = Error::storage(where + message);
        return false;
    }
    if (!study->appendEvent(
            QStringLiteral("server.init"), QStringLiteral("study"), 0, {}, title, error))
        return false;
    return tx.commit(error);
}

} // namespace cr::storage::server

namespace cr::storage::server {

namespace {

// Every table of the schema, parents before children (the foreign keys are checked
// while rows arrive). event_sequence (PostgreSQL only) is set from the copied events.
const char *const tables[] = { "meta", "protocol", "dataset", "item", "model", "response", "rater",
    "assignment", "category_label", "response_rating", "adjudication", "event", "presentation",
    "import_run", "import_issue", "rating_session", "package", "package_key", "jury", "jury_member",
    "empty_label" };

/// Tables whose rows are ordered by `id` (the rest by their primary key columns; the
/// order only matters for reproducible copies).
bool hasIdColumn(const QString &table)
{
    return table != QLatin1String("meta") && table != QLatin1String("presentation")
        && table != QLatin1String("package") && table != QLatin1String("package_key")
        && table != QLatin1String("jury_member");
}

QString orderBy(const QString &table)
{
    if (hasIdColumn(table))
        return QStringLiteral("id");
    if (table == QLatin1String("meta"))
        return QStringLiteral("key");
    if (table == QLatin1String("presentation"))
        return QStringLiteral("rater_id, response_id");
    if (table == QLatin1String("package"))
        return QStringLiteral("id");
    if (table == QLatin1String("package_key"))
        return QStringLiteral("package_id, entity, opaque_id");
    return QStringLiteral("jury_id, rater_id");
}

/// The columns of `table` in the server study, in their order.
QStringList serverColumns(Study &study, const QString &table, QString *error)
{
    QSqlQuery q(study.database());
    q.prepare(QStringLiteral("SELECT column_name FROM information_schema.columns"
                             " WHERE table_schema = current_schema() AND table_name = ?"
                             " ORDER BY ordinal_position"));
    q.addBindValue(table);
    QStringList out;
    if (!q.exec()) {
        *error = q.lastError().text();
        return out;
    }
    while (q.next())
        out.append(q.value(0).toString());
    if (out.isEmpty())
        *error = QStringLiteral("the server study has no table %1").arg(table);
    return out;
}

/// One field in COPY's text format.
void appendCopyField(QByteArray &line, bool null, QByteArrayView value)
{
    if (null) {
        line += "\\N";
        return;
    }
    for (const char c : value) {
        switch (c) {
        case '\\':
            line += "\\\\";
            break;
        case '\t':
            line += "\\t";
            break;
        case '\n':
            line += "\\n";
            break;
        case '\r':
            line += "\\r";
            break;
        default:
            line += c;
        }
    }
}

bool execOn(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = sql.left(80) + QStringLiteral(": ") + q.lastError().text();
    return false;
}

/// Streams `table` from the local study into the server study with COPY … FROM STDIN.
/// Returns the rows copied, or -1 with `error`.
qint64 copyTable(Study &local, Study &remote, const QString &table, const QStringList &columns,
    const Progress &progress, QString *error)
{
    const NativeConnection from = nativeConnection(local.database());
    const NativeConnection to = nativeConnection(remote.database());
    const QString list = columns.join(QStringLiteral(", "));
    Statement select;
    const QByteArray selectSql =
        QStringLiteral("SELECT %1 FROM %2 ORDER BY %3").arg(list, table, orderBy(table)).toUtf8();
    if (!select.prepare(from, selectSql.constData(), error))
        return -1;
    const QByteArray copySql = QStringLiteral("COPY %1(%2) FROM STDIN").arg(table, list).toUtf8();
    PGresult *r = PQexec(to.pg, copySql.constData());
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        *error = QString::fromUtf8(PQresultErrorMessage(r)).trimmed();
        PQclear(r);
        return -1;
    }
    PQclear(r);
    qint64 rows = 0;
    QByteArray buffer;
    bool ok = true;
    while (ok && select.step() && select.hasRow()) {
        for (int c = 0; c < columns.size(); ++c) {
            if (c > 0)
                buffer += '\t';
            appendCopyField(buffer, select.columnIsNull(c), select.columnView(c));
        }
        buffer += '\n';
        ++rows;
        if (buffer.size() > (1 << 20)) {
            ok = PQputCopyData(to.pg, buffer.constData(), int(buffer.size())) == 1;
            buffer.clear();
        }
        if (progress && rows % 10000 == 0)
            progress(table, rows, 0);
    }
    if (ok && !buffer.isEmpty())
        ok = PQputCopyData(to.pg, buffer.constData(), int(buffer.size())) == 1;
    const QString readError = select.errorMessage();
    const bool endOk = PQputCopyEnd(to.pg, ok ? nullptr : "publish stopped") == 1;
    r = PQgetResult(to.pg);
    const bool copied = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!copied)
        *error = QString::fromUtf8(PQresultErrorMessage(r)).trimmed();
    PQclear(r);
    while ((r = PQgetResult(to.pg)))
        PQclear(r);
    if (!ok || !endOk || !copied) {
        if (error->isEmpty())
            *error = ok ? QString::fromUtf8(PQerrorMessage(to.pg)).trimmed() : readError;
        return -1;
    }
    return rows;
}

/// Whether the server study holds nothing but what init() wrote.
bool isFresh(Study &study, QString *error)
{
    QSqlQuery q(study.database());
    if (!q.exec(QStringLiteral("SELECT (SELECT count(*) FROM item) + (SELECT count(*) FROM rater)"
                               " + (SELECT count(*) FROM response_rating)"
                               " + (SELECT count(*) FROM category_label)"))
        || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    return q.value(0).toLongLong() == 0;
}

} // namespace

QStringList studyTables()
{
    QStringList out;
    for (const char *t : tables)
        out.append(QLatin1String(t));
    return out;
}

bool publish(const QString &file, const QString &uri, const Progress &progress, Error *error)
{
    if (!isServerUri(uri)) {
        *error = Error::invalid(uri + QStringLiteral(": not a postgresql:// URI or conninfo"));
        return false;
    }
    if (isServerUri(file)) {
        *error = Error::invalid(file + QStringLiteral(": publish reads a local study file"));
        return false;
    }
    auto local = Study::open(file, error);
    if (!local)
        return false;
    const QString where = displayUri(uri) + QStringLiteral(": ");
    std::unique_ptr<Study> remote;
    {
        // An empty database is set up first; a study from `server init` is filled.
        Error openError;
        remote = Study::open(uri, &openError);
        if (!remote) {
            if (openError.kind != ErrorKind::InvalidInput) {
                *error = openError;
                return false;
            }
            if (!init(uri, local->title(), local->currentProtocol(), error))
                return false;
            remote = Study::open(uri, error);
            if (!remote)
                return false;
        }
    }
    QString message;
    const auto fail = [&](const QString &text) {
        *error = Error::storage(where + text);
        return false;
    };
    if (!isFresh(*remote, &message))
        return fail(message.isEmpty()
                ? QStringLiteral("already holds study data; publish only fills an empty study")
                : message);
    // Read the local file in one transaction (a consistent copy even if a rater writes).
    if (!execOn(local->database(), QStringLiteral("BEGIN"), &message))
        return fail(message);
    WriteTransaction tx(*remote, error);
    if (!tx.isActive())
        return false;
    const QSqlDatabase db = remote->database();
    // The rows from `server init` go; the event guards are the owner's to lift for this
    // one transaction (ALTER TABLE is transactional: a failure restores them).
    // The tally triggers (schema step 12) are lifted the same way: the counts are written
    // once from the copied rows below, not aggregated statement by statement.
    QStringList quiet = schema::postgres::talliedTables();
    quiet.append(QStringLiteral("event_sequence"));
    quiet.removeDuplicates();
    for (const QString &table : std::as_const(quiet))
        if (!execOn(db, QStringLiteral("ALTER TABLE %1 DISABLE TRIGGER USER").arg(table), &message))
            return fail(message);
    for (qsizetype i = std::size(tables) - 1; i >= 0; --i)
        if (!execOn(db, QStringLiteral("DELETE FROM %1").arg(QLatin1String(tables[i])), &message))
            return fail(message);
    qint64 total = 0;
    for (const char *t : tables) {
        const QString table = QLatin1String(t);
        const QStringList columns = serverColumns(*remote, table, &message);
        if (columns.isEmpty())
            return fail(message);
        if (progress)
            progress(table, 0, 0);
        const qint64 rows = copyTable(*local, *remote, table, columns, progress, &message);
        if (rows < 0)
            return fail(table + QStringLiteral(": ") + message);
        if (progress)
            progress(table, rows, rows);
        total += rows;
        if (hasIdColumn(table) && table != QLatin1String("event")
            && !execOn(db,
                QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'),"
                               " coalesce(max(id), 0) + 1, false) FROM %1")
                    .arg(table),
                &message))
            return fail(message);
    }
    // The high-water mark of event ids: what the file had used (its sqlite_sequence).
    QSqlQuery seq(local->database());
    qint64 lastId = 0;
    if (seq.exec(QString::fromLatin1(dialect::eventSequence(Engine::Sqlite))) && seq.next())
        lastId = seq.value(0).toLongLong();
    QSqlQuery set(db);
    set.prepare(QStringLiteral("UPDATE event_sequence SET last_id ="
                               " GREATEST(?, (SELECT coalesce(max(id), 0) FROM event))"));
    set.addBindValue(lastId);
    if (!set.exec())
        return fail(set.lastError().text());
    execOn(local->database(), QStringLiteral("ROLLBACK"), &message);
    QSqlDatabase writable = db;
    if (!schema::postgres::fillTallies(writable, &message))
        return fail(message);
    for (const QString &table : std::as_const(quiet))
        if (!execOn(db, QStringLiteral("ALTER TABLE %1 ENABLE TRIGGER USER").arg(table), &message))
            return fail(message);
    remote->setActor(local->actor());
    if (!remote->appendEvent(QStringLiteral("study.publish"), QStringLiteral("study"), 0, {},
            QStringLiteral("%1 rows from %2").arg(total).arg(file), error))
        return false;
    return tx.commit(error);
}

bool snapshot(const QString &uri, const QString &out, const Progress &progress, Error *error)
{
    if (!isServerUri(uri)) {
        *error = Error::invalid(uri + QStringLiteral(": not a postgresql:// URI or conninfo"));
        return false;
    }
    auto remote = Study::open(uri, error);
    if (!remote)
        return false;
    const QString where = displayUri(uri) + QStringLiteral(": ");
    QString message;
    // One snapshot of the server for every table.
    if (!execOn(remote->database(),
            QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), &message)) {
        *error = Error::storage(where + message);
        return false;
    }
    auto local = Study::create(out, remote->currentProtocol(), remote->title(), error);
    if (!local) {
        execOn(remote->database(), QStringLiteral("ROLLBACK"), &message);
        return false;
    }
    const auto fail = [&](const QString &text) {
        local.reset();
        QFile::remove(out);
        QFile::remove(out + QStringLiteral("-wal"));
        QFile::remove(out + QStringLiteral("-shm"));
        *error = Error::storage(where + text);
        return false;
    };
    {
        WriteTransaction tx(*local, error);
        if (!tx.isActive())
            return fail(error->message);
        const QSqlDatabase db = local->database();
        // The new file's own first rows go; its event guards are lifted for this
        // transaction and put back exactly as the schema has them.
        const QStringList guards = schema::eventTriggerSql();
        for (const QString &guard : guards)
            if (!execOn(db,
                    QStringLiteral("DROP TRIGGER %1").arg(guard.section(QLatin1Char(' '), 2, 2)),
                    &message))
                return fail(message);
        for (qsizetype i = std::size(tables) - 1; i >= 0; --i)
            if (!execOn(
                    db, QStringLiteral("DELETE FROM %1").arg(QLatin1String(tables[i])), &message))
                return fail(message);
        const NativeConnection from = nativeConnection(remote->database());
        const NativeConnection to = nativeConnection(db);
        for (const char *t : tables) {
            const QString table = QLatin1String(t);
            const QStringList columns = serverColumns(*remote, table, &message);
            if (columns.isEmpty())
                return fail(message);
            const QString list = columns.join(QStringLiteral(", "));
            Statement select, insert;
            const QByteArray selectSql = QStringLiteral("SELECT %1 FROM %2 ORDER BY %3")
                                             .arg(list, table, orderBy(table))
                                             .toUtf8();
            QStringList marks;
            for (qsizetype c = 0; c < columns.size(); ++c)
                marks.append(QStringLiteral("?"));
            const QByteArray insertSql = QStringLiteral("INSERT INTO %1(%2) VALUES (%3)")
                                             .arg(table, list, marks.join(QStringLiteral(", ")))
                                             .toUtf8();
            if (!select.prepare(from, selectSql.constData(), &message)
                || !insert.prepare(to, insertSql.constData(), &message))
                return fail(table + QStringLiteral(": ") + message);
            if (progress)
                progress(table, 0, 0);
            qint64 rows = 0;
            while (select.step() && select.hasRow()) {
                std::vector<QByteArray> values(std::size_t(columns.size()));
                for (int c = 0; c < columns.size(); ++c) {
                    values[std::size_t(c)] =
                        select.columnIsNull(c) ? QByteArray() : select.columnText(c);
                    insert.bindText(c + 1, values[std::size_t(c)]);
                }
                if (!insert.step())
                    return fail(table + QStringLiteral(": ") + insert.errorMessage());
                insert.reset();
                if (progress && ++rows % 10000 == 0)
                    progress(table, rows, 0);
            }
            if (!select.errorMessage().isEmpty() && select.hasRow())
                return fail(table + QStringLiteral(": ") + select.errorMessage());
            if (progress)
                progress(table, rows, rows);
        }
        for (const QString &guard : guards)
            if (!execOn(db, guard, &message))
                return fail(message);
        // The ids the server's log has used (its event_sequence) stay used.
        QSqlQuery seq(remote->database());
        qint64 lastId = 0;
        if (seq.exec(QString::fromLatin1(dialect::eventSequence(Engine::Postgres))) && seq.next())
            lastId = seq.value(0).toLongLong();
        QSqlQuery set(db);
        set.prepare(QStringLiteral("UPDATE sqlite_sequence SET seq = max(?, (SELECT"
                                   " coalesce(max(id), 0) FROM event)) WHERE name = 'event'"));
        set.addBindValue(lastId);
        if (!set.exec())
            return fail(set.lastError().text());
        if (!tx.commit(error))
            return fail(error->message);
    }
    execOn(remote->database(), QStringLiteral("ROLLBACK"), &message);
    return true;
}

} // namespace cr::storage::server
