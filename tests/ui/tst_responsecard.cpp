#include "widgets/responsecard.h"

#include <QScrollBar>
#include <QTest>
#include <QTextBrowser>

using cr::widgets::ResponseCard;

class TestResponseCard : public QObject {
    Q_OBJECT
private slots:
    void showsTitleAndSelectableReadOnlyText()
    {
        ResponseCard card;
        card.setTitle(QStringLiteral("Response B"));
        card.setText(QStringLiteral("Line one.\n\nLine two."));
        QCOMPARE(card.title(), QStringLiteral("Response B"));
        QCOMPARE(card.text(), QStringLiteral("Line one.\n\nLine two."));
        QCOMPARE(card.accessibleName(), QStringLiteral("Response B"));
        QCOMPARE(card.textView()->accessibleName(), QStringLiteral("Response B text"));
        QVERIFY(card.textView()->isReadOnly());
        QVERIFY(card.textView()->textInteractionFlags() & Qt::TextSelectableByKeyboard);
    }

    void textGrowsWithContentUpToTheMaximum()
    {
        ResponseCard card;
        card.resize(500, 200);
        card.setMaximumTextHeight(200);
        card.setText(QStringLiteral("Short."));
        card.show();
        QVERIFY(QTest::qWaitForWindowExposed(&card));
        const int shortHeight = card.textView()->height();
        QVERIFY(shortHeight < 80);

        QStringList paragraphs;
        for (int i = 0; i < 60; ++i)
            paragraphs.append(QStringLiteral("Paragraph %1 of a long response.").arg(i));
        card.setText(paragraphs.join(QLatin1Char('\n')));
        QTRY_COMPARE(card.textView()->height(), 200);
        QVERIFY(card.textView()->verticalScrollBar()->maximum() > 0); // the rest scrolls
    }

    void blurKeepsTextButStopsSelection()
    {
        ResponseCard card;
        card.resize(400, 200);
        card.setText(QStringLiteral("Distressing content, long enough to fill a line or two."));
        card.show();
        QVERIFY(QTest::qWaitForWindowExposed(&card));
        const QImage sharp = card.textView()->viewport()->grab().toImage();
        card.setTextBlurred(true);
        QVERIFY(card.isTextBlurred());
        QCOMPARE(
            card.text(), QStringLiteral("Distressing content, long enough to fill a line or two."));
        QVERIFY(!(card.textView()->textInteractionFlags() & Qt::TextSelectableByMouse));
        // Painted blurred by the card itself (no graphics effect to go stale).
        QVERIFY(!card.textView()->graphicsEffect());
        QVERIFY(card.textView()->viewport()->grab().toImage() != sharp);
        card.setTextBlurred(false);
        QCOMPARE(card.textView()->viewport()->grab().toImage(), sharp);
        QVERIFY(card.textView()->textInteractionFlags() & Qt::TextSelectableByMouse);
    }
};

QTEST_MAIN(TestResponseCard)
#include "tst_responsecard.moc"
