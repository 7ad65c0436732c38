#pragma once

#include "app/exitcode.h"

#include <QStringList>
#include <cstdio>
#include <memory>

class QCommandLineParser;

namespace cr::storage {
class Study;
}

namespace cr::app {

class Invocation;

/// A comma-separated option value as a list, each entry trimmed, empty entries left out.
QStringList listValue(const QString &value);

/// The application object a command runs under (created before its handler).
enum class Application {
    Core, ///< QCoreApplication: no windows
    Widgets, ///< QApplication on the user's display
    Offscreen, ///< QApplication on the offscreen platform unless QT_QPA_PLATFORM is set
};

/// One row of the command table (commandtable.cpp).
struct Command {
    /// The words that select the command, e.g. "rater add"; empty for the GUI.
    QString name;
    /// Its lines of the command list, exactly as `--help` and the README show them.
    QString usage;
    int (*run)(const Invocation &);
    Application application;
};

/// One run of a command: its arguments after the command's words, where data (out) and
/// messages (err) go, and the helpers every handler shares.
class Invocation {
public:
    Invocation(const Command &command, QStringList args, std::FILE *out, std::FILE *err);

    const Command &command() const { return m_command; }
    const QStringList &args() const { return m_args; }
    std::FILE *out() const { return m_out; }
    std::FILE *err() const { return m_err; }

    /// Writes data to `out`.
    void print(const QString &text) const;
    /// Writes one line to `err`.
    void message(const QString &line) const;
    /// Prints "crisis-review: PROBLEM" (unless empty) and the command's usage to `err`;
    /// returns ExitUsage.
    int usageError(const QString &problem = {}) const;
    /// Prints "crisis-review: " + the error's message; returns its exit status.
    int fail(const storage::Error &error) const;
    /// Parses args() (long options may take one dash); false after a usage error. The
    /// positional arguments must number between min and max (-1: no limit).
    bool parse(QCommandLineParser &parser, int min, int max, QStringList *positional) const;
    /// Opens a study as actor "cli"; on failure prints why and sets `*code`.
    std::unique_ptr<storage::Study> openStudy(const QString &path, int *code) const;
    /// For a command whose one positional argument is the study and whose options need
    /// no check before it is opened: parses, then opens it. On failure (usage or
    /// storage) prints why, sets `*code` and returns nullptr.
    std::unique_ptr<storage::Study> parseAndOpenStudy(QCommandLineParser &parser, int *code) const;

private:
    const Command &m_command;
    QStringList m_args;
    std::FILE *m_out;
    std::FILE *m_err;
};

} // namespace cr::app
