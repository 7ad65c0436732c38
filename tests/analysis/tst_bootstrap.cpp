#include "analysis/bootstrap.h"
#include "testdata.h"

#include <QTest>

using namespace cr::analysis;
using cr::analysis::testing::expandRuns;
using cr::analysis::testing::parseTable;

Q_DECLARE_METATYPE(cr::analysis::Metric)

namespace {
RatingTable k2011()
{
    return parseTable("1 2 3 3 2 1 4 1 2 . . .;"
                      "1 2 3 3 2 2 4 1 2 5 . 3;"
                      ". 3 3 3 2 3 4 2 2 5 1 .;"
                      "1 2 3 3 2 4 4 1 2 5 1 .");
}

bool same(const BootstrapInterval &a, const BootstrapInterval &b)
{
    return a.low.defined == b.low.defined && a.low.value == b.low.value
        && a.high.value == b.high.value && a.undefinedReplicates == b.undefinedReplicates;
}
} // namespace

class TestBootstrap final : public QObject {
    Q_OBJECT
private slots:
    void alphaDeterministicAcrossThreads_data()
    {
        QTest::addColumn<Metric>("metric");
        QTest::newRow("nominal") << Metric::Nominal;
        QTest::newRow("ordinal") << Metric::Ordinal;
        QTest::newRow("interval") << Metric::Interval;
        QTest::newRow("ratio") << Metric::Ratio;
    }
    void alphaDeterministicAcrossThreads()
    {
        QFETCH(Metric, metric);
        const RatingTable t = k2011();
        BootstrapOptions opt;
        opt.replicates = 2000;
        opt.seed = 20240601;
        opt.threads = 1;
        const BootstrapInterval one = bootstrapAlpha(t, metric, opt);
        opt.threads = 4;
        const BootstrapInterval four = bootstrapAlpha(t, metric, opt);
        QVERIFY(one.low.defined && one.high.defined);
        QVERIFY(same(one, four));
        QCOMPARE(one.point.value, krippendorffAlpha(t, metric).alpha.value);
        QVERIFY(one.low.value <= one.point.value && one.point.value <= one.high.value);
        QVERIFY(one.low.value < one.high.value);
        // Another seed gives another interval.
        opt.seed = 7;
        QVERIFY(!same(one, bootstrapAlpha(t, metric, opt)));
    }

    void kappaDeterministicAcrossThreads()
    {
        const auto a = expandRuns("46x0 44x1 10x2"), b = expandRuns("52x0 32x1 16x2");
        BootstrapOptions opt;
        opt.replicates = 1000;
        opt.seed = 99;
        opt.threads = 1;
        const BootstrapInterval one = bootstrapCohenKappa(a, b, 3, Weighting::Quadratic, opt);
        opt.threads = 4;
        const BootstrapInterval four = bootstrapCohenKappa(a, b, 3, Weighting::Quadratic, opt);
        QVERIFY(same(one, four));
        QVERIFY(one.low.value <= one.point.value && one.point.value <= one.high.value);
        QCOMPARE(one.undefinedReplicates, 0);
    }

    void degenerate()
    {
        BootstrapOptions opt;
        opt.replicates = 50;
        // No units.
        const BootstrapInterval none = bootstrapAlpha(RatingTable(3, 0), Metric::Nominal, opt);
        QVERIFY(!none.point.defined && !none.low.defined && !none.high.defined);
        QVERIFY(!none.low.note.empty());
        // One value only: every replicate undefined.
        const BootstrapInterval constant =
            bootstrapAlpha(parseTable("1 1 1; 1 1 1"), Metric::Ordinal, opt);
        QVERIFY(!constant.low.defined);
        QCOMPARE(constant.undefinedReplicates, 50);
        // Zero replicates requested.
        opt.replicates = 0;
        QVERIFY(!bootstrapAlpha(k2011(), Metric::Nominal, opt).low.defined);
    }
};

QTEST_GUILESS_MAIN(TestBootstrap)
#include "tst_bootstrap.moc"
