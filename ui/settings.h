#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <utility>

namespace cr::ui {

/// One typed value in the application's QSettings (cf. qBittorrent's SettingValue<T>,
/// Tiled's Preference<T>). Reads and writes go straight to QSettings, so two
/// instances with the same key always agree. GUI thread only.
template<typename T> class SettingValue final {
public:
    SettingValue(QString key, T defaultValue = T {})
        : m_key(std::move(key))
        , m_default(std::move(defaultValue))
    {
    }

    T value() const
    {
        const QVariant v = QSettings().value(m_key);
        return v.isValid() && v.canConvert<T>() ? v.value<T>() : m_default;
    }
    void setValue(const T &value) { QSettings().setValue(m_key, QVariant::fromValue(value)); }
    void reset() { QSettings().remove(m_key); }
    bool isSet() const { return QSettings().contains(m_key); }
    QString key() const { return m_key; }
    const T &defaultValue() const { return m_default; }

    operator T() const { return value(); }
    SettingValue &operator=(const T &value)
    {
        setValue(value);
        return *this;
    }

private:
    QString m_key;
    T m_default;
};

/// The app's preferences; the only place that knows QSettings keys.
/// Cheap to construct: make one where needed. GUI thread only.
class Settings final {
public:
    static constexpr int maxRecentStudies = 10;

    Settings();

    SettingValue<QByteArray> mainWindowGeometry;
    SettingValue<QByteArray> mainWindowState;
    /// The study open when the app last quit (reopened on start).
    SettingValue<QString> lastStudy;
    /// The rater who last signed in (preselected in the rater picker).
    SettingValue<QString> lastRater;
    /// The rater has read the note about distressing content.
    SettingValue<bool> contentNoteAcknowledged;
    /// The content note opens every rating session (default), not only until acknowledged once.
    SettingValue<bool> contentNoteEachSession;
    /// Crisis messages and responses stay blurred until the rater reveals them.
    SettingValue<bool> blurText;
    /// A break reminder after this many items or minutes of rating (0 = never).
    SettingValue<int> breakAfterItems;
    SettingValue<int> breakAfterMinutes;
    /// The folder of the last export (File ▸ Export… starts there).
    SettingValue<QString> lastExportFolder;
    /// The dataset last chosen in the export dialog and on the dashboard (empty = all).
    SettingValue<QString> lastDataset;
    /// Export dialog: CSV cells as they are, without the ' before formula-like cells.
    SettingValue<bool> exportRawCells;
    /// The review queue's "scored harmful by anyone" threshold (1–5, PROTOCOL.md §5).
    SettingValue<double> reviewHarmThreshold;
    /// The dashboard's category source for harm by category ("consensus", "reference" or
    /// rater names separated by commas; storage::CategorySource).
    SettingValue<QString> dashboardCategorySource;
    /// The rating page's checklists stay open from item to item (else closed at each item).
    SettingValue<bool> checklistPinned;
    /// Started without a study, the app reopens the last one (else the welcome screen).
    SettingValue<bool> reopenLastStudy;

    /// Most recent first, at most maxRecentStudies, no duplicates.
    QStringList recentStudies() const;
    /// Moves `path` to the front of the recent list.
    void addRecentStudy(const QString &path);
    void removeRecentStudy(const QString &path);
    void clearRecentStudies();

private:
    SettingValue<QStringList> m_recentStudies;
};

} // namespace cr::ui
