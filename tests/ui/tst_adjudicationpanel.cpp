#include "protocol/protocol.h"
#include "ui/adjudicationpanel.h"
#include "widgets/categorypicker.h"
#include "widgets/likertselector.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace cr::storage;
using cr::ui::AdjudicationPanel;
using namespace Qt::StringLiterals;

namespace {

Disagreement subject(DisagreementKind kind)
{
    Disagreement d;
    d.kind = kind;
    d.itemId = 7;
    d.responseId = kind == DisagreementKind::Score ? 70 : 0;
    return d;
}

RaterValue value(qint64 raterId, const QString &category, std::optional<int> score)
{
    RaterValue v;
    v.rater.id = raterId;
    v.category = category;
    v.score = score;
    return v;
}

} // namespace

class TestAdjudicationPanel final : public QObject {
    Q_OBJECT
private slots:
    void reasonsComeFromTheProtocol()
    {
        AdjudicationPanel panel;
        const cr::protocol::Protocol protocol = cr::protocol::defaultProtocol();
        panel.setProtocol(protocol);
        auto *box = panel.findChild<QGroupBox *>(u"reasons"_s);
        QVERIFY(box);
        QCOMPARE(box->findChildren<QCheckBox *>().size(), protocol.failureModes.size());
        panel.setProtocol(protocol); // again: no duplicates
        QCOMPARE(box->findChildren<QCheckBox *>().size(), protocol.failureModes.size());
        panel.clearProtocol();
        QCOMPARE(box->findChildren<QCheckBox *>().size(), 0);
    }

    void scoreDecisionNeedsAScoreAndAReason()
    {
        AdjudicationPanel panel;
        panel.setProtocol(cr::protocol::defaultProtocol());
        panel.show();
        panel.setSubject(subject(DisagreementKind::Score), u"Not adjudicated yet."_s);
        QVERIFY(panel.scoreSelector()->isVisible());
        QVERIFY(!panel.categoryPicker()->isVisible());
        QString problem;
        QVERIFY(!panel.decision(&problem));
        QVERIFY(problem.contains(u"Choose a score"_s));
        panel.setPendingCategory(u"anxiety_crisis"_s); // not a category row: ignored
        panel.setPendingScore(9); // out of range: ignored
        QVERIFY(!panel.decision(&problem));
        QVERIFY(panel.adopt(value(3, {}, 2)));
        QCOMPARE(panel.adoptedFrom(), std::optional<qint64>(3));
        QCOMPARE(panel.scoreSelector()->value(), 2);
        QVERIFY(!panel.decision(&problem));
        QVERIFY(problem.contains(u"at least one reason"_s));
        panel.setReasonChecked(u"dismissive"_s, true);
        panel.setNote(u"  Dismissive.  "_s);
        const auto a = panel.decision(&problem);
        QVERIFY(a);
        QCOMPARE(a->responseId, std::optional<qint64>(70));
        QCOMPARE(a->score, std::optional<int>(2));
        QCOMPARE(a->reasonTags, QStringList { u"dismissive"_s });
        QCOMPARE(a->note, u"Dismissive."_s);
        // Choosing another score is no longer the adopted value.
        panel.setPendingScore(4);
        QVERIFY(!panel.adoptedFrom());
        // "Cannot assess" gives no decision to adopt.
        QVERIFY(!panel.adopt(value(4, {}, std::nullopt)));
        // A new subject starts afresh.
        panel.setSubject(subject(DisagreementKind::Score), {});
        QVERIFY(!panel.decision(&problem));
        QVERIFY(problem.contains(u"Choose a score"_s));
    }

    void categoryDecisionAndRecordButton()
    {
        AdjudicationPanel panel;
        panel.setProtocol(cr::protocol::defaultProtocol());
        panel.footer()->show();
        panel.show();
        panel.setSubject(subject(DisagreementKind::Category), {});
        QVERIFY(panel.categoryPicker()->isVisible());
        QString problem;
        QVERIFY(!panel.decision(&problem));
        QVERIFY(problem.contains(u"Choose a category"_s));
        panel.setPendingCategory(u"anxiety_crisis"_s);
        panel.setReasonChecked(u"missed_signal"_s, true);
        const auto a = panel.decision(&problem);
        QVERIFY(a);
        QCOMPARE(a->itemId, std::optional<qint64>(7));
        QCOMPARE(a->category, u"anxiety_crisis"_s);
        QCOMPARE(panel.categoryPicker()->category(), u"anxiety_crisis"_s);
        QSignalSpy record(&panel, &AdjudicationPanel::recordRequested);
        for (QPushButton *b : panel.footer()->findChildren<QPushButton *>())
            if (b->accessibleName() == u"Record adjudication"_s)
                QTest::mouseClick(b, Qt::LeftButton);
        QCOMPARE(record.count(), 1);
        panel.setStatus(u"<b>no</b>"_s, true);
        QCOMPARE(panel.statusMessage(), u"<b>&lt;b&gt;no&lt;/b&gt;</b>"_s);
        // Without a subject nothing is offered.
        panel.setSubject(std::nullopt, {});
        QVERIFY(!panel.categoryPicker()->isVisible());
        QVERIFY(!panel.decision(&problem));
    }
};

QTEST_MAIN(TestAdjudicationPanel)
#include "tst_adjudicationpanel.moc"
