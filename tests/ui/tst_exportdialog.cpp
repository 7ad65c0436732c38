// File ▸ Export…: set the options, export on the worker thread, check the file,
// its manifest and the remembered folder; errors are shown in the dialog.
#include "teststudy.h"
#include "ui/exportdialog.h"
#include "ui/mainwindow.h"
#include "ui/settings.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace cr;

class TestExportDialog final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<storage::Study> m_study;

    template<typename T> static T *byName(QWidget *root, const QString &accessibleName)
    {
        for (T *w : root->findChildren<T *>())
            if (w->accessibleName() == accessibleName)
                return w;
        return nullptr;
    }

    static QByteArray read(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CrisisReviewTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_exportdialog"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_study = crtest::createStudy(m_dir.path(), 3, &m_path);
        QVERIFY(m_study);
        // ana scores every response of the three items; the judge one response.
        QFile ratings(m_dir.filePath(QStringLiteral("ratings.jsonl")));
        QVERIFY(ratings.open(QIODevice::WriteOnly));
        for (int i = 1; i <= 3; ++i)
            for (const QString &model : crtest::modelNames())
                ratings.write(QStringLiteral("{\"rater\": \"ana\", \"item_id\": \"t-00%1\", "
                                             "\"model\": \"%2\", \"score\": %3}\n")
                                  .arg(i)
                                  .arg(model)
                                  .arg(i + 1)
                                  .toUtf8());
        ratings.write(
            "{\"rater\": \"judge\", \"rater_kind\": \"llm\", \"item_id\": \"t-001\", \"model\": "
            "\"sentinel-model-one\", \"score\": 5}\n");
        ratings.close();
        storage::ImportReport report;
        storage::Error error;
        QVERIFY(storage::Importer(*m_study).run({ ratings.fileName() }, {}, &report, &error));
    }

    void cleanupTestCase() { QSettings().clear(); }

    void exportsWithFiltersOffTheUiThread()
    {
        ui::ExportDialog dialog(*m_study);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // Format: long CSV; model sentinel-model-one; human raters; real names.
        auto *format = byName<QComboBox>(&dialog, QStringLiteral("Format"));
        QVERIFY(format);
        format->setCurrentIndex(format->findData(QStringLiteral("long-csv")));
        auto *models = byName<QListWidget>(&dialog, QStringLiteral("Models to export"));
        QVERIFY(models);
        QCOMPARE(models->count(), 3);
        models->findItems(QStringLiteral("sentinel-model-one"), Qt::MatchExactly)
            .value(0)
            ->setCheckState(Qt::Checked);
        auto *raters = byName<QComboBox>(&dialog, QStringLiteral("Raters"));
        raters->setCurrentIndex(raters->findData(QStringLiteral("human")));
        byName<QCheckBox>(&dialog, QStringLiteral("Use real rater names"))->setChecked(true);
        const QString out = m_dir.filePath(QStringLiteral("out/ana.csv"));
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("out")));
        dialog.setOutputPath(out);

        QSignalSpy finished(&dialog, &ui::ExportDialog::exportFinished);
        auto *exportButton = byName<QPushButton>(&dialog, QStringLiteral("Export"));
        QVERIFY(exportButton && exportButton->isEnabled());
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        if (qEnvironmentVariableIsSet("CR_SCREENSHOT_DIR")) // for looking at the dialog by hand
            dialog.grab().save(
                qEnvironmentVariable("CR_SCREENSHOT_DIR") + QStringLiteral("/exportdialog.png"));

        const QList<QByteArray> lines = read(out).trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 3); // header + ana's three ratings of model one (no judge)
        for (qsizetype i = 1; i < lines.size(); ++i) {
            QVERIFY2(lines[i].contains(",sentinel-model-one,1,"), lines[i].constData());
            QVERIFY2(lines[i].contains(",ana,human,"), lines[i].constData());
        }
        const QJsonObject manifest =
            QJsonDocument::fromJson(read(m_dir.filePath(QStringLiteral("out/ana.manifest.json"))))
                .object();
        QCOMPARE(manifest.value(QStringLiteral("rows")).toInt(), 3);
        QCOMPARE(manifest.value(QStringLiteral("filters"))
                     .toObject()
                     .value(QStringLiteral("raters"))
                     .toString(),
            QStringLiteral("human"));
        QVERIFY(byName<QLabel>(&dialog, QStringLiteral("Export status"))
                    ->text()
                    .contains(QStringLiteral("Exported 3 row(s)")));
        // The folder is remembered for the next export.
        QCOMPARE(ui::Settings().lastExportFolder.value(), QFileInfo(out).absolutePath());
        ui::ExportDialog next(*m_study);
        QCOMPARE(QFileInfo(next.outputPath()).absolutePath(), QFileInfo(out).absolutePath());
    }

    void bundleOfOneRater()
    {
        ui::ExportDialog dialog(*m_study);
        auto *format = byName<QComboBox>(&dialog, QStringLiteral("Format"));
        format->setCurrentIndex(format->findData(QStringLiteral("bundle")));
        QVERIFY(dialog.outputPath().endsWith(QStringLiteral(".jsonl")));
        auto *rater = byName<QComboBox>(&dialog, QStringLiteral("Bundle rater"));
        QVERIFY(rater->isEnabled());
        rater->setCurrentIndex(rater->findData(QStringLiteral("judge")));
        QVERIFY(!byName<QComboBox>(&dialog, QStringLiteral("Raters"))->isEnabled());
        const QString out = m_dir.filePath(QStringLiteral("judge.jsonl"));
        dialog.setOutputPath(out);
        QSignalSpy finished(&dialog, &ui::ExportDialog::exportFinished);
        QVERIFY(dialog.startExport());
        QTRY_COMPARE(finished.count(), 1);
        const QJsonObject line = QJsonDocument::fromJson(read(out).trimmed()).object();
        QCOMPARE(line.value(QStringLiteral("rater")).toString(), QStringLiteral("judge"));
        QCOMPARE(line.value(QStringLiteral("score")).toInt(), 5);
    }

    void rawCellsIsACheckboxRemembered()
    {
        // An item id that begins like a formula: neutralised by default, raw when asked.
        QFile items(m_dir.filePath(QStringLiteral("formula.jsonl")));
        QVERIFY(items.open(QIODevice::WriteOnly));
        items.write("{\"item_id\": \"=SUM(A1)\", \"text\": \"hi\", \"responses\": "
                    "[{\"model\": \"sentinel-model-one\", \"text\": \"r\"}]}\n"
                    "{\"rater\": \"ana\", \"item_id\": \"=SUM(A1)\", \"model\": "
                    "\"sentinel-model-one\", \"score\": 3}\n");
        items.close();
        storage::ImportReport report;
        storage::Error error;
        QVERIFY2(storage::Importer(*m_study).run({ items.fileName() }, {}, &report, &error),
            qPrintable(error.message));
        const auto exportWith = [&](bool raw, const QString &name) {
            ui::ExportDialog dialog(*m_study);
            auto *box = byName<QCheckBox>(&dialog, QStringLiteral("Write CSV cells raw"));
            if (!box)
                return QByteArray("no checkbox");
            box->setChecked(raw);
            const QString out = m_dir.filePath(name);
            dialog.setOutputPath(out);
            QSignalSpy finished(&dialog, &ui::ExportDialog::exportFinished);
            if (!dialog.startExport() || !finished.wait(30000))
                return QByteArray("export failed");
            return read(out);
        };
        const QByteArray safe = exportWith(false, QStringLiteral("safe.csv"));
        QVERIFY2(safe.contains("\n'=SUM(A1),"), safe.constData());
        QVERIFY(!ui::Settings().exportRawCells.value());
        const QByteArray raw = exportWith(true, QStringLiteral("raw.csv"));
        QVERIFY2(raw.contains("\n=SUM(A1),"), raw.constData());
        // Remembered: the next dialog starts with the box checked; not for JSONL formats.
        QVERIFY(ui::Settings().exportRawCells.value());
        ui::ExportDialog next(*m_study);
        auto *box = byName<QCheckBox>(&next, QStringLiteral("Write CSV cells raw"));
        QVERIFY(box->isChecked() && box->isEnabled());
        auto *format = byName<QComboBox>(&next, QStringLiteral("Format"));
        format->setCurrentIndex(format->findData(QStringLiteral("jsonl")));
        QVERIFY(!box->isEnabled());
        ui::Settings().exportRawCells = false;
    }

    void mainWindowOpensItWithCtrlE()
    {
        ui::MainWindow window;
        auto *action = window.findChild<QAction *>(QStringLiteral("exportAction"));
        QVERIFY(action);
        QVERIFY(!action->isEnabled()); // no study yet
        QVERIFY(window.openStudy(m_path));
        QVERIFY(action->isEnabled());
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        bool shown = false;
        QTimer::singleShot(0, this, [&shown] {
            auto *dialog = qobject_cast<ui::ExportDialog *>(QApplication::activeModalWidget());
            shown = dialog != nullptr;
            if (dialog)
                dialog->reject();
        });
        action->trigger(); // modal: returns once the dialog is closed
        QVERIFY(shown);
    }

    void errorsAreShown()
    {
        ui::ExportDialog dialog(*m_study);
        auto *status = byName<QLabel>(&dialog, QStringLiteral("Export status"));
        dialog.setOutputPath(m_dir.filePath(QStringLiteral("missing-folder/x.csv")));
        QVERIFY(!dialog.startExport());
        QVERIFY2(
            status->text().contains(QStringLiteral("does not exist")), qPrintable(status->text()));
        // A file that cannot be written (the path is a folder): reported after the run.
        dialog.setOutputPath(m_dir.filePath(QStringLiteral("out")));
        QSignalSpy finished(&dialog, &ui::ExportDialog::exportFinished);
        QVERIFY(dialog.startExport());
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(status->text().startsWith(QStringLiteral("Export failed: ")),
            qPrintable(status->text()));
        QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("out"))).isDir());
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
