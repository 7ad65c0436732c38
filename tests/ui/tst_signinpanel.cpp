#include "storage/repositories.h"
#include "teststudy.h"
#include "ui/signinpanel.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using cr::ui::SignInPanel;
using namespace Qt::StringLiterals;

namespace {

QPushButton *button(QWidget &w, const QString &name)
{
    for (QPushButton *b : w.findChildren<QPushButton *>())
        if (b->accessibleName() == name)
            return b;
    return nullptr;
}

} // namespace

class TestSignInPanel final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void listsHumanRatersAndStarts()
    {
        QTemporaryDir dir;
        QString path;
        auto study = crtest::createStudy(dir.path(), 2, &path);
        QVERIFY(study);
        SignInPanel panel;
        panel.show();
        panel.setRaters(study.get(), { { u"ana"_s, 2 }, { u"ben"_s, 1 } }, u"ben"_s);
        QComboBox *picker = panel.raterPicker();
        QCOMPARE(picker->count(), 2); // the LLM rater "judge" is never signed in
        QCOMPARE(picker->itemText(0), u"ana — 2 items"_s);
        QCOMPARE(picker->itemText(1), u"ben — 1 item"_s);
        QCOMPARE(panel.selectedRaterName(), u"ben"_s);
        panel.selectRater(u"ana"_s);
        QCOMPARE(panel.selectedRaterName(), u"ana"_s);
        panel.selectRater(u"nobody"_s);
        QCOMPARE(panel.selectedRaterName(), u"ana"_s);
        // A refresh keeps the selection.
        panel.setRaters(study.get(), {}, u"ben"_s);
        QCOMPARE(panel.selectedRaterName(), u"ana"_s);

        QSignalSpy requested(&panel, &SignInPanel::ratingRequested);
        QPushButton *start = button(panel, u"Start rating"_s);
        QVERIFY(start && start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toLongLong(),
            cr::storage::RaterRepository(*study).byName(u"ana"_s)->id);
    }

    void withoutRatersOrItems()
    {
        SignInPanel panel;
        panel.show();
        panel.setRaters(nullptr, {}, {});
        QVERIFY(!panel.raterPicker()->isEnabled());
        QVERIFY(!button(panel, u"Start rating"_s)->isEnabled());
        bool hint = false;
        for (const QLabel *l : panel.findChildren<QLabel *>())
            hint |= l->text().contains(u"No people are registered as raters"_s);
        QVERIFY(hint);
        QPushButton *import = button(panel, u"Import items and responses"_s);
        panel.setEmptyStudy(false);
        QVERIFY(!import->isVisible());
        panel.setEmptyStudy(true);
        QVERIFY(import->isVisible());
        QSignalSpy requested(&panel, &SignInPanel::importRequested);
        QTest::mouseClick(import, Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
    }
};

QTEST_MAIN(TestSignInPanel)
#include "tst_signinpanel.moc"
