#pragma once

#include <QChar>
#include <QList>
#include <QString>
#include <QWidget>

class QAbstractButton;
class QButtonGroup;

namespace cr::widgets {

/// Picks one crisis category for an input: one checkable button per category,
/// labelled with its name and key, its description as the tooltip. A click only
/// asks for a category (categoryRequested); the shown choice changes through
/// setCategory(), so the owner can acknowledge a value once it is stored.
/// Knows nothing about studies or protocols. GUI thread only.
class CategoryPicker final : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        QString id;
        QString name;
        QString description;
        QChar key;
    };

    explicit CategoryPicker(QWidget *parent = nullptr);

    void setEntries(const QList<Entry> &entries);
    QList<Entry> entries() const { return m_entries; }

    /// The highlighted category id; empty for none.
    QString category() const { return m_category; }
    void setCategory(const QString &id);

    QAbstractButton *button(const QString &id) const;

    /// Buttons per row (2 by default).
    void setColumnCount(int columns);
    int columnCount() const { return m_columns; }

signals:
    void categoryRequested(const QString &id);

protected:
    void changeEvent(QEvent *event) override;

private:
    void syncButtons();
    /// Every button as wide as its bold (chosen) text, so choosing one never widens
    /// the picker and the layout around it does not jump.
    void reserveChosenWidth();
    void placeButtons();

    QList<Entry> m_entries;
    QList<QAbstractButton *> m_buttons;
    QString m_category;
    int m_columns = 2;
};

} // namespace cr::widgets
