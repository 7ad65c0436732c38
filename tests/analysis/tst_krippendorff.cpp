#include "analysis/krippendorff.h"
#include "testdata.h"

#include <QTest>
#include <map>
#include <random>

using namespace cr::analysis;
using cr::analysis::testing::parseTable;

Q_DECLARE_METATYPE(cr::analysis::Metric)

namespace {
const char *kK2011 = "1 2 3 3 2 1 4 1 2 . . .;"
                     "1 2 3 3 2 2 4 1 2 5 . 3;"
                     ". 3 3 3 2 3 4 2 2 5 1 .;"
                     "1 2 3 3 2 4 4 1 2 5 1 .";
const char *k3x15 = ". . . . . 3 4 1 2 1 1 3 3 . 3;"
                    "1 . 2 1 3 3 4 3 . . . . . . .;"
                    ". . 2 1 3 4 4 . 2 1 1 3 3 . 4";
// Textbook pair-loop implementation used as an independent reference.
double naiveAlpha(const RatingTable &t, Metric metric)
{
    std::map<double, std::size_t> index;
    for (double v : t.values)
        if (!isMissing(v))
            index.emplace(v, 0);
    std::vector<double> vals;
    for (auto &[v, i] : index) {
        i = vals.size();
        vals.push_back(v);
    }
    const std::size_t V = vals.size();
    std::vector<double> o(V * V, 0.0);
    for (int u = 0; u < t.units; ++u) {
        std::vector<double> present;
        for (int r = 0; r < t.raters; ++r)
            if (!isMissing(t.at(r, u)))
                present.push_back(t.at(r, u));
        for (std::size_t i = 0; i < present.size(); ++i)
            for (std::size_t j = 0; j < present.size(); ++j)
                if (i != j)
                    o[index[present[i]] * V + index[present[j]]] +=
                        1.0 / double(present.size() - 1);
    }
    std::vector<double> n(V, 0.0);
    double total = 0;
    for (std::size_t c = 0; c < V; ++c)
        for (std::size_t k = 0; k < V; ++k) {
            n[c] += o[c * V + k];
            total += o[c * V + k];
        }
    double num = 0, den = 0;
    for (std::size_t c = 0; c < V; ++c)
        for (std::size_t k = 0; k < V; ++k) {
            double d = 0;
            if (c != k) {
                switch (metric) {
                case Metric::Nominal:
                    d = 1;
                    break;
                case Metric::Ordinal: {
                    double s = 0;
                    for (std::size_t g = std::min(c, k); g <= std::max(c, k); ++g)
                        s += n[g];
                    d = (s - (n[c] + n[k]) / 2) * (s - (n[c] + n[k]) / 2);
                    break;
                }
                case Metric::Interval:
                    d = (vals[c] - vals[k]) * (vals[c] - vals[k]);
                    break;
                case Metric::Ratio:
                    d = (vals[c] - vals[k]) * (vals[c] - vals[k])
                        / ((vals[c] + vals[k]) * (vals[c] + vals[k]));
                    break;
                }
            }
            num += o[c * V + k] * d;
            den += n[c] * n[k] * d;
        }
    return 1.0 - (total - 1) * num / den;
}

} // namespace

class TestKrippendorff final : public QObject {
    Q_OBJECT
private slots:
    void referenceValues_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<Metric>("metric");
        QTest::addColumn<double>("expected");
        const QString k2011 = QString::fromLatin1(kK2011);
        const QString t3x15 = QString::fromLatin1(k3x15);
        QTest::newRow("k2011 nominal") << k2011 << Metric::Nominal << 113.0 / 152;
        QTest::newRow("k2011 ordinal") << k2011 << Metric::Ordinal << 108577.0 / 133160;
        QTest::newRow("k2011 interval") << k2011 << Metric::Interval << 951.0 / 1120;
        QTest::newRow("k2011 ratio") << k2011 << Metric::Ratio << 18222619.0 / 22852465;
        QTest::newRow("3x15 nominal") << t3x15 << Metric::Nominal << 56.0 / 81;
        QTest::newRow("3x15 ordinal") << t3x15 << Metric::Ordinal << 112173.0 / 139048;
        QTest::newRow("3x15 interval") << t3x15 << Metric::Interval << 643.0 / 793;
        QTest::newRow("3x15 ratio") << t3x15 << Metric::Ratio << 90503.0 / 111878;
        QTest::newRow("swap AB/BA") << QStringLiteral("0 1; 1 0") << Metric::Nominal << -0.5;
        QTest::newRow("missing excluded")
            << QStringLiteral("1 1 2; 1 1 .; . 1 2") << Metric::Nominal << 1.0;
        QTest::newRow("3x10 complete")
            << QStringLiteral("2 2 2 2 2 2 2 2 2 2; 1 2 2 2 2 2 2 2 2 2; 1 1 1 1 2 2 2 2 2 2")
            << Metric::Nominal << 9.0 / 125;
        // Non-integer values take the sorted (non-lookup) path and must agree.
        QTest::newRow("k2011 interval scaled")
            << QStringLiteral("0.5 1 1.5 1.5 1 0.5 2 0.5 1 . . .;"
                              "0.5 1 1.5 1.5 1 1 2 0.5 1 2.5 . 1.5;"
                              ". 1.5 1.5 1.5 1 1.5 2 1 1 2.5 0.5 .;"
                              "0.5 1 1.5 1.5 1 2 2 0.5 1 2.5 0.5 .")
            << Metric::Interval << 951.0 / 1120;
        QTest::newRow("k2011 ordinal scaled")
            << QStringLiteral("0.5 1 1.5 1.5 1 0.5 2 0.5 1 . . .;"
                              "0.5 1 1.5 1.5 1 1 2 0.5 1 2.5 . 1.5;"
                              ". 1.5 1.5 1.5 1 1.5 2 1 1 2.5 0.5 .;"
                              "0.5 1 1.5 1.5 1 2 2 0.5 1 2.5 0.5 .")
            << Metric::Ordinal << 108577.0 / 133160;
    }
    void referenceValues()
    {
        QFETCH(QString, table);
        QFETCH(Metric, metric);
        QFETCH(double, expected);
        const RatingTable t = parseTable(table.toStdString());
        const AlphaResult res = krippendorffAlpha(t, metric);
        QVERIFY2(res.alpha.defined, res.alpha.note.c_str());
        QVERIFY2(std::fabs(res.alpha.value - expected) < 1e-9,
            qPrintable(QString::number(res.alpha.value, 'g', 17)));
        // The bootstrap path must reproduce the direct computation.
        const AlphaData data(t, metric);
        const AlphaResult viaData = data.all();
        QVERIFY(viaData.alpha.defined);
        QVERIFY(std::fabs(viaData.alpha.value - expected) < 1e-9);
    }

    void intermediates()
    {
        const AlphaResult res = krippendorffAlpha(parseTable(kK2011), Metric::Nominal);
        QCOMPARE(res.pairable, 40.0);
        QCOMPARE(res.pairableUnits, 11);
        QCOMPARE(res.values, (std::vector<double> { 1, 2, 3, 4, 5 }));
        const std::vector<double> margins { 9, 13, 10, 5, 3 };
        const std::vector<double> row1 { 7, 4.0 / 3, 1.0 / 3, 1.0 / 3, 0 };
        for (std::size_t i = 0; i < 5; ++i) {
            QVERIFY(std::fabs(res.margins[i] - margins[i]) < 1e-12);
            QVERIFY(std::fabs(res.coincidence[i] - row1[i]) < 1e-12);
        }
    }

    void declaredScaleIrrelevantForOrdinal()
    {
        // Same data with values shifted up by one and an unused gap: ordinal alpha
        // depends only on observed margins and order.
        RatingTable t = parseTable(kK2011);
        for (double &v : t.values)
            if (!isMissing(v))
                v = v == 5 ? 7 : v;
        const AlphaResult res = krippendorffAlpha(t, Metric::Ordinal);
        QVERIFY(std::fabs(res.alpha.value - 108577.0 / 133160) < 1e-9);
    }

    void degenerate_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<bool>("defined");
        QTest::newRow("single rater") << QStringLiteral("1 2 3 4") << false;
        QTest::newRow("all missing") << QStringLiteral(". .; . .") << false;
        QTest::newRow("one unit, two values") << QStringLiteral("1; 2") << true;
        QTest::newRow("one unit, same value") << QStringLiteral("1; 1") << false;
        QTest::newRow("one category") << QStringLiteral("3 3 3; 3 3 .") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("perfect") << QStringLiteral("1 2; 1 2") << true;
    }
    void degenerate()
    {
        QFETCH(QString, table);
        QFETCH(bool, defined);
        for (Metric m : { Metric::Nominal, Metric::Ordinal, Metric::Interval, Metric::Ratio }) {
            const AlphaResult res = krippendorffAlpha(parseTable(table.toStdString()), m);
            QCOMPARE(res.alpha.defined, defined);
            if (!defined) {
                QVERIFY(!res.alpha.note.empty());
                QCOMPARE(res.alpha.value, 0.0);
            } else {
                QVERIFY(std::isfinite(res.alpha.value));
            }
        }
        // One unit with two different values: o_12 = o_21 = 1, n = 2, so
        // alpha = 1 - (n - 1) * 2 / (1 * 1 * 2) = 0 (documented, not undefined).
        if (QByteArray(QTest::currentDataTag()) == "one unit, two values")
            QCOMPARE(
                krippendorffAlpha(parseTable(table.toStdString()), Metric::Nominal).alpha.value,
                0.0);
    }

    void matchesNaivePairLoop_data()
    {
        QTest::addColumn<int>("raters");
        QTest::addColumn<int>("units");
        QTest::addColumn<int>("maxValue");
        QTest::addColumn<double>("missing");
        QTest::addColumn<double>("scale");
        // Small scales take the mixed-radix pattern path, wide ones the map path.
        QTest::newRow("5x300 1-5") << 5 << 300 << 5 << 0.1 << 1.0;
        QTest::newRow("3x200 1-7 sparse") << 3 << 200 << 7 << 0.5 << 1.0;
        QTest::newRow("4x200 1-100") << 4 << 200 << 100 << 0.2 << 1.0;
        QTest::newRow("6x100 reals") << 6 << 100 << 40 << 0.3 << 0.37;
        QTest::newRow("12x50 1-5") << 12 << 50 << 5 << 0.4 << 1.0;
    }
    void matchesNaivePairLoop()
    {
        QFETCH(int, raters);
        QFETCH(int, units);
        QFETCH(int, maxValue);
        QFETCH(double, missing);
        QFETCH(double, scale);
        std::mt19937 gen(42);
        std::uniform_int_distribution<int> value(1, maxValue);
        std::uniform_real_distribution<double> miss(0, 1);
        RatingTable t(raters, units);
        for (double &v : t.values)
            v = miss(gen) < missing ? kMissing : value(gen) * scale;
        for (Metric m : { Metric::Nominal, Metric::Ordinal, Metric::Interval, Metric::Ratio }) {
            const Estimate a = krippendorffAlpha(t, m).alpha;
            QVERIFY(a.defined);
            const double expected = naiveAlpha(t, m);
            QVERIFY2(std::fabs(a.value - expected) < 1e-9,
                qPrintable(
                    QStringLiteral("%1 vs %2").arg(a.value, 0, 'g', 15).arg(expected, 0, 'g', 15)));
        }
    }

    void alphaDataMatchesResampledTable()
    {
        // alphaFor() over a resample equals alpha of the explicitly resampled table.
        std::mt19937 gen(7);
        std::uniform_int_distribution<int> value(1, 5);
        std::uniform_real_distribution<double> miss(0, 1);
        RatingTable t(4, 50);
        for (double &v : t.values)
            v = miss(gen) < 0.2 ? kMissing : value(gen);
        std::vector<int> pick;
        std::uniform_int_distribution<int> unit(0, 49);
        for (int i = 0; i < 50; ++i)
            pick.push_back(unit(gen));
        RatingTable resampled(4, 50);
        for (int r = 0; r < 4; ++r)
            for (int i = 0; i < 50; ++i)
                resampled.at(r, i) = t.at(r, pick[std::size_t(i)]);
        for (Metric m : { Metric::Nominal, Metric::Ordinal, Metric::Interval, Metric::Ratio }) {
            const AlphaData data(t, m);
            const Estimate a = data.alphaFor(pick);
            const Estimate b = krippendorffAlpha(resampled, m).alpha;
            QVERIFY(a.defined && b.defined);
            QVERIFY(std::fabs(a.value - b.value) < 1e-12);
        }
    }
};

QTEST_GUILESS_MAIN(TestKrippendorff)
#include "tst_krippendorff.moc"
