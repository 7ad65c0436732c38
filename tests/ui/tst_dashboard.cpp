// The dashboard's chart series against the statistics engine and direct analysis
// calls on a small known study; filters, the worker thread, exports, the PDF report.
#include "analysis/classification.h"
#include "analysis/harm.h"
#include "analysis/kappa.h"
#include "report/dashboarddata.h"
#include "stats/stats.h"
#include "stats/statsjson.h"
#include "storage/importer.h"
#include "storage/repositories.h"
#include "storage/study.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"
#include "ui/settings.h"
#include "widgets/agreementpanel.h"
#include "widgets/llmcomparisonpanel.h"

#include <QBarSet>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QLineSeries>
#include <QProcess>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace cr;

namespace {

const QStringList kCategories { QStringLiteral("suicidal_ideation"), QStringLiteral("self-harm"),
    QStringLiteral("anxiety_crisis") };
const QStringList kModels { QStringLiteral("model-a"), QStringLiteral("model-b") };
constexpr int kItems = 24;

int humanScore(int rater, int item, int model)
{
    const int base = 1 + (item + 2 * model) % 5;
    return rater == 1 && item % 3 == 0 ? std::min(5, base + 1) : base;
}
int humanCategory(int rater, int item)
{
    return rater == 1 && item % 4 == 0 ? (item + 1) % 3 : item % 3;
}
int judgeCategory(int item)
{
    return item % 5 == 0 ? (item + 2) % 3 : item % 3;
}
/// LLM judge "scorer" in two runs (scorer#1, scorer#2): close to the first clinician.
int judgeScore(int run, int item, int model)
{
    const int base = humanScore(0, item, model);
    return (item + run) % 4 == 0 ? (base > 1 ? base - 1 : 2) : base;
}
bool isTrain(int item)
{
    return item < 12;
}
/// The items' dataset (another cut than the split).
bool inSetA(int item)
{
    return item < 6;
}

QString itemId(int i)
{
    return QStringLiteral("k-%1").arg(i, 2, 10, QLatin1Char('0'));
}

/// The page's statistics as the JSON document of `stats --json` (empty before the first result).
QJsonObject document(const ui::DashboardPage &page)
{
    return page.document() ? stats::toJson(*page.document()) : QJsonObject();
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

} // namespace

class TestDashboard final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<storage::Study> m_study;

    /// Consensus score (mean of the two humans) of every response of `model` among `items`.
    std::vector<double> consensus(int model, bool (*keep)(int)) const
    {
        std::vector<double> out;
        for (int i = 0; i < kItems; ++i)
            if (keep(i))
                out.push_back((humanScore(0, i, model) + humanScore(1, i, model)) / 2.0);
        return out;
    }

    /// The panel's table equals the engine's list: same rows in order, every value to 1e-9.
    static void compareTable(
        const widgets::MetricTable &table, const QJsonArray &engine, const char *referenceKey)
    {
        QCOMPARE(table.rows.size(), engine.size());
        for (int r = 0; r < table.rows.size(); ++r) {
            const widgets::MetricRow &row = table.rows[r];
            const QJsonObject o = engine.at(r).toObject();
            QCOMPARE(row.rater, o.value(QStringLiteral("llm")).toString());
            const QJsonValue reference = o.value(QLatin1String(referenceKey));
            if (reference.isString())
                QCOMPARE(row.reference, reference.toString());
            else
                QVERIFY(row.reference.startsWith(QString::number(reference.toInt())));
            QCOMPARE(row.n, o.value(QStringLiteral("n")).toInt());
            QCOMPARE(row.values.size(), std::size_t(table.columns.size()));
            for (int c = 0; c < table.columns.size(); ++c) {
                const QJsonValue v = o.value(table.columns[c].key);
                QVERIFY2(v.isDouble() || v.isNull(), qPrintable(table.columns[c].key));
                const double shown = row.values[std::size_t(c)];
                if (v.isNull()) {
                    QVERIFY(std::isnan(shown));
                    QCOMPARE(row.notes.value(c),
                        o.value(table.columns[c].key + QStringLiteral("_note")).toString());
                } else {
                    QVERIFY2(near(shown, v.toDouble()), qPrintable(table.columns[c].key));
                }
            }
        }
    }

    void waitFor(ui::DashboardPage &page)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!page.isComputing(), 20000);
        QVERIFY(!document(page).isEmpty());
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QFile items(m_dir.filePath(QStringLiteral("items.jsonl")));
        QFile ratings(m_dir.filePath(QStringLiteral("ratings.jsonl")));
        QVERIFY(items.open(QIODevice::WriteOnly) && ratings.open(QIODevice::WriteOnly));
        const char *humans[] = { "dr-alpha", "dr-beta" };
        for (int i = 0; i < kItems; ++i) {
            items.write(QStringLiteral(
                R"({"item_id": "%1", "split": "%2", "label": "%3", "dataset": "%4", "turns": ["I feel alone tonight."], )"
                R"("responses": [{"model": "model-a", "text": "a%1"}, {"model": "model-b", "text": "b%1"}]})"
                "\n")
                            .arg(itemId(i),
                                isTrain(i) ? QStringLiteral("train") : QStringLiteral("test"),
                                kCategories[i % 3],
                                inSetA(i) ? QStringLiteral("set-a") : QStringLiteral("set-b"))
                            .toUtf8());
            for (int r = 0; r < 2; ++r) {
                ratings.write(QStringLiteral(
                    R"({"rater": "%1", "rater_kind": "human", "item_id": "%2", "category": "%3"})"
                    "\n")
                                  .arg(QLatin1String(humans[r]), itemId(i),
                                      kCategories[humanCategory(r, i)])
                                  .toUtf8());
                for (int m = 0; m < 2; ++m)
                    ratings.write(QStringLiteral(
                        R"({"rater": "%1", "rater_kind": "human", "item_id": "%2", "model": "%3", "score": %4})"
                        "\n")
                                      .arg(QLatin1String(humans[r]), itemId(i), kModels[m])
                                      .arg(humanScore(r, i, m))
                                      .toUtf8());
            }
            ratings.write(QStringLiteral(
                R"({"rater": "judge", "rater_kind": "llm", "item_id": "%1", "category": "%2"})"
                "\n")
                              .arg(itemId(i), kCategories[judgeCategory(i)])
                              .toUtf8());
            for (int run = 1; run <= 2; ++run)
                for (int m = 0; m < 2; ++m)
                    ratings.write(QStringLiteral(
                        R"({"rater": "scorer#%1", "rater_kind": "llm", "item_id": "%2", "model": "%3", "score": %4})"
                        "\n")
                                      .arg(run)
                                      .arg(itemId(i), kModels[m])
                                      .arg(judgeScore(run, i, m))
                                      .toUtf8());
        }
        items.close();
        ratings.close();
        // The human ratings alone, for studies without LLM raters.
        QFile humanRatings(m_dir.filePath(QStringLiteral("humans.jsonl")));
        QVERIFY(ratings.open(QIODevice::ReadOnly) && humanRatings.open(QIODevice::WriteOnly));
        for (const QByteArray &line : ratings.readAll().split('\n'))
            if (!line.isEmpty() && !line.contains("\"llm\""))
                humanRatings.write(line + '\n');
        humanRatings.close();
        ratings.close();
        m_path = m_dir.filePath(QStringLiteral("known.crisis"));
        storage::Error error;
        m_study = storage::Study::create(
            m_path, protocol::defaultProtocol(), QStringLiteral("Known dashboard study"), &error);
        QVERIFY2(m_study, qPrintable(error.message));
        storage::ImportReport report;
        QVERIFY2(storage::Importer(*m_study).run(
                     { items.fileName(), ratings.fileName() }, {}, &report, &error),
            qPrintable(error.message));
    }

    void harmChartMatchesEngineAndAnalysis()
    {
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        const QJsonArray byModel = document(page)
                                       .value(QStringLiteral("harm"))
                                       .toObject()
                                       .value(QStringLiteral("by_model"))
                                       .toArray();
        QCOMPARE(byModel.size(), 2);
        const widgets::HarmRateChart *chart = page.charts().harm;
        QCOMPARE(chart->bars().size(), 2);
        for (int m = 0; m < 2; ++m) {
            const analysis::HarmSummary direct =
                analysis::harmSummary(consensus(m, [](int) { return true; }), 2.0);
            const auto it = std::find_if(chart->bars().cbegin(), chart->bars().cend(),
                [&](const widgets::RateBar &b) { return b.label == kModels[m]; });
            QVERIFY(it != chart->bars().cend());
            QCOMPARE(it->n, direct.n);
            QCOMPARE(it->harmful, direct.harmful);
            QVERIFY(near(it->rate, direct.rate.point.value));
            QVERIFY(near(it->low, direct.rate.low));
            QVERIFY(near(it->high, direct.rate.high));
            QVERIFY(near(it->scoredOneRate, direct.score1Rate.point.value));
            // The drawn series: axis category 0 is the lowest bar.
            const int drawn = int(chart->bars().size()) - 1 - int(it - chart->bars().cbegin());
            QVERIFY(near(chart->rateSet()->at(drawn), direct.rate.point.value * 100));
            const QLineSeries *whisker = chart->whiskerSeries().at(drawn);
            QVERIFY(near(whisker->at(2).x(), direct.rate.low * 100));
            QVERIFY(near(whisker->at(3).x(), direct.rate.high * 100));
            QVERIFY(near(whisker->at(3).y(), drawn));
        }
        // Sorted by rate, highest first.
        QVERIFY(chart->bars().at(0).rate >= chart->bars().at(1).rate);
        // Every bar carries its value (issue 21), and hovering says rate, counts, interval.
        const QStringList values = chart->valueLabels();
        QCOMPARE(values.size(), 2);
        for (int drawn = 0; drawn < 2; ++drawn) {
            const widgets::RateBar &b = chart->bars().at(1 - drawn);
            QCOMPARE(values.at(drawn),
                b.rate == 0 ? QStringLiteral("0%")
                            : QString::number(b.rate * 100, 'f', 1) + QLatin1Char('%'));
        }
        const widgets::RateBar &top = chart->bars().at(0);
        const QString tip = chart->barToolTip(0);
        QVERIFY2(tip.contains(top.label) && tip.contains(QString::number(top.harmful))
                && tip.contains(QString::number(top.n))
                && tip.contains(QString::number(top.low * 100, 'f', 1)),
            qPrintable(tip));
        QVERIFY(
            !chart->explanation().contains(QStringLiteral("diamond"))); // the marker is a square
        QVERIFY(chart->explanation().contains(QStringLiteral("square")));
    }

    void modelCategoryCellsInPercentWithIntervalsAndNames()
    {
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        const widgets::HeatmapData &cells = page.charts().modelCategory->data();
        QVERIFY(cells.percent);
        const auto protocolCategories = m_study->currentProtocol().categories;
        for (int c = 0; c < cells.columns.size(); ++c) {
            const auto it = std::find_if(protocolCategories.cbegin(), protocolCategories.cend(),
                [&](const auto &k) { return k.id == cells.columns.at(c); });
            QVERIFY(it != protocolCategories.cend());
            QCOMPARE(cells.columnLabel(c), it->name); // the protocol's name, not the id
        }
        for (int r = 0; r < cells.rows.size(); ++r)
            for (int c = 0; c < cells.columns.size(); ++c) {
                const double v = cells.value(r, c);
                if (!std::isfinite(v))
                    continue;
                QCOMPARE(cells.valueText(v), QString::number(v * 100, 'f', 0) + QLatin1Char('%'));
                // A Wilson interval around the rate, shown in % too.
                QVERIFY(cells.low(r, c) <= v + 1e-12 && v <= cells.high(r, c) + 1e-12);
                QVERIFY(cells.intervalText(r, c).endsWith(QStringLiteral("%]")));
                // Hatched only where n is really too small.
                QCOMPARE(cells.isMarked(r, c), cells.count(r, c) < cells.minimumN);
            }
        QVERIFY(cells.minimumN <= 3);
    }

    void distributionAgreementAndConfusionMatchAnalysis()
    {
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        const report::DashboardCharts &charts = page.charts();
        // Score distribution: every human score per model.
        for (int m = 0; m < 2; ++m) {
            std::array<int, 5> counts {};
            for (int i = 0; i < kItems; ++i)
                for (int r = 0; r < 2; ++r)
                    ++counts[std::size_t(humanScore(r, i, m) - 1)];
            QCOMPARE(charts.distribution->rows().at(m).label, kModels[m]);
            QCOMPARE(charts.distribution->rows().at(m).counts, counts);
            QVERIFY(
                near(charts.distribution->drawnPercent(m, 1), -100.0 * counts[0] / (2 * kItems)));
            QVERIFY(
                near(charts.distribution->drawnPercent(m, 5), 100.0 * counts[4] / (2 * kItems)));
        }
        // Pairwise Cohen's kappa on categories and quadratic kappa on scores.
        std::vector<int> c0, c1, s0, s1;
        for (int i = 0; i < kItems; ++i) {
            c0.push_back(humanCategory(0, i));
            c1.push_back(humanCategory(1, i));
        }
        const auto protocolCategories = m_study->currentProtocol().categories;
        auto code = [&](int local) {
            for (int k = 0; k < protocolCategories.size(); ++k)
                if (protocolCategories[k].id == kCategories[local])
                    return k;
            return -1;
        };
        for (int &c : c0)
            c = code(c);
        for (int &c : c1)
            c = code(c);
        for (int m = 0; m < 2; ++m)
            for (int i = 0; i < kItems; ++i) {
                s0.push_back(humanScore(0, i, m) - 1);
                s1.push_back(humanScore(1, i, m) - 1);
            }
        const int K = int(protocolCategories.size());
        const widgets::HeatmapData &catKappa = charts.agreement->categoryKappa();
        QCOMPARE(
            catKappa.rows, (QStringList { QStringLiteral("dr-alpha"), QStringLiteral("dr-beta") }));
        QVERIFY(near(catKappa.value(0, 1), analysis::cohenKappa(c0, c1, K).kappa.value));
        QCOMPARE(catKappa.count(0, 1), kItems);
        QVERIFY(near(charts.agreement->scoreKappa().value(1, 0),
            analysis::cohenKappa(s0, s1, 5, analysis::Weighting::Quadratic).kappa.value));
        // Confusion: consensus (unanimous, else the reference label = item % 3) against the judge.
        std::vector<int> reference, predicted;
        for (int i = 0; i < kItems; ++i) {
            reference.push_back(code(i % 3));
            predicted.push_back(code(judgeCategory(i)));
        }
        const analysis::ClassificationReport direct =
            analysis::classificationReport(reference, predicted, K);
        const widgets::HeatmapData &matrix = charts.confusion->matrix();
        QCOMPARE(matrix.rows.size(), K);
        for (int r = 0; r < K; ++r)
            for (int c = 0; c < K; ++c)
                QCOMPARE(matrix.count(r, c), int(direct.matrix[std::size_t(r * K + c)]));
        QVERIFY(near(charts.confusion->macroF1(), direct.macroF1.value));
        for (const widgets::ClassScore &s : charts.confusion->classes()) {
            const int k = int(matrix.rows.indexOf(s.label));
            QCOMPARE(s.support, direct.support[std::size_t(k)]);
            if (direct.f1[std::size_t(k)].defined)
                QVERIFY(near(s.f1, direct.f1[std::size_t(k)].value));
        }
        // Model × category: n per cell, harm rate from the same consensus scores.
        const widgets::HeatmapData &cells = charts.modelCategory->data();
        QCOMPARE(cells.rows, kModels);
        QCOMPARE(cells.columns.size(), 3);
        const int col = int(cells.columns.indexOf(kCategories[0]));
        std::vector<double> scores;
        for (int i = 0; i < kItems; i += 3)
            scores.push_back((humanScore(0, i, 0) + humanScore(1, i, 0)) / 2.0);
        QCOMPARE(cells.count(0, col), int(scores.size()));
        QVERIFY(near(cells.value(0, col), analysis::harmSummary(scores, 2.0).rate.point.value));
        QVERIFY(!cells.isMarked(0, col)); // n = 8: coloured (hatched only below 3)
    }

    void datasetFilterKeepsThatDatasetsItems()
    {
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        QCOMPARE(page.datasetCombo()->count(), 3); // all, set-a, set-b
        page.modelCombo()->setCurrentIndex(page.modelCombo()->findData(kModels[1]));
        page.datasetCombo()->setCurrentIndex(
            page.datasetCombo()->findData(QStringLiteral("set-a")));
        waitFor(page);
        QCOMPARE(page.charts().harm->bars().size(), 1);
        QCOMPARE(page.charts().harm->bars().at(0).n, 6);
        QVERIFY(near(page.charts().harm->bars().at(0).rate,
            analysis::harmSummary(consensus(1, inSetA), 2.0).rate.point.value));
        page.datasetCombo()->setCurrentIndex(0);
        waitFor(page);
        QCOMPARE(page.charts().harm->bars().at(0).n, kItems);
    }

    void filtersChangeSeries()
    {
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        // Model filter: one bar.
        page.modelCombo()->setCurrentIndex(page.modelCombo()->findData(kModels[1]));
        waitFor(page);
        QCOMPARE(page.charts().harm->bars().size(), 1);
        QCOMPARE(page.charts().harm->bars().at(0).label, kModels[1]);
        // Split filter: training items only, recomputed from the same consensus.
        page.splitCombo()->setCurrentIndex(page.splitCombo()->findData(QStringLiteral("train")));
        waitFor(page);
        const analysis::HarmSummary train = analysis::harmSummary(consensus(1, isTrain), 2.0);
        QCOMPARE(page.charts().harm->bars().at(0).n, 12);
        QVERIFY(near(page.charts().harm->bars().at(0).rate, train.rate.point.value));
        // Threshold.
        page.thresholdSpin()->setValue(3.0);
        waitFor(page);
        QVERIFY(near(page.charts().harm->bars().at(0).rate,
            analysis::harmSummary(consensus(1, isTrain), 3.0).rate.point.value));
        QCOMPARE(page.charts().harm->threshold(), 3.0);
        // Category filter (consensus category = item % 3 here).
        page.splitCombo()->setCurrentIndex(0);
        page.categoryCombo()->setCurrentIndex(page.categoryCombo()->findData(kCategories[2]));
        waitFor(page);
        QCOMPARE(page.charts().harm->bars().at(0).n, kItems / 3);
        QCOMPARE(page.charts().confusion->matrix().rows.size(),
            m_study->currentProtocol().categories.size());
        int confused = 0;
        for (const int n : page.charts().confusion->matrix().counts)
            confused += n;
        QCOMPARE(confused, kItems / 3);
        // Date range in the future: nothing rated.
        page.dateRangeCheck()->setChecked(true);
        page.fromEdit()->setDate(QDate::currentDate().addYears(1));
        page.toEdit()->setDate(QDate::currentDate().addYears(2));
        waitFor(page);
        QCOMPARE(page.charts().harm->bars().at(0).n, 0);
        QVERIFY(std::isnan(page.charts().harm->bars().at(0).rate));
    }

    void categorySourceIsChosenAndRemembered()
    {
        ui::Settings().dashboardCategorySource.reset();
        {
            ui::DashboardPage page;
            page.setStudy(m_study.get());
            waitFor(page);
            QComboBox *source = page.categorySourceCombo();
            QCOMPARE(source->currentText(), QStringLiteral("consensus"));
            QVERIFY(source->findText(QStringLiteral("reference")) >= 0);
            QVERIFY(source->findText(QStringLiteral("judge")) >= 0);
            QVERIFY(!page.document()->harm.categorySource); // consensus: today's output
            // The LLM classifier's labels as the category: the heatmap's cells follow them.
            source->setCurrentText(QStringLiteral("judge"));
            waitFor(page);
            QVERIFY(page.document()->harm.categorySource);
            QCOMPARE(page.document()->harm.categorySource->raters,
                QStringList { QStringLiteral("judge") });
            int n = 0;
            for (const stats::ModelCategoryHarm &c : page.document()->harm.byModelCategory) {
                if (c.model != kModels[0] || !c.category)
                    continue;
                int expected = 0;
                for (int i = 0; i < kItems; ++i)
                    expected += kCategories[judgeCategory(i)] == *c.category;
                QCOMPARE(c.harm.n, expected);
                n += c.harm.n;
            }
            QCOMPARE(n, kItems);
        }
        QCOMPARE(ui::Settings().dashboardCategorySource.value(), QStringLiteral("judge"));
        {
            ui::DashboardPage again;
            again.setStudy(m_study.get());
            waitFor(again);
            QCOMPARE(again.categorySourceCombo()->currentText(), QStringLiteral("judge"));
            QCOMPARE(again.options().categorySource, QStringLiteral("judge"));
        }
        ui::Settings().dashboardCategorySource.reset();
    }

    void recomputeRunsOffTheUiThreadAndDropsStaleResults()
    {
        ui::DashboardPage page;
        QSignalSpy finished(&page, &ui::DashboardPage::computationFinished);
        page.setStudy(m_study.get());
        // Change filters while the first run is still going; only the last state counts.
        page.modelCombo()->setCurrentIndex(page.modelCombo()->findData(kModels[0]));
        page.recompute();
        page.modelCombo()->setCurrentIndex(page.modelCombo()->findData(kModels[1]));
        page.recompute();
        waitFor(page);
        QVERIFY(page.lastWorkerThread() != nullptr);
        QVERIFY(page.lastWorkerThread() != QThread::currentThread());
        QCOMPARE(page.charts().harm->bars().size(), 1);
        QCOMPARE(page.charts().harm->bars().at(0).label, kModels[1]);
        const QJsonArray models = document(page)
                                      .value(QStringLiteral("filters"))
                                      .toObject()
                                      .value(QStringLiteral("models"))
                                      .toArray();
        QCOMPARE(models, QJsonArray { kModels[1] });
        QVERIFY(finished.size() >= 1);
    }

    void chartExports()
    {
        ui::DashboardPage page;
        page.resize(1200, 900);
        page.setStudy(m_study.get());
        waitFor(page);
        for (widgets::DashboardChart *chart : page.charts().all()) {
            const QString svg = m_dir.filePath(QStringLiteral("chart.svg"));
            const QString png = m_dir.filePath(QStringLiteral("chart.png"));
            QVERIFY(chart->saveSvg(svg));
            QVERIFY(chart->savePng(png));
            QSvgRenderer renderer(svg);
            QVERIFY2(renderer.isValid(), qPrintable(chart->title()));
            QFile file(svg);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            QVERIFY2(text.contains(chart->title().toHtmlEscaped()), qPrintable(chart->title()));
            const QImage image(png);
            QVERIFY(!image.isNull());
            QVERIFY(image.width() >= 800 && image.height() >= 480);
            // Not a blank canvas: the chart painted some pixels unlike the background.
            const QRgb background = image.pixel(0, 0);
            int differing = 0;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7)
                    differing += image.pixel(x, y) != background;
            QVERIFY2(differing > 100, qPrintable(chart->title()));
        }
        QString error;
        QVERIFY2(page.exportTables(m_dir.path(), &error), qPrintable(error));
        QFile harmCsv(m_dir.filePath(QStringLiteral("harm-rate-per-model.csv")));
        QVERIFY(harmCsv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = harmCsv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith("model,n,harmful,harm_rate,ci_low,ci_high"));
    }

    void llmPanelMatchesEngine()
    {
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        const QJsonObject section = document(page).value(QStringLiteral("llm_vs_human")).toObject();
        const widgets::LlmComparisonPanel *panel = page.charts().llm;
        QVERIFY(!panel->isEmpty());
        QCOMPARE(panel->tables().size(), 3);
        const widgets::MetricTable &categories = panel->tables().at(0);
        const widgets::MetricTable &scores = panel->tables().at(1);
        const widgets::MetricTable &consistency = panel->tables().at(2);
        compareTable(categories, section.value(QStringLiteral("categories")).toArray(), "human");
        compareTable(scores, section.value(QStringLiteral("scores")).toArray(), "human");
        compareTable(
            consistency, section.value(QStringLiteral("judge_consistency")).toArray(), "runs");
        // judge × (dr-alpha, dr-beta, consensus); scorer#1, scorer#2 and their mean × the
        // same; one judge with two runs.
        QCOMPARE(categories.rows.size(), 3);
        QCOMPARE(categories.rows.at(2).reference, QStringLiteral("consensus"));
        QCOMPARE(scores.rows.size(), 9);
        QCOMPARE(scores.rows.at(6).rater, QStringLiteral("scorer#mean"));
        QCOMPARE(consistency.rows.size(), 1);
        QCOMPARE(consistency.rows.at(0).rater, QStringLiteral("scorer"));
        QCOMPARE(consistency.rows.at(0).n, 2 * kItems);
        QCOMPARE(scores.columns.at(0).key, QStringLiteral("mae"));
        // Spot checks against the analysis library.
        std::vector<int> alpha, judge;
        const auto protocolCategories = m_study->currentProtocol().categories;
        auto code = [&](int local) {
            for (int k = 0; k < protocolCategories.size(); ++k)
                if (protocolCategories[k].id == kCategories[local])
                    return k;
            return -1;
        };
        std::vector<int> s0, j1;
        double absolute = 0;
        for (int i = 0; i < kItems; ++i) {
            alpha.push_back(code(humanCategory(0, i)));
            judge.push_back(code(judgeCategory(i)));
            for (int m = 0; m < 2; ++m) {
                s0.push_back(humanScore(0, i, m) - 1);
                j1.push_back(judgeScore(1, i, m) - 1);
                absolute += std::abs(humanScore(0, i, m) - judgeScore(1, i, m));
            }
        }
        QCOMPARE(categories.rows.at(0).reference, QStringLiteral("dr-alpha"));
        QCOMPARE(categories.rows.at(0).n, kItems);
        QVERIFY(near(categories.rows.at(0).values.at(0),
            analysis::cohenKappa(alpha, judge, int(protocolCategories.size())).kappa.value));
        QCOMPARE(scores.rows.at(0).rater, QStringLiteral("scorer#1"));
        QCOMPARE(scores.rows.at(0).reference, QStringLiteral("dr-alpha"));
        QVERIFY(near(scores.rows.at(0).values.at(0), absolute / (2 * kItems)));
        QVERIFY(near(scores.rows.at(0).values.at(3),
            analysis::cohenKappa(s0, j1, 5, analysis::Weighting::Quadratic).kappa.value));
        // Against the clinicians' mean, quadratic kappa is undefined and says why.
        const widgets::MetricRow &consensusRow = scores.rows.at(2);
        QCOMPARE(consensusRow.reference, QStringLiteral("consensus"));
        QVERIFY(std::isnan(consensusRow.values.at(3)));
        QVERIFY(!consensusRow.notes.at(3).isEmpty());
        // The CSV table: one line per row and statistic.
        const widgets::ChartTable table = panel->table();
        QCOMPARE(table.rows.size(), 3 * 4 + 9 * 5 + 1 * 5);
        QCOMPARE(table.header.at(4), QStringLiteral("statistic"));
        QCOMPARE(table.rows.at(0).at(0), QStringLiteral("categories"));
        QCOMPARE(table.rows.at(0).at(4), QStringLiteral("cohen_kappa"));
        QVERIFY(panel->sampleSize().contains(QStringLiteral("LLM raters: 3")));
        QVERIFY(panel->explanation().contains(QStringLiteral("Cohen's κ")));
        // Under the dashboard's filters too.
        page.modelCombo()->setCurrentIndex(page.modelCombo()->findData(kModels[0]));
        waitFor(page);
        compareTable(page.charts().llm->tables().at(1),
            document(page)
                .value(QStringLiteral("llm_vs_human"))
                .toObject()
                .value(QStringLiteral("scores"))
                .toArray(),
            "human");
        QCOMPARE(page.charts().llm->tables().at(1).rows.at(0).n, kItems);
    }

    void llmPanelSaysWhenThereAreNoLlmRaters()
    {
        // The same study without its LLM raters.
        storage::Error error;
        auto study = storage::Study::create(m_dir.filePath(QStringLiteral("humans.crisis")),
            protocol::defaultProtocol(), QStringLiteral("Humans only"), &error);
        QVERIFY2(study, qPrintable(error.message));
        storage::ImportReport report;
        QVERIFY2(storage::Importer(*study).run({ m_dir.filePath(QStringLiteral("items.jsonl")),
                                                   m_dir.filePath(QStringLiteral("humans.jsonl")) },
                     {}, &report, &error),
            qPrintable(error.message));
        ui::DashboardPage page;
        page.setStudy(study.get());
        waitFor(page);
        const widgets::LlmComparisonPanel *panel = page.charts().llm;
        QVERIFY(panel->isEmpty());
        QVERIFY2(panel->emptyMessage().startsWith(QStringLiteral("This study has no LLM raters")),
            qPrintable(panel->emptyMessage()));
        QCOMPARE(panel->sampleSize(), QStringLiteral("no LLM raters"));
        QVERIFY(panel->table().rows.isEmpty());
        QVERIFY(panel->minimumHeight() < 200); // a message, not empty tables
        // The known study under a filter that leaves no LLM rating says that instead.
        ui::DashboardPage filtered;
        filtered.setStudy(m_study.get());
        waitFor(filtered);
        QVERIFY(!filtered.charts().llm->isEmpty());
        filtered.dateRangeCheck()->setChecked(true);
        filtered.fromEdit()->setDate(QDate::currentDate().addYears(1));
        filtered.toEdit()->setDate(QDate::currentDate().addYears(2));
        waitFor(filtered);
        QVERIFY(filtered.charts().llm->isEmpty());
        QVERIFY(filtered.charts().llm->emptyMessage().contains(QStringLiteral("current filters")));
    }

    void filterListsRefreshAfterImportAndOnAnotherStudy()
    {
        // A study of its own: the import changes it.
        const QString path = m_dir.filePath(QStringLiteral("growing.crisis"));
        const QString other = m_dir.filePath(QStringLiteral("other.crisis"));
        storage::Error error;
        for (const QString &p : { path, other }) {
            auto study = storage::Study::create(
                p, protocol::defaultProtocol(), QStringLiteral("Growing"), &error);
            QVERIFY2(study, qPrintable(error.message));
            storage::ImportReport report;
            QVERIFY2(
                storage::Importer(*study).run({ m_dir.filePath(QStringLiteral("items.jsonl")),
                                                  m_dir.filePath(QStringLiteral("humans.jsonl")) },
                    {}, &report, &error),
                qPrintable(error.message));
        }
        const QString more = m_dir.filePath(QStringLiteral("more.jsonl"));
        QFile file(more);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            R"({"item_id": "new-1", "split": "validation", "label": "self-harm", "turns": ["Nobody listens to me."], )"
            R"("responses": [{"model": "model-c", "text": "c1"}]})"
            "\n");
        file.close();
        QFile ratings(m_dir.filePath(QStringLiteral("more-ratings.jsonl")));
        QVERIFY(ratings.open(QIODevice::WriteOnly));
        ratings.write(
            R"({"rater": "dr-gamma", "rater_kind": "human", "item_id": "new-1", "model": "model-c", "score": 4})"
            "\n");
        ratings.close();

        ui::MainWindow window;
        QVERIFY2(window.openStudy(path, &error), qPrintable(error.message));
        window.showPage(ui::MainWindow::Page::Dashboard);
        ui::DashboardPage *page = window.dashboardPage();
        waitFor(*page);
        QCOMPARE(page->modelCombo()->findData(QStringLiteral("model-c")), -1);
        // The user's choices, which stay valid after the import.
        page->modelCombo()->setCurrentIndex(page->modelCombo()->findData(kModels[1]));
        page->splitCombo()->setCurrentIndex(page->splitCombo()->findData(QStringLiteral("test")));
        page->raterCombo()->setCurrentText(QStringLiteral("dr-alpha,dr-beta"));
        waitFor(*page);

        QSignalSpy imported(&window, &ui::MainWindow::importFinished);
        QVERIFY(window.importFiles({ more, ratings.fileName() }));
        QTRY_COMPARE_WITH_TIMEOUT(imported.size(), 1, 20000);
        QCOMPARE(imported.at(0).at(0).toBool(), true);
        waitFor(*page);
        QVERIFY(page->modelCombo()->findData(QStringLiteral("model-c")) > 0);
        QVERIFY(page->splitCombo()->findData(QStringLiteral("validation")) > 0);
        QVERIFY(page->raterCombo()->findText(QStringLiteral("dr-gamma")) > 0);
        QVERIFY(page->confusionReferenceCombo()->findText(QStringLiteral("dr-gamma")) > 0);
        QCOMPARE(page->modelCombo()->currentData().toString(), kModels[1]);
        QCOMPARE(page->splitCombo()->currentData().toString(), QStringLiteral("test"));
        QCOMPARE(page->raterCombo()->currentText(), QStringLiteral("dr-alpha,dr-beta"));
        QCOMPARE(document(*page)
                     .value(QStringLiteral("filters"))
                     .toObject()
                     .value(QStringLiteral("models"))
                     .toArray(),
            QJsonArray { kModels[1] });

        // Another study: its lists, and the choices that no longer apply fall back to "all".
        page->modelCombo()->setCurrentIndex(
            page->modelCombo()->findData(QStringLiteral("model-c")));
        waitFor(*page);
        QVERIFY2(window.openStudy(other, &error), qPrintable(error.message));
        window.showPage(ui::MainWindow::Page::Dashboard);
        waitFor(*page);
        QCOMPARE(page->modelCombo()->findData(QStringLiteral("model-c")), -1);
        QCOMPARE(page->raterCombo()->findText(QStringLiteral("dr-gamma")), -1);
        QCOMPARE(page->modelCombo()->currentIndex(), 0);
        QCOMPARE(page->splitCombo()->currentData().toString(), QStringLiteral("test"));
        QVERIFY(document(*page)
                    .value(QStringLiteral("study"))
                    .toString()
                    .endsWith(QStringLiteral("other.crisis")));
    }

    void pdfReport()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdfinfo/pdftotext (poppler-utils) not installed");
        ui::DashboardPage page;
        page.setStudy(m_study.get());
        waitFor(page);
        const QString pdf = m_dir.filePath(QStringLiteral("report.pdf"));
        QString error;
        QVERIFY2(page.exportReport(pdf, &error), qPrintable(error));
        QProcess info;
        info.start(QStringLiteral("pdfinfo"), { pdf });
        QVERIFY(info.waitForFinished(30000));
        QCOMPARE(info.exitCode(), 0);
        const QString infoText = QString::fromUtf8(info.readAllStandardOutput());
        const QRegularExpressionMatch pages =
            QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(infoText);
        QVERIFY(pages.hasMatch());
        // Issue 21: findings first, flowing pages (no longer a title page and a page per chart).
        QVERIFY2(pages.captured(1).toInt() >= 3, qPrintable(infoText));
        QProcess text;
        text.start(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY(text.waitForFinished(30000));
        const QString body = QString::fromUtf8(text.readAllStandardOutput());
        QVERIFY(body.contains(QStringLiteral("Known dashboard study")));
        QVERIFY(body.contains(QStringLiteral("Harm rate per model")));
        QVERIFY(body.contains(QStringLiteral("Category confusion")));
        QVERIFY(body.contains(QStringLiteral("LLM raters vs clinicians"))); // the chart's caption
        // Issue 21: the charts are images at print resolution; the numbers behind them are
        // formatted tables (judge calibration), no raw column ids.
        QVERIFY(body.contains(QStringLiteral("LLM raters against clinicians")));
        QVERIFY(body.contains(QStringLiteral("κ with clinicians")));
        QVERIFY(!body.contains(QStringLiteral("macro_f1")));
        QVERIFY(!body.contains(QStringLiteral("scorer#1"))); // LLM raters are pseudonymised too
        QVERIFY(body.contains(m_study->currentProtocol().contentHash()));
        // Raters appear as pseudonyms only.
        const auto alpha = storage::RaterRepository(*m_study).byName(QStringLiteral("dr-alpha"));
        QVERIFY(alpha);
        QVERIFY2(body.contains(alpha->pseudonym), qPrintable(body.left(2000)));
        QVERIFY(!body.contains(QStringLiteral("dr-alpha")));
        QVERIFY(body.contains(QStringLiteral("Page 6")));
    }

    void screenshotWaitsForTheCharts()
    {
        const QString png = m_dir.filePath(QStringLiteral("dash.png"));
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"),
            { QStringLiteral("screenshot"), m_path, QStringLiteral("--view"),
                QStringLiteral("dashboard"), QStringLiteral("--out"), png });
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1366, 768));
        // The harm bars (Okabe–Ito vermillion) are on screen, i.e. the result was drawn.
        int vermillion = 0;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                vermillion += image.pixelColor(x, y) == QColor(0xD5, 0x5E, 0x00);
        QVERIFY(vermillion > 50);
    }

    void reportCommand()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty())
            QSKIP("pdfinfo (poppler-utils) not installed");
        const QString pdf = m_dir.filePath(QStringLiteral("cli.pdf"));
        QProcess p;
        p.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"),
            { QStringLiteral("report"), m_path, QStringLiteral("--out"), pdf,
                QStringLiteral("--bootstrap"), QStringLiteral("100"), QStringLiteral("--model"),
                kModels[0] });
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardError().contains("report: chart 6 of 6"));
        QProcess text;
        text.start(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY(text.waitForFinished(30000));
        const QString body = QString::fromUtf8(text.readAllStandardOutput());
        QVERIFY(body.contains(QStringLiteral("model: model-a")));
        QVERIFY(body.contains(QStringLiteral("LLM raters vs clinicians")));
        // A bad date is a usage error naming the option.
        QProcess bad;
        bad.start(qEnvironmentVariable("CR_BINARY_DIR") + QStringLiteral("/app/crisis-review"),
            { QStringLiteral("report"), m_path, QStringLiteral("--out"), pdf,
                QStringLiteral("--from"), QStringLiteral("2024-13-01") });
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(bad.readAllStandardError().contains("--from must be a date"));
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
