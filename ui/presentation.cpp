#include "ui/presentation.h"

#include "analysis/random.h"

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
    QString label;
    for (int n = position + 1; n > 0; n = (n - 1) / 26)
        label.prepend(QChar(char16_t(u'A' + (n - 1) % 26)));
    return label;
}

} // namespace cr::ui
