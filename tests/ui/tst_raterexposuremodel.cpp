#include "ui/raterexposuremodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using cr::storage::RaterExposure;
using cr::ui::RaterExposureModel;

class TestRaterExposureModel : public QObject {
    Q_OBJECT
private slots:
    void showsHumanRatersCounts()
    {
        RaterExposureModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(RaterExposureModel::ColumnCount));
        QList<RaterExposure> rows(3);
        rows[0].name = QStringLiteral("ana");
        rows[0].kind = QStringLiteral("human");
        rows[0].done = 1200;
        rows[0].skipped = 3;
        rows[0].distressing = 2;
        rows[0].sessions = 4;
        rows[0].shownToday = 31;
        rows[0].shownLastSession = 12;
        rows[0].shownPerSession = 2.25;
        rows[0].maxShownInSession = 40;
        rows[1].name = QStringLiteral("judge");
        rows[1].kind = QStringLiteral("llm");
        rows[1].done = 2046;
        rows[2].name = QStringLiteral("ben");
        rows[2].kind = QStringLiteral("human");
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows(rows);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2); // the LLM rater is not exposed to anything

        const auto text = [&](int row, int column) {
            return model.data(model.index(row, column)).toString();
        };
        QCOMPARE(text(0, RaterExposureModel::NameColumn), QStringLiteral("ana"));
        QCOMPARE(text(0, RaterExposureModel::DoneColumn), QLocale().toString(1200));
        QCOMPARE(text(0, RaterExposureModel::SkippedColumn), QStringLiteral("3"));
        QCOMPARE(text(0, RaterExposureModel::DistressingColumn), QStringLiteral("2"));
        QCOMPARE(text(0, RaterExposureModel::SessionsColumn), QStringLiteral("4"));
        QCOMPARE(text(0, RaterExposureModel::ShownTodayColumn), QStringLiteral("31"));
        QCOMPARE(text(0, RaterExposureModel::LastSessionColumn), QStringLiteral("12"));
        QCOMPARE(
            text(0, RaterExposureModel::MeanPerSessionColumn), QLocale().toString(2.25, 'f', 1));
        QCOMPARE(text(0, RaterExposureModel::MostPerSessionColumn), QStringLiteral("40"));
        QCOMPARE(text(1, RaterExposureModel::NameColumn), QStringLiteral("ben"));
        QCOMPARE(text(1, RaterExposureModel::DistressingColumn), QStringLiteral("0"));
        QCOMPARE(model
                     .data(model.index(0, RaterExposureModel::MeanPerSessionColumn),
                         RaterExposureModel::ValueRole)
                     .toDouble(),
            2.25);
        QVERIFY(model.data(model.index(0, RaterExposureModel::DistressingColumn), Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("ana paused 2 time")));
        QVERIFY(!model.data(model.index(1, RaterExposureModel::DistressingColumn), Qt::ToolTipRole)
                     .isValid());
        QCOMPARE(model.headerData(RaterExposureModel::DistressingColumn, Qt::Horizontal).toString(),
            QStringLiteral("Distressing"));

        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestRaterExposureModel)
#include "tst_raterexposuremodel.moc"
