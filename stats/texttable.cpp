#include "stats/texttable.h"

#include <algorithm>

namespace cr::stats {

QString TextTable::toString() const
{
    QList<int> widths;
    for (const Column &c : m_columns)
        widths.append(std::max(c.minWidth, int(c.header.size())));
    for (const QStringList &row : m_rows)
        for (int i = 0; i < widths.size() && i < row.size(); ++i)
            widths[i] = std::max(widths[i], int(row[i].size()));
    auto line = [&](const QStringList &cells) -> QString {
        QStringList out;
        for (int i = 0; i < m_columns.size(); ++i) {
            const QString cell = i < cells.size() ? cells[i] : QString();
            const bool last = i + 1 == m_columns.size();
            if (m_columns[i].align == Align::Right)
                out.append(cell.rightJustified(widths[i]));
            else // no trailing blanks after a left-aligned last column
                out.append(last ? cell : cell.leftJustified(widths[i]));
        }
        return m_indent + out.join(QLatin1Char(' '));
    };
    QStringList headers;
    for (const Column &c : m_columns)
        headers.append(c.header);
    QString s = line(headers) + QLatin1Char('\n');
    for (qsizetype r = 0; r < m_rows.size(); ++r)
        s += line(m_rows[r]) + m_trailers.value(r) + QLatin1Char('\n');
    return s;
}

} // namespace cr::stats
