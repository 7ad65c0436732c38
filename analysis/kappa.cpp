#include "analysis/kappa.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace cr::analysis {

CountTable CountTable::fromRatings(const RatingTable &table, int categories)
{
    CountTable counts(table.units, categories);
    for (int r = 0; r < table.raters; ++r)
        for (int u = 0; u < table.units; ++u) {
            const double v = table.at(r, u);
            if (isMissing(v) || v < 0 || v >= categories || v != std::floor(v))
                continue;
            counts.at(u, int(v)) += 1.0;
        }
    return counts;
}

std::vector<double> agreementWeights(int categories, Weighting weighting)
{
    const std::size_t K = std::size_t(std::max(categories, 0));
    std::vector<double> w(K * K, 0.0);
    const double span = categories > 1 ? double(categories - 1) : 1.0;
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t j = 0; j < K; ++j) {
            const double d = std::fabs(double(i) - double(j)) / span;
            switch (weighting) {
            case Weighting::Unweighted:
                w[i * K + j] = i == j ? 1.0 : 0.0;
                break;
            case Weighting::Linear:
                w[i * K + j] = 1.0 - d;
                break;
            case Weighting::Quadratic:
                w[i * K + j] = 1.0 - d * d;
                break;
            }
        }
    return w;
}

std::vector<double> contingencyTable(
    const std::vector<int> &a, const std::vector<int> &b, int categories)
{
    const std::size_t K = std::size_t(std::max(categories, 0));
    std::vector<double> table(K * K, 0.0);
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] < 0 || b[i] < 0 || a[i] >= categories || b[i] >= categories)
            continue;
        table[std::size_t(a[i]) * K + std::size_t(b[i])] += 1.0;
    }
    return table;
}

namespace {

KappaResult undefinedKappa(KappaResult res, std::string why)
{
    res.kappa = Estimate::undefined(std::move(why));
    res.se = res.seNull = res.ciLow = res.ciHigh = res.z = res.kappa;
    return res;
}

} // namespace

KappaResult cohenKappa(const std::vector<double> &table, int categories, Weighting weighting)
{
    KappaResult res;
    const std::size_t K = std::size_t(std::max(categories, 0));
    if (categories < 1 || table.size() != K * K) {
        return undefinedKappa(
            res, "contingency table does not match the declared number of categories");
    }
    double n = 0;
    for (double c : table)
        n += c;
    res.n = n;
    if (n <= 0) {
        return undefinedKappa(res, "no rated pairs");
    }
    const std::vector<double> w = agreementWeights(categories, weighting);
    std::vector<double> row(K, 0.0), col(K, 0.0);
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t j = 0; j < K; ++j) {
            row[i] += table[i * K + j] / n;
            col[j] += table[i * K + j] / n;
        }
    double po = 0, pe = 0;
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t j = 0; j < K; ++j) {
            po += w[i * K + j] * table[i * K + j] / n;
            pe += w[i * K + j] * row[i] * col[j];
        }
    res.observed = po;
    res.expected = pe;
    if (1.0 - pe <= 1e-15) {
        return undefinedKappa(
            res, "chance agreement is 1 (both raters used a single category): kappa is undefined");
    }
    const double k = (po - pe) / (1.0 - pe);
    res.kappa = Estimate::of(k);

    // Weighted row/column means wbar_i. = sum_j p_.j w_ij, wbar_.j = sum_i p_i. w_ij.
    std::vector<double> wRow(K, 0.0), wCol(K, 0.0);
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t j = 0; j < K; ++j) {
            wRow[i] += col[j] * w[i * K + j];
            wCol[j] += row[i] * w[i * K + j];
        }
    double sum = 0, sum0 = 0;
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t j = 0; j < K; ++j) {
            const double d = w[i * K + j] - (wRow[i] + wCol[j]) * (1.0 - k);
            sum += table[i * K + j] / n * d * d;
            const double d0 = w[i * K + j] - (wRow[i] + wCol[j]);
            sum0 += row[i] * col[j] * d0 * d0;
        }
    const double denom = n * (1.0 - pe) * (1.0 - pe);
    const double t = k - pe * (1.0 - k);
    const double var = std::max(0.0, (sum - t * t) / denom);
    const double var0 = std::max(0.0, (sum0 - pe * pe) / denom);
    const double se = std::sqrt(var);
    res.se = Estimate::of(se);
    res.ciLow = Estimate::of(k - kZ95 * se);
    res.ciHigh = Estimate::of(k + kZ95 * se);
    res.seNull = Estimate::of(std::sqrt(var0));
    res.z = var0 > 0 ? Estimate::of(k / std::sqrt(var0))
                     : Estimate::undefined("null standard error is zero");
    return res;
}

KappaResult cohenKappa(
    const std::vector<int> &a, const std::vector<int> &b, int categories, Weighting weighting)
{
    return cohenKappa(contingencyTable(a, b, categories), categories, weighting);
}

namespace {

struct Agreement {
    double pa = 0;
    std::vector<double> pi;
    int subjects = 0; // with >= 2 ratings
    int rated = 0; // with >= 1 rating
    bool balanced = true;
    double raters = 0; // ratings per subject when balanced
};

Agreement observedAgreement(const CountTable &counts, const std::vector<double> &w)
{
    Agreement a;
    const std::size_t K = std::size_t(std::max(counts.categories, 0));
    a.pi.assign(K, 0.0);
    double rated = 0, subjects = 0; // weighted (CountTable::weights)
    bool first = true;
    for (int s = 0; s < counts.subjects; ++s) {
        const double weight = counts.weight(s);
        if (weight <= 0)
            continue;
        double r = 0;
        for (std::size_t k = 0; k < K; ++k)
            r += counts.at(s, int(k));
        if (r < 1)
            continue;
        rated += weight;
        for (std::size_t k = 0; k < K; ++k)
            a.pi[k] += weight * (counts.at(s, int(k)) / r);
        if (first)
            a.raters = r;
        else if (r != a.raters)
            a.balanced = false;
        first = false;
        if (r < 2)
            continue;
        subjects += weight;
        double agree = 0;
        for (std::size_t k = 0; k < K; ++k) {
            double star = 0;
            for (std::size_t l = 0; l < K; ++l)
                star += w[k * K + l] * counts.at(s, int(l));
            agree += counts.at(s, int(k)) * (star - 1.0);
        }
        a.pa += weight * (agree / (r * (r - 1)));
    }
    a.rated = int(std::lround(rated));
    a.subjects = int(std::lround(subjects));
    if (subjects > 0)
        a.pa /= subjects;
    if (rated > 0)
        for (double &p : a.pi)
            p /= rated;
    return a;
}

} // namespace

AgreementResult fleissKappa(const CountTable &counts, Weighting weighting)
{
    AgreementResult res;
    const std::size_t K = std::size_t(std::max(counts.categories, 0));
    const std::vector<double> w = agreementWeights(counts.categories, weighting);
    const Agreement a = observedAgreement(counts, w);
    res.subjects = a.subjects;
    res.observed = a.pa;
    if (a.subjects == 0) {
        res.coefficient = Estimate::undefined("no subject has two or more ratings");
        return res;
    }
    double pe = 0;
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t l = 0; l < K; ++l)
            pe += w[k * K + l] * a.pi[k] * a.pi[l];
    res.expected = pe;
    if (1.0 - pe <= 1e-15) {
        res.coefficient = Estimate::undefined(
            "chance agreement is 1 (a single category used): kappa is undefined");
        return res;
    }
    const double kappa = (a.pa - pe) / (1.0 - pe);
    res.coefficient = Estimate::of(kappa);
    if (weighting != Weighting::Unweighted || !a.balanced || a.subjects != a.rated) {
        res.seNull = Estimate::undefined(
            "null SE needs an unweighted design with the same number of raters per subject");
        res.z = res.seNull;
        return res;
    }
    double pq = 0, pqqp = 0;
    for (double p : a.pi) {
        pq += p * (1 - p);
        pqqp += p * (1 - p) * ((1 - p) - p);
    }
    const double m = a.raters;
    const double var0 = 2.0 / (double(a.subjects) * m * (m - 1)) * (pq * pq - pqqp) / (pq * pq);
    res.seNull = Estimate::of(std::sqrt(std::max(0.0, var0)));
    res.z = var0 > 0 ? Estimate::of(kappa / std::sqrt(var0))
                     : Estimate::undefined("null standard error is zero");
    return res;
}

AgreementResult gwetAC(const CountTable &counts, Weighting weighting)
{
    AgreementResult res;
    res.seNull = Estimate::undefined("not computed for Gwet's AC");
    res.z = res.seNull;
    const std::size_t K = std::size_t(std::max(counts.categories, 0));
    if (counts.categories < 2) {
        res.coefficient = Estimate::undefined("fewer than two declared categories");
        return res;
    }
    const std::vector<double> w = agreementWeights(counts.categories, weighting);
    const Agreement a = observedAgreement(counts, w);
    res.subjects = a.subjects;
    res.observed = a.pa;
    if (a.subjects == 0) {
        res.coefficient = Estimate::undefined("no subject has two or more ratings");
        return res;
    }
    double tw = 0;
    for (double x : w)
        tw += x;
    double spread = 0;
    for (double p : a.pi)
        spread += p * (1 - p);
    const double pe = tw / (double(K) * double(K - 1)) * spread;
    res.expected = pe;
    if (1.0 - pe <= 1e-15) {
        res.coefficient = Estimate::undefined("chance agreement is 1: coefficient undefined");
        return res;
    }
    res.coefficient = Estimate::of((a.pa - pe) / (1.0 - pe));
    return res;
}

Estimate percentAgreement(const CountTable &counts)
{
    const Agreement a =
        observedAgreement(counts, agreementWeights(counts.categories, Weighting::Unweighted));
    if (a.subjects == 0)
        return Estimate::undefined("no subject has two or more ratings");
    return Estimate::of(a.pa);
}

} // namespace cr::analysis
