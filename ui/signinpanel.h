#pragma once

#include <QGroupBox>

class QComboBox;
class QLabel;
class QPushButton;

namespace cr::storage {
class Study;
}

namespace cr::ui {

/// The study overview's "Rate" box: pick a human rater ("Sign in as"), start rating.
/// An empty study says what to do first and offers the import instead.
class SignInPanel final : public QGroupBox {
    Q_OBJECT
public:
    explicit SignInPanel(QWidget *parent = nullptr);

    /// Lists the study's human raters with their number of assigned items (LLM raters
    /// are imported, never signed in; a rater missing from `assigned` is listed by name
    /// only, while the counts are read); keeps the selected rater, else `preferred`.
    /// Nothing without a study.
    void setRaters(
        storage::Study *study, const QHash<QString, qint64> &assigned, const QString &preferred);
    /// Shows the "no items yet" hint and the import button.
    void setEmptyStudy(bool empty);
    /// Preselects a rater when the list has one of that name.
    void selectRater(const QString &name);
    QString selectedRaterName() const;
    QComboBox *raterPicker() const { return m_picker; }

signals:
    void ratingRequested(qint64 raterId);
    void importRequested();

private:
    void updateStartButton();

    QComboBox *m_picker;
    QPushButton *m_startButton;
    QLabel *m_hint;
    QWidget *m_empty;
};

} // namespace cr::ui
