#include "analysis/scores.h"
#include "testdata.h"

#include <QTest>

using namespace cr::analysis;
using cr::analysis::testing::parseTable;

class TestScores final : public QObject {
    Q_OBJECT
private slots:
    void paired_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("mae");
        QTest::addColumn<double>("rmse");
        QTest::addColumn<double>("withinOne");
        QTest::addColumn<double>("exact");
        QTest::newRow("basic") << QStringLiteral("1 2 3 4 5") << QStringLiteral("1 3 5 4 1") << 5
                               << 7.0 / 5 << std::sqrt(21.0 / 5) << 3.0 / 5 << 2.0 / 5;
        QTest::newRow("missing dropped") << QStringLiteral("1 . 3 4") << QStringLiteral("2 2 . 4")
                                         << 2 << 0.5 << std::sqrt(0.5) << 1.0 << 0.5;
    }
    void paired()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, n);
        QFETCH(double, mae);
        QFETCH(double, rmse);
        QFETCH(double, withinOne);
        QFETCH(double, exact);
        const RatingTable t = parseTable(a.toStdString() + ";" + b.toStdString());
        const std::vector<double> va(t.values.begin(), t.values.begin() + t.units);
        const std::vector<double> vb(t.values.begin() + t.units, t.values.end());
        const PairedScoreAgreement res = pairedScoreAgreement(va, vb);
        QCOMPARE(res.n, n);
        QVERIFY(std::fabs(res.mae.value - mae) < 1e-12);
        QVERIFY(std::fabs(res.rmse.value - rmse) < 1e-12);
        QVERIFY(std::fabs(res.withinOne.value - withinOne) < 1e-12);
        QVERIFY(std::fabs(res.exact.value - exact) < 1e-12);
    }

    void pairedDegenerate()
    {
        const PairedScoreAgreement none = pairedScoreAgreement({ kMissing, 1 }, { 2, kMissing });
        QCOMPARE(none.n, 0);
        QVERIFY(!none.mae.defined && !none.rmse.defined && !none.withinOne.defined
            && !none.exact.defined);
        QVERIFY(!none.mae.note.empty());
        const PairedScoreAgreement empty = pairedScoreAgreement({}, {});
        QVERIFY(!empty.mae.defined);
        const PairedScoreAgreement one = pairedScoreAgreement({ 3 }, { 5 });
        QCOMPARE(one.mae.value, 2.0);
        QCOMPARE(one.withinOne.value, 0.0);
    }

    void shroutFleiss_data()
    {
        QTest::addColumn<int>("form");
        QTest::addColumn<double>("expected");
        QTest::newRow("ICC(1,1)") << 0 << 0.1657;
        QTest::newRow("ICC(2,1)") << 1 << 0.2898;
        QTest::newRow("ICC(3,1)") << 2 << 0.7148;
        QTest::newRow("ICC(1,k)") << 3 << 0.4428;
        QTest::newRow("ICC(2,k)") << 4 << 0.6201;
        QTest::newRow("ICC(3,k)") << 5 << 0.9093;
    }
    void shroutFleiss()
    {
        QFETCH(int, form);
        QFETCH(double, expected);
        // Targets x judges in the paper; RatingTable is judges x targets.
        const RatingTable t = parseTable("9 6 8 7 10 6; 2 1 4 1 5 2; 5 3 6 2 6 4; 8 2 8 6 9 7");
        const IccResult res = intraclassCorrelation(t);
        QCOMPARE(res.targets, 6);
        QCOMPARE(res.judges, 4);
        const Estimate forms[] = { res.icc11, res.icc21, res.icc31, res.icc1k, res.icc2k,
            res.icc3k };
        const Estimate &e = forms[form];
        QVERIFY(e.defined);
        QVERIFY2(
            std::fabs(e.value - expected) < 5e-5, qPrintable(QString::number(e.value, 'g', 10)));
    }

    void iccDegenerate_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<bool>("defined");
        QTest::newRow("single rater") << QStringLiteral("1 2 3") << false;
        QTest::newRow("one unit") << QStringLiteral("1; 2") << false;
        QTest::newRow("all missing") << QStringLiteral(". .; . .") << false;
        QTest::newRow("constant") << QStringLiteral("3 3 3; 3 3 3") << false;
        QTest::newRow("missing unit dropped") << QStringLiteral("1 2 3 .; 1 2 4 5") << true;
    }
    void iccDegenerate()
    {
        QFETCH(QString, table);
        QFETCH(bool, defined);
        const IccResult res = intraclassCorrelation(parseTable(table.toStdString()));
        for (const Estimate &e :
            { res.icc11, res.icc21, res.icc31, res.icc1k, res.icc2k, res.icc3k }) {
            QCOMPARE(e.defined, defined);
            if (!defined)
                QVERIFY(!e.note.empty());
            else
                QVERIFY(std::isfinite(e.value));
        }
    }
};

QTEST_GUILESS_MAIN(TestScores)
#include "tst_scores.moc"
