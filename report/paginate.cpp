#include "report/paginate.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextTable>
#include <algorithm>
#include <cmath>
#include <optional>

namespace cr::report {

namespace {

constexpr int kMoved = QTextFormat::UserProperty + 1;
constexpr qreal kMinimumChartScale = 0.6;
constexpr int kShortLines = 6;

/// One element of the root frame: a block or a table.
struct Element {
    QTextBlock block; ///< valid for a block
    QTextTable *table = nullptr; ///< set for a table
    QRectF rect;
};

class Pager {
public:
    Pager(QTextDocument *doc, qreal line)
        : m_doc(doc)
        , m_layout(doc->documentLayout())
        , m_page(doc->pageSize().height())
        , m_line(line)
    {
    }

    int pageOf(qreal y) const { return int(std::floor(y / m_page)); }
    qreal pageEnd(qreal y) const { return (pageOf(y) + 1) * m_page; }
    bool atPageTop(qreal y) const { return y - pageOf(y) * m_page <= m_line; }

    QList<Element> elements() const
    {
        QList<Element> out;
        for (auto it = m_doc->rootFrame()->begin(); !it.atEnd(); ++it) {
            if (QTextFrame *f = it.currentFrame()) {
                if (auto *t = qobject_cast<QTextTable *>(f))
                    out.append({ {}, t, m_layout->frameBoundingRect(t) });
            } else if (it.currentBlock().isValid()) {
                out.append(
                    { it.currentBlock(), nullptr, m_layout->blockBoundingRect(it.currentBlock()) });
            }
        }
        return out;
    }

    /// Top and bottom of a block's `n`-th line (document coordinates).
    std::pair<qreal, qreal> lineSpan(const QTextBlock &b, int n) const
    {
        const QRectF r = m_layout->blockBoundingRect(b);
        const QTextLayout *l = b.layout();
        if (!l || l->lineCount() == 0)
            return { r.top(), r.bottom() };
        const QTextLine line = l->lineAt(std::clamp(n, 0, l->lineCount() - 1));
        const qreal offset = r.top() - l->boundingRect().top();
        return { offset + line.y(), offset + line.y() + line.height() };
    }

    /// The bottom of a table's row `row` (of its first cell's text).
    qreal rowBottom(QTextTable *t, int row) const
    {
        qreal bottom = 0;
        for (int c = 0; c < t->columns(); ++c) {
            const QTextTableCell cell = t->cellAt(row, c);
            if (!cell.isValid())
                continue;
            const QTextBlock last = cell.lastCursorPosition().block();
            bottom = std::max(bottom, m_layout->blockBoundingRect(last).bottom());
        }
        return bottom;
    }

    /// Where what must start together with `e` ends: a table's header and first two body
    /// rows, a block's second line (a short block: all of it), a chart as a whole.
    qreal startEnd(const Element &e) const
    {
        if (e.table) {
            const int header = e.table->format().headerRowCount();
            const int rows = std::min(e.table->rows(), header + 2);
            return rows > 0 ? rowBottom(e.table, rows - 1) : e.rect.bottom();
        }
        const QTextLayout *l = e.block.layout();
        const int lines = l ? l->lineCount() : 1;
        return lineSpan(e.block, lines <= 3 ? lines - 1 : 1).second;
    }

    static std::optional<std::pair<QTextImageFormat, int>> imageOf(const QTextBlock &block)
    {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (f.charFormat().isImageFormat())
                return std::pair(f.charFormat().toImageFormat(), f.position());
        }
        return std::nullopt;
    }

    /// A paragraph of 2 to kShortLines lines whose lines are not all on one page.
    bool splitShort(const Element &e) const
    {
        if (e.table)
            return false;
        const QTextLayout *l = e.block.layout();
        const int lines = l ? l->lineCount() : 0;
        return lines >= 2 && lines <= kShortLines
            && pageOf(lineSpan(e.block, 0).second - 1)
            != pageOf(lineSpan(e.block, lines - 1).second - 1);
    }

    /// A heading or a term of a definition list (a block followed by a more indented one).
    static bool keepsWithNext(const Element &e, const Element &next)
    {
        if (e.table || imageOf(e.block))
            return false;
        if (e.block.blockFormat().headingLevel() > 0)
            return true;
        if (next.table) // a caption or a short note over a table
            return !e.block.layout() || e.block.layout()->lineCount() <= 3;
        return next.block.isValid() && !imageOf(next.block)
            && next.block.blockFormat().leftMargin() > e.block.blockFormat().leftMargin();
    }

    /// Moves an element's top to the next page.
    void pushDown(const Element &e)
    {
        const qreal by = pageEnd(e.rect.top()) - e.rect.top();
        if (e.table) {
            QTextTableFormat f = e.table->format();
            f.setTopMargin(f.topMargin() + by);
            f.setProperty(kMoved, true);
            e.table->setFormat(f);
            return;
        }
        // A top margin (a page-break policy here made Qt 6.4 drop the rest of the root
        // frame's blocks when drawing).
        QTextBlockFormat f = e.block.blockFormat();
        f.setTopMargin(f.topMargin() + by);
        f.setProperty(kMoved, true);
        QTextCursor(e.block).setBlockFormat(f);
    }

    bool moved(const Element &e) const
    {
        return e.table ? e.table->format().hasProperty(kMoved)
                       : e.block.blockFormat().hasProperty(kMoved);
    }

    /// Shrinks the chart in `e` to `height` (keeping its aspect).
    void scaleImage(const Element &e, qreal height)
    {
        const auto image = imageOf(e.block);
        QTextImageFormat f = image->first;
        f.setWidth(image->first.width() * height / image->first.height());
        f.setHeight(height);
        QTextCursor c(m_doc);
        c.setPosition(image->second);
        c.setPosition(image->second + 1, QTextCursor::KeepAnchor);
        c.setCharFormat(f);
    }

    /// One rule broken at `i` fixed; false when every element keeps the rules.
    bool fixOne()
    {
        const QList<Element> all = elements();
        for (int i = 0; i < all.size(); ++i) {
            const Element &e = all[i];
            const bool top = atPageTop(e.rect.top());
            if (e.table) {
                if (!top && !moved(e) && pageOf(startEnd(e)) != pageOf(e.rect.top())) {
                    pushDown(e);
                    return true;
                }
                continue;
            }
            if (const auto image = imageOf(e.block)) {
                if (i > 0 && fitChart(all, i, image->first.height()))
                    return true;
                continue;
            }
            if (top || moved(e))
                continue;
            if (i + 1 < all.size() && keepsWithNext(e, all[i + 1])) {
                const Element &next = all[i + 1];
                const qreal end = imageOf(next.block)
                    ? next.rect.top() + kMinimumChartScale * imageOf(next.block)->first.height()
                    : startEnd(next);
                if (pageOf(end) != pageOf(e.rect.top())) {
                    pushDown(e);
                    return true;
                }
            }
            // A short paragraph (a term with its definition, a note) is not split.
            if (splitShort(e)) {
                pushDown(e);
                return true;
            }
        }
        return false;
    }

    /// A chart that does not fit what is left of its page: shrinks to fit with the first
    /// line of its caption (down to 60%). True when it changed something.
    bool fitChart(const QList<Element> &all, int i, qreal height)
    {
        const Element &e = all[i];
        const Element &before = all[i - 1];
        // The chart's bottom margin and the caption's first line with its top margin.
        qreal caption = e.block.blockFormat().bottomMargin();
        if (i + 1 < all.size() && all[i + 1].block.isValid()) {
            const QTextBlock next = all[i + 1].block;
            caption +=
                next.blockFormat().topMargin() + lineSpan(next, 0).second - lineSpan(next, 0).first;
        }
        caption += m_line / 2;
        const qreal left = pageEnd(before.rect.bottom() - 1) - before.rect.bottom()
            - e.block.blockFormat().topMargin() - caption;
        const bool onNextPage = pageOf(e.rect.bottom() - 1) != pageOf(before.rect.bottom() - 1);
        if (!onNextPage || left < kMinimumChartScale * height || left >= height)
            return false;
        scaleImage(e, std::floor(left));
        return true;
    }

private:
    QTextDocument *m_doc;
    QAbstractTextDocumentLayout *m_layout;
    qreal m_page;
    qreal m_line;
};

void relayout(QTextDocument *doc)
{
    // Lay the whole document out again: Qt 6.4's incremental relayout after a format
    // change leaves later root-frame blocks out of the drawing.
    doc->markContentsDirty(0, doc->characterCount());
}

} // namespace

void paginate(QTextDocument *doc, qreal line)
{
    Pager pager(doc, line);
    for (int pass = 0; pass < 200; ++pass) {
        const bool changed = pager.fixOne();
        relayout(doc);
        if (!changed)
            return;
    }
}

QList<qreal> pageFill(QTextDocument *doc)
{
    const qreal page = doc->pageSize().height();
    QList<qreal> fill(doc->pageCount(), 0.0);
    QAbstractTextDocumentLayout *layout = doc->documentLayout();
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        const QRectF r = layout->blockBoundingRect(b);
        const QTextLayout *l = b.layout();
        if (!l || b.text().isEmpty())
            continue;
        const qreal offset = r.top() - l->boundingRect().top();
        for (int n = 0; n < l->lineCount(); ++n) {
            const QTextLine tl = l->lineAt(n);
            const qreal bottom = offset + tl.y() + tl.height();
            const int p = std::clamp(int(std::floor((bottom - 1) / page)), 0, int(fill.size()) - 1);
            fill[p] = std::max(fill[p], (bottom - p * page) / page);
        }
    }
    return fill;
}

QList<QString> keepViolations(QTextDocument *doc)
{
    Pager pager(doc, 0);
    QList<QString> out;
    const QList<Element> all = pager.elements();
    const auto text = [](const Element &e) {
        return e.table ? QStringLiteral("a table") : QStringLiteral("'%1'").arg(e.block.text());
    };
    for (int i = 0; i < all.size(); ++i) {
        const Element &e = all[i];
        const int page = pager.pageOf(e.rect.top()) + 1;
        if (pager.splitShort(e) && !Pager::imageOf(e.block)) {
            out.append(QStringLiteral("%1 is split between pages %2 and %3")
                           .arg(text(e).left(40))
                           .arg(page)
                           .arg(page + 1));
            continue;
        }
        if (i + 1 == all.size())
            break;
        if (e.table) {
            if (pager.pageOf(pager.startEnd(e)) + 1 != page)
                out.append(QStringLiteral("page %1 ends with the header of a table").arg(page));
            continue;
        }
        if (!Pager::keepsWithNext(e, all[i + 1]) || Pager::imageOf(all[i + 1].block))
            continue;
        if (pager.pageOf(pager.startEnd(all[i + 1])) + 1 != page)
            out.append(QStringLiteral("page %1 ends with %2 apart from %3")
                           .arg(page)
                           .arg(text(e), text(all[i + 1])));
    }
    return out;
}

} // namespace cr::report
