#pragma once

#include <QStringList>
#include <cstdio>

namespace cr::app {

/// Exit statuses of the command line (DESIGN.md).
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitInvalidInput = 2, ExitStorage = 3 };

/// True when `args` (without the program name) start with a CLI subcommand.
bool isCliCommand(const QStringList &args);

/// Runs a subcommand; `args` excludes the program name. Data goes to `out`,
/// messages and progress to `err`. Needs a QCoreApplication.
int runCli(const QStringList &args, std::FILE *out = stdout, std::FILE *err = stderr);

} // namespace cr::app
