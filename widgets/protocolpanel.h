#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

class QLabel;

namespace cr::widgets {

/// The rubric beside the responses: for one category, the five anchors with
/// their level names, one of them highlighted (the focused response's level).
/// Knows nothing about studies or protocols. GUI thread only.
class ProtocolPanel final : public QWidget {
    Q_OBJECT
public:
    explicit ProtocolPanel(QWidget *parent = nullptr);

    /// Names of levels 1..5 (index 0 is level 1).
    void setLevelNames(const QStringList &names);
    /// The category's name and its anchors (anchors[0] is level 1); an empty
    /// name shows `placeholder` instead.
    void setCategory(const QString &name, const QStringList &anchors);
    void setPlaceholder(const QString &text);

    QString categoryName() const { return m_category; }
    /// 1..5, or 0 when no level is highlighted.
    int highlightedLevel() const { return m_highlighted; }
    void setHighlightedLevel(int level);

    /// The label showing level `level` (1..5).
    QLabel *anchorLabel(int level) const;

private:
    void updateLabels();

    QStringList m_names;
    QStringList m_anchors;
    QString m_category;
    QString m_placeholder;
    int m_highlighted = 0;
    QLabel *m_title;
    QLabel *m_placeholderLabel;
    QList<QLabel *> m_labels;
};

} // namespace cr::widgets
