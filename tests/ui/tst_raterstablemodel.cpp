#include "ui/raterstablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using cr::storage::StudyInfo;
using cr::ui::RatersTableModel;

class TestRatersTableModel : public QObject {
    Q_OBJECT
private slots:
    void holdsTheRowsItIsGiven()
    {
        RatersTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), 7);
        QList<StudyInfo::RaterRow> rows(2);
        rows[0] = { QStringLiteral("H1"), QStringLiteral("human"), QStringLiteral("adjudicator"),
            QStringLiteral("R001"), 40, 38, 120 };
        rows[1] = { QStringLiteral("gpt-4o-mini#1"), QStringLiteral("llm"), QStringLiteral("rater"),
            QStringLiteral("R002"), 0, 0, 2500 };
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows(rows);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);

        QCOMPARE(model.data(model.index(0, RatersTableModel::NameColumn)).toString(),
            QStringLiteral("H1"));
        QCOMPARE(model.data(model.index(0, RatersTableModel::KindColumn)).toString(),
            QStringLiteral("Person"));
        QCOMPARE(model.data(model.index(0, RatersTableModel::RoleColumn)).toString(),
            QStringLiteral("Adjudicator"));
        QCOMPARE(model.data(model.index(1, RatersTableModel::KindColumn)).toString(),
            QStringLiteral("LLM"));
        QCOMPARE(model.data(model.index(1, RatersTableModel::PseudonymColumn)).toString(),
            QStringLiteral("R002"));
        QCOMPARE(model.data(model.index(0, RatersTableModel::AssignedColumn)).toString(),
            QStringLiteral("40"));
        QCOMPARE(model.data(model.index(0, RatersTableModel::LabelsColumn)).toString(),
            QStringLiteral("38"));
        QCOMPARE(model.data(model.index(1, RatersTableModel::RatingsColumn)).toString(),
            QLocale().toString(2500));

        // Roles carry the raw values (what a proxy sorts and filters on).
        QCOMPARE(model.data(model.index(1, 0), RatersTableModel::KindRole).toString(),
            QStringLiteral("llm"));
        QCOMPARE(model.data(model.index(0, 0), RatersTableModel::RoleRole).toString(),
            QStringLiteral("adjudicator"));
        QCOMPARE(model.data(model.index(0, 0), RatersTableModel::RatingsRole).toLongLong(), 120);
        QCOMPARE(model.data(model.index(1, 0), RatersTableModel::RatingsRole).toLongLong(), 2500);
        QCOMPARE(model.data(model.index(0, 0), RatersTableModel::AssignedRole).toLongLong(), 40);
        QCOMPARE(model.roleNames().value(RatersTableModel::PseudonymRole), QByteArray("pseudonym"));
        QCOMPARE(model.headerData(RatersTableModel::RatingsColumn, Qt::Horizontal).toString(),
            QStringLiteral("Scores"));

        model.setRows(rows.mid(1));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("gpt-4o-mini#1"));
    }
};

QTEST_MAIN(TestRatersTableModel)
#include "tst_raterstablemodel.moc"
