#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace cr::ui {

/// Asks for a new study's title and file. Only validates input: the caller
/// creates the study. GUI thread only.
class NewStudyDialog final : public QDialog {
    Q_OBJECT
public:
    explicit NewStudyDialog(const QString &directory, QWidget *parent = nullptr);

    QString title() const;
    QString path() const;

private:
    void browse();
    void validate();

    QString m_directory;
    QLineEdit *m_title;
    QLineEdit *m_path;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    bool m_pathEdited = false;
};

} // namespace cr::ui
