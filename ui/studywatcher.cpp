#include "ui/studywatcher.h"

#include "storage/changes.h"
#include "storage/study.h"

#include <QSqlDriver>
#include <QTimer>

namespace cr::ui {

StudyWatcher::StudyWatcher(storage::Study *study, QObject *parent)
    : QObject(parent)
    , m_study(study)
    , m_poll(new QTimer(this))
    , m_debounce(new QTimer(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(1000);
    connect(m_debounce, &QTimer::timeout, this, &StudyWatcher::changed);
    m_listening = storage::changes::subscribe(*m_study);
    if (m_listening) {
        connect(m_study->database().driver(), &QSqlDriver::notification, this,
            [this](const QString &name) {
                if (name == storage::changes::channel && !m_debounce->isActive())
                    m_debounce->start();
            });
        return;
    }
    m_stamp = storage::changes::stamp(*m_study);
    m_poll->setInterval(2000);
    connect(m_poll, &QTimer::timeout, this, &StudyWatcher::poll);
    m_poll->start();
}

int StudyWatcher::pollInterval() const
{
    return m_poll->interval();
}

void StudyWatcher::setPollInterval(int milliseconds)
{
    m_poll->setInterval(milliseconds);
}

void StudyWatcher::setDebounce(int milliseconds)
{
    m_debounce->setInterval(milliseconds);
}

void StudyWatcher::poll()
{
    const qint64 stamp = storage::changes::stamp(*m_study);
    if (stamp == m_stamp || stamp < 0)
        return;
    m_stamp = stamp;
    if (!m_debounce->isActive())
        m_debounce->start();
}

} // namespace cr::ui
