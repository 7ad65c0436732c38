#pragma once

#include "app/exitcode.h"

#include <QStringList>
#include <cstdio>

namespace cr::app {

/// The whole command line (main.cpp): `--help`, `COMMAND --help`, `--version`, then the
/// command the arguments name (the GUI when they name none) under the application object
/// its table row asks for.
int run(int argc, char **argv);

/// True when `args` (without the program name) start with a command (or command group)
/// that needs no GUI application.
bool isCliCommand(const QStringList &args);

/// Runs a command that needs no GUI application; `args` excludes the program name. Data
/// goes to `out`, messages and progress to `err`. Needs a QCoreApplication.
int runCli(const QStringList &args, std::FILE *out = stdout, std::FILE *err = stderr);

} // namespace cr::app
