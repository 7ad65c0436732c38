#include "ui/mainwindow.h"

namespace cr::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Crisis Review"));
}

} // namespace cr::ui
