#include "widgets/categorypicker.h"

#include <QAbstractButton>
#include <QSignalSpy>
#include <QTest>

using cr::widgets::CategoryPicker;

class TestCategoryPicker : public QObject {
    Q_OBJECT
private slots:
    void buttonsShowKeysAndDescriptions()
    {
        CategoryPicker picker;
        picker.setEntries({ { QStringLiteral("a"), QStringLiteral("Alpha"),
                                QStringLiteral("First one"), QLatin1Char('x') },
            { QStringLiteral("b"), QStringLiteral("Beta & co"), QStringLiteral("Second"),
                QLatin1Char('Y') } });
        QVERIFY(picker.button(QStringLiteral("a"))->text().contains(QStringLiteral("X")));
        QVERIFY(picker.button(QStringLiteral("a"))->text().contains(QStringLiteral("Alpha")));
        QCOMPARE(picker.button(QStringLiteral("a"))->toolTip(), QStringLiteral("First one"));
        QVERIFY(picker.button(QStringLiteral("b"))->text().contains(QStringLiteral("&&")));
        QVERIFY(!picker.button(QStringLiteral("zzz")));
    }

    void clickRequestsButOnlySetCategoryShows()
    {
        CategoryPicker picker;
        picker.setEntries({ { QStringLiteral("a"), QStringLiteral("Alpha"), {}, QLatin1Char('A') },
            { QStringLiteral("b"), QStringLiteral("Beta"), {}, QLatin1Char('B') } });
        picker.show();
        QSignalSpy requested(&picker, &CategoryPicker::categoryRequested);
        QTest::mouseClick(picker.button(QStringLiteral("b")), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toString(), QStringLiteral("b"));
        QVERIFY(!picker.button(QStringLiteral("b"))->isChecked());
        picker.setCategory(QStringLiteral("b"));
        QVERIFY(picker.button(QStringLiteral("b"))->isChecked());
        QVERIFY(!picker.button(QStringLiteral("a"))->isChecked());
        QCOMPARE(picker.category(), QStringLiteral("b"));
    }
};

QTEST_MAIN(TestCategoryPicker)
#include "tst_categorypicker.moc"
