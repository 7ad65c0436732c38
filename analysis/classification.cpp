#include "analysis/classification.h"

#include "analysis/kappa.h"

#include <algorithm>

namespace cr::analysis {

ClassificationReport classificationReport(
    const std::vector<int> &reference, const std::vector<int> &predicted, int categories)
{
    ClassificationReport rep;
    rep.categories = std::max(categories, 0);
    const std::size_t K = std::size_t(rep.categories);
    rep.matrix = contingencyTable(reference, predicted, rep.categories);
    rep.support.assign(K, 0);
    std::vector<double> predictedCount(K, 0.0);
    double n = 0, trace = 0;
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t j = 0; j < K; ++j) {
            const double c = rep.matrix[i * K + j];
            n += c;
            rep.support[i] += int(c);
            predictedCount[j] += c;
            if (i == j)
                trace += c;
        }
    rep.n = int(n);
    if (n == 0) {
        rep.accuracy = rep.macroF1 = Estimate::undefined("no pair with both codes present");
        rep.precision.assign(K, rep.accuracy);
        rep.recall = rep.f1 = rep.precision;
        return rep;
    }
    rep.accuracy = Estimate::of(trace / n);
    double f1Sum = 0;
    int f1Count = 0;
    for (std::size_t k = 0; k < K; ++k) {
        const double tp = rep.matrix[k * K + k];
        const double fp = predictedCount[k] - tp;
        const double fn = rep.support[k] - tp;
        rep.precision.push_back(tp + fp > 0 ? Estimate::of(tp / (tp + fp))
                                            : Estimate::undefined("class never predicted"));
        rep.recall.push_back(tp + fn > 0 ? Estimate::of(tp / (tp + fn))
                                         : Estimate::undefined("class absent from the reference"));
        if (2 * tp + fp + fn > 0) {
            rep.f1.push_back(Estimate::of(2 * tp / (2 * tp + fp + fn)));
            f1Sum += rep.f1.back().value;
            ++f1Count;
        } else {
            rep.f1.push_back(Estimate::undefined("class absent from reference and predictions"));
        }
    }
    rep.macroF1 = Estimate::of(f1Sum / f1Count);
    return rep;
}

} // namespace cr::analysis
