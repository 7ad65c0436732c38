// Issue 21: the report's page-layout rules (report/paginate.h) on documents made to break
// them: a heading, a term with its definition or a table's header at a page's end, and a
// chart too tall for what is left of its page.
#include "report/paginate.h"

#include <QAbstractTextDocumentLayout>
#include <QImage>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextImageFormat>
#include <QUrl>

using namespace cr;

namespace {

constexpr qreal kPageWidth = 600;
constexpr qreal kPageHeight = 800;

/// A document laid out on kPageWidth × kPageHeight pages.
std::unique_ptr<QTextDocument> document(const QString &body)
{
    auto doc = std::make_unique<QTextDocument>();
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(12);
    doc->setDefaultFont(font);
    doc->setDocumentMargin(0);
    doc->setPageSize(QSizeF(kPageWidth, kPageHeight));
    QImage chart(1000, 560, QImage::Format_RGB32);
    chart.fill(Qt::darkBlue);
    doc->addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart.png")), chart);
    doc->setHtml(QStringLiteral("<html><body>") + body + QStringLiteral("</body></html>"));
    return doc;
}

qreal lineHeight(QTextDocument *doc)
{
    return QFontMetricsF(doc->defaultFont()).height();
}

QString filler(int lines)
{
    QString s;
    for (int i = 0; i < lines; ++i)
        s += QStringLiteral("<p>Filler line %1.</p>").arg(i);
    return s;
}

QString definitions(int count)
{
    QString s;
    for (int i = 0; i < count; ++i)
        s += QStringLiteral("<p><b>Term %1</b><br>its definition, which runs over more than one "
                            "line of this page so that the paragraph can be split when it "
                            "reaches the end of a page, as a long definition does.</p>")
                 .arg(i);
    return s;
}

QString table(int rows)
{
    QString s = QStringLiteral("<table width=\"100%\"><thead><tr><th>Model</th><th>n</th>"
                               "</tr></thead><tbody>");
    for (int i = 0; i < rows; ++i)
        s += QStringLiteral("<tr><td>model-%1</td><td>%2</td></tr>").arg(i).arg(i * 7);
    return s + QStringLiteral("</tbody></table>");
}

/// The page (0-based) of the first line of the block whose text starts with `text`.
int pageOfBlock(QTextDocument *doc, const QString &text)
{
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        if (b.text().startsWith(text)) {
            const QRectF r = doc->documentLayout()->blockBoundingRect(b);
            const QTextLine line = b.layout()->lineAt(0);
            return int((r.top() + line.y() + line.height() - 1) / kPageHeight);
        }
    return -1;
}

} // namespace

class TestPaginate final : public QObject {
    Q_OBJECT
private slots:
    void termStaysWithItsDefinition()
    {
        // Sliding the definitions down line by line puts each place of the page's end
        // inside one of them: never split.
        for (int lead = 30; lead < 70; lead += 3) {
            auto doc = document(filler(lead) + definitions(30));
            const QList<QString> before = report::keepViolations(doc.get());
            report::paginate(doc.get(), lineHeight(doc.get()));
            const QList<QString> after = report::keepViolations(doc.get());
            QVERIFY2(after.isEmpty(), qPrintable(after.join(QLatin1Char('\n'))));
            if (lead == 30)
                QVERIFY(doc->pageCount() >= 2);
            Q_UNUSED(before);
        }
    }

    void rulesAreBrokenWithoutThePaginator()
    {
        // The check itself sees the faults paginate() mends.
        int broken = 0;
        for (int lead = 30; lead < 70; lead += 3) {
            auto doc = document(filler(lead) + definitions(30));
            broken += !report::keepViolations(doc.get()).isEmpty();
        }
        QVERIFY(broken > 0);
    }

    void headingAndTableHeaderKeepWithWhatFollows()
    {
        for (int lead = 40; lead < 62; ++lead) {
            auto doc = document(filler(lead) + QStringLiteral("<h2>Harm by model</h2>")
                + QStringLiteral("<p><b>Share of every clinician's scores</b></p>") + table(30));
            report::paginate(doc.get(), lineHeight(doc.get()));
            const QList<QString> after = report::keepViolations(doc.get());
            QVERIFY2(after.isEmpty(),
                qPrintable(QString::number(lead) + QLatin1Char(' ') + after.join(u'\n')));
            // The heading is on the page of the table's caption and its first rows.
            const int heading = pageOfBlock(doc.get(), QStringLiteral("Harm by model"));
            QCOMPARE(pageOfBlock(doc.get(), QStringLiteral("Share of every")), heading);
            QCOMPARE(pageOfBlock(doc.get(), QStringLiteral("model-1")), heading);
        }
    }

    void chartShrinksToFillItsPage()
    {
        // Text down to about half the page, then a chart 60% of a page tall: without the
        // rule it moves to the next page and leaves half of this one empty.
        const QString chart = QStringLiteral(
            "<p><img src=\"chart.png\" width=\"600\" height=\"480\"></p><p>Caption of the "
            "chart.</p>");
        auto plain = document(filler(16) + chart + filler(40));
        const qreal fillBefore = report::pageFill(plain.get()).front();
        auto doc = document(filler(16) + chart + filler(40));
        report::paginate(doc.get(), lineHeight(doc.get()));
        const QList<qreal> fill = report::pageFill(doc.get());
        QVERIFY2(fillBefore < 0.7, qPrintable(QString::number(fillBefore)));
        QVERIFY2(fill.front() > 0.9, qPrintable(QString::number(fill.front())));
        // The caption's first line is on the chart's page.
        QCOMPARE(pageOfBlock(doc.get(), QStringLiteral("Caption of the chart")), 0);
        // Never below 60% of its size: a chart that would have to shrink more moves on.
        auto tall = document(filler(26) + chart);
        report::paginate(tall.get(), lineHeight(tall.get()));
        for (QTextBlock b = tall->begin(); b.isValid(); b = b.next())
            for (auto it = b.begin(); !it.atEnd(); ++it)
                if (it.fragment().charFormat().isImageFormat())
                    QVERIFY(it.fragment().charFormat().toImageFormat().height() >= 0.6 * 480);
    }
};

QTEST_MAIN(TestPaginate)
#include "tst_paginate.moc"
