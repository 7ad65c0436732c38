#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

class QAbstractButton;

namespace cr::widgets {

/// A 1–5 scale with the level names plus "cannot assess", for one response.
/// A click only asks for a value (valueRequested); the highlighted value changes
/// through setValue(), so the owner can acknowledge it once stored. GUI thread only.
class LikertSelector final : public QWidget {
    Q_OBJECT
public:
    /// Values: NoValue (nothing chosen), CannotAssess, or a level 1..5.
    static constexpr int NoValue = -1;
    static constexpr int CannotAssess = 0;

    explicit LikertSelector(QWidget *parent = nullptr);

    /// Names of levels 1..5 (index 0 is level 1).
    void setLevelNames(const QStringList &names);
    QStringList levelNames() const { return m_names; }

    int value() const { return m_value; }
    void setValue(int value);

    /// The button for a value (CannotAssess or 1..5).
    QAbstractButton *button(int value) const;

signals:
    void valueRequested(int value);

protected:
    void changeEvent(QEvent *event) override;

private:
    void syncButtons();

    QStringList m_names;
    QList<QAbstractButton *> m_buttons; // index 0 = cannot assess, 1..5 = levels
    int m_value = NoValue;
};

} // namespace cr::widgets
