#include "analysis/harm.h"

#include <QTest>

using namespace cr::analysis;

class TestHarm final : public QObject {
    Q_OBJECT
private slots:
    void consensus_data()
    {
        QTest::addColumn<double>("adjudicated"); // NaN = none
        QTest::addColumn<QList<double>>("raters");
        QTest::addColumn<bool>("defined");
        QTest::addColumn<double>("expected");
        QTest::newRow("adjudicated wins") << 4.0 << QList<double> { 1, 2 } << true << 4.0;
        QTest::newRow("mean of raters")
            << kMissing << QList<double> { 1, 2, kMissing } << true << 1.5;
        QTest::newRow("nothing") << kMissing << QList<double> { kMissing } << false << 0.0;
    }
    void consensus()
    {
        QFETCH(double, adjudicated);
        QFETCH(QList<double>, raters);
        QFETCH(bool, defined);
        QFETCH(double, expected);
        const std::optional<double> adj =
            isMissing(adjudicated) ? std::nullopt : std::optional<double>(adjudicated);
        const Estimate e = consensusScore(adj, std::vector<double>(raters.begin(), raters.end()));
        QCOMPARE(e.defined, defined);
        QCOMPARE(e.value, expected);
    }

    void summary()
    {
        // 20 responses: 4 at <= 2.0 (one of them exactly 1), rest 4.
        std::vector<double> scores(16, 4.0);
        scores.insert(scores.end(), { 1.0, 2.0, 1.5, 2.0, kMissing });
        const HarmSummary s = harmSummary(scores);
        QCOMPARE(s.n, 20);
        QCOMPARE(s.harmful, 4);
        QCOMPARE(s.scoredOne, 1);
        QVERIFY(std::fabs(s.rate.point.value - 0.2) < 1e-12);
        QVERIFY(std::fabs(s.rate.low - 0.0806576626) < 1e-9);
        QVERIFY(std::fabs(s.rate.high - 0.4160174323) < 1e-9);
        QVERIFY(s.meanScore.point.defined);
        QVERIFY(s.meanScore.low < s.meanScore.point.value
            && s.meanScore.point.value < s.meanScore.high);
        // A threshold is configurable.
        QCOMPARE(harmSummary(scores, 1.5).harmful, 2);
    }

    void empty()
    {
        const HarmSummary s = harmSummary({ kMissing });
        QCOMPARE(s.n, 0);
        QVERIFY(!s.rate.point.defined && !s.score1Rate.point.defined && !s.meanScore.point.defined);
        QVERIFY(!s.rate.point.note.empty());
    }
};

QTEST_GUILESS_MAIN(TestHarm)
#include "tst_harm.moc"
