#pragma once

#include <QObject>

class QTimer;

namespace cr::storage {
class Study;
}

namespace cr::ui {

/// Says when someone (another app instance, another site) wrote to the open study, so the
/// researcher's study overview and dashboard can refresh live (issue 17 item 4). On a
/// server it listens (LISTEN/NOTIFY through QSqlDriver::subscribeToNotification: nothing
/// is asked of the server meanwhile, so the window never waits for it); on a file it
/// polls storage::changes::stamp() (a primary-key lookup) every pollInterval(). Bursts
/// of writes give one changed() per debounce interval. GUI thread only.
class StudyWatcher final : public QObject {
    Q_OBJECT
public:
    /// Watches `study` (not owned; must outlive the watcher).
    explicit StudyWatcher(storage::Study *study, QObject *parent = nullptr);

    bool isListening() const { return m_listening; }
    int pollInterval() const;
    void setPollInterval(int milliseconds);
    void setDebounce(int milliseconds);

signals:
    void changed();

private:
    void poll();

    storage::Study *m_study;
    QTimer *m_poll;
    QTimer *m_debounce;
    qint64 m_stamp = -1;
    bool m_listening = false;
};

} // namespace cr::ui
