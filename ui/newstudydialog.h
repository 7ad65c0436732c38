#pragma once

#include "protocol/protocol.h"

#include <QDialog>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace cr::ui {

/// Asks for a new study's title, file and protocol (the bundled default or a protocol
/// file). Only validates input: the caller creates the study. GUI thread only.
class NewStudyDialog final : public QDialog {
    Q_OBJECT
public:
    explicit NewStudyDialog(const QString &directory, QWidget *parent = nullptr);

    QString title() const;
    QString path() const;
    /// The chosen protocol: the default, or the chosen file's (nothing, with the reason
    /// in `problem`, while that file is missing or invalid).
    std::optional<protocol::Protocol> protocol(QString *problem = nullptr) const;
    QComboBox *protocolChoice() const { return m_protocolChoice; }
    QLineEdit *protocolPathEdit() const { return m_protocolPath; }

private:
    void browse();
    void browseProtocol();
    void validate();

    QString m_directory;
    QLineEdit *m_title;
    QLineEdit *m_path;
    QComboBox *m_protocolChoice;
    QLineEdit *m_protocolPath;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    bool m_pathEdited = false;
};

} // namespace cr::ui
