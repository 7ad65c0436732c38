#pragma once

namespace cr::analysis {

/// Width (high - low) of the Wilson 95% interval of a proportion p on n units,
/// without clamping to [0, 1]: 2 z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n).
double wilsonWidth(double p, int n, double z = 1.959963984540054);

/// The smallest n (1 <= n <= cap) whose Wilson width at proportion p is at most
/// `width` (the width decreases with n); `cap` when even cap is not enough, 0 when
/// width <= 0 or p is outside [0, 1]. Planning of harm rates (issue 21).
int wilsonUnitsForWidth(double p, double width, int cap = 10000000, double z = 1.959963984540054);

/// Units needed for a bootstrap interval of width `target`, scaled from an observed
/// interval of width `observed` on `units` units with the usual 1/sqrt(n) law:
/// ceil(units * (observed / target)^2). 0 when an input is not positive. An
/// approximation: it assumes the new units resemble the observed ones.
int scaledUnitsForWidth(int units, double observed, double target);

} // namespace cr::analysis
