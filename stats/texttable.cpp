#include "stats/texttable.h"

#include <algorithm>

namespace cr::stats {

QList<int> TextTable::widths(const QList<int> &widestCells) const
{
    QList<int> out;
    for (qsizetype i = 0; i < m_columns.size(); ++i)
        out.append(std::max({ m_columns[i].minWidth, int(m_columns[i].header.size()),
            i < widestCells.size() ? widestCells[i] : 0 }));
    return out;
}

QString TextTable::line(
    const QStringList &cells, const QList<int> &widths, const QString &trailer) const
{
    QStringList out;
    for (int i = 0; i < m_columns.size(); ++i) {
        const QString cell = i < cells.size() ? cells[i] : QString();
        const bool last = i + 1 == m_columns.size();
        if (m_columns[i].align == Align::Right)
            out.append(cell.rightJustified(widths[i]));
        else // no trailing blanks after a left-aligned last column
            out.append(last ? cell : cell.leftJustified(widths[i]));
    }
    return m_indent + out.join(QLatin1Char(' ')) + trailer + QLatin1Char('\n');
}

QString TextTable::headerLine(const QList<int> &widths) const
{
    QStringList headers;
    for (const Column &c : m_columns)
        headers.append(c.header);
    return line(headers, widths);
}

QString TextTable::toString() const
{
    QList<int> widest(m_columns.size(), 0);
    for (const QStringList &row : m_rows)
        for (int i = 0; i < widest.size() && i < row.size(); ++i)
            widest[i] = std::max(widest[i], int(row[i].size()));
    const QList<int> w = widths(widest);
    QString s = headerLine(w);
    for (qsizetype r = 0; r < m_rows.size(); ++r)
        s += line(m_rows[r], w, m_trailers.value(r));
    return s;
}

} // namespace cr::stats
