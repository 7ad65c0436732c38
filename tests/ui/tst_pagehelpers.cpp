#include "widgets/pagehelpers.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QTest>
#include <QToolButton>

using namespace cr::widgets;

class TestPageHelpers : public QObject {
    Q_OBJECT
private slots:
    void headingIsBoldWithBuddy()
    {
        QWidget parent;
        QLabel buddy(&parent);
        QLabel *plain = heading(QStringLiteral("Raters"), &parent);
        QVERIFY(plain->font().bold());
        QCOMPARE(plain->font().pointSizeF(), parent.font().pointSizeF());
        QCOMPARE(plain->buddy(), nullptr);
        QLabel *withBuddy = heading(QStringLiteral("&Models"), &parent, &buddy);
        QCOMPARE(withBuddy->buddy(), &buddy);
        QCOMPARE(withBuddy->parentWidget(), &parent);
    }

    void scaleFontScalesAndBolds()
    {
        QLabel label;
        const qreal base = label.font().pointSizeF();
        scaleFont(&label, TitleScale);
        QCOMPARE(label.font().pointSizeF(), base * 1.35);
        QVERIFY(!label.font().bold());
        QLabel big;
        scaleFont(&big, BigScale, true);
        QCOMPARE(big.font().pointSizeF(), base * 1.8);
        QVERIFY(big.font().bold());
    }

    void markChosenHighlights()
    {
        QWidget parent;
        auto *button = new QPushButton(QStringLiteral("3"), &parent);
        button->setCheckable(true);
        markChosen(button, true);
        QVERIFY(button->isChecked());
        QVERIFY(button->font().bold());
        QCOMPARE(
            button->palette().color(QPalette::Button), parent.palette().color(QPalette::Highlight));
        QCOMPARE(button->palette().color(QPalette::ButtonText),
            parent.palette().color(QPalette::HighlightedText));
        markChosen(button, false);
        QVERIFY(!button->isChecked());
        QVERIFY(!button->font().bold());
        QCOMPARE(
            button->palette().color(QPalette::Button), parent.palette().color(QPalette::Button));
    }

    void keyActionIsAWindowShortcutDisabledUntilEnabled()
    {
        QWidget page;
        QAction *action = keyAction(QStringLiteral("Score 1"),
            { QKeySequence(Qt::Key_1), QKeySequence(Qt::KeypadModifier | Qt::Key_1) }, &page);
        QVERIFY(page.actions().contains(action));
        QCOMPARE(action->parent(), &page);
        QVERIFY(!action->isEnabled());
        QCOMPARE(action->shortcutContext(), Qt::WindowShortcut);
        QCOMPARE(action->shortcuts().size(), 2);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::Key_1));
    }

    void actionButtonIsNamed()
    {
        QWidget parent;
        QAction action(QStringLiteral("&Next Item"), &parent);
        QToolButton *button = actionButton(&action, &parent);
        QCOMPARE(button->defaultAction(), &action);
        QCOMPARE(button->accessibleName(), QStringLiteral("Next Item"));
        QCOMPARE(button->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
    }
};

QTEST_MAIN(TestPageHelpers)
#include "tst_pagehelpers.moc"
