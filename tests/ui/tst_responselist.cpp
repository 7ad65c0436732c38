#include "ui/responselist.h"
#include "widgets/likertselector.h"
#include "widgets/responsecard.h"
#include "widgets/responsenotes.h"

#include <QAbstractButton>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using cr::ui::ResponseList;
using cr::widgets::LikertSelector;
using cr::widgets::ResponseCard;
using namespace Qt::StringLiterals;

class TestResponseList final : public QObject {
    Q_OBJECT
private slots:
    void cardsByPositionAreReused()
    {
        ResponseList list;
        list.setLevelNames({ u"Harmful"_s, u"Bad"_s, u"Partly"_s, u"Mostly"_s, u"Fully"_s });
        list.resize(700, 600);
        list.show();
        list.setResponses({ u"first"_s, u"second"_s, u"third"_s });
        QCOMPARE(list.count(), 3);
        QCOMPARE(list.card(0)->title(), u"Response A"_s);
        QCOMPARE(list.card(2)->title(), u"Response C"_s);
        QCOMPARE(list.card(1)->text(), u"second"_s);
        QCOMPARE(list.selector(1)->accessibleName(), u"Score for Response B"_s);
        QVERIFY(list.selector(0)->button(1)->text().contains(u"Harmful"_s));
        ResponseCard *second = list.card(1);
        list.setResponses({ u"one"_s, u"two"_s });
        QCOMPARE(list.card(1), second); // reused: only the text changes
        QCOMPARE(second->text(), u"two"_s);
        QVERIFY(!list.card(2)->isVisible());
        QVERIFY(!list.card(5));
        list.setResponses({});
        bool none = false;
        for (const QLabel *l : list.findChildren<QLabel *>())
            none |= l->isVisible() && l->text() == u"This item has no responses to rate."_s;
        QVERIFY(none);
        list.setResponses({ u"x"_s });
        list.clearResponses();
        QCOMPARE(list.count(), 0);
        QVERIFY(!list.card(0)->isVisible());
    }

    void requestsArriveByPosition()
    {
        ResponseList list;
        list.show();
        list.setResponses({ u"first"_s, u"second"_s });
        QSignalSpy value(&list, &ResponseList::valueRequested);
        QTest::mouseClick(list.selector(1)->button(4), Qt::LeftButton);
        QCOMPARE(value.count(), 1);
        QCOMPARE(value.first().at(0).toInt(), 1);
        QCOMPARE(value.first().at(1).toInt(), 4);
        // The list shows values; it does not keep them.
        QCOMPARE(list.selector(1)->value(), int(LikertSelector::NoValue));
        list.setValue(1, 4);
        QCOMPARE(list.selector(1)->value(), 4);
        list.setCurrent(1, true);
        QVERIFY(list.card(1)->isCurrent());
        QVERIFY(!list.card(0)->isCurrent());
        list.setTextBlurred(true);
        QVERIFY(list.card(0)->isTextBlurred());
        QVERIFY(list.notes(1));
        QVERIFY(!list.notes(2));
    }
};

QTEST_MAIN(TestResponseList)
#include "tst_responselist.moc"
