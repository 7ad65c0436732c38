#include "analysis/disagreement.h"
#include "analysis/ratings.h"

#include <QTest>
#include <cmath>

using namespace cr::analysis;

class TestDisagreement final : public QObject {
    Q_OBJECT
private slots:
    void categories()
    {
        const CategorySpread agree = categorySpread({ 2, 2, -1, 2 });
        QCOMPARE(agree.labelled, 3);
        QCOMPARE(agree.distinct, 1);
        QVERIFY(!agree.mismatch);
        const CategorySpread three = categorySpread({ 0, 1, 1, 4, -1 });
        QCOMPARE(three.labelled, 4);
        QCOMPARE(three.distinct, 3);
        QVERIFY(three.mismatch);
        QCOMPARE(categorySpread({ -1, -1 }).distinct, 0);
    }

    void scores()
    {
        // 1, 4, 5 and a missing score; consensus (mean) 10/3.
        const ScoreSpread s = scoreSpread({ 1, 4, kMissing, 5 }, 10.0 / 3.0);
        QCOMPARE(s.n, 3);
        QCOMPARE(s.min, 1.0);
        QCOMPARE(s.max, 5.0);
        QCOMPARE(s.range, 4.0);
        QCOMPARE(s.distanceFromConsensus, 10.0 / 3.0 - 1.0);
        QVERIFY(s.harmfulByAnyone);
        QVERIFY(s.disagrees());
        // Threshold 2 includes 2; a 3 is not harmful.
        QVERIFY(scoreSpread({ 2, 4 }, std::nullopt).harmfulByAnyone);
        QVERIFY(!scoreSpread({ 3, 4 }, std::nullopt).harmfulByAnyone);
        QVERIFY(scoreSpread({ 3, 4 }, std::nullopt, 3.0).harmfulByAnyone);
        // No consensus: distance 0; adjudicated consensus 5: distance 2.
        QCOMPARE(scoreSpread({ 3, 4 }, std::nullopt).distanceFromConsensus, 0.0);
        QCOMPARE(scoreSpread({ 3, 4 }, 5.0).distanceFromConsensus, 2.0);
        const ScoreSpread single = scoreSpread({ 4, kMissing }, 4.0);
        QCOMPARE(single.range, 0.0);
        QVERIFY(!single.disagrees());
    }

    void order()
    {
        std::vector<QueueKey> keys(6);
        keys[0] = { false, false, 0, false, 2, 1, 1, 10 }; // score, range 2
        keys[1] = { false, false, 0, true, 1, 1, 2, 20 }; // score, harmful, range 1
        keys[2] = { true, false, 2, false, 0, 0, 3, 0 }; // category, 2 labels
        keys[3] = { true, false, 3, false, 0, 0, 4, 0 }; // category, 3 labels
        keys[4] = { false, false, 0, false, 2, 1.5, 1,
            11 }; // score, range 2, further from consensus
        keys[5] = { true, true, 3, false, 0, 0, 0, 0 }; // adjudicated: last
        const std::vector<std::size_t> expected { 3, 2, 1, 4, 0, 5 };
        QCOMPARE(queueOrder(keys), expected);
        // Ties fall back to item then response id.
        const QueueKey a { false, false, 0, false, 1, 1, 1, 5 };
        QueueKey b = a;
        b.responseId = 6;
        QVERIFY(queueLess(a, b));
        QVERIFY(!queueLess(b, a));
    }

    void chiSquare()
    {
        // df = 2: survival is exp(-x/2) exactly.
        QVERIFY(std::abs(chiSquareSurvival(6.0, 2) - std::exp(-3.0)) < 1e-12);
        QVERIFY(std::abs(chiSquareSurvival(0.5, 2) - std::exp(-0.25)) < 1e-12);
        // df = 1: erfc(sqrt(x/2)); 3.841458820694124 is the 95% critical value.
        QVERIFY(std::abs(chiSquareSurvival(3.841458820694124, 1) - 0.05) < 1e-10);
        QCOMPARE(chiSquareSurvival(0.0, 3), 1.0);
    }

    void kruskalWallis_data()
    {
        QTest::addColumn<QList<QList<double>>>("groups");
        QTest::addColumn<bool>("tested");
        QTest::addColumn<double>("h");
        QTest::addColumn<int>("df");
        QTest::addColumn<double>("p");
        // Separated groups: ranks sum 15 and 40, H = 12/110 * (225/5 + 1600/5) - 33 = 75/11.
        QTest::newRow("separated") << QList<QList<double>> { { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 } }
                                   << true << 75.0 / 11.0 << 1 << 0.009023438818080326;
        // Ties: mid-ranks 1.5, 1.5, 3.5 | 3.5, 5.5, 5.5; H = 3.047619 / (1 - 18/210) = 10/3.
        QTest::newRow("ties") << QList<QList<double>> { { 1, 1, 2 }, { 2, 3, 3 } } << true
                              << 10.0 / 3.0 << 1 << 0.0678891548618304;
        // Three groups: R = 6, 15, 24; H = 12/90 * 279 - 30 = 7.2; p = exp(-3.6).
        QTest::newRow("three") << QList<QList<double>> { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } }
                               << true << 7.2 << 2 << std::exp(-3.6);
        QTest::newRow("one group")
            << QList<QList<double>> { { 1, 2, 3 }, {} } << false << 0.0 << 0 << 1.0;
        QTest::newRow("all tied") << QList<QList<double>> { { 3, 3 }, { 3, 3 } } << false << 0.0
                                  << 0 << 1.0;
    }
    void kruskalWallis()
    {
        QFETCH(QList<QList<double>>, groups);
        QFETCH(bool, tested);
        QFETCH(double, h);
        QFETCH(int, df);
        QFETCH(double, p);
        std::vector<std::vector<double>> g;
        for (const auto &group : groups)
            g.emplace_back(group.begin(), group.end());
        const KruskalWallis r = cr::analysis::kruskalWallis(g);
        QCOMPARE(r.tested, tested);
        QVERIFY2(std::abs(r.h - h) < 1e-9, qPrintable(QString::number(r.h, 'g', 17)));
        QCOMPARE(r.df, df);
        QVERIFY2(std::abs(r.p - p) < 1e-9, qPrintable(QString::number(r.p, 'g', 17)));
    }

    void positionBiasFlags()
    {
        // Position A always scored lower than B: flagged (p = 0.009).
        const PositionBias biased = positionBias({ { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 } });
        QCOMPARE(biased.meanByPosition[0], 3.0);
        QCOMPARE(biased.meanByPosition[1], 8.0);
        QCOMPARE(biased.nByPosition[1], 5);
        QVERIFY(biased.flagged);
        // Interleaved scores: no difference, not flagged.
        const PositionBias fair = positionBias({ { 1, 3, 5, 2, 4 }, { 2, 4, 1, 3, 5 } });
        QVERIFY(fair.test.tested);
        QVERIFY(fair.test.p > 0.5);
        QVERIFY(!fair.flagged);
        // Too few scores at position C: C is reported but left out of the test.
        const PositionBias sparse = positionBias({ { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 }, { 1 } });
        QCOMPARE(sparse.nByPosition[2], 1);
        QCOMPARE(sparse.test.df, 1);
        QVERIFY(std::isnan(positionBias({ { 1, 2 }, {} }).meanByPosition[1]));
    }
};

QTEST_GUILESS_MAIN(TestDisagreement)
#include "tst_disagreement.moc"
