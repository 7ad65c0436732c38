#include "widgets/chartpalette.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace cr::widgets::chartcolors {

QColor harm()
{
    return QColor(0xD5, 0x5E, 0x00);
}

QColor scoredOne()
{
    return QColor(0xCC, 0x79, 0xA7);
}

QColor level(int value)
{
    switch (value) {
    case 1:
        return QColor(0xD5, 0x5E, 0x00);
    case 2:
        return QColor(0xE6, 0x9F, 0x00);
    case 3:
        return QColor(0x99, 0x99, 0x99);
    case 4:
        return QColor(0x56, 0xB4, 0xE9);
    default:
        return QColor(0x00, 0x72, 0xB2);
    }
}

QColor sequential(double t)
{
    // Viridis at 0, .25, .5, .75, 1.
    static constexpr std::array<std::array<int, 3>, 5> stops { { { 0x44, 0x01, 0x54 },
        { 0x3B, 0x52, 0x8B }, { 0x21, 0x91, 0x8C }, { 0x5E, 0xC9, 0x62 }, { 0xFD, 0xE7, 0x25 } } };
    if (!std::isfinite(t))
        t = 0;
    t = std::clamp(t, 0.0, 1.0) * double(stops.size() - 1);
    const auto i = std::min(std::size_t(t), stops.size() - 2);
    const double f = t - double(i);
    auto mix = [&](int c) {
        return int(
            std::lround(stops[i][std::size_t(c)] * (1 - f) + stops[i + 1][std::size_t(c)] * f));
    };
    return QColor(mix(0), mix(1), mix(2));
}

QColor textOn(const QColor &background)
{
    const double luminance =
        0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.5 ? QColor(Qt::black) : QColor(Qt::white);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace cr::widgets::chartcolors
