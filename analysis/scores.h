#pragma once

#include "analysis/ratings.h"

#include <vector>

namespace cr::analysis {

/// Agreement between two raters' paired numeric scores.
struct PairedScoreAgreement {
    int n = 0; ///< pairs where both scores are present
    Estimate mae; ///< mean |a - b|
    Estimate rmse; ///< sqrt(mean (a - b)^2)
    Estimate withinOne; ///< share of pairs with |a - b| <= 1
    Estimate exact; ///< share of pairs with a == b
};

/// MAE, RMSE, within-one and exact agreement over pairs where both a[i] and
/// b[i] are non-NaN (other pairs are dropped; extra elements of the longer
/// vector ignored). All undefined when no pair remains.
PairedScoreAgreement pairedScoreAgreement(
    const std::vector<double> &a, const std::vector<double> &b);

/// Intraclass correlations of Shrout & Fleiss (1979) from the one- and two-way
/// ANOVA mean squares. Rows of the table are judges (raters), columns are
/// targets (units). Only units rated by every rater are used (listwise deletion).
struct IccResult {
    int targets = 0;
    int judges = 0;
    double bms = 0, wms = 0, jms = 0,
           ems = 0; ///< between-targets, within-target, judges, residual mean squares
    Estimate icc11; ///< (BMS - WMS) / (BMS + (k-1) WMS)
    Estimate icc21; ///< (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
    Estimate icc31; ///< (BMS - EMS) / (BMS + (k-1) EMS)
    Estimate icc1k; ///< (BMS - WMS) / BMS
    Estimate icc2k; ///< (BMS - EMS) / (BMS + (JMS - EMS) / n)
    Estimate icc3k; ///< (BMS - EMS) / BMS
};

/// See IccResult. Undefined (all six) with fewer than 2 complete targets or
/// fewer than 2 judges; an individual form is undefined when its denominator is 0.
IccResult intraclassCorrelation(const RatingTable &table);

} // namespace cr::analysis
