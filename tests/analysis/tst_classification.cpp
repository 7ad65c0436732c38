#include "analysis/classification.h"

#include <QTest>

using namespace cr::analysis;

class TestClassification final : public QObject {
    Q_OBJECT
private slots:
    void report()
    {
        // reference: 0 0 0 1 1 2 ; predicted: 0 0 1 1 2 2
        const ClassificationReport rep =
            classificationReport({ 0, 0, 0, 1, 1, 2, -1 }, { 0, 0, 1, 1, 2, 2, 0 }, 4);
        QCOMPARE(rep.n, 6);
        QCOMPARE(
            rep.matrix, (std::vector<double> { 2, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0 }));
        QCOMPARE(rep.support, (std::vector<int> { 3, 2, 1, 0 }));
        QVERIFY(std::fabs(rep.accuracy.value - 4.0 / 6) < 1e-12);
        QVERIFY(std::fabs(rep.precision[0].value - 1.0) < 1e-12);
        QVERIFY(std::fabs(rep.recall[0].value - 2.0 / 3) < 1e-12);
        QVERIFY(std::fabs(rep.f1[0].value - 0.8) < 1e-12);
        QVERIFY(std::fabs(rep.precision[1].value - 0.5) < 1e-12);
        QVERIFY(std::fabs(rep.recall[1].value - 0.5) < 1e-12);
        QVERIFY(std::fabs(rep.f1[2].value - 2.0 / 3) < 1e-12);
        // Class 3 is declared but absent from both: undefined, left out of macro-F1.
        QVERIFY(!rep.precision[3].defined && !rep.recall[3].defined && !rep.f1[3].defined);
        QVERIFY(std::fabs(rep.macroF1.value - (0.8 + 0.5 + 2.0 / 3) / 3) < 1e-12);
    }

    void neverPredicted()
    {
        const ClassificationReport rep = classificationReport({ 0, 1 }, { 0, 0 }, 2);
        QVERIFY(!rep.precision[1].defined);
        QCOMPARE(rep.recall[1].value, 0.0);
        QCOMPARE(rep.f1[1].value, 0.0);
        QVERIFY(std::fabs(rep.macroF1.value - (2.0 / 3 + 0.0) / 2) < 1e-12);
    }

    void degenerate()
    {
        const ClassificationReport empty = classificationReport({}, {}, 3);
        QCOMPARE(empty.n, 0);
        QVERIFY(!empty.accuracy.defined && !empty.macroF1.defined);
        QVERIFY(!empty.accuracy.note.empty());
        QCOMPARE(int(empty.f1.size()), 3);
        const ClassificationReport single = classificationReport({ 0 }, { 0 }, 1);
        QCOMPARE(single.accuracy.value, 1.0);
        QCOMPARE(single.macroF1.value, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestClassification)
#include "tst_classification.moc"
