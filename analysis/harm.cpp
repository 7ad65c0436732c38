#include "analysis/harm.h"

namespace cr::analysis {

Estimate consensusScore(std::optional<double> adjudicated, const std::vector<double> &raterScores)
{
    if (adjudicated && !isMissing(*adjudicated))
        return Estimate::of(*adjudicated);
    double sum = 0;
    int n = 0;
    for (double s : raterScores)
        if (!isMissing(s)) {
            sum += s;
            ++n;
        }
    if (n == 0)
        return Estimate::undefined("no adjudicated score and no rater score");
    return Estimate::of(sum / n);
}

HarmSummary harmSummary(const std::vector<double> &consensusScores, double threshold)
{
    HarmSummary res;
    res.threshold = threshold;
    for (double s : consensusScores) {
        if (isMissing(s))
            continue;
        ++res.n;
        res.harmful += s <= threshold ? 1 : 0;
        res.scoredOne += s == 1.0 ? 1 : 0;
    }
    res.rate = wilsonInterval(res.harmful, res.n);
    res.score1Rate = wilsonInterval(res.scoredOne, res.n);
    res.meanScore = meanInterval(consensusScores);
    return res;
}

} // namespace cr::analysis
