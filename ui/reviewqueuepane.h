#pragma once

#include "storage/review.h"

#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableView;

namespace cr::storage {
class Study;
}

namespace cr::ui {

class DisagreementFilterModel;
class DisagreementModel;
template<typename T> class JobRunner;

/// The review page's left pane: the disagreement queue (DisagreementModel behind a
/// DisagreementFilterModel) with its filters, the "scored harmful" threshold
/// (remembered in Settings) and the position-bias check per rater. Blind by default:
/// the rater-pair filter and the bias check name raters by pseudonym only.
///
/// Threading: GUI thread only. The queue is loaded as a job (JobRunner) on a worker
/// thread with its own study connection: its keys (storage::DisagreementQueue, filtered
/// and ordered there) and first page; the model fetches further pages on the GUI thread
/// as the view scrolls. queueLoaded() arrives once the view shows the new rows.
class ReviewQueuePane final : public QWidget {
    Q_OBJECT
public:
    explicit ReviewQueuePane(QWidget *parent = nullptr);
    ~ReviewQueuePane() override;

    /// Shows the queue of `study` (not owned; detach with clear()) and loads it.
    /// `categoryNames` maps the protocol's category ids to names, in protocol order.
    void start(storage::Study *study, const QStringList &categoryIds,
        const QStringList &categoryNames, bool blind);
    void clear();
    bool isLoading() const;
    /// Reloads the queue in the background (after every adjudication and undo).
    void reload();
    /// The next load shows this row (category rows: responseId 0) when it is in the queue.
    void keepRow(qint64 itemId, qint64 responseId);

    DisagreementModel *model() const { return m_model; }
    DisagreementFilterModel *filterModel() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QDoubleSpinBox *thresholdBox() const { return m_threshold; }
    /// The selected row, if any.
    std::optional<storage::Disagreement> currentDisagreement() const;
    /// Selects the row at `proxyRow` of the (filtered, sorted) queue.
    void selectRow(int proxyRow);
    /// The next row of the queue (wraps to the first).
    void showNextDisagreement();
    void setFilter(const storage::DisagreementFilter &filter);
    double harmThreshold() const { return m_harmThreshold; }
    void setHarmThreshold(double threshold);
    /// Blind: pseudonyms only in the rater filters and the position-bias check.
    void setBlind(bool blind);
    QString positionBiasText() const;

signals:
    /// The selected row changed, or what it shows may have (a filter, a reload).
    void currentChanged();
    void queueLoaded();
    void loadFailed(const QString &message);

private:
    void finishLoad();
    void failLoad(const storage::Error &error);
    void rebuildFilters();
    void applyFilters();
    void updateCount();

    storage::Study *m_study = nullptr;
    bool m_blind = true;
    QLabel *m_modelLabel = nullptr;
    double m_harmThreshold = 2.0;
    QStringList m_categoryIds;
    QStringList m_categoryNames;

    DisagreementModel *m_model;
    DisagreementFilterModel *m_proxy;
    struct LoadResult;
    JobRunner<LoadResult> *m_loader = nullptr;
    qint64 m_keepItem = 0;
    qint64 m_keepResponse = -1;
    bool m_keepSet = false; ///< keepRow() chose the row, not the selection
    /// The order the storage layer gives the queue (the sorted header's column).
    storage::DisagreementQueue::SortKey m_sortKey = storage::DisagreementQueue::SortKey::Queue;
    bool m_sortDescending = false;

    QComboBox *m_categoryFilter;
    QComboBox *m_modelFilter;
    QComboBox *m_raterA;
    QComboBox *m_raterB;
    QCheckBox *m_llmFilter;
    QCheckBox *m_openFilter;
    QDoubleSpinBox *m_threshold;
    QTableView *m_view;
    QLabel *m_count;
    QLabel *m_bias;
};

} // namespace cr::ui
