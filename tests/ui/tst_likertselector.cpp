#include "widgets/likertselector.h"

#include <QAbstractButton>
#include <QSignalSpy>
#include <QTest>

using cr::widgets::LikertSelector;

class TestLikertSelector : public QObject {
    Q_OBJECT
private slots:
    void showsLevelNamesAndCannotAssess()
    {
        LikertSelector selector;
        selector.setLevelNames({ QStringLiteral("Harmful"), QStringLiteral("Bad"),
            QStringLiteral("Partial"), QStringLiteral("Mostly"), QStringLiteral("Fully") });
        QVERIFY(selector.button(1)->text().contains(QStringLiteral("Harmful")));
        QVERIFY(selector.button(5)->text().contains(QStringLiteral("Fully")));
        QVERIFY(selector.button(0)->text().contains(QStringLiteral("Cannot assess")));
        QCOMPARE(selector.value(), LikertSelector::NoValue);
        for (int v = 0; v <= 5; ++v)
            QVERIFY(!selector.button(v)->accessibleName().isEmpty());
    }

    void clickRequestsButOnlySetValueShows()
    {
        LikertSelector selector;
        selector.show();
        QSignalSpy requested(&selector, &LikertSelector::valueRequested);
        QTest::mouseClick(selector.button(3), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toInt(), 3);
        QVERIFY(!selector.button(3)->isChecked()); // not acknowledged yet
        selector.setValue(3);
        QVERIFY(selector.button(3)->isChecked());
        QTest::mouseClick(selector.button(0), Qt::LeftButton);
        QCOMPARE(requested.last().first().toInt(), int(LikertSelector::CannotAssess));
        QVERIFY(selector.button(3)->isChecked()); // the stored value stays until told
        QVERIFY(!selector.button(0)->isChecked());
        selector.setValue(LikertSelector::NoValue);
        for (int v = 0; v <= 5; ++v)
            QVERIFY(!selector.button(v)->isChecked());
    }
};

QTEST_MAIN(TestLikertSelector)
#include "tst_likertselector.moc"
