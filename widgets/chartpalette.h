#pragma once

#include <QColor>
#include <QPalette>

namespace cr::widgets {

/// Colour-blind-safe colours for charts: the Okabe–Ito qualitative palette and a
/// viridis-like sequential ramp, chosen so they read on light and dark backgrounds.
namespace chartcolors {

QColor harm(); ///< vermillion: harm-rate bars
QColor scoredOne(); ///< reddish purple: the "scored 1" marker
/// Score level 1..5: harmful (vermillion, orange), neutral grey, appropriate (sky blue, blue).
QColor level(int value);
/// Sequential ramp, t in [0, 1] (clamped): dark purple → blue → green → yellow.
QColor sequential(double t);
/// Black or white, whichever reads better on `background`.
QColor textOn(const QColor &background);
bool isDark(const QPalette &palette);

} // namespace chartcolors

} // namespace cr::widgets
