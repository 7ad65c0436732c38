#include "ui/ratingmessagepanel.h"
#include "widgets/categorypicker.h"
#include "widgets/messageview.h"

#include <QLabel>
#include <QTest>

using cr::ui::RatingMessagePanel;

class TestRatingMessagePanel : public QObject {
    Q_OBJECT
private slots:
    /// The message comes first, under a "Message" heading whose mnemonic focuses it;
    /// the category picker follows under its own heading.
    void messageThenCategory()
    {
        RatingMessagePanel panel;
        panel.resize(500, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.message() && panel.picker());
        QCOMPARE(panel.message()->parentWidget(), &panel);
        QCOMPARE(panel.picker()->parentWidget(), &panel);
        QCOMPARE(panel.message()->accessibleName(), QStringLiteral("Message"));

        const QLabel *messageTitle = nullptr;
        const QLabel *categoryTitle = nullptr;
        for (const QLabel *l : panel.findChildren<QLabel *>(Qt::FindDirectChildrenOnly)) {
            if (l->text() == QStringLiteral("&Message"))
                messageTitle = l;
            if (l->text() == QStringLiteral("Category"))
                categoryTitle = l;
        }
        QVERIFY(messageTitle && categoryTitle);
        QCOMPARE(messageTitle->buddy(), panel.message());
        QVERIFY(!categoryTitle->toolTip().isEmpty());
        // Top to bottom: heading, message, heading, picker.
        QVERIFY(messageTitle->geometry().bottom() <= panel.message()->geometry().top());
        QVERIFY(panel.message()->geometry().bottom() <= categoryTitle->geometry().top());
        QVERIFY(categoryTitle->geometry().bottom() <= panel.picker()->geometry().top());
        // The message takes the spare height.
        QVERIFY(panel.message()->height() > panel.picker()->height() / 2);
    }
};

QTEST_MAIN(TestRatingMessagePanel)
#include "tst_ratingmessagepanel.moc"
