#include "ui/ratingitemheader.h"

#include <QAction>
#include <QLabel>
#include <QProgressBar>
#include <QTest>
#include <QToolButton>

using cr::ui::RatingItemHeader;
using namespace Qt::StringLiterals;

class TestRatingItemHeader final : public QObject {
    Q_OBJECT
private slots:
    void showsWhereTheRaterIs()
    {
        QWidget page;
        QAction overview(u"Study &Overview"_s), skip(u"&Skip Item"_s), pause(u"&Pause"_s),
            reveal(u"&Reveal Text"_s), previous(u"&Previous Item"_s), next(u"&Next Item"_s);
        auto *header =
            new RatingItemHeader({ &overview, &skip, &pause, &reveal, &previous, &next }, &page);
        page.show();
        header->setItem(2, 30, 345, false);
        QCOMPARE(header->positionLabel()->text(), u"Item 3 of 30"_s);
        QCOMPARE(header->positionLabel()->objectName(), u"itemPosition"_s);
        QStringList texts;
        QLabel *flagged = nullptr;
        for (QLabel *l : header->findChildren<QLabel *>()) {
            texts << l->text();
            if (l->text() == u"Flagged for discussion"_s)
                flagged = l;
        }
        QVERIFY(texts.contains(u"#345"_s));
        // Calibration items are never badged: a rater cannot tell a check item apart.
        QVERIFY(!texts.join(u' ').contains(u"alibration"_s));
        QVERIFY(flagged && !flagged->isVisible());
        header->setFlagged(true);
        QVERIFY(flagged->isVisible());
        header->setItem(0, 30, std::nullopt, false);
        QVERIFY(!flagged->isVisible());
        // Without a study id no label shows one, and the earlier "#345" is gone.
        for (const QLabel *l : header->findChildren<QLabel *>())
            QVERIFY2(!l->text().contains(u'#'), qPrintable(l->text()));

        // A button per action, named for screen readers.
        QStringList buttons;
        for (const QToolButton *b : header->findChildren<QToolButton *>())
            buttons << b->accessibleName();
        for (const QString &name :
            { u"Study Overview"_s, u"Skip Item"_s, u"Previous Item"_s, u"Next Item"_s })
            QVERIFY2(buttons.contains(name), qPrintable(buttons.join(u", "_s)));
        header->setRevealVisible(false);
        for (const QToolButton *b : header->findChildren<QToolButton *>())
            if (b->defaultAction() == &reveal)
                QVERIFY(!b->isVisible());
    }

    void progress()
    {
        QWidget page;
        QAction a(u"a"_s);
        auto *header = new RatingItemHeader({ &a, &a, &a, &a, &a, &a }, &page);
        page.show();
        auto *bar = header->findChild<QProgressBar *>();
        header->setProgress(4, 30);
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->value(), 4);
        QCOMPARE(bar->maximum(), 30);
        QCOMPARE(bar->text(), u"4 of 30 done"_s);
        header->setProgress(0, 0);
        QVERIFY(!bar->isVisible());
    }
};

QTEST_MAIN(TestRatingItemHeader)
#include "tst_ratingitemheader.moc"
