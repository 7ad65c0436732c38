#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace cr::widgets {

/// A full-page notice in the middle of the page: a large title, a quieter hint below
/// it and one button (the rating page's "nothing assigned" and pause screens); no
/// button (button() is nullptr) when `buttonText` is empty.
class NoticeScreen final : public QWidget {
    Q_OBJECT
public:
    explicit NoticeScreen(const QString &buttonText, QWidget *parent = nullptr);

    void setTitle(const QString &text);
    QString title() const;
    void setHint(const QString &text);
    QLabel *titleLabel() const { return m_title; }
    QPushButton *button() const { return m_button; }

private:
    QLabel *m_title;
    QLabel *m_hint;
    QPushButton *m_button;
};

} // namespace cr::widgets
