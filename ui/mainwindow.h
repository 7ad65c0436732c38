#pragma once

#include <QMainWindow>

namespace cr::ui {

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace cr::ui
