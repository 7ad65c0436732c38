#include "tests/ui/teststudy.h"
#include "ui/raterstablemodel.h"
#include "ui/studysetupdialog.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using cr::ui::RatersTableModel;
using cr::ui::StudySetupDialog;
namespace storage = cr::storage;

class TestStudySetupDialog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<storage::Study> m_study;

    static qint64 assignedTo(const StudySetupDialog &dialog, const QString &name)
    {
        const RatersTableModel *model = dialog.ratersModel();
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->index(row, 0).data(RatersTableModel::NameRole).toString() == name)
                return model->index(row, 0).data(RatersTableModel::AssignedRole).toLongLong();
        return -1;
    }
    static QListWidgetItem *assignee(const StudySetupDialog &dialog, const QString &name)
    {
        for (int i = 0; i < dialog.assignList()->count(); ++i)
            if (dialog.assignList()->item(i)->data(Qt::UserRole + 1).toString() == name)
                return dialog.assignList()->item(i);
        return nullptr;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("test.crisis")));
        QString path;
        m_study = crtest::createStudy(m_dir.path(), 6, &path);
        QVERIFY(m_study);
    }
    void cleanup() { m_study.reset(); }

    void addsRatersAndRefusesBadNames()
    {
        StudySetupDialog dialog(m_study.get());
        dialog.show();
        QSignalSpy changed(&dialog, &StudySetupDialog::studyChanged);
        QCOMPARE(dialog.ratersModel()->rowCount(), 3);
        QVERIFY(!dialog.addButton()->isEnabled()); // no name yet

        QTest::keyClicks(dialog.nameEdit(), QStringLiteral("lead"));
        dialog.roleBox()->setCurrentIndex(
            dialog.roleBox()->findText(QStringLiteral("Adjudicator")));
        QVERIFY(dialog.addButton()->isEnabled());
        QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
        QCOMPARE(changed.count(), 1);
        const auto lead = storage::RaterRepository(*m_study).byName(QStringLiteral("lead"));
        QVERIFY(lead);
        QCOMPARE(toString(lead->role), QStringLiteral("adjudicator"));
        QCOMPARE(toString(lead->kind), QStringLiteral("human"));
        QCOMPARE(dialog.ratersModel()->rowCount(), 4);
        QVERIFY(dialog.message().contains(QLatin1String("Added lead")));
        QVERIFY(dialog.nameEdit()->text().isEmpty());
        // Adjudicators are not checked for assignment by default; people with role rater are.
        QCOMPARE(assignee(dialog, QStringLiteral("lead"))->checkState(), Qt::Unchecked);
        QCOMPARE(assignee(dialog, QStringLiteral("ben"))->checkState(), Qt::Checked);
        QCOMPARE(assignee(dialog, QStringLiteral("judge"))->checkState(), Qt::Unchecked);

        // A taken name: a precise message, nothing added.
        QTest::keyClicks(dialog.nameEdit(), QStringLiteral("ana"));
        QVERIFY(!dialog.addRater());
        QCOMPARE(dialog.message(),
            QStringLiteral("Rater “ana” was not added: rater 'ana' already exists"));
        QCOMPARE(storage::RaterRepository(*m_study).all().size(), 4);
        QCOMPARE(changed.count(), 1);
        dialog.nameEdit()->setText(QStringLiteral("a,b"));
        QVERIFY(!dialog.addRater());
        QVERIFY(dialog.message().startsWith(QStringLiteral("Rater “a,b” was not added: ")));
        QCOMPARE(storage::RaterRepository(*m_study).all().size(), 4);
    }

    void assignsOnAWorkerAndShowsCounts()
    {
        StudySetupDialog dialog(m_study.get());
        dialog.show();
        // ana has all 6 items; ben none. Two per item across ana and ben.
        QCOMPARE(assignedTo(dialog, QStringLiteral("ana")), 6);
        QCOMPARE(assignedTo(dialog, QStringLiteral("ben")), 0);
        QCOMPARE(dialog.perItemBox()->maximum(), 2); // two raters checked
        dialog.perItemBox()->setValue(2);
        dialog.seedBox()->setValue(5);
        QSignalSpy finished(&dialog, &StudySetupDialog::assignmentFinished);
        QTest::mouseClick(dialog.assignButton(), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY(!dialog.isAssigning());
        QCOMPARE(assignedTo(dialog, QStringLiteral("ana")), 6);
        QCOMPARE(assignedTo(dialog, QStringLiteral("ben")), 6);
        QVERIFY2(dialog.message().startsWith(QLatin1String("Assigned 6 new item(s) across 2")),
            qPrintable(dialog.message()));
        QCOMPARE(storage::AssignmentRepository(*m_study)
                     .forRater(storage::RaterRepository(*m_study).byName(QStringLiteral("ben"))->id)
                     .size(),
            6);
    }

    void calibrationItemsGoToEveryCheckedRater()
    {
        StudySetupDialog dialog(m_study.get());
        dialog.show();
        assignee(dialog, QStringLiteral("ana"))->setCheckState(Qt::Unchecked);
        assignee(dialog, QStringLiteral("judge"))->setCheckState(Qt::Checked);
        dialog.perItemBox()->setValue(1);
        dialog.calibrationEdit()->setText(QStringLiteral("t-002, t-005"));
        QSignalSpy finished(&dialog, &StudySetupDialog::assignmentFinished);
        QVERIFY(dialog.startAssignment());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        const qint64 benId = storage::RaterRepository(*m_study).byName(QStringLiteral("ben"))->id;
        const qint64 judgeId =
            storage::RaterRepository(*m_study).byName(QStringLiteral("judge"))->id;
        int calibration = 0;
        for (const storage::Assignment &a : storage::AssignmentRepository(*m_study).forRater(benId))
            calibration += a.calibration ? 1 : 0;
        QCOMPARE(calibration, 2);
        calibration = 0;
        for (const storage::Assignment &a :
            storage::AssignmentRepository(*m_study).forRater(judgeId))
            calibration += a.calibration ? 1 : 0;
        QCOMPARE(calibration, 2);
        // 6 items, one rater each, plus the second rater on the 2 calibration items.
        QCOMPARE(
            assignedTo(dialog, QStringLiteral("ben")) + assignedTo(dialog, QStringLiteral("judge")),
            8);
    }

    void unknownCalibrationItemChangesNothing()
    {
        StudySetupDialog dialog(m_study.get());
        dialog.show();
        dialog.calibrationEdit()->setText(QStringLiteral("t-001,nope"));
        QVERIFY(!dialog.startAssignment());
        QVERIFY(!dialog.isAssigning());
        QCOMPARE(dialog.message(),
            QStringLiteral(
                "Calibration items: “nope” (number 2 in the list) is not an item of this "
                "study. Nothing was assigned."));
        QCOMPARE(assignedTo(dialog, QStringLiteral("ben")), 0);

        // No rater checked: refused with a message.
        for (int i = 0; i < dialog.assignList()->count(); ++i)
            dialog.assignList()->item(i)->setCheckState(Qt::Unchecked);
        QVERIFY(!dialog.assignButton()->isEnabled());
        QVERIFY(!dialog.startAssignment());
        QVERIFY(dialog.message().contains(QLatin1String("at least one rater")));
    }

    void everyControlHasAnAccessibleName()
    {
        StudySetupDialog dialog(m_study.get());
        dialog.show();
        for (QWidget *w : dialog.findChildren<QWidget *>()) {
            if (!w->isVisibleTo(&dialog) || !w->focusPolicy()
                || w->objectName().startsWith(QLatin1String("qt_")))
                continue;
            if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
                || qobject_cast<QComboBox *>(w) || qobject_cast<QSpinBox *>(w)
                || qobject_cast<QAbstractItemView *>(w))
                QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
        }
    }
};

QTEST_MAIN(TestStudySetupDialog)
#include "tst_studysetupdialog.moc"
