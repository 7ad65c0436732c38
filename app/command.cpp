#include "app/command.h"

#include "app/commandtable.h"
#include "storage/study.h"

#include <QCommandLineParser>

namespace cr::app {

Invocation::Invocation(const Command &command, QStringList args, std::FILE *out, std::FILE *err)
    : m_command(command)
    , m_args(std::move(args))
    , m_out(out)
    , m_err(err)
{
}

QStringList listValue(const QString &value)
{
    QStringList out;
    for (const QString &v : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!v.trimmed().isEmpty())
            out.append(v.trimmed());
    }
    return out;
}

void Invocation::print(const QString &text) const
{
    std::fputs(text.toUtf8().constData(), m_out);
}

void Invocation::message(const QString &line) const
{
    std::fputs((line + QLatin1Char('\n')).toUtf8().constData(), m_err);
}

int Invocation::usageError(const QString &problem) const
{
    if (!problem.isEmpty())
        message(QStringLiteral("crisis-review: ") + problem);
    message(usageBlock({ &m_command }));
    return ExitUsage;
}

int Invocation::fail(const storage::Error &error) const
{
    message(QStringLiteral("crisis-review: ") + error.message);
    return exitCodeFor(error);
}

bool Invocation::parse(QCommandLineParser &parser, int min, int max, QStringList *positional) const
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    QStringList argv { QStringLiteral("crisis-review") };
    argv += m_args;
    if (!parser.parse(argv)) {
        usageError(parser.errorText());
        return false;
    }
    *positional = parser.positionalArguments();
    if (positional->size() < min || (max >= 0 && positional->size() > max)) {
        usageError();
        return false;
    }
    return true;
}

std::unique_ptr<storage::Study> Invocation::openStudy(const QString &path, int *code) const
{
    storage::Error error;
    auto study = storage::Study::open(path, &error);
    if (!study)
        *code = fail(error);
    else
        study->setActor(QStringLiteral("cli"));
    return study;
}

std::unique_ptr<storage::Study> Invocation::parseAndOpenStudy(
    QCommandLineParser &parser, int *code) const
{
    QStringList pos;
    if (!parse(parser, 1, 1, &pos)) {
        *code = ExitUsage;
        return nullptr;
    }
    return openStudy(pos[0], code);
}

} // namespace cr::app
