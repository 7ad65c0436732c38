// Issue 21: the report a researcher would attach to a paper, as PDF and as one
// self-contained HTML page: findings first, human category names, rates in %, intervals,
// no raw column ids, no half-empty pages (text extracted with pdftotext, per page).
#include "../stats/golden.h"
#include "report/pdfreport.h"
#include "stats/stats.h"
#include "storage/study.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cr;

class TestReport final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    /// Writes the report of `studyFile` to `out`.
    void write(const QString &studyFile, const QString &out)
    {
        storage::Error error;
        auto s = storage::Study::open(studyFile, &error);
        QVERIFY2(s, qPrintable(error.message));
        stats::StatsOptions options;
        options.raters = storage::RaterSelection::fromString(QStringLiteral("human"));
        options.bootstrap = 100;
        options.confusionReference = QStringLiteral("consensus");
        options.confusionPredicted = QStringLiteral("llm");
        const auto result = stats::computeStats(*s, options, &error);
        QVERIFY2(result, qPrintable(error.message));
        QString message;
        QVERIFY2(
            report::writeStudyReport(*s, options, *result, out, &message), qPrintable(message));
    }

    static QString run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return {};
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    /// Category names of the default protocol and their ids.
    static QList<std::pair<QString, QString>> categories()
    {
        QList<std::pair<QString, QString>> out;
        for (const auto &c : protocol::defaultProtocol().categories)
            out.append({ c.id, c.name });
        return out;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir::setCurrent(m_dir.path()));
        test::createGoldenStudies();
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
    }

    void pdfHasFindingsFirstAndNoHalfEmptyPages()
    {
        const QString path = m_dir.filePath(QStringLiteral("bench.pdf"));
        write(QStringLiteral("bench.crisis"), path);
        const QString info = run(QStringLiteral("pdfinfo"), { path });
        const QRegularExpressionMatch pages =
            QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(info);
        QVERIFY(pages.hasMatch());
        const int count = pages.captured(1).toInt();
        QVERIFY2(count >= 3 && count <= 14, qPrintable(info));

        QString text = run(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), path, QStringLiteral("-") });
        QVERIFY(!text.isEmpty());
        // The PDF's text keeps typographic ligatures (Qt 6.4 cannot turn them off).
        text.replace(QStringLiteral("\uFB01"), QStringLiteral("fi"))
            .replace(QStringLiteral("\uFB02"), QStringLiteral("fl"))
            .replace(QStringLiteral("\uFB00"), QStringLiteral("ff"));
        const QStringList perPage = text.split(QLatin1Char('\f'));
        // Page 1: the findings.
        const QString first = perPage.front();
        for (const char *must : { "Key findings", "Harm rate by model", "Harm rate [95% CI]",
                 "Agreement between clinicians", "LLM raters against clinicians" })
            QVERIFY2(first.contains(QLatin1String(must)), must);
        QVERIFY(first.contains(QRegularExpression(QStringLiteral("\\d+\\.\\d%\\s*\\[\\d+\\.\\d, "
                                                                 "\\d+\\.\\d\\]"))));
        // Human category names, never raw ids or raw column names.
        int named = 0;
        for (const auto &[id, name] : categories()) {
            named += text.contains(name);
            if (id != name.toLower())
                QVERIFY2(!text.contains(id), qPrintable(id));
        }
        QVERIFY(named >= 2);
        for (const char *raw : { "scored1_rate", "share_of_reference", "rate_ci", "kappa_quadratic",
                 "Model × category" })
            QVERIFY2(!text.contains(QLatin1String(raw)), raw);
        // An appendix with the protocol and the definitions.
        QVERIFY(text.contains(QLatin1String("Protocol hash")));
        QVERIFY(text.contains(QLatin1String("Definitions")));
        // No half-empty page but the last.
        for (int p = 0; p + 1 < perPage.size(); ++p) {
            const QString page = perPage[p];
            if (page.trimmed().isEmpty() && p == perPage.size() - 2)
                continue; // the form feed after the last page
            int lines = 0;
            for (const QString &line : page.split(QLatin1Char('\n')))
                lines += !line.trimmed().isEmpty();
            if (p < count - 1)
                QVERIFY2(lines >= 12,
                    qPrintable(QStringLiteral("page %1: %2 lines").arg(p + 1).arg(lines)));
        }
    }

    void pdfPagesAreFilledAsPrinted()
    {
        // What a reader sees: each page's ink reaches at least 70% down the text area
        // (charts are cut to their content, so white image space does not count), but
        // the last page. Pages rendered with pdftoppm, as a reviewer would print them.
        if (QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty())
            QSKIP("pdftoppm (poppler-utils) is not installed");
        const QString path = m_dir.filePath(QStringLiteral("fill.pdf"));
        write(QStringLiteral("bench.crisis"), path);
        const QString prefix = m_dir.filePath(QStringLiteral("fill"));
        QProcess p;
        p.start(QStringLiteral("pdftoppm"),
            { QStringLiteral("-r"), QStringLiteral("30"), QStringLiteral("-gray"), path, prefix });
        QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
        QStringList pages =
            QDir(m_dir.path()).entryList({ QStringLiteral("fill-*.pgm") }, QDir::Files, QDir::Name);
        QVERIFY(pages.size() >= 3);
        // A4 at 30 dpi: 351 px high; text from 16 mm (19 px) to the footer (about 37 px
        // above the bottom).
        for (int i = 0; i + 1 < pages.size(); ++i) {
            const QImage page(m_dir.filePath(pages[i]));
            QVERIFY(!page.isNull());
            const int top = page.height() * 16 / 297;
            const int bottom = page.height() - page.height() * 14 / 297 - 12; // above the footer
            int last = top;
            for (int y = top; y < bottom; ++y)
                for (int x = 0; x < page.width(); ++x)
                    if (qGray(page.pixel(x, y)) < 200) {
                        last = y;
                        break;
                    }
            const double fill = double(last - top) / (bottom - top);
            QVERIFY2(fill >= 0.7,
                qPrintable(QStringLiteral("page %1 of %2 filled to %3%")
                               .arg(i + 1)
                               .arg(pages.size())
                               .arg(qRound(fill * 100))));
        }
    }

    void htmlIsSelfContained()
    {
        const QString path = m_dir.filePath(QStringLiteral("bench.html"));
        write(QStringLiteral("bench.crisis"), path);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
        QVERIFY(html.contains(QLatin1String("<style>")));
        QVERIFY(html.contains(QLatin1String("Key findings")));
        QVERIFY(html.contains(QLatin1String("data:image/svg+xml;base64,")));
        QVERIFY(!html.contains(QLatin1String("<link")));
        QVERIFY(!html.contains(QRegularExpression(QStringLiteral("src=\"(https?:|file:|/)"))));
        QVERIFY(!html.contains(QLatin1String("scored1_rate")));
        QVERIFY((f.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup)) == 0);
    }
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
