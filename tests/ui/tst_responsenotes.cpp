#include "widgets/responsenotes.h"

#include <QAction>
#include <QCheckBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using cr::widgets::ResponseNotes;

class TestResponseNotes : public QObject {
    Q_OBJECT
private slots:
    void checklistRequestsAndShowsOnlyStoredTicks()
    {
        ResponseNotes notes;
        notes.setEntries({ { QStringLiteral("a"), QStringLiteral("Alpha") },
            { QStringLiteral("b"), QStringLiteral("Beta") } });
        QCOMPARE(notes.checkBoxes().size(), 2);
        QSignalSpy requested(&notes, &ResponseNotes::checklistRequested);
        notes.checkBoxes().at(1)->click();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toStringList(), QStringList { QStringLiteral("b") });
        QVERIFY(!notes.checkBoxes().at(1)->isChecked()); // until stored
        notes.setChecked({ QStringLiteral("b"), QStringLiteral("gone") });
        QVERIFY(notes.checkBoxes().at(1)->isChecked());
        QCOMPARE(notes.checkBoxes().size(), 3); // a stored tick never disappears
        QVERIFY(notes.checklistButton()->text().contains(QStringLiteral("2 ticked")));
        notes.setEditable(false);
        QVERIFY(!notes.checkBoxes().at(0)->isEnabled());
        QVERIFY(!notes.rationaleEdit()->isEnabled());
    }

    void rationaleKeepsPlainKeysAndCommits()
    {
        QWidget window;
        auto *shortcut = new QAction(&window);
        shortcut->setShortcut(QKeySequence(Qt::Key_S));
        shortcut->setShortcutContext(Qt::WindowShortcut);
        window.addAction(shortcut);
        QSignalSpy fired(shortcut, &QAction::triggered);
        auto *notes = new ResponseNotes(&window);
        notes->setIdleMilliseconds(30);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy committed(notes, &ResponseNotes::rationaleCommitted);
        QSignalSpy escaped(notes, &ResponseNotes::escapePressed);
        notes->rationaleEdit()->setFocus();
        QTRY_VERIFY(notes->rationaleEdit()->hasFocus());
        QTest::keyClicks(notes->rationaleEdit(), QStringLiteral("Ss"));
        QCOMPARE(fired.count(), 0);
        QCOMPARE(notes->rationale(), QStringLiteral("Ss"));
        QTRY_COMPARE(committed.count(), 1);
        QCOMPARE(committed.at(0).at(0).toString(), QStringLiteral("Ss"));
        notes->setRationale(QStringLiteral("Ss"));
        QTest::keyClick(notes->rationaleEdit(), Qt::Key_Escape);
        QCOMPARE(escaped.count(), 1);
        QCOMPARE(committed.count(), 1); // nothing new to save
        window.setFocus();
        QTest::keyClick(&window, Qt::Key_S);
        QCOMPARE(fired.count(), 1);
    }
};

QTEST_MAIN(TestResponseNotes)
#include "tst_responsenotes.moc"
