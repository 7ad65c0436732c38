#include "widgets/noticescreen.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using cr::widgets::NoticeScreen;

class TestNoticeScreen : public QObject {
    Q_OBJECT
private slots:
    void showsTitleHintAndButton()
    {
        NoticeScreen screen(QStringLiteral("&Resume"));
        screen.setTitle(QStringLiteral("Time for a short break."));
        screen.setHint(QStringLiteral("Your work is saved."));
        screen.resize(600, 400);
        screen.show();
        QCOMPARE(screen.title(), QStringLiteral("Time for a short break."));
        QCOMPARE(screen.titleLabel()->text(), screen.title());
        QCOMPARE(screen.button()->text(), QStringLiteral("&Resume"));
        QStringList texts;
        for (const QLabel *l : screen.findChildren<QLabel *>())
            texts << l->text();
        QVERIFY(texts.contains(QStringLiteral("Your work is saved.")));
        // The title is larger than the page's text, and centred above the hint.
        QCOMPARE(screen.titleLabel()->font().pointSizeF(), screen.font().pointSizeF() * 1.35);
        QVERIFY(screen.titleLabel()->alignment() & Qt::AlignHCenter);
        QSignalSpy clicked(screen.button(), &QPushButton::clicked);
        QTest::mouseClick(screen.button(), Qt::LeftButton);
        QCOMPARE(clicked.count(), 1);
    }
};

QTEST_MAIN(TestNoticeScreen)
#include "tst_noticescreen.moc"
