#include "ui/importerrorsdialog.h"

#include <QAbstractItemModel>
#include <QLabel>
#include <QListView>
#include <QTest>

/// The failed-import dialog lists every problem, however many, with their count.
class TestImportErrorsDialog final : public QObject {
    Q_OBJECT

private slots:
    void listsEveryProblemWithTheCount()
    {
        cr::storage::ImportReport report;
        for (int i = 0; i < 250; ++i)
            report.errors.append({ QStringLiteral("H1_scores.json"), 2 + 6 * i,
                QStringLiteral("[%1].answer").arg(i), QStringLiteral("matches no response") });
        const cr::ui::ImportErrorsDialog dialog({ QStringLiteral("/data/H1_scores.json") }, report,
            cr::storage::Error::invalid(report.errors.first().toString()));
        QCOMPARE(dialog.problemsView()->model()->rowCount(), 250);
        QCOMPARE(dialog.problemsView()->model()->index(249, 0).data().toString(),
            QStringLiteral("H1_scores.json:1496:[249].answer: matches no response"));
        QCOMPARE(dialog.problemsText().count(QLatin1Char('\n')), 249);
        bool counted = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            counted = counted || label->text() == QStringLiteral("250 problem(s):");
        QVERIFY(counted);
        QVERIFY(dialog.validCategoriesText().isEmpty()); // nothing about categories
    }

    void longProblemsWrapAndCategoriesAreListed()
    {
        cr::storage::ImportReport report;
        report.errors.append({ QStringLiteral("labels.csv"), 7, QStringLiteral("category"),
            QStringLiteral("unknown category 'suicidal-ideation-passive-with-a-very-long-name' "
                           "(not in the protocol)") });
        cr::ui::ImportErrorsDialog dialog({ QStringLiteral("/data/labels.csv") }, report,
            cr::storage::Error::invalid(report.errors.first().toString()), nullptr,
            { QStringLiteral("self-harm (Self-harm)"), QStringLiteral("no_crisis (No crisis)") });
        dialog.resize(420, 300);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // Wrapped: no sideways scrolling, the bad value is in view.
        QVERIFY(dialog.problemsView()->wordWrap());
        QCOMPARE(dialog.problemsView()->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
        QListView *view = dialog.problemsView();
        QVERIFY(view->visualRect(view->model()->index(0, 0)).height()
            > view->fontMetrics().height() * 3 / 2); // on more than one line
        QCOMPARE(dialog.validCategoriesText(),
            QStringLiteral("Valid categories: self-harm (Self-harm), no_crisis (No crisis)."));
    }
};

QTEST_MAIN(TestImportErrorsDialog)
#include "tst_importerrorsdialog.moc"
