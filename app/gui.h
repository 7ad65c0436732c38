#pragma once

namespace cr::app {

/// Runs the GUI entry points: the main window (optionally on a study, signed in
/// as a rater), `--demo`, and the headless `screenshot` command.
int runGui(int argc, char **argv);

} // namespace cr::app
