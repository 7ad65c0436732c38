// Text tables (stats/texttable.h): columns as wide as their widest cell, so long model and
// rater names keep every column aligned; never narrower than the minimum width.
#include "stats/texttable.h"

#include <QTest>

using cr::stats::TextTable;
using Align = TextTable::Align;

class TestTextTable final : public QObject {
    Q_OBJECT
private slots:
    void columnsFollowTheLongestCell()
    {
        const QString model40 = QStringLiteral("meta-llama-Llama-4-Scout-17B-16E-Instruc"); // 40
        QCOMPARE(model40.size(), 40);
        TextTable t({ { QStringLiteral("llm"), Align::Left, 22 },
            { QStringLiteral("model"), Align::Left, 24 }, { QStringLiteral("n"), Align::Right, 6 },
            { QStringLiteral("MAE"), Align::Right, 7 } });
        t.addRow({ QStringLiteral("gpt-4o-mini:judge#3"), model40, QStringLiteral("12"),
            QStringLiteral("0.500") });
        t.addRow({ QStringLiteral("gpt-4o-mini-2024-07-18:classify#1"), QStringLiteral("m"),
            QStringLiteral("3"), QStringLiteral("—") });
        const QStringList lines = t.toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        // Every column starts at the same offset on every line: the header's column starts.
        const qsizetype modelAt = lines[0].indexOf(QStringLiteral("model"));
        QCOMPARE(modelAt, 2 + 33 + 1); // indent + the longest llm name + one space
        QCOMPARE(lines[1].indexOf(model40), modelAt);
        QCOMPARE(lines[2].mid(modelAt, 1), QStringLiteral("m"));
        // Right-aligned columns end at the same offset.
        for (const QString &l : lines)
            QCOMPARE(l.size(), lines[0].size());
        QVERIFY(lines[1].endsWith(QStringLiteral("12   0.500")));
        QVERIFY(lines[0].endsWith(QStringLiteral("     n     MAE")));
    }

    void shortContentKeepsTheMinimumWidths()
    {
        TextTable t({ { QStringLiteral("model"), Align::Left, 24 },
            { QStringLiteral("n"), Align::Right, 6 } });
        t.addRow({ QStringLiteral("m1"), QStringLiteral("5") });
        QCOMPARE(t.toString(),
            QStringLiteral(
                "  model                         n\n  m1                            5\n"));
    }

    void trailerAndLastLeftColumnAddNoPadding()
    {
        TextTable t({ { QStringLiteral("item"), Align::Left, 4 },
                        { QStringLiteral("values"), Align::Left, 0 } },
            QString());
        t.addRow({ QStringLiteral("n_2046_nPerD168_seed0:hugg_3"), QStringLiteral("R1=2") },
            QStringLiteral("  [adjudicated]"));
        t.addRow({ QStringLiteral("i1"), QStringLiteral("R1=3 R2=4") });
        QCOMPARE(t.toString(),
            QStringLiteral("item                         values\n"
                           "n_2046_nPerD168_seed0:hugg_3 R1=2  [adjudicated]\n"
                           "i1                           R1=3 R2=4\n"));
    }
};

QTEST_APPLESS_MAIN(TestTextTable)
#include "tst_texttable.moc"
