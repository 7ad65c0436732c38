#include "ui/preferencesdialog.h"
#include "ui/settings.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using cr::ui::PreferencesDialog;
using cr::ui::Settings;

class TestPreferencesDialog : public QObject {
    Q_OBJECT
private:
    static QPushButton *button(PreferencesDialog &dialog, QDialogButtonBox::StandardButton which)
    {
        auto *box = dialog.findChild<QDialogButtonBox *>();
        return box ? box->button(which) : nullptr;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CrisisReviewTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_preferencesdialog"));
    }
    void init() { QSettings().clear(); }
    void cleanupTestCase() { QSettings().clear(); }

    void showsTheDefaults()
    {
        PreferencesDialog dialog;
        QCOMPARE(dialog.breakItemsBox()->value(), 25);
        QCOMPARE(dialog.breakMinutesBox()->value(), 45);
        QCOMPARE(dialog.blurBox()->isChecked(), false);
        QCOMPARE(dialog.contentNoteBox()->isChecked(), true);
        QCOMPARE(dialog.breakItemsBox()->specialValueText(), QStringLiteral("Never"));
    }

    void okStoresAndTheDialogRemembers()
    {
        {
            PreferencesDialog dialog;
            dialog.show();
            dialog.breakItemsBox()->setValue(10);
            dialog.breakMinutesBox()->setValue(0); // never by time
            dialog.blurBox()->setChecked(true);
            dialog.contentNoteBox()->setChecked(false);
            QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        const Settings settings;
        QCOMPARE(settings.breakAfterItems.value(), 10);
        QCOMPARE(settings.breakAfterMinutes.value(), 0);
        QCOMPARE(settings.blurText.value(), true);
        QCOMPARE(settings.contentNoteEachSession.value(), false);

        PreferencesDialog again;
        QCOMPARE(again.breakItemsBox()->value(), 10);
        QCOMPARE(again.breakMinutesBox()->text(), QStringLiteral("Never"));
        QCOMPARE(again.blurBox()->isChecked(), true);
        QCOMPARE(again.contentNoteBox()->isChecked(), false);
    }

    void cancelChangesNothing()
    {
        Settings().breakAfterItems = 40;
        PreferencesDialog dialog;
        dialog.show();
        dialog.breakItemsBox()->setValue(5);
        dialog.blurBox()->setChecked(true);
        QTest::mouseClick(button(dialog, QDialogButtonBox::Cancel), Qt::LeftButton);
        QCOMPARE(Settings().breakAfterItems.value(), 40);
        QCOMPARE(Settings().blurText.isSet(), false);
    }

    void restoreDefaultsFillsInUntilAccepted()
    {
        Settings().breakAfterItems = 7;
        Settings().blurText = true;
        PreferencesDialog dialog;
        dialog.show();
        QTest::mouseClick(button(dialog, QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
        QCOMPARE(dialog.breakItemsBox()->value(), 25);
        QCOMPARE(dialog.blurBox()->isChecked(), false);
        QCOMPARE(Settings().breakAfterItems.value(), 7); // not stored yet
        dialog.save();
        QCOMPARE(Settings().breakAfterItems.value(), 25);
        QCOMPARE(Settings().blurText.value(), false);
    }

    void everyControlHasAnAccessibleName()
    {
        PreferencesDialog dialog;
        for (QWidget *w : dialog.findChildren<QWidget *>()) {
            if (qobject_cast<QSpinBox *>(w) || qobject_cast<QAbstractButton *>(w))
                QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
        }
    }
};

QTEST_MAIN(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
