#include "widgets/categorypicker.h"

#include <QAbstractButton>
#include <QLayout>
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

    void choosingALongCategoryDoesNotWidenThePicker()
    {
        // Bold text of the chosen button is wider: the space is kept from the start, so
        // the column beside the message does not jump between items (issue 21).
        CategoryPicker picker;
        picker.setEntries({ { QStringLiteral("s"), QStringLiteral("Substance abuse or withdrawal"),
                                {}, QLatin1Char('D') },
            { QStringLiteral("n"), QStringLiteral("No crisis"), {}, QLatin1Char('N') } });
        picker.show();
        const int before = picker.minimumSizeHint().width();
        const int sizeBefore = picker.sizeHint().width();
        picker.setCategory(QStringLiteral("s"));
        QCOMPARE(picker.minimumSizeHint().width(), before);
        QCOMPARE(picker.sizeHint().width(), sizeBefore);
        picker.setCategory(QStringLiteral("n"));
        QCOMPARE(picker.sizeHint().width(), sizeBefore);
        picker.setColumnCount(1);
        QCOMPARE(picker.columnCount(), 1);
        picker.layout()->activate();
        QVERIFY(picker.button(QStringLiteral("n"))->y() > picker.button(QStringLiteral("s"))->y());
    }
};

QTEST_MAIN(TestCategoryPicker)
#include "tst_categorypicker.moc"
