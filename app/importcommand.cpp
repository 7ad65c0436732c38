#include "app/handlers.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <unistd.h>

namespace cr::app {

namespace {

/// The import's progress line on `err`: none for quick imports, redrawn in place on a
/// terminal, every 10% otherwise.
class ProgressLine {
public:
    explicit ProgressLine(std::FILE *err)
        : m_err(err)
        , m_tty(isatty(fileno(err)))
    {
        m_timer.start();
    }

    void update(qint64 done, qint64 total)
    {
        const int percent = total > 0 ? int(done * 100 / total) : 100;
        if (m_timer.elapsed() < 300) // quick imports need no progress line
            return;
        if (percent == m_lastPercent || (!m_tty && percent % 10 != 0 && percent != 100))
            return;
        m_lastPercent = percent;
        const QString line = QStringLiteral("import: %1% (%2 of %3 MB)")
                                 .arg(percent)
                                 .arg(double(done) / 1e6, 0, 'f', 1)
                                 .arg(double(total) / 1e6, 0, 'f', 1);
        const QString shown =
            m_tty ? QString(QLatin1Char('\r') + line) : QString(line + QLatin1Char('\n'));
        std::fputs(shown.toUtf8().constData(), m_err);
        std::fflush(m_err);
    }

    /// Ends a line drawn in place.
    void finish()
    {
        if (m_tty && m_lastPercent >= 0)
            std::fputs("\n", m_err);
    }

    qint64 elapsed() const { return m_timer.elapsed(); }

private:
    std::FILE *m_err;
    bool m_tty;
    QElapsedTimer m_timer;
    int m_lastPercent = -1;
};

/// Every problem of the import, one line each: the skipped rows, the cells
/// `--align position` placed, the skipped files, the errors of a failed import.
QStringList problemLines(bool ok, const storage::ImportReport &report)
{
    QStringList lines;
    for (const auto &issue : std::as_const(report.skipped))
        lines.append(QStringLiteral("skipped ") + issue.toString());
    for (const auto &issue : std::as_const(report.aligned))
        lines.append(QStringLiteral("aligned ") + issue.toString());
    for (const QString &file : std::as_const(report.skippedFiles))
        lines.append(QStringLiteral("skipped file ") + file);
    if (!ok) {
        for (const auto &issue : std::as_const(report.errors))
            lines.append(issue.toString());
    }
    return lines;
}

/// Lists every problem (on stderr, or all in `problemsFile` with the count on stderr)
/// and, when the import failed, why; returns the exit status.
int reportProblems(const Invocation &call, bool ok, const storage::ImportReport &report,
    const QString &problemsFile, const storage::Error &e)
{
    const QStringList lines = problemLines(ok, report);
    if (!problemsFile.isEmpty()) {
        QFile out(problemsFile);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)
            || out.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0) {
            call.message(QStringLiteral("crisis-review: %1: cannot write: %2")
                             .arg(problemsFile, out.errorString()));
            return ExitStorage;
        }
        call.message(
            QStringLiteral("%1 problem line(s) written to %2").arg(lines.size()).arg(problemsFile));
    } else {
        for (const QString &line : lines)
            call.message(line);
    }
    if (ok)
        return ExitOk;
    if (report.errors.isEmpty())
        return call.fail(e);
    call.message(
        QStringLiteral("crisis-review: import failed with %1 error(s); the study is unchanged")
            .arg(report.errors.size()));
    return ExitInvalidInput;
}

void printSummary(const Invocation &call, const storage::ImportReport &report, qint64 elapsedMs)
{
    const auto &c = report.counts;
    call.print(
        QStringLiteral(
            "Imported %1 row(s) in %2 s: %3 item(s) added, %4 unchanged; %5 response(s) added, "
            "%6 unchanged; %7 model(s) and %8 rater(s) added; %9 label(s) and %10 rating(s) "
            "added, %11 unchanged%12\n")
            .arg(c.rows)
            .arg(double(elapsedMs) / 1000.0, 0, 'f', 2)
            .arg(c.itemsAdded)
            .arg(c.itemsUnchanged)
            .arg(c.responsesAdded)
            .arg(c.responsesUnchanged)
            .arg(c.modelsAdded)
            .arg(c.ratersAdded)
            .arg(c.labelsAdded)
            .arg(c.ratingsAdded)
            .arg(c.labelsUnchanged + c.ratingsUnchanged)
            .arg(report.skipped.isEmpty()
                    ? QString()
                    : QStringLiteral("; %1 invalid row(s) skipped").arg(report.skipped.size())));
    for (const QString &line : report.details())
        call.print(QStringLiteral("  %1\n").arg(line));
}

} // namespace

int runImport(const Invocation &call)
{
    QCommandLineParser p;
    const QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("Format"),
        QStringLiteral("FORMAT"), QStringLiteral("auto"));
    const QCommandLineOption skipOpt(
        QStringLiteral("skip-invalid"), QStringLiteral("Skip invalid rows"));
    const QCommandLineOption splitOpt(QStringLiteral("split"),
        QStringLiteral("Split of the benchmark dataset files' items"), QStringLiteral("NAME"));
    const QCommandLineOption alignOpt(QStringLiteral("align"),
        QStringLiteral("Score-file alignment"), QStringLiteral("content|position"),
        QStringLiteral("content"));
    const QCommandLineOption problemsOpt(QStringLiteral("problems"),
        QStringLiteral("Write every problem to FILE"), QStringLiteral("FILE"));
    p.addOptions({ formatOpt, skipOpt, splitOpt, alignOpt, problemsOpt });
    QStringList pos;
    if (!call.parse(p, 2, -1, &pos))
        return ExitUsage;
    const auto format = storage::Importer::formatFromString(p.value(formatOpt));
    if (!format)
        return call.usageError(QStringLiteral("unknown --format '%1'").arg(p.value(formatOpt)));
    const QString align = p.value(alignOpt);
    if (align != QLatin1String("content") && align != QLatin1String("position"))
        return call.usageError(
            QStringLiteral("--align must be content or position, got '%1'").arg(align));
    if (p.isSet(splitOpt) && p.value(splitOpt).trimmed().isEmpty())
        return call.usageError(QStringLiteral("--split needs a name"));
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::ImportOptions options;
    options.format = *format;
    options.skipInvalid = p.isSet(skipOpt);
    options.split = p.value(splitOpt).trimmed();
    options.alignment = align == QLatin1String("position") ? storage::ScoreAlignment::Position
                                                           : storage::ScoreAlignment::Content;
    ProgressLine progress(call.err());
    options.progress = [&progress](qint64 done, qint64 total) { progress.update(done, total); };
    storage::ImportReport report;
    storage::Error e;
    const bool ok = storage::Importer(*study).run(pos.mid(1), options, &report, &e);
    progress.finish();
    code = reportProblems(call, ok, report, p.value(problemsOpt), e);
    if (code == ExitOk)
        printSummary(call, report, progress.elapsed());
    return code;
}

} // namespace cr::app
