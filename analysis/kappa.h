#pragma once

#include "analysis/ratings.h"

#include <vector>

namespace cr::analysis {

/// Two-sided 95% normal quantile used for every asymptotic interval here.
inline constexpr double kZ95 = 1.959963984540054;

enum class Weighting { Unweighted, Linear, Quadratic };

/// K x K agreement weights (row-major) by position in the DECLARED scale of K
/// categories: unweighted w = [i == j]; linear w = 1 - |i-j|/(K-1);
/// quadratic w = 1 - (i-j)^2/(K-1)^2. K = 1 gives the single weight 1.
std::vector<double> agreementWeights(int categories, Weighting weighting);

/// Cohen's (weighted) kappa with asymptotic standard errors.
struct KappaResult {
    Estimate kappa;
    double observed = 0.0; ///< p_o = sum w_ij p_ij
    double expected = 0.0; ///< p_e = sum w_ij p_i. p_.j
    double n = 0.0; ///< number of rated pairs
    Estimate se; ///< non-null asymptotic SE (for the interval)
    Estimate seNull; ///< SE under kappa = 0 (for the z test)
    Estimate ciLow; ///< kappa - 1.96 se (not clipped)
    Estimate ciHigh; ///< kappa + 1.96 se (not clipped)
    Estimate z; ///< kappa / seNull
};

/// K x K contingency table (row-major, rows = rater A's code, columns = rater
/// B's code) from paired integer codes 0..K-1. A pair where either code is
/// outside [0, K) (e.g. -1 for missing) is dropped. Sizes must match.
std::vector<double> contingencyTable(
    const std::vector<int> &a, const std::vector<int> &b, int categories);

/// Cohen's kappa (1960) / weighted kappa (1968) from a K x K count table,
/// kappa = (p_o - p_e) / (1 - p_e), weights by position in the declared scale.
/// SEs: Fleiss, Cohen & Everitt (1969), both the non-null variance
/// [sum p_ij (w_ij - (wi. + w.j)(1-k))^2 - (k - p_e(1-k))^2] / (n (1-p_e)^2)
/// and the null variance. Undefined when the table is empty or p_e = 1
/// (both raters used one category only). Pure function.
KappaResult cohenKappa(
    const std::vector<double> &table, int categories, Weighting weighting = Weighting::Unweighted);

/// Cohen's kappa from paired codes (see contingencyTable() for missing pairs).
KappaResult cohenKappa(const std::vector<int> &a, const std::vector<int> &b, int categories,
    Weighting weighting = Weighting::Unweighted);

/// Chance-corrected agreement among many raters.
struct AgreementResult {
    Estimate coefficient;
    double observed = 0.0; ///< p_a, mean pairwise agreement over subjects with >= 2 ratings
    double expected = 0.0; ///< p_e
    int subjects = 0; ///< subjects with >= 2 ratings (those entering p_a)
    Estimate seNull; ///< Fleiss only, balanced unweighted design: SE under kappa = 0
    Estimate z; ///< Fleiss only: kappa / seNull
};

/// Fleiss' kappa (1971) in Gwet's missing-tolerant generalisation (Gwet 2014,
/// ch. 2): p_a = mean over subjects with r_i >= 2 of
/// sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1)), r*_ik = sum_l w_kl r_il;
/// pi_k = mean over subjects with r_i >= 1 of r_ik / r_i; p_e = sum w_kl pi_k pi_l.
/// Equals classic Fleiss when every subject has the same number of raters, in
/// which case (unweighted) seNull and z follow Fleiss, Nee & Landis (1979).
/// Undefined when no subject has two ratings or p_e = 1 (a single category used).
AgreementResult fleissKappa(const CountTable &counts, Weighting weighting = Weighting::Unweighted);

/// Gwet's AC1 (unweighted) / AC2 (weighted), Gwet (2008, 2014): p_a as in
/// fleissKappa(); p_e = T_w / (K (K-1)) * sum_k pi_k (1 - pi_k), T_w = sum of
/// weights, K = declared categories (counts.categories). Undefined for K < 2 or
/// when no subject has two ratings.
AgreementResult gwetAC(const CountTable &counts, Weighting weighting = Weighting::Unweighted);

/// Percent agreement: the share of agreeing rater pairs, averaged over subjects
/// with >= 2 ratings (for two raters: share of identical pairs). Undefined when
/// no subject has two ratings.
Estimate percentAgreement(const CountTable &counts);

} // namespace cr::analysis
