// Dashboard timings on a real study: open the page → every chart drawn, a filter
// change → redrawn, and the PDF report. Optionally saves a screenshot (light or dark).
// Usage: bench_dashboard STUDY [--dark] [--screenshot FILE.png] [--size WxH]
// (run offscreen; see bench/dashboard_bench.sh)
#include "storage/error.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPalette>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cstdio>

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1d, 0x1f, 0x21));
    p.setColor(QPalette::AlternateBase, QColor(0x2c, 0x2e, 0x31));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x33, 0x35, 0x38));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x60));
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

/// Waits until the page has drawn the result of its current computation.
void waitForCharts(cr::ui::DashboardPage *page)
{
    if (!page->isComputing())
        return;
    QEventLoop loop;
    QObject::connect(page, &cr::ui::DashboardPage::computationFinished, &loop, &QEventLoop::quit);
    QObject::connect(page, &cr::ui::DashboardPage::computationFailed, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        std::fputs(
            "usage: bench_dashboard STUDY [--dark] [--screenshot FILE.png] [--size WxH]\n", stderr);
        return 1;
    }
    if (args.contains(QLatin1String("--dark")))
        QApplication::setPalette(darkPalette());
    const qsizetype shotAt = args.indexOf(QLatin1String("--screenshot"));
    const qsizetype sizeAt = args.indexOf(QLatin1String("--size"));
    QSize size(1366, 768);
    if (sizeAt > 0 && sizeAt + 1 < args.size()) {
        const QStringList wh = args[sizeAt + 1].split(QLatin1Char('x'));
        size = QSize(wh.value(0).toInt(), wh.value(1).toInt());
    }

    cr::ui::MainWindow window;
    window.resize(size);
    window.show();
    cr::storage::Error error;
    if (!window.openStudy(args[1], &error)) {
        std::fprintf(stderr, "bench_dashboard: %s\n", error.message.toUtf8().constData());
        return 3;
    }
    QCoreApplication::processEvents();
    cr::ui::DashboardPage *page = window.dashboardPage();

    QElapsedTimer timer;
    timer.start();
    window.showPage(cr::ui::MainWindow::Page::Dashboard);
    waitForCharts(page);
    window.repaint(); // synchronous paint: every chart on screen
    const double openMs = double(timer.nsecsElapsed()) / 1e6;

    if (shotAt > 0 && shotAt + 1 < args.size()) {
        QCoreApplication::processEvents();
        window.grab().save(args[shotAt + 1], "PNG");
    }

    timer.restart();
    page->modelCombo()->setCurrentIndex(1);
    waitForCharts(page);
    window.repaint();
    const double filterMs = double(timer.nsecsElapsed()) / 1e6;
    page->modelCombo()->setCurrentIndex(0);
    waitForCharts(page);

    QTemporaryDir dir;
    QString message;
    timer.restart();
    const bool ok = page->exportReport(dir.filePath(QStringLiteral("report.pdf")), &message);
    const double pdfMs = double(timer.nsecsElapsed()) / 1e6;
    if (!ok) {
        std::fprintf(stderr, "bench_dashboard: %s\n", message.toUtf8().constData());
        return 3;
    }
    std::printf("open to all charts drawn: %.1f ms\n", openMs);
    std::printf("filter change to redrawn: %.1f ms\n", filterMs);
    std::printf("PDF report written: %.1f ms\n", pdfMs);
    return 0;
}
