#include "ui/modelstablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using cr::storage::StudyInfo;
using cr::ui::ModelsTableModel;

class TestModelsTableModel : public QObject {
    Q_OBJECT
private slots:
    void emptyModelPassesTheTester()
    {
        ModelsTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(ModelsTableModel::ResponsesColumn, Qt::Horizontal).toString(),
            QStringLiteral("Responses"));
    }

    void holdsTheRowsItIsGiven()
    {
        ModelsTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows({ { QStringLiteral("gpt-5-nano"), 1200, 3 },
            { QStringLiteral("deepseek-chat"), 400, 1 } });
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowCount(model.index(0, 0)), 0); // a table: no children
        QCOMPARE(model.data(model.index(0, ModelsTableModel::NameColumn)).toString(),
            QStringLiteral("gpt-5-nano"));
        QCOMPARE(model.data(model.index(0, ModelsTableModel::ResponsesColumn)).toString(),
            QLocale().toString(1200));
        QCOMPARE(model.data(model.index(1, ModelsTableModel::RunsColumn)).toString(),
            QStringLiteral("1"));
        QCOMPARE(model.data(model.index(1, 0), ModelsTableModel::NameRole).toString(),
            QStringLiteral("deepseek-chat"));
        QCOMPARE(model.data(model.index(0, 0), ModelsTableModel::ResponsesRole).toLongLong(), 1200);
        QCOMPARE(model.data(model.index(0, 0), ModelsTableModel::RunsRole).toInt(), 3);
        QCOMPARE(
            model.data(model.index(0, ModelsTableModel::RunsColumn), Qt::TextAlignmentRole).toInt(),
            (Qt::AlignRight | Qt::AlignVCenter).toInt());
        QVERIFY(!model.data(model.index(0, 0), Qt::TextAlignmentRole).isValid());
        QCOMPARE(model.roleNames().value(ModelsTableModel::RunsRole), QByteArray("runs"));

        model.setRows({});
        QCOMPARE(reset.count(), 2);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestModelsTableModel)
#include "tst_modelstablemodel.moc"
