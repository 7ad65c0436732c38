#include "analysis/scores.h"

#include <algorithm>
#include <cmath>

namespace cr::analysis {

PairedScoreAgreement pairedScoreAgreement(
    const std::vector<double> &a, const std::vector<double> &b)
{
    PairedScoreAgreement res;
    double abs = 0, sq = 0, within = 0, exact = 0;
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (isMissing(a[i]) || isMissing(b[i]))
            continue;
        const double d = std::fabs(a[i] - b[i]);
        ++res.n;
        abs += d;
        sq += d * d;
        within += d <= 1.0 ? 1 : 0;
        exact += d == 0.0 ? 1 : 0;
    }
    if (res.n == 0) {
        const auto none = Estimate::undefined("no pair with both scores present");
        res.mae = res.rmse = res.withinOne = res.exact = none;
        return res;
    }
    const double m = res.n;
    res.mae = Estimate::of(abs / m);
    res.rmse = Estimate::of(std::sqrt(sq / m));
    res.withinOne = Estimate::of(within / m);
    res.exact = Estimate::of(exact / m);
    return res;
}

IccResult intraclassCorrelation(const RatingTable &table)
{
    IccResult res;
    std::vector<int> complete;
    for (int u = 0; u < table.units; ++u) {
        bool ok = table.raters > 0;
        for (int r = 0; r < table.raters && ok; ++r)
            ok = !isMissing(table.at(r, u));
        if (ok)
            complete.push_back(u);
    }
    const int n = int(complete.size()), k = table.raters;
    res.targets = n;
    res.judges = k;
    const auto setAll = [&](const Estimate &e) {
        res.icc11 = res.icc21 = res.icc31 = res.icc1k = res.icc2k = res.icc3k = e;
    };
    if (n < 2 || k < 2) {
        setAll(Estimate::undefined(
            k < 2 ? "fewer than two raters" : "fewer than two units rated by every rater"));
        return res;
    }
    double grand = 0;
    std::vector<double> rowMean(std::size_t(n), 0.0), colMean(std::size_t(k), 0.0);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < k; ++j) {
            const double x = table.at(j, complete[std::size_t(i)]);
            rowMean[std::size_t(i)] += x / k;
            colMean[std::size_t(j)] += x / n;
            grand += x;
        }
    grand /= double(n) * k;
    double ssRows = 0, ssCols = 0, ssTotal = 0;
    for (int i = 0; i < n; ++i)
        ssRows += k * (rowMean[std::size_t(i)] - grand) * (rowMean[std::size_t(i)] - grand);
    for (int j = 0; j < k; ++j)
        ssCols += n * (colMean[std::size_t(j)] - grand) * (colMean[std::size_t(j)] - grand);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < k; ++j) {
            const double d = table.at(j, complete[std::size_t(i)]) - grand;
            ssTotal += d * d;
        }
    const double ssErr = ssTotal - ssRows - ssCols;
    res.bms = ssRows / (n - 1);
    res.wms = (ssTotal - ssRows) / (double(n) * (k - 1));
    res.jms = ssCols / (k - 1);
    res.ems = ssErr / ((n - 1.0) * (k - 1.0));
    const auto ratio = [](double num, double den) {
        return den > 0 || den < 0 ? Estimate::of(num / den)
                                  : Estimate::undefined("zero variance: denominator is zero");
    };
    const double b = res.bms, w = res.wms, j = res.jms, e = res.ems;
    res.icc11 = ratio(b - w, b + (k - 1) * w);
    res.icc21 = ratio(b - e, b + (k - 1) * e + k * (j - e) / n);
    res.icc31 = ratio(b - e, b + (k - 1) * e);
    res.icc1k = ratio(b - w, b);
    res.icc2k = ratio(b - e, b + (j - e) / n);
    res.icc3k = ratio(b - e, b);
    return res;
}

} // namespace cr::analysis
