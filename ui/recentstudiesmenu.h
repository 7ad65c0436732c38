#pragma once

#include <QMenu>

namespace cr::ui {

/// File ▸ Open Recent: the recent studies from Settings, numbered for the
/// keyboard, rebuilt whenever it is about to show. GUI thread only.
class RecentStudiesMenu final : public QMenu {
    Q_OBJECT
public:
    explicit RecentStudiesMenu(QWidget *parent = nullptr);

signals:
    void studyActivated(const QString &path);
    /// "Clear List" was chosen (the settings are already cleared).
    void listCleared();

private:
    void rebuild();
};

} // namespace cr::ui
