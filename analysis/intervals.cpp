#include "analysis/intervals.h"

#include <algorithm>
#include <cmath>

namespace cr::analysis {

Interval wilsonInterval(double successes, double n, double z)
{
    Interval res;
    if (!(n > 0) || successes < 0 || successes > n) {
        res.point = Estimate::undefined(n > 0 ? "successes outside [0, n]" : "no observations");
        return res;
    }
    const double p = successes / n;
    const double z2 = z * z;
    const double denom = 1.0 + z2 / n;
    const double centre = (p + z2 / (2 * n)) / denom;
    const double half = z / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    res.point = Estimate::of(p);
    res.low = successes == 0 ? 0.0 : std::clamp(centre - half, 0.0, 1.0);
    res.high = successes == n ? 1.0 : std::clamp(centre + half, 0.0, 1.0);
    return res;
}

namespace {

// Continued fraction for the incomplete beta function (modified Lentz).
double betaContinuedFraction(double a, double b, double x)
{
    constexpr double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 1000; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1.0 + aa * d;
        d = std::fabs(d) < tiny ? tiny : d;
        c = 1.0 + aa / c;
        c = std::fabs(c) < tiny ? tiny : c;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1.0 + aa * d;
        d = std::fabs(d) < tiny ? tiny : d;
        c = 1.0 + aa / c;
        c = std::fabs(c) < tiny ? tiny : c;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::fabs(del - 1.0) < 1e-16)
            break;
    }
    return h;
}

double regularizedBeta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const double lbeta = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b);
    const double front = std::exp(lbeta + a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, 1 - x) / b;
}

double studentTCdf(double t, double df)
{
    const double x = df / (df + t * t);
    const double tail = 0.5 * regularizedBeta(df / 2, 0.5, x);
    return t >= 0 ? 1.0 - tail : tail;
}

} // namespace

double studentTQuantile(double p, double df)
{
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return -studentTQuantile(1.0 - p, df);
    double lo = 0, hi = 1;
    while (studentTCdf(hi, df) < p && hi < 1e12)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * std::max(1.0, hi); ++i) {
        const double mid = (lo + hi) / 2;
        (studentTCdf(mid, df) < p ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

Interval meanInterval(const std::vector<double> &values)
{
    Interval res;
    double n = 0, sum = 0;
    for (double v : values)
        if (!isMissing(v)) {
            n += 1;
            sum += v;
        }
    if (n == 0) {
        res.point = Estimate::undefined("no observations");
        return res;
    }
    const double mean = sum / n;
    res.point = Estimate::of(mean);
    if (n < 2) {
        res.point.note = "single observation: interval collapses to the point";
        res.low = res.high = mean;
        return res;
    }
    double ss = 0;
    for (double v : values)
        if (!isMissing(v))
            ss += (v - mean) * (v - mean);
    const double half = studentTQuantile(0.975, n - 1) * std::sqrt(ss / (n - 1) / n);
    res.low = mean - half;
    res.high = mean + half;
    return res;
}

} // namespace cr::analysis
