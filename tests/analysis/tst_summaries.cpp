// Score bands, per-response SD, spreads over references and the unique majority
// (analysis/summaries.h): Wilson values from REFERENCE-VALUES.md, the rest written out here.
#include "analysis/summaries.h"

#include <QTest>
#include <cmath>

using namespace cr::analysis;

namespace {

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

} // namespace

class TestSummaries final : public QObject {
    Q_OBJECT
private slots:
    void bandsSplitAtTheCutsWithWilsonIntervals()
    {
        // 20 values: 4 in [1, 2.3] (2.3 itself included), 14 in (2.3, 3.6], 2 in (3.6, 5];
        // NaN is skipped.
        std::vector<double> v { 1, 1.5, 2, 2.3, 3.6, 3.61, 5, kMissing };
        for (int i = 0; i < 13; ++i)
            v.push_back(2.31 + 0.1 * i);
        const std::vector<ScoreBand> b = bandShares(v, { 2.3, 3.6 });
        QCOMPARE(b.size(), std::size_t(3));
        QCOMPARE(b[0].lo, 1.0);
        QCOMPARE(b[0].hi, 2.3);
        QCOMPARE(b[1].lo, 2.3);
        QCOMPARE(b[2].hi, 5.0);
        QCOMPARE(b[0].n, 4);
        QCOMPARE(b[1].n, 14);
        QCOMPARE(b[2].n, 2);
        // REFERENCE-VALUES.md: 4/20 -> [0.0806576626, 0.4160174323].
        QVERIFY(near(b[0].share.point.value, 0.2));
        QVERIFY(std::abs(b[0].share.low - 0.0806576626) < 1e-9);
        QVERIFY(std::abs(b[0].share.high - 0.4160174323) < 1e-9);
        // 14/20 and 2/20 by the Wilson formula written out.
        const double z = 1.959963984540054, z2 = z * z;
        for (const auto &[k, band] : { std::pair { 14, b[1] }, std::pair { 2, b[2] } }) {
            const double n = 20, p = k / n;
            const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
            QVERIFY(near(band.share.point.value, p));
            QVERIFY(near(band.share.low, centre - half));
            QVERIFY(near(band.share.high, centre + half));
        }
    }

    void noValuesGiveUndefinedShares()
    {
        const std::vector<ScoreBand> b = bandShares({ kMissing }, { 3 });
        QCOMPARE(b.size(), std::size_t(2));
        QCOMPARE(b[0].n, 0);
        QVERIFY(!b[0].share.point.defined);
        QVERIFY(!b[0].share.point.note.empty());
    }

    void cutsAreChecked()
    {
        QVERIFY(checkBandCuts({ 2.3, 3.6 }).empty());
        QVERIFY(!checkBandCuts({ 3, 2 }).empty());
        QVERIFY(!checkBandCuts({ 2, 2 }).empty());
        QVERIFY(!checkBandCuts({ 1 }).empty());
        QVERIFY(!checkBandCuts({ 5 }).empty());
        QVERIFY(!checkBandCuts({}).empty());
    }

    void meanOfPerUnitPopulationSd()
    {
        // {5,4,5}: mean 14/3, SD sqrt(((1/3)^2*2 + (2/3)^2)/3); {2,2}: 0; {3}: left out.
        const MeanSd m = meanUnitSd({ { 5, 4, 5 }, { 2, 2, kMissing }, { 3, kMissing } });
        QCOMPARE(m.units, 2);
        const double sd1 = std::sqrt((2 * (1.0 / 9) + 4.0 / 9) / 3);
        QVERIFY(near(m.mean.value, (sd1 + 0) / 2));
        QVERIFY(!meanUnitSd({ { 3 } }).mean.defined);
    }

    void spreadOverDefinedValues()
    {
        const Spread s = spreadOf({ Estimate::of(0.5), Estimate::undefined("none"),
            Estimate::of(1.0), Estimate::of(0.9) });
        QCOMPARE(s.n, 3);
        const double mean = 2.4 / 3;
        QVERIFY(near(s.mean.value, mean));
        QVERIFY(near(s.min.value, 0.5));
        QVERIFY(near(s.max.value, 1.0));
        const double ss =
            std::pow(0.5 - mean, 2) + std::pow(1.0 - mean, 2) + std::pow(0.9 - mean, 2);
        QVERIFY(near(s.sd.value, std::sqrt(ss / 2)));
        const Spread one = spreadOf({ Estimate::of(2) });
        QVERIFY(one.mean.defined && !one.sd.defined);
        QVERIFY(!spreadOf({}).mean.defined);
    }

    void uniqueMajorityLeavesTiesOut()
    {
        QCOMPARE(uniqueMajority({ 0, 2, 1 }), 1);
        QCOMPARE(uniqueMajority({ 1, 1, 0 }), -1);
        QCOMPARE(uniqueMajority({ 0, 0, 0 }), -1);
        QCOMPARE(uniqueMajority({ 0, 0, 1 }), 2);
    }
};

QTEST_APPLESS_MAIN(TestSummaries)
#include "tst_summaries.moc"
