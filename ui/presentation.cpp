#include "ui/presentation.h"

#include "storage/exposure.h"

namespace cr::ui {

QList<int> presentationOrder(int count, quint64 seed)
{
    return storage::presentationOrder(count, seed);
}

QString presentationLabel(int position)
{
    return storage::presentationLabel(position);
}

} // namespace cr::ui
