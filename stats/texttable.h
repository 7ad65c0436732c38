#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace cr::stats {

/// A plain-text table whose column widths come from its content: each column is as wide
/// as its widest cell (header included), never narrower than its minimum width, so long
/// model and rater names (`gpt-4o-mini:judge#3`, 40-character model names) keep the
/// columns aligned. Cells are separated by one space; every line starts with `indent`.
class TextTable final {
public:
    enum class Align { Left, Right };
    struct Column {
        QString header;
        Align align = Align::Left;
        int minWidth = 0;
    };

    explicit TextTable(QList<Column> columns, QString indent = QStringLiteral("  "))
        : m_columns(std::move(columns))
        , m_indent(std::move(indent))
    {
    }

    /// Adds a row (one cell per column; missing cells are empty).
    void addRow(QStringList cells) { m_rows.append(std::move(cells)); }
    /// Adds a row with text after the last column (not part of any column's width).
    void addRow(QStringList cells, QString trailer)
    {
        m_rows.append(std::move(cells));
        m_trailers.insert(m_rows.size() - 1, std::move(trailer));
    }
    /// The header line and the rows, each ending in a newline.
    QString toString() const;

    /// For tables written a line at a time (too many rows to keep): the widths toString()
    /// would use when column i's widest cell is `widestCells[i]` characters...
    QList<int> widths(const QList<int> &widestCells) const;
    /// ...the header line and a row's line with those widths, each ending in a newline.
    QString headerLine(const QList<int> &widths) const;
    QString line(
        const QStringList &cells, const QList<int> &widths, const QString &trailer = {}) const;

private:
    QList<Column> m_columns;
    QString m_indent;
    QList<QStringList> m_rows;
    QHash<qsizetype, QString> m_trailers;
};

} // namespace cr::stats
