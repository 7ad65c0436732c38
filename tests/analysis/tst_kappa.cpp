#include "analysis/kappa.h"
#include "testdata.h"

#include <QTest>

using namespace cr::analysis;
using cr::analysis::testing::expandRuns;
using cr::analysis::testing::parseFlat;
using cr::analysis::testing::parseTable;

Q_DECLARE_METATYPE(cr::analysis::Weighting)

namespace {

// Count table from "subject digits" groups, e.g. "444444 222555": each digit a
// rating on a 1..K scale.
CountTable countsFromDigits(const std::string &text, int categories)
{
    std::vector<std::string> groups;
    std::stringstream ss(text);
    std::string g;
    while (ss >> g)
        groups.push_back(g);
    CountTable t(int(groups.size()), categories);
    for (std::size_t s = 0; s < groups.size(); ++s)
        for (char c : groups[s])
            t.at(int(s), c - '1') += 1;
    return t;
}

CountTable countsFromFlat(const std::vector<double> &flat, int categories)
{
    CountTable t(int(flat.size()) / categories, categories);
    t.counts = flat;
    return t;
}

// Two-rater contingency table -> subjects x categories count table.
CountTable countsFromContingency(const std::vector<double> &table, int k)
{
    std::vector<double> flat;
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j)
            for (int c = 0; c < int(table[std::size_t(i * k + j)]); ++c) {
                std::vector<double> row(std::size_t(k), 0.0);
                row[std::size_t(i)] += 1;
                row[std::size_t(j)] += 1;
                flat.insert(flat.end(), row.begin(), row.end());
            }
    return countsFromFlat(flat, k);
}

// Unit 12's single value moved from rater B to rater C: it still cannot be
// paired (so p_a is over 11 units) but enters pi_k (12 rated units).
const char *kK2011Filled = "1 2 3 3 2 1 4 1 2 . . .;"
                           "1 2 3 3 2 2 4 1 2 5 . .;"
                           ". 3 3 3 2 3 4 2 2 5 1 3;"
                           "1 2 3 3 2 4 4 1 2 5 1 .";

CountTable k2011Counts()
{
    RatingTable t = parseTable(kK2011Filled);
    for (double &v : t.values)
        if (!isMissing(v))
            v -= 1; // codes 0..4
    return CountTable::fromRatings(t, 5);
}

} // namespace

class TestKappa final : public QObject {
    Q_OBJECT
private slots:
    void cohenFromCodes_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("categories");
        QTest::addColumn<Weighting>("weighting");
        QTest::addColumn<double>("expected");
        QTest::newRow("8/23") << QStringLiteral("40x0 60x1")
                              << QStringLiteral("20x0 20x1 10x0 50x1") << 2 << Weighting::Unweighted
                              << 8.0 / 23;
        QTest::newRow("121/151") << QStringLiteral("46x0 44x1 10x2")
                                 << QStringLiteral("52x0 32x1 16x2") << 3 << Weighting::Unweighted
                                 << 121.0 / 151;
        QTest::newRow("68/73") << QStringLiteral("46x0 44x1 10x2")
                               << QStringLiteral("50x0 40x1 10x2") << 3 << Weighting::Unweighted
                               << 68.0 / 73;
        QTest::newRow("linear 16/17")
            << QStringLiteral("46x0 44x1 10x2") << QStringLiteral("50x0 40x1 10x2") << 3
            << Weighting::Linear << 16.0 / 17;
        QTest::newRow("quadratic 104/109")
            << QStringLiteral("46x0 44x1 10x2") << QStringLiteral("50x0 40x1 10x2") << 3
            << Weighting::Quadratic << 104.0 / 109;
        // Declaring more categories leaves unweighted kappa unchanged.
        QTest::newRow("8/23 declared K=5")
            << QStringLiteral("40x0 60x1") << QStringLiteral("20x0 20x1 10x0 50x1") << 5
            << Weighting::Unweighted << 8.0 / 23;
    }
    void cohenFromCodes()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, categories);
        QFETCH(Weighting, weighting);
        QFETCH(double, expected);
        const KappaResult res = cohenKappa(
            expandRuns(a.toStdString()), expandRuns(b.toStdString()), categories, weighting);
        QVERIFY2(res.kappa.defined, res.kappa.note.c_str());
        QVERIFY2(std::fabs(res.kappa.value - expected) < 1e-9,
            qPrintable(QString::number(res.kappa.value, 'g', 17)));
    }

    void declaredScaleChangesWeights()
    {
        // Only labels 0, 1 and 4 of a declared 0..4 scale occur. Weighting by the
        // declared positions differs from relabelling the occurring labels 0, 1, 2.
        const auto a = expandRuns("30x0 30x1 30x4 5x0 5x4"),
                   b = expandRuns("25x0 5x1 5x0 25x1 30x4 5x4 5x0");
        auto relabel = [](std::vector<int> v) {
            for (int &x : v)
                x = x == 4 ? 2 : x;
            return v;
        };
        for (Weighting w : { Weighting::Linear, Weighting::Quadratic }) {
            const double declared = cohenKappa(a, b, 5, w).kappa.value;
            const double occurring = cohenKappa(relabel(a), relabel(b), 3, w).kappa.value;
            QVERIFY(std::fabs(declared - occurring) > 1e-3);
        }
        // Unweighted kappa does not depend on the declaration.
        QVERIFY(std::fabs(cohenKappa(a, b, 5).kappa.value
                    - cohenKappa(relabel(a), relabel(b), 3).kappa.value)
            < 1e-12);
    }

    void cohenFromTable_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<int>("categories");
        QTest::addColumn<Weighting>("weighting");
        QTest::addColumn<double>("expected");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<double>("se"); // < 0: not checked
        const QString t3 = QStringLiteral("0 4 1; 0 8 0; 0 1 5");
        const QString t3b = QStringLiteral("13 0 0; 0 20 7; 0 4 56");
        const QString t4 = QStringLiteral("40 4 4 17; 6 25 2 13; 4 1 21 12; 15 5 9 45");
        QTest::newRow("107/221") << t3 << 3 << Weighting::Unweighted << 107.0 / 221 << 1e-9
                                 << 0.1380;
        QTest::newRow("linear 118/251")
            << t3 << 3 << Weighting::Linear << 118.0 / 251 << 1e-9 << 0.1457;
        QTest::newRow("t3b unweighted")
            << t3b << 3 << Weighting::Unweighted << 0.796 << 5e-4 << -1.0;
        QTest::newRow("t3b linear") << t3b << 3 << Weighting::Linear << 0.843 << 5e-4 << -1.0;
        QTest::newRow("t3b quadratic") << t3b << 3 << Weighting::Quadratic << 0.892 << 5e-4 << -1.0;
        QTest::newRow("t4 unweighted") << t4 << 4 << Weighting::Unweighted << 0.432 << 5e-4 << -1.0;
        QTest::newRow("t4 linear") << t4 << 4 << Weighting::Linear << 0.407 << 5e-4 << -1.0;
        QTest::newRow("t4 quadratic") << t4 << 4 << Weighting::Quadratic << 0.383 << 5e-4 << -1.0;
    }
    void cohenFromTable()
    {
        QFETCH(QString, table);
        QFETCH(int, categories);
        QFETCH(Weighting, weighting);
        QFETCH(double, expected);
        QFETCH(double, tolerance);
        QFETCH(double, se);
        const KappaResult res = cohenKappa(parseFlat(table.toStdString()), categories, weighting);
        QVERIFY(res.kappa.defined);
        QVERIFY2(std::fabs(res.kappa.value - expected) < tolerance,
            qPrintable(QString::number(res.kappa.value, 'g', 17)));
        if (se >= 0) {
            QVERIFY(res.se.defined);
            QVERIFY2(std::fabs(res.se.value - se) < 5e-5,
                qPrintable(QString::number(res.se.value, 'g', 10)));
        }
    }

    void cohenInterval()
    {
        const KappaResult res = cohenKappa(parseFlat("0 4 1 0 8 0 0 1 5"), 3);
        QVERIFY(std::fabs(res.ciLow.value - 0.2137) < 5e-5);
        QVERIFY(std::fabs(res.ciHigh.value - 0.7547) < 5e-5);
        QVERIFY(res.z.defined && res.z.value > 0);
    }

    void cohenDegenerate_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("categories");
        QTest::addColumn<bool>("defined");
        QTest::addColumn<double>("value");
        QTest::newRow("no pairs") << QString() << QString() << 3 << false << 0.0;
        QTest::newRow("one category used")
            << QStringLiteral("10x1") << QStringLiteral("10x1") << 3 << false << 0.0;
        QTest::newRow("single declared category")
            << QStringLiteral("10x0") << QStringLiteral("10x0") << 1 << false << 0.0;
        QTest::newRow("all missing")
            << QStringLiteral("5x-1") << QStringLiteral("5x2") << 3 << false << 0.0;
        // One disagreeing pair: p_o = p_e = 0, kappa = 0.
        QTest::newRow("one unit") << QStringLiteral("1x0") << QStringLiteral("1x1") << 2 << true
                                  << 0.0;
        QTest::newRow("perfect") << QStringLiteral("3x0 3x1") << QStringLiteral("3x0 3x1") << 2
                                 << true << 1.0;
    }
    void cohenDegenerate()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, categories);
        QFETCH(bool, defined);
        QFETCH(double, value);
        for (Weighting w : { Weighting::Unweighted, Weighting::Linear, Weighting::Quadratic }) {
            const KappaResult res =
                cohenKappa(expandRuns(a.toStdString()), expandRuns(b.toStdString()), categories, w);
            QCOMPARE(res.kappa.defined, defined);
            if (!defined) {
                QVERIFY(!res.kappa.note.empty());
                QVERIFY(
                    !res.se.defined && !res.ciLow.defined && !res.ciHigh.defined && !res.z.defined);
                QVERIFY(!res.se.note.empty());
            } else
                QCOMPARE(res.kappa.value, value);
        }
    }

    void fleiss_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<double>("expected");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("10x14 4211/20059") << 0 << 4211.0 / 20059 << 1e-9;
        QTest::newRow("30x6 0.4302445") << 1 << 0.4302445 << 5e-8;
        QTest::newRow("k2011 generalised 0.76117") << 2 << 0.76117 << 5e-6;
    }
    void fleiss()
    {
        QFETCH(int, which);
        QFETCH(double, expected);
        QFETCH(double, tolerance);
        const AgreementResult res = fleissKappa(fleissTable(which));
        QVERIFY2(res.coefficient.defined, res.coefficient.note.c_str());
        QVERIFY2(std::fabs(res.coefficient.value - expected) < tolerance,
            qPrintable(QString::number(res.coefficient.value, 'g', 17)));
        if (which == 0) {
            QVERIFY(std::fabs(res.observed - 172.0 / 455) < 1e-12);
            QVERIFY(std::fabs(res.expected - 417.0 / 1960) < 1e-12);
        }
        if (which == 1) {
            QVERIFY(res.z.defined);
            QVERIFY2(std::fabs(res.z.value - 17.65183) < 5e-6,
                qPrintable(QString::number(res.z.value, 'g', 10)));
        }
        if (which == 2)
            QVERIFY(!res.z.defined); // unbalanced design
    }

    void gwet_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<double>("expected");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("k2011 AC1") << 2 << 0.77544 << 5e-6;
        QTest::newRow("t3b AC1") << 3 << 0.849 << 5e-4;
    }
    void gwet()
    {
        QFETCH(int, which);
        QFETCH(double, expected);
        QFETCH(double, tolerance);
        const AgreementResult res = gwetAC(fleissTable(which));
        QVERIFY(res.coefficient.defined);
        QVERIFY2(std::fabs(res.coefficient.value - expected) < tolerance,
            qPrintable(QString::number(res.coefficient.value, 'g', 17)));
        if (which == 2) {
            QVERIFY(std::fabs(res.observed - 0.81818) < 5e-6);
            QVERIFY(std::fabs(res.expected - 0.19032) < 5e-6);
        }
    }

    void gwetAC2ReducesToAC1WithIdentityWeights()
    {
        const CountTable t = fleissTable(2);
        const AgreementResult ac2 = gwetAC(t, Weighting::Quadratic);
        QVERIFY(ac2.coefficient.defined);
        QVERIFY(ac2.coefficient.value >= gwetAC(t).coefficient.value - 0.2);
        QVERIFY(ac2.observed >= gwetAC(t).observed); // partial credit only adds agreement
    }

    void percent()
    {
        QVERIFY(std::fabs(percentAgreement(fleissTable(2)).value - 9.0 / 11) < 1e-12);
        // Two raters: share of identical pairs.
        QVERIFY(std::fabs(percentAgreement(fleissTable(3)).value - 89.0 / 100) < 1e-12);
    }

    void agreementDegenerate_data()
    {
        QTest::addColumn<QString>("ratings");
        QTest::addColumn<int>("categories");
        QTest::addColumn<bool>("fleissDefined");
        QTest::addColumn<bool>("gwetDefined");
        QTest::addColumn<bool>("percentDefined");
        QTest::newRow("single rater") << QStringLiteral("0 1 2") << 3 << false << false << false;
        QTest::newRow("all missing") << QStringLiteral(". .; . .") << 3 << false << false << false;
        QTest::newRow("one category used")
            << QStringLiteral("1 1; 1 1") << 3 << false << true << true;
        QTest::newRow("one declared category")
            << QStringLiteral("0 0; 0 0") << 1 << false << false << true;
        QTest::newRow("one unit") << QStringLiteral("0; 1") << 2 << true << true << true;
    }
    void agreementDegenerate()
    {
        QFETCH(QString, ratings);
        QFETCH(int, categories);
        QFETCH(bool, fleissDefined);
        QFETCH(bool, gwetDefined);
        QFETCH(bool, percentDefined);
        const CountTable t = CountTable::fromRatings(parseTable(ratings.toStdString()), categories);
        const AgreementResult f = fleissKappa(t);
        const AgreementResult g = gwetAC(t);
        QCOMPARE(f.coefficient.defined, fleissDefined);
        QCOMPARE(g.coefficient.defined, gwetDefined);
        QCOMPARE(percentAgreement(t).defined, percentDefined);
        if (!f.coefficient.defined)
            QVERIFY(!f.coefficient.note.empty());
        if (g.coefficient.defined)
            QVERIFY(std::isfinite(g.coefficient.value));
    }

private:
    static CountTable fleissTable(int which)
    {
        switch (which) {
        case 0:
            return countsFromFlat(
                parseFlat("0 0 0 0 14  0 2 6 4 2  0 0 3 5 6  0 3 9 2 0  2 2 8 1 1 "
                          "7 7 0 0 0  3 2 6 3 0  2 5 3 2 2  6 5 2 1 0  0 2 2 3 7"),
                5);
        case 1:
            return countsFromDigits(
                "444444 222555 233335 555555 222444 113333 333355 113334 114444 555555 "
                "144444 124444 222333 144444 224445 333335 111455 111112 224444 133555 "
                "555555 244444 224555 114444 144445 222224 111155 224444 133333 555555",
                5);
        case 2:
            return k2011Counts();
        default:
            return countsFromContingency(parseFlat("13 0 0 0 20 7 0 4 56"), 3);
        }
    }
};

QTEST_GUILESS_MAIN(TestKappa)
#include "tst_kappa.moc"
