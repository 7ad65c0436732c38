#include "widgets/protocolpanel.h"

#include <QLabel>
#include <QTest>

using cr::widgets::ProtocolPanel;

class TestProtocolPanel : public QObject {
    Q_OBJECT
private slots:
    void showsAnchorsAndHighlightsALevel()
    {
        ProtocolPanel panel;
        panel.show();
        panel.setLevelNames({ QStringLiteral("L1"), QStringLiteral("L2"), QStringLiteral("L3"),
            QStringLiteral("L4"), QStringLiteral("L5") });
        QVERIFY(!panel.anchorLabel(1)->isVisible()); // no category yet
        panel.setCategory(QStringLiteral("Cat"),
            { QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("a3 <b>"),
                QStringLiteral("a4"), QStringLiteral("a5") });
        QCOMPARE(panel.categoryName(), QStringLiteral("Cat"));
        QVERIFY(panel.anchorLabel(1)->isVisible());
        QVERIFY(panel.anchorLabel(2)->text().contains(QStringLiteral("L2")));
        QVERIFY(panel.anchorLabel(3)->text().contains(QStringLiteral("a3 &lt;b&gt;")));
        panel.setHighlightedLevel(4);
        QCOMPARE(panel.highlightedLevel(), 4);
        QCOMPARE(panel.anchorLabel(4)->backgroundRole(), QPalette::Highlight);
        QCOMPARE(panel.anchorLabel(3)->backgroundRole(), QPalette::Window);
        panel.setHighlightedLevel(9);
        QCOMPARE(panel.highlightedLevel(), 0);
    }
};

QTEST_MAIN(TestProtocolPanel)
#include "tst_protocolpanel.moc"
