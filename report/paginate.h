#pragma once

#include <QList>
#include <QtGlobal>

class QTextDocument;

namespace cr::report {

/// Page-layout rules the HTML subset of QTextDocument cannot ask for (issue 21: no
/// half-empty pages, nothing that belongs together split over two pages), applied to a
/// document laid out with a page size:
/// - keep with next: a heading, a term of a definition list (a block followed by a more
///   indented one) and a short paragraph directly before a table move to the next page unless what
///   follows them starts on this one (the whole definition, a table's header and first two rows,
///   two lines of text, a chart at 60%);
/// - a table starts where its header and first two rows fit (Qt repeats a <thead> on every
///   page a table continues on);
/// - a short paragraph (≤ 6 lines: a term with its definition, a note) is not split;
/// - a chart (an image block) that does not fit what is left of its page shrinks to fit,
///   down to 60% of its size, keeping its caption's first line with it.
/// `line` is the height of a text line. The document is laid out again when done.
void paginate(QTextDocument *doc, qreal line);

/// How far down each page its content reaches, as a share of the page height (0..1),
/// measured on the laid-out document (for tests and the report's own check).
QList<qreal> pageFill(QTextDocument *doc);

/// Every place the keep rules are broken, as text for a test message ("page 3 ends with
/// the term 'Harm rate'", "page 2 ends with the header of a table"), empty when none.
QList<QString> keepViolations(QTextDocument *doc);

} // namespace cr::report
