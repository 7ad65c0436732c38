#pragma once

#include "storage/exposure.h"

#include <QAbstractTableModel>

namespace cr::ui {

/// Care for raters, for the supervising researcher: per rater, items done and
/// skipped, "pause — this was distressing" counts, sessions and exposure (items shown
/// today, in the last session, mean and most per session). Shown on the study overview
/// only, never in a rater's view. GUI thread only.
class RaterExposureModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        DoneColumn,
        SkippedColumn,
        DistressingColumn,
        SessionsColumn,
        ShownTodayColumn,
        LastSessionColumn,
        MeanPerSessionColumn,
        MostPerSessionColumn,
        ColumnCount
    };
    /// The raw number of a column (DisplayRole is localized text).
    static constexpr int ValueRole = Qt::UserRole + 1;

    explicit RaterExposureModel(QObject *parent = nullptr);

    /// Human raters only (LLM raters are not exposed to anything).
    void setRows(const QList<storage::RaterExposure> &rows);
    const QList<storage::RaterExposure> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<storage::RaterExposure> m_rows;
};

} // namespace cr::ui
