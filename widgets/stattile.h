#pragma once

#include <QFrame>

class QLabel;

namespace cr::widgets {

/// A headline number over a short caption ("1,204" / "Responses"), for overviews
/// and dashboards. GUI thread only.
class StatTile final : public QFrame {
    Q_OBJECT
public:
    explicit StatTile(const QString &caption, QWidget *parent = nullptr);

    QString caption() const;
    QString value() const;
    void setValue(const QString &value);
    /// Secondary line under the caption (e.g. "12 refusals"); hidden when empty.
    void setDetail(const QString &detail);

private:
    void updateAccessibleName();

    QLabel *m_value;
    QLabel *m_caption;
    QLabel *m_detail;
};

} // namespace cr::widgets
