#pragma once

#include <QWidget>

namespace cr::widgets {
class CategoryPicker;
class MessageView;
} // namespace cr::widgets

namespace cr::ui {

/// The rating page's left column: the person's message and, below it, the crisis
/// category picker (labelled first: its keys are shown on the buttons).
class RatingMessagePanel final : public QWidget {
    Q_OBJECT
public:
    explicit RatingMessagePanel(QWidget *parent = nullptr);

    widgets::MessageView *message() const { return m_message; }
    widgets::CategoryPicker *picker() const { return m_picker; }

private:
    widgets::MessageView *m_message;
    widgets::CategoryPicker *m_picker;
};

} // namespace cr::ui
