#pragma once

#include "storage/review.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <cstdio>

namespace cr::app {

/// `crisis-review disagreements --json`: one object per queue row (raters by pseudonym).
QJsonObject disagreementToJson(const storage::Disagreement &row);
QJsonArray disagreementsToJson(const QList<storage::Disagreement> &rows);
/// The plain-text table of the same rows.
QString disagreementsToText(const QList<storage::Disagreement> &rows);

/// What the command writes: the bytes of QJsonDocument(disagreementsToJson(rows)).toJson()
/// and of disagreementsToText(rows), written a row at a time (no whole document in memory).
void writeDisagreementsJson(const QList<storage::Disagreement> &rows, std::FILE *out);
void writeDisagreementsText(const QList<storage::Disagreement> &rows, std::FILE *out);

/// The JSON array of `rows` rows written as they come: write() each row, then finish().
class DisagreementsJsonWriter final {
public:
    DisagreementsJsonWriter(std::FILE *out, qsizetype rows);
    void write(const storage::Disagreement &row);
    void finish();

private:
    std::FILE *m_out;
    qsizetype m_rows;
    qsizetype m_written = 0;
    QByteArray m_indented;
};

/// The text table written as rows come, with the column widths known beforehand
/// (`widest`: item, response, kind, spread; DisagreementQueue::widest()).
class DisagreementsTextWriter final {
public:
    DisagreementsTextWriter(std::FILE *out, const QList<int> &widest);
    void write(const storage::Disagreement &row);
    void finish();

private:
    std::FILE *m_out;
    QList<int> m_widths;
    QString m_flags;
    qsizetype m_written = 0;
};

} // namespace cr::app
