#pragma once

#include "app/command.h"

#include <QList>

namespace cr::app {

/// The command table: every command with its usage, handler and application, in the
/// order `--help` and the README list them. The GUI is the row with an empty name.
const QList<Command> &commands();

/// The command whose words `args` start with (the longest match), or nullptr.
const Command *findCommand(const QStringList &args);
/// The GUI row, which runs when the arguments name no command.
const Command &guiCommand();
/// The commands whose first word is `word` ("rater": rater add, rater list).
QList<const Command *> commandGroup(const QString &word);

/// "usage: " and the usage lines of `commands`, later lines indented to match, no final
/// newline.
QString usageBlock(const QList<const Command *> &commands);
/// The whole `--help` text: title, every command's usage, the exit statuses.
QString helpText();

} // namespace cr::app
