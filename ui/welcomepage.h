#pragma once

#include <QWidget>

class QTreeWidget;
class QPushButton;

namespace cr::widgets {
class MessageBanner;
}

namespace cr::ui {

/// Shown when no study is open: what the app does, how to start, recent studies.
/// Holds no state of its own beyond the list it is given. GUI thread only.
class WelcomePage final : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    /// Most recent first; files that no longer exist are listed as missing.
    void setRecentStudies(const QStringList &paths);
    QStringList recentStudies() const;
    QTreeWidget *recentList() const { return m_recent; }

    /// Shows a problem (e.g. a study that could not be opened) above the buttons.
    void showError(const QString &message);
    void clearError();
    QString errorText() const;

signals:
    void newStudyRequested();
    void openStudyRequested();
    void demoStudyRequested();
    void recentStudyActivated(const QString &path);
    void recentStudyRemoved(const QString &path);

private:
    void removeSelectedRecent();

    widgets::MessageBanner *m_error;
    void fitRecentList();

    QTreeWidget *m_recent;
    QWidget *m_recentBox;
    QPushButton *m_newButton;
};

} // namespace cr::ui
