#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QPlainTextEdit;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace cr::widgets {

/// The optional part of a response's rating: checklist ticks behind a collapsible
/// "Checklist ▸" row, and a free-text rationale. Shows values, requests changes:
/// checklistRequested() carries the whole wanted tick list, rationaleCommitted() the
/// text once the rater leaves the field, presses Escape or stops typing for
/// idleMilliseconds(). While the rationale has focus, plain keys go to it and never
/// trigger single-key window shortcuts. Knows nothing about studies. GUI thread only.
class ResponseNotes final : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        QString id;
        QString text;
        friend bool operator==(const Entry &, const Entry &) = default;
    };

    explicit ResponseNotes(QWidget *parent = nullptr);

    /// The checklist items to offer, in order; ticked ids not listed are kept.
    void setEntries(const QList<Entry> &entries);
    QList<Entry> entries() const { return m_entries; }
    QStringList checked() const { return m_checked; }
    void setChecked(const QStringList &ids);

    QString rationale() const;
    /// Shows the stored rationale unless the rater is editing it.
    void setRationale(const QString &text);
    /// Commits a pending rationale edit now (before the page moves elsewhere).
    void commitRationale();

    /// Checklist and rationale are editable only with a score (they are stored with it).
    void setEditable(bool editable);
    bool isEditable() const { return m_editable; }

    bool isChecklistExpanded() const;
    void setChecklistExpanded(bool expanded);
    /// "Keep open": the checklist stays expanded from item to item (the page remembers
    /// it); shown while the checklist is open. Setting it emits nothing.
    bool isChecklistPinned() const;
    void setChecklistPinned(bool pinned);
    QToolButton *pinButton() const { return m_pin; }

    int idleMilliseconds() const;
    void setIdleMilliseconds(int ms);

    QPlainTextEdit *rationaleEdit() const { return m_rationale; }
    QToolButton *checklistButton() const { return m_toggle; }
    QList<QCheckBox *> checkBoxes() const { return m_boxes; }

signals:
    void checklistRequested(const QStringList &ids);
    void rationaleCommitted(const QString &text);
    /// Escape in the rationale field: the page returns focus to the card.
    void escapePressed();
    /// The rater entered the rationale field (the page makes this card current).
    void rationaleFocused();
    /// The rater pinned or unpinned the checklist open.
    void checklistPinToggled(bool pinned);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateToggleText();
    void renderChecks();

    QToolButton *m_toggle;
    QToolButton *m_pin;
    QWidget *m_checks;
    QVBoxLayout *m_checksLayout;
    QPlainTextEdit *m_rationale;
    QTimer *m_idle;
    QList<Entry> m_entries;
    QList<QCheckBox *> m_boxes;
    QStringList m_checked;
    QString m_committed;
    bool m_editable = true;
    bool m_settingText = false;
};

} // namespace cr::widgets
