#include "app/handlers.h"
#include "storage/importer.h"
#include "storage/study.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
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

/// Lists what was skipped and, when the import failed, why; returns the exit status.
int reportProblems(const Invocation &call, bool ok, const storage::ImportReport &report,
    const storage::ImportOptions &options, const storage::Error &e)
{
    for (const auto &issue : std::as_const(report.skipped))
        call.message(QStringLiteral("skipped ") + issue.toString());
    for (const QString &file : std::as_const(report.skippedFiles))
        call.message(QStringLiteral("skipped file ") + file);
    if (ok)
        return ExitOk;
    if (report.errors.isEmpty())
        return call.fail(e);
    for (const auto &issue : std::as_const(report.errors))
        call.message(issue.toString());
    call.message(
        QStringLiteral("crisis-review: import failed with %1%2 error(s); the study is unchanged")
            .arg(report.errors.size())
            .arg(report.errors.size() >= options.maxErrors ? QStringLiteral("+") : QString()));
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
    p.addOptions({ formatOpt, skipOpt });
    QStringList pos;
    if (!call.parse(p, 2, -1, &pos))
        return ExitUsage;
    const auto format = storage::Importer::formatFromString(p.value(formatOpt));
    if (!format)
        return call.usageError(QStringLiteral("unknown --format '%1'").arg(p.value(formatOpt)));
    int code = ExitOk;
    auto study = call.openStudy(pos[0], &code);
    if (!study)
        return code;
    storage::ImportOptions options;
    options.format = *format;
    options.skipInvalid = p.isSet(skipOpt);
    ProgressLine progress(call.err());
    options.progress = [&progress](qint64 done, qint64 total) { progress.update(done, total); };
    storage::ImportReport report;
    storage::Error e;
    const bool ok = storage::Importer(*study).run(pos.mid(1), options, &report, &e);
    progress.finish();
    code = reportProblems(call, ok, report, options, e);
    if (code == ExitOk)
        printSummary(call, report, progress.elapsed());
    return code;
}

} // namespace cr::app
