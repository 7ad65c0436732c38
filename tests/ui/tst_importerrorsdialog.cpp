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
    }
};

QTEST_MAIN(TestImportErrorsDialog)
#include "tst_importerrorsdialog.moc"
