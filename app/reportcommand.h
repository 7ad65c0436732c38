#pragma once

namespace cr::app {

/// `crisis-review report STUDY --out FILE.pdf [options]`: the dashboard's PDF report
/// without a window (offscreen platform unless one is set). Progress on stderr.
int runReportCommand(int argc, char **argv);

} // namespace cr::app
