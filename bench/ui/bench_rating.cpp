// Rating page timings on a real study: open → first item shown, and next item shown.
// Usage: bench_rating STUDY RATER [ITEMS=300]     (run offscreen; see bench/rating_bench.sh)
#include "storage/error.h"
#include "ui/mainwindow.h"
#include "ui/ratingpage.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <vector>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3) {
        std::fputs("usage: bench_rating STUDY RATER [ITEMS]\n", stderr);
        return 1;
    }
    const int steps = args.size() > 3 ? args[3].toInt() : 300;

    QElapsedTimer timer;
    timer.start();
    cr::ui::MainWindow window;
    window.resize(1366, 768);
    window.show();
    cr::storage::Error error;
    if (!window.openStudyAs(args[1], args[2], &error)) {
        std::fprintf(stderr, "bench_rating: %s\n", error.message.toUtf8().constData());
        return 3;
    }
    QCoreApplication::processEvents();
    window.repaint(); // synchronous paint: the first item is on screen
    const double firstMs = double(timer.nsecsElapsed()) / 1e6;

    cr::ui::RatingPage *page = window.ratingPage();
    std::vector<double> next;
    for (int i = 0; i < steps && page->currentIndex() + 1 < page->itemCount(); ++i) {
        timer.restart();
        page->nextItemAction()->trigger();
        QCoreApplication::processEvents();
        window.repaint();
        next.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(next.begin(), next.end());
    auto pct = [&](double p) {
        return next.empty() ? 0.0
                            : next[std::min(next.size() - 1, std::size_t(p * double(next.size())))];
    };
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("open to first item shown: %.1f ms\n", firstMs);
    std::printf("next item shown (%zu steps): median %.2f ms, p95 %.2f ms, max %.2f ms\n",
        next.size(), pct(0.5), pct(0.95), next.empty() ? 0.0 : next.back());
    std::printf("peak RSS: %ld MB\n", usage.ru_maxrss / 1024);
    return 0;
}
