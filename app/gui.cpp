#include "app/gui.h"

#include "app/cli.h"
#include "ui/mainwindow.h"

#include <QApplication>

namespace cr::app {

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CrisisReview"));
    QApplication::setApplicationName(QStringLiteral("crisis-review"));
    QApplication::setApplicationVersion(QStringLiteral(CR_VERSION));
    ui::MainWindow window;
    window.show();
    return app.exec();
}

} // namespace cr::app
