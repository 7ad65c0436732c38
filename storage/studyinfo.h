#pragma once

#include "storage/exposure.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace cr::storage {

class Study;

/// What a study holds. The counts come from the tally tables the schema keeps (step 10),
/// so summarize() costs O(models + raters + datasets), not O(responses).
struct StudyInfo {
    QString path;
    QString title;
    QString createdAt;
    QString appVersion;
    int schemaVersion = 0;
    QString protocolName;
    QString protocolVersion;
    QString protocolHash;
    int protocolVersions = 0;

    qint64 items = 0;
    qint64 responses = 0;
    qint64 refusals = 0;
    qint64 models = 0;
    qint64 raters = 0;
    qint64 assignments = 0;
    qint64 labels = 0;
    qint64 ratings = 0;
    qint64 adjudications = 0;
    qint64 events = 0;

    struct Count {
        QString name;
        qint64 count = 0;
    };
    QList<Count> datasets;
    QList<Count> splits;
    QList<Count> referenceLabels;

    struct ModelRow {
        QString name;
        qint64 responses = 0;
        int runs = 0;
    };
    QList<ModelRow> modelRows;

    struct RaterRow {
        QString name;
        QString kind;
        QString role;
        QString pseudonym;
        qint64 assigned = 0;
        qint64 labels = 0;
        qint64 ratings = 0;
    };
    QList<RaterRow> raterRows;
    /// Per-rater workload and exposure (skips, distressing pauses, sessions, items
    /// shown today), for the supervising researcher.
    QList<RaterExposure> exposure;

    /// Every import into the study, oldest first, with the rows it skipped
    /// (`--skip-invalid`; the rows themselves are in `import_issue`).
    struct ImportRow {
        qint64 id = 0;
        QString at;
        QString actor;
        QString format;
        QStringList files;
        QString summaryJson; ///< counts: items_added, ratings_added, skipped...
        qint64 skippedRows = 0;
    };
    QList<ImportRow> imports;
};

StudyInfo summarize(Study &study);

/// How many times summarize() has run in this process (any thread): what tests check to
/// show that opening a study as a rater does not compute the overview.
qint64 summarizeCount();

} // namespace cr::storage
