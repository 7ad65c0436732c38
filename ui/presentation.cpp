#include "ui/presentation.h"

#include "analysis/random.h"
#include "storage/exposure.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace cr::ui {

QList<int> presentationOrder(int count, quint64 seed)
{
    std::vector<int> order(std::size_t(std::max(count, 0)));
    std::iota(order.begin(), order.end(), 0);
    analysis::Rng rng(seed);
    rng.shuffle(order);
    return QList<int>(order.begin(), order.end());
}

QString presentationLabel(int position)
{
    return storage::presentationLabel(position);
}

} // namespace cr::ui
