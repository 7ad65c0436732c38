#include "analysis/intervals.h"

#include <QTest>

using namespace cr::analysis;

class TestIntervals final : public QObject {
    Q_OBJECT
private slots:
    void wilson_data()
    {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("n");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::newRow("18/20") << 18.0 << 20.0 << 0.6989663548 << 0.9721335188;
        QTest::newRow("4/20") << 4.0 << 20.0 << 0.0806576626 << 0.4160174323;
        QTest::newRow("4/200") << 4.0 << 200.0 << 0.0078044264 << 0.0502870869;
        QTest::newRow("1/30") << 1.0 << 30.0 << 0.0059085904 << 0.1667039099;
        QTest::newRow("0/30") << 0.0 << 30.0 << 0.0 << 0.1135133932;
        QTest::newRow("30/30") << 30.0 << 30.0 << 0.8864866068 << 1.0;
    }
    void wilson()
    {
        QFETCH(double, x);
        QFETCH(double, n);
        QFETCH(double, low);
        QFETCH(double, high);
        const Interval i = wilsonInterval(x, n);
        QVERIFY(i.point.defined);
        QCOMPARE(i.point.value, x / n);
        QVERIFY2(std::fabs(i.low - low) < 1e-9, qPrintable(QString::number(i.low, 'g', 12)));
        QVERIFY2(std::fabs(i.high - high) < 1e-9, qPrintable(QString::number(i.high, 'g', 12)));
        QVERIFY(i.low <= i.point.value && i.point.value <= i.high);
    }

    void wilsonDegenerate_data()
    {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("n");
        QTest::newRow("n = 0") << 0.0 << 0.0;
        QTest::newRow("x > n") << 3.0 << 2.0;
        QTest::newRow("x < 0") << -1.0 << 2.0;
    }
    void wilsonDegenerate()
    {
        QFETCH(double, x);
        QFETCH(double, n);
        const Interval i = wilsonInterval(x, n);
        QVERIFY(!i.point.defined);
        QVERIFY(!i.point.note.empty());
    }

    void tQuantile_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("df");
        QTest::addColumn<double>("expected");
        QTest::newRow("0.975, 1") << 0.975 << 1.0 << 12.706204736174698;
        QTest::newRow("0.975, 2") << 0.975 << 2.0 << 4.302652729749464;
        QTest::newRow("0.975, 10") << 0.975 << 10.0 << 2.228138851986274;
        QTest::newRow("0.975, 30") << 0.975 << 30.0 << 2.042272456301238;
        QTest::newRow("0.975, 1e6") << 0.975 << 1e6 << 1.959966;
        QTest::newRow("0.025, 10") << 0.025 << 10.0 << -2.228138851986274;
        QTest::newRow("0.5, 3") << 0.5 << 3.0 << 0.0;
    }
    void tQuantile()
    {
        QFETCH(double, p);
        QFETCH(double, df);
        QFETCH(double, expected);
        const double tol = df > 1e5 ? 1e-6 : 1e-8;
        const double got = studentTQuantile(p, df);
        QVERIFY2(std::fabs(got - expected) < tol, qPrintable(QString::number(got, 'g', 17)));
    }

    void mean()
    {
        // 1..5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445105
        const Interval i = meanInterval({ 1, 2, kMissing, 3, 4, 5 });
        QVERIFY(i.point.defined);
        QCOMPARE(i.point.value, 3.0);
        const double half = 2.7764451051977987 * std::sqrt(2.5 / 5);
        QVERIFY(std::fabs(i.low - (3 - half)) < 1e-8);
        QVERIFY(std::fabs(i.high - (3 + half)) < 1e-8);
    }

    void meanDegenerate()
    {
        const Interval none = meanInterval({ kMissing });
        QVERIFY(!none.point.defined);
        QVERIFY(!none.point.note.empty());
        const Interval one = meanInterval({ 4.0 });
        QVERIFY(one.point.defined);
        QCOMPARE(one.low, 4.0);
        QCOMPARE(one.high, 4.0);
        QVERIFY(!one.point.note.empty());
        const Interval constant = meanInterval({ 2, 2, 2 });
        QCOMPARE(constant.low, 2.0);
        QCOMPARE(constant.high, 2.0);
    }
};

QTEST_GUILESS_MAIN(TestIntervals)
#include "tst_intervals.moc"
