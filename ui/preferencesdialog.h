#pragma once

#include <QDialog>

class QCheckBox;
class QSpinBox;

namespace cr::ui {

/// Edit ▸ Preferences…: the rater-care settings (break reminder after N items or M
/// minutes, blurred text by default, the content note at each session). Shows the
/// stored values (ui/settings.h) and writes them back when accepted; Cancel changes
/// nothing; Restore Defaults fills in the defaults (25 items / 45 minutes, no blur,
/// note at every session). GUI thread only.
class PreferencesDialog final : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    QSpinBox *breakItemsBox() const { return m_breakItems; }
    QSpinBox *breakMinutesBox() const { return m_breakMinutes; }
    QCheckBox *blurBox() const { return m_blur; }
    QCheckBox *contentNoteBox() const { return m_contentNote; }
    QCheckBox *reopenBox() const { return m_reopen; }

    /// Writes the shown values to the settings (what OK does).
    void save();
    void restoreDefaults();

private:
    void load();

    QSpinBox *m_breakItems;
    QSpinBox *m_breakMinutes;
    QCheckBox *m_blur;
    QCheckBox *m_contentNote;
    QCheckBox *m_reopen;
};

} // namespace cr::ui
